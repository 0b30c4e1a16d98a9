//! Paths -> operations: names, parameters, bodies, responses per status, security, and the
//! `x-sdk-*` extensions (envelope, request-id header, array style, paging).

use std::collections::{HashMap, HashSet};

use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, StatusCode,
};
use serde::de::DeserializeOwned;

use super::build::{Builder, Ctx, SchemaRef};
use super::{
    ApiKeyLocation, ArrayStyle, Body, Decode, Envelope, Home, Method, Operation, Outcome, Paging,
    Param, ParamLocation, ResponseCase, SchemeKind, SecurityScheme, Status, Ty, TypeKind,
};
use crate::error::GenerateError;
use crate::load::lookup;
use crate::naming::{Namespace, const_case, module_case, pointer_segment, snake_case, type_case};

/// Names a builder field or setter cannot take.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "send",
    "into_stream",
    "into_future",
    "clone",
    "fmt",
];

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

/// Resolves a `$ref` (a chain of them) to an owned value and the pointer it was found at.
fn resolve<T: DeserializeOwned + Clone>(
    b: &Builder<'_>,
    item: &ReferenceOr<T>,
    at: &str,
) -> Result<(T, String), GenerateError> {
    let mut reference = match item {
        ReferenceOr::Item(item) => return Ok((item.clone(), at.to_owned())),
        ReferenceOr::Reference { reference } => reference.clone(),
    };
    let mut from = at.to_owned();
    for _ in 0..32 {
        if !reference.starts_with('#') {
            return Err(GenerateError::at(
                &b.doc.file,
                &from,
                format!("external $ref `{reference}` is not supported"),
            ));
        }
        let Some(value) = lookup(&b.doc.raw, &reference) else {
            return Err(GenerateError::at(
                &b.doc.file,
                &from,
                format!("dangling $ref `{reference}`: nothing at that location"),
            ));
        };
        match serde_json::from_value::<ReferenceOr<T>>(value.clone()) {
            Ok(ReferenceOr::Item(item)) => return Ok((item, reference)),
            Ok(ReferenceOr::Reference { reference: next }) => {
                from = reference;
                reference = next;
            }
            Err(e) => {
                return Err(GenerateError::at(
                    &b.doc.file,
                    &reference,
                    format!("invalid $ref target: {e}"),
                ));
            }
        }
    }
    Err(GenerateError::at(
        &b.doc.file,
        at,
        "$ref chain too long or circular",
    ))
}

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

/// Home of inline types found under `pointer`: the operation's file, unless the schema belongs
/// to a shared component (then a model file, so every operation using it can import it).
fn home_for(b: &mut Builder<'_>, pointer: &str, hint: &str, op_file: &str) -> Home {
    if pointer.starts_with("#/components/") {
        Home::Model(b.model_files.claim(&module_case(hint, "schema")))
    } else {
        Home::Operation(op_file.to_owned())
    }
}

fn is_json(media: &str) -> bool {
    let media = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    media == "application/json"
        || media.ends_with("+json")
        || (media.starts_with("application/") && media.contains("json"))
}

