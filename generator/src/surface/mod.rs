//! The public Rust API a spec generates, as plain data derived from the IR: every operation's
//! `Client` method, request builder, setters and result types, and every type with its fields
//! or variants, whether it is `#[non_exhaustive]` and which traits it implements. [`diff`]
//! compares two of these and classifies each change under Rust semver; [`semver`] turns the
//! class into the crate's next version.
//!
//! The derivation follows the emitters' decisions (see [`crate::ir`] for the reasons), so it
//! knows what a spec change does to callers: a new variant of an open enum is additive, a new
//! field of a request struct is breaking. `tests/surface.rs` checks it against emitted code.
//!
//! Types are shown as written (`Option<Pets>`) and compared with aliases resolved
//! (`Option<Vec<Pet>>`), as Rust compares them.

pub mod diff;
pub mod semver;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::GenerateError;
use crate::ir::{
    Api, Field, Home, Operation, Outcome, Param, ParamLocation, ResponseCase, SchemeKind,
    SecurityScheme, Status, Streaming, Ty, TypeDef, TypeKind,
};

/// The public API of one generated module tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surface {
    /// `BASE_URL`.
    pub base_url: String,
    /// The root module's doc: title, version and description.
    pub doc: String,
    /// By `Client` method name.
    pub operations: BTreeMap<String, OperationItem>,
    /// By path from the tree's root (`models::Image`, `operations::DescribeImagesResult`).
    pub types: BTreeMap<String, TypeItem>,
    /// `security::<STATIC>` -> what the static holds (key, kind, `x-` extensions).
    pub security: BTreeMap<String, String>,
}

/// One operation: `Client::<method>(args) -> <builder>`, its setters and what `send` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationItem {
    /// The operationId (or the derived name).
    pub id: String,
    pub builder: String,
    pub static_name: String,
    /// The method's positional arguments: required parameters, then a required body.
    pub args: Vec<Input>,
    /// Setters of the builder, by name: optional parameters and an optional body.
    pub setters: BTreeMap<String, Input>,
    /// `T` of `Result<Response<T>, Error<E>>`.
    pub output: String,
    /// `E` of `Result<Response<T>, Error<E>>`.
    pub error: String,
    /// The item type of `into_stream()`, for a paged operation.
    pub stream_item: Option<String>,
    /// The body type of `send_streaming()` (`ByteStream`, `JsonLines<T>`), for a binary or
    /// JSON Lines success.
    pub streaming: Option<String>,
    pub deprecated: bool,
    /// Method and path: `GET /regions/{regionId}/images`.
    pub http: String,
    /// How each documented status is read: `200: DescribeImagesResult (JsonResult)`, ...
    pub responses: Vec<String>,
    /// The envelope's field names and the request-id header, as the runtime reads them.
    pub envelope: String,
    /// The `Accept` header sent, when it is not the runtime's default.
    pub accept: Option<String>,
    pub doc: String,
}

/// A method argument or a setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    /// The argument type as written in the signature (`impl Into<String>`, `Vec<String>`).
    pub ty: String,
    /// The same with every type alias replaced by what it names: what Rust compares.
    pub resolved: String,
    /// Where the value goes: `query pageNumber`, `path regionId`, `body application/json`.
    pub wire: String,
    pub doc: String,
}

/// The Rust kind of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Struct,
    Enum,
    TypeAlias,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Struct => "struct",
            ItemKind::Enum => "enum",
            ItemKind::TypeAlias => "type alias",
        }
    }

    /// What its members are called.
    pub fn member(self) -> &'static str {
        match self {
            ItemKind::Struct => "field",
            ItemKind::Enum | ItemKind::TypeAlias => "variant",
        }
    }
}

/// A struct, enum or alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeItem {
    pub kind: ItemKind,
    pub non_exhaustive: bool,
    /// Traits it derives or implements (`Default`, `Display`, `FromStr`, ...), sorted.
    pub traits: BTreeSet<&'static str>,
    /// Fields or variants by Rust name.
    pub members: BTreeMap<String, Member>,
    /// The aliased type of a type alias.
    pub alias: Option<String>,
    pub doc: String,
}

/// A struct field or an enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// A field's type; a variant's payload type (`None` for a unit variant).
    pub ty: Option<String>,
    /// The same with every type alias replaced by what it names: what Rust compares.
    pub resolved: Option<String>,
    /// The name or value on the wire (a variant's value or tags, a field's JSON key).
    pub wire: String,
    pub doc: String,
}

