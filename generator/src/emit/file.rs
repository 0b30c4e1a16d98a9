//! One output file being built: where it sits in the tree, the `use` lines it collects, and
//! the identifiers and type expressions it writes.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::Settings;
use crate::ir::{Api, Home, Ty};

fn is_valid_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
}

/// An identifier from a name decided by [`crate::naming`] (`r#type` becomes a raw one).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) if is_valid_ident(raw) && !crate::naming::NOT_RAW.contains(&raw) => {
            Ident::new_raw(raw, Span::call_site())
        }
        // Names are validated when decided; this only keeps a naming bug from panicking.
        _ if is_valid_ident(name) => Ident::new(name, Span::call_site()),
        _ => Ident::new("invalid_name", Span::call_site()),
    }
}

/// One output file being built: knows where it is, and collects the imports it needs.
pub(crate) struct FileCtx<'a> {
    pub api: &'a Api,
    /// The home of the types defined here; `None` for the files beside the root `mod.rs`.
    home: Option<Home>,
    runtime: TokenStream,
    runtime_name: String,
    /// An operation module: runtime items come from one `use {runtime}::prelude::*;`.
    prelude: bool,
    /// module path -> items, e.g. `std::collections` -> {`BTreeMap`}.
    imports: BTreeMap<(u8, String), BTreeSet<String>>,
}

impl<'a> FileCtx<'a> {
    pub(super) fn new(
        api: &'a Api,
        home: Option<Home>,
        settings: &Settings,
        runtime: &TokenStream,
    ) -> Self {
        FileCtx {
            api,
            prelude: matches!(home, Some(Home::Operation(_))),
            home,
            runtime: runtime.clone(),
            runtime_name: settings.runtime_crate.clone(),
            imports: BTreeMap::new(),
        }
    }

    /// Records `use {path}::{item};` (group 0: std, 1: crates, 2: this tree).
    pub fn import(&mut self, group: u8, path: &str, item: &str) {
        self.imports
            .entry((group, path.to_owned()))
            .or_default()
            .insert(item.to_owned());
    }

    /// Imports a runtime item whose name generated types leave free (`Bytes`, `Stream`):
    /// in an operation module through the runtime's prelude (see its doc for why), which
    /// exports every item this is called with (checked by a test below).
    pub fn runtime_import(&mut self, item: &str) {
        if self.prelude {
            let path = format!("{}::prelude", self.runtime_name);
            self.import(1, &path, "*");
        } else {
            let path = self.runtime_name.clone();
            self.import(1, &path, item);
        }
    }

