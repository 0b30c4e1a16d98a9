//! An operation's waiters: two builder methods each (the spec's interval and maximum wait,
//! or the caller's), a `static` describing the waiter, and the function reading the polled
//! field, for the runtime's generic wait loop.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, trusted_doc_attrs};
use super::{FileCtx, ident};
use crate::ir::{Operation, StateStep, Waiter, WaiterParam};

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
    let (path, interval) = (&waiter.path, waiter.interval_secs);
    let each = waiter.accessor.iter().any(|step| step.each);
    text.push_str(&format!(
        "\n\nSends this `{}` request every {interval} s until ",
        op.id
    ));
    text.push_str(&if each {
        format!(
            "`{path}` is {} for every element (an empty or missing array keeps waiting), \
             and returns that response.",
            listed(&waiter.success)
        )
    } else {
        format!(
            "`{path}` is {}, and returns that response.",
            listed(&waiter.success)
        )
    });
    if !waiter.failure.is_empty() {
        let any = if each { " for any element" } else { "" };
        text.push_str(&format!(
            " Ends with `WaitError::Failed` when it is {}{any}.",
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
        " Gives up after {} s with `WaitError::TimedOut`, which carries the last state seen. \
         Each poll is retried as the client's retry policy allows; a poll that still fails \
         ends the wait with `WaitError::Poll`",
        waiter.max_wait_secs
    ));
    text.push_str(&if waiter.keep_waiting_on.is_empty() {
        ".".to_owned()
    } else {
        let statuses: Vec<String> = waiter.keep_waiting_on.iter().map(u16::to_string).collect();
        format!(
            ", unless its HTTP status is {}, which keeps waiting.",
            statuses.join(" or ")
        )
    });
    text.push_str(&parameter_rules(waiter));
    text
}

/// What the method refuses before polling, for its doc (empty without `requires` or `excludes`).
fn parameter_rules(waiter: &Waiter) -> String {
    let names = |params: &[WaiterParam], collection: &str| {
        let names: Vec<String> = params
            .iter()
            .map(|p| {
                let note = if p.collection { collection } else { "" };
                format!("`{}`{note}", p.wire)
            })
            .collect();
        names.join(", ")
    };
    let mut text = String::new();
    if !waiter.requires.is_empty() {
        text.push_str(&format!(
            "\n\nNeeds {} set on the request; without, it sends nothing and returns \
             `WaitError::MissingParameter`.",
            names(&waiter.requires, " (not empty)")
        ));
    }
    if !waiter.excludes.is_empty() {
        text.push_str(&format!(
            "\n\nRefuses a request with {} set, a filter that would hide the states it waits \
             for: it sends nothing and returns `WaitError::ExcludedParameter`.",
            names(&waiter.excludes, "")
        ));
    }
    text
}

/// The checks of `requires` and `excludes` on the builder's fields, returning before any poll.
fn parameter_checks(
    waiter: &Waiter,
    statik: &proc_macro2::Ident,
    wait_error: &TokenStream,
) -> TokenStream {
    // `field` is unset (`missing`) or set; a list or map counts as set only when not empty.
    let test = |param: &WaiterParam, missing: bool| {
        let field = ident(&param.field);
        match (param.collection, missing) {
            (true, true) => quote! { self.#field.as_ref().is_none_or(|value| value.is_empty()) },
            (true, false) => quote! { self.#field.as_ref().is_some_and(|value| !value.is_empty()) },
            (false, true) => quote! { self.#field.is_none() },
            (false, false) => quote! { self.#field.is_some() },
        }
    };
    let requires = waiter.requires.iter().map(|param| {
        let (missing, wire) = (test(param, true), &param.wire);
        quote! {
            if #missing {
                return Err(#wait_error::MissingParameter { waiter: #statik.name, parameter: #wire });
            }
        }
    });
    let excludes = waiter.excludes.iter().map(|param| {
        let (set, wire) = (test(param, false), &param.wire);
        quote! {
            if #set {
                return Err(#wait_error::ExcludedParameter { waiter: #statik.name, parameter: #wire });
            }
        }
    });
    quote! { #(#requires)* #(#excludes)* }
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
    let checks = parameter_checks(waiter, &statik, &ctx.rt("WaitError"));
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
            #checks
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
    let keep_waiting_on =
        (waiter.keep_waiting_on.iter()).map(|status| proc_macro2::Literal::u16_unsuffixed(*status));
    let waiter_ty = ctx.rt("Waiter");
    // Through the `waiter` module the methods import: `State` is a common schema name.
    let state_ty = quote! { waiter::State };
    let static_doc = doc_attrs(
        Some(&format!(
            "The `{name}` waiter of `{}`: the values of `{path}` that end it.",
            op.id
        )),
        "",
    );
    let state_doc = doc_attrs(Some(&format!("`{path}` of a result, as text.")), "");
    let value = state_value(&waiter.accessor, &state_ty);
    quote! {
        #static_doc
        static #statik: #waiter_ty = #waiter_ty {
            name: #name,
            path: #path,
            success: &[#(#success),*],
            failure: &[#(#failure),*],
            keep_waiting_on: &[#(#keep_waiting_on),*],
        };

        #state_doc
        fn #state(result: &#success_ty) -> Option<#state_ty> {
            #value
        }
    }
}

/// The state along the path: `result.a.as_ref()?.b.as_ref().map(..State::Value..)` for one
/// field; through an array, `State::Each` of the rest of the path read from every element.
/// `None` where an optional field on the way to the value (or to the array) is unset.
fn state_value(accessor: &[StateStep], state_ty: &TokenStream) -> TokenStream {
    let Some(index) = accessor.iter().position(|step| step.each) else {
        return match field(quote! { result }, accessor) {
            Field::Optional(value) => {
                quote! { #value.map(|value| #state_ty::Value(value.to_string())) }
            }
            Field::Required(value) => quote! { Some(#state_ty::Value(#value.to_string())) },
        };
    };
    let (before, array, rest) = (&accessor[..index], &accessor[index], &accessor[index + 1..]);
    let array_field = ident(&array.field);
    let to_array = reach(quote! { result }, before);
    let items = if array.optional {
        quote! { #to_array.#array_field.as_ref()? }
    } else {
        quote! { &#to_array.#array_field }
    };
    let item = if array.optional_items {
        quote! { item.as_ref()? }
    } else {
        quote! { item }
    };
    let text = match field(item, rest) {
        Field::Optional(value) => quote! { #value.map(ToString::to_string) },
        Field::Required(value) => quote! { Some(#value.to_string()) },
    };
    quote! {
        let items = #items;
        Some(#state_ty::Each(items.iter().map(|item| #text).collect()))
    }
}

/// `base` followed by `steps`, each optional one unwrapped with `?`.
fn reach(base: TokenStream, steps: &[StateStep]) -> TokenStream {
    steps.iter().fold(base, |value, step| {
        let field = ident(&step.field);
        if step.optional {
            quote! { #value.#field.as_ref()? }
        } else {
            quote! { #value.#field }
        }
    })
}

/// The field at the end of a path: an `Option<&T>`, or the field itself.
enum Field {
    Optional(TokenStream),
    Required(TokenStream),
}

fn field(base: TokenStream, steps: &[StateStep]) -> Field {
    let Some((last, before)) = steps.split_last() else {
        return Field::Required(base);
    };
    let value = reach(base, before);
    let last_field = ident(&last.field);
    if last.optional {
        Field::Optional(quote! { #value.#last_field.as_ref() })
    } else {
        Field::Required(quote! { #value.#last_field })
    }
}
