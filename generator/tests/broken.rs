//! Broken specs (tests/broken/): each is refused with a message that names the place
//! (file:line:column for syntax, the JSON pointer otherwise) and what is wrong; never a panic.

use std::path::Path;

fn error_of(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    match sdkgen::generate_str(name, &text, &sdkgen::Settings::default()) {
        Ok(_) => panic!("{name} generated"),
        Err(e) => e.to_string(),
    }
}

#[track_caller]
fn assert_error(name: &str, expected: &str) {
    let message = error_of(name);
    assert!(
        message.starts_with(expected),
        "{name}:\n  got      {message}\n  expected {expected}..."
    );
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    assert_error(
        "syntax.yaml",
        "syntax.yaml:8:3: did not find expected ',' or '}'",
    );
}

#[test]
fn json_syntax_error_names_line_and_column() {
    assert_error("syntax.json", "syntax.json:6:3: trailing comma");
}

#[test]
fn dangling_ref_names_the_referring_place() {
    assert_error(
        "dangling_ref.yaml",
        "dangling_ref.yaml#/components/schemas/Pet/properties/owner: dangling $ref `#/components/schemas/Owner`",
    );
}

#[test]
fn dangling_parameter_ref() {
    assert_error(
        "dangling_parameter_ref.yaml",
        "dangling_parameter_ref.yaml#/paths/~1pets/get/parameters/0: dangling $ref `#/components/parameters/limit`",
    );
}

#[test]
fn external_ref_is_refused() {
    assert_error(
        "external_ref.yaml",
        "external_ref.yaml#/paths/~1pets/get/responses/200/content/application~1json/schema: external $ref `common.yaml#/components/schemas/Pet` is not supported",
    );
}

#[test]
fn duplicate_operation_id() {
    assert_error(
        "duplicate_operation_id.yaml",
        "duplicate_operation_id.yaml#/paths/~1pets/post/operationId: duplicate operationId `pets` (also at #/paths/~1pets/get)",
    );
}

#[test]
fn unknown_type() {
    assert_error(
        "unknown_type.yaml",
        "unknown_type.yaml#/components/schemas/Pet/properties/name/type: unknown type `strng`",
    );
}

#[test]
fn undeclared_path_parameter() {
    assert_error(
        "undeclared_path_parameter.yaml",
        "undeclared_path_parameter.yaml#/paths/~1pets~1{petId}/get: path parameter `petId` of `/pets/{petId}` is not declared",
    );
}

/// Left out, the requirement would leave the operation sending no credentials at all.
#[test]
fn undeclared_security_scheme() {
    assert_error(
        "undeclared_security_scheme.yaml",
        "undeclared_security_scheme.yaml#/paths/~1pets/get/security/1/bearr: security scheme `bearr` is not declared in `components.securitySchemes`",
    );
    assert_error(
        "undeclared_global_security_scheme.yaml",
        "undeclared_global_security_scheme.yaml#/security/0/oauth: security scheme `oauth` is not declared in `components.securitySchemes`",
    );
}

#[test]
fn not_openapi_3() {
    assert_error(
        "not_openapi.yaml",
        "not_openapi.yaml#/swagger: Swagger 2.0 is not supported (supported: OpenAPI 3.0.x and 3.1.x); convert it first, e.g. `npx swagger2openapi spec.yaml -o openapi.yaml` or editor.swagger.io (Edit > Convert to OpenAPI 3)",
    );
}

#[test]
fn wrong_shape_names_the_pointer() {
    assert_error(
        "bad_shape.yaml",
        "bad_shape.yaml#/paths/~1pets/get/responses/200: not a valid OpenAPI 3.0 document: missing field `description`",
    );
}

/// A spec that generates despite a problem: its files and its warnings' pointers.
fn generated_with_warnings(name: &str) -> (sdkgen::Generated, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken")
        .join(name);
    let generated = sdkgen::generate_file(&path, &sdkgen::Settings::default()).expect("generates");
    let pointers = generated
        .warnings
        .iter()
        .map(|w| w.pointer.clone())
        .collect();
    (generated, pointers)
}