/// The surface of a spec file (YAML or JSON).
pub fn from_file(path: &Path) -> Result<Surface, GenerateError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| GenerateError::at(&name, "#", format!("cannot read: {e}")))?;
    from_str(&name, &text)
}

/// The surface of spec text; `name` is used in messages and picks JSON (`.json`) or YAML.
pub fn from_str(name: &str, text: &str) -> Result<Surface, GenerateError> {
    let doc = crate::load::parse(name, text)?;
    let (api, _warnings) = crate::ir::build(&doc)?;
    Ok(Surface::of(&api))
}

impl Surface {
    /// The public API the emitters write for `api`.
    pub fn of(api: &Api) -> Surface {
        let mut doc = format!("{} (version {})", api.title, api.version);
        if let Some(description) = &api.description {
            doc.push_str("\n\n");
            doc.push_str(description);
        }
        let mut types: BTreeMap<String, TypeItem> = api
            .types
            .iter()
            .enumerate()
            .map(|(id, def)| (type_path(def), type_item(api, id, def)))
            .collect();
        for op in &api.operations {
            for (outcome, cases) in [
                (&op.success_type, &op.success),
                (&op.error_type, &op.errors),
            ] {
                if let Outcome::Enum { name, doc } = outcome {
                    types.insert(format!("operations::{name}"), outcome_enum(api, cases, doc));
                }
            }
        }
        Surface {
            base_url: api.base_url.clone(),
            doc,
            operations: api
                .operations
                .iter()
                .map(|op| (op.method_name.clone(), operation_item(api, op)))
                .collect(),
            types,
            security: api
                .security
                .iter()
                .map(|scheme| {
                    (
                        format!("security::{}", scheme.static_name),
                        scheme_text(scheme),
                    )
                })
                .collect(),
        }
    }
}

/// `jdcloudSigning: apiKey in header Authorization {"x-...": ...}`: what the static holds.
fn scheme_text(scheme: &SecurityScheme) -> String {
    let kind = match &scheme.kind {
        SchemeKind::ApiKey { location, name } => format!("apiKey in {location:?} `{name}`"),
        SchemeKind::Http { scheme } => format!("http {scheme}"),
        SchemeKind::OAuth2 => "oauth2".to_owned(),
        SchemeKind::OpenIdConnect => "openIdConnect".to_owned(),
    };
    format!("{}: {kind} {}", scheme.key, scheme.extensions)
}

fn type_path(def: &TypeDef) -> String {
    match def.home {
        Home::Model(_) => format!("models::{}", def.name),
        Home::Operation(_) => format!("operations::{}", def.name),
    }
}

/// A type expression as the generated code writes it.
pub fn render(api: &Api, ty: &Ty) -> String {
    write_ty(api, ty, false, &mut Vec::new())
}

/// A type expression with every alias replaced by what it names.
pub fn resolve(api: &Api, ty: &Ty) -> String {
    write_ty(api, ty, true, &mut Vec::new())
}

/// `expanding`: the aliases being replaced, so a cycle through aliases stops at a name.
fn write_ty(api: &Api, ty: &Ty, resolve: bool, expanding: &mut Vec<usize>) -> String {
    let mut inner = |ty: &Ty| write_ty(api, ty, resolve, expanding);
    match ty {
        Ty::String => "String".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::I32 => "i32".to_owned(),
        Ty::I64 => "i64".to_owned(),
        Ty::U32 => "u32".to_owned(),
        Ty::U64 => "u64".to_owned(),
        Ty::F32 => "f32".to_owned(),
        Ty::F64 => "f64".to_owned(),
        Ty::Bytes => "Bytes".to_owned(),
        Ty::Value => "serde_json::Value".to_owned(),
        Ty::Unit => "()".to_owned(),
        Ty::Named(id) => match api.types.get(*id) {
            Some(TypeDef {
                kind: TypeKind::Alias(aliased),
                ..
            }) if resolve && !expanding.contains(id) => {
                expanding.push(*id);
                let text = write_ty(api, aliased, resolve, expanding);
                expanding.pop();
                text
            }
            Some(def) => def.name.clone(),
            None => format!("<type {id}>"),
        },
        Ty::Vec(item) => format!("Vec<{}>", inner(item)),
        Ty::Map(value) => format!("BTreeMap<String, {}>", inner(value)),
        Ty::Option(value) => format!("Option<{}>", inner(value)),
        Ty::Box(value) => format!("Box<{}>", inner(value)),
        Ty::Tuple(items) => {
            let items: Vec<String> = items.iter().map(inner).collect();
            // A one-element tuple keeps its comma, as the emitter writes it.
            match items.as_slice() {
                [only] => format!("({only},)"),
                _ => format!("({})", items.join(", ")),
            }
        }
    }
}

