//! `webhooks.rs`: one enum variant per webhook operation (its payload typed), `parse(name,
//! body)` and `parse_method(name, method, body)` to read an incoming request into it, and the
//! error saying what did not fit. A webhook documented for several methods has one variant per
//! method (`OrderPost`, `OrderPut`); `parse` cannot tell them apart, so it answers
//! `MethodNeeded` for such a name instead of guessing. Emitted only for a
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
    let method_arms: Vec<TokenStream> = webhooks
        .hooks
        .iter()
        .map(|hook| parse_arm(&mut ctx, hook, &error))
        .collect();
    // `parse` knows the name only: a webhook documented for several methods needs
    // `parse_method`, and `parse` says so rather than guessing one.
    let mut names: Vec<&str> = Vec::new();
    let mut name_only_arms = Vec::new();
    for hook in &webhooks.hooks {
        let wire = hook.name.as_str();
        if names.contains(&wire) {
            continue;
        }
        names.push(wire);
        let mut methods = webhooks.hooks.iter().filter(|h| h.name == wire);
        name_only_arms.push(match (methods.next(), methods.next()) {
            (Some(only), None) => {
                let method = only.method.as_str().to_uppercase();
                quote! { #wire => Self::parse_method(name, #method, body), }
            }
            _ => quote! { #wire => Err(#error::MethodNeeded { name: #wire }), },
        });
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
    let parse_doc = trusted_doc_attrs(&format!(
        "Reads the body of the webhook called `name` (its key under the spec's `webhooks`)\n\
         into its typed payload. A webhook documented for several HTTP methods is\n\
         [`{}::MethodNeeded`]: read it with [`Self::parse_method`].",
        webhooks.error_name
    ));
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

            #parse_doc
            pub fn parse(name: &str, body: &[u8]) -> Result<Self, #error> {
                match name {
                    #(#name_only_arms)*
                    _ => Err(#error::UnknownName(name.to_owned())),
                }
            }

            /// Reads the body of the webhook called `name` that arrived with the HTTP
            /// `method` (any case) into the payload of that (name, method)'s variant.
            pub fn parse_method(name: &str, method: &str, body: &[u8]) -> Result<Self, #error> {
                match (name, method.to_ascii_uppercase().as_str()) {
                    #(#method_arms)*
                    _ => match Self::NAMES.iter().copied().find(|known| *known == name) {
                        Some(known) => Err(#error::UnknownMethod {
                            name: known,
                            method: method.to_owned(),
                        }),
                        None => Err(#error::UnknownName(name.to_owned())),
                    },
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
            /// The webhook is not documented for this HTTP method.
            UnknownMethod {
                /// The webhook's name.
                name: &'static str,
                /// The method it arrived with.
                method: String,
            },
            /// The webhook is documented for several HTTP methods: `parse_method` reads it.
            MethodNeeded {
                /// The webhook's name.
                name: &'static str,
            },
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
                    Self::UnknownMethod { name, method } => {
                        write!(f, "webhook `{name}` is not documented for method `{method}`")
                    }
                    Self::MethodNeeded { name } => write!(
                        f,
                        "webhook `{name}` is documented for several methods; `parse_method` reads it"
                    ),
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
    match hook.variant_field(ctx.api) {
        None => quote! { #doc #name, },
        Some(field) => {
            let ty = ctx.ty(&field);
            quote! { #doc #name(#ty), }
        }
    }
}

/// The `parse_method` arm of one (name, method).
fn parse_arm(ctx: &mut FileCtx<'_>, hook: &Webhook, error: &proc_macro2::Ident) -> TokenStream {
    let wire = &hook.name;
    let method = hook.method.as_str().to_uppercase();
    let variant = ident(&hook.variant);
    let wrap = if ctx.is_aggregate(&hook.payload) {
        quote! { Self::#variant(Box::new(payload)) }
    } else {
        quote! { Self::#variant(payload) }
    };
    let read = match hook.decode {
        Decode::Empty => return quote! { (#wire, #method) => Ok(Self::#variant), },
        Decode::Text => quote! {
            String::from_utf8(body.to_vec()).map_err(|_| #error::NotUtf8 { name: #wire })?
        },
        Decode::Bytes => {
            let bytes = ctx.ty(&Ty::Bytes);
            quote! { #bytes::copy_from_slice(body) }
        }
        // Optional JSON: nothing to decode is `None` (serde reads an `Option<Box<T>>` itself).
        Decode::Json | Decode::JsonResult | Decode::JsonError if hook.optional => {
            return quote! {
                (#wire, #method) => {
                    let payload = if body.trim_ascii().is_empty() {
                        None
                    } else {
                        serde_json::from_slice(body)
                            .map_err(|source| #error::Decode { name: #wire, source })?
                    };
                    Ok(Self::#variant(payload))
                }
            };
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
        (#wire, #method) => {
            let payload = #read;
            Ok(#wrap)
        }
    }
}

/// The enum's doc: what it is, and an example that is a doctest when the crate path is known.
fn enum_doc(webhooks: &Webhooks, settings: &Settings) -> String {
    let name = &webhooks.enum_name;
    let error = &webhooks.error_name;
    let summary = format!(
        "A webhook request the API sends, by webhook; [`{name}::parse`] reads one.\n\n\
         Non-exhaustive: a webhook added to the spec later is a new variant."
    );
    // The example matches the first webhook; with none there is nothing to show.
    let Some(first) = webhooks.hooks.first() else {
        return summary;
    };
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
    format!("{summary}\n\n{}", example.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enum_doc_of_no_webhooks_has_no_example_and_no_panic() {
        let webhooks = Webhooks {
            enum_name: "Webhook".to_owned(),
            error_name: "WebhookError".to_owned(),
            hooks: Vec::new(),
        };
        let doc = enum_doc(&webhooks, &Settings::default());
        assert!(doc.starts_with("A webhook request the API sends"), "{doc}");
        assert!(!doc.contains("```"), "{doc}");
    }
}