#[test]
fn alias_cycles_are_warnings_with_a_fallback() {
    let (generated, pointers) = generated_with_warnings("circular_alias.yaml");
    assert_eq!(
        pointers,
        [
            "#/components/schemas/A",
            "#/components/schemas/B",
            "#/components/schemas/Nested"
        ]
    );
    assert!(generated.files["models/a.rs"].contains("pub type A = serde_json::Value;"));
}

#[test]
fn never_panics_on_garbage() {
    for text in [
        "",
        "[]",
        "null",
        "openapi: [",
        "{\"openapi\": 3}",
        "\u{0}\u{1}",
        "a: &x\nb: *y",
        "- - - -",
    ] {
        let _ = sdkgen::generate_str("garbage.yaml", text, &sdkgen::Settings::default());
    }
}

#[test]
fn circular_parameter_ref() {
    assert_error(
        "circular_parameter_ref.yaml",
        "circular_parameter_ref.yaml#/paths/~1pets/get/parameters/0: $ref chain too long or circular",
    );
}

#[test]
fn ref_to_something_not_a_schema() {
    assert_error(
        "ref_not_a_schema.yaml",
        "ref_not_a_schema.yaml#/components/schemas/Pet/properties/name: $ref `#/info/title` does not point to a schema",
    );
}

#[test]
fn circular_ref_between_inline_schemas() {
    assert_error(
        "circular_ref.yaml",
        "circular_ref.yaml#/components/schemas/Pet/properties/a: circular $ref `#/components/schemas/Pet/properties/b`",
    );
}

/// Looking for the envelope's `result` through `allOf` must stop at a cycle (it used to
/// recurse until the stack overflowed); the cycle itself is the alias-cycle fallback.
#[test]
fn envelope_search_stops_at_cycles() {
    let (_, pointers) = generated_with_warnings("envelope_cycle.yaml");
    assert_eq!(
        pointers,
        ["#/components/schemas/A", "#/components/schemas/B"]
    );
}

#[test]
fn unsupported_version_names_the_supported_ones() {
    let message = error_of("unsupported_version.yaml");
    assert_eq!(
        message,
        "unsupported_version.yaml#/openapi: OpenAPI version `3.2.0` is not supported (supported: OpenAPI 3.0.x and 3.1.x)"
    );
}

#[test]
fn a_3_1_document_of_the_wrong_shape_names_the_pointer() {
    assert_error(
        "bad_shape_31.yaml",
        "bad_shape_31.yaml#/webhooks/ping: not a valid path item: missing field `description`",
    );
}

/// `allOf` over a `$ref` cycle that never reaches a schema used to loop forever.
#[test]
fn all_of_over_a_ref_cycle() {
    assert_error(
        "allof_alias_cycle.yaml",
        "allof_alias_cycle.yaml#/components/schemas/B: $ref cycle `#/components/schemas/B` -> `#/components/schemas/C` -> `#/components/schemas/B` never reaches a schema",
    );
}

/// A chain that leads into a cycle it is not on: the cycle is reported at its own first
/// member, whatever order the spec walks them in.
#[test]
fn a_ref_cycle_is_reported_at_its_first_member() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    A: {$ref: '#/components/schemas/B'}\n    \
                B: {$ref: '#/components/schemas/C'}\n    C: {$ref: '#/components/schemas/B'}\n";
    let error = sdkgen::generate_str("lead_in.yaml", text, &sdkgen::Settings::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        error,
        "lead_in.yaml#/components/schemas/B: $ref cycle `#/components/schemas/B` -> `#/components/schemas/C` -> `#/components/schemas/B` never reaches a schema"
    );
}

/// `x-sdk-paging` on such a cycle used to overflow the stack.
#[test]
fn paging_over_a_ref_cycle() {
    assert_error(
        "paging_alias_cycle.yaml",
        "paging_alias_cycle.yaml#/components/schemas/B: $ref cycle `#/components/schemas/B` -> `#/components/schemas/C` -> `#/components/schemas/B` never reaches a schema",
    );
}

/// A spec whose components `S0..S{n}` each refer to the next through `part` (`{{next}}`
/// replaced by the next one's `$ref`).
fn chain_spec(n: usize, part: &str) -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths:\n  /s:\n    get:\n      \
         operationId: get\n      responses:\n        '200':\n          description: ok\n          \
         content: {application/json: {schema: {$ref: '#/components/schemas/S0'}}}\n\
         components:\n  schemas:\n",
    );
    for i in 0..n {
        let next = format!("{{$ref: '#/components/schemas/S{}'}}", i + 1);
        text.push_str(&format!("    S{i}: {}\n", part.replace("{next}", &next)));
    }
    text.push_str(&format!(
        "    S{n}: {{type: object, properties: {{id: {{type: string}}}}}}\n"
    ));
    text
}

