//! `cargo xtask api-diff OLD NEW [--json]`, and the API summary `cargo xtask codegen` prints:
//! each spec in `schema/` against its version committed in git (`HEAD`), and the generated
//! crate's next version.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use sdkgen::surface;
use sdkgen::surface::diff::{self, ApiDiff};
use sdkgen::surface::semver::{Bump, Version};

/// Prints what changes in the generated public API from `old` to `new`, as text (the last line
/// is `api change: <class>`) or as JSON. The class never fails the command.
pub fn run(old: &Path, new: &Path, json: bool) -> Result<(), String> {
    let diff = compare_files(old, new)?;
    let text = if json {
        serde_json::to_string_pretty(&diff).map_err(|e| format!("JSON: {e}"))?
    } else {
        diff.to_string()
    };
    match writeln!(std::io::stdout().lock(), "{text}") {
        // A reader that stopped early (`| head`) wanted no more.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(()),
    }
}

fn compare_files(old: &Path, new: &Path) -> Result<ApiDiff, String> {
    let before = surface::from_file(old).map_err(|e| e.to_string())?;
    let after = surface::from_file(new).map_err(|e| e.to_string())?;
    Ok(diff::compare(&before, &after))
}

/// What `codegen` knows of one spec's API change.
enum Baseline {
    /// Compared with the committed version.
    Compared(ApiDiff),
    /// Nothing to compare with, and why.
    Missing(String),
}

/// The report `codegen` prints after writing: per spec, the API change since `HEAD`; then the
/// crate's version and the one the largest change asks for. Never fails: a spec without a
/// committed version, a checkout without git or an unreadable manifest is said in a line.
pub fn codegen_summary(root: &Path, specs: &[std::path::PathBuf]) -> String {
    let mut out = String::from("api change since git HEAD:\n");
    let mut bump = Some(Bump::None);
    for spec in specs {
        // Git paths use `/` whatever the platform.
        let name = spec
            .strip_prefix(root)
            .unwrap_or(spec)
            .to_string_lossy()
            .replace('\\', "/");
        let _ = writeln!(out, "  {name}");
        match baseline(root, spec, &name) {
            Baseline::Compared(diff) => {
                for line in diff.to_string().lines() {
                    let _ = writeln!(out, "    {line}");
                }
                bump = bump.map(|b| b.max(Bump::of(&diff)));
            }
            Baseline::Missing(why) => {
                let _ = writeln!(out, "    api change: unknown ({why})");
                bump = None;
            }
        }
    }
    out.push_str(&version_line(&crate_version(root), bump));
    out
}

/// The generated crate's manifest, relative to the workspace root.
const MANIFEST: &str = "generated/Cargo.toml";

/// The generated crate's name and version, and where they were read.
struct CrateVersion {
    name: String,
    version: Version,
    /// `as committed at git HEAD`, or why the working tree's manifest was read.
    source: &'static str,
    /// The working tree's version, when it differs from the committed one.
    working: Option<Version>,
}

/// The version the change is measured from: the one committed at `HEAD`, so a version already
/// bumped in the working tree is not bumped a second time; the working tree's without one.
fn crate_version(root: &Path) -> Result<CrateVersion, String> {
    let path = root.join(MANIFEST);
    let working = fs::read_to_string(&path)
        .map_err(|e| format!("reading {}: {e}", path.display()))
        .and_then(|text| package_version(&text, &path.display().to_string()));
    match committed_text(root, MANIFEST) {
        Ok(text) => {
            let (name, version) = package_version(&text, &format!("HEAD:{MANIFEST}"))?;
            let working = working.ok().map(|(_, v)| v).filter(|v| *v != version);
            Ok(CrateVersion {
                name,
                version,
                source: "as committed at git HEAD",
                working,
            })
        }
        Err(_) => working.map(|(name, version)| CrateVersion {
            name,
            version,
            source: "working tree, nothing committed",
            working: None,
        }),
    }
}

