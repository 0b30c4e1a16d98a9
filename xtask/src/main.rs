//! The project's task runner: `cargo xtask <command>`.
//!
//! - `codegen [--check]`: regenerate `generated/src/<spec>/` from every spec in `schema/`.
//! - `generate SPEC --out DIR [--runtime workspace|vendor|VERSION]`: any OpenAPI 3.0 spec to a
//!   standalone crate (see [`standalone`] for how it finds the runtime).
//! - `corpus [--small]`: generate the generator's fixtures (with their round-trip tests) and
//!   every spec in `../shared/specs/` into one scratch workspace, then `cargo clippy` it
//!   (failing on any warning) and `cargo test` it.

mod codegen;
mod corpus;
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
        ["corpus"] => corpus::run(corpus::Scope::All),
        ["corpus", "--small"] => corpus::run(corpus::Scope::Small),
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
  cargo xtask generate SPEC --out DIR [--runtime workspace|vendor|VERSION]
                                         write a standalone crate for any OpenAPI 3.0 spec (runtime by
                                         relative path inside this workspace, copied into DIR elsewhere)
  cargo xtask corpus [--small]           generate the fixtures and every spec in ../shared/specs, clippy and test them";

/// The workspace root (the parent of `xtask/`).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
