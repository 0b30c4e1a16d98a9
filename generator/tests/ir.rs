//! The IR is plain data: printable and checkable without emitting code.

use std::path::Path;

use sdkgen::ir::{ArrayStyle, Decode, Outcome, ParamLocation, Status, Ty, TypeKind};

fn api(name: &str) -> sdkgen::ir::Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    let doc = sdkgen::load::parse(name, &text).expect("parses");
    sdkgen::ir::build(&doc).expect("builds").0
}

#[test]
fn operations_are_classified() {
    let api = api("operations.yaml");
    let get_part = api
        .operations
        .iter()
        .find(|op| op.id == "getPart")
        .expect("getPart");
    let style = |wire: &str| {
        get_part
            .params
            .iter()
            .find(|p| p.wire == wire)
            .and_then(|p| p.array_style)
    };
    assert_eq!(style("ids"), Some(ArrayStyle::Indexed));
    assert_eq!(style("fields"), Some(ArrayStyle::Form));
    assert_eq!(style("tags"), Some(ArrayStyle::FormExploded));
    assert_eq!(style("piped"), Some(ArrayStyle::PipeDelimited));
    let header = get_part
        .params
        .iter()
        .find(|p| p.wire == "X-Trace")
        .expect("header");
    assert_eq!(
        (header.location, header.required),
        (ParamLocation::Header, true)
    );
    let cookie = get_part
        .params
        .iter()
        .find(|p| p.wire == "session")
        .expect("cookie");
    assert_eq!(
        (cookie.location, cookie.required),
        (ParamLocation::Cookie, false)
    );
    let get_session = api
        .operations
        .iter()
        .find(|op| op.id == "getSession")
        .expect("getSession");
    let wires: Vec<&str> = get_session.params.iter().map(|p| p.wire.as_str()).collect();
    assert_eq!(
        wires,
        ["region", "session", "theme"],
        "header parameters OpenAPI ignores"
    );
    assert!(get_part.errors.iter().any(|c| c.status == Status::Default));

    let derived = api
        .operations
        .iter()
        .find(|op| op.id == "putItemsByItemIdPartsByPartId")
        .expect("derived name");
    assert!(matches!(derived.success_type, Outcome::Enum { .. }));
    assert!(matches!(derived.error_type, Outcome::Enum { .. }));
    assert!(derived.security.is_empty());

    let list = api
        .operations
        .iter()
        .find(|op| op.id == "listItems")
        .expect("listItems");
    assert_eq!(list.success[0].decode, Decode::JsonResult);
    assert_eq!(list.errors[0].decode, Decode::JsonError);
    let paging = list.paging.as_ref().expect("paged");
    assert_eq!(
        (paging.page_param.as_str(), &paging.page_ty),
        ("page", &Ty::I32)
    );
    assert_eq!(api.base_url, "https://api.example.com/v2");
}

#[test]
fn recursive_fields_are_boxed_and_only_those() {
    let api = api("refs.yaml");
    let tree = api.types.iter().find(|t| t.name == "Tree").expect("Tree");
    let TypeKind::Struct(tree) = &tree.kind else {
        panic!("Tree is a struct")
    };
    let ty = |wire: &str| {
        tree.fields
            .iter()
            .find(|f| f.wire == wire)
            .map(|f| f.ty.clone())
            .expect("field")
    };
    assert!(matches!(ty("parent"), Ty::Box(_)), "{:?}", ty("parent"));
    assert!(matches!(ty("children"), Ty::Vec(inner) if matches!(*inner, Ty::Named(_))));
    assert!(
        matches!(ty("first"), Ty::Named(_)),
        "Node does not contain Tree"
    );
}

/// A `$ref` to a property that is itself a `$ref` resolves through the chain to the component
/// (not to an empty, free-form schema), and a `$ref` with a sibling `description` keeps it,
/// while one without takes the first paragraph of the referenced schema's.
#[test]
fn ref_chains_resolve_and_ref_fields_are_documented() {
    let text = r#"
openapi: 3.0.3
info: {title: Chain, version: '1'}
paths: {}
components:
  schemas:
    Owner:
      type: object
      description: "The owner.\n\nLong details that belong on the type."
      properties: {name: {type: string}}
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
        keeper: {$ref: '#/components/schemas/Pet/properties/owner', description: Who keeps it.}
"#;
    let doc = sdkgen::load::parse("chain.yaml", text).expect("parses");
    let api = sdkgen::ir::build(&doc).expect("builds").0;
    let owner = api
        .types
        .iter()
        .position(|t| t.name == "Owner")
        .expect("Owner");
    let pet = api.types.iter().find(|t| t.name == "Pet").expect("Pet");
    let TypeKind::Struct(pet) = &pet.kind else {
        panic!("Pet is a struct")
    };
    let field = |wire: &str| pet.fields.iter().find(|f| f.wire == wire).expect("field");
    assert_eq!(field("owner").ty, Ty::Named(owner));
    assert_eq!(field("owner").doc.as_deref(), Some("The owner."));
    assert_eq!(field("keeper").ty, Ty::Named(owner));
    assert_eq!(field("keeper").doc.as_deref(), Some("Who keeps it."));
}

