//! OpenAPI 3.1 edge cases through the public API: odd but valid (or tolerable) schemas
//! generate, with the documented type or a warning naming the pointer; never a panic.

fn generate(schemas: &str) -> sdkgen::Generated {
    let spec = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\ncomponents:\n  schemas:\n{schemas}"
    );
    sdkgen::generate_str("edge.yaml", &spec, &sdkgen::Settings::default())
        .unwrap_or_else(|e| panic!("{e}\n{spec}"))
}

fn warnings(generated: &sdkgen::Generated) -> Vec<String> {
    generated.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn only_null_is_any_value() {
    let generated =
        generate("    Nothing: {anyOf: [{type: 'null'}]}\n    Null: {type: ['null']}\n");
    let nothing = &generated.files["models/nothing.rs"];
    assert!(
        nothing.contains("pub type Nothing = serde_json::Value;"),
        "{nothing}"
    );
    let null = &generated.files["models/null.rs"];
    assert!(null.contains("= serde_json::Value;"), "{null}");
}

#[test]
fn a_type_entry_that_is_not_a_name_is_any_value_with_a_warning() {
    let generated = generate("    Odd: {type: [string, 5], description: odd}\n");
    assert!(generated.files["models/odd.rs"].contains("pub type Odd = serde_json::Value;"));
    assert_eq!(
        warnings(&generated),
        [
            "#/components/schemas/Odd/type: `type` entry 5 is not a type name; the value is `serde_json::Value`"
        ]
    );
}

#[test]
fn several_patterns_are_a_map_of_their_union() {
    let generated = generate(
        "    Tags:\n      type: object\n      patternProperties:\n        '^a': {type: string}\n        '^b': {type: integer}\n      additionalProperties: false\n",
    );
    let tags = &generated.files["models/tags.rs"];
    assert!(
        tags.contains("pub type Tags = BTreeMap<String, TagsValue>;"),
        "{tags}"
    );
    assert!(
        tags.contains("String(String),") && tags.contains("Integer(i64),"),
        "{tags}"
    );
    assert!(generated.warnings.is_empty());
}

#[test]
fn a_nullable_component_makes_its_references_options() {
    let generated = generate(
        "    Maybe: {type: [object, 'null'], properties: {a: {type: string}}}\n    Holder:\n      type: object\n      required: [maybe]\n      properties:\n        maybe: {$ref: '#/components/schemas/Maybe'}\n",
    );
    let holder = &generated.files["models/holder.rs"];
    assert!(holder.contains("pub maybe: Option<Maybe>,"), "{holder}");
}

#[test]
fn a_ref_beside_all_of_merges_both() {
    let generated = generate(
        "    Base: {type: object, required: [id], properties: {id: {type: string}}}\n    More: {type: object, properties: {more: {type: integer}}}\n    Both:\n      $ref: '#/components/schemas/Base'\n      allOf: [{$ref: '#/components/schemas/More'}]\n",
    );
    let both = &generated.files["models/both.rs"];
    assert!(both.contains("pub id: String,"), "{both}");
    assert!(both.contains("pub more: Option<i64>,"), "{both}");
}

#[test]
fn const_of_other_kinds_keeps_the_value_type() {
    let generated =
        generate("    Flag: {const: true}\n    Pi: {const: 3.14}\n    Fixed: {const: {a: 1}}\n");
    assert!(generated.files["models/flag.rs"].contains("pub type Flag = bool;"));
    assert!(generated.files["models/pi.rs"].contains("pub type Pi = f64;"));
    assert!(generated.files["models/fixed.rs"].contains("BTreeMap<String, serde_json::Value>"));
}
