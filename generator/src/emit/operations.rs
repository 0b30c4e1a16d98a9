//! One operation's file: its static description, its `Client` method, its request builder
//! (setters, `send`, `IntoFuture`, `into_stream` when paged), its response enums if it needs
//! them, and the decode function that maps each documented status to a type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, trusted_doc_attrs};
use super::{FileCtx, ident, media, models};
use crate::error::GenerateError;
use crate::ir::{
    ArrayStyle, BodyEncoding, CaseRef, Decode, IdempotencyToken, Method, Operation, Outcome, Param,
    ParamLocation, PathStyle, ResponseCase, Status, Ty, TypeKind,
};

/// Required parameters beyond which clippy's `too_many_arguments` would fire on the method.
const MAX_POSITIONAL: usize = 6;

/// The file's items and the names it exports (for `operations/mod.rs`).
pub fn operation(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    ids: &[usize],
) -> Result<(TokenStream, TokenStream, Vec<String>), GenerateError> {
    let builder = ident(&op.builder);
    let root = ctx.root();
    ctx.import(2, root, "Client");

    let success_ty = outcome_ty(ctx, &op.success_type);
    let error_ty = outcome_ty(ctx, &op.error_type);
    let (response, error) = (ctx.rt("Response"), ctx.rt("Error"));
    let result_ty = quote! { Result<#response<#success_ty>, #error<#error_ty>> };

    let statik = static_item(ctx, op);
    let method = client_method(ctx, op);
    let builder_struct = builder_struct(ctx, op);
    let setters = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| setter(ctx, p))
        .collect::<Vec<_>>();
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let name = ident(&body.name);
        let (arg, value) = arg_and_value(ctx, &body.ty, &name);
        let doc = doc_attrs(nonempty(&body.doc).as_deref(), "The request body.");
        quote! {
            #doc
            pub fn #name(mut self, #name: #arg) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    let response_future = ctx.rt("ResponseFuture");
    let future_ty = quote! { #response_future<'a, #success_ty, #error_ty> };
    let send = send_fn(ctx, op, &future_ty, &error_ty);
    let multipart = media::multipart_fn(ctx, op);
    let (stream, split) = match &op.paging {
        Some(_) => {
            let (stream, split) = paging(ctx, op, &error_ty);
            (Some(stream), Some(split))
        }
        None => (None, None),
    };
    let enums = [
        (&op.success_type, &op.success),
        (&op.error_type, &op.errors),
    ]
    .into_iter()
    .filter_map(|(outcome, cases)| outcome_enum(ctx, outcome, cases))
    .collect::<Vec<_>>();
    let decode = decode_fn(ctx, op, &success_ty, &error_ty);
    let (wait_methods, wait_items) = super::waiters::waiters(ctx, op, &success_ty, &error_ty);
    let inline_types = models::types(ctx, ids);

    let mut file_doc = format!(
        "`{}` (`{} {}`)",
        op.id,
        op.method.as_str().to_uppercase(),
        op.path
    );
    if let Some(summary) = nonempty(&op.summary) {
        file_doc = format!("{file_doc}: {}", summary.trim());
    }
    let file_doc = super::docs::inner_doc_attrs(&file_doc);

    // `IntoFuture` needs no import: it is in the 2024 edition's prelude.
    let tokens = quote! {
        #statik
        #method
        #builder_struct

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter
            #send
            #stream
            #wait_methods
        }

        impl<'a> IntoFuture for #builder<'a> {
            type Output = #result_ty;
            type IntoFuture = #future_ty;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }

        #(#enums)*
        #decode
        #multipart
        #split
        #wait_items
        #inline_types
    };
    let mut exported = vec![op.builder.clone(), op.static_name.clone()];
    for outcome in [&op.success_type, &op.error_type] {
        if let Outcome::Enum { name, .. } = outcome {
            exported.push(name.clone());
        }
    }
    exported.extend(ids.iter().map(|&id| ctx.api.types[id].name.clone()));
    exported.sort();
    Ok((file_doc, tokens, exported))
}

fn outcome_ty(ctx: &mut FileCtx<'_>, outcome: &Outcome) -> TokenStream {
    match outcome {
        Outcome::Single(ty) => ctx.ty(ty),
        Outcome::Enum { name, .. } => {
            let name = ident(name);
            quote! { #name }
        }
    }
}

fn static_item(ctx: &mut FileCtx<'_>, op: &Operation) -> TokenStream {
    let name = ident(&op.static_name);
    let id = &op.id;
    let path = &op.path;
    let method = ident(match op.method {
        Method::Get => "Get",
        Method::Put => "Put",
        Method::Post => "Post",
        Method::Delete => "Delete",
        Method::Options => "Options",
        Method::Head => "Head",
        Method::Patch => "Patch",
        Method::Trace => "Trace",
    });
    let root = ctx.root();
    let requirements = op.security.iter().map(|requirement| {
        let schemes = requirement.iter().map(|s| ident(s));
        quote! { &[#(&#schemes),*] }
    });
    for scheme in op.security.iter().flatten() {
        ctx.import(2, &format!("{root}::security"), scheme);
    }
    let opt = |value: &Option<String>| match value {
        Some(value) => quote! { Some(#value) },
        None => quote! { None },
    };
    let envelope = match &op.envelope {
        Some(envelope) => {
            let (result, error, request_id) = (
                opt(&envelope.result),
                opt(&envelope.error),
                opt(&envelope.request_id),
            );
            let envelope = ctx.rt("Envelope");
            quote! { Some(#envelope { result: #result, error: #error, request_id: #request_id }) }
        }
        None => quote! { None },
    };
    let request_id_header = opt(&op.request_id_header);
    let doc = doc_attrs(
        Some(&format!(
            "The static description of the `{}` operation.",
            op.id
        )),
        "",
    );
    let (operation, http_method) = (ctx.rt("Operation"), ctx.rt("Method"));
    quote! {
        #doc
        pub static #name: #operation = #operation {
            id: #id,
            method: #http_method::#method,
            path: #path,
            security: &[#(#requirements),*],
            envelope: #envelope,
            request_id_header: #request_id_header,
        };
    }
}

/// How a value of `ty` is taken as an argument, and how it is stored.
fn arg_and_value(ctx: &mut FileCtx<'_>, ty: &Ty, name: &Ident) -> (TokenStream, TokenStream) {
    use crate::ir::ArgumentKind;
    match ty.argument_kind() {
        ArgumentKind::IntoString => (quote! { impl Into<String> }, quote! { #name.into() }),
        ArgumentKind::IntoBytes => {
            let bytes = ctx.ty(&Ty::Bytes);
            (quote! { impl Into<#bytes> }, quote! { #name.into() })
        }
        ArgumentKind::Plain => (ctx.ty(ty), quote! { #name }),
    }
}

/// The text, unless it is missing or blank.
fn nonempty(text: &Option<String>) -> Option<String> {
    text.clone().filter(|text| !text.trim().is_empty())
}

/// `name: value`, or the shorthand `name` when the value is the argument itself.
fn field_init(name: &Ident, value: TokenStream) -> TokenStream {
    if *name == value.to_string() {
        quote! { #name }
    } else {
        quote! { #name: #value }
    }
}

/// Whether a parameter value is `Copy` (passed by value: borrowing it is needless).
fn is_copy(ctx: &FileCtx<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 | Ty::F32 | Ty::F64 => true,
        Ty::Named(id) => match &ctx.api.types[*id].kind {
            crate::ir::TypeKind::IntEnum(_) => true,
            crate::ir::TypeKind::Alias(inner) => is_copy(ctx, inner),
            _ => false,
        },
        _ => false,
    }
}

/// What the builder holds, in order: each parameter, then the body, as (field, type, required).
fn inputs(op: &Operation) -> impl Iterator<Item = (&str, &Ty, bool)> {
    let params = op
        .params
        .iter()
        .map(|p| (p.name.as_str(), &p.ty, p.required));
    let body = op.body.iter().map(|b| (b.name.as_str(), &b.ty, b.required));
    params.chain(body)
}

fn has_optional(op: &Operation) -> bool {
    inputs(op).any(|(_, _, required)| !required)
}

fn method_doc(op: &Operation) -> String {
    let mut text = nonempty(&op.summary).unwrap_or_else(|| format!("The `{}` operation.", op.id));
    if let Some(description) = nonempty(&op.description) {
        if Some(&description) != op.summary.as_ref() {
            text.push_str("\n\n");
            text.push_str(&description);
        }
    }
    let next = if has_optional(op) {
        "Set optional parameters on the returned builder, then `.await` it."
    } else {
        "`.await` the returned builder."
    };
    text.push_str(&format!(
        "\n\n`{} {}`. {next}",
        op.method.as_str().to_uppercase(),
        op.path
    ));
    if op.deprecated {
        text.push_str("\n\nDeprecated by the API.");
    }
    text
}

fn client_method(ctx: &mut FileCtx<'_>, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let method = ident(&op.method_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for (name, ty, required) in inputs(op) {
        let name = ident(name);
        if required {
            let (arg, value) = arg_and_value(ctx, ty, &name);
            args.push(quote! { #name: #arg });
            inits.push(field_init(&name, value));
        } else {
            inits.push(quote! { #name: None });
        }
    }
    let allow =
        (args.len() > MAX_POSITIONAL).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let doc = doc_attrs(Some(&method_doc(op)), "");
    quote! {
        impl Client {
            #doc
            #deprecated
            #allow
            pub fn #method(&self, #(#args),*) -> #builder<'_> {
                #builder {
                    client: self,
                    #(#inits,)*
                }
            }
        }
    }
}

fn builder_struct(ctx: &mut FileCtx<'_>, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let fields: Vec<TokenStream> = inputs(op)
        .map(|(name, ty, required)| {
            let name = ident(name);
            let ty = if required {
                ty.clone()
            } else {
                ty.clone().optional()
            };
            let ty = ctx.ty(&ty);
            quote! { #name: #ty }
        })
        .collect();
    let method = op.method_name.strip_prefix("r#").unwrap_or(&op.method_name);
    let next = if has_optional(op) {
        "set optional parameters, then `.await` it"
    } else {
        "`.await` it"
    };
    let doc = trusted_doc_attrs(&format!(
        "The `{}` request, made by [`Client::{method}`]: {next}.",
        op.id
    ));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
        }
    }
}

fn param_doc(param: &Param) -> String {
    let mut text =
        nonempty(&param.doc).unwrap_or_else(|| format!("The `{}` parameter.", param.wire));
    if let Some(default) = &param.default {
        text.push_str(&format!("\n\nThe service's default: `{default}`."));
    }
    text
}

fn setter(ctx: &mut FileCtx<'_>, param: &Param) -> TokenStream {
    let name = ident(&param.name);
    let (arg, value) = arg_and_value(ctx, &param.ty, &name);
    let doc = doc_attrs(Some(&param_doc(param)), "");
    quote! {
        #doc
        pub fn #name(mut self, #name: #arg) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// The runtime's `ArrayStyle` (query arrays) or `PathStyle` (path segments) for `style`.
fn array_style(ctx: &mut FileCtx<'_>, style: ArrayStyle) -> TokenStream {
    let variant = ident(match style {
        ArrayStyle::FormExploded => "FormExploded",
        ArrayStyle::Form => "Form",
        ArrayStyle::SpaceDelimited => "SpaceDelimited",
        ArrayStyle::PipeDelimited => "PipeDelimited",
        ArrayStyle::Indexed => "Indexed",
        ArrayStyle::Path(style) => {
            let path_style = ctx.rt("PathStyle");
            return match style {
                PathStyle::Simple => quote! { #path_style::Simple },
                PathStyle::Label { explode } => quote! { #path_style::Label { explode: #explode } },
                PathStyle::Matrix { explode } => {
                    quote! { #path_style::Matrix { explode: #explode } }
                }
            };
        }
    });
    let array_style = ctx.rt("ArrayStyle");
    quote! { #array_style::#variant }
}

/// `values` joined by commas (the `simple` style of header arrays).
fn joined(values: TokenStream) -> TokenStream {
    quote! { #values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",") }
}

/// `into_request`, and `send`: a plain function returning the runtime's `ResponseFuture`
/// (not an `async fn`), so an operation adds no future type of its own for the compiler to
/// lay out and prove `Send`; decoding goes through the operation's `decode` function pointer.
fn send_fn(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    future_ty: &TokenStream,
    error_ty: &TokenStream,
) -> TokenStream {
    let static_name = ident(&op.static_name);
    let mut chain = Vec::new();
    let mut statements = Vec::new();
    let token = match &op.idempotency_token {
        Some(IdempotencyToken::Query { param }) => Some(param),
        _ => None,
    };
    // One `Cookie` header carries every cookie parameter.
    let mut cookies = Vec::new();
    for param in &op.params {
        let name = ident(&param.name);
        let wire = &param.wire;
        let is_array = param.array_style.is_some();
        let value = if is_copy(ctx, &param.ty) {
            quote! { self.#name }
        } else {
            quote! { &self.#name }
        };
        match (param.location, param.required, is_array) {
            (ParamLocation::Path, _, _) => match param.array_style {
                Some(style @ ArrayStyle::Path(_)) => {
                    let style = array_style(ctx, style);
                    let values = match param.ty {
                        Ty::Vec(_) => quote! { &self.#name },
                        _ => quote! { [#value] },
                    };
                    chain.push(quote! { .path_array(#wire, #values, #style) });
                }
                _ => chain.push(quote! { .path_param(#wire, #value) }),
            },
            (ParamLocation::Query, true, false) => chain.push(quote! { .query(#wire, #value) }),
            (ParamLocation::Query, false, false) if token == Some(&param.name) => {
                let fresh = idempotency_token(ctx);
                chain.push(quote! { .query(#wire, self.#name.clone().unwrap_or_else(#fresh)) });
            }
            (ParamLocation::Query, false, false) if is_copy(ctx, &param.ty) => {
                chain.push(quote! { .query_opt(#wire, self.#name) });
            }
            (ParamLocation::Query, false, false) => {
                chain.push(quote! { .query_opt(#wire, self.#name.as_ref()) })
            }
            (ParamLocation::Query, _, true) if !displayable_items(ctx, &param.ty) => {
                chain.push(quote! { .query_indexed(#wire, &self.#name) });
            }
            (ParamLocation::Query, required, true) => {
                let style = array_style(ctx, param.array_style.unwrap_or(ArrayStyle::FormExploded));
                let values = if required {
                    quote! { &self.#name }
                } else {
                    quote! { self.#name.iter().flatten() }
                };
                chain.push(quote! { .query_array(#wire, #values, #style) });
            }
            (ParamLocation::Header, true, false) => chain.push(quote! { .header(#wire, #value) }),
            (ParamLocation::Header, true, true) => {
                let value = joined(quote! { self.#name });
                chain.push(quote! { .header(#wire, #value) });
            }
            (ParamLocation::Header, false, array) => {
                let value = if array {
                    joined(quote! { value })
                } else {
                    quote! { value }
                };
                statements.push(quote! {
                    if let Some(value) = &self.#name {
                        request = request.header(#wire, #value);
                    }
                });
            }
            (ParamLocation::Cookie, required, array) => {
                let pair = format!("{}={{value}}", wire.replace('{', "{{").replace('}', "}}"));
                let join = array.then(|| {
                    let joined = joined(quote! { value });
                    quote! { let value = #joined; }
                });
                cookies.push(if required {
                    quote! {
                        let value = &self.#name;
                        #join
                        cookies.push(format!(#pair));
                    }
                } else {
                    quote! {
                        if let Some(value) = &self.#name {
                            #join
                            cookies.push(format!(#pair));
                        }
                    }
                });
            }
        }
    }
    if !cookies.is_empty() {
        statements.push(quote! {
            let mut cookies: Vec<String> = Vec::new();
            #(#cookies)*
            if !cookies.is_empty() {
                request = request.header("Cookie", cookies.join("; "));
            }
        });
    }
    if let Some(body) = &op.body {
        body_statements(ctx, op, body, &mut chain, &mut statements);
    }
    if token.is_some() {
        chain.push(quote! { .idempotent(true) });
    }
    let request = ctx.rt("Request");
    let accept = media::accept_header(op);
    let built = if statements.is_empty() {
        quote! { #request::new(&#static_name) #accept #(#chain)* }
    } else {
        quote! {
            let mut request = #request::new(&#static_name) #accept #(#chain)*;
            #(#statements)*
            request
        }
    };
    let streaming = media::send_streaming(ctx, op, error_ty);
    quote! {
        /// The request as the runtime sends it (parameters encoded, body serialised, an
        /// idempotency token filled in), without sending it: to inspect it, or to sign it with
        /// `Client::sign` for a dry run.
        pub fn into_request(self) -> #request {
            #built
        }

        /// Sends the request, retrying as the runtime client's policy allows.
        pub fn send(self) -> #future_ty {
            let client = self.client;
            client.runtime().execute(self.into_request(), decode)
        }
        #streaming
    }
}

/// The runtime's token generator, imported (a function: no generated type can shadow it).
fn idempotency_token(ctx: &mut FileCtx<'_>) -> TokenStream {
    ctx.runtime_import("idempotency_token");
    quote! { idempotency_token }
}

/// Whether the items of an array parameter go on the wire through `Display`.
fn displayable_items(ctx: &FileCtx<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Vec(item) => crate::ir::is_displayable(&ctx.api.types, item),
        _ => true,
    }
}

/// Whether a JSON body type is a struct with only optional fields (it derives `Default`) or a
/// map, so an unset body is sent as `{}`.
fn defaultable(ctx: &FileCtx<'_>, ty: &Ty) -> bool {
    match ty {
        // An object with no declared properties is a map, whose default is `{}` too.
        Ty::Map(_) => true,
        Ty::Named(id) => match &ctx.api.types[*id].kind {
            TypeKind::Struct(s) => s.derives_default(),
            TypeKind::Alias(inner) => defaultable(ctx, inner),
            _ => false,
        },
        _ => false,
    }
}

/// How the body joins the request. A POST, PUT or PATCH whose JSON body has only optional
/// fields sends `{}` when the caller sets none (JD Cloud's gateway signs and expects one);
/// an idempotency token in the body is filled in before the body is serialised once, so
/// every retry sends the same token.
fn body_statements(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    body: &crate::ir::Body,
    chain: &mut Vec<TokenStream>,
    statements: &mut Vec<TokenStream>,
) {
    let name = ident(&body.name);
    let sends_empty = matches!(op.method, Method::Post | Method::Put | Method::Patch)
        && body.encoding == BodyEncoding::Json
        && defaultable(ctx, &body.ty);
    let token = match &op.idempotency_token {
        Some(IdempotencyToken::BodyField { field }) => Some(ident(field)),
        _ => None,
    };
    if let Some(field) = token {
        let fresh = idempotency_token(ctx);
        let call = media::body_call(ctx, body, quote! { body }, quote! { &body });
        let fill = quote! {
            body.#field.get_or_insert_with(#fresh);
            request = request #call.idempotent(true);
        };
        statements.push(match (body.required, sends_empty) {
            (true, _) => quote! { let mut body = self.#name; #fill },
            (false, true) => quote! { let mut body = self.#name.unwrap_or_default(); #fill },
            (false, false) => quote! { if let Some(mut body) = self.#name { #fill } },
        });
        return;
    }
    if sends_empty && !body.required {
        chain.push(quote! { .json_body(&self.#name.unwrap_or_default()) });
        return;
    }
    if body.required {
        let call = media::body_call(ctx, body, quote! { self.#name }, quote! { &self.#name });
        chain.push(call);
    } else {
        let call = media::body_call(ctx, body, quote! { body }, quote! { body });
        statements.push(quote! {
            if let Some(body) = &self.#name {
                request = request #call;
            }
        });
    }
}

fn outcome_enum(
    ctx: &mut FileCtx<'_>,
    outcome: &Outcome,
    cases: &[ResponseCase],
) -> Option<TokenStream> {
    let Outcome::Enum { name, doc } = outcome else {
        return None;
    };
    let name = ident(name);
    let doc = trusted_doc_attrs(doc);
    let variants = cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let status = match case.status {
            Status::Code(code) => format!("HTTP {code}"),
            Status::Range(range) => format!("HTTP {range}xx"),
            Status::Default => "Any other status".to_owned(),
        };
        let vdoc = doc_attrs(Some(&format!("{status}: {}", case.doc)), "");
        match case.variant_field() {
            None => quote! { #vdoc #variant, },
            Some(ty) => {
                let ty = ctx.ty(&ty);
                quote! { #vdoc #variant(#ty), }
            }
        }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    })
}

fn read_body(decode: Decode) -> TokenStream {
    match decode {
        Decode::Json => quote! { response.json()? },
        Decode::JsonResult => quote! { response.json_result()? },
        Decode::JsonError => quote! { response.json_error()? },
        Decode::Text => quote! { response.text()? },
        Decode::Bytes => quote! { response.bytes()? },
        Decode::JsonLines => quote! { response.json_lines()? },
        Decode::Empty => quote! { () },
    }
}

fn case_value(outcome: &Outcome, case: &ResponseCase) -> TokenStream {
    let body = read_body(case.decode);
    match outcome {
        Outcome::Single(_) => body,
        Outcome::Enum { name, .. } => {
            let name = ident(name);
            let variant = ident(&case.variant);
            match (&case.ty, case.decode) {
                (Ty::Unit, _) | (_, Decode::Empty) => quote! { #name::#variant },
                _ if case.boxed => quote! { #name::#variant(Box::new(#body)) },
                _ => quote! { #name::#variant(#body) },
            }
        }
    }
}

fn decode_fn(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    success_ty: &TokenStream,
    error_ty: &TokenStream,
) -> TokenStream {
    let outcome = ctx.rt("Outcome");
    let value = |case: CaseRef| {
        let (outcome_type, cases) = match case.success {
            true => (&op.success_type, &op.success),
            false => (&op.error_type, &op.errors),
        };
        let value = case_value(outcome_type, &cases[case.index]);
        match case.success {
            true => quote! { #outcome::Success(#value) },
            false => quote! { #outcome::Failure(#value) },
        }
    };
    let arms = op.statuses.arms.iter().map(|arm| {
        let patterns = status_patterns(arm.statuses.clone());
        let value = value(arm.case);
        quote! { #(#patterns)|* => #value, }
    });
    let fallback = match op.statuses.fallback {
        Some(case) => value(case),
        None => quote! { #outcome::Unexpected },
    };
    let (raw_response, decode_error) = (ctx.rt("RawResponse"), ctx.rt("DecodeError"));
    quote! {
        /// Maps each documented status to its type; any other status is unexpected.
        fn decode(response: &mut #raw_response) -> Result<#outcome<#success_ty, #error_ty>, #decode_error> {
            let outcome = match response.status().as_u16() {
                #(#arms)*
                _ => #fallback,
            };
            Ok(outcome)
        }
    }
}

/// Patterns for status intervals: contiguous ones coalesce (`400..=599`, not
/// `400..=499 | 500..=599`); a run of two codes stays `400 | 401`.
fn status_patterns(mut intervals: Vec<(u16, u16)>) -> Vec<TokenStream> {
    intervals.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::new();
    for (low, high) in intervals {
        match merged.last_mut() {
            Some(last) if last.1.checked_add(1) == Some(low) => last.1 = high,
            _ => merged.push((low, high)),
        }
    }
    let literal = proc_macro2::Literal::u16_unsuffixed;
    merged
        .into_iter()
        .flat_map(|(low, high)| match high - low {
            0 => vec![{
                let l = literal(low);
                quote! { #l }
            }],
            1 => {
                let (l, h) = (literal(low), literal(high));
                vec![quote! { #l }, quote! { #h }]
            }
            _ => {
                let (l, h) = (literal(low), literal(high));
                vec![quote! { #l..=#h }]
            }
        })
        .collect()
}

/// The page number (`i64`, as the runtime counts) as the parameter's type.
fn page_to_param(ty: &Ty) -> TokenStream {
    match ty {
        Ty::I32 => quote! { i32::try_from(page).unwrap_or(i32::MAX) },
        Ty::U32 => quote! { u32::try_from(page).unwrap_or(u32::MAX) },
        Ty::U64 => quote! { u64::try_from(page).unwrap_or(u64::MAX) },
        _ => quote! { page },
    }
}

/// An integer expression of type `ty` as `i64` (saturating).
fn to_i64(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::I32 | Ty::U32 => quote! { i64::from(#value) },
        Ty::U64 => quote! { i64::try_from(#value).unwrap_or(i64::MAX) },
        _ => value,
    }
}

/// `i64::from` or a closure doing the same, for `Option::map`.
fn to_i64_fn(ty: &Ty) -> TokenStream {
    match ty {
        Ty::I32 | Ty::U32 => quote! { i64::from },
        _ => {
            let body = to_i64(ty, quote! { value });
            quote! { |value| #body }
        }
    }
}

fn paging(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    error_ty: &TokenStream,
) -> (TokenStream, TokenStream) {
    let Some(paging) = &op.paging else {
        return (TokenStream::new(), TokenStream::new());
    };
    let page = ident(&paging.page_param);
    let item = ctx.ty(&paging.item_ty);
    let Outcome::Single(success) = &op.success_type else {
        return (TokenStream::new(), TokenStream::new());
    };
    let success = ctx.ty(success);
    let to_param = page_to_param(&paging.page_ty);
    let (first_page, set_page) = if paging.page_required {
        (
            to_i64(&paging.page_ty, quote! { self.#page }),
            quote! { request.#page = #to_param; },
        )
    } else if paging.page_ty == Ty::I64 {
        (
            quote! { self.#page.unwrap_or(1) },
            quote! { request.#page = Some(#to_param); },
        )
    } else {
        let convert = to_i64_fn(&paging.page_ty);
        (
            quote! { self.#page.map_or(1, #convert) },
            quote! { request.#page = Some(#to_param); },
        )
    };
    let items = ident(&paging.items_field);
    let items = if paging.items_optional {
        quote! { page.#items.unwrap_or_default() }
    } else {
        quote! { page.#items }
    };
    let total = match &paging.total_field {
        None => quote! { None },
        Some((field, ty)) => {
            let field = ident(field);
            let (inner, optional) = match ty {
                Ty::Option(inner) => (inner.as_ref().clone(), true),
                other => (other.clone(), false),
            };
            if optional {
                match inner {
                    Ty::I64 => quote! { page.#field },
                    _ => {
                        let convert = to_i64_fn(&inner);
                        quote! { page.#field.map(#convert) }
                    }
                }
            } else {
                let value = to_i64(&inner, quote! { page.#field });
                quote! { Some(#value) }
            }
        }
    };
    ctx.runtime_import("Stream");
    let (error, paginate) = (ctx.rt("Error"), ctx.paginate());
    let stream = quote! {
        /// Streams the items of every page, from the page set on this builder (else the
        /// first), fetching each page only when the stream reaches it.
        pub fn into_stream(self) -> impl Stream<Item = Result<#item, #error<#error_ty>>> + Send + 'a {
            let first_page = #first_page;
            #paginate(
                first_page,
                move |page| {
                    let mut request = self.clone();
                    #set_page
                    request.send()
                },
                split_page,
            )
        }
    };
    let split = quote! {
        /// A page's items and the total item count.
        fn split_page(page: #success) -> (Vec<#item>, Option<i64>) {
            (#items, #total)
        }
    };
    (stream, split)
}