/// A field or variant of type `ty` (`None`: a unit variant).
fn member(api: &Api, ty: Option<&Ty>, wire: impl Into<String>, doc: impl Into<String>) -> Member {
    Member {
        ty: ty.map(|ty| render(api, ty)),
        resolved: ty.map(|ty| resolve(api, ty)),
        wire: wire.into(),
        doc: doc.into(),
    }
}

/// A method argument or setter as the emitters take it (`impl Into<String>` for text).
fn input(api: &Api, name: &str, ty: &Ty, wire: String, doc: String) -> Input {
    let (ty, resolved) = match ty {
        Ty::String => (
            "impl Into<String>".to_owned(),
            "impl Into<String>".to_owned(),
        ),
        Ty::Bytes => ("impl Into<Bytes>".to_owned(), "impl Into<Bytes>".to_owned()),
        other => (render(api, other), resolve(api, other)),
    };
    Input {
        name: name.to_owned(),
        ty,
        resolved,
        wire,
        doc,
    }
}

fn param_input(api: &Api, param: &Param) -> Input {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let style = param
        .array_style
        .map(|style| format!(" ({style:?})"))
        .unwrap_or_default();
    let mut doc = param.doc.clone().unwrap_or_default();
    if let Some(default) = &param.default {
        doc.push_str(&format!("\n\ndefault: {default}"));
    }
    let wire = format!("{location} {}{style}", param.wire);
    input(api, &param.name, &param.ty, wire, doc)
}

fn operation_item(api: &Api, op: &Operation) -> OperationItem {
    let mut args = Vec::new();
    let mut setters = BTreeMap::new();
    for param in &op.params {
        let input = param_input(api, param);
        if param.required {
            args.push(input);
        } else {
            setters.insert(input.name.clone(), input);
        }
    }
    if let Some(body) = &op.body {
        let media = body.media_type();
        let doc = body.doc.clone().unwrap_or_default();
        let input = input(api, &body.name, &body.ty, format!("body {media}"), doc);
        if body.required {
            args.push(input);
        } else {
            setters.insert(input.name.clone(), input);
        }
    }
    let outcome = |outcome: &Outcome| match outcome {
        Outcome::Single(ty) => render(api, ty),
        Outcome::Enum { name, .. } => name.clone(),
    };
    // The emitter streams pages only of a single success type.
    let stream_item = match (&op.paging, &op.success_type) {
        (Some(paging), Outcome::Single(_)) => Some(render(api, &paging.item_ty)),
        _ => None,
    };
    let streaming = op.streaming.as_ref().map(|streaming| match streaming {
        Streaming::Bytes => "ByteStream".to_owned(),
        Streaming::JsonLines(item) => format!("JsonLines<{}>", render(api, item)),
    });
    let responses = op
        .success
        .iter()
        .chain(&op.errors)
        .map(|case| {
            format!(
                "{}: {} ({:?})",
                status(case.status),
                render(api, &case.ty),
                case.decode
            )
        })
        .collect();
    let doc = [&op.summary, &op.description]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n\n");
    OperationItem {
        id: op.id.clone(),
        builder: op.builder.clone(),
        static_name: op.static_name.clone(),
        args,
        setters,
        output: outcome(&op.success_type),
        error: outcome(&op.error_type),
        stream_item,
        streaming,
        deprecated: op.deprecated,
        http: format!("{} {}", op.method.as_str().to_uppercase(), op.path),
        responses,
        envelope: envelope_text(op),
        accept: op.accept.clone(),
        doc,
    }
}

/// `result: result, error: error, request id: requestId / x-jdcloud-request-id`.
fn envelope_text(op: &Operation) -> String {
    let field = |name: &Option<String>| name.clone().unwrap_or_else(|| "-".to_owned());
    let header = field(&op.request_id_header);
    match &op.envelope {
        Some(e) => format!(
            "result: {}, error: {}, request id: {} / {header}",
            field(&e.result),
            field(&e.error),
            field(&e.request_id)
        ),
        None => format!("no envelope, request id: {header}"),
    }
}

