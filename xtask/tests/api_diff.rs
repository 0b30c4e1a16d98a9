//! `cargo xtask api-diff` on the JD Cloud spec, through the command: copies of
//! `schema/jdcloud-vm.yaml` edited in the test (an optional query parameter added, a response
//! field's type changed, an operation removed) and the spec against itself. The edits find
//! their targets by operationId and schema name, so the spec may grow around them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;

fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/jdcloud-vm.yaml");
    let text = fs::read_to_string(&path).expect("the JD Cloud spec");
    serde_yaml::from_str(&text).expect("YAML")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-api-diff-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Runs `xtask api-diff` on the spec as committed and on `edited`; returns stdout.
fn api_diff(name: &str, edited: &Value, json: bool) -> String {
    let dir = scratch(name);
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    fs::write(&old, serde_yaml::to_string(&spec()).expect("YAML")).expect("write");
    fs::write(&new, serde_yaml::to_string(edited).expect("YAML")).expect("write");
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("api-diff").arg(&old).arg(&new);
    if json {
        command.arg("--json");
    }
    let output = command.output().expect("xtask runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn last_line(report: &str) -> &str {
    report.lines().last().unwrap_or_default()
}

/// The operation object (`get:` mapping) with this operationId.
fn operation<'a>(spec: &'a mut Value, id: &str) -> &'a mut Value {
    let paths = spec["paths"].as_mapping_mut().expect("paths");
    paths
        .values_mut()
        .flat_map(|item| {
            item.as_mapping_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
        })
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
        .unwrap_or_else(|| panic!("operation {id}"))
}

#[test]
fn the_spec_against_itself_is_none() {
    let report = api_diff("same", &spec(), false);
    assert_eq!(report.trim_end(), "api change: none");
}

#[test]
fn an_optional_query_parameter_is_additive() {
    let mut edited = spec();
    let parameters = operation(&mut edited, "describeImages")["parameters"]
        .as_sequence_mut()
        .expect("parameters");
    parameters.push(
        serde_yaml::from_str(
            "{name: sdkgenTestFilter, in: query, description: A filter., schema: {type: string}}",
        )
        .expect("parameter"),
    );
    let report = api_diff("optional-parameter", &edited, false);
    assert_eq!(
        last_line(&report),
        "api change: additive (1 additive)",
        "{report}"
    );
    assert!(
        report.contains("additive + setter `DescribeImages::sdkgen_test_filter`: `impl Into<String>` (query sdkgenTestFilter)"),
        "{report}"
    );
}

#[test]
fn a_response_field_type_change_is_breaking() {
    let mut edited = spec();
    // Only the type changes: the field's description (and any extension) stays as it is.
    let image_id = &mut edited["components"]["schemas"]["Image"]["properties"]["imageId"];
    image_id["type"] = "integer".into();
    image_id["format"] = "int64".into();
    let report = api_diff("field-type", &edited, false);
    assert_eq!(
        last_line(&report),
        "api change: breaking (1 breaking)",
        "{report}"
    );
    assert!(
        report.contains(
            "type `models::Image`\n  breaking ~ field `image_id`: `Option<String>` -> `Option<i64>`"
        ),
        "{report}"
    );
}

#[test]
fn removing_an_operation_is_breaking_also_as_json() {
    let mut edited = spec();
    let paths = edited["paths"].as_mapping_mut().expect("paths");
    for item in paths.values_mut() {
        let methods = item.as_mapping_mut().expect("path item");
        methods
            .retain(|_, op| op.get("operationId").and_then(Value::as_str) != Some("describeImage"));
    }
    paths.retain(|_, item| item.as_mapping().is_some_and(|m| !m.is_empty()));
    let report = api_diff("removed-operation", &edited, true);
    let json: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    assert_eq!(json["class"], "breaking", "{report}");
    let removed = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["item"] == "method `Client::describe_image`")
        .expect("the method is listed");
    assert_eq!(
        (&removed["change"], &removed["impact"]),
        (&"removed".into(), &"breaking".into())
    );
    assert_eq!(
        json["counts"]["breaking"].as_u64(),
        Some(json["changes"].as_array().map_or(0, |changes| {
            changes.iter().filter(|c| c["impact"] == "breaking").count() as u64
        }))
    );
}

#[test]
fn dropping_paging_takes_into_stream_away() {
    let mut edited = spec();
    let paging = operation(&mut edited, "describeImages")
        .as_mapping_mut()
        .expect("operation")
        .remove("x-sdk-paging");
    assert!(paging.is_some(), "describeImages is paged");
    let report = api_diff("paging", &edited, false);
    assert_eq!(
        last_line(&report),
        "api change: breaking (1 breaking)",
        "{report}"
    );
    assert!(
        report.contains("breaking - `into_stream()`: items `Image`"),
        "{report}"
    );
}

#[test]
fn an_unreadable_spec_is_an_error_naming_the_place() {
    let dir = scratch("bad");
    let bad = dir.join("bad.yaml");
    fs::write(&bad, "openapi: [3.0\n").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("api-diff")
        .arg(&bad)
        .arg(&bad)
        .output()
        .expect("xtask runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.yaml:2:1:"), "{stderr}");
}
