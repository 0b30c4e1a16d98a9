//! `cargo xtask corpus [--small]`: proof that generated code works, not only that it parses.
//!
//! One scratch workspace (`target/corpus/`) receives, as one crate each:
//! - every generator fixture `generator/tests/fixtures/<name>.yaml` (crate `fixture-<name>`),
//!   with its hand-written round-trip tests `generator/tests/roundtrip/<name>.rs` copied in as
//!   `tests/roundtrip.rs`: they run the emitted serde code and client through the crate's
//!   public API (against a local HTTP server for operations);
//! - every spec in `../shared/specs/` (OpenAPI 3.0) and `../shared/specs31/` (3.1), `--small`:
//!   those up to 100 kB.
//!
//! Then `cargo clippy --workspace --all-targets -- -D warnings` (any warning or lint in
//! generated code fails) and `cargo test --workspace` (the round trips, and the doc comments
//! as doctests). One workspace and one target directory, so dependencies build once.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use crate::codegen::{crate_name, specs_in};
use crate::standalone::{self, Runtime};
use crate::{plan, workspace_root};

/// The shared corpus: real OpenAPI 3.0 specs, and real 3.1 ones.
const CORPUS_DIRS: [&str; 2] = ["../shared/specs", "../shared/specs31"];

/// Specs up to this size count as small; CI checks those (the large ones take minutes).
const SMALL_SPEC_BYTES: u64 = 100_000;

/// Appended to each fixture crate's `Cargo.toml` by the corpus, not by
/// `sdkgen::standalone_crate`, which writes what users get: only the round-trip tests need
/// JSON literals and an async test runtime.
const FIXTURE_DEV_DEPENDENCIES: &str = r#"
# Added by `cargo xtask corpus` for the round-trip tests in tests/.
[dev-dependencies]
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt"] }
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Small,
}

pub fn run(scope: Scope) -> Result<(), String> {
    let started = Instant::now();
    let root = workspace_root();
    let scratch = root.join("target/corpus");
    let roundtrip_dir = root.join("generator/tests/roundtrip");
    let roundtrips = roundtrip_tests(&roundtrip_dir)?;
    let support_path = roundtrip_dir.join("support/mod.rs");
    let support = fs::read_to_string(&support_path)
        .map_err(|e| format!("reading {}: {e}", support_path.display()))?;
    let mut members = Vec::new();
    for fixture in specs_in(&root.join("generator/tests/fixtures"))? {
        members.push(write_fixture_crate(
            &fixture,
            &scratch,
            &roundtrips,
            &support,
        )?);
    }
    check_every_test_has_a_fixture(&roundtrips, &members)?;
    for dir in CORPUS_DIRS {
        for spec in corpus_specs(&root.join(dir), scope)? {
            let name = crate_name(&spec)?;
            let dir = scratch.join(&name);
            write_crate(
                &dir,
                &standalone::crate_files(&spec, &name, &dir, &Runtime::Workspace)?,
            )?;
            members.push(name);
        }
    }
    write_workspace(&root, &scratch, &members)?;
    println!(
        "corpus: {} crates generated in {:.2?}",
        members.len(),
        started.elapsed()
    );
    clippy(&scratch)?;
    test(&scratch)?;
    moved_crate_builds(&root)?;
    println!("corpus: done in {:.2?}", started.elapsed());
    Ok(())
}

/// The round-trip test files by fixture name (`enums.rs` -> `enums`).
fn roundtrip_tests(dir: &Path) -> Result<BTreeMap<String, PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("listing {}: {e}", dir.display()))?;
    let mut tests = BTreeMap::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("listing {}: {e}", dir.display()))?
            .path();
        let stem = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned);
        if let (Some(stem), true) = (stem, path.extension().is_some_and(|ext| ext == "rs")) {
            tests.insert(stem, path);
        }
    }
    Ok(tests)
}

/// Generates fixture `spec` as crate `fixture-<name>`, with the dev-dependencies and the
/// round-trip test it needs (and the tests' shared `support` module); returns the crate's name.
fn write_fixture_crate(
    spec: &Path,
    scratch: &Path,
    roundtrips: &BTreeMap<String, PathBuf>,
    support: &str,
) -> Result<String, String> {
    let fixture = crate_name(spec)?;
    let name = format!("fixture-{fixture}");
    let dir = scratch.join(&name);
    let mut files = standalone::crate_files(spec, &name, &dir, &Runtime::Workspace)?;
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str(FIXTURE_DEV_DEPENDENCIES);
    }
    write_crate(&dir, &files)?;
    let test = roundtrips
        .get(&fixture)
        .map(|source| {
            fs::read_to_string(source).map_err(|e| format!("reading {}: {e}", source.display()))
        })
        .transpose()?;
    sync_test(&dir.join("tests/roundtrip.rs"), test.as_deref())?;
    sync_test(
        &dir.join("tests/support/mod.rs"),
        test.as_ref().map(|_| support),
    )?;
    Ok(name)
}

/// A round-trip test whose fixture is gone (or misspelt) would silently never run.
fn check_every_test_has_a_fixture(
    roundtrips: &BTreeMap<String, PathBuf>,
    members: &[String],
) -> Result<(), String> {
    for (fixture, path) in roundtrips {
        if !members.contains(&format!("fixture-{fixture}")) {
            return Err(format!(
                "{} has no fixture generator/tests/fixtures/{fixture}.yaml",
                path.display()
            ));
        }
    }
    Ok(())
}

