//! The public Rust API a spec generates, as plain data derived from the IR: every operation's
//! `Client` method, request builder, setters and result types, and every type with its fields
//! or variants, whether it is `#[non_exhaustive]` and which traits it implements. [`diff`]
//! compares two of these and classifies each change under Rust semver; [`semver`] turns the
//! class into the crate's next version.
//!
//! The derivation follows the emitters' decisions (see [`crate::ir`] for the reasons), asking
//! the IR the same questions they do ([`Api::is_aggregate`], [`crate::ir::Struct::derives_default`],
//! [`Ty::argument_kind`]), so it knows what a spec change does to callers: a new variant of an open enum is additive, a new
//! field of a request struct is breaking. `tests/surface.rs` checks it against emitted code.
//!
//! Types are shown as written (`Option<Pets>`) and compared with aliases resolved
//! (`Option<Vec<Pet>>`), as Rust compares them.

// Public API of the generator: every item documented, checked by the compiler.
#![deny(missing_docs)]

pub mod diff;
pub mod semver;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::GenerateError;
use crate::ir::{
    Api, ArgumentKind, EnumVariant, Field, Home, Operation, Outcome, Param, ParamLocation,
    ResponseCase, SchemeKind, SecurityScheme, Status, Streaming, Ty, TypeDef, TypeKind, Webhooks,
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
    /// `webhooks::Webhook::NAMES`: the webhook names `parse` reads, in spec order (empty
    /// without webhooks). The enum and its error are in [`Surface::types`].
    pub webhook_names: Vec<String>,
}

/// One operation: `Client::<method>(args) -> <builder>`, its setters and what `send` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationItem {
    /// The operationId (or the derived name).
    pub id: String,
    /// The request builder type `send()` is called on.
    pub builder: String,
    /// The `static` describing the operation (`operations::<STATIC>`).
    pub static_name: String,
    /// The method's positional arguments: required parameters, then a required body.
    pub args: Vec<Input>,
    /// Setters of the builder, by name: optional parameters and an optional body.
    pub setters: BTreeMap<String, Input>,
    /// `T` of `Result<Response<T>, Error<E>>`.
    pub output: String,
    /// `output` with every type alias replaced by what it names: what Rust compares.
    pub output_resolved: String,
    /// `E` of `Result<Response<T>, Error<E>>`.
    pub error: String,
    /// `error` with every type alias replaced by what it names.
    pub error_resolved: String,
    /// The item type of `into_stream()`, for a paged operation.
    pub stream_item: Option<String>,
    /// `stream_item` with every type alias replaced by what it names.
    pub stream_item_resolved: Option<String>,
    /// The body type of `send_streaming()` (`ByteStream`, `JsonLines<T>`), for a binary or
    /// JSON Lines success.
    pub streaming: Option<String>,
    /// `streaming` with every type alias replaced by what it names.
    pub streaming_resolved: Option<String>,
    /// The builder's waiters, by their first method (`wait_until_<name>`).
    pub waiters: BTreeMap<String, WaiterItem>,
    /// The security requirements (alternatives), each the sorted keys of the schemes applied
    /// together; an empty one lets the call go without credentials.
    pub security: Vec<Vec<String>>,
    /// Whether the method is `#[deprecated]`.
    pub deprecated: bool,
    /// Method and path: `GET /regions/{regionId}/images`.
    pub http: String,
    /// How each documented status is read: `200: DescribeImagesResult (JsonResult)`, ...
    pub responses: Vec<String>,
    /// The envelope's field names and the request-id header, as the runtime reads them.
    pub envelope: String,
    /// The `Accept` header sent, when it is not the runtime's default.
    pub accept: Option<String>,
    /// What rustdoc shows for the method: summary and description.
    pub doc: String,
}

/// One waiter: its two methods and what they wait by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterItem {
    /// The method taking `WaitOptions` (`wait_until_<name>_with`).
    pub method_with: String,
    /// What callers observe: the polled field, the ending values, the parameters checked,
    /// the interval and maximum wait.
    pub rule: String,
    /// The values documented as keeping the wait going (`retry`), which change no behaviour.
    pub keep_waiting: Vec<String>,
}

/// A method argument or a setter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The Rust name of the argument or setter.
    pub name: String,
    /// The argument type as written in the signature (`impl Into<String>`, `Vec<String>`).
    pub ty: String,
    /// The same with every type alias replaced by what it names: what Rust compares.
    pub resolved: String,
    /// Where the value goes: `query pageNumber`, `path regionId`, `body application/json`.
    pub wire: String,
    /// What rustdoc shows for it, with the documented default.
    pub doc: String,
}

