//! `cargo xtask generate SPEC --out DIR [--runtime workspace|vendor|VERSION]`: any spec to a
//! standalone crate that builds wherever it is put.
//!
//! The crate depends on `sdkgen-runtime` in one of three ways:
//! - `workspace` (the default when DIR is inside this workspace): a path relative to DIR, so
//!   the crate keeps building when the checkout moves;
//! - `vendor` (the default elsewhere): a copy of the runtime in `DIR/sdkgen-runtime/`, with
//!   the workspace's inherited settings written out, so the crate builds on its own;
//! - a version requirement (`0.1`), for a registry that has the runtime.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::codegen::{crate_name, print_warnings};
use crate::{plan, workspace_root};

/// The vendored runtime's directory inside the generated crate.
const VENDOR_DIR: &str = "sdkgen-runtime";

/// The first line of every vendored file, so a later `generate` may replace it.
const VENDORED: &str = "@generated: copied from sdkgen-runtime by `cargo xtask generate --runtime vendor`; do not edit";

/// How the generated crate depends on the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// By a path relative to the crate, into this workspace.
    Workspace,
    /// By a copy inside the crate.
    Vendor,
    /// By a version requirement.
    Version(String),
}

impl Runtime {
    /// `--runtime`'s argument.
    pub fn parse(arg: &str) -> Result<Runtime, String> {
        match arg {
            "workspace" => Ok(Runtime::Workspace),
            "vendor" => Ok(Runtime::Vendor),
            version if version.starts_with(|c: char| c.is_ascii_digit() || "=^~<>".contains(c)) => {
                Ok(Runtime::Version(version.to_owned()))
            }
            other => Err(format!(
                "--runtime `{other}`: expected `workspace`, `vendor` or a version requirement"
            )),
        }
    }

    /// The default for a crate written to `out`: `workspace` inside this workspace, else
    /// `vendor`.
    pub fn default_for(out: &Path) -> Result<Runtime, String> {
        Ok(if absolute(out)?.starts_with(workspace_root()) {
            Runtime::Workspace
        } else {
            Runtime::Vendor
        })
    }
}

/// `cargo xtask generate`.
pub fn run(spec: &Path, out: &Path, runtime: Option<Runtime>) -> Result<(), String> {
    let started = Instant::now();
    let name = crate_name(spec)?;
    let runtime = match runtime {
        Some(runtime) => runtime,
        None => Runtime::default_for(out)?,
    };
    let files = crate_files(spec, &name, out, &runtime)?;
    plan::apply(&plan::plan(out, &files)?)?;
    println!(
        "generate: crate `{name}` in {} ({} files, runtime: {runtime:?}) in {:.2?}",
        out.display(),
        files.len(),
        started.elapsed()
    );
    Ok(())
}

/// The files of crate `name` generated from `spec`, to be written to `out` (relative path ->
/// contents), depending on the runtime as `runtime` says.
pub fn crate_files(
    spec: &Path,
    name: &str,
    out: &Path,
    runtime: &Runtime,
) -> Result<BTreeMap<String, String>, String> {
    // The crate re-exports the tree at its root, so doc examples reach it by the crate's name.
    let settings = sdkgen::Settings::default().crate_path(name.replace('-', "_"));
    let generated = sdkgen::generate_file(spec, &settings).map_err(|e| e.to_string())?;
    print_warnings(spec, &generated.warnings);
    let mut vendored = BTreeMap::new();
    let dependency = match runtime {
        Runtime::Workspace => {
            let path = relative_path(&absolute(out)?, &runtime_dir());
            sdkgen::RuntimeDependency::Path(path.display().to_string())
        }
        Runtime::Vendor => {
            vendored = vendored_runtime()?;
            sdkgen::RuntimeDependency::Path(VENDOR_DIR.to_owned())
        }
        Runtime::Version(version) => sdkgen::RuntimeDependency::Version(version.clone()),
    };
    let mut files = sdkgen::standalone_crate(&generated, name, &dependency);
    files.extend(vendored);
    Ok(files)
}

