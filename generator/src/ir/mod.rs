//! The intermediate representation: plain data, every `$ref` resolved and every Rust name
//! decided (by [`crate::naming`]), so the emitters are pure functions of it.
//!
//! Type mapping decisions (lossless first):
//! - `integer`: `int32` -> `i32`, `int64` or none -> `i64`, `uint32`/`uint64` -> `u32`/`u64`;
//!   `number`: `float` -> `f32`, `double` or none -> `f64`.
//! - `string` formats `date-time`, `date`, `uuid` (and any other) stay `String`, so values the
//!   service sends in an unexpected shape still decode and round-trip unchanged; the field's
//!   doc names the format. `byte` is a base64 `String`. `binary` is `Bytes` only as a whole
//!   request or response body; inside a JSON model it is a `String`.
//! - Every string enum is open (an `Unknown(String)` variant keeps unknown values); integer
//!   enums likewise (`Unknown(i64)`).
//! - A `default` is documented on the field, which stays an `Option` (serialising back never
//!   invents a value the peer did not send).
//! - A required `readOnly`/`writeOnly` property is optional (one type serves both directions);
//!   an optional, nullable property of a type a JSON request body reaches is
//!   [`Ty::Nullable`], so `null` can be sent (`nullable.rs`).
//! - Properties beside a `oneOf`/`anyOf` are a struct with the union flattened into it; a
//!   `discriminator` base without `oneOf` is a tagged union of its subtypes (`inheritance.rs`).
//! - Empty schemas, `not`, and constructs the generator cannot express become
//!   `serde_json::Value`, with a [`crate::Warning`] where a construct was dropped.
//! - Forward compatibility is decided by direction ([`TypeDef::output_only`]). Types only
//!   responses reach are `#[non_exhaustive]`, so a field or variant the service adds later is
//!   not a breaking change; callers read them, and build one (for tests) from `Default` when
//!   every field is optional. Types a caller sends (parameters, bodies and what they contain)
//!   keep plain `pub` fields without `#[non_exhaustive]`, so they stay constructible with a
//!   struct literal (`..Default::default()` when every field is optional); a field added to
//!   one is a breaking change, as it is in hand-written code. Every string and integer enum
//!   and every tagged union is `#[non_exhaustive]` (they are open), and so are an operation's
//!   response and error enums; request builders keep private fields, so a new optional
//!   parameter is only a new setter.

use std::collections::{BTreeSet, HashSet};

use self::build::Builder;
use crate::error::{GenerateError, Warning};
use crate::load::Document;
use crate::naming;

mod build;
mod content;
mod idempotency;
mod inheritance;
mod media;
mod nullable;
mod operations;
mod paging;
mod recursion;
mod ref_cycles;
mod refs;
mod repeated;
mod responses;
mod tuples;
pub mod union_fit;
mod view;
mod waiters;
mod webhooks;

pub use waiters::StateStep;
pub use webhooks::{Webhook, Webhooks};

/// Index of a [`TypeDef`] in [`Api::types`].
pub type TypeId = usize;

/// The whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// `servers[0].url` with its variables' defaults substituted; empty without servers.
    pub base_url: String,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub security: Vec<SecurityScheme>,
    /// Runtime-crate types no generated type is named after: generated files import these
    /// (`use sdkgen_runtime::Request;`) and write any other runtime item with its crate path.
    pub runtime_imports: BTreeSet<String>,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    /// `Bytes`: a binary body.
    Bytes,
    /// `serde_json::Value`: free-form.
    Value,
    /// `()`: no body.
    Unit,
    Named(TypeId),
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    Option(Box<Ty>),
    /// `Nullable<T>` (the runtime's): absent, an explicit `null`, or a value. Fields that are
    /// both optional and nullable in the types callers send, so a PATCH can send `null`.
    Nullable(Box<Ty>),
    Box(Box<Ty>),
    /// `(A, B, ...)`: a closed 3.1 `prefixItems` tuple.
    Tuple(Vec<Ty>),
}

