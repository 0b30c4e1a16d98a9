//! `cargo xtask codegen [--check]` and `cargo xtask generate`.
//!
//! Each `schema/<stem>.yaml` (or `.yml`, `.json`) becomes the module tree
//! `generated/src/<stem_in_snake_case>/`. Every spec is generated in memory first; only when
//! all succeeded is anything written, and then only the files whose bytes changed. A write
//! then reports what each spec's edit since git `HEAD` does to the public API.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::api_diff;
use crate::plan::{self, Change};
use crate::workspace_root;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

pub fn run(mode: Mode) -> Result<(), String> {
    run_in(&workspace_root(), mode)
}

/// `codegen` for the workspace at `root` (reads `root/schema`, writes `root/generated/src`).
fn run_in(root: &Path, mode: Mode) -> Result<(), String> {
    let started = Instant::now();
    let mut files = BTreeMap::new();
    let specs = specs_in(&root.join("schema"))?;
    for spec in &specs {
        let module = module_name(spec)?;
        for (path, contents) in generate(spec)? {
            files.insert(format!("{module}/{path}"), contents);
        }
    }
    // Planned over all of generated/src, so the files of a spec that was deleted from
    // schema/ are found and removed too; hand-written files lack the marker and are kept.
    let changes = plan::plan(&root.join("generated/src"), &files)?;
    let stale = changes
        .values()
        .filter(|c| **c != Change::Unchanged)
        .count();
    match mode {
        Mode::Write => {
            plan::apply(&changes)?;
            report(root, &changes);
            println!("{}", api_diff::codegen_summary(root, &specs));
            println!(
                "codegen: {} file(s), {stale} changed, in {:.2?}",
                changes.len(),
                started.elapsed()
            );
            Ok(())
        }
        Mode::Check if stale == 0 => {
            println!(
                "codegen --check: {} generated file(s) up to date ({:.2?})",
                changes.len(),
                started.elapsed()
            );
            Ok(())
        }
        Mode::Check => {
            print_diff(root, &changes);
            Err(format!(
                "{stale} generated file(s) are out of date; run `cargo xtask codegen` and commit the result"
            ))
        }
    }
}

/// The committed crates get the `call` module (their `call` example and wire tests use it).
fn generate(spec: &Path) -> Result<BTreeMap<String, String>, String> {
    let settings = sdkgen::Settings::default().call_module(true);
    let generated = sdkgen::generate_file(spec, &settings).map_err(|e| e.to_string())?;
    print_warnings(spec, &generated.warnings);
    Ok(generated.files)
}

pub fn print_warnings(spec: &Path, warnings: &[sdkgen::Warning]) {
    for warning in warnings {
        eprintln!("warning: {}: {warning}", spec.display());
    }
}

/// The specs under `dir`, sorted so output order never depends on the file system.
pub fn specs_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("listing {}: {e}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("listing {}: {e}", dir.display()))?
            .path();
        let is_spec = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json");
        if path.is_file() && is_spec {
            specs.push(path);
        }
    }
    specs.sort();
    if specs.is_empty() {
        return Err(format!(
            "no spec (*.yaml, *.yml, *.json) in {}",
            dir.display()
        ));
    }
    Ok(specs)
}

fn stem(spec: &Path) -> Result<&str, String> {
    spec.file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("{}: the file name is not valid UTF-8", spec.display()))
}

/// `jdcloud-vm.yaml` -> `jdcloud_vm`.
fn module_name(spec: &Path) -> Result<String, String> {
    Ok(identifier_from(stem(spec)?, '_'))
}

/// `api.github.com.json` -> `api-github-com`.
pub fn crate_name(spec: &Path) -> Result<String, String> {
    Ok(identifier_from(stem(spec)?, '-'))
}

fn identifier_from(stem: &str, separator: char) -> String {
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                separator
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api");
        name.insert(3, separator);
    }
    name
}

