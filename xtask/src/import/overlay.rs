//! The corrections file: an OpenAPI Overlay 1.0 document applied to what the pages say.
//!
//! ```yaml
//! overlay: 1.0.0
//! info: { title: ..., version: ... }
//! actions:
//!   - target: $.components.schemas.Disk.properties.enable   # RFC 9535 JSONPath
//!     description: optional, free text
//!     x-doc-erratum: { page_says: ..., spec_says: ..., why: ... }   # required on every action
//!     update: { ... }   # merged into every node the target selects
//!     remove: true      # or: remove every node the target selects
//! ```
//!
//! Actions apply in order. `update` merges objects key by key, recursively; any other value
//! (string, number, array) replaces what was there; a target that is an array gets `update`
//! appended. Every action must select at least one node (a stale correction is an error), and
//! must say what the page says, what the spec says and why. That record stays visible in the
//! spec: an updated node that is a definition (an operation, parameter, schema or property) gets
//! the action's `x-doc-erratum`; nodes added into a container (`properties`, `paths`,
//! `parameters`, ...) are what only the SDK documents and carry `x-doc-source: sdk`
//! themselves (or, for a field the page names differently, their own `x-doc-erratum` with
//! `page_name`), which the importer checks. A removal records its erratum on the nearest
//! definition above what it removed.

use serde_json::Value;
use serde_json_path::JsonPath;

/// A container whose members an update adds (rather than a definition it corrects).
const CONTAINERS: [&str; 8] = [
    "properties",
    "paths",
    "schemas",
    "parameters",
    "responses",
    "components",
    "enum",
    "required",
];

/// Applies the overlay in `text` (YAML; `file` names it in errors) to `spec`.
pub fn apply(file: &str, text: &str, spec: &mut Value) -> Result<usize, String> {
    let overlay: Value =
        serde_yaml::from_str(text).map_err(|e| format!("{file}: {}", yaml_place(&e)))?;
    let version = overlay.get("overlay").and_then(Value::as_str);
    if !version.is_some_and(|v| v.starts_with("1.0")) {
        return Err(format!(
            "{file}: not an Overlay 1.0 document (`overlay: 1.0.0`)"
        ));
    }
    let actions = overlay
        .get("actions")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{file}: no `actions` list"))?;
    for (index, action) in actions.iter().enumerate() {
        apply_action(action, spec).map_err(|e| format!("{file}: actions[{index}]: {e}"))?;
    }
    Ok(actions.len())
}

fn yaml_place(error: &serde_yaml::Error) -> String {
    match error.location() {
        Some(at) => format!("{}:{}: {error}", at.line(), at.column()),
        None => error.to_string(),
    }
}

fn apply_action(action: &Value, spec: &mut Value) -> Result<(), String> {
    let target = action
        .get("target")
        .and_then(Value::as_str)
        .ok_or("no `target`")?;
    let here = |message: String| format!("(target {target}) {message}");
    let erratum = erratum(action).map_err(here)?;
    let path = JsonPath::parse(target).map_err(|e| here(format!("not a JSONPath: {e}")))?;
    let pointers: Vec<String> = path
        .query_located(spec)
        .locations()
        .map(|location| location.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        return Err(here(
            "matches nothing: the pages changed or the correction is stale".into(),
        ));
    }
    let remove = action.get("remove").and_then(Value::as_bool) == Some(true);
    match (action.get("update"), remove) {
        (Some(_), true) => Err(here("has both `update` and `remove`".into())),
        (None, false) => Err(here("has neither `update` nor `remove: true`".into())),
        (None, true) => {
            // Last first, so that removing an array item does not shift the others' indices.
            for pointer in pointers.iter().rev() {
                remove_at(spec, pointer);
                record_above(spec, pointer, &erratum)
                    .map_err(|e| here(format!("#{pointer}: {e}")))?;
            }
            Ok(())
        }
        (Some(update), false) => {
            for pointer in &pointers {
                let node = spec
                    .pointer_mut(pointer)
                    .ok_or_else(|| here(format!("#{pointer} vanished")))?;
                update_node(node, pointer, update, &erratum)
                    .map_err(|e| here(format!("#{pointer}: {e}")))?;
            }
            Ok(())
        }
    }
}