impl Ty {
    /// `Option<self>`, not doubled (a `Nullable` already says absent).
    pub fn optional(self) -> Ty {
        match self {
            Ty::Option(_) | Ty::Nullable(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    /// How a `Client` method argument or a setter takes a value of this type.
    pub fn argument_kind(&self) -> ArgumentKind {
        match self {
            Ty::String => ArgumentKind::IntoString,
            Ty::Bytes => ArgumentKind::IntoBytes,
            _ => ArgumentKind::Plain,
        }
    }
}

/// How an argument or setter takes its value: text and binary bodies through `Into`, so
/// callers pass `&str`, `String`, `Vec<u8>` or `&'static [u8]` without converting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentKind {
    /// `impl Into<String>`.
    IntoString,
    /// `impl Into<Bytes>`.
    IntoBytes,
    /// The type itself.
    Plain,
}

impl Api {
    /// Whether `ty` names a struct or union: boxed inside enums (response and webhook
    /// variants) to keep them small.
    pub fn is_aggregate(&self, ty: &Ty) -> bool {
        is_aggregate(&self.types, ty)
    }
}

/// Whether `ty` names a struct or union (boxed inside enums to keep them small).
fn is_aggregate(types: &[TypeDef], ty: &Ty) -> bool {
    matches!(ty, Ty::Named(id)
        if matches!(types.get(*id).map(|def| &def.kind), Some(TypeKind::Struct(_) | TypeKind::Union(_))))
}

impl Struct {
    /// All-optional structs derive `Default`, so request bodies can be built field by field
    /// (not with a flattened union, which has no default alternative).
    pub fn derives_default(&self) -> bool {
        self.union.is_none() && self.fields.iter().all(|f| !f.required)
    }
}

/// The file a type is emitted in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Home {
    /// `models/<stem>.rs`
    Model(String),
    /// `operations/<stem>.rs`
    Operation(String),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub home: Home,
    pub doc: Option<String>,
    /// Where the schema is, for messages and for the doc fallback.
    pub pointer: String,
    pub kind: TypeKind,
    /// Reachable only from responses: structs and unions get `#[non_exhaustive]`, so fields
    /// and variants can be added later without breaking users (who never build them).
    pub output_only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    StringEnum(Enum<String>),
    IntEnum(Enum<i64>),
    Union(Union),
    /// `pub type Name = Ty;`
    Alias(Ty),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` beside declared properties: a flattened map of the rest.
    pub additional: Option<Additional>,
    /// A `oneOf`/`anyOf` beside the properties (or an `allOf` part): a flattened union field
    /// that reads the properties the struct's own fields do not.
    pub union: Option<Flattened>,
}

/// A flattened field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Flattened {
    pub name: String,
    pub ty: Ty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Additional {
    pub name: String,
    pub ty: Ty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust identifier (may be raw: `r#type`).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// The field's full type (`Option<_>` when optional or nullable, `Box<_>` when recursive).
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
    pub default: Option<serde_json::Value>,
    /// A string format worth documenting (`date-time`, `uuid`, `byte`...).
    pub format: Option<String>,
    pub deprecated: bool,
    /// `readOnly`/`writeOnly`: such a field is never required (the type serves both
    /// directions, and one of them leaves it out).
    pub access: Access,
}

/// Which direction a property travels in (`readOnly`, `writeOnly`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    #[default]
    ReadWrite,
    /// Sent by the service only.
    ReadOnly,
    /// Sent by callers only (a password).
    WriteOnly,
}

/// An open enum: known values, plus a catch-all variant for any other value.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum<V> {
    pub variants: Vec<EnumVariant<V>>,
    /// Name of the catch-all variant (`Unknown` unless a value takes that name).
    pub unknown: String,
}

/// One known value of an open enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant<V> {
    pub name: String,
    pub value: V,
    /// What the value means, when the spec says (a `oneOf` of documented constants).
    pub doc: Option<String>,
}

/// `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The discriminator property, when every variant is a tagged `$ref`.
    pub discriminator: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// With a discriminator: the variant that keeps a value with an unknown tag.
    pub unknown: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Ty,
    /// Discriminator value(s) selecting this variant.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Every method, in the order a path item lists its operations (the order they are read
    /// and emitted in). The one list of them: `crate::load` reads the same keys through it.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The path item's operation under this method, if any.
    pub(crate) fn operation(self, item: &openapiv3::PathItem) -> Option<&openapiv3::Operation> {
        let operation = match self {
            Method::Get => &item.get,
            Method::Put => &item.put,
            Method::Post => &item.post,
            Method::Delete => &item.delete,
            Method::Options => &item.options,
            Method::Head => &item.head,
            Method::Patch => &item.patch,
            Method::Trace => &item.trace,
        };
        operation.as_ref()
    }

    /// The key of its operation in a path item.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    /// Sent in the one `Cookie` header, `name=value` pairs joined by `; `.
    Cookie,
}