/// Writes the crate's generated files where their bytes changed (unchanged files keep their
/// modification time, so cargo does not rebuild them).
fn write_crate(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    plan::apply(&plan::plan(dir, files)?)
}

/// The copied test is hand-written (no `@generated` line), so the plan leaves it alone:
/// it is written here when it changed and removed when its source is gone.
fn sync_test(path: &Path, contents: Option<&str>) -> Result<(), String> {
    let current = fs::read_to_string(path).ok();
    match contents {
        Some(new) if current.as_deref() != Some(new) => {
            let parent = path.parent().unwrap_or(path);
            fs::create_dir_all(parent)
                .map_err(|e| format!("creating {}: {e}", parent.display()))?;
            fs::write(path, new).map_err(|e| format!("writing {}: {e}", path.display()))
        }
        None if current.is_some() => {
            fs::remove_file(path).map_err(|e| format!("removing {}: {e}", path.display()))
        }
        _ => Ok(()),
    }
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

/// Lints every target of every crate; any warning, from clippy, rustc or cargo, fails.
fn clippy(scratch: &Path) -> Result<(), String> {
    let started = Instant::now();
    let output = cargo(
        scratch,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--message-format",
            "short",
            "--",
            "-D",
            "warnings",
        ],
    )?;
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
            "the corpus is not clippy-clean: {} diagnostic line(s)",
            diagnostics.len()
        ));
    }
    println!("corpus: cargo clippy clean in {:.2?}", started.elapsed());
    Ok(())
}

/// Runs the round-trip tests (and every crate's doctests); prints the ignored ones, which
/// stand for known generator bugs.
fn test(scratch: &Path) -> Result<(), String> {
    let started = Instant::now();
    let output = cargo(
        scratch,
        &[
            "test",
            "--workspace",
            "--no-fail-fast",
            "--message-format",
            "short",
        ],
    )?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        print!("{stdout}");
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        return Err("the corpus tests failed".to_owned());
    }
    let mut totals = [0u64; 2];
    for line in stdout.lines() {
        if line.contains(" ... ignored") {
            println!("  {}", line.trim_start_matches("test "));
        }
        if let Some(summary) = line.strip_prefix("test result: ok. ") {
            for (total, what) in totals.iter_mut().zip(["passed", "ignored"]) {
                *total += count(summary, what);
            }
        }
    }
    println!(
        "corpus: cargo test: {} passed, {} ignored, in {:.2?}",
        totals[0],
        totals[1],
        started.elapsed()
    );
    Ok(())
}

/// A crate generated with the runtime vendored, then copied outside the workspace, builds
/// there on its own (offline, locked to the project's versions, with the project's target
/// directory so dependencies are reused): nothing in it points back into the checkout.
fn moved_crate_builds(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let spec = root.join("generator/tests/fixtures/operations.yaml");
    let generated_in = root.join("target/standalone");
    let files = standalone::crate_files(&spec, "standalone", &generated_in, &Runtime::Vendor)?;
    let moved_to = std::env::temp_dir().join(format!("sdkgen-standalone-{}", std::process::id()));
    let _ = fs::remove_dir_all(&moved_to);
    write_crate(&moved_to, &files)?;
    fs::copy(root.join("Cargo.lock"), moved_to.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let output = cargo(
        &moved_to,
        &["build", "--offline", "--message-format", "short"],
    )?;
    let _ = fs::remove_dir_all(&moved_to);
    if !output.status.success() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        return Err("a generated crate with its runtime vendored does not build elsewhere".into());
    }
    println!(
        "corpus: a vendored crate moved out of the workspace builds ({:.2?})",
        started.elapsed()
    );
    Ok(())
}

/// `N` from the `N what` item of a test summary such as `3 passed; 0 failed; 1 ignored; ...`.
fn count(summary: &str, what: &str) -> u64 {
    summary
        .split(';')
        .filter_map(|item| item.trim().strip_suffix(what))
        .filter_map(|number| number.trim().parse::<u64>().ok())
        .sum()
}

/// Runs cargo in the scratch workspace with the project's target directory (cargo releases
/// its lock while `cargo xtask` runs), so dependencies the project's own build compiled are
/// reused: `CARGO_TARGET_DIR` if set, else `target/`.
fn cargo(scratch: &Path, args: &[&str]) -> Result<Output, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let mut command = Command::new(cargo);
    for (key, _) in std::env::vars() {
        if is_package_env(&key) {
            command.env_remove(key);
        }
    }
    command
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("running cargo {}: {e}", args.join(" ")))
}

/// What `cargo run` tells xtask about its own package. Build scripts such as ring's rerun
/// when these change, so the inner cargo must not see them: it then finds the builds made
/// from a shell fresh instead of rebuilding ring, rustls and all that depends on them.
pub(crate) fn is_package_env(key: &str) -> bool {
    key.starts_with("CARGO_PKG_")
        || matches!(
            key,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_test_follows_its_source() {
        let dir = std::env::temp_dir().join(format!("xtask-corpus-{}", std::process::id()));
        let path = dir.join("tests/roundtrip.rs");
        sync_test(&path, Some("#[test]\nfn a() {}\n")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "#[test]\nfn a() {}\n");
        sync_test(&path, Some("// changed\n")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "// changed\n");
        sync_test(&path, None).unwrap();
        assert!(!path.exists());
        sync_test(&path, None).unwrap();
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn counts_test_summary_items() {
        let summary =
            "12 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(count(summary, "passed"), 12);
        assert_eq!(count(summary, "ignored"), 2);
        assert_eq!(count(summary, "failed"), 0);
    }
}