fn status(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(hundreds) => format!("{hundreds}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// An operation's enum by status: variants box structs and unions, as the emitter does.
fn outcome_enum(api: &Api, cases: &[ResponseCase], doc: &str) -> TypeItem {
    let members = cases
        .iter()
        .map(|case| {
            let aggregate = matches!(case.ty, Ty::Named(id)
                if matches!(api.types.get(id).map(|d| &d.kind), Some(TypeKind::Struct(_) | TypeKind::Union(_))));
            let ty = match &case.ty {
                Ty::Unit => None,
                ty if aggregate => Some(Ty::Box(Box::new(ty.clone()))),
                ty => Some(ty.clone()),
            };
            let member = member(api, ty.as_ref(), status(case.status), case.doc.clone());
            (case.variant.clone(), member)
        })
        .collect();
    TypeItem {
        kind: ItemKind::Enum,
        non_exhaustive: true,
        traits: BTreeSet::from(["Clone", "Debug", "PartialEq"]),
        members,
        alias: None,
        doc: doc.to_owned(),
    }
}

/// What rustdoc shows for a field: its doc and the notes the emitter appends.
fn field_doc(field: &Field) -> String {
    let mut doc = field.doc.clone().unwrap_or_default();
    if let Some(format) = &field.format {
        doc.push_str(&format!("\n\nformat: {format}"));
    }
    if let Some(default) = &field.default {
        doc.push_str(&format!("\n\ndefault: {default}"));
    }
    if field.deprecated {
        doc.push_str("\n\ndeprecated");
    }
    doc
}

const SERDE_ENUM_TRAITS: [&str; 7] = [
    "Clone",
    "Debug",
    "Deserialize",
    "Display",
    "Eq",
    "Hash",
    "PartialEq",
];

fn type_item(api: &Api, id: usize, def: &TypeDef) -> TypeItem {
    let doc = def.doc.clone().unwrap_or_default();
    let mut traits: BTreeSet<&'static str> =
        BTreeSet::from(["Clone", "Debug", "Deserialize", "PartialEq", "Serialize"]);
    let mut members = BTreeMap::new();
    let (kind, non_exhaustive, alias) = match &def.kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                let ty = if field.required {
                    field.ty.clone()
                } else {
                    field.ty.clone().optional()
                };
                let member = member(api, Some(&ty), field.wire.clone(), field_doc(field));
                members.insert(field.name.clone(), member);
            }
            if let Some(additional) = &s.additional {
                let map = Ty::Map(Box::new(additional.ty.clone()));
                let member = member(api, Some(&map), "(undeclared properties)", "");
                members.insert(additional.name.clone(), member);
            }
            if s.fields.iter().all(|f| !f.required) {
                traits.insert("Default");
            }
            (ItemKind::Struct, def.output_only, None)
        }
        TypeKind::StringEnum(e) => {
            traits.extend(SERDE_ENUM_TRAITS);
            traits.extend(["From<&str>", "From<String>", "FromStr"]);
            members.extend(open_variants(api, &e.variants, &e.unknown, &Ty::String));
            (ItemKind::Enum, true, None)
        }
        TypeKind::IntEnum(e) => {
            traits.extend(SERDE_ENUM_TRAITS);
            traits.extend(["Copy", "From<i64>"]);
            members.extend(open_variants(api, &e.variants, &e.unknown, &Ty::I64));
            (ItemKind::Enum, true, None)
        }
        TypeKind::Union(u) => {
            for variant in &u.variants {
                let payload = (variant.ty != Ty::Unit).then_some(&variant.ty);
                let member = member(api, payload, variant.tags.join(", "), "");
                members.insert(variant.name.clone(), member);
            }
            match &u.discriminator {
                // Tagged unions are open: a catch-all keeps an unknown tag.
                Some(_) => {
                    let unknown = u.unknown.as_deref().unwrap_or("Unknown");
                    let member = member(api, Some(&Ty::Value), "(any other tag)", "");
                    members.insert(unknown.to_owned(), member);
                    (ItemKind::Enum, true, None)
                }
                None => {
                    if crate::ir::is_displayable(&api.types, &Ty::Named(id)) {
                        traits.insert("Display");
                    }
                    (ItemKind::Enum, def.output_only, None)
                }
            }
        }
        TypeKind::Alias(ty) => {
            traits.clear();
            (ItemKind::TypeAlias, false, Some(render(api, ty)))
        }
    };
    TypeItem {
        kind,
        non_exhaustive,
        traits,
        members,
        alias,
        doc,
    }
}

fn open_variants<V: std::fmt::Display>(
    api: &Api,
    variants: &[(String, V)],
    unknown: &str,
    unknown_ty: &Ty,
) -> Vec<(String, Member)> {
    let known = variants
        .iter()
        .map(|(name, value)| (name.clone(), member(api, None, value.to_string(), "")));
    let catch_all = member(api, Some(unknown_ty), "(any other value)", "");
    known
        .chain(std::iter::once((unknown.to_owned(), catch_all)))
        .collect()
}