fn relative<'a>(root: &Path, path: &'a Path) -> std::borrow::Cow<'a, str> {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy()
}

fn report(root: &Path, changes: &BTreeMap<PathBuf, Change>) {
    for (path, change) in changes {
        let verb = match change {
            Change::Unchanged => "unchanged",
            Change::Written { .. } => "written  ",
            Change::Removed { .. } => "removed  ",
        };
        println!("  {verb} {}", relative(root, path));
    }
}

fn print_diff(root: &Path, changes: &BTreeMap<PathBuf, Change>) {
    for (path, change) in changes {
        let name = relative(root, path);
        let (old, new, what) = match change {
            Change::Unchanged => continue,
            Change::Written { old: None, new } => ("", new.as_str(), "missing"),
            Change::Written {
                old: Some(old),
                new,
            } => (old.as_str(), new.as_str(), "stale"),
            Change::Removed { old } => (old.as_str(), "", "orphaned (its source is gone)"),
        };
        println!("{name}: {what}");
        let diff = similar::TextDiff::from_lines(old, new);
        print!(
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD_SPEC: &str = "openapi: 3.0.3
info: {title: Good, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
";

    /// A scratch workspace with `schema/` holding the given specs.
    fn workspace(name: &str, specs: &[(&str, &str)]) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("xtask-codegen-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("schema")).unwrap();
        fs::create_dir_all(root.join("generated/src")).unwrap();
        for (file, text) in specs {
            fs::write(root.join("schema").join(file), text).unwrap();
        }
        root
    }

    fn files_under(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(files_under(&path));
            } else {
                found.push(path);
            }
        }
        found
    }

    #[test]
    fn a_spec_error_writes_nothing_and_names_the_place() {
        let root = workspace(
            "broken",
            &[
                ("a-good.yaml", GOOD_SPEC),
                ("b-bad.yaml", "openapi: [3.0\n"),
            ],
        );
        let error = run_in(&root, Mode::Write).unwrap_err();
        assert!(
            error.contains("b-bad.yaml:2:1:"),
            "names file:line:column: {error}"
        );
        assert!(
            files_under(&root.join("generated/src")).is_empty(),
            "the good spec was not written either"
        );
    }

    #[test]
    fn check_writes_nothing_and_fails_until_codegen_ran() {
        let root = workspace("check", &[("good.yaml", GOOD_SPEC)]);
        let error = run_in(&root, Mode::Check).unwrap_err();
        assert!(error.contains("out of date"), "{error}");
        assert!(files_under(&root.join("generated/src")).is_empty());

        run_in(&root, Mode::Write).unwrap();
        assert!(root.join("generated/src/good/mod.rs").exists());
        run_in(&root, Mode::Check).unwrap();

        fs::remove_file(root.join("schema/good.yaml")).unwrap();
        fs::write(root.join("schema/other.yaml"), GOOD_SPEC).unwrap();
        fs::write(root.join("generated/src/lib.rs"), "// hand-written\n").unwrap();
        assert!(
            run_in(&root, Mode::Check).is_err(),
            "the removed spec's files are orphans"
        );
        run_in(&root, Mode::Write).unwrap();
        assert!(!root.join("generated/src/good").exists(), "orphans removed");
        assert!(root.join("generated/src/other/mod.rs").exists());
        assert_eq!(
            fs::read_to_string(root.join("generated/src/lib.rs")).unwrap(),
            "// hand-written\n"
        );
    }

    #[test]
    fn names_follow_the_spec_file() {
        assert_eq!(
            module_name(Path::new("schema/jdcloud-vm.yaml")).unwrap(),
            "jdcloud_vm"
        );
        assert_eq!(
            crate_name(Path::new("x/api.github.com.json")).unwrap(),
            "api-github-com"
        );
        assert_eq!(
            crate_name(Path::new("x/3d-Models.yaml")).unwrap(),
            "api-3d-models"
        );
    }
}
