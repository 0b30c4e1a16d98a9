//! Paths -> operations: names, parameters, bodies and security, and the `x-sdk-*` extensions
//! read per operation (envelope, request-id header, array style). Responses are typed in
//! [`super::responses`], `x-sdk-paging` is checked in [`super::paging`].

use std::collections::{HashMap, HashSet};
use std::mem::Discriminant;

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

use super::build::{Builder, Ctx, SchemaRef};
use super::media::{BodySite, accept, request_body, streaming};
use super::refs::{home_for, resolve};
use super::responses::{outcome, responses, status_map};
use super::{
    ApiKeyLocation, ArrayStyle, Envelope, Method, Operation, Param, ParamLocation, PathStyle,
    SchemeKind, SecurityScheme, Ty, TypeKind,
};
use crate::error::GenerateError;
use crate::naming::{
    Namespace, const_case, module_case, pointer_segment, snake_case, type_case,
    unescape_pointer_segment,
};

/// Names a builder field or setter cannot take.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "send",
    "into_request",
    "into_stream",
    "send_streaming",
    "into_future",
    "clone",
    "fmt",
];

/// Header parameters OpenAPI says to ignore: the media types and the security schemes set them.
const IGNORED_HEADERS: &[&str] = &["Accept", "Content-Type", "Authorization"];

/// `Client` methods that generated operations cannot take.
const CLIENT_RESERVED: &[&str] = &[
    // The generated `Client`'s own methods and `Clone`/`Debug`'s.
    "from_runtime",
    "runtime",
    "clone",
    "fmt",
    // Constructors a hand-written `impl Client` beside the generated tree commonly adds.
    "new",
    "builder",
    "from_env",
];

fn string_extension<'v>(
    extensions: &'v indexmap::IndexMap<String, serde_json::Value>,
    key: &str,
) -> Option<&'v str> {
    extensions.get(key).and_then(serde_json::Value::as_str)
}

fn envelope_of(value: &serde_json::Value) -> Envelope {
    let field = |key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    Envelope {
        result: field("result"),
        error: field("error"),
        request_id: field("requestId"),
    }
}

pub fn security_schemes(b: &mut Builder<'_>) -> Result<Vec<SecurityScheme>, GenerateError> {
    let Some(components) = &b.doc.api.components else {
        return Ok(Vec::new());
    };
    let mut names = Namespace::snake(&[]);
    let mut schemes = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let pointer = format!("#/components/securitySchemes/{}", pointer_segment(key));
        let (scheme, _) = resolve(b, scheme, &pointer)?;
        use openapiv3::SecurityScheme as S;
        let (kind, description, extensions) = match scheme {
            S::APIKey {
                location,
                name,
                description,
                extensions,
            } => (
                SchemeKind::ApiKey {
                    location: match location {
                        openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                        openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    },
                    name,
                },
                description,
                extensions,
            ),
            S::HTTP {
                scheme,
                description,
                extensions,
                ..
            } => (SchemeKind::Http { scheme }, description, extensions),
            S::OAuth2 {
                description,
                extensions,
                ..
            } => (SchemeKind::OAuth2, description, extensions),
            S::OpenIDConnect {
                description,
                extensions,
                ..
            } => (SchemeKind::OpenIdConnect, description, extensions),
        };
        let extensions: serde_json::Map<String, serde_json::Value> = extensions
            .into_iter()
            .filter(|(k, _)| k.starts_with("x-"))
            .collect();
        schemes.push(SecurityScheme {
            key: key.clone(),
            static_name: names.claim(&const_case(key, "SCHEME")),
            kind,
            description,
            extensions: serde_json::Value::Object(extensions).to_string(),
        });
    }
    Ok(schemes)
}

/// Per-document settings read from root extensions.
struct Defaults {
    envelope: Option<Envelope>,
    request_id_header: Option<String>,
    security: Option<Vec<openapiv3::SecurityRequirement>>,
    scheme_statics: HashMap<String, String>,
}

/// The names one operation needs, claimed once in the document-wide namespaces.
struct OpNames {
    methods: Namespace,
    files: Namespace,
    statics: Namespace,
    ids: HashMap<String, String>,
}