/// The Rust kind of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    /// `pub struct`.
    Struct,
    /// `pub enum`.
    Enum,
    /// `pub type Name = T;`.
    TypeAlias,
}

impl ItemKind {
    /// How the report names the kind: `struct`, `enum`, `type alias`.
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
    /// Struct, enum or alias.
    pub kind: ItemKind,
    /// Whether it is `#[non_exhaustive]`: callers outside the crate can neither build it
    /// with a literal nor match it exhaustively.
    pub non_exhaustive: bool,
    /// Traits it derives or implements (`Default`, `Display`, `FromStr`, ...), sorted.
    pub traits: BTreeSet<&'static str>,
    /// Fields or variants by Rust name.
    pub members: BTreeMap<String, Member>,
    /// The aliased type of a type alias.
    pub alias: Option<String>,
    /// What rustdoc shows for the type.
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
    /// What rustdoc shows for the member, with the notes the emitter appends.
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
    let (api, webhooks, _warnings) = crate::ir::build_with_webhooks(&doc)?;
    Ok(Surface::with_webhooks(&api, &webhooks))
}

impl Surface {
    /// The public API the emitters write for `api` (a document without webhooks).
    pub fn of(api: &Api) -> Surface {
        Surface::with_webhooks(api, &Webhooks::default())
    }

