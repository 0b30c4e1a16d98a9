//! An operation's waiters: two builder methods each (the spec's interval and maximum wait,
//! or the caller's), a `static` describing the waiter, and the function reading the polled
//! field, for the runtime's generic wait loop.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, trusted_doc_attrs};
use super::{FileCtx, ident};
use crate::ir::{Operation, Waiter};

/// The builder methods and the file-level items of `op`'s waiters (empty without any).
pub fn waiters(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    success_ty: &TokenStream,
    error_ty: &TokenStream,
) -> (TokenStream, TokenStream) {
    if op.waiters.is_empty() {
        return (TokenStream::new(), TokenStream::new());
    }
    ctx.import(0, "std::time", "Duration");
    ctx.runtime_import("waiter");
    let (response, wait_error) = (ctx.rt("Response"), ctx.rt("WaitError"));
    let result = quote! { Result<#response<#success_ty>, #wait_error<#error_ty>> };
    let (methods, items): (Vec<_>, Vec<_>) = op
        .waiters
        .iter()
        .map(|waiter| {
            (
                methods(ctx, op, waiter, &result),
                items(ctx, op, waiter, success_ty),
            )
        })
        .unzip();
    (quote! { #(#methods)* }, quote! { #(#items)* })
}

fn listed(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn method_doc(op: &Operation, waiter: &Waiter) -> String {
    let mut text = waiter
        .doc
        .clone()
        .filter(|doc| !doc.trim().is_empty())
        .unwrap_or_else(|| format!("Waits for the `{}` waiter.", waiter.name));
    text.push_str(&format!(
        "\n\nSends this `{}` request every {} s until `{}` is {}, and returns that response.",
        op.id,
        waiter.interval_secs,
        waiter.path,
        listed(&waiter.success)
    ));
    if !waiter.failure.is_empty() {
        text.push_str(&format!(
            " Ends with `WaitError::Failed` when it is {}.",
            listed(&waiter.failure)
        ));
    }
    if !waiter.retry.is_empty() {
        text.push_str(&format!(
            " Keeps waiting while it is {} (or any other value).",
            listed(&waiter.retry)
        ));
    }
    text.push_str(&format!(
        " Gives up after {} s with `WaitError::TimedOut`, which carries the last value seen. \
         Each poll is retried as the client's retry policy allows; a poll that still fails \
         ends the wait with `WaitError::Poll`.",
        waiter.max_wait_secs
    ));
    text
}

fn methods(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    waiter: &Waiter,
    result: &TokenStream,
) -> TokenStream {
    let (method, method_with) = (ident(&waiter.method), ident(&waiter.method_with));
    let (statik, state) = (ident(&waiter.static_name), ident(&waiter.state_fn));
    let literal = proc_macro2::Literal::u64_unsuffixed;
    let (interval, max_wait) = (literal(waiter.interval_secs), literal(waiter.max_wait_secs));
    let options = ctx.rt("WaitOptions");
    let doc = doc_attrs(Some(&method_doc(op, waiter)), "");
    let with_doc = format!(
        "Like [`{}`](Self::{}), polling at `options.interval` for at most `options.max_wait`.",
        waiter.method, waiter.method
    );
    let with_doc = trusted_doc_attrs(&with_doc);
    quote! {
        #doc
        pub async fn #method(self) -> #result {
            let options = #options {
                interval: Duration::from_secs(#interval),
                max_wait: Duration::from_secs(#max_wait),
            };
            self.#method_with(options).await
        }

        #with_doc
        pub async fn #method_with(self, options: #options) -> #result {
            waiter::wait(&#statik, options, || self.clone().send(), #state).await
        }
    }
}

fn items(
    ctx: &mut FileCtx<'_>,
    op: &Operation,
    waiter: &Waiter,
    success_ty: &TokenStream,
) -> TokenStream {
    let (statik, state) = (ident(&waiter.static_name), ident(&waiter.state_fn));
    let (name, path) = (&waiter.name, &waiter.path);
    let (success, failure) = (&waiter.success, &waiter.failure);
    let waiter_ty = ctx.rt("Waiter");
    let static_doc = doc_attrs(
        Some(&format!(
            "The `{name}` waiter of `{}`: the values of `{path}` that end it.",
            op.id
        )),
        "",
    );
    let state_doc = doc_attrs(Some(&format!("`{path}` of a result, as text.")), "");
    let value = state_value(&waiter.accessor);
    quote! {
        #static_doc
        static #statik: #waiter_ty = #waiter_ty {
            name: #name,
            path: #path,
            success: &[#(#success),*],
            failure: &[#(#failure),*],
        };

        #state_doc
        fn #state(result: &#success_ty) -> Option<String> {
            #value
        }
    }
}

/// `result.a.as_ref()?.b.as_ref().map(ToString::to_string)`: the field along the path, as
/// text, `None` where an optional field on the way is unset.
fn state_value(accessor: &[(String, bool)]) -> TokenStream {
    let mut value = quote! { result };
    let Some(((last, last_optional), before)) = accessor.split_last() else {
        return quote! { None };
    };
    for (field, optional) in before {
        let field = ident(field);
        value = if *optional {
            quote! { #value.#field.as_ref()? }
        } else {
            quote! { #value.#field }
        };
    }
    let last = ident(last);
    if *last_optional {
        quote! { #value.#last.as_ref().map(ToString::to_string) }
    } else {
        quote! { Some(#value.#last.to_string()) }
    }
}