fn runtime_dir() -> PathBuf {
    workspace_root().join("generator/runtime")
}

/// `path` made absolute against the current directory, `.` and `..` resolved by name (the
/// directory may not exist yet; symbolic links are not followed).
fn absolute(path: &Path) -> Result<PathBuf, String> {
    let path =
        std::path::absolute(path).map_err(|e| format!("resolving {}: {e}", path.display()))?;
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    Ok(normal)
}

/// The path from directory `from` to `to`, both absolute and normalised.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = from[common..].iter().map(|_| "..").collect();
    path.extend(&to[common..]);
    path
}

/// The runtime's sources under `sdkgen-runtime/`, and a manifest with what it inherits from
/// this workspace written out (read from `cargo metadata`, which resolves the inheritance).
fn vendored_runtime() -> Result<BTreeMap<String, String>, String> {
    let dir = runtime_dir();
    if dir.join("build.rs").exists() {
        return Err("the runtime has a build script, which vendoring does not copy".into());
    }
    let mut files = BTreeMap::new();
    files.insert(
        format!("{VENDOR_DIR}/Cargo.toml"),
        vendored_manifest(&runtime_metadata()?)?,
    );
    for path in crate::plan::files_under(&dir.join("src"))? {
        let relative = path
            .strip_prefix(&dir)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let relative = relative.display().to_string().replace('\\', "/");
        if !relative.ends_with(".rs") {
            return Err(format!(
                "cannot vendor the runtime's {relative}: only Rust sources are copied"
            ));
        }
        let source =
            fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        files.insert(
            format!("{VENDOR_DIR}/{relative}"),
            format!("// {VENDORED}\n{source}"),
        );
    }
    // `files_under` treats a missing folder as empty; a runtime without its root is an error.
    if !files.contains_key(&format!("{VENDOR_DIR}/src/lib.rs")) {
        return Err(format!("no src/lib.rs under {}", dir.display()));
    }
    Ok(files)
}

/// `cargo metadata`'s description of the `sdkgen-runtime` package.
fn runtime_metadata() -> Result<Value, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("running cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("reading cargo metadata: {e}"))?;
    metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == "sdkgen-runtime"))
        .cloned()
        .ok_or_else(|| "cargo metadata lists no sdkgen-runtime package".to_owned())
}

/// The runtime's manifest, standing alone: package settings, features, and its normal and
/// build dependencies (not dev-dependencies: the tests are not copied).
fn vendored_manifest(package: &Value) -> Result<String, String> {
    let text = |key: &str| package[key].as_str().map(toml_string);
    let mut manifest = format!("# {VENDORED}\n[package]\nname = \"sdkgen-runtime\"\n");
    for key in [
        "version",
        "edition",
        "rust_version",
        "description",
        "license",
    ] {
        if let Some(value) = text(key) {
            manifest.push_str(&format!("{} = {value}\n", key.replace('_', "-")));
        }
    }
    manifest.push_str("publish = false\n");
    if let Some(features) = package["features"].as_object().filter(|f| !f.is_empty()) {
        manifest.push_str("\n[features]\n");
        for (name, enables) in features {
            manifest.push_str(&format!(
                "{} = {}\n",
                toml_string(name),
                toml_strings(enables)
            ));
        }
    }
    let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for dependency in package["dependencies"].as_array().into_iter().flatten() {
        let kind = match dependency["kind"].as_str() {
            None => "dependencies",
            Some("build") => "build-dependencies",
            Some(_) => continue,
        };
        let section = match dependency["target"].as_str() {
            Some(target) => format!("target.{}.{kind}", toml_string(target)),
            None => kind.to_owned(),
        };
        sections
            .entry(section)
            .or_default()
            .push(dependency_line(dependency)?);
    }
    for (section, lines) in sections {
        manifest.push_str(&format!("\n[{section}]\n{}\n", lines.join("\n")));
    }
    Ok(manifest)
}

