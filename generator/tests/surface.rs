//! The public API surface and its diff: one pair of small specs per kind of change, each with
//! the class and the item the reviewer is told about; and the surface checked against the code
//! the emitters actually write, so the two cannot drift apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sdkgen::surface::diff::{self, ApiDiff, ChangeKind, Class, Impact};
use sdkgen::surface::{self, Surface};

/// `getThing` (a path parameter, an optional query parameter, a response-only struct),
/// `createThing` (a required body of a request struct), an open enum on both sides.
const BASE: &str = "openapi: 3.0.3
info: {title: Things, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /things/{thingId}:
    get:
      operationId: getThing
      summary: One thing.
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, description: At most this many., schema: {type: integer, format: int32}}
      responses:
        '200':
          description: Found.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewThing'}
      responses:
        '204': {description: Created.}
components:
  schemas:
    Thing:
      type: object
      description: A thing.
      properties:
        name: {type: string, description: Its name.}
        color: {$ref: '#/components/schemas/Color'}
    NewThing:
      type: object
      properties:
        name: {type: string}
    Color:
      type: string
      enum: [red, green]
";

fn surface_of(text: &str) -> Surface {
    surface::from_str("spec.yaml", text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn compare(old: &str, new: &str) -> ApiDiff {
    diff::compare(&surface_of(old), &surface_of(new))
}

/// `BASE` with `from` replaced by `to` (which must be there: a silent no-op would test nothing).
fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "`{from}` is not in the base spec");
    BASE.replacen(from, to, 1)
}

/// The single change of this impact (fails if there is none or several).
fn only(diff: &ApiDiff, impact: Impact) -> (String, ChangeKind, String) {
    let found: Vec<_> = diff.changes.iter().filter(|c| c.impact == impact).collect();
    assert_eq!(found.len(), 1, "one {impact:?} change expected:\n{diff}");
    let change = found[0];
    (change.item.clone(), change.change, change.detail.clone())
}

#[test]
fn a_spec_against_itself_is_none_with_nothing_listed() {
    let diff = compare(BASE, BASE);
    assert_eq!(diff.class, Class::None);
    assert!(diff.is_empty(), "{diff}");
    assert_eq!(diff.to_string(), "api change: none");
}

#[test]
fn docs_only_is_none_and_says_what_docs_changed() {
    let new = edit("Its name.", "The thing's name.").replace("One thing.", "A single thing.");
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::None, "{diff}");
    assert!(
        diff.changes.iter().all(|c| c.impact == Impact::Docs),
        "{diff}"
    );
    let items: BTreeSet<&str> = diff.changes.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(
        items,
        BTreeSet::from(["docs of `Client::get_thing`", "docs of field `name`"])
    );
    assert_eq!(
        diff.to_string().lines().last(),
        Some("api change: none (2 docs only)")
    );
}

#[test]
fn a_new_optional_parameter_is_a_new_setter_and_additive() {
    let new = edit(
        "        - {name: limit,",
        "        - {name: verbose, in: query, schema: {type: boolean}}\n        - {name: limit,",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Additive, "{diff}");
    let (item, change, detail) = only(&diff, Impact::Additive);
    assert_eq!(item, "setter `GetThing::verbose`");
    assert_eq!(change, ChangeKind::Added);
    assert_eq!(detail, "`bool` (query verbose)");
    assert_eq!(diff.changes.len(), 1, "{diff}");
}

#[test]
fn a_json_lines_success_gains_send_streaming_and_changes_send() {
    let new = edit(
        "            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}",
        "            application/x-ndjson:\n              schema: {$ref: '#/components/schemas/Thing'}",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, change, detail) = only(&diff, Impact::Additive);
    assert_eq!(item, "`send_streaming()`");
    assert_eq!(change, ChangeKind::Added);
    assert_eq!(detail, "body `JsonLines<Thing>`");
    let (item, _, detail) = only(&diff, Impact::Breaking);
    assert_eq!(item, "`send()` success type");
    assert_eq!(detail, "`Thing` -> `Vec<Thing>`");
}

#[test]
fn a_response_media_type_change_changes_the_accept_header_on_the_wire() {
    let new = edit(
        "            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}",
        "            application/vnd.thing+json:\n              schema: {$ref: '#/components/schemas/Thing'}",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::None, "{diff}");
    let (item, _, detail) = only(&diff, Impact::Wire);
    assert_eq!(item, "`Accept` header");
    assert_eq!(
        detail,
        "the runtime's default -> application/vnd.thing+json"
    );
}

#[test]
fn a_new_required_parameter_is_a_new_argument_and_breaking() {
    let new = edit(
        "        - {name: limit,",
        "        - {name: zone, in: query, required: true, schema: {type: string}}\n        - {name: limit,",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, _, detail) = only(&diff, Impact::Breaking);
    assert_eq!(item, "arguments of `Client::get_thing`");
    assert_eq!(
        detail,
        "(thing_id: impl Into<String>) -> (thing_id: impl Into<String>, zone: impl Into<String>)"
    );
}

