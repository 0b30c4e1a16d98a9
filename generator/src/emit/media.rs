//! What an operation's media types add to its file: the request body call (JSON, form,
//! multipart, raw bytes), the function that lays a multipart body out as parts, the `Accept`
//! header, and `send_streaming` for a binary or JSON Lines success body.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::trusted_doc_attrs;
use super::{FileCtx, ident};
use crate::ir::{Body, BodyEncoding, Operation, PartKind, Streaming, Ty};

/// The private function that turns the multipart body into its parts.
const MULTIPART_FN: &str = "multipart_form";

/// The call adding the body to `request`: `place` is the body (`self.body`), `reference` a
/// reference to it (`&self.body`, or `body` inside `if let Some(body) = &self.body`).
pub fn body_call(
    ctx: &mut FileCtx<'_>,
    body: &Body,
    place: TokenStream,
    reference: TokenStream,
) -> TokenStream {
    match &body.encoding {
        BodyEncoding::Json => quote! { .json_body(#reference) },
        BodyEncoding::Form => quote! { .form_body(#reference) },
        BodyEncoding::Raw(media) => quote! { .bytes_body(#media, #place.clone()) },
        BodyEncoding::Multipart(_) if body.ty == Ty::Value => {
            let multipart = ctx.rt("Multipart");
            quote! { .multipart_body(#multipart::from_json(#reference)) }
        }
        BodyEncoding::Multipart(_) => {
            let function = ident(MULTIPART_FN);
            quote! { .multipart_body(#function(#reference)) }
        }
    }
}

/// `.header("Accept", ...)` when the operation's responses are more than JSON.
pub fn accept_header(op: &Operation) -> Option<TokenStream> {
    let accept = op.accept.as_ref()?;
    Some(quote! { .header("Accept", #accept) })
}

/// The function laying out a typed multipart body: one part per field, in order.
pub fn multipart_fn(ctx: &mut FileCtx<'_>, op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let BodyEncoding::Multipart(parts) = &body.encoding else {
        return None;
    };
    if body.ty == Ty::Value {
        return None;
    }
    let statements = parts.iter().map(|part| {
        let wire = &part.wire;
        // `value` is a reference to the value, `place` the value itself.
        let add = |value: TokenStream, place: TokenStream| match (part.kind, &part.content_type) {
            (PartKind::Text | PartKind::Texts, None) => quote! { form.text(#wire, #value) },
            (PartKind::Text | PartKind::Texts, Some(media)) => {
                quote! { form.part(#wire, #media, #place.to_string()) }
            }
            (PartKind::File | PartKind::Files, media) => {
                let media = media.as_deref().unwrap_or("application/octet-stream");
                quote! { form.file(#wire, #wire, #media, #place.clone()) }
            }
            (PartKind::Json, _) => quote! { form.json(#wire, #value) },
        };
        let field = ident(&part.field);
        let each = matches!(part.kind, PartKind::Texts | PartKind::Files);
        let one = add(quote! { value }, quote! { value });
        let per_value = if each {
            quote! { for value in value { form = #one; } }
        } else {
            quote! { form = #one; }
        };
        match (part.optional, each) {
            (true, _) => quote! { if let Some(value) = &body.#field { #per_value } },
            (false, true) => quote! { for value in &body.#field { form = #one; } },
            (false, false) => {
                let one = add(quote! { &body.#field }, quote! { body.#field });
                quote! { form = #one; }
            }
        }
    });
    let function = ident(MULTIPART_FN);
    let body_ty = ctx.ty(&body.ty);
    let multipart = ctx.rt("Multipart");
    Some(quote! {
        /// The request body as `multipart/form-data` parts, one per field (absent ones left out).
        fn #function(body: &#body_ty) -> #multipart {
            let mut form = #multipart::new();
            #(#statements)*
            form
        }
    })
}

/// `send_streaming`, when the success body can be handed over unread; the request is the
/// builder's `into_request()`, as `send` sends it.
pub fn send_streaming(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    error_ty: &TokenStream,
) -> Option<TokenStream> {
    let (response, error) = (ctx.rt("Response"), ctx.rt("Error"));
    let (body, execute, doc) = match op.streaming.as_ref()? {
        Streaming::Bytes => (
            ctx.rt("ByteStream"),
            quote! { execute_streaming },
            "Sends the request and hands a success body over unread, as a stream of byte\n\
             chunks: for large downloads, nothing is buffered and no size limit applies; each\n\
             chunk must arrive within the client's per-attempt timeout. Error statuses are\n\
             read and typed as `send` types them.",
        ),
        Streaming::JsonLines(item) => {
            let item = ctx.ty(item);
            let lines = ctx.rt("JsonLines");
            (
                quote! { #lines<#item> },
                quote! { execute_json_lines },
                "Sends the request and hands a success body over as a stream of its items, each\n\
                 decoded as its line arrives: only one line is buffered, of at most the client's\n\
                 maximum body size. Error statuses are read and typed as `send` types them.",
            )
        }
    };
    let doc = trusted_doc_attrs(doc);
    Some(quote! {
        #doc
        pub async fn send_streaming(self) -> Result<#response<#body>, #error<#error_ty>> {
            let client = self.client;
            client.runtime().#execute(self.into_request(), decode).await
        }
    })
}
