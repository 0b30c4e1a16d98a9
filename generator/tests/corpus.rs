//! Every spec in the shared corpus (`../shared/specs`, OpenAPI 3.0, and `../shared/specs31`,
//! 3.1, beside the workspace) generates, and every generated file parses as Rust; generation
//! is deterministic. Skipped, with a note, where the corpus is absent. (Compiling the output
//! is `cargo xtask corpus`'s job.)

use std::path::{Path, PathBuf};
use std::time::Instant;

const CORPUS: [&str; 2] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/specs"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/specs31"),
];

fn specs() -> Vec<PathBuf> {
    CORPUS.iter().flat_map(|dir| specs_in(dir)).collect()
}

fn specs_in(dir: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("note: corpus {dir} is absent; skipped");
        return Vec::new();
    };
    let mut specs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    specs
}

/// With `SDKGEN_DUMP=dir`, also writes each spec's standalone crate under `dir/<stem>` (for
/// a scratch `cargo check`; `cargo xtask corpus` is the maintained way).
fn dump(name: &str, generated: &sdkgen::Generated) {
    let Ok(dir) = std::env::var("SDKGEN_DUMP") else {
        return;
    };
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .replace('.', "-");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let runtime = sdkgen::RuntimeDependency::Path(runtime.display().to_string());
    for (path, contents) in sdkgen::standalone_crate(generated, &stem, &runtime) {
        let path = Path::new(&dir).join(&stem).join(path);
        std::fs::create_dir_all(path.parent().expect("has a parent"))
            .expect("creates the directory");
        std::fs::write(path, contents).expect("writes");
    }
}

#[test]
fn every_corpus_spec_generates_and_parses() {
    let mut failures = Vec::new();
    for spec in specs() {
        let name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let started = Instant::now();
        match sdkgen::generate_file(&spec, &sdkgen::Settings::default()) {
            Ok(generated) => {
                let elapsed = started.elapsed();
                dump(&name, &generated);
                for (path, contents) in &generated.files {
                    if let Err(e) = syn::parse_file(contents) {
                        failures.push(format!("{name}: {path} does not parse: {e}"));
                    }
                }
                eprintln!(
                    "{name}: ok, {} files, {} warnings, generated in {elapsed:.2?}",
                    generated.files.len(),
                    generated.warnings.len()
                );
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn generation_is_deterministic() {
    let mut specs = specs();
    specs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/jdcloud-vm.yaml"));
    specs.extend(
        [
            "objects",
            "composition",
            "operations",
            "refs",
            "openapi31",
            "webhooks",
        ]
        .map(|name| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.yaml"))
        }),
    );
    for spec in specs.iter().filter(|spec| spec.exists()) {
        let settings = sdkgen::Settings::default();
        let (Ok(first), Ok(second)) = (
            sdkgen::generate_file(spec, &settings),
            sdkgen::generate_file(spec, &settings),
        ) else {
            continue; // Failures are the other test's business.
        };
        assert_eq!(
            first,
            second,
            "{} generated differently twice",
            spec.display()
        );
    }
}