/// Multipart bodies send their struct's fields as parts; what a struct holds beyond its fields
/// (a map of the rest, a union beside the properties) is not sent, and says so.
#[test]
fn multipart_parts_not_sent_are_warned_about() {
    let warnings_of = |beside: &str| -> Vec<String> {
        let spec = format!(
            "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {{type: string, format: binary}}
{beside}
      responses:
        '204': {{description: Stored.}}
"
        );
        let doc = sdkgen::load::parse("upload.yaml", &spec).expect("parses");
        let (_, warnings) = sdkgen::ir::build(&doc).expect("builds");
        warnings.iter().map(ToString::to_string).collect()
    };
    let at = "#/paths/~1upload/post/requestBody/content/multipart~1form-data/schema";
    let map = warnings_of("              additionalProperties: {type: string}");
    assert_eq!(
        map,
        [format!(
            "{at}: multipart body: `additionalProperties` are not sent as parts"
        )]
    );
    let union = warnings_of(
        "              oneOf:
                - {type: object, properties: {a: {type: string}}}
                - {type: object, properties: {b: {type: integer}}}",
    );
    assert_eq!(
        union,
        [format!(
            "{at}: multipart body: the properties of its `oneOf`/`anyOf` are not sent as parts"
        )]
    );
}

/// Inclusive status intervals of one match arm.
type Intervals = Vec<(u16, u16)>;

/// The IR decides how statuses map to the decode's match arms and which variants are boxed;
/// emission only prints them.
#[test]
fn statuses_map_to_arms_and_aggregates_are_boxed() {
    use sdkgen::ir::CaseRef;
    let api = api("operations.yaml");
    // `PUT /items/{itemId}/parts/{partId}`: 200, 201, 204 succeed (an enum), 400, 409 and 4XX fail.
    let replace = api
        .operations
        .iter()
        .find(|op| op.method == sdkgen::ir::Method::Put)
        .expect("the PUT operation");
    let arms: Vec<(Intervals, bool, Status)> = replace
        .statuses
        .arms
        .iter()
        .map(|arm| {
            let cases = match arm.case.success {
                true => &replace.success,
                false => &replace.errors,
            };
            (
                arm.statuses.clone(),
                arm.case.success,
                cases[arm.case.index].status,
            )
        })
        .collect();
    assert_eq!(
        arms,
        [
            (vec![(200, 200)], true, Status::Code(200)),
            (vec![(201, 201)], true, Status::Code(201)),
            (vec![(204, 204)], true, Status::Code(204)),
            (vec![(400, 400)], false, Status::Code(400)),
            (vec![(409, 409)], false, Status::Code(409)),
            // The range leaves out the codes documented on their own.
            (vec![(401, 408), (410, 499)], false, Status::Range(4)),
        ]
    );
    assert_eq!(replace.statuses.fallback, None);
    let boxed = |cases: &[sdkgen::ir::ResponseCase]| -> Vec<(Status, bool)> {
        cases.iter().map(|c| (c.status, c.boxed)).collect()
    };
    // Structs are boxed in the enums; a string and no body are not.
    assert_eq!(
        boxed(&replace.success),
        [
            (Status::Code(200), true),
            (Status::Code(201), true),
            (Status::Code(204), false)
        ]
    );
    assert_eq!(
        boxed(&replace.errors),
        [
            (Status::Code(400), false),
            (Status::Code(409), true),
            (Status::Range(4), false)
        ]
    );
    // `getPart`: `default` is what any undocumented status reads as.
    let get_part = api
        .operations
        .iter()
        .find(|op| op.id == "getPart")
        .expect("getPart");
    let fallback = get_part.statuses.fallback.expect("default is the fallback");
    assert_eq!(
        (fallback, get_part.errors[fallback.index].status),
        (
            CaseRef {
                success: false,
                index: fallback.index
            },
            Status::Default
        )
    );
}