#[test]
fn an_optional_parameter_becoming_required_is_breaking() {
    let new = edit(
        "{name: limit, in: query,",
        "{name: limit, in: query, required: true,",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let removed = diff
        .changes
        .iter()
        .find(|c| c.item == "setter `GetThing::limit`")
        .expect("the setter is gone");
    assert_eq!(
        (removed.change, removed.impact),
        (ChangeKind::Removed, Impact::Breaking)
    );
    assert!(
        diff.changes
            .iter()
            .any(|c| c.item == "arguments of `Client::get_thing`" && c.impact == Impact::Breaking),
        "{diff}"
    );
}

#[test]
fn a_parameter_type_change_is_breaking() {
    let new = edit("format: int32}}", "format: int64}}");
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, change, detail) = only(&diff, Impact::Breaking);
    assert_eq!(item, "setter `GetThing::limit`");
    assert_eq!(change, ChangeKind::Changed);
    assert_eq!(detail, "`i32` -> `i64`");
}

#[test]
fn renaming_a_positional_parameter_changes_only_the_wire_and_docs() {
    // Callers pass it by position, so the Rust API is the same; the path is not.
    let new = BASE.replace("thingId", "id");
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::None, "{diff}");
    let impacts: BTreeSet<Impact> = diff.changes.iter().map(|c| c.impact).collect();
    assert_eq!(
        impacts,
        BTreeSet::from([Impact::Docs, Impact::Wire]),
        "{diff}"
    );
    assert!(
        diff.changes
            .iter()
            .any(|c| c.item == "HTTP method and path"),
        "{diff}"
    );
}

#[test]
fn a_new_field_of_a_response_struct_is_additive() {
    let new = edit(
        "        color: {$ref",
        "        size: {type: integer}\n        color: {$ref",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Additive, "{diff}");
    let (item, change, _) = only(&diff, Impact::Additive);
    assert_eq!((item.as_str(), change), ("field `size`", ChangeKind::Added));
    assert_eq!(diff.changes[0].scope, "type `models::Thing`");
}

#[test]
fn a_new_field_of_a_request_struct_is_breaking() {
    let new = edit(
        "    NewThing:\n      type: object\n      properties:\n",
        "    NewThing:\n      type: object\n      properties:\n        size: {type: integer}\n",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, _, detail) = only(&diff, Impact::Breaking);
    assert_eq!(item, "field `size`");
    assert!(detail.contains("not `#[non_exhaustive]`"), "{detail}");
}

#[test]
fn a_field_type_change_is_breaking() {
    let new = edit(
        "name: {type: string, description: Its name.}",
        "name: {type: integer, description: Its name.}",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, _, detail) = only(&diff, Impact::Breaking);
    assert_eq!(item, "field `name`");
    assert_eq!(detail, "`Option<String>` -> `Option<i64>`");
}

#[test]
fn a_field_becoming_required_is_breaking_and_loses_default() {
    let new = edit(
        "      description: A thing.\n",
        "      description: A thing.\n      required: [name]\n",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let rendered = diff.to_string();
    assert!(
        rendered.contains("~ field `name`: `Option<String>` -> `String` (now required)"),
        "{rendered}"
    );
    assert!(rendered.contains("- impl `Default`"), "{rendered}");
}

#[test]
fn variants_of_an_open_enum_added_are_additive_removed_are_breaking() {
    let added = compare(BASE, &edit("[red, green]", "[red, green, blue]"));
    assert_eq!(added.class, Class::Additive, "{added}");
    let (item, change, detail) = only(&added, Impact::Additive);
    assert_eq!(
        (item.as_str(), change),
        ("variant `Blue`", ChangeKind::Added)
    );
    assert_eq!(detail, "unit (`blue` on the wire)");

    let removed = compare(BASE, &edit("[red, green]", "[red]"));
    assert_eq!(removed.class, Class::Breaking, "{removed}");
    let (item, change, _) = only(&removed, Impact::Breaking);
    assert_eq!(
        (item.as_str(), change),
        ("variant `Green`", ChangeKind::Removed)
    );
}

#[test]
fn a_variant_of_a_union_callers_send_is_breaking() {
    // An untagged union in a request body is not `#[non_exhaustive]`: callers match it.
    let with = |alternatives: &str| {
        edit(
            "    NewThing:\n      type: object\n      properties:\n",
            &format!(
                "    NewThing:\n      type: object\n      properties:\n        key: {{oneOf: [{alternatives}]}}\n"
            ),
        )
    };
    let diff = compare(
        &with("{type: string}, {type: integer}"),
        &with("{type: string}, {type: integer}, {type: boolean}"),
    );
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, change, detail) = only(&diff, Impact::Breaking);
    assert!(item.starts_with("variant `"), "{item}");
    assert_eq!(change, ChangeKind::Added);
    assert!(
        detail.starts_with("`bool`")
            && detail
                .ends_with("the enum was not `#[non_exhaustive]`, so exhaustive matches miss it"),
        "{detail}"
    );
}

