//! The files beside the root: `mod.rs`, the `models` and `operations` index modules, `client.rs`
//! and `security.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::file::{FileCtx, ident};
use crate::Settings;
use crate::ir::Api;

pub(super) fn index_module(doc: &str, modules: &[(String, Vec<String>)]) -> TokenStream {
    let doc = docs::inner_doc_attrs(doc);
    let mods = modules.iter().map(|(stem, _)| ident(stem));
    // One item per line (see `FileCtx::use_items`).
    let uses = modules.iter().flat_map(|(stem, items)| {
        let stem = ident(stem);
        items.iter().map(move |item| {
            let item = ident(item);
            quote! { pub use #stem::#item; }
        })
    });
    quote! {
        #doc
        #(mod #mods;)*
        #(#uses)*
    }
}

pub(super) fn root_module(api: &Api, has_webhooks: bool, call_module: bool) -> TokenStream {
    let mut text = format!("{} (version {})", api.title, api.version);
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let doc = docs::inner_doc_attrs(&text);
    let base_url = &api.base_url;
    let webhooks = has_webhooks.then(|| quote! { pub mod webhooks; });
    let base_doc = docs::doc_attrs(
        Some(
            "The API's base URL: the spec's first `servers` entry, variables set to their defaults.",
        ),
        "",
    );
    let call = call_module.then(|| quote! { pub mod call; });
    quote! {
        #doc
        #call
        mod client;
        pub mod models;
        pub mod operations;
        pub mod security;
        #webhooks

        pub use client::Client;

        #base_doc
        pub const BASE_URL: &str = #base_url;
    }
}

pub(super) fn client_module(api: &Api, runtime: &TokenStream) -> TokenStream {
    let doc = docs::inner_doc_attrs(
        "The client: one method per operation (defined beside each operation).",
    );
    let client_doc = docs::doc_attrs(
        Some(&format!(
            "Client of {}. Cheap to clone; configure transport, authentication, retries and \
             timeouts on the runtime client it wraps.",
            api.title
        )),
        "",
    );
    quote! {
        #doc
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: #runtime::Client,
        }

        impl Client {
            /// Wraps a configured runtime client (base URL, authentication, retries, timeouts).
            pub fn from_runtime(runtime: #runtime::Client) -> Self {
                Client { runtime }
            }

            /// The runtime client that sends the requests.
            pub fn runtime(&self) -> &#runtime::Client {
                &self.runtime
            }
        }
    }
}

pub(super) fn security_module(
    api: &Api,
    settings: &Settings,
    runtime: &TokenStream,
) -> TokenStream {
    use crate::ir::{ApiKeyLocation, SchemeKind};
    let mut ctx = FileCtx::new(api, None, settings, runtime);
    let doc = docs::inner_doc_attrs(
        "Security schemes from `components.securitySchemes`, with their `x-` extensions as JSON for \
         the authenticator.",
    );
    let statics: Vec<TokenStream> = api.security.iter().map(|scheme| {
        let name = ident(&scheme.static_name);
        let key = &scheme.key;
        let scheme_kind = ctx.rt("SchemeKind");
        let (kind, label) = match &scheme.kind {
            SchemeKind::ApiKey { location, name } => {
                let location = match location {
                    ApiKeyLocation::Header => quote! { Header },
                    ApiKeyLocation::Query => quote! { Query },
                    ApiKeyLocation::Cookie => quote! { Cookie },
                };
                let key_location = ctx.rt("ApiKeyLocation");
                (quote! { #scheme_kind::ApiKey { location: #key_location::#location, name: #name } }, "apiKey")
            }
            SchemeKind::Http { scheme } => (quote! { #scheme_kind::Http { scheme: #scheme } }, "http"),
            SchemeKind::OAuth2 => (quote! { #scheme_kind::OAuth2 }, "oauth2"),
            SchemeKind::OpenIdConnect => (quote! { #scheme_kind::OpenIdConnect }, "openIdConnect"),
        };
        let doc = docs::doc_attrs(
            scheme.description.as_deref(),
            &format!("The `{key}` security scheme (`{label}`)."),
        );
        let extensions = raw_string(&scheme.extensions);
        let security_scheme = ctx.rt("SecurityScheme");
        quote! {
            #doc
            pub static #name: #security_scheme = #security_scheme {
                name: #key,
                kind: #kind,
                extensions: #extensions,
            };
        }
    }).collect();
    let uses = ctx.use_items();
    quote! {
        #doc
        #uses
        #(#statics)*
    }
}

/// A string literal, raw (`r#"..."#`) when that reads better (JSON with quotes).
fn raw_string(text: &str) -> TokenStream {
    if text.contains('"') && !text.contains("\"#") && !text.contains('\\') {
        if let Ok(literal) = format!("r#\"{text}\"#").parse::<proc_macro2::Literal>() {
            return quote! { #literal };
        }
    }
    quote! { #text }
}
