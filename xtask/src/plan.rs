//! What writing a generated file tree would change on disk, decided before anything is
//! written, so that `--check` and a real run agree and a failure leaves the disk untouched.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every file the generator writes starts with a first line containing this marker; files
/// without it are the user's and are never overwritten or removed.
pub const GENERATED_MARKER: &str = "@generated";

#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    Unchanged,
    Written { old: Option<String>, new: String },
    Removed { old: String },
}

/// The changes to make `dir` hold exactly `files` (relative path -> contents), keyed by path.
pub fn plan(
    dir: &Path,
    files: &BTreeMap<String, String>,
) -> Result<BTreeMap<PathBuf, Change>, String> {
    let mut changes = BTreeMap::new();
    for (relative, new) in files {
        let path = dir.join(relative);
        let change = match read_if_exists(&path)? {
            None => Change::Written {
                old: None,
                new: new.clone(),
            },
            Some(old) if !is_generated(&old) => {
                return Err(format!(
                    "{} exists and is not a generated file (no `{GENERATED_MARKER}` first line); refusing to overwrite it",
                    path.display()
                ));
            }
            Some(old) if old == *new => Change::Unchanged,
            Some(old) => Change::Written {
                old: Some(old),
                new: new.clone(),
            },
        };
        changes.insert(path, change);
    }
    for path in files_under(dir)? {
        if changes.contains_key(&path) {
            continue;
        }
        if let Some(old) = read_if_exists(&path)?.filter(|old| is_generated(old)) {
            changes.insert(path, Change::Removed { old });
        }
    }
    Ok(changes)
}

/// Applies a plan: each written file goes to a temporary sibling first and is renamed into
/// place, so no reader ever sees a half-written file.
pub fn apply(changes: &BTreeMap<PathBuf, Change>) -> Result<(), String> {
    for (path, change) in changes {
        match change {
            Change::Unchanged => {}
            Change::Written { new, .. } => write_atomically(path, new)?,
            Change::Removed { .. } => {
                fs::remove_file(path).map_err(|e| format!("removing {}: {e}", path.display()))?;
                remove_empty_parents(path);
            }
        }
    }
    Ok(())
}

pub fn is_generated(contents: &str) -> bool {
    contents
        .lines()
        .next()
        .is_some_and(|first| first.contains(GENERATED_MARKER))
}

fn write_atomically(path: &Path, contents: &str) -> Result<(), String> {
    let parent = path
        .parent()
        .ok_or_else(|| format!("{} has no parent directory", path.display()))?;
    fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = parent.join(format!(".{file_name}.tmp"));
    fs::write(&temporary, contents).map_err(|e| format!("writing {}: {e}", temporary.display()))?;
    fs::rename(&temporary, path).map_err(|e| format!("moving {} into place: {e}", path.display()))
}

fn remove_empty_parents(path: &Path) {
    let mut dir = path.parent();
    // `remove_dir` fails on a non-empty directory, which is where we stop.
    while let Some(current) = dir {
        if fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

fn read_if_exists(path: &Path) -> Result<Option<String>, String> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("reading {}: {e}", path.display())),
    }
}

/// Every file below `dir` (none if it does not exist), sorted.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("listing {}: {e}", current.display())),
        };
        for entry in entries {
            let path = entry
                .map_err(|e| format!("listing {}: {e}", current.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-plan-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn writes_missing_and_changed_keeps_equal_removes_orphans() {
        let dir = scratch("cycle");
        fs::write(dir.join("same.rs"), "// @generated\nsame\n").unwrap();
        fs::write(dir.join("stale.rs"), "// @generated\nold\n").unwrap();
        fs::write(dir.join("orphan.rs"), "// @generated\ngone\n").unwrap();
        fs::write(dir.join("mine.rs"), "hand-written\n").unwrap();
        let wanted = files(&[
            ("same.rs", "// @generated\nsame\n"),
            ("stale.rs", "// @generated\nnew\n"),
            ("sub/new.rs", "// @generated\nfresh\n"),
        ]);

        let changes = plan(&dir, &wanted).unwrap();
        assert_eq!(changes[&dir.join("same.rs")], Change::Unchanged);
        assert!(
            matches!(&changes[&dir.join("stale.rs")], Change::Written { old: Some(old), .. } if old.contains("old"))
        );
        assert!(matches!(
            &changes[&dir.join("sub/new.rs")],
            Change::Written { old: None, .. }
        ));
        assert!(matches!(
            &changes[&dir.join("orphan.rs")],
            Change::Removed { .. }
        ));
        assert!(
            !changes.contains_key(&dir.join("mine.rs")),
            "hand-written files are not the plan's business"
        );

        apply(&changes).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("stale.rs")).unwrap(),
            "// @generated\nnew\n"
        );
        assert_eq!(
            fs::read_to_string(dir.join("sub/new.rs")).unwrap(),
            "// @generated\nfresh\n"
        );
        assert!(!dir.join("orphan.rs").exists());
        assert_eq!(
            fs::read_to_string(dir.join("mine.rs")).unwrap(),
            "hand-written\n"
        );
        assert!(
            plan(&dir, &wanted)
                .unwrap()
                .values()
                .all(|c| *c == Change::Unchanged),
            "a second run changes nothing"
        );
    }

    #[test]
    fn refuses_to_overwrite_a_file_without_the_marker() {
        let dir = scratch("refuse");
        fs::write(dir.join("lib.rs"), "my own code\n").unwrap();
        let error = plan(&dir, &files(&[("lib.rs", "// @generated\n")])).unwrap_err();
        assert!(
            error.contains("lib.rs") && error.contains("refusing"),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(dir.join("lib.rs")).unwrap(),
            "my own code\n"
        );
    }
}