#[test]
fn operations_added_are_additive_removed_are_breaking() {
    let start = BASE.find("  /things:\n").expect("path");
    let end = BASE.find("components:").expect("components");
    let without = format!("{}{}", &BASE[..start], &BASE[end..]);

    let removed = compare(BASE, &without);
    assert_eq!(removed.class, Class::Breaking, "{removed}");
    let method = removed
        .changes
        .iter()
        .find(|c| c.item == "method `Client::create_thing`")
        .expect("the method is reported");
    assert_eq!(
        (method.change, method.impact),
        (ChangeKind::Removed, Impact::Breaking)
    );

    let added = compare(&without, BASE);
    assert_eq!(added.class, Class::Additive, "{added}");
    assert!(
        added
            .changes
            .iter()
            .any(|c| c.item == "method `Client::create_thing`" && c.change == ChangeKind::Added),
        "{added}"
    );
}

#[test]
fn a_field_rename_is_a_removal_and_an_addition_flagged_as_a_rename() {
    let new = edit(
        "name: {type: string, description: Its name.}",
        "title: {type: string, description: Its name.}",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let rendered = diff.to_string();
    assert!(
        rendered.contains(
            "breaking - field `name`: `Option<String>` (`name` on the wire) (same shape as `title` on the other side: a rename?)"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains("additive + field `title`: `Option<String>` (`title` on the wire) (same shape as `name` on the other side: a rename?)"),
        "{rendered}"
    );
}

#[test]
fn a_field_written_through_a_type_alias_is_the_same_type() {
    let with = |labels: &str| {
        edit(
            "        color: {$ref",
            &format!("        labels: {labels}\n        color: {{$ref"),
        )
        .replace(
            "    Color:\n",
            "    Labels: {type: array, items: {type: string}}\n    Color:\n",
        )
    };
    let aliased = with("{$ref: '#/components/schemas/Labels'}");
    let inline = with("{type: array, items: {type: string}}");
    assert!(
        surface_of(&aliased).types["models::Labels"].alias.is_some(),
        "Labels is a type alias"
    );
    let diff = compare(&aliased, &inline);
    assert_eq!(diff.class, Class::None, "{diff}");
    let (item, _, detail) = only(&diff, Impact::Docs);
    assert_eq!(item, "field `labels`");
    assert_eq!(
        detail,
        "`Option<Labels>` -> `Option<Vec<String>>` (the same type through a type alias)"
    );
    let changed = compare(&aliased, &with("{type: array, items: {type: integer}}"));
    assert_eq!(changed.class, Class::Breaking, "{changed}");
}

#[test]
fn a_type_rename_is_a_removal_and_an_addition() {
    let new = BASE.replace("Color", "Colour");
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let by_scope: BTreeMap<&str, ChangeKind> = diff
        .changes
        .iter()
        .filter(|c| c.item == "the type")
        .map(|c| (c.scope.as_str(), c.change))
        .collect();
    assert_eq!(
        by_scope,
        BTreeMap::from([
            ("type `models::Color`", ChangeKind::Removed),
            ("type `models::Colour`", ChangeKind::Added),
        ])
    );
    assert!(
        diff.changes
            .iter()
            .any(|c| c.item == "field `color`" && c.detail.contains("-> `Option<Colour>`")),
        "the field's type follows: {diff}"
    );
}

#[test]
fn a_response_struct_that_callers_start_sending_loses_non_exhaustive() {
    // `Thing` becomes a request body too: it must be constructible now.
    let new = edit(
        "schema: {$ref: '#/components/schemas/NewThing'}",
        "schema: {$ref: '#/components/schemas/Thing'}",
    );
    let diff = compare(BASE, &new);
    let change = diff
        .changes
        .iter()
        .find(|c| c.scope == "type `models::Thing`")
        .expect("Thing changed");
    assert_eq!(
        (change.item.as_str(), change.impact),
        ("no longer `#[non_exhaustive]`", Impact::Additive)
    );
    // And back: a struct callers built with a literal becomes non-exhaustive.
    let back = compare(&new, BASE);
    let change = back
        .changes
        .iter()
        .find(|c| c.scope == "type `models::Thing`")
        .expect("Thing changed");
    assert_eq!(
        (change.item.as_str(), change.impact),
        ("now `#[non_exhaustive]`", Impact::Breaking)
    );
}

#[test]
fn a_field_added_as_a_struct_changes_direction_follows_the_old_struct() {
    // Callers could not build the old, non-exhaustive `Thing`: a new field breaks nobody.
    let sent = edit(
        "schema: {$ref: '#/components/schemas/NewThing'}",
        "schema: {$ref: '#/components/schemas/Thing'}",
    );
    let grown = sent.replace(
        "        color: {$ref",
        "        size: {type: integer}\n        color: {$ref",
    );
    let field = |diff: &ApiDiff| {
        diff.changes
            .iter()
            .find(|c| c.item == "field `size`")
            .map(|c| (c.impact, c.detail.clone()))
            .expect("the new field is listed")
    };
    assert_eq!(
        field(&compare(BASE, &grown)),
        (
            Impact::Additive,
            "`Option<i64>` (`size` on the wire)".to_owned()
        )
    );
    // Callers built the old `Thing` with struct literals: the same field breaks them.
    let shrunk = BASE.replace(
        "        color: {$ref",
        "        size: {type: integer}\n        color: {$ref",
    );
    let (impact, detail) = field(&compare(&sent, &shrunk));
    assert_eq!(impact, Impact::Breaking);
    assert!(
        detail.ends_with(
            "the struct was not `#[non_exhaustive]`, so struct literals must now set it"
        ),
        "{detail}"
    );
}

#[test]
fn deprecating_an_operation_is_additive_and_a_path_change_is_wire() {
    let new = edit(
        "      operationId: getThing\n",
        "      operationId: getThing\n      deprecated: true\n",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::Additive, "{diff}");
    let (_, _, detail) = only(&diff, Impact::Additive);
    assert_eq!(detail, "now `#[deprecated]`");

    let moved = compare(BASE, &BASE.replace("  /things:\n", "  /v2/things:\n"));
    assert_eq!(moved.class, Class::None, "{moved}");
    let (item, _, detail) = only(&moved, Impact::Wire);
    assert_eq!(item, "HTTP method and path");
    assert_eq!(detail, "`POST /things` -> `POST /v2/things`");
}

#[test]
fn an_envelope_is_read_differently_but_the_api_is_the_same() {
    let new = edit(
        "servers:",
        "x-sdk-envelope: {result: result, requestId: requestId}\nservers:",
    );
    let diff = compare(BASE, &new);
    assert_eq!(diff.class, Class::None, "{diff}");
    assert!(
        diff.changes.iter().all(|c| c.impact == Impact::Wire),
        "{diff}"
    );
    assert!(
        diff.changes.iter().any(|c| c.item == "response envelope"
            && c.detail
                == "no envelope, request id: - -> result: result, error: -, request id: requestId / -"),
        "{diff}"
    );
}

#[test]
fn security_statics_added_are_additive_removed_are_breaking_changed_are_wire() {
    let with = |scheme: &str| {
        edit(
            "components:\n  schemas:\n",
            &format!("components:\n  securitySchemes:\n    token: {scheme}\n  schemas:\n"),
        )
    };
    let bearer = with("{type: http, scheme: bearer}");
    let added = compare(BASE, &bearer);
    assert_eq!(added.class, Class::Additive, "{added}");
    assert_eq!(only(&added, Impact::Additive).0, "static `security::TOKEN`");
    assert_eq!(compare(&bearer, BASE).class, Class::Breaking);
    let key = with("{type: apiKey, in: header, name: X-Key}");
    let changed = compare(&bearer, &key);
    assert_eq!(changed.class, Class::None, "{changed}");
    assert_eq!(
        only(&changed, Impact::Wire).2,
        "token: http bearer {} -> token: apiKey in Header `X-Key` {}"
    );
}

#[test]
fn the_report_is_grouped_by_scope_in_a_fixed_order() {
    let new = edit("[red, green]", "[red, green, blue]").replace(
        "        - {name: limit,",
        "        - {name: verbose, in: query, schema: {type: boolean}}\n        - {name: limit,",
    );
    let diff = compare(BASE, &new);
    assert_eq!(
        diff.to_string(),
        "operation `getThing` (`Client::get_thing`)
  additive + setter `GetThing::verbose`: `bool` (query verbose)
type `models::Color`
  additive + variant `Blue`: unit (`blue` on the wire)
api change: additive (2 additive)"
    );
    assert_eq!(
        compare(BASE, &new),
        diff,
        "the same inputs give the same diff"
    );
}

/// `getImage(regionId, imageId)`: two positional `impl Into<String>` arguments, in spec order.
const TWO_ARGS: &str = "openapi: 3.0.3
info: {title: Images, version: '1'}
paths:
  /regions/{regionId}/images/{imageId}:
    get:
      operationId: getImage
      parameters:
        - {name: regionId, in: path, required: true, schema: {type: string}}
        - {name: imageId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: Found.}
";

#[test]
fn swapping_two_positional_arguments_of_the_same_type_is_breaking() {
    // Callers still compile, but now send the region as the image id.
    let region = "        - {name: regionId, in: path, required: true, schema: {type: string}}\n";
    let image = "        - {name: imageId, in: path, required: true, schema: {type: string}}\n";
    let swapped = TWO_ARGS.replace(&format!("{region}{image}"), &format!("{image}{region}"));
    assert_ne!(swapped, TWO_ARGS, "the parameters were swapped");
    let diff = compare(TWO_ARGS, &swapped);
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, change, detail) = only(&diff, Impact::Breaking);
    assert_eq!(item, "arguments of `Client::get_image` reordered");
    assert_eq!(change, ChangeKind::Changed);
    assert_eq!(
        detail,
        "(region_id: impl Into<String>, image_id: impl Into<String>) -> \
         (image_id: impl Into<String>, region_id: impl Into<String>)"
    );
}

#[test]
fn a_required_nullable_field_becoming_optional_is_a_wire_change() {
    // Both are `Option<String>`; a required one is sent as `null`, an optional one omitted.
    let nullable = edit(
        "name: {type: string, description: Its name.}",
        "name: {type: string, nullable: true, description: Its name.}",
    );
    let required = nullable.replace(
        "      description: A thing.\n",
        "      description: A thing.\n      required: [name, color]\n",
    );
    let optional = nullable.replace(
        "      description: A thing.\n",
        "      description: A thing.\n      required: [color]\n",
    );
    let diff = compare(&required, &optional);
    assert_eq!(diff.class, Class::None, "{diff}");
    let (item, change, detail) = only(&diff, Impact::Wire);
    assert_eq!(
        (item.as_str(), change),
        ("field `name`", ChangeKind::Changed)
    );
    assert_eq!(
        detail,
        "`name (always sent, null for None)` -> `name` on the wire"
    );
    assert_eq!(diff.changes.len(), 1, "{diff}");
    assert_eq!(compare(&optional, &required).class, Class::None);
}

#[test]
fn a_result_written_through_a_type_alias_is_the_same_type() {
    let with = |schema: &str| {
        edit(
            "schema: {$ref: '#/components/schemas/Thing'}",
            &format!("schema: {schema}"),
        )
        .replace(
            "    Color:\n",
            "    Names: {type: array, items: {type: string}}\n    Color:\n",
        )
    };
    let aliased = with("{$ref: '#/components/schemas/Names'}");
    let inline = with("{type: array, items: {type: string}}");
    assert_eq!(surface_of(&aliased).operations["get_thing"].output, "Names");
    let diff = compare(&aliased, &inline);
    assert_eq!(diff.class, Class::None, "{diff}");
    let docs: Vec<_> = diff
        .changes
        .iter()
        .filter(|c| c.item == "`send()` success type")
        .collect();
    assert_eq!(docs.len(), 1, "{diff}");
    assert_eq!(docs[0].impact, Impact::Docs);
    assert_eq!(
        docs[0].detail,
        "`Names` -> `Vec<String>` (the same type through a type alias)"
    );
    let changed = compare(&aliased, &with("{type: array, items: {type: integer}}"));
    assert_eq!(changed.class, Class::Breaking, "{changed}");
}

/// `listTags`: a paged operation whose items are `{item}`.
fn paged(item: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: Tags, version: '1'}}
paths:
  /tags:
    get:
      operationId: listTags
      x-sdk-paging: {{pageParameter: page, items: items, total: total}}
      parameters:
        - {{name: page, in: query, schema: {{type: integer, format: int32}}}}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {{type: array, items: {item}}}
                  total: {{type: integer, format: int32}}