pub fn build_operations(
    b: &mut Builder<'_>,
    security: &[SecurityScheme],
) -> Result<Vec<Operation>, GenerateError> {
    let doc = b.doc;
    let api = &doc.api;
    let defaults = Defaults {
        envelope: api.extensions.get("x-sdk-envelope").map(envelope_of),
        request_id_header: string_extension(&api.extensions, "x-sdk-request-id-header")
            .map(str::to_owned),
        security: api.security.clone(),
        scheme_statics: security
            .iter()
            .map(|s| (s.key.clone(), s.static_name.clone()))
            .collect(),
    };
    let mut names = OpNames {
        methods: Namespace::snake(CLIENT_RESERVED),
        files: Namespace::snake(&["mod", "operations"]),
        statics: Namespace::snake(&[]),
        ids: HashMap::new(),
    };
    let mut operations = Vec::new();
    for (path, item) in &api.paths.paths {
        let item_pointer = format!("#/paths/{}", pointer_segment(path));
        let (item, _) = resolve(b, item, &item_pointer)?;
        for method in Method::ALL {
            let Some(op) = method.operation(&item) else {
                continue;
            };
            let pointer = format!("{item_pointer}/{}", method.as_str());
            let site = Site {
                path,
                method,
                op,
                path_level: &item.parameters,
                pointer: &pointer,
            };
            let operation = build_operation(b, &mut names, &defaults, site)?;
            operations.push(operation);
        }
    }
    Ok(operations)
}

/// `get /regions/{regionId}/images` -> `getRegionsByRegionIdImages`: stable, from the spec.
fn derived_id(method: Method, path: &str) -> String {
    let mut words = vec![method.as_str().to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_owned()),
        }
    }
    let camel = type_case(&words.join(" "), "Operation");
    let mut chars = camel.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn template_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Where one operation is in the spec.
#[derive(Clone, Copy)]
struct Site<'s> {
    path: &'s str,
    method: Method,
    op: &'s openapiv3::Operation,
    /// The path item's parameters, which the operation's own override.
    path_level: &'s [ReferenceOr<Parameter>],
    pointer: &'s str,
}

fn build_operation(
    b: &mut Builder<'_>,
    names: &mut OpNames,
    defaults: &Defaults,
    site: Site<'_>,
) -> Result<Operation, GenerateError> {
    let Site {
        path,
        method,
        op,
        pointer,
        ..
    } = site;
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| derived_id(method, path));
    if let Some(previous) = names.ids.insert(id.clone(), pointer.to_owned()) {
        return Err(GenerateError::at(
            &b.doc.file,
            &format!("{pointer}/operationId"),
            format!("duplicate operationId `{id}` (also at {previous})"),
        ));
    }
    let builder = b.type_names.claim(&type_case(&id, "Operation"));
    let file = names.files.claim(&module_case(&id, "operation"));
    let method_name = names.methods.claim(&snake_case(&id, "operation"));
    let static_name = names.statics.claim(&const_case(&builder, "OPERATION"));
    let mut local = Namespace::snake(BUILDER_RESERVED);

    let params = parameters(b, &mut local, site, &builder, &file)?;
    let body = match &op.request_body {
        Some(body) => {
            let site = BodySite {
                pointer,
                builder: &builder,
                file: &file,
            };
            Some(request_body(b, &mut local, body, site)?)
        }
        None => None,
    };
    let envelope = match op.extensions.get("x-sdk-envelope") {
        Some(value) => Some(envelope_of(value)),
        None => defaults.envelope.clone(),
    };
    let (success, errors) = responses(b, op, pointer, &builder, &file, envelope.as_ref())?;
    let success_type = outcome(
        b,
        &success,
        &builder,
        &file,
        "Response",
        "the documented success responses",
    );
    let error_type = outcome(
        b,
        &errors,
        &builder,
        &file,
        "Error",
        "the documented error responses",
    );

    let statuses = status_map(&success, &errors, &success_type, &error_type);
    let accept = accept(b, op, pointer)?;
    let streaming = streaming(&success, &success_type);

    let security = security_requirements(b, defaults, op, pointer)?;

    let mut operation = Operation {
        id,
        method,
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        file,
        builder,
        method_name,
        static_name,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        params,
        body,
        success,
        errors,
        success_type,
        error_type,
        statuses,
        security,
        envelope,
        request_id_header: defaults.request_id_header.clone(),
        paging: None,
        accept,
        streaming,
        idempotency_token: None,
        waiters: Vec::new(),
    };
    if let Some(paging) = op.extensions.get("x-sdk-paging") {
        operation.paging = super::paging::paging(b, &operation, paging);
    }
    operation.idempotency_token = super::idempotency::idempotency_token(
        b,
        pointer,
        &operation.params,
        operation.body.as_ref(),
    );
    if let Some(waiters) = op.extensions.get("x-sdk-waiters") {
        let success = &operation.success_type;
        let params = &operation.params;
        operation.waiters =
            super::waiters::waiters(b, waiters, pointer, success, params, &mut local)?;
    }
    Ok(operation)
}