    /// The public API the emitters write for `api` and its `webhooks`.
    pub fn with_webhooks(api: &Api, webhooks: &Webhooks) -> Surface {
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
        if !webhooks.hooks.is_empty() {
            let enum_path = format!("webhooks::{}", webhooks.enum_name);
            types.insert(enum_path, webhook_enum(api, webhooks));
            let error_path = format!("webhooks::{}", webhooks.error_name);
            types.insert(error_path, webhook_error());
        }
        let mut webhook_names: Vec<String> = Vec::new();
        for hook in &webhooks.hooks {
            if !webhook_names.contains(&hook.name) {
                webhook_names.push(hook.name.clone());
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
            webhook_names,
        }
    }
}

/// `webhooks::Webhook`: one variant per webhook operation, typed as the IR decides.
/// Received data, so `#[non_exhaustive]`: a new webhook is additive.
fn webhook_enum(api: &Api, webhooks: &Webhooks) -> TypeItem {
    let members = webhooks
        .hooks
        .iter()
        .map(|hook| {
            let payload = hook.variant_field(api);
            let wire = format!("{} {}", hook.method.as_str().to_uppercase(), hook.name);
            let doc = [&hook.summary, &hook.description]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n\n");
            let doc = if hook.deprecated {
                format!("Deprecated.\n\n{doc}")
            } else {
                doc
            };
            (
                hook.variant.clone(),
                member(api, payload.as_ref(), wire, doc),
            )
        })
        .collect();
    TypeItem {
        kind: ItemKind::Enum,
        non_exhaustive: true,
        traits: BTreeSet::from(["Clone", "Debug", "PartialEq"]),
        members,
        alias: None,
        doc: String::new(),
    }
}

/// `webhooks::WebhookError`: the same whatever the webhooks.
fn webhook_error() -> TypeItem {
    let variant = |ty: &str| Member {
        ty: Some(ty.to_owned()),
        resolved: Some(ty.to_owned()),
        wire: String::new(),
        doc: String::new(),
    };
    let name = "{ name: &'static str }";
    let decode = "{ name: &'static str, source: serde_json::Error }";
    TypeItem {
        kind: ItemKind::Enum,
        non_exhaustive: true,
        traits: BTreeSet::from(["Debug", "Display", "Error"]),
        members: BTreeMap::from([
            ("Decode".to_owned(), variant(decode)),
            ("MethodNeeded".to_owned(), variant(name)),
            ("NotUtf8".to_owned(), variant(name)),
            (
                "UnknownMethod".to_owned(),
                variant("{ name: &'static str, method: String }"),
            ),
            ("UnknownName".to_owned(), variant("String")),
        ]),
        alias: None,
        doc: String::new(),
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
        Ty::Nullable(value) => format!("Nullable<{}>", inner(value)),
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
    let (ty, resolved) = match ty.argument_kind() {
        ArgumentKind::IntoString => (
            "impl Into<String>".to_owned(),
            "impl Into<String>".to_owned(),
        ),
        ArgumentKind::IntoBytes => ("impl Into<Bytes>".to_owned(), "impl Into<Bytes>".to_owned()),
        ArgumentKind::Plain => (render(api, ty), resolve(api, ty)),
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
        ParamLocation::Cookie => "cookie",
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
    let outcome = |outcome: &Outcome, write: fn(&Api, &Ty) -> String| match outcome {
        Outcome::Single(ty) => write(api, ty),
        Outcome::Enum { name, .. } => name.clone(),
    };
    // The emitter streams pages only of a single success type.
    let stream_item = |write: fn(&Api, &Ty) -> String| match (&op.paging, &op.success_type) {
        (Some(paging), Outcome::Single(_)) => Some(write(api, &paging.item_ty)),
        _ => None,
    };
    let streaming = |write: fn(&Api, &Ty) -> String| {
        op.streaming.as_ref().map(|streaming| match streaming {
            Streaming::Bytes => "ByteStream".to_owned(),
            Streaming::JsonLines(item) => format!("JsonLines<{}>", write(api, item)),
        })
    };
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
        output: outcome(&op.success_type, render),
        output_resolved: outcome(&op.success_type, resolve),
        error: outcome(&op.error_type, render),
        error_resolved: outcome(&op.error_type, resolve),
        stream_item: stream_item(render),
        stream_item_resolved: stream_item(resolve),
        streaming: streaming(render),
        streaming_resolved: streaming(resolve),
        waiters: op
            .waiters
            .iter()
            .map(|w| {
                let item = WaiterItem {
                    method_with: w.method_with.clone(),
                    rule: waiter_rule(w),
                    keep_waiting: w.retry.clone(),
                };
                (w.method.clone(), item)
            })
            .collect(),
        security: security_keys(api, op),
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

/// An operation's enum by status, its variants' fields as the IR decides them.
fn outcome_enum(api: &Api, cases: &[ResponseCase], doc: &str) -> TypeItem {
    let members = cases
        .iter()
        .map(|case| {
            let ty = case.variant_field();
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

/// A field's JSON key, noting a required nullable field. It and an optional field are both
/// `Option<T>` in Rust, yet it always sends its key (`null` for `None`) where an optional one
/// leaves the key out: a change between the two is a wire change, not an API one.
fn field_wire(field: &Field) -> String {
    match (field.required, &field.ty) {
        (true, Ty::Option(_)) => format!("{} (always sent, null for None)", field.wire),
        _ => field.wire.clone(),
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
                let member = member(api, Some(&ty), field_wire(field), field_doc(field));
                members.insert(field.name.clone(), member);
            }
            if let Some(union) = &s.union {
                let member = member(api, Some(&union.ty), "(flattened oneOf/anyOf)", "");
                members.insert(union.name.clone(), member);
            }
            if let Some(additional) = &s.additional {
                let map = Ty::Map(Box::new(additional.ty.clone()));
                let member = member(api, Some(&map), "(undeclared properties)", "");
                members.insert(additional.name.clone(), member);
            }
            if s.derives_default() {
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
    variants: &[EnumVariant<V>],
    unknown: &str,
    unknown_ty: &Ty,
) -> Vec<(String, Member)> {
    let known = variants.iter().map(|variant| {
        let member = member(api, None, variant.value.to_string(), "");
        (variant.name.clone(), member)
    });
    let catch_all = member(api, Some(unknown_ty), "(any other value)", "");
    known
        .chain(std::iter::once((unknown.to_owned(), catch_all)))
        .collect()
}

/// What a waiter waits for, as its callers observe it (not `retry`, which only documents
/// values that wait like any unlisted one).
fn waiter_rule(waiter: &crate::ir::Waiter) -> String {
    let names = |params: &[crate::ir::WaiterParam]| {
        params.iter().map(|p| p.wire.clone()).collect::<Vec<_>>()
    };
    let mut rule = format!(
        "`{}`: success {:?}, failure {:?}; every {} s for at most {} s",
        waiter.path, waiter.success, waiter.failure, waiter.interval_secs, waiter.max_wait_secs
    );
    if !waiter.requires.is_empty() {
        rule.push_str(&format!("; requires {:?}", names(&waiter.requires)));
    }
    if !waiter.excludes.is_empty() {
        rule.push_str(&format!("; excludes {:?}", names(&waiter.excludes)));
    }
    if !waiter.keep_waiting_on.is_empty() {
        rule.push_str(&format!(
            "; keeps waiting on HTTP {:?}",
            waiter.keep_waiting_on
        ));
    }
    rule
}

/// An operation's requirements by scheme key (as the spec names them), each sorted.
fn security_keys(api: &Api, op: &Operation) -> Vec<Vec<String>> {
    let key = |static_name: &String| {
        api.security
            .iter()
            .find(|scheme| &scheme.static_name == static_name)
            .map_or_else(|| static_name.clone(), |scheme| scheme.key.clone())
    };
    op.security
        .iter()
        .map(|requirement| {
            let mut keys: Vec<String> = requirement.iter().map(key).collect();
            keys.sort();
            keys
        })
        .collect()
}
