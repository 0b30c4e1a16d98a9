//! Responses per status: success and error cases with their body types (read through the
//! envelope's `result`/`error` property when `x-sdk-envelope` declares one), and the one
//! success or error type of an operation (a single type, or an enum by status).

use std::collections::HashSet;

use openapiv3::{ReferenceOr, StatusCode};

use super::build::{Builder, Ctx, SchemaRef};
use super::content::{Media, Site, media};
use super::refs::{home_for, resolve};
use super::{
    CaseRef, Decode, Envelope, Home, Outcome, ResponseCase, Status, StatusArm, StatusMap, Ty,
    TypeKind,
};
use crate::error::GenerateError;
use crate::naming::{Namespace, pointer_segment};

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

pub(super) fn responses(
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
    let mut default_response = None;
    for (status, is_ok, response, at) in entries {
        let (response, at) = resolve(b, response, &at)?;
        if status == Status::Default {
            default_response = Some((response.clone(), at.clone()));
        }
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
        let hint = if !has_success && status == Status::Default && field.is_none() {
            // The one body of both the success and the error: named as the success.
            format!("{builder}Response")
        } else if count > 1 {
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
            boxed: super::is_aggregate(&b.types, &ty),
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
        success.push(match &default_response {
            // `default` is the only response that can describe a success: a 2xx reads its
            // body as the success, any other status (the `default` arm) still as the error.
            Some((response, at)) => {
                default_as_success(b, response, at, builder, file, envelope, &errors)?
            }
            // Nothing documented for success: any 2xx is a success without a typed body.
            None => ResponseCase {
                status: Status::Range(2),
                variant: "Success".into(),
                ty: Ty::Unit,
                boxed: false,
                decode: Decode::Empty,
                doc: "Any 2xx status (the spec documents no success response).".into(),
            },
        });
    }
    Ok((success, errors))
}

/// The `default` response read as the success of any 2xx status, for an operation that
/// documents no 2xx: the error case's type, or with an envelope the `result` part of it.
fn default_as_success(
    b: &mut Builder<'_>,
    response: &openapiv3::Response,
    at: &str,
    builder: &str,
    file: &str,
    envelope: Option<&Envelope>,
    errors: &[ResponseCase],
) -> Result<ResponseCase, GenerateError> {
    let result = envelope.and_then(|e| e.result.as_deref());
    let error = errors.iter().find(|case| case.status == Status::Default);
    let (ty, decode) = match error {
        Some(error) if result.is_none() && error.decode != Decode::JsonError => {
            (error.ty.clone(), error.decode)
        }
        _ => {
            let hint = format!(
                "{builder}{}",
                if result.is_some() {
                    "Result"
                } else {
                    "Response"
                }
            );
            response_body(b, response, at, hint, file, result, true)?
        }
    };
    Ok(ResponseCase {
        status: Status::Range(2),
        variant: "Default".into(),
        boxed: super::is_aggregate(&b.types, &ty),
        ty,
        decode,
        doc: format!(
            "{} (`default`, the only response documented: a 2xx reads it as the success).",
            response.description.trim_end_matches('.')
        ),
    })
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
    let site = Site {
        at,
        bodies: "responses",
    };
    let (media, schema) = match media(b, &response.content, site) {
        Media::Settled(ty, decode) => return Ok((ty, decode)),
        Media::Lines(media, schema) => {
            let item = match schema {
                Some(schema) => {
                    let pointer = format!("{at}/content/{}/schema", pointer_segment(media));
                    let home = home_for(b, &pointer, &hint, file);
                    let ctx = Ctx {
                        pointer,
                        hint: format!("{hint}Item"),
                        home,
                    };
                    b.convert(schema.into(), &ctx)?
                }
                None => Ty::Value,
            };
            return Ok((Ty::Vec(Box::new(item)), Decode::JsonLines));
        }
        Media::Schema(media, schema) => (media, schema),
    };
    let pointer = format!("{at}/content/{}/schema", pointer_segment(media));
    let home = home_for(b, &pointer, &hint, file);
    if let Some(field) = envelope_field {
        let mut search = EnvelopeSearch {
            field,
            hint: &hint,
            home: &home,
            entered: HashSet::new(),
        };
        if let Some(ty) = envelope_part(b, schema.into(), &pointer, &mut search)? {
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

/// What [`envelope_part`] looks for, and the components it has entered.
struct EnvelopeSearch<'s> {
    field: &'s str,
    hint: &'s str,
    home: &'s Home,
    /// Each component is entered once: `$ref` and `allOf` cycles end the search there.
    entered: HashSet<String>,
}

/// The type of the envelope's `field` property of a response schema, if it has one.
fn envelope_part(
    b: &mut Builder<'_>,
    schema: SchemaRef<'_>,
    pointer: &str,
    search: &mut EnvelopeSearch<'_>,
) -> Result<Option<super::Ty>, GenerateError> {
    let doc = b.doc;
    let (schema, pointer) = match schema {
        SchemaRef::Item(schema) => (schema, pointer.to_owned()),
        // A chain of references is followed in a loop: it may be as long as the spec.
        SchemaRef::Ref(first) => {
            let mut reference = first.to_owned();
            loop {
                if !search.entered.insert(reference.clone()) {
                    return Ok(None);
                }
                let key = reference
                    .strip_prefix("#/components/schemas/")
                    .map(crate::naming::unescape_pointer_segment);
                let found = key.and_then(|key| doc.api.components.as_ref()?.schemas.get(&key));
                match found {
                    Some(ReferenceOr::Item(schema)) => break (schema, reference),
                    Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                    None => return Ok(None),
                }
            }
        }
    };
    let (properties, parts) = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => (Some(&o.properties), &[][..]),
        openapiv3::SchemaKind::Any(any) => (Some(&any.properties), &any.all_of[..]),
        openapiv3::SchemaKind::AllOf { all_of } => (None, &all_of[..]),
        _ => (None, &[][..]),
    };
    if let Some(property) = properties.and_then(|p| p.get(search.field)) {
        let ctx = Ctx {
            pointer: format!("{pointer}/properties/{}", pointer_segment(search.field)),
            hint: search.hint.to_owned(),
            home: search.home.clone(),
        };
        return b.convert(property.into(), &ctx).map(Some);
    }
    for (i, part) in parts.iter().enumerate() {
        let part_pointer = format!("{pointer}/allOf/{i}");
        if let Some(ty) = envelope_part(b, part.into(), &part_pointer, search)? {
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

pub(super) fn outcome(
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

/// The operation's statuses as match arms: codes first, then ranges (minus the codes
/// documented on their own, so no arm is dead), `default` last as the fallback. Adjacent arms
/// that read the body alike merge (`400 | 404 => ...`): the same side and, for a single
/// outcome type, the same decoding; for an enum, the same variant.
pub(super) fn status_map(
    success: &[ResponseCase],
    errors: &[ResponseCase],
    success_type: &Outcome,
    error_type: &Outcome,
) -> StatusMap {
    let mut cases: Vec<(CaseRef, &ResponseCase)> = success
        .iter()
        .enumerate()
        .map(|(index, case)| {
            (
                CaseRef {
                    success: true,
                    index,
                },
                case,
            )
        })
        .chain(errors.iter().enumerate().map(|(index, case)| {
            (
                CaseRef {
                    success: false,
                    index,
                },
                case,
            )
        }))
        .collect();
    let codes: Vec<u16> = cases
        .iter()
        .filter_map(|(_, case)| match case.status {
            Status::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    cases.sort_by_key(|(_, case)| match case.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let reads_alike = |a: (CaseRef, &ResponseCase), b: (CaseRef, &ResponseCase)| {
        let outcome = if a.0.success {
            success_type
        } else {
            error_type
        };
        a.0.success == b.0.success
            && match outcome {
                Outcome::Single(_) => a.1.decode == b.1.decode,
                Outcome::Enum { .. } => a.0 == b.0,
            }
    };
    let mut arms: Vec<(StatusArm, &ResponseCase)> = Vec::new();
    let mut fallback = None;
    for (case_ref, case) in cases {
        let statuses = match case.status {
            Status::Code(code) => vec![(code, code)],
            Status::Range(range) => range_intervals(range, &codes),
            Status::Default => {
                fallback = Some(case_ref);
                continue;
            }
        };
        if statuses.is_empty() {
            continue;
        }
        match arms.last_mut() {
            Some((last, last_case)) if reads_alike((last.case, last_case), (case_ref, case)) => {
                last.statuses.extend(statuses);
            }
            _ => arms.push((
                StatusArm {
                    statuses,
                    case: case_ref,
                },
                case,
            )),
        }
    }
    StatusMap {
        arms: arms.into_iter().map(|(arm, _)| arm).collect(),
        fallback,
    }
}

/// `4XX` as intervals, without the codes documented on their own.
fn range_intervals(range: u16, codes: &[u16]) -> Vec<(u16, u16)> {
    let (low, high) = (range * 100, range * 100 + 99);
    let mut excluded: Vec<u16> = codes
        .iter()
        .copied()
        .filter(|c| (low..=high).contains(c))
        .collect();
    excluded.sort_unstable();
    excluded.push(high + 1);
    let mut intervals = Vec::new();
    let mut start = low;
    for code in excluded {
        if code > start {
            intervals.push((start, code - 1));
        }
        start = code + 1;
    }
    intervals
}