    /// A runtime type: its bare name, imported, unless a generated type has that name (the
    /// IR decides which are free), else its full path.
    pub fn rt(&mut self, item: &str) -> TokenStream {
        let name = ident(item);
        if self.api.runtime_imports.contains(item) {
            self.runtime_import(item);
            quote! { #name }
        } else {
            let runtime = &self.runtime;
            quote! { #runtime::#name }
        }
    }

    /// The runtime's `paging::paginate` (a module import, so the call names its topic).
    pub fn paginate(&mut self) -> TokenStream {
        self.runtime_import("paging");
        quote! { paging::paginate }
    }

    /// `super::` prefix from this file to the tree's root module.
    pub fn root(&self) -> &'static str {
        match self.home {
            None => "super",
            Some(Home::Model(_) | Home::Operation(_)) => "super::super",
        }
    }

    /// The name of a named type, imported if it lives in another file; from an operation
    /// module, a model is `models::Name` (one `use` of the module rather than one per type:
    /// each imported name is an item rustc tracks, in each of hundreds of modules).
    pub fn named(&mut self, id: usize) -> TokenStream {
        let def = &self.api.types[id];
        let name = def.name.clone();
        if let (Some(Home::Operation(_)), Home::Model(_)) = (&self.home, &def.home) {
            let root = self.root();
            self.import(2, root, "models");
            let name = ident(&name);
            return quote! { models::#name };
        }
        if self.home.as_ref() != Some(&def.home) {
            let path = match (&self.home, &def.home) {
                (Some(Home::Model(_)), Home::Model(_))
                | (Some(Home::Operation(_)), Home::Operation(_)) => "super".to_owned(),
                (_, Home::Model(_)) => format!("{}::models", self.root()),
                (_, Home::Operation(_)) => format!("{}::operations", self.root()),
            };
            self.import(2, &path, &name);
        }
        let name = ident(&name);
        quote! { #name }
    }

    /// A type expression.
    pub fn ty(&mut self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::String => quote! { String },
            Ty::Bool => quote! { bool },
            Ty::I32 => quote! { i32 },
            Ty::I64 => quote! { i64 },
            Ty::U32 => quote! { u32 },
            Ty::U64 => quote! { u64 },
            Ty::F32 => quote! { f32 },
            Ty::F64 => quote! { f64 },
            Ty::Bytes => {
                self.runtime_import("Bytes");
                quote! { Bytes }
            }
            Ty::Value => quote! { serde_json::Value },
            Ty::Unit => quote! { () },
            Ty::Named(id) => self.named(*id),
            Ty::Vec(inner) => {
                let inner = self.ty(inner);
                quote! { Vec<#inner> }
            }
            Ty::Map(inner) => {
                self.import(0, "std::collections", "BTreeMap");
                let inner = self.ty(inner);
                quote! { BTreeMap<String, #inner> }
            }
            Ty::Option(inner) => {
                let inner = self.ty(inner);
                quote! { Option<#inner> }
            }
            Ty::Nullable(inner) => {
                let nullable = self.rt("Nullable");
                let inner = self.ty(inner);
                quote! { #nullable<#inner> }
            }
            Ty::Box(inner) => {
                let inner = self.ty(inner);
                quote! { Box<#inner> }
            }
            Ty::Tuple(items) => {
                let items: Vec<TokenStream> = items.iter().map(|item| self.ty(item)).collect();
                quote! { (#(#items,)*) }
            }
        }
    }

    /// Whether a named type is a struct or union (boxed inside enums to keep them small).
    pub fn is_aggregate(&self, ty: &Ty) -> bool {
        self.api.is_aggregate(ty)
    }

    /// The `use` lines, one item each: a `use a::{b, c}` is one more item for rustc to track
    /// (the list itself) in every file that has one, and a diff of one-item lines shows
    /// exactly which name came or went.
    pub(super) fn use_items(&self) -> TokenStream {
        // Within a group, in the order rustfmt would sort them (`std::convert` before `std::fmt`).
        let mut imports: Vec<(u8, String, &str, &str)> = self
            .imports
            .iter()
            .flat_map(|((group, path), items)| {
                items.iter().map(move |item| {
                    (
                        *group,
                        format!("{path}::{item}"),
                        path.as_str(),
                        item.as_str(),
                    )
                })
            })
            .collect();
        imports.sort();
        let uses = imports.into_iter().map(|(_, _, path, item)| {
            let path: Vec<Ident> = path.split("::").map(ident).collect();
            if item == "*" {
                quote! { use #(#path)::*::*; }
            } else {
                let item = ident(item);
                quote! { use #(#path)::*::#item; }
            }
        });
        quote! { #(#uses)* }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Operation modules take every runtime item through the prelude: `naming::RUNTIME_ITEMS`
    /// and the items whose names no generated type can take, imported by `runtime_import`.
    #[test]
    fn the_runtime_prelude_exports_every_item_generated_code_imports() {
        let prelude = include_str!("../../runtime/src/prelude.rs");
        let exported: BTreeSet<&str> = prelude
            .split(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
            .collect();
        let fixed = [
            "Bytes",
            "Stream",
            "call",
            "idempotency_token",
            "object",
            "paging",
            "waiter",
        ];
        for item in crate::naming::RUNTIME_ITEMS.iter().chain(&fixed) {
            assert!(
                exported.contains(item),
                "the prelude does not export `{item}`"
            );
        }
    }
}