/// The operation's security requirements (its own, else the document's): alternatives, each
/// the schemes applied together. A requirement naming an undeclared scheme is an error: left
/// out, an operation whose only requirement it was would go out with no credentials at all.
fn security_requirements(
    b: &Builder<'_>,
    defaults: &Defaults,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Result<Vec<Vec<String>>, GenerateError> {
    let (requirements, at) = match &op.security {
        Some(own) => (Some(own), format!("{pointer}/security")),
        None => (defaults.security.as_ref(), "#/security".to_owned()),
    };
    let mut security: Vec<Vec<String>> = Vec::new();
    for (index, requirement) in requirements.into_iter().flatten().enumerate() {
        let statics = &defaults.scheme_statics;
        if let Some(key) = requirement.keys().find(|key| !statics.contains_key(*key)) {
            return Err(GenerateError::at(
                &b.doc.file,
                &format!("{at}/{index}/{}", pointer_segment(key)),
                format!("security scheme `{key}` is not declared in `components.securitySchemes`"),
            ));
        }
        let mut schemes: Vec<String> = Vec::new();
        for name in requirement.keys().filter_map(|key| statics.get(key)) {
            if !schemes.contains(name) {
                schemes.push(name.clone());
            }
        }
        if !security.contains(&schemes) {
            security.push(schemes);
        }
    }
    Ok(security)
}

fn parameters(
    b: &mut Builder<'_>,
    local: &mut Namespace,
    site: Site<'_>,
    builder: &str,
    file: &str,
) -> Result<Vec<Param>, GenerateError> {
    let Site {
        path,
        op,
        path_level,
        pointer,
        ..
    } = site;
    // Operation-level parameters override path-level ones with the same name and location
    // (in the path-level one's place).
    let mut merged: IndexMap<(String, Discriminant<Parameter>), (Parameter, String)> =
        IndexMap::new();
    let path_pointer = pointer.rsplit_once('/').map_or(pointer, |(p, _)| p);
    let path_params = path_level
        .iter()
        .enumerate()
        .map(|(i, param)| (param, format!("{path_pointer}/parameters/{i}")));
    let op_params = op
        .parameters
        .iter()
        .enumerate()
        .map(|(i, param)| (param, format!("{pointer}/parameters/{i}")));
    for (param, at) in path_params.chain(op_params) {
        let (param, at) = resolve(b, param, &at)?;
        let key = (
            param.parameter_data_ref().name.clone(),
            std::mem::discriminant(&param),
        );
        merged.insert(key, (param, at));
    }

    let template = template_params(path);
    let mut declared = HashSet::new();
    let mut params = Vec::new();
    for (param, at) in merged.into_values() {
        let (location, style) = match &param {
            Parameter::Path { style, .. } => (ParamLocation::Path, Some(Style::Path(style))),
            Parameter::Query { style, .. } => (ParamLocation::Query, Some(Style::Query(style))),
            Parameter::Header { parameter_data, .. }
                if IGNORED_HEADERS
                    .iter()
                    .any(|h| h.eq_ignore_ascii_case(&parameter_data.name)) =>
            {
                b.warn(
                    &at,
                    format!(
                        "header parameter `{}` is ignored, as OpenAPI specifies (the media types \
                         and security schemes decide it)",
                        parameter_data.name
                    ),
                );
                continue;
            }
            Parameter::Header { .. } => (ParamLocation::Header, None),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, None),
        };
        let data = param.parameter_data_ref();
        if location == ParamLocation::Path {
            if !template.contains(&data.name.as_str()) {
                b.warn(
                    &at,
                    format!(
                        "path parameter `{}` is not in the path template; ignored",
                        data.name
                    ),
                );
                continue;
            }
            declared.insert(data.name.clone());
        }
        // A shared component parameter's types are named after the component, not after
        // whichever operation reaches it first.
        let hint = match component_parameter(&at) {
            Some(key) => type_case(&key, "Param"),
            None => format!("{builder}{}", type_case(&data.name, "Param")),
        };
        let home = home_for(b, &at, &hint, file);
        let (schema, schema_pointer) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                (Some(SchemaRef::from(schema)), format!("{at}/schema"))
            }
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, m)) => (
                    m.schema.as_ref().map(SchemaRef::from),
                    format!("{at}/content/{}/schema", pointer_segment(media)),
                ),
                None => (None, at.clone()),
            },
        };
        let ty = match schema {
            Some(schema) => b.convert(
                schema,
                &Ctx {
                    pointer: schema_pointer,
                    hint,
                    home,
                },
            )?,
            None => Ty::String,
        };
        let ty = match ty {
            Ty::Option(inner) => *inner,
            other => other,
        };
        let (ty, array_style) = wire_shape(b, ty, location, style, data, &at);
        params.push(Param {
            wire: data.name.clone(),
            name: local.claim(&snake_case(&data.name, "param")),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            array_style,
            doc: data.description.clone(),
            default: match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                    s.schema_data.default.clone()
                }
                _ => None,
            },
        });
    }
    for name in template {
        if !declared.contains(name) {
            return Err(GenerateError::at(
                &b.doc.file,
                pointer,
                format!("path parameter `{name}` of `{path}` is not declared"),
            ));
        }
    }
    Ok(params)
}