/// Adjacent statuses that read the body alike share one arm (`400 | 401 | 404 => ...`).
#[test]
fn statuses_read_alike_share_an_arm() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/jdcloud-vm.yaml");
    let text = std::fs::read_to_string(&path).expect("the spec is in the repository");
    let doc = sdkgen::load::parse("jdcloud-vm.yaml", &text).expect("parses");
    let api = sdkgen::ir::build(&doc).expect("builds").0;
    let describe = api
        .operations
        .iter()
        .find(|op| op.id == "describeImage")
        .expect("describeImage");
    let arms: Vec<(Intervals, bool)> = describe
        .statuses
        .arms
        .iter()
        .map(|arm| (arm.statuses.clone(), arm.case.success))
        .collect();
    let codes = |codes: &[u16]| codes.iter().map(|&c| (c, c)).collect::<Vec<_>>();
    assert_eq!(
        arms,
        [
            (codes(&[200]), true),
            (codes(&[400, 401, 404, 500, 503]), false)
        ]
    );
}

/// A schema with both `oneOf` and `anyOf` types only the `oneOf`, and says so wherever the
/// union stands: alone, or beside properties.
#[test]
fn one_of_beside_any_of_is_warned_about() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {type: object, properties: {a: {type: string}}}
    B: {type: object, properties: {b: {type: integer}}}
    Alone:
      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
      anyOf: [{$ref: '#/components/schemas/A'}]
    Beside:
      type: object
      properties: {id: {type: string}}
      oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
      anyOf: [{$ref: '#/components/schemas/A'}]
";
    let doc = sdkgen::load::parse("unions.yaml", spec).expect("parses");
    let (_, warnings) = sdkgen::ir::build(&doc).expect("builds");
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    for schema in ["Alone", "Beside"] {
        let expected = format!(
            "#/components/schemas/{schema}: a schema with both oneOf and anyOf: only the oneOf is typed"
        );
        assert!(messages.contains(&expected), "{expected}: {messages:?}");
    }
}

/// `readOnly`/`writeOnly` count where the property's schema is a `$ref` too (through an alias
/// chain): such a required property is not required of callers.
#[test]
fn read_only_through_a_reference_is_not_required() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Stamp: {type: string, readOnly: true}
    StampAlias: {$ref: '#/components/schemas/Stamp'}
    Secret: {type: string, writeOnly: true}
    Thing:
      type: object
      required: [name, created, seen, password]
      properties:
        name: {type: string}
        created: {$ref: '#/components/schemas/Stamp'}
        seen: {$ref: '#/components/schemas/StampAlias'}
        password: {$ref: '#/components/schemas/Secret'}
";
    let doc = sdkgen::load::parse("access.yaml", spec).expect("parses");
    let (api, _) = sdkgen::ir::build(&doc).expect("builds");
    let thing = api
        .types
        .iter()
        .find(|def| def.name == "Thing")
        .expect("Thing");
    let TypeKind::Struct(thing) = &thing.kind else {
        panic!("Thing is a struct")
    };
    let required: Vec<(&str, bool)> = thing
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.required))
        .collect();
    assert_eq!(
        required,
        [
            ("name", true),
            ("created", false),
            ("seen", false),
            ("password", false)
        ]
    );
}

/// Properties beside a union whose alternative is a component declaring one of them too: the
/// struct reads it first, so that alternative cannot see it; said at the pointer.
#[test]
fn a_shared_alternative_repeating_a_property_is_warned_about() {
    let spec = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Figure:
      type: object
      required: [title]
      properties: {title: {type: string}}
      oneOf: [{$ref: '#/components/schemas/Framed'}, {$ref: '#/components/schemas/Plain'}]
    Framed:
      type: object
      required: [title, border]
      properties: {title: {type: string}, border: {type: integer}}
    Plain:
      type: object
      properties: {plain: {type: boolean}}
";
    let doc = sdkgen::load::parse("figure.yaml", spec).expect("parses");
    let (_, warnings) = sdkgen::ir::build(&doc).expect("builds");
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let expected = "#/components/schemas/Figure: the union's alternative `Framed` \
                    (#/components/schemas/Framed) also declares `title`, which this struct \
                    reads first: that alternative never sees them (it fails to decode if it \
                    requires them) and a value of it sends them twice";
    assert_eq!(messages, [expected]);
}