components:
  schemas:
    Tag: {{type: string}}
"
    )
}

#[test]
fn a_stream_item_written_through_a_type_alias_is_the_same_type() {
    let aliased = paged("{$ref: '#/components/schemas/Tag'}");
    let inline = paged("{type: string}");
    let stream = surface_of(&aliased).operations["list_tags"]
        .stream_item
        .clone();
    assert_eq!(stream.as_deref(), Some("Tag"), "Tag is an alias of String");
    let diff = compare(&aliased, &inline);
    assert_eq!(diff.class, Class::None, "{diff}");
    let change = diff
        .changes
        .iter()
        .find(|c| c.item == "`into_stream()` item type")
        .expect("the item type is listed");
    assert_eq!(
        (change.impact, change.detail.as_str()),
        (
            Impact::Docs,
            "`Tag` -> `String` (the same type through a type alias)"
        )
    );
    let changed = compare(&aliased, &paged("{type: integer}"));
    assert_eq!(changed.class, Class::Breaking, "{changed}");
}

/// A 3.1 document with two webhooks: `order.created` (a struct payload) and `ping` (none).
const HOOKS: &str = "openapi: 3.1.0
info: {title: Hooks, version: '1'}
webhooks:
  order.created:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        '200': {description: Received.}
  ping:
    post:
      summary: Checks the receiver is up.
      responses:
        '204': {description: Up.}