/// The key of a parameter declared in `#/components/parameters`.
fn component_parameter(pointer: &str) -> Option<String> {
    let key = pointer.strip_prefix("#/components/parameters/")?;
    (!key.contains('/')).then(|| unescape_pointer_segment(key))
}

fn displayable(b: &Builder<'_>, ty: &Ty) -> bool {
    super::is_displayable(&b.types, ty)
}

/// The `style` of a query or path parameter.
#[derive(Clone, Copy)]
enum Style<'s> {
    Query(&'s QueryStyle),
    Path(&'s openapiv3::PathStyle),
}

/// A path parameter's `style` and `explode` (which defaults to false for these styles).
fn path_style(style: &openapiv3::PathStyle, data: &openapiv3::ParameterData) -> PathStyle {
    let explode = data.explode == Some(true);
    match style {
        openapiv3::PathStyle::Simple => PathStyle::Simple,
        openapiv3::PathStyle::Label => PathStyle::Label { explode },
        openapiv3::PathStyle::Matrix => PathStyle::Matrix { explode },
    }
}

/// The parameter's wire type and array style; unsupported shapes fall back to JSON text.
fn wire_shape(
    b: &mut Builder<'_>,
    ty: Ty,
    location: ParamLocation,
    style: Option<Style<'_>>,
    data: &openapiv3::ParameterData,
    at: &str,
) -> (Ty, Option<ArrayStyle>) {
    let path = match style {
        Some(Style::Path(style)) => Some(path_style(style, data)),
        _ => None,
    };
    let style = match style {
        Some(Style::Query(style)) => Some(style),
        _ => None,
    };
    let item = match &ty {
        Ty::Vec(item) => Some(item.as_ref().clone()),
        Ty::Named(id) => match &b.types[*id].kind {
            TypeKind::Alias(Ty::Vec(item)) => Some(item.as_ref().clone()),
            _ => None,
        },
        _ => None,
    };
    let indexed = string_extension(&data.extensions, "x-sdk-array-style") == Some("indexed");
    match item {
        // Objects and nested arrays in JD Cloud's indexed style: `filters.1.values.2=x`.
        Some(item) if indexed && location == ParamLocation::Query => {
            (Ty::Vec(Box::new(item)), Some(ArrayStyle::Indexed))
        }
        Some(item) if displayable(b, &item) => {
            let array_style = match (location, style) {
                (ParamLocation::Path, _) => ArrayStyle::Path(path.unwrap_or(PathStyle::Simple)),
                (ParamLocation::Query, _) if indexed => ArrayStyle::Indexed,
                (ParamLocation::Query, Some(QueryStyle::SpaceDelimited)) => {
                    ArrayStyle::SpaceDelimited
                }
                (ParamLocation::Query, Some(QueryStyle::PipeDelimited)) => {
                    ArrayStyle::PipeDelimited
                }
                (ParamLocation::Query, _) if data.explode == Some(false) => ArrayStyle::Form,
                (ParamLocation::Query, _) => ArrayStyle::FormExploded,
                // Header and cookie arrays: comma-separated (`simple`; `form` with
                // `explode: false` for cookies).
                _ => ArrayStyle::Form,
            };
            (Ty::Vec(Box::new(item)), Some(array_style))
        }
        Some(_) => {
            b.warn(
                at,
                format!(
                    "array parameter `{}` of non-scalar items is sent as JSON text",
                    data.name
                ),
            );
            (Ty::Value, None)
        }
        // A `label` or `matrix` scalar is a one-item array: `.5`, `;id=5`.
        None if displayable(b, &ty) => match path {
            Some(style) if style != PathStyle::Simple => (ty, Some(ArrayStyle::Path(style))),
            _ => (ty, None),
        },
        None => {
            b.warn(
                at,
                format!("object parameter `{}` is sent as JSON text", data.name),
            );
            (Ty::Value, None)
        }
    }
}