/// Wire style of an array parameter (mirrors `sdkgen_runtime::ArrayStyle`), or of a path
/// parameter's segment (`sdkgen_runtime::PathStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    FormExploded,
    Form,
    SpaceDelimited,
    PipeDelimited,
    Indexed,
    /// A path array, or a `label`/`matrix` path scalar (sent as a one-item array).
    Path(PathStyle),
}

/// OpenAPI `style` and `explode` of a path parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    Simple,
    Label { explode: bool },
    Matrix { explode: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire: String,
    /// Rust identifier of the argument, field and setter.
    pub name: String,
    pub location: ParamLocation,
    /// The value's type (never `Option`; optionality is `required`).
    pub ty: Ty,
    pub required: bool,
    /// Set for array-typed parameters, and for `label` and `matrix` path parameters.
    pub array_style: Option<ArrayStyle>,
    pub doc: Option<String>,
    pub default: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub name: String,
    pub ty: Ty,
    pub encoding: BodyEncoding,
    pub required: bool,
    pub doc: Option<String>,
}

impl Body {
    /// The media type the body is sent as (a multipart boundary is added when sending).
    pub fn media_type(&self) -> &str {
        match &self.encoding {
            BodyEncoding::Json => "application/json",
            BodyEncoding::Form => "application/x-www-form-urlencoded",
            BodyEncoding::Multipart(_) => "multipart/form-data",
            BodyEncoding::Raw(media) => media,
        }
    }
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    Json,
    /// `application/x-www-form-urlencoded`: the body's properties as pairs.
    Form,
    /// `multipart/form-data`: one part per field of the body struct (none listed when the body
    /// is a `serde_json::Value`, whose properties become the parts).
    Multipart(Vec<Part>),
    /// Bytes sent as given, with this media type.
    Raw(String),
}

/// One field of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The body struct's field.
    pub field: String,
    /// The part's name.
    pub wire: String,
    pub kind: PartKind,
    /// The field is an `Option`: no part when `None`.
    pub optional: bool,
    /// The spec's `encoding.<name>.contentType`.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A scalar, as text.
    Text,
    /// An array of scalars: one text part per item.
    Texts,
    /// `Bytes`: a file part.
    File,
    /// `Vec<Bytes>`: one file part per item.
    Files,
    /// Anything else, as JSON.
    Json,
}

/// How a success body can be handed over unread (`send_streaming`).
#[derive(Debug, Clone, PartialEq)]
pub enum Streaming {
    /// Binary: a stream of byte chunks.
    Bytes,
    /// JSON Lines: a stream of items of this type.
    JsonLines(Ty),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

/// How a documented response body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// The whole body as JSON.
    Json,
    /// The envelope's result field.
    JsonResult,
    /// The envelope's error field.
    JsonError,
    Text,
    Bytes,
    /// JSON Lines (`application/x-ndjson`...): one item per line, into a `Vec`.
    JsonLines,
    /// No body.
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCase {
    pub status: Status,
    /// Variant name when the operation's responses need an enum.
    pub variant: String,
    pub ty: Ty,
    /// In the operation's response enum, the value is held in a `Box`: it is a struct or
    /// union, which would make every variant (and every `Result` holding one) as large.
    pub boxed: bool,
    pub decode: Decode,
    pub doc: String,
}

impl ResponseCase {
    /// The type of its variant's field in the operation's response enum (`None`: a unit
    /// variant), boxed when [`ResponseCase::boxed`].
    pub fn variant_field(&self) -> Option<Ty> {
        match &self.ty {
            Ty::Unit => None,
            ty if self.boxed => Some(Ty::Box(Box::new(ty.clone()))),
            ty => Some(ty.clone()),
        }
    }
}

/// How the operation's `decode` reads each status: the arms in match order (codes, then
/// ranges without the codes documented on their own, adjacent arms that read alike merged),
/// then what any other status reads as.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusMap {
    pub arms: Vec<StatusArm>,
    /// The `default` response's case, or `None`: any other status is unexpected.
    pub fallback: Option<CaseRef>,
}