components:
  schemas:
    Order:
      type: object
      properties:
        id: {type: string}
";

/// `HOOKS` without the `ping` webhook.
fn without_ping() -> String {
    let start = HOOKS.find("  ping:\n").expect("ping");
    let end = HOOKS.find("components:").expect("components");
    format!("{}{}", &HOOKS[..start], &HOOKS[end..])
}

#[test]
fn a_removed_webhook_is_a_removed_variant_and_breaking() {
    let diff = compare(HOOKS, &without_ping());
    assert_eq!(diff.class, Class::Breaking, "{diff}");
    let (item, change, detail) = only(&diff, Impact::Breaking);
    assert_eq!(
        (item.as_str(), change),
        ("variant `Ping`", ChangeKind::Removed)
    );
    assert_eq!(detail, "unit (`POST ping` on the wire)");
    assert_eq!(diff.changes[0].scope, "type `webhooks::Webhook`");
    let (item, _, detail) = only(&diff, Impact::Wire);
    assert_eq!(item, "`Webhook::NAMES`");
    assert_eq!(detail, "-ping");

    // The enum is `#[non_exhaustive]`: a new webhook breaks no receiver's match.
    let added = compare(&without_ping(), HOOKS);
    assert_eq!(added.class, Class::Additive, "{added}");
    assert_eq!(only(&added, Impact::Additive).0, "variant `Ping`");
}

