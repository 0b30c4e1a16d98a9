//! One small spec per OpenAPI feature (tests/fixtures/*.yaml): each generates without
//! warnings beyond the ones it expects, every file parses as Rust, and the whole output is
//! an insta snapshot (files concatenated, each under a header), reviewed by reading it.

use std::fmt::Write as _;
use std::path::Path;

fn generate(name: &str) -> sdkgen::Generated {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    sdkgen::generate_str(&format!("{name}.yaml"), &text, &sdkgen::Settings::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The files, each parsed with syn, under `===== path =====` headers; warnings last.
fn render(generated: &sdkgen::Generated) -> String {
    let mut out = String::new();
    for (path, contents) in &generated.files {
        if let Err(e) = syn::parse_file(contents) {
            panic!("{path} does not parse: {e}\n{contents}");
        }
        writeln!(out, "===== {path} =====\n{contents}").unwrap();
    }
    for warning in &generated.warnings {
        writeln!(out, "warning: {warning}").unwrap();
    }
    out
}

/// With `SDKGEN_DUMP=dir`, also writes each fixture as a standalone crate under `dir/<name>`
/// (add them to a scratch workspace and `cargo clippy` them to see they compile cleanly).
fn dump(name: &str, generated: &sdkgen::Generated) {
    let Ok(dir) = std::env::var("SDKGEN_DUMP") else {
        return;
    };
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let runtime = sdkgen::RuntimeDependency::Path(runtime.display().to_string());
    for (path, contents) in
        sdkgen::standalone_crate(generated, &format!("fixture-{name}"), &runtime)
    {
        let path = Path::new(&dir).join(name).join(path);
        std::fs::create_dir_all(path.parent().expect("has a parent"))
            .expect("creates the directory");
        std::fs::write(path, contents).expect("writes");
    }
}

macro_rules! fixture {
    ($name:ident) => {
        #[test]
        fn $name() {
            let generated = generate(stringify!($name));
            dump(stringify!($name), &generated);
            insta::assert_snapshot!(stringify!($name), render(&generated));
        }
    };
}

fixture!(objects);
fixture!(collections);
fixture!(refs);
fixture!(inline);
fixture!(enums);
fixture!(formats);
fixture!(composition);
fixture!(names);
fixture!(operations);
fixture!(actions);
fixture!(openapi31);
fixture!(webhooks);
fixture!(media);
fixture!(unions);
fixture!(wire);
fixture!(schemas);

#[test]
fn runtime_crate_path_is_a_setting() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operations.yaml");
    let settings = sdkgen::Settings::default().runtime_crate("crate::rt");
    let generated = sdkgen::generate_file(&path, &settings).expect("generates");
    let file = &generated.files["operations/list_items.rs"];
    // An operation module takes the runtime's names through its prelude.
    assert!(file.contains("use crate::rt::prelude::*;"), "{file}");
    assert!(file.contains(" Request::new(&LIST_ITEMS)"), "{file}");
    assert!(
        !generated
            .files
            .values()
            .any(|f| f.contains("sdkgen_runtime"))
    );
    let error = sdkgen::generate_file(
        &path,
        &sdkgen::Settings::default().runtime_crate("not a path"),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("runtime crate `not a path` is not a path"),
        "{error}"
    );
}

/// A schema named like a runtime type keeps its name; the runtime type is then written with
/// its crate path, and the other runtime types still come from the runtime's prelude.
#[test]
fn runtime_types_give_way_to_schemas_of_the_same_name() {
    let spec = r#"
openapi: 3.0.3
info: {title: Clash, version: '1'}
paths:
  /things:
    get:
      operationId: getThing
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Request'}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
components:
  schemas:
    Error: {type: object, properties: {message: {type: string}}}
    Request: {type: object, properties: {id: {type: string}}}
"#;
    let generated =
        sdkgen::generate_str("clash.yaml", spec, &sdkgen::Settings::default()).expect("generates");
    assert!(generated.files.contains_key("models/error.rs"));
    let file = &generated.files["operations/get_thing.rs"];
    syn::parse_file(file).expect("parses");
    assert!(
        file.contains("type IntoFuture = ResponseFuture<'a, models::Request, models::Error>;"),
        "{file}"
    );
    assert!(
        file.contains("sdkgen_runtime::Request::new(&GET_THING)"),
        "{file}"
    );
    // Models are named through their module; the other runtime names come from the prelude.
    assert!(file.contains("use super::super::models;"), "{file}");
    assert!(file.contains("use sdkgen_runtime::prelude::*;"), "{file}");
    assert!(
        file.contains("Result<Outcome<models::Request, models::Error>, DecodeError>"),
        "{file}"
    );
}

#[test]
fn webhooks_are_read_from_3_1_documents_only() {
    let spec = |version: &str| {
        format!(
            "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nwebhooks:\n  \
             ping:\n    post:\n      responses:\n        '200': {{description: ok}}\n"
        )
    };
    let settings = sdkgen::Settings::default();
    let v31 = sdkgen::generate_str("w.yaml", &spec("3.1.0"), &settings).expect("generates");
    assert!(v31.files["webhooks.rs"].contains("(\"ping\", \"POST\") => Ok(Self::Ping),"));
    assert!(v31.files["mod.rs"].contains("pub mod webhooks;"));
    // `webhooks` is not a 3.0 field: a 3.0 document's output does not change because of it.
    let v30 = sdkgen::generate_str("w.yaml", &spec("3.0.3"), &settings).expect("generates");
    assert!(!v30.files.contains_key("webhooks.rs"));
    assert!(!v30.files["mod.rs"].contains("webhooks"));
}
