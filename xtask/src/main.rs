//! The project's task runner: `cargo xtask <command>`.
//!
//! - `codegen [--check]`: regenerate `generated/src/<spec>/` from every spec in `schema/`; a
//!   write also prints what each spec's edit since git `HEAD` does to the public API, and the
//!   crate's next version.
//! - `api-diff OLD NEW [--json]`: what changes in the generated public API between two specs,
//!   each change marked breaking, additive, wire or docs, and the class of the whole.
//! - `import [--check]`: transcribe `schema/docs/<service>/` plus the corrections in
//!   `schema/corrections/<service>.yaml` into `schema/jdcloud-<service>.yaml`.
//! - `generate SPEC --out DIR [--runtime workspace|vendor|VERSION]`: any OpenAPI 3.0 or 3.1
//!   spec to a standalone crate (see [`standalone`] for how it finds the runtime).
//! - `corpus [--small]`: generate the generator's fixtures (with their round-trip tests) and
//!   every spec in `../shared/specs/` into one scratch workspace, then `cargo clippy` it
//!   (failing on any warning) and `cargo test` it.
//! - `compile-bench [--runs N] [--no-build] [--spec SPEC]`: A/B compile time and peak memory
//!   of our crate for SPEC against progenitor's (see [`compile_bench`]).

mod api_diff;
mod codegen;
mod compile_bench;
mod corpus;
mod import;
mod plan;
mod standalone;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["generate", spec, "--out", out] => standalone::run(Path::new(spec), Path::new(out), None),
        ["generate", spec, "--out", out, "--runtime", runtime] => {
            standalone::Runtime::parse(runtime)
                .and_then(|runtime| standalone::run(Path::new(spec), Path::new(out), Some(runtime)))
        }
        ["api-diff", old, new] => api_diff::run(Path::new(old), Path::new(new), false),
        ["api-diff", old, new, "--json"] | ["api-diff", "--json", old, new] => {
            api_diff::run(Path::new(old), Path::new(new), true)
        }
        ["import"] => import::run(import::Mode::Write),
        ["import", "--check"] => import::run(import::Mode::Check),
        ["corpus"] => corpus::run(corpus::Scope::All),
        ["corpus", "--small"] => corpus::run(corpus::Scope::Small),
        ["compile-bench", rest @ ..] => compile_bench::run(rest),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage:
  cargo xtask codegen [--check]          regenerate generated/ from schema/ (--check: write nothing, fail if stale)
  cargo xtask api-diff OLD NEW [--json]  what the generated public API gains, loses or changes (last line: api change: breaking|additive|none)
  cargo xtask import [--check]           write schema/jdcloud-<service>.yaml from schema/docs/<service>/ and schema/corrections/<service>.yaml
  cargo xtask generate SPEC --out DIR [--runtime workspace|vendor|VERSION]
                                         write a standalone crate for any OpenAPI 3.0/3.1 spec (runtime by
                                         relative path inside this workspace, copied into DIR elsewhere)
  cargo xtask corpus [--small]           generate the fixtures and every spec in ../shared/specs, clippy and test them
  cargo xtask compile-bench [--runs N] [--no-build] [--spec SPEC]
                                         time cargo check/build of our crate for SPEC (default oxide-nexus) against
                                         progenitor 0.15.1's, interleaved A/B, medians and ratios";

/// The workspace root (the parent of `xtask/`).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
