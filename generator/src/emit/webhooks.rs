//! `webhooks.rs`: one enum variant per webhook (its payload typed), `parse(name, body)` to read
//! an incoming request into it, and the error saying what did not fit. Emitted only for a
//! document with webhooks (OpenAPI 3.1), so 3.0 output is unchanged.
//!
//! The doc example is a doctest when [`Settings::crate_path`] says how users reach the tree;
//! without it the example cannot name the crate, and is shown but not compiled.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs, trusted_doc_attrs};
use super::{FileCtx, ident};
use crate::Settings;
use crate::ir::{Api, Decode, Ty, Webhook, Webhooks};

/// The tokens of `webhooks.rs`.
pub(super) fn webhooks_module(
    api: &Api,
    webhooks: &Webhooks,
    settings: &Settings,
    runtime: &TokenStream,
) -> TokenStream {
    let mut ctx = FileCtx::new(api, None, settings, runtime);
    let doc = inner_doc_attrs(&format!(
        "Webhooks: the requests {} sends to you, one `{}` variant each; `{}::parse` reads one.",
        api.title, webhooks.enum_name, webhooks.enum_name
    ));
    let name = ident(&webhooks.enum_name);
    let error = ident(&webhooks.error_name);
    let enum_doc = trusted_doc_attrs(&enum_doc(webhooks, settings));
    let variants: Vec<TokenStream> = webhooks
        .hooks
        .iter()
        .map(|hook| variant(&mut ctx, hook))
        .collect();
    // A webhook with several operations is read as its first (`parse` knows the name only).
    let mut names: Vec<&str> = Vec::new();
    let mut arms = Vec::new();
    for hook in &webhooks.hooks {
        if !names.contains(&hook.name.as_str()) {
            names.push(&hook.name);
            arms.push(parse_arm(&mut ctx, hook, &error));
        }
    }
    let name_arms = webhooks.hooks.iter().map(|hook| {
        let variant = ident(&hook.variant);
        let wire = &hook.name;
        if hook.payload == Ty::Unit {
            quote! { Self::#variant => #wire, }
        } else {
            quote! { Self::#variant(_) => #wire, }
        }
    });
    ctx.import(0, "std", "fmt");
    let uses = ctx.use_items();
    let error_doc = trusted_doc_attrs(&format!(
        "Why [`{}::parse`] could not read a webhook request.",
        webhooks.enum_name
    ));
    quote! {
        #doc
        #uses

        #enum_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The webhook names [`Self::parse`] knows: the keys of the spec's `webhooks`.
            pub const NAMES: &[&str] = &[#(#names),*];

            /// Reads the body of the webhook called `name` (its key under the spec's
            /// `webhooks`) into its typed payload.
            pub fn parse(name: &str, body: &[u8]) -> Result<Self, #error> {
                match name {
                    #(#arms)*
                    _ => Err(#error::UnknownName(name.to_owned())),
                }
            }

            /// The webhook's name (its key under the spec's `webhooks`).
            pub fn name(&self) -> &'static str {
                match self {
                    #(#name_arms)*
                }
            }
        }

        #error_doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #error {
            /// No webhook of this name is documented.
            UnknownName(String),
            /// The body is not the webhook's documented JSON payload.
            Decode {
                /// The webhook's name.
                name: &'static str,
                /// What did not fit, with its line and column.
                source: serde_json::Error,
            },
            /// The webhook's payload is text and the body is not UTF-8.
            NotUtf8 {
                /// The webhook's name.
                name: &'static str,
            },
        }

        impl fmt::Display for #error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Self::UnknownName(name) => write!(f, "unknown webhook `{name}`"),
                    Self::Decode { name, source } => {
                        write!(f, "webhook `{name}`: the body is not its payload: {source}")
                    }
                    Self::NotUtf8 { name } => write!(f, "webhook `{name}`: the body is not UTF-8 text"),
                }
            }
        }

        impl std::error::Error for #error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::Decode { source, .. } => Some(source),
                    _ => None,
                }
            }
        }
    }
}