fn pick_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(media, _)| is_json(media))
        .or_else(|| content.first())
        .map(|(media, m)| (media.as_str(), m))
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
        let methods = [
            (Method::Get, &item.get),
            (Method::Put, &item.put),
            (Method::Post, &item.post),
            (Method::Delete, &item.delete),
            (Method::Options, &item.options),
            (Method::Head, &item.head),
            (Method::Patch, &item.patch),
            (Method::Trace, &item.trace),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let pointer = format!("{item_pointer}/{}", method.as_str());
            let operation = build_operation(
                b,
                &mut names,
                &defaults,
                path,
                method,
                op,
                &item.parameters,
                &pointer,
            )?;
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

#[allow(clippy::too_many_arguments)]
fn build_operation(
    b: &mut Builder<'_>,
    names: &mut OpNames,
    defaults: &Defaults,
    path: &str,
    method: Method,
    op: &openapiv3::Operation,
    path_level: &[ReferenceOr<Parameter>],
    pointer: &str,
) -> Result<Operation, GenerateError> {
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

    let params = parameters(
        b, &mut local, op, path_level, pointer, path, &builder, &file,
    )?;
    let body = match &op.request_body {
        Some(body) => Some(request_body(b, &mut local, body, pointer, &builder, &file)?),
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

    let requirements = op.security.as_ref().or(defaults.security.as_ref());
    let mut security = Vec::new();
    for requirement in requirements.into_iter().flatten() {
        for key in requirement.keys() {
            match defaults.scheme_statics.get(key) {
                Some(name) if !security.contains(name) => security.push(name.clone()),
                Some(_) => {}
                None => b.warn(
                    pointer,
                    format!("security scheme `{key}` is not declared; ignored"),
                ),
            }
        }
    }

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
        security,
        envelope,
        request_id_header: defaults.request_id_header.clone(),
        paging: None,
    };
    if let Some(paging) = op.extensions.get("x-sdk-paging") {
        operation.paging = self::paging(b, &operation, paging);
    }
    Ok(operation)
}

#[allow(clippy::too_many_arguments)]
fn parameters(
    b: &mut Builder<'_>,
    local: &mut Namespace,
    op: &openapiv3::Operation,
    path_level: &[ReferenceOr<Parameter>],
    pointer: &str,
    path: &str,
    builder: &str,
    file: &str,
) -> Result<Vec<Param>, GenerateError> {
    // Operation-level parameters override path-level ones with the same name and location.
    let mut merged: Vec<(Parameter, String)> = Vec::new();
    let path_pointer = pointer.rsplit_once('/').map_or(pointer, |(p, _)| p);
    for (i, param) in path_level.iter().enumerate() {
        merged.push(resolve(
            b,
            param,
            &format!("{path_pointer}/parameters/{i}"),
        )?);
    }
    for (i, param) in op.parameters.iter().enumerate() {
        let (param, at) = resolve(b, param, &format!("{pointer}/parameters/{i}"))?;
        let key = |p: &Parameter| {
            (
                p.parameter_data_ref().name.clone(),
                std::mem::discriminant(p),
            )
        };
        match merged
            .iter_mut()
            .find(|(existing, _)| key(existing) == key(&param))
        {
            Some(slot) => *slot = (param, at),
            None => merged.push((param, at)),
        }
    }

    let template = template_params(path);
    let mut declared = HashSet::new();
    let mut params = Vec::new();
    for (param, at) in merged {
        let (location, style) = match &param {
            Parameter::Path { .. } => (ParamLocation::Path, None),
            Parameter::Query { style, .. } => (ParamLocation::Query, Some(style.clone())),
            Parameter::Header { .. } => (ParamLocation::Header, None),
            Parameter::Cookie { parameter_data, .. } => {
                b.warn(
                    &at,
                    format!(
                        "cookie parameter `{}` is not supported; ignored",
                        parameter_data.name
                    ),
                );
                continue;
            }
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
        let hint = format!("{builder}{}", type_case(&data.name, "Param"));
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
        let (ty, array_style) = wire_shape(b, ty, location, style.as_ref(), data, &at);
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

fn displayable(b: &Builder<'_>, ty: &Ty) -> bool {
    super::is_displayable(&b.types, ty)
}

/// The parameter's wire type and array style; unsupported shapes fall back to JSON text.
fn wire_shape(
    b: &mut Builder<'_>,
    ty: Ty,
    location: ParamLocation,
    style: Option<&QueryStyle>,
    data: &openapiv3::ParameterData,
    at: &str,
) -> (Ty, Option<ArrayStyle>) {
    let item = match &ty {
        Ty::Vec(item) => Some(item.as_ref().clone()),
        Ty::Named(id) => match &b.types[*id].kind {
            TypeKind::Alias(Ty::Vec(item)) => Some(item.as_ref().clone()),
            _ => None,
        },
        _ => None,
    };
    match item {
        Some(item) if displayable(b, &item) => {
            let indexed =
                string_extension(&data.extensions, "x-sdk-array-style") == Some("indexed");
            let array_style = match (location, style) {
                (ParamLocation::Query, _) if indexed => ArrayStyle::Indexed,
                (ParamLocation::Query, Some(QueryStyle::SpaceDelimited)) => {
                    ArrayStyle::SpaceDelimited
                }
                (ParamLocation::Query, Some(QueryStyle::PipeDelimited)) => {
                    ArrayStyle::PipeDelimited
                }
                (ParamLocation::Query, _) if data.explode == Some(false) => ArrayStyle::Form,
                (ParamLocation::Query, _) => ArrayStyle::FormExploded,
                // Path and header arrays use the `simple` style: comma-separated.
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
        None if displayable(b, &ty) => (ty, None),
        None => {
            b.warn(
                at,
                format!("object parameter `{}` is sent as JSON text", data.name),
            );
            (Ty::Value, None)
        }
    }
}

fn request_body(
    b: &mut Builder<'_>,
    local: &mut Namespace,
    body: &ReferenceOr<openapiv3::RequestBody>,
    pointer: &str,
    builder: &str,
    file: &str,
) -> Result<Body, GenerateError> {
    let (body, at) = resolve(b, body, &format!("{pointer}/requestBody"))?;
    let name = local.claim("body");
    let Some((media, content)) = pick_media(&body.content) else {
        return Ok(Body {
            name,
            ty: Ty::Bytes,
            raw_media_type: Some("application/octet-stream".into()),
            required: body.required,
            doc: body.description,
        });
    };
    if !is_json(media) {
        let media = if media.contains('*') {
            "application/octet-stream"
        } else {
            media
        };
        return Ok(Body {
            name,
            ty: Ty::Bytes,
            raw_media_type: Some(media.to_owned()),
            required: body.required,
            doc: body.description,
        });
    }
    let hint = format!("{builder}Request");
    let home = home_for(b, &at, &hint, file);
    let ty = match &content.schema {
        Some(schema) => {
            let pointer = format!("{at}/content/{}/schema", pointer_segment(media));
            b.convert(
                schema.into(),
                &Ctx {
                    pointer,
                    hint,
                    home,
                },
            )?
        }
        None => Ty::Value,
    };
    // A nullable body is sent or not; `null` itself is not worth an `Option<Option<_>>`.
    let ty = match ty {
        Ty::Option(inner) => *inner,
        other => other,
    };
    Ok(Body {
        name,
        ty,
        raw_media_type: None,
        required: body.required,
        doc: body.description,
    })
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

fn reason(status: Status) -> String {
    match status {
        Status::Code(code) => match code {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            203 => "NonAuthoritative".into(),
            204 => "NoContent".into(),
            206 => "PartialContent".into(),
            301 => "MovedPermanently".into(),
            302 => "Found".into(),
            304 => "NotModified".into(),
            307 => "TemporaryRedirect".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            402 => "PaymentRequired".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            405 => "MethodNotAllowed".into(),
            406 => "NotAcceptable".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            412 => "PreconditionFailed".into(),
            413 => "PayloadTooLarge".into(),
            415 => "UnsupportedMediaType".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            501 => "NotImplemented".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            504 => "GatewayTimeout".into(),
            other => format!("Status{other}"),
        },
        Status::Range(range) => format!("Status{range}xx"),
        Status::Default => "Default".into(),
    }
}

type Cases = (Vec<ResponseCase>, Vec<ResponseCase>);

fn responses(
    b: &mut Builder<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    builder: &str,
    file: &str,
    envelope: Option<&Envelope>,
) -> Result<Cases, GenerateError> {
    let mut entries: Vec<(Status, bool, &ReferenceOr<openapiv3::Response>, String)> = Vec::new();
    for (status, response) in &op.responses.responses {
        let (key, status_ir) = match status {
            StatusCode::Code(code) => (code.to_string(), Status::Code(*code)),
            StatusCode::Range(range) => (format!("{range}XX"), Status::Range(*range)),
        };
        entries.push((
            status_ir,
            is_success(status),
            response,
            format!("{pointer}/responses/{key}"),
        ));
    }
    let has_success = entries.iter().any(|e| e.1);
    if let Some(default) = &op.responses.default {
        entries.push((
            Status::Default,
            false,
            default,
            format!("{pointer}/responses/default"),
        ));
    }
    let success_count = entries.iter().filter(|e| e.1).count();
    let error_count = entries.len() - success_count;
    let (mut success, mut errors) = (Vec::new(), Vec::new());
    let mut variants_ok = Namespace::types(&[]);
    let mut variants_err = Namespace::types(&[]);
    for (status, is_ok, response, at) in entries {
        let (response, at) = resolve(b, response, &at)?;
        let code = match status {
            Status::Code(code) => code.to_string(),
            Status::Range(range) => format!("{range}xx"),
            Status::Default => "Default".into(),
        };
        let (suffix, count, field) = if is_ok {
            if envelope.and_then(|e| e.result.as_ref()).is_some() {
                (
                    "Result",
                    success_count,
                    envelope.and_then(|e| e.result.clone()),
                )
            } else {
                ("Response", success_count, None)
            }
        } else {
            ("Error", error_count, envelope.and_then(|e| e.error.clone()))
        };
        let hint = if count > 1 {
            format!("{builder}{suffix}{code}")
        } else {
            format!("{builder}{suffix}")
        };
        let (ty, decode) = response_body(b, &response, &at, hint, file, field.as_deref(), is_ok)?;
        let variant = if is_ok {
            variants_ok.claim(&reason(status))
        } else {
            variants_err.claim(&reason(status))
        };
        let case = ResponseCase {
            status,
            variant,
            ty,
            decode,
            doc: response.description.clone(),
        };
        if is_ok {
            success.push(case)
        } else {
            errors.push(case)
        }
    }
    if !has_success {
        // Nothing documented for success: any 2xx is a success without a typed body.
        success.push(ResponseCase {
            status: Status::Range(2),
            variant: "Success".into(),
            ty: Ty::Unit,
            decode: Decode::Empty,
            doc: "Any 2xx status (the spec documents no success response).".into(),
        });
    }
    Ok((success, errors))
}

fn response_body(
    b: &mut Builder<'_>,
    response: &openapiv3::Response,
    at: &str,
    hint: String,
    file: &str,
    envelope_field: Option<&str>,
    is_ok: bool,
) -> Result<(Ty, Decode), GenerateError> {
    let Some((media, content)) = pick_media(&response.content) else {
        return Ok((Ty::Unit, Decode::Empty));
    };
    if !is_json(media) {
        return Ok(if media.starts_with("text/") {
            (Ty::String, Decode::Text)
        } else {
            (Ty::Bytes, Decode::Bytes)
        });
    }
    let Some(schema) = &content.schema else {
        return Ok((Ty::Value, Decode::Json));
    };
    let pointer = format!("{at}/content/{}/schema", pointer_segment(media));
    let home = home_for(b, &pointer, &hint, file);
    if let Some(field) = envelope_field {
        if let Some(ty) = envelope_part(b, schema.into(), &pointer, field, &hint, &home)? {
            return Ok((
                ty,
                if is_ok {
                    Decode::JsonResult
                } else {
                    Decode::JsonError
                },
            ));
        }
    }
    let ty = b.convert(
        schema.into(),
        &Ctx {
            pointer,
            hint,
            home,
        },
    )?;
    Ok((ty, Decode::Json))
}

/// The type of the envelope's `field` property of a response schema, if it has one.
fn envelope_part(
    b: &mut Builder<'_>,
    schema: SchemaRef<'_>,
    pointer: &str,
    field: &str,
    hint: &str,
    home: &Home,
) -> Result<Option<super::Ty>, GenerateError> {
    let doc = b.doc;
    let (schema, pointer) = match schema {
        SchemaRef::Item(schema) => (schema, pointer.to_owned()),
        SchemaRef::Ref(reference) => {
            let key = reference
                .strip_prefix("#/components/schemas/")
                .map(crate::naming::unescape_pointer_segment);
            let found = key.and_then(|key| doc.api.components.as_ref()?.schemas.get(&key));
            match found {
                Some(ReferenceOr::Item(schema)) => (schema, reference.to_owned()),
                Some(ReferenceOr::Reference { reference: next }) => {
                    return envelope_part(b, SchemaRef::Ref(next), pointer, field, hint, home);
                }
                None => return Ok(None),
            }
        }
    };
    let (properties, parts) = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => (Some(&o.properties), &[][..]),
        openapiv3::SchemaKind::Any(any) => (Some(&any.properties), &any.all_of[..]),
        openapiv3::SchemaKind::AllOf { all_of } => (None, &all_of[..]),
        _ => (None, &[][..]),
    };
    if let Some(property) = properties.and_then(|p| p.get(field)) {
        let ctx = Ctx {
            pointer: format!("{pointer}/properties/{}", pointer_segment(field)),
            hint: hint.to_owned(),
            home: home.clone(),
        };
        return b.convert(property.into(), &ctx).map(Some);
    }
    for (i, part) in parts.iter().enumerate() {
        let part_pointer = format!("{pointer}/allOf/{i}");
        if let Some(ty) = envelope_part(b, part.into(), &part_pointer, field, hint, home)? {
            return Ok(Some(ty));
        }
    }
    Ok(None)
}

/// Containers nested two deep (`Vec<BTreeMap<..>>`): named by an alias, so signatures stay
/// readable (and under clippy's type_complexity).
fn is_nested(ty: &Ty) -> bool {
    let container = |ty: &Ty| matches!(ty, Ty::Vec(_) | Ty::Map(_) | Ty::Option(_));
    match ty {
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => container(inner) || is_nested(inner),
        _ => false,
    }
}

fn outcome(
    b: &mut Builder<'_>,
    cases: &[ResponseCase],
    builder: &str,
    file: &str,
    suffix: &str,
    what: &str,
) -> Outcome {
    match cases {
        [] => Outcome::Single(Ty::Unit),
        [first, rest @ ..] if rest.iter().all(|c| c.ty == first.ty) && is_nested(&first.ty) => {
            let name = b.type_names.claim(&format!("{builder}{suffix}"));
            b.types.push(super::TypeDef {
                name,
                home: Home::Operation(file.to_owned()),
                doc: Some(format!("The body of {what} of `{builder}`.")),
                pointer: String::new(),
                kind: TypeKind::Alias(first.ty.clone()),
                output_only: true,
            });
            Outcome::Single(Ty::Named(b.types.len() - 1))
        }
        [first, rest @ ..] if rest.iter().all(|c| c.ty == first.ty) => {
            Outcome::Single(first.ty.clone())
        }
        _ => Outcome::Enum {
            name: b.type_names.claim(&format!("{builder}{suffix}")),
            doc: format!("One of {what} of [`{builder}`], by status."),
        },
    }
}

/// Reads `x-sdk-paging` against the operation's parameters and success type.
fn paging(b: &mut Builder<'_>, op: &Operation, value: &serde_json::Value) -> Option<Paging> {
    let get = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    let at = format!("{}/x-sdk-paging", op.pointer);
    let result = (|| {
        let page_wire = get("pageParameter").ok_or("`pageParameter` is missing")?;
        let page = op
            .params
            .iter()
            .find(|p| p.wire == page_wire && p.location == ParamLocation::Query);
        let page = page.ok_or("`pageParameter` names no query parameter")?;
        if !matches!(page.ty, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64) {
            return Err("the page parameter is not an integer");
        }
        let Outcome::Single(success) = &op.success_type else {
            return Err("the operation has several success types");
        };
        let fields = struct_fields(b, success).ok_or("the success type is not an object")?;
        let items_wire = get("items").ok_or("`items` is missing")?;
        let items = fields
            .iter()
            .find(|f| f.wire == items_wire)
            .ok_or("`items` names no field of the result")?;
        let (item_ty, items_optional) = match (&items.ty, items.required) {
            (Ty::Vec(item), true) => (item.as_ref().clone(), false),
            (Ty::Vec(item), false) => (item.as_ref().clone(), true),
            (Ty::Option(inner), _) => match inner.as_ref() {
                Ty::Vec(item) => (item.as_ref().clone(), true),
                _ => return Err("`items` is not an array"),
            },
            _ => return Err("`items` is not an array"),
        };
        let total_field = match get("total") {
            Some(total) => {
                let field = fields
                    .iter()
                    .find(|f| f.wire == total)
                    .ok_or("`total` names no field of the result")?;
                let ty = if field.required {
                    field.ty.clone()
                } else {
                    field.ty.clone().optional()
                };
                Some((field.name.clone(), ty))
            }
            None => None,
        };
        Ok(Paging {
            page_param: page.name.clone(),
            page_ty: page.ty.clone(),
            page_required: page.required,
            items_field: items.name.clone(),
            item_ty,
            items_optional,
            total_field,
        })
    })();
    match result {
        Ok(paging) => Some(paging),
        Err(problem) => {
            b.warn(&at, format!("x-sdk-paging ignored: {problem}"));
            None
        }
    }
}

fn struct_fields(b: &Builder<'_>, ty: &Ty) -> Option<Vec<super::Field>> {
    match ty {
        Ty::Named(id) => match &b.types[*id].kind {
            TypeKind::Struct(s) => Some(s.fields.clone()),
            TypeKind::Alias(inner) => struct_fields(b, inner),
            _ => None,
        },
        _ => None,
    }
}