#[test]
fn the_first_webhooks_add_the_webhooks_module() {
    let start = HOOKS.find("webhooks:").expect("webhooks");
    let end = HOOKS.find("components:").expect("components");
    let none = format!("{}{}", &HOOKS[..start], &HOOKS[end..]);
    let diff = compare(&none, HOOKS);
    assert_eq!(diff.class, Class::Additive, "{diff}");
    let added: BTreeSet<&str> = diff
        .changes
        .iter()
        .filter(|c| c.item == "the type" && c.change == ChangeKind::Added)
        .map(|c| c.scope.as_str())
        .collect();
    assert_eq!(
        added,
        BTreeSet::from(["type `webhooks::Webhook`", "type `webhooks::WebhookError`"])
    );
    let back = compare(HOOKS, &none);
    assert_eq!(back.class, Class::Breaking, "{back}");
}

// The surface against the emitted code: every struct and enum's `#[non_exhaustive]`,
// `Default`, fields and variants with their types (models, operations and webhooks), every
// builder's setters and `Client` method's argument types, and the webhook `NAMES`, for every
// fixture.

/// What the emitted code says of one struct or enum.
#[derive(Debug, PartialEq)]
struct Emitted {
    non_exhaustive: bool,
    default: bool,
    /// Fields and variants with their types (a variant's payload; `None` for a unit variant),
    /// without whitespace.
    members: BTreeMap<String, Option<String>>,
}

/// A type as the surface names it: operation modules write a model as `models::Name`, the
/// surface as `Name`.
fn type_text(ty: &syn::Type) -> String {
    compact(&quote::ToTokens::to_token_stream(ty).to_string()).replace("models::", "")
}

/// A variant's payload as the surface writes it: the type of a one-field tuple variant,
/// `{name: T, ...}` of a struct variant.
fn payload(fields: &syn::Fields) -> Option<String> {
    match fields {
        syn::Fields::Unit => None,
        syn::Fields::Unnamed(tuple) => {
            let types: Vec<String> = tuple.unnamed.iter().map(|f| type_text(&f.ty)).collect();
            Some(types.join(","))
        }
        syn::Fields::Named(named) => {
            let fields: Vec<String> = named
                .named
                .iter()
                .filter_map(|f| Some(format!("{}:{}", f.ident.as_ref()?, type_text(&f.ty))))
                .collect();
            Some(format!("{{{}}}", fields.join(",")))
        }
    }
}

/// The strings of `pub const NAMES: &[&str] = &[...]`.
fn const_strings(item: &syn::ImplItemConst) -> Vec<String> {
    let syn::Expr::Reference(reference) = &item.expr else {
        return Vec::new();
    };
    let syn::Expr::Array(array) = reference.expr.as_ref() else {
        return Vec::new();
    };
    array
        .elems
        .iter()
        .filter_map(|e| match e {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .collect()
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            found |= meta.path.is_ident(name);
            Ok(())
        });
    }
    found
}

/// As the IR names it (`r#type` stays raw).
fn ident_name(ident: &syn::Ident) -> String {
    ident.to_string()
}

/// Public methods of one type: name -> argument types, without spaces (`implInto<String>`).
type Methods = BTreeMap<String, Vec<String>>;

fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}

fn argument_types(sig: &syn::Signature) -> Vec<String> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(arg) => Some(type_text(&arg.ty)),
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// What the emitted files hold: types by `models::Name` / `operations::Name` /
/// `webhooks::Name`, public methods by type name, and the webhook `NAMES`.
struct Files {
    types: BTreeMap<String, Emitted>,
    methods: BTreeMap<String, Methods>,
    names: Vec<String>,
}