fn variant(ctx: &mut FileCtx<'_>, hook: &Webhook) -> TokenStream {
    let fallback = format!(
        "The `{}` webhook (`{}`).",
        hook.name,
        hook.method.as_str().to_uppercase()
    );
    let text = match (&hook.summary, &hook.description) {
        (Some(summary), Some(description)) => Some(format!("{summary}\n\n{description}")),
        (Some(text), None) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    };
    // Documented rather than `#[deprecated]`: `parse` and `name` use every variant.
    let text = match (text, hook.deprecated) {
        (Some(text), true) => Some(format!("Deprecated.\n\n{text}")),
        (None, true) => Some(format!("Deprecated. {fallback}")),
        (text, false) => text,
    };
    let doc = doc_attrs(text.as_deref(), &fallback);
    let name = ident(&hook.variant);
    if hook.payload == Ty::Unit {
        return quote! { #doc #name, };
    }
    let payload = if ctx.is_aggregate(&hook.payload) {
        Ty::Box(Box::new(hook.payload.clone()))
    } else {
        hook.payload.clone()
    };
    let ty = ctx.ty(&payload);
    quote! { #doc #name(#ty), }
}

fn parse_arm(ctx: &mut FileCtx<'_>, hook: &Webhook, error: &proc_macro2::Ident) -> TokenStream {
    let wire = &hook.name;
    let variant = ident(&hook.variant);
    let wrap = if ctx.is_aggregate(&hook.payload) {
        quote! { Self::#variant(Box::new(payload)) }
    } else {
        quote! { Self::#variant(payload) }
    };
    let read = match hook.decode {
        Decode::Empty => return quote! { #wire => Ok(Self::#variant), },
        Decode::Text => quote! {
            String::from_utf8(body.to_vec()).map_err(|_| #error::NotUtf8 { name: #wire })?
        },
        Decode::Bytes => {
            let bytes = ctx.ty(&Ty::Bytes);
            quote! { #bytes::copy_from_slice(body) }
        }
        Decode::Json | Decode::JsonResult | Decode::JsonError => quote! {
            serde_json::from_slice(body).map_err(|source| #error::Decode { name: #wire, source })?
        },
        Decode::JsonLines => quote! {
            body.split(|&byte| byte == b'\n')
                .filter(|line| !line.trim_ascii().is_empty())
                .map(serde_json::from_slice)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|source| #error::Decode { name: #wire, source })?
        },
    };
    quote! {
        #wire => {
            let payload = #read;
            Ok(#wrap)
        }
    }
}

/// The enum's doc: what it is, and an example that is a doctest when the crate path is known.
fn enum_doc(webhooks: &Webhooks, settings: &Settings) -> String {
    let name = &webhooks.enum_name;
    let error = &webhooks.error_name;
    let (fence, path) = match &settings.crate_path {
        Some(path) => ("```", path.as_str()),
        None => ("```ignore", "my_crate"),
    };
    let mut example = vec![
        fence.to_owned(),
        format!("use {path}::webhooks::{{{name}, {error}}};"),
        String::new(),
        "/// Called with the webhook's name (as configured, or from its body) and raw body."
            .to_owned(),
        format!("fn handle(name: &str, body: &[u8]) -> Result<(), {error}> {{"),
        format!("    match {name}::parse(name, body)? {{"),
    ];
    let first = &webhooks.hooks[0];
    let pattern = if first.payload == Ty::Unit {
        format!("{name}::{}", first.variant)
    } else {
        format!("{name}::{}(payload)", first.variant)
    };
    let action = if first.payload == Ty::Unit {
        format!("println!(\"{}\")", first.name)
    } else {
        "println!(\"{payload:?}\")".to_owned()
    };
    example.push(format!("        {pattern} => {action},"));
    example.push("        other => println!(\"{}\", other.name()),".to_owned());
    example.push("    }".to_owned());
    example.push("    Ok(())".to_owned());
    example.push("}".to_owned());
    example.push(String::new());
    example.push(format!(
        "assert!(matches!(handle(\"no such webhook\", b\"{{}}\"), Err({error}::UnknownName(_))));"
    ));
    if first.decode == Decode::Json {
        example.push(format!(
            "let error = handle({:?}, b\"not JSON\").unwrap_err();",
            first.name
        ));
        example.push(format!(
            "assert!(matches!(error, {error}::Decode {{ name: {:?}, .. }}));",
            first.name
        ));
    }
    example.push("```".to_owned());
    format!(
        "A webhook request the API sends, by webhook; [`{name}::parse`] reads one.\n\n\
         Non-exhaustive: a webhook added to the spec later is a new variant.\n\n{}",
        example.join("\n")
    )
}
