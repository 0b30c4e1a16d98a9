//! Generation time against spec size: `cargo run --release -p sdkgen --example scaling -- [RUNS] [FILTER]`.
//!
//! Prints two Markdown tables of median times per phase over RUNS runs (default 5):
//! 1. the corpus (`schema/jdcloud-vm.yaml` and `../shared/specs/*`, names containing FILTER),
//!    with the time per KiB of output, which stays flat when generation is linear;
//! 2. synthetic specs of n schemas and n operations (n doubling), whose time per item stays
//!    flat when generation is linear and doubles per row when something is quadratic.
//!
//! `emit` includes formatting (syn + prettyplease), which is private to `sdkgen::emit`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sdkgen::{Settings, emit, ir, load};

/// Median phase times of one spec.
struct Timing {
    parse: Duration,
    ir: Duration,
    emit: Duration,
    operations: usize,
    types: usize,
    output_bytes: usize,
}

impl Timing {
    fn total(&self) -> Duration {
        self.parse + self.ir + self.emit
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn measure(
    name: &str,
    text: &str,
    runs: usize,
    settings: &Settings,
) -> Result<Timing, sdkgen::GenerateError> {
    let (mut parse, mut build, mut emitting) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let (doc, t_parse) = time(|| load::parse(name, text));
        let doc = doc?;
        let (api, t_ir) = time(|| ir::build(&doc));
        let (api, _warnings) = api?;
        let (files, t_emit) = time(|| emit::emit(&api, settings));
        let files = files?;
        parse.push(t_parse);
        build.push(t_ir);
        emitting.push(t_emit);
        last = Some((
            api.operations.len(),
            api.types.len(),
            files.values().map(String::len).sum(),
        ));
    }
    let (operations, types, output_bytes) = last.unwrap_or_default();
    Ok(Timing {
        parse: median(parse),
        ir: median(build),
        emit: median(emitting),
        operations,
        types,
        output_bytes,
    })
}

fn ms(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1e3)
}

fn corpus_paths() -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/jdcloud-vm.yaml"
    ))];
    let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/specs"));
    if let Ok(entries) = std::fs::read_dir(corpus) {
        paths.extend(
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| {
                    matches!(
                        path.extension().and_then(|ext| ext.to_str()),
                        Some("json" | "yaml" | "yml")
                    )
                }),
        );
    }
    paths
}

fn corpus_table(runs: usize, filter: &str, settings: &Settings) {
    let mut specs: Vec<(String, String)> = corpus_paths()
        .into_iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).ok()?;
            name.contains(filter).then_some((name, text))
        })
        .collect();
    specs.sort_by_key(|(_, text)| text.len());
    println!(
        "| spec | KiB | operations | types | output KiB | parse ms | ir ms | emit+format ms | total ms | µs per KiB in | µs per KiB out |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, text) in &specs {
        match measure(name, text, runs, settings) {
            Ok(t) => {
                let kib = text.len() as f64 / 1024.0;
                // Time per output KiB is the linearity check: input size says little about
                // how much code a spec turns into.
                let out_kib = t.output_bytes as f64 / 1024.0;
                println!(
                    "| {name} | {kib:.0} | {} | {} | {out_kib:.0} | {} | {} | {} | {} | {:.0} | {:.0} |",
                    t.operations,
                    t.types,
                    ms(t.parse),
                    ms(t.ir),
                    ms(t.emit),
                    ms(t.total()),
                    t.total().as_secs_f64() * 1e6 / kib,
                    t.total().as_secs_f64() * 1e6 / out_kib,
                );
            }
            Err(error) => println!("| {name} | {} | error: {error} ||||||||", text.len() / 1024),
        }
    }
}

/// A JSON spec of `n` schemas and `n` operations: each schema has a `$ref` to the previous
/// one, an enum, an array, and two properties that collide after case conversion; each
/// operation has path and query parameters and `$ref` request/response bodies.
fn synthetic_spec(n: usize) -> String {
    let mut schemas = String::new();
    let mut paths = String::new();
    for i in 0..n {
        let previous = if i == 0 { n - 1 } else { i - 1 };
        let separator = if i + 1 == n { "" } else { "," };
        let _ = write!(
            schemas,
            r##""Item{i}": {{"type": "object", "required": ["id"], "description": "Item number {i}.",
              "properties": {{
                "id": {{"type": "string"}},
                "fooBar": {{"type": "integer", "format": "int64"}},
                "foo_bar": {{"type": "integer", "format": "int32"}},
                "status": {{"type": "string", "enum": ["ready", "Ready", "failed-{i}"]}},
                "tags": {{"type": "array", "items": {{"type": "string"}}}},
                "nested": {{"type": "object", "properties": {{"size": {{"type": "number"}}}}}},
                "previous": {{"$ref": "#/components/schemas/Item{previous}"}}
              }}}}{separator}"##
        );
        let _ = write!(
            paths,
            r##""/items{i}/{{itemId}}": {{"post": {{"operationId": "updateItem{i}", "summary": "Updates item {i}.",
              "parameters": [
                {{"name": "itemId", "in": "path", "required": true, "schema": {{"type": "string"}}}},
                {{"name": "dryRun", "in": "query", "schema": {{"type": "boolean"}}}}
              ],
              "requestBody": {{"content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Item{i}"}}}}}}}},
              "responses": {{
                "200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Item{i}"}}}}}}}},
                "404": {{"description": "missing"}}
              }}}}}}{separator}"##
        );
    }
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Synthetic", "version": "1"}},
          "servers": [{{"url": "https://example.com"}}],
          "paths": {{{paths}}}, "components": {{"schemas": {{{schemas}}}}}}}"#
    )
}

fn synthetic_table(runs: usize, settings: &Settings) {
    println!(
        "| n (schemas = operations) | KiB | parse ms | ir ms | emit+format ms | total ms | µs per n |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for n in [125, 250, 500, 1000, 2000] {
        let text = synthetic_spec(n);
        match measure("synthetic.json", &text, runs, settings) {
            Ok(t) => println!(
                "| {n} | {} | {} | {} | {} | {} | {:.0} |",
                text.len() / 1024,
                ms(t.parse),
                ms(t.ir),
                ms(t.emit),
                ms(t.total()),
                t.total().as_secs_f64() * 1e6 / n as f64,
            ),
            Err(error) => println!("| {n} | error: {error} ||||||"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = args.first().and_then(|arg| arg.parse().ok()).unwrap_or(5);
    let filter = args.get(1).map_or("", String::as_str);
    let settings = Settings::default();
    corpus_table(runs, filter, &settings);
    if filter.is_empty() {
        println!();
        synthetic_table(runs, &settings);
    }
}