/// The action's `x-doc-erratum`, checked complete.
fn erratum(action: &Value) -> Result<Value, String> {
    let erratum = action
        .get("x-doc-erratum")
        .ok_or("no `x-doc-erratum` (page_says, spec_says, why)")?;
    for key in ["page_says", "spec_says", "why"] {
        let text = erratum.get(key).and_then(Value::as_str).unwrap_or_default();
        if text.trim().is_empty() {
            return Err(format!("`x-doc-erratum` has no `{key}`"));
        }
    }
    Ok(erratum.clone())
}

fn update_node(
    node: &mut Value,
    pointer: &str,
    update: &Value,
    erratum: &Value,
) -> Result<(), String> {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    if let Value::Array(items) = node {
        check_added(update)?;
        items.push(update.clone());
        return Ok(());
    }
    let is_container = pointer.is_empty() || CONTAINERS.contains(&last);
    if is_container {
        if let (Some(members), Some(existing)) = (update.as_object(), node.as_object()) {
            for (name, member) in members {
                if !existing.contains_key(name) && member.is_object() {
                    check_added(member).map_err(|e| format!("{name}: {e}"))?;
                }
            }
        }
    }
    merge(node, update);
    if is_container {
        Ok(())
    } else {
        record(node, erratum)
    }
}

/// Puts the erratum on a definition; the same erratum twice (a removal and an update that
/// together make one correction) is one record, two different ones are an error.
fn record(node: &mut Value, erratum: &Value) -> Result<(), String> {
    let Some(object) = node.as_object_mut() else {
        return Ok(());
    };
    match object.get("x-doc-erratum") {
        Some(existing) if existing != erratum => Err(
            "already corrected by an earlier action with another x-doc-erratum: merge the two"
                .into(),
        ),
        _ => {
            object.insert("x-doc-erratum".into(), erratum.clone());
            Ok(())
        }
    }
}

/// After a removal at `pointer`: the erratum goes on the nearest definition above it.
fn record_above(spec: &mut Value, pointer: &str, erratum: &Value) -> Result<(), String> {
    let mut at = pointer;
    while let Some((parent, _)) = at.rsplit_once('/') {
        at = parent;
        let last = at.rsplit('/').next().unwrap_or_default();
        let is_definition = !at.is_empty()
            && !CONTAINERS.contains(&last)
            && spec.pointer(at).is_some_and(Value::is_object);
        if is_definition {
            return spec
                .pointer_mut(at)
                .map_or(Ok(()), |node| record(node, erratum));
        }
    }
    Ok(())
}

/// A member added to a container is what the pages lack: it says it comes from the SDK, or
/// that it is a page's field under another name (an erratum with `page_name`).
fn check_added(member: &Value) -> Result<(), String> {
    let marked = member.get("x-doc-source").is_some_and(Value::is_string)
        || member
            .pointer("/x-doc-erratum/page_name")
            .is_some_and(Value::is_string);
    if marked || !member.is_object() {
        Ok(())
    } else {
        Err("an added member must carry `x-doc-source` (e.g. `sdk`) or an `x-doc-erratum` with `page_name`".into())
    }
}

fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (node, update) => *node = update.clone(),
    }
}

fn remove_at(spec: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    match spec.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>() {
                if index < items.len() {
                    items.remove(index);
                }
            }
        }
        _ => {}
    }
}

/// Sorts the keys of `paths` and of each `components` map, so that the spec reads in a fixed
/// order however the pages and corrections added to it.
pub fn sort_sections(spec: &mut Value) {
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        paths.sort_keys();
    }
    if let Some(components) = spec.get_mut("components").and_then(Value::as_object_mut) {
        for (_, section) in components.iter_mut() {
            if let Some(section) = section.as_object_mut() {
                section.sort_keys();
            }
        }
    }
}
