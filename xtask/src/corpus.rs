//! `cargo xtask corpus [--small]`: the generator's generality check. Every spec in
//! `../shared/specs/` becomes a crate in one scratch workspace (`target/corpus/`), which is
//! then `cargo check`ed once, so the dependencies build once for all of them. Any compiler
//! error or warning in generated code fails the run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::codegen::{crate_name, generate_standalone};
use crate::workspace_root;

/// Specs up to this size count as small; CI checks those (the large ones take minutes).
const SMALL_SPEC_BYTES: u64 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Small,
}

pub fn run(scope: Scope) -> Result<(), String> {
    let root = workspace_root();
    let specs_dir = root.join("../shared/specs");
    let scratch = root.join("target/corpus");
    let mut members = Vec::new();
    for spec in corpus_specs(&specs_dir, scope)? {
        let name = crate_name(&spec)?;
        generate_standalone(&spec, &scratch.join(&name))?;
        members.push(name);
    }
    write_workspace(&root, &scratch, &members)?;
    check(&root, &scratch)
}

fn corpus_specs(dir: &Path, scope: Scope) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("listing {}: {e}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("listing {}: {e}", dir.display()))?;
        let path = entry.path();
        let is_spec = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json");
        let size = entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
        if is_spec && (scope == Scope::All || size <= SMALL_SPEC_BYTES) {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// One workspace for all crates, locked to the project's own dependency versions.
fn write_workspace(root: &Path, scratch: &Path, members: &[String]) -> Result<(), String> {
    let members: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    fs::write(scratch.join("Cargo.toml"), manifest)
        .map_err(|e| format!("writing the corpus workspace: {e}"))?;
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    Ok(())
}

/// Shares the project's target directory (cargo releases its lock while `cargo xtask` runs),
/// so dependencies built by the project's own build are reused.
fn check(root: &Path, scratch: &Path) -> Result<(), String> {
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--message-format",
            "short",
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .map_err(|e| format!("running cargo check: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let diagnostics: Vec<&str> = stderr
        .lines()
        .filter(|line| {
            line.contains("warning:") || line.contains("error:") || line.contains("error[")
        })
        .collect();
    for line in &diagnostics {
        eprintln!("{line}");
    }
    if !output.status.success() || !diagnostics.is_empty() {
        return Err(format!(
            "the corpus does not check cleanly: {} diagnostic line(s)",
            diagnostics.len()
        ));
    }
    println!("corpus: cargo check clean in {:.2?}", started.elapsed());
    Ok(())
}