/// One match arm: inclusive status intervals, and the case they read as.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusArm {
    pub statuses: Vec<(u16, u16)>,
    pub case: CaseRef,
}

/// A case of [`Operation::success`] (`success: true`) or [`Operation::errors`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRef {
    pub success: bool,
    pub index: usize,
}

/// The success or error type of an operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// All cases share one type.
    Single(Ty),
    /// An enum by status, emitted in the operation's file.
    Enum { name: String, doc: String },
}

/// Page-number paging (`x-sdk-paging`).
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The builder field holding the page number, and its type.
    pub page_param: String,
    pub page_ty: Ty,
    pub page_required: bool,
    /// Field of the success type holding the items; its type; whether it is optional.
    pub items_field: String,
    pub item_ty: Ty,
    pub items_optional: bool,
    /// Field holding the total count, and its type (`Option` when optional).
    pub total_field: Option<(String, Ty)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub result: Option<String>,
    pub error: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// operationId, or the stable derived name.
    pub id: String,
    pub method: Method,
    pub path: String,
    pub pointer: String,
    /// Module file stem under `operations/`.
    pub file: String,
    /// The request builder type.
    pub builder: String,
    /// The `Client` method.
    pub method_name: String,
    /// The `static` describing the operation.
    pub static_name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Vec<ResponseCase>,
    pub errors: Vec<ResponseCase>,
    pub success_type: Outcome,
    pub error_type: Outcome,
    /// Which status reads as which of `success` and `errors`.
    pub statuses: StatusMap,
    /// Security requirements in the spec's order (alternatives), each the static names of the
    /// schemes applied together; an empty one allows calling without credentials.
    pub security: Vec<Vec<String>>,
    pub envelope: Option<Envelope>,
    pub request_id_header: Option<String>,
    pub paging: Option<Paging>,
    /// The `Accept` header, when the documented responses are more than JSON.
    pub accept: Option<String>,
    /// Set when the success body can be handed over unread.
    pub streaming: Option<Streaming>,
    /// The field the client fills with a fresh token when unset (`x-sdk-idempotency-token`).
    pub idempotency_token: Option<IdempotencyToken>,
    /// Waiters polling this operation (`x-sdk-waiters`), by name.
    pub waiters: Vec<Waiter>,
}

/// Where an operation's idempotency token goes; always an optional string.
#[derive(Debug, Clone, PartialEq)]
pub enum IdempotencyToken {
    /// A query parameter (the builder field).
    Query { param: String },
    /// A field of the JSON request body's struct.
    BodyField { field: String },
}

/// A waiter: poll the operation until a field of its result has a final value.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The name in the spec, e.g. `instanceRunning`.
    pub name: String,
    /// The builder method, e.g. `wait_until_instance_running`.
    pub method: String,
    /// The builder method taking other wait options, e.g. `wait_until_instance_running_with`.
    pub method_with: String,
    /// The file-level `static` describing it and the function reading the state.
    pub static_name: String,
    pub state_fn: String,
    /// The polled field's wire path, e.g. `instance.status` or `taskSet[].taskStatus`.
    pub path: String,
    /// The Rust fields along the path.
    pub accessor: Vec<StateStep>,
    pub success: Vec<String>,
    pub failure: Vec<String>,
    pub retry: Vec<String>,
    pub interval_secs: u64,
    pub max_wait_secs: u64,
    pub doc: Option<String>,
    /// Parameters the request must set before the waiter polls (`requires`).
    pub requires: Vec<WaiterParam>,
    /// Parameters the request must not set, filters that would hide the awaited states
    /// (`excludes`).
    pub excludes: Vec<WaiterParam>,
    /// HTTP error statuses of a poll that keep the waiter waiting (`keepWaitingOn`).
    pub keep_waiting_on: Vec<u16>,
}

/// A parameter a waiter checks on the request before its first poll.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiterParam {
    /// The name in the spec, for the error.
    pub wire: String,
    /// The builder's field (an `Option`: only optional parameters can be checked).
    pub field: String,
    /// A list or map, which counts as set only when not empty (an empty one sends nothing).
    pub collection: bool,
}

/// A `components.securitySchemes` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    pub key: String,
    pub static_name: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
    /// The scheme's `x-` extensions as compact JSON (`{}` if none).
    pub extensions: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    ApiKey {
        location: ApiKeyLocation,
        name: String,
    },
    Http {
        scheme: String,
    },
    OAuth2,
    OpenIdConnect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// The named type at the end of `ty`'s chain of aliases (and `Option`s and `Box`es, which