/// `name = { version = "...", ... }` for one `cargo metadata` dependency.
fn dependency_line(dependency: &Value) -> Result<String, String> {
    let name = dependency["name"].as_str().unwrap_or_default();
    if dependency["path"].is_string() || !dependency["source"].is_string() {
        return Err(format!(
            "the runtime depends on `{name}` by path; vendoring copies registry dependencies only"
        ));
    }
    let mut keys = vec![format!(
        "version = {}",
        toml_string(dependency["req"].as_str().unwrap_or("*"))
    )];
    let key = match dependency["rename"].as_str() {
        Some(rename) => {
            keys.push(format!("package = {}", toml_string(name)));
            rename
        }
        None => name,
    };
    if dependency["uses_default_features"] == false {
        keys.push("default-features = false".into());
    }
    if dependency["features"]
        .as_array()
        .is_some_and(|f| !f.is_empty())
    {
        keys.push(format!(
            "features = {}",
            toml_strings(&dependency["features"])
        ));
    }
    if dependency["optional"] == true {
        keys.push("optional = true".into());
    }
    Ok(format!("{key} = {{ {} }}", keys.join(", ")))
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn toml_strings(values: &Value) -> String {
    let items: Vec<String> = values
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(toml_string)
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn petstore() -> PathBuf {
        workspace_root().join("generator/tests/fixtures/operations.yaml")
    }

    #[test]
    fn relative_paths_climb_to_the_common_parent() {
        let path = relative_path(Path::new("/w/target/x"), Path::new("/w/generator/runtime"));
        assert_eq!(path, Path::new("../../generator/runtime"));
        assert_eq!(
            relative_path(Path::new("/a"), Path::new("/a/b")),
            Path::new("b")
        );
    }

    #[test]
    fn inside_the_workspace_the_runtime_is_a_relative_path() {
        let out = workspace_root().join("target/some/crate");
        assert_eq!(Runtime::default_for(&out), Ok(Runtime::Workspace));
        let files = crate_files(&petstore(), "petstore", &out, &Runtime::Workspace).unwrap();
        let manifest = &files["Cargo.toml"];
        assert!(
            manifest.contains("sdkgen-runtime = { path = \"../../../generator/runtime\" }"),
            "{manifest}"
        );
        let resolved = absolute(&out.join("../../../generator/runtime")).unwrap();
        assert!(
            resolved.join("Cargo.toml").is_file(),
            "{}",
            resolved.display()
        );
    }

    #[test]
    fn elsewhere_the_runtime_is_copied_into_the_crate() {
        let out = std::env::temp_dir().join("sdkgen-standalone");
        assert_eq!(Runtime::default_for(&out), Ok(Runtime::Vendor));
        let files = crate_files(&petstore(), "petstore", &out, &Runtime::Vendor).unwrap();
        assert!(files["Cargo.toml"].contains("sdkgen-runtime = { path = \"sdkgen-runtime\" }"));
        let manifest = &files["sdkgen-runtime/Cargo.toml"];
        assert!(!manifest.contains("workspace"), "{manifest}");
        assert!(manifest.contains("edition = \"2024\""), "{manifest}");
        assert!(manifest.contains("\n[dependencies]\n"), "{manifest}");
        assert!(!manifest.contains("dev-dependencies"), "{manifest}");
        let lib = &files["sdkgen-runtime/src/lib.rs"];
        assert!(plan::is_generated(lib), "{lib}");
        let original = fs::read_to_string(runtime_dir().join("src/lib.rs")).unwrap();
        assert!(lib.ends_with(&original));
    }

    #[test]
    fn a_version_is_written_as_a_requirement() {
        let runtime = Runtime::parse("0.1").unwrap();
        let files = crate_files(&petstore(), "petstore", Path::new("/tmp/x"), &runtime).unwrap();
        assert!(files["Cargo.toml"].contains("sdkgen-runtime = \"0.1\"\n"));
        assert!(!files.keys().any(|path| path.starts_with(VENDOR_DIR)));
        assert!(Runtime::parse("copy").is_err());
    }
}