fn emitted(files: &BTreeMap<String, String>) -> Files {
    let mut names = Vec::new();
    let mut types = BTreeMap::new();
    let mut methods: BTreeMap<String, Methods> = BTreeMap::new();
    for (path, text) in files {
        let module = match path.split('/').next() {
            Some("models") => "models",
            Some("operations") => "operations",
            Some("webhooks.rs") => "webhooks",
            _ => continue,
        };
        let file: syn::File = syn::parse_str(text).expect("generated code parses");
        for item in file.items {
            match item {
                syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                    let members = s.fields.iter().filter_map(|f| {
                        Some((ident_name(f.ident.as_ref()?), Some(type_text(&f.ty))))
                    });
                    let emitted = Emitted {
                        non_exhaustive: has_attr(&s.attrs, "non_exhaustive"),
                        default: derives(&s.attrs, "Default"),
                        members: members.collect(),
                    };
                    types.insert(format!("{module}::{}", s.ident), emitted);
                }
                syn::Item::Enum(e) => {
                    let emitted = Emitted {
                        non_exhaustive: has_attr(&e.attrs, "non_exhaustive"),
                        default: derives(&e.attrs, "Default"),
                        members: e
                            .variants
                            .iter()
                            .map(|v| (ident_name(&v.ident), payload(&v.fields)))
                            .collect(),
                    };
                    types.insert(format!("{module}::{}", e.ident), emitted);
                }
                syn::Item::Impl(block) if block.trait_.is_none() => {
                    let syn::Type::Path(ty) = block.self_ty.as_ref() else {
                        continue;
                    };
                    let Some(segment) = ty.path.segments.last() else {
                        continue;
                    };
                    for item in &block.items {
                        if let syn::ImplItem::Const(c) = item {
                            if c.ident == "NAMES" {
                                names.extend(const_strings(c));
                            }
                        }
                    }
                    let fns = block.items.iter().filter_map(|item| match item {
                        syn::ImplItem::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => {
                            Some((ident_name(&f.sig.ident), argument_types(&f.sig)))
                        }
                        _ => None,
                    });
                    methods
                        .entry(segment.ident.to_string())
                        .or_default()
                        .extend(fns);
                }
                _ => {}
            }
        }
    }
    Files {
        types,
        methods,
        names,
    }
}

#[test]
fn the_surface_matches_the_emitted_code_of_every_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|ext| ext != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path.display().to_string();
        let generated = sdkgen::generate_str(&name, &text, &sdkgen::Settings::default())
            .expect("the fixture generates");
        let surface = surface::from_str(&name, &text).expect("surface");
        let Files {
            types,
            methods,
            names,
        } = emitted(&generated.files);
        assert_eq!(names, surface.webhook_names, "{name}: webhook NAMES");

        let aliases: BTreeSet<&String> = surface
            .types
            .iter()
            .filter(|(_, t)| t.alias.is_some())
            .map(|(path, _)| path)
            .collect();
        let described: BTreeSet<&String> = surface.types.keys().collect();
        let builders: BTreeSet<String> = surface
            .operations
            .values()
            .map(|op| format!("operations::{}", op.builder))
            .collect();
        let written: BTreeSet<&String> = types.keys().filter(|k| !builders.contains(*k)).collect();
        let expected: BTreeSet<&String> = described.difference(&aliases).copied().collect();
        assert_eq!(expected, written, "{name}: the same structs and enums");
        for (path, item) in &surface.types {
            let Some(emitted) = types.get(path) else {
                continue;
            };
            let derived = Emitted {
                non_exhaustive: item.non_exhaustive,
                default: item.traits.contains("Default"),
                members: item
                    .members
                    .iter()
                    .map(|(name, m)| (name.clone(), m.ty.as_deref().map(compact)))
                    .collect(),
            };
            assert_eq!(&derived, emitted, "{name}: {path}");
            checked += 1;
        }
        let client = methods.get("Client").cloned().unwrap_or_default();
        for (method, op) in &surface.operations {
            let mut expected: Methods = op
                .setters
                .iter()
                .map(|(setter, input)| (setter.clone(), vec![compact(&input.ty)]))
                .collect();
            expected.insert("send".to_owned(), Vec::new());
            expected.insert("into_request".to_owned(), Vec::new());
            for (waiter, item) in &op.waiters {
                expected.insert(waiter.clone(), Vec::new());
                expected.insert(item.method_with.clone(), vec!["WaitOptions".to_owned()]);
            }
            if op.stream_item.is_some() {
                expected.insert("into_stream".to_owned(), Vec::new());
            }
            if op.streaming.is_some() {
                expected.insert("send_streaming".to_owned(), Vec::new());
            }
            assert_eq!(
                methods.get(&op.builder),
                Some(&expected),
                "{name}: setters of {}",
                op.builder
            );
            let args: Vec<String> = op.args.iter().map(|a| compact(&a.ty)).collect();
            assert_eq!(client.get(method), Some(&args), "{name}: Client::{method}");
        }
    }
    assert!(checked >= 40, "only {checked} types checked");
}

/// `getThing` with a waiter on the thing's color, waiting for `success`, with `extra` lines.
fn with_waiter(success: &str, extra: &str) -> String {
    edit(
        "      summary: One thing.\n",
        &format!(
            "      summary: One thing.\n      x-sdk-waiters:\n        thingGreen:\n          \
             state: color\n          success: [{success}]\n          interval: 2\n          \
             maxWait: 60\n{extra}"
        ),
    )
}

/// The changes to waiters, as (item, change, impact).
fn waiter_changes(diff: &ApiDiff) -> Vec<(String, ChangeKind, Impact)> {
    diff.changes
        .iter()
        .filter(|c| c.item.contains("waiter "))
        .map(|c| (c.item.clone(), c.change, c.impact))
        .collect()
}

