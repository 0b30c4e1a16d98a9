//! Generation speed, end to end and by phase, for `schema/jdcloud-vm.yaml` and every spec in
//! `../shared/specs/` (missing ones are skipped): `cargo bench -p sdkgen --bench generate`.
//!
//! Phases are the library's public steps: `load::parse`, `ir::build` and `emit::emit`. The
//! last one includes formatting (syn parse + prettyplease) because that step is private to
//! `emit`; `reformat_output` re-parses and re-prints the emitted files to estimate its share.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, criterion_group, criterion_main, measurement::WallTime,
};
use sdkgen::{Settings, emit, ir, load};

/// Specs above this size get flat sampling and a longer window (one run takes 10+ ms).
const LARGE_SPEC_BYTES: usize = 200_000;
/// Specs above this size (the GitHub one) need 10 runs of up to ~1 s each per benchmark.
const HUGE_SPEC_BYTES: usize = 2_000_000;

struct Spec {
    name: String,
    text: String,
}

fn spec_paths() -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/jdcloud-vm.yaml"
    ))];
    let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/specs"));
    if let Ok(entries) = std::fs::read_dir(corpus) {
        let mut corpus: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| {
                matches!(
                    path.extension().and_then(|ext| ext.to_str()),
                    Some("json" | "yaml" | "yml")
                )
            })
            .collect();
        corpus.sort();
        paths.extend(corpus);
    }
    paths
}

fn specs() -> Vec<Spec> {
    spec_paths()
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some(Spec { name, text })
        })
        .collect()
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>, bytes: usize) {
    group.sample_size(10);
    if bytes > LARGE_SPEC_BYTES {
        group.sampling_mode(SamplingMode::Flat);
        group.warm_up_time(Duration::from_secs(1));
        let seconds = if bytes > HUGE_SPEC_BYTES { 10 } else { 4 };
        group.measurement_time(Duration::from_secs(seconds));
    } else {
        group.warm_up_time(Duration::from_millis(300));
        group.measurement_time(Duration::from_secs(1));
    }
}

fn bench_spec(c: &mut Criterion, spec: &Spec, settings: &Settings) {
    // A spec the generator rejects is reported and skipped: the benchmark measures speed.
    let doc = match load::parse(&spec.name, &spec.text) {
        Ok(doc) => doc,
        Err(error) => return eprintln!("skipping {}: {error}", spec.name),
    };
    let api = match ir::build(&doc) {
        Ok((api, _warnings)) => api,
        Err(error) => return eprintln!("skipping {}: {error}", spec.name),
    };
    let files = match emit::emit(&api, settings) {
        Ok(files) => files,
        Err(error) => return eprintln!("skipping {}: {error}", spec.name),
    };

    let mut group = c.benchmark_group(format!("generate/{}", spec.name));
    configure(&mut group, spec.text.len());
    group.bench_function("end_to_end", |b| {
        b.iter(|| sdkgen::generate_str(&spec.name, &spec.text, settings))
    });
    group.bench_function("parse", |b| b.iter(|| load::parse(&spec.name, &spec.text)));
    group.bench_function("ir", |b| b.iter(|| ir::build(&doc)));
    group.bench_function("emit_and_format", |b| b.iter(|| emit::emit(&api, settings)));
    group.bench_function("reformat_output", |b| b.iter(|| reformat(&files)));
    group.finish();
}

/// syn parse + prettyplease over the emitted files: the format step's cost, approximately
/// (the real step parses a token stream rather than text).
fn reformat(files: &std::collections::BTreeMap<String, String>) -> usize {
    files
        .values()
        .filter_map(|text| syn::parse_file(text).ok())
        .map(|file| prettyplease::unparse(&file).len())
        .sum()
}

fn generation(c: &mut Criterion) {
    let settings = Settings::default();
    for spec in specs() {
        bench_spec(c, &spec, &settings);
    }
}

criterion_group!(benches, generation);
criterion_main!(benches);