fn baseline(root: &Path, spec: &Path, name: &str) -> Baseline {
    let committed = match committed_text(root, name) {
        Ok(text) => text,
        Err(why) => return Baseline::Missing(why),
    };
    let before = match surface::from_str(&format!("HEAD:{name}"), &committed) {
        Ok(surface) => surface,
        Err(e) => return Baseline::Missing(format!("the committed version does not load: {e}")),
    };
    match surface::from_file(spec) {
        Ok(after) => Baseline::Compared(diff::compare(&before, &after)),
        Err(e) => Baseline::Missing(e.to_string()),
    }
}

/// The spec's text at `HEAD`, or why there is none.
fn committed_text(root: &Path, name: &str) -> Result<String, String> {
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).output();
    let head = git(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        .map_err(|e| format!("git is not available: {e}"))?;
    if !head.status.success() {
        return Err("not a git checkout with a commit; nothing to compare with".to_owned());
    }
    let shown = git(&["show", &format!("HEAD:./{name}")])
        .map_err(|e| format!("git is not available: {e}"))?;
    if !shown.status.success() {
        return Err(format!("{name} has no committed version (a new spec)"));
    }
    String::from_utf8(shown.stdout).map_err(|_| format!("HEAD:{name} is not UTF-8"))
}

/// `jdcloud-vm 0.1.0 (as committed at git HEAD) -> 0.1.1: ...`, or why no version is
/// suggested.
fn version_line(found: &Result<CrateVersion, String>, bump: Option<Bump>) -> String {
    let found = match found {
        Ok(found) => found,
        Err(why) => return format!("next version: not suggested ({why})"),
    };
    let (name, version, source) = (&found.name, found.version, found.source);
    let Some(bump) = bump else {
        return format!(
            "{name} {version} ({source}): next version not suggested (a spec has nothing to compare with)"
        );
    };
    let next = version.bump(bump);
    if next == version {
        return format!(
            "{name} {version} ({source}): no API, docs or wire change, no release needed"
        );
    }
    let what = match bump {
        Bump::Major => "breaking",
        Bump::Minor => "additive",
        _ => "docs or wire only",
    };
    // Cargo reads 0.y.z as y.z (and 0.0.z as z): the same bump lands one place further right.
    let below_one = match (version.major, version.minor, bump) {
        (0, 0, Bump::Major | Bump::Minor) => "; below 0.1 the patch number",
        (0, _, Bump::Major) => "; below 1.0 the minor number",
        (0, _, Bump::Minor) => "; below 1.0 the patch number",
        _ => "",
    };
    let working = found
        .working
        .map(|v| format!("; the working tree already says {v}"))
        .unwrap_or_default();
    format!(
        "{name} {version} ({source}) -> {next}: {what} (semver {}{below_one}){working}",
        bump.as_str()
    )
}