/// only hold it), each followed once:
/// `None` when the chain ends in something unnamed or goes round a cycle (possible while the IR
/// is built, through `allOf`; such cycles become `serde_json::Value` later, with a warning).
pub(crate) fn alias_end(types: &[TypeDef], ty: &Ty) -> Option<TypeId> {
    let mut seen = HashSet::new();
    let mut current = ty;
    loop {
        match current {
            Ty::Option(inner) | Ty::Box(inner) => current = inner,
            Ty::Named(id) if seen.insert(*id) => match &types.get(*id)?.kind {
                TypeKind::Alias(inner) => current = inner,
                _ => return Some(*id),
            },
            _ => return None,
        }
    }
}

/// Whether values of `ty` implement `Display` as the text the wire carries (so they can be
/// path, query or header values): scalars, enums, and untagged unions of those (which the
/// emitter gives a `Display`).
///
/// Each named type is looked at once, so shared and cyclic references (aliases may still form
/// cycles when this is asked; they are broken later) cost nothing more.
pub fn is_displayable(types: &[TypeDef], ty: &Ty) -> bool {
    let mut pending = vec![ty];
    let mut seen = HashSet::new();
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::String
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::U32
            | Ty::U64
            | Ty::F32
            | Ty::F64
            | Ty::Value => {}
            Ty::Named(id) if !seen.insert(*id) => {}
            Ty::Named(id) => match types.get(*id).map(|def| &def.kind) {
                Some(TypeKind::StringEnum(_) | TypeKind::IntEnum(_)) => {}
                Some(TypeKind::Alias(inner)) => pending.push(inner),
                Some(TypeKind::Union(u)) if u.discriminator.is_none() => {
                    for variant in &u.variants {
                        if variant.ty == Ty::Unit {
                            return false;
                        }
                        pending.push(&variant.ty);
                    }
                }
                Some(TypeKind::Union(_) | TypeKind::Struct(_)) | None => return false,
            },
            _ => return false,
        }
    }
    true
}

/// Builds the IR of a parsed document; its webhooks' payload types are in [`Api::types`],
/// the webhooks themselves are left out (see [`build_with_webhooks`]).
pub fn build(doc: &Document) -> Result<(Api, Vec<Warning>), GenerateError> {
    build_with_webhooks(doc).map(|(api, _, warnings)| (api, warnings))
}

/// Builds the IR of a parsed document and of its `webhooks` (OpenAPI 3.1).
pub fn build_with_webhooks(doc: &Document) -> Result<(Api, Webhooks, Vec<Warning>), GenerateError> {
    ref_cycles::check(doc)?;
    let mut builder = Builder::new(doc);
    builder.convert_components()?;
    let security = operations::security_schemes(&mut builder)?;
    let operations = operations::build_operations(&mut builder, &security)?;
    let webhooks = webhooks::build_webhooks(&mut builder)?;
    let runtime_imports = builder.type_names.free_of(naming::RUNTIME_ITEMS);
    let (mut types, mut warnings) = builder.finish();
    recursion::box_recursive(&mut types, &mut warnings);
    repeated::warn(&types, &mut warnings);
    mark_inputs(&mut types, &operations);
    nullable::three_state(&mut types, &operations);
    let api = &doc.api;
    Ok((
        Api {
            title: api.info.title.clone(),
            version: api.info.version.clone(),
            description: api.info.description.clone(),
            base_url: base_url(api),
            types,
            operations,
            security,
            runtime_imports,
        },
        webhooks,
        warnings,
    ))
}

fn base_url(api: &openapiv3::OpenAPI) -> String {
    let Some(server) = api.servers.first() else {
        return String::new();
    };
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// Clears `output_only` on every type a caller can send (parameters, bodies), and on what they
/// contain.
fn mark_inputs(types: &mut [TypeDef], operations: &[Operation]) {
    let roots = operations.iter().flat_map(|op| {
        op.params
            .iter()
            .map(|p| p.ty.clone())
            .chain(op.body.iter().map(|b| b.ty.clone()))
    });
    for id in nullable::reachable(types, roots) {
        types[id].output_only = false;
    }
}