const BOTH_METHODS: &str =
    "waiter `GetThing::wait_until_thing_green` and `GetThing::wait_until_thing_green_with`";

#[test]
fn a_new_waiter_is_additive_and_a_removed_one_breaking() {
    let waiting = with_waiter("green", "");
    let added = compare(BASE, &waiting);
    assert_eq!(added.class, Class::Additive, "{added}");
    assert_eq!(
        waiter_changes(&added),
        [(BOTH_METHODS.to_owned(), ChangeKind::Added, Impact::Additive)],
        "{added}"
    );
    assert_eq!(added.changes.len(), 1, "{added}");
    let removed = compare(&waiting, BASE);
    assert_eq!(removed.class, Class::Breaking, "{removed}");
    assert_eq!(
        waiter_changes(&removed),
        [(
            BOTH_METHODS.to_owned(),
            ChangeKind::Removed,
            Impact::Breaking
        )],
        "{removed}"
    );
}

#[test]
fn a_waiter_waiting_for_other_values_changes_behaviour_on_the_wire() {
    let diff = compare(&with_waiter("green", ""), &with_waiter("red", ""));
    assert_eq!(
        waiter_changes(&diff),
        [(BOTH_METHODS.to_owned(), ChangeKind::Changed, Impact::Wire)],
        "{diff}"
    );
    assert!(diff.to_string().contains("[\"red\"]"), "{diff}");
}

/// `BASE` with two security schemes declared and `getThing`'s requirements set to
/// `requirements` (YAML flow sequence; `None` leaves the operation without security).
fn secured(requirements: Option<&str>) -> String {
    let schemes = "components:\n  securitySchemes:\n    apiKey: {type: apiKey, in: header, \
                   name: X-Key}\n    bearer: {type: http, scheme: bearer}\n";
    let spec = edit("components:\n", schemes);
    match requirements {
        Some(requirements) => spec.replacen(
            "      summary: One thing.\n",
            &format!("      summary: One thing.\n      security: {requirements}\n"),
            1,
        ),
        None => spec,
    }
}

fn security_change(old: Option<&str>, new: Option<&str>) -> (Impact, String) {
    let diff = compare(&secured(old), &secured(new));
    let found: Vec<_> = diff
        .changes
        .iter()
        .filter(|c| c.item == "security requirements")
        .collect();
    assert_eq!(found.len(), 1, "{diff}");
    assert_eq!(diff.changes.len(), 1, "{diff}");
    (found[0].impact, found[0].detail.clone())
}

#[test]
fn needing_more_credentials_is_breaking_and_needing_fewer_is_on_the_wire() {
    let either = Some("[{apiKey: []}, {bearer: []}]");
    let both = Some("[{apiKey: [], bearer: []}]");
    let key = Some("[{apiKey: []}]");
    assert_eq!(
        security_change(either, both),
        (
            Impact::Breaking,
            "{apiKey} or {bearer} -> {apiKey + bearer}".to_owned()
        )
    );
    assert_eq!(security_change(both, either).0, Impact::Wire);
    assert_eq!(security_change(key, either).0, Impact::Wire);
    assert_eq!(security_change(either, key).0, Impact::Breaking);
    assert_eq!(
        security_change(None, key),
        (Impact::Breaking, "none -> {apiKey}".to_owned())
    );
    assert_eq!(security_change(key, None).0, Impact::Wire);
    assert_eq!(
        security_change(key, Some("[{apiKey: []}, {}]")).0,
        Impact::Wire
    );
}

/// `retry` only documents values that keep waiting, as any unlisted value does.
#[test]
fn other_keep_waiting_values_are_a_docs_change() {
    let diff = compare(
        &with_waiter("green", ""),
        &with_waiter("green", "          retry: [red]\n"),
    );
    assert_eq!(
        waiter_changes(&diff),
        [(
            format!("docs of {BOTH_METHODS}"),
            ChangeKind::Changed,
            Impact::Docs
        )],
        "{diff}"
    );
    assert_eq!(diff.changes.len(), 1, "{diff}");
}

/// A parameter the waiter newly requires makes some waits refused, and a status that keeps
/// waiting makes some go on: callers compile but the wait behaves differently.
#[test]
fn checked_parameters_and_statuses_are_part_of_the_waiter_rule() {
    let diff = compare(
        &with_waiter("green", ""),
        &with_waiter("green", "          requires: [limit]\n"),
    );
    assert_eq!(
        waiter_changes(&diff),
        [(BOTH_METHODS.to_owned(), ChangeKind::Changed, Impact::Wire)],
        "{diff}"
    );
    assert!(diff.to_string().contains("requires [\"limit\"]"), "{diff}");
    let diff = compare(
        &with_waiter("green", ""),
        &with_waiter("green", "          keepWaitingOn: [404]\n"),
    );
    assert_eq!(
        waiter_changes(&diff),
        [(BOTH_METHODS.to_owned(), ChangeKind::Changed, Impact::Wire)],
        "{diff}"
    );
}