fn generate_chain(n: usize, part: &str) -> Result<sdkgen::Generated, String> {
    let text = chain_spec(n, part);
    sdkgen::generate_str("deep.yaml", &text, &sdkgen::Settings::default())
        .map_err(|e| e.to_string())
}

const ALL_OF_CHAINS: [&str; 2] = [
    "{allOf: [{next}]}",
    "{allOf: [{next}, {type: object, properties: {x: {type: string}}}]}",
];

/// `allOf` copies the fields of its parts, so each link of a chain converts the next one
/// first: a chain deeper than 64 is refused where it gets too deep (it used to overflow the
/// stack), one of 60 generates.
#[test]
fn deep_all_of_chains_are_refused_not_a_stack_overflow() {
    for part in ALL_OF_CHAINS {
        let error = generate_chain(3000, part).err().unwrap_or_default();
        assert!(
            error.starts_with("deep.yaml#/components/schemas/S64: schemas nest more than 64 deep through `$ref` and `allOf` here"),
            "{part}: {error}"
        );
        let shallow = generate_chain(60, part);
        assert!(shallow.is_ok(), "{part}: {:?}", shallow.err());
    }
}

/// A long chain of plain `$ref` aliases is not converted link by link: it generates, also
/// when the envelope's `result` is looked for through it.
#[test]
fn long_ref_chains_generate() {
    let generated = generate_chain(1000, "{next}");
    assert!(generated.is_ok(), "{:?}", generated.err());
    let text =
        chain_spec(1000, "{next}").replacen("paths:", "x-sdk-envelope: {result: id}\npaths:", 1);
    let enveloped = sdkgen::generate_str("deep.yaml", &text, &sdkgen::Settings::default());
    assert!(enveloped.is_ok(), "{:?}", enveloped.err());
}

/// Inline schemas nested as deep as the JSON parser allows (128 levels) generate or are
/// refused with a located error, on a test's 2 MiB thread too (parsing alone used to overflow
/// it at ~40 nested `allOf`s).
#[test]
fn deep_inline_nesting_ends_in_an_answer() {
    let wrappers = [
        r#"{"allOf":[X]}"#,
        r#"{"type":"object","properties":{"a":X}}"#,
        r#"{"type":"array","items":X}"#,
        r#"{"oneOf":[X,{"type":"integer"}]}"#,
    ];
    for wrapper in wrappers {
        for depth in [40, 60, 70] {
            let mut schema = r#"{"type":"string"}"#.to_owned();
            for _ in 0..depth {
                schema = wrapper.replace('X', &schema);
            }
            let text = format!(
                r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{"S":{schema}}}}}}}"#
            );
            match sdkgen::generate_str("deep.json", &text, &sdkgen::Settings::default()) {
                Ok(_) => assert!(depth <= 60, "{wrapper} x {depth} generated"),
                Err(e) => assert!(
                    depth > 60
                        && (e.message == "recursion limit exceeded"
                            || e.message.contains("nest more than 64 deep")),
                    "{wrapper} x {depth}: {e}"
                ),
            }
        }
    }
}

/// Found by the random spec graphs (case 5279): a union beside properties whose alternative is
/// a nullable alias of itself overflowed the stack while the IR was built (the alias cycle is
/// only broken afterwards). It generates, the alias being `serde_json::Value`.
#[test]
fn a_self_alias_beside_properties_generates() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    Loop:\n      nullable: true\n      anyOf:\n        \
                - $ref: '#/components/schemas/Loop'\n    Pair:\n      type: object\n      \
                properties:\n        id: {type: string}\n      oneOf:\n        \
                - $ref: '#/components/schemas/Loop'\n        \
                - {type: object, properties: {a: {type: string}}}\n";
    let generated = sdkgen::generate_str("self_alias.yaml", text, &sdkgen::Settings::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("#/components/schemas/Loop") && w.contains("contains itself")),
        "{warnings:?}"
    );
}
