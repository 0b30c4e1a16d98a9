//! The importer through small pages written for each irregularity the real pages have, a
//! broken page, and corrections that are stale or incomplete.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::build::{self, Overview, Source};
use super::page::{self, TypeName};
use super::{Mode, overlay, run_in};

/// A page in the real layout; `sections` is everything after the request address's table.
fn page_text(title: &str, method: &str, path: &str, sections: &str) -> String {
    format!(
        "# {title}\n\n\n## Description\nDoes {title}.<br>Second line.\n\n\n## Request method\n{method}\n\n\
         ## Request address\nhttps://vm.jdcloud-api.com/v1{path}\n\n\
         |Name|Type|Required or not|Default value|Description|\n|---|---|---|---|---|\n\
         |**regionId**|String|True||Region ID|\n\n{sections}"
    )
}

const CODES: &str = "## Return code\n|Return code|Description|\n|---|---|\n|**200**|OK|\n|**404**|Not found  |\n|**429**|Quota exceeded|\n";

fn read(title: &str, method: &str, path: &str, sections: &str) -> page::Page {
    let text = page_text(title, method, path, sections);
    page::read("x.md", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn reads_the_three_table_layouts() {
    let page = read(
        "describeThings",
        "GET",
        "/regions/{regionId}/things",
        &format!(
            "## Request parameter\n|Name|Type|Required or not|Default value|Description|\n|---|---|---|---|---|\n\
             |**pageSize**|Integer|False|20|Page size|\n\n\
             ## Return parameter\n|Name|Type|Description|\n|---|---|---|\n|**result**|Result| |\n|**requestId**|String| |\n\n\
             ### Result\n|Name|Type|Description|\n|---|---|---|\n|**things**|Thing[]|The things|\n\n{CODES}"
        ),
    );
    assert_eq!(page.title, "describeThings");
    assert_eq!(page.method, "GET");
    assert_eq!(
        page.address,
        "https://vm.jdcloud-api.com/v1/regions/{regionId}/things"
    );
    assert_eq!(page.path_parameters[0].name, "regionId");
    assert!(page.path_parameters[0].required);
    assert_eq!(page.parameters[0].default.as_deref(), Some("20"));
    assert_eq!(page.parameters[0].ty, TypeName::Integer);
    assert_eq!(page.response.len(), 2);
    assert_eq!(page.models[0].name, "Result");
    assert_eq!(
        page.models[0].fields[0].ty,
        TypeName::Array(Box::new(TypeName::Model("Thing".into())))
    );
    let codes: Vec<u16> = page.codes.iter().map(|c| c.status).collect();
    assert_eq!(codes, [200, 404, 429]);
    assert_eq!(page.codes[1].description, "Not found");
}

#[test]
fn reads_every_spelling_of_the_headings_and_div_headings() {
    for (response, code) in [
        ("Return parameter", "Return code"),
        ("Response parameter", "Response code"),
        ("Return Parameter", "Return Code"),
    ] {
        let page = read(
            "getThing",
            "GET",
            "/regions/{regionId}/thing",
            &format!(
                "## Request Parameter\nNone\n\n## {response}\n|Name|Type|Description|\n|---|---|---|\n|**result**|Result| |\n\n\
                 ### <div id=\"Result\">Result</div>\n|Name|Type|Description|\n|---|---|---|\n|**id**|String|Id|\n\n\
                 ## {code}\n|Return Code|Description|\n|---|---|\n|**200**|OK|\n"
            ),
        );
        assert_eq!(page.response[0].name, "result", "{response}");
        assert_eq!(page.models[0].name, "Result", "{response}");
        assert_eq!(page.codes.len(), 1, "{code}");
    }
}

#[test]
fn an_empty_section_is_none_or_a_header_only_table() {
    let page = read(
        "stopThing",
        "POST",
        "/regions/{regionId}/things/{id}:stop",
        &format!(
            "## Request parameter\nNone\n\n\n## Return parameter\n|Name|Type|Description|\n|---|---|---|\n\n\n\n{CODES}"
        ),
    );
    assert!(page.parameters.is_empty());
    assert!(page.response.is_empty());
}

#[test]
fn reads_number_and_arrays_written_with_a_space() {
    assert_eq!(page::parse_type("Number"), Some(TypeName::Number));
    assert_eq!(page::parse_type("Integer"), Some(TypeName::Integer));
    assert_eq!(
        page::parse_type("TaskInfo[ ]"),
        Some(TypeName::Array(Box::new(TypeName::Model(
            "TaskInfo".into()
        ))))
    );
    assert_eq!(
        page::parse_type("String[]"),
        Some(TypeName::Array(Box::new(TypeName::String)))
    );
    assert_eq!(page::parse_type("two words"), None);
}

#[test]
fn html_in_descriptions_becomes_text_and_prose_value_lists_stay() {
    assert_eq!(
        page::html_to_text("First<br>second</br><b>bold</b> and <a href='x'>a link</a> &lt;3"),
        "First\nsecond\nbold and a link <3"
    );
    let page = read(
        "listThings",
        "GET",
        "/regions/{regionId}/things",
        &format!(
            "## Request parameter\n|Name|Type|Required or not|Default value|Description|\n|---|---|---|---|---|\n\
             |**source**|String|False||Source, value range: public、shared、thirdparty、private<br>|\n\n{CODES}"
        ),
    );
    assert_eq!(
        page.parameters[0].description,
        "Source, value range: public、shared、thirdparty、private"
    );
    assert_eq!(page.description, "Does listThings.\nSecond line.");
}

/// One page each for two operations that both have a `Result` table and share `Thing`.
fn two_pages(first_description: &str, second_description: &str) -> Vec<Source> {
    let model = |description: &str, extra: &str| {
        format!(
            "### Thing\n|Name|Type|Description|\n|---|---|---|\n|**id**|String|{description}|\n{extra}\n"
        )
    };
    let get = read(
        "getThing",
        "GET",
        "/regions/{regionId}/thing",
        &format!(
            "## Return parameter\n|Name|Type|Description|\n|---|---|---|\n|**result**|Result| |\n\n\
             ### Result\n|Name|Type|Description|\n|---|---|---|\n|**thing**|Thing|One|\n\n{}{CODES}",
            model(first_description, "")
        ),
    );
    let create = read(
        "createThing",
        "POST",
        "/regions/{regionId}/things",
        &format!(
            "## Request parameter\n|Name|Type|Required or not|Default value|Description|\n|---|---|---|---|---|\n\
             |**spec**|ThingSpec|True||What to create|\n\n\
             ### ThingSpec\n|Name|Type|Required or not|Default value|Description|\n|---|---|---|---|---|\n|**name**|String|True||Name|\n\n\
             ## Return parameter\n|Name|Type|Description|\n|---|---|---|\n|**result**|Result| |\n\n\
             ### Result\n|Name|Type|Description|\n|---|---|---|\n|**ids**|String[]|Many|\n\n{}{CODES}",
            model(second_description, "|**size**|Number|Size|")
        ),
    );
    vec![
        Source {
            file: "a.md".into(),
            page: create,
        },
        Source {
            file: "b.md".into(),
            page: get,
        },
    ]
}

#[test]
fn result_tables_are_scoped_to_their_operation() {
    let spec = build::spec(&two_pages("Id", "Id"), &Overview::default()).expect("builds");
    let schemas = &spec["components"]["schemas"];
    assert!(schemas["GetThingResult"]["properties"]["thing"].is_object());
    assert!(schemas["CreateThingResult"]["properties"]["ids"].is_object());
    assert!(schemas.get("Result").is_none());
    assert_eq!(
        schemas["GetThingResponse"]["properties"]["result"]["$ref"],
        "#/components/schemas/GetThingResult"
    );
}

#[test]
fn a_model_on_several_pages_is_merged_the_same_whatever_the_order() {
    let mut sources = two_pages("Thing id", "The thing's id");
    let forward = build::spec(&sources, &Overview::default()).expect("builds");
    sources.reverse();
    let backward = build::spec(&sources, &Overview::default()).expect("builds");
    let thing = &forward["components"]["schemas"]["Thing"];
    assert_eq!(
        thing["properties"]["id"]["description"], "The thing's id",
        "longest wins"
    );
    assert_eq!(thing["properties"]["size"]["type"], "number");
    assert_eq!(thing, &backward["components"]["schemas"]["Thing"]);
}

#[test]
fn a_field_typed_differently_on_two_pages_is_an_error() {
    let mut sources = two_pages("Id", "Id");
    let thing = sources[0]
        .page
        .models
        .iter_mut()
        .find(|m| m.name == "Thing");
    thing.expect("a.md documents Thing").fields[0].ty = TypeName::Integer;
    let error = build::spec(&sources, &Overview::default()).expect_err("conflicting types");
    assert!(
        error.starts_with("b.md:")
            && error.contains("table `Thing`: `id` is String here but Integer in a.md:"),
        "{error}"
    );
}

#[test]
fn request_and_response_twins_stay_apart_and_bodies_carry_required() {
    let spec = build::spec(&two_pages("Id", "Id"), &Overview::default()).expect("builds");
    let schemas = &spec["components"]["schemas"];
    assert_eq!(schemas["ThingSpec"]["required"], json!(["name"]));
    assert!(schemas["Thing"].get("required").is_none());
    assert_eq!(schemas["CreateThingRequest"]["required"], json!(["spec"]));
    let create = &spec["paths"]["/regions/{regionId}/things"]["post"];
    assert_eq!(create["requestBody"]["required"], true);
    assert_eq!(
        create["responses"]["429"]["$ref"],
        "#/components/responses/QuotaExceeded"
    );
    let get = &spec["paths"]["/regions/{regionId}/thing"]["get"];
    assert!(get.get("requestBody").is_none());
}

#[test]
fn a_broken_page_names_file_line_and_table() {
    let text = page_text(
        "brokenThing",
        "GET",
        "/regions/{regionId}/things",
        "## Request parameter\n|Name|Type|Required or not|Default value|Description|\n|---|---|---|---|---|\n\
         |**ok**|String|False||Fine|\n|**bad**|Str ing|False||A bad type|\n",
    );
    let error = page::read("VM/brokenThing.md", &text).expect_err("a bad type");
    let line = text
        .lines()
        .position(|l| l.contains("**bad**"))
        .expect("row")
        + 1;
    assert_eq!(
        error.to_string(),
        format!("VM/brokenThing.md:{line}: table `Request parameter`: `Str ing` is no type")
    );
    let unknown = page_text(
        "x",
        "GET",
        "/regions/{regionId}/x",
        "## Request stuff\nNone\n",
    );
    let error = page::read("x.md", &unknown).expect_err("unknown section");
    assert!(
        error
            .to_string()
            .contains("unknown section `Request stuff`"),
        "{error}"
    );
    let header = page_text(
        "x",
        "GET",
        "/regions/{regionId}/x",
        "## Request parameter\n|A|B|\n|---|---|\n|a|b|\n",
    );
    let error = page::read("x.md", &header).expect_err("unknown header");
    assert!(
        error.to_string().contains("unknown table header |A|B|"),
        "{error}"
    );
}

// ---- corrections ----------------------------------------------------------------------------

const ERRATUM: &str = "x-doc-erratum: {page_says: a, spec_says: b, why: c}";

fn small_spec() -> Value {
    json!({"components": {"schemas": {"Disk": {"type": "object", "properties": {
        "enable": {"type": "boolean", "description": "Suspended"},
        "size": {"type": "integer", "format": "int64"}
    }, "required": ["enable", "size"]}}}})
}

fn overlay_yaml(actions: &str) -> String {
    format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}")
}

#[test]
fn corrections_update_remove_and_record_the_erratum() {
    let mut spec = small_spec();
    let text = overlay_yaml(&format!(
        "  - target: $.components.schemas.Disk.properties.size\n    {ERRATUM}\n    update: {{minimum: 1}}\n\
         \x20 - target: $.components.schemas.Disk.required[?@=='enable']\n    {ERRATUM}\n    remove: true\n\
         \x20 - target: $.components.schemas.Disk.properties\n    {ERRATUM}\n    update: {{iops: {{type: integer, x-doc-source: sdk}}}}\n"
    ));
    overlay::apply("c.yaml", &text, &mut spec).expect("applies");
    let disk = &spec["components"]["schemas"]["Disk"];
    assert_eq!(disk["properties"]["size"]["minimum"], 1);
    assert_eq!(disk["properties"]["size"]["x-doc-erratum"]["why"], "c");
    assert_eq!(disk["required"], json!(["size"]));
    assert_eq!(
        disk["x-doc-erratum"]["page_says"], "a",
        "a removal records on the schema"
    );
    assert_eq!(disk["properties"]["iops"]["x-doc-source"], "sdk");
    assert!(disk["properties"].get("x-doc-erratum").is_none());
}

#[test]
fn a_stale_or_unexplained_correction_is_an_error() {
    let cases = [
        (
            format!("  - target: $.components.schemas.Gone\n    {ERRATUM}\n    update: {{a: 1}}\n"),
            "c.yaml: actions[0]: (target $.components.schemas.Gone) matches nothing",
        ),
        (
            "  - target: $.components.schemas.Disk\n    update: {a: 1}\n".to_owned(),
            "no `x-doc-erratum`",
        ),
        (
            format!(
                "  - target: $.components.schemas.Disk.properties\n    {ERRATUM}\n    update: {{iops: {{type: integer}}}}\n"
            ),
            "an added member must carry `x-doc-source`",
        ),
        (
            format!("  - target: $.components.schemas[\n    {ERRATUM}\n    remove: true\n"),
            "not a JSONPath",
        ),
    ];
    for (actions, expected) in cases {
        let mut spec = small_spec();
        let error =
            overlay::apply("c.yaml", &overlay_yaml(&actions), &mut spec).expect_err(expected);
        assert!(error.contains(expected), "{error}\nwanted: {expected}");
    }
}

// ---- the command ----------------------------------------------------------------------------

/// A scratch workspace with one service's pages and corrections (each test removes its own
/// at the end; one left behind shows where a test failed).
fn workspace(name: &str, pages: &[(&str, String)], corrections: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-import-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    for (file, text) in pages {
        let path = root.join("schema/docs/svc").join(file);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write page");
    }
    fs::create_dir_all(root.join("schema/corrections")).expect("mkdir");
    fs::write(root.join("schema/corrections/svc.yaml"), corrections).expect("write corrections");
    root
}

fn good_page() -> String {
    page_text(
        "getThing",
        "GET",
        "/regions/{regionId}/thing",
        &format!(
            "## Return parameter\n|Name|Type|Description|\n|---|---|---|\n|**result**|Result| |\n\n\
                  ### Result\n|Name|Type|Description|\n|---|---|---|\n|**id**|String|Id|\n\n{CODES}"
        ),
    )
}

fn spec_path(root: &Path) -> PathBuf {
    root.join("schema/jdcloud-svc.yaml")
}

#[test]
fn import_is_byte_identical_and_check_fails_until_it_ran() {
    let corrections = overlay_yaml(&format!(
        "  - target: $.components.schemas.GetThingResult.properties.id\n    {ERRATUM}\n    update: {{minLength: 1}}\n"
    ));
    let root = workspace(
        "same",
        &[
            ("A/getThing.md", good_page()),
            ("overview.md", "# SVC\n".into()),
        ],
        &corrections,
    );
    let check = run_in(&root, Mode::Check).expect_err("nothing imported yet");
    assert!(
        check.contains("jdcloud-svc.yaml is not what the pages"),
        "{check}"
    );
    assert!(!spec_path(&root).exists(), "--check wrote the spec");
    run_in(&root, Mode::Write).expect("imports");
    let first = fs::read(spec_path(&root)).expect("written");
    run_in(&root, Mode::Write).expect("imports again");
    assert_eq!(first, fs::read(spec_path(&root)).expect("written"));
    run_in(&root, Mode::Check).expect("up to date");
    let text = String::from_utf8(first).expect("utf-8");
    assert!(text.contains("title: JD Cloud SVC API"), "{text}");
    assert!(
        text.contains("service: vm"),
        "the service comes from the endpoint"
    );
    assert!(text.contains("minLength: 1"), "corrections applied");
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_broken_page_stale_correction_or_hand_written_spec_writes_nothing() {
    let broken = good_page().replace("|**id**|String|Id|", "|**id**|String, or not|Id|");
    let root = workspace(
        "broken",
        &[("A/getThing.md", broken)],
        &overlay_yaml("  []\n"),
    );
    let error = run_in(&root, Mode::Write).expect_err("broken page");
    assert!(error.contains("A/getThing.md:"), "{error}");
    assert!(
        error.contains("table `Result`: `String, or not` is no type"),
        "{error}"
    );
    assert!(!spec_path(&root).exists(), "a half spec was written");

    let _ = fs::remove_dir_all(&root);
    let root = workspace(
        "hand",
        &[("A/getThing.md", good_page())],
        &overlay_yaml("  []\n"),
    );
    fs::write(spec_path(&root), "openapi: 3.0.3 # by hand\n").expect("write");
    let error = run_in(&root, Mode::Write).expect_err("a hand-written spec");
    assert!(error.contains("was not written by the import"), "{error}");
    assert_eq!(
        fs::read_to_string(spec_path(&root)).expect("kept"),
        "openapi: 3.0.3 # by hand\n"
    );

    let stale = overlay_yaml(&format!(
        "  - target: $.paths.nowhere\n    {ERRATUM}\n    remove: true\n"
    ));
    let _ = fs::remove_dir_all(&root);
    let root = workspace("stale", &[("A/getThing.md", good_page())], &stale);
    fs::write(spec_path(&root), "old\n").expect("write");
    let error = run_in(&root, Mode::Write).expect_err("stale correction");
    assert!(
        error.contains("schema/corrections/svc.yaml: actions[0]"),
        "{error}"
    );
    assert_eq!(fs::read_to_string(spec_path(&root)).expect("kept"), "old\n");
    let _ = fs::remove_dir_all(&root);
}