/// The `[package]` name and version of a Cargo manifest's text (`shown` names it), read line
/// by line (the generated crate's manifest is hand-written and plain; an inherited version is
/// refused by name).
fn package_version(text: &str, shown: &str) -> Result<(String, Version), String> {
    let mut in_package = false;
    let (mut name, mut version) = (None, None);
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match key.trim() {
            "name" => name = Some(value),
            "version" => version = Some(value),
            "version.workspace" => {
                return Err(format!(
                    "{shown}: the version is inherited from the workspace"
                ));
            }
            _ => {}
        }
    }
    let name = name.ok_or_else(|| format!("{shown}: no [package] name"))?;
    let version = version.ok_or_else(|| format!("{shown}: no [package] version"))?;
    let version = version
        .parse()
        .map_err(|e: String| format!("{shown}: {e}"))?;
    Ok((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-api-diff-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn reads_the_package_version_and_refuses_an_inherited_one() {
        let text = "[package]\nname = \"demo\"\nversion = \"0.4.2\"\n\n[dependencies]\nversion = \"9.9.9\"\n";
        let (name, version) = package_version(text, "Cargo.toml").unwrap();
        assert_eq!(
            (name.as_str(), version.to_string()),
            ("demo", "0.4.2".to_owned())
        );
        let found = Ok(CrateVersion {
            name,
            version,
            source: "here",
            working: None,
        });
        assert_eq!(
            version_line(&found, Some(Bump::Major)),
            "demo 0.4.2 (here) -> 0.5.0: breaking (semver major; below 1.0 the minor number)"
        );
        assert_eq!(
            version_line(&found, Some(Bump::Patch)),
            "demo 0.4.2 (here) -> 0.4.3: docs or wire only (semver patch)"
        );

        let error = package_version(
            "[package]\nname = \"demo\"\nversion.workspace = true\n",
            "Cargo.toml",
        )
        .unwrap_err();
        assert!(error.contains("inherited"), "{error}");
        let missing = crate_version(&scratch("manifest"));
        assert!(version_line(&missing, Some(Bump::Minor)).contains("not suggested"));
    }

    const SPEC: &str = "openapi: 3.0.3
info: {title: Demo, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
";

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    /// A workspace with `schema/a.yaml` and a `demo 0.2.0` manifest.
    fn workspace(name: &str) -> PathBuf {
        let root = scratch(name);
        fs::create_dir_all(root.join("schema")).unwrap();
        fs::create_dir_all(root.join("generated")).unwrap();
        fs::write(
            root.join("generated/Cargo.toml"),
            "[package]\nname = \"demo\"\nversion = \"0.2.0\"\n",
        )
        .unwrap();
        fs::write(root.join("schema/a.yaml"), SPEC).unwrap();
        root
    }

    #[test]
    fn codegen_compares_each_spec_with_head_and_suggests_the_next_version() {
        let root = workspace("git");
        git(&root, &["init", "-q"]);
        git(&root, &["add", "."]);
        git(&root, &["commit", "-q", "-m", "base"]);
        let a = root.join("schema/a.yaml");
        fs::write(
            &a,
            SPEC.replace(
                "name: {type: string}",
                "name: {type: string}\n        size: {type: integer}",
            ),
        )
        .unwrap();

        let summary = codegen_summary(&root, std::slice::from_ref(&a));
        assert_eq!(
            summary,
            "api change since git HEAD:
  schema/a.yaml
    type `models::Thing`
      additive + field `size`: `Option<i64>` (`size` on the wire)
    api change: additive (1 additive)
demo 0.2.0 (as committed at git HEAD) -> 0.2.1: additive (semver minor; below 1.0 the patch number)"
        );

        let b = root.join("schema/b.yaml");
        fs::write(&b, SPEC).unwrap();
        let summary = codegen_summary(&root, &[a, b]);
        assert!(
            summary.contains("  schema/b.yaml\n    api change: unknown (schema/b.yaml has no committed version (a new spec))"),
            "{summary}"
        );
        assert!(
            summary.ends_with(
                "demo 0.2.0 (as committed at git HEAD): next version not suggested (a spec has nothing to compare with)"
            ),
            "{summary}"
        );
    }

    #[test]
    fn a_version_already_bumped_in_the_working_tree_is_not_bumped_again() {
        let root = workspace("bumped");
        git(&root, &["init", "-q"]);
        git(&root, &["add", "."]);
        git(&root, &["commit", "-q", "-m", "base"]);
        let a = root.join("schema/a.yaml");
        fs::write(
            &a,
            SPEC.replace(
                "name: {type: string}",
                "name: {type: string}\n        size: {type: integer}",
            ),
        )
        .unwrap();
        // The author bumps the crate for this very change before running codegen.
        fs::write(
            root.join("generated/Cargo.toml"),
            "[package]\nname = \"demo\"\nversion = \"0.2.1\"\n",
        )
        .unwrap();
        let summary = codegen_summary(&root, std::slice::from_ref(&a));
        assert!(
            summary.ends_with(
                "demo 0.2.0 (as committed at git HEAD) -> 0.2.1: additive \
                 (semver minor; below 1.0 the patch number); the working tree already says 0.2.1"
            ),
            "{summary}"
        );
    }

    #[test]
    fn codegen_without_git_history_says_so_and_does_not_fail() {
        let root = workspace("no-git");
        let summary = codegen_summary(&root, &[root.join("schema/a.yaml")]);
        assert!(
            summary.contains("api change: unknown (not a git checkout with a commit")
                || summary.contains("api change: unknown (git is not available"),
            "{summary}"
        );
        assert!(
            summary.ends_with("next version not suggested (a spec has nothing to compare with)")
        );
    }
}
