//! `call.rs` (with [`Settings::call_module`](crate::Settings::call_module)): every operation
//! by its operationId, its parameters decoded from one JSON object keyed by the spec's names
//! into the operation's typed builder, then sent or signed for a dry run. Generated, so a new
//! operation or parameter is callable as soon as the spec has it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{FileCtx, ident};
use crate::ir::{BodyEncoding, Operation, Outcome, Ty, TypeKind};

/// The module's items (its `use` lines are the caller's to add from `ctx`).
pub fn call_module(ctx: &mut FileCtx<'_>) -> TokenStream {
    let api = ctx.api;
    let mut operations: Vec<&Operation> = api.operations.iter().collect();
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    let ids = operations.iter().map(|op| &op.id);
    let arms: Vec<TokenStream> = operations.iter().map(|op| arm(ctx, op)).collect();
    ctx.import(1, "serde_json", "Value");
    ctx.runtime_import("call");
    let root = ctx.root();
    ctx.import(2, root, "Client");
    quote! {
        /// Every operation's id, sorted.
        pub const OPERATIONS: &[&str] = &[#(#ids),*];

        /// Calls the operation whose operationId is `operation` with `params`, a JSON object
        /// of its parameters by their names in the spec (a JSON body's properties beside
        /// them). With `dry_run`, returns the signed request (`method`, `url`, `headers`,
        /// `body`) and sends nothing; else sends it and returns `status`, `requestId` and
        /// `result`.
        ///
        /// An unknown operation or parameter, a missing required parameter or a value of the
        /// wrong type is a [`call::CallError`] naming it; so is a failed call.
        pub async fn call(
            client: &Client,
            operation: &str,
            params: Value,
            dry_run: bool,
        ) -> Result<Value, call::CallError> {
            match operation {
                #(#arms)*
                other => Err(call::CallError::UnknownOperation(other.to_owned())),
            }
        }
    }
}

/// The expression reading one parameter (`?` on a missing or mistyped value).
fn read(ctx: &mut FileCtx<'_>, wire: &str, ty: &Ty, required: bool) -> TokenStream {
    let ty = ctx.ty(ty);
    if required {
        quote! { params.required::<#ty>(#wire)? }
    } else {
        quote! { params.optional::<#ty>(#wire)? }
    }
}

/// The wire names of a JSON body's fields, when its properties are given at the top level.
fn body_fields(ctx: &FileCtx<'_>, ty: &Ty) -> Option<Vec<String>> {
    match ty {
        Ty::Named(id) => match &ctx.api.types[*id].kind {
            TypeKind::Struct(s) if s.additional.is_none() && s.union.is_none() => {
                Some(s.fields.iter().map(|f| f.wire.clone()).collect())
            }
            _ => None,
        },
        _ => None,
    }
}

fn arm(ctx: &mut FileCtx<'_>, op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = ident(&op.method_name);
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for param in &op.params {
        let value = read(ctx, &param.wire, &param.ty, param.required);
        let setter = ident(&param.name);
        if param.required {
            args.push(value);
        } else {
            setters.push(quote! {
                if let Some(value) = #value {
                    builder = builder.#setter(value);
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let setter = ident(&body.name);
        let value = match (&body.encoding, body_fields(ctx, &body.ty)) {
            // Raw bodies are given as text.
            (BodyEncoding::Raw(_), _) => read(ctx, "body", &Ty::String, body.required),
            (_, Some(fields)) => {
                let ty = ctx.ty(&body.ty);
                if body.required {
                    quote! { params.required_body::<#ty>(&[#(#fields),*])? }
                } else {
                    quote! { params.body::<#ty>(&[#(#fields),*])? }
                }
            }
            // Any other body is the parameter `body`.
            (_, None) => read(ctx, "body", &body.ty, body.required),
        };
        if body.required {
            args.push(value);
        } else {
            setters.push(quote! {
                if let Some(value) = #value {
                    builder = builder.#setter(value);
                }
            });
        }
    }
    let binding = if setters.is_empty() {
        quote! { let builder }
    } else {
        quote! { let mut builder }
    };
    let output = match &op.success_type {
        Outcome::Single(ty) if *ty != Ty::Bytes => quote! { call::output },
        _ => quote! { call::output_debug },
    };
    quote! {
        #id => {
            let mut params = call::Params::new(#id, params)?;
            #binding = client.#method(#(#args),*);
            #(#setters)*
            call::finish(params, client.runtime(), dry_run, builder, |b| b.into_request(), #output)
                .await
        }
    }
}
