//! Named types: structs, open enums, unions and aliases. Which of them are
//! `#[non_exhaustive]` is decided by direction (see [`crate::ir`]): response-only structs and
//! untagged unions, and every open enum or tagged union; request-side structs stay
//! constructible.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::{FileCtx, ident};
use crate::ir::{Access, Enum, Field, Struct, Ty, TypeDef, TypeKind};

/// All the types of one file, in creation order (the owner first, then its inline types).
pub fn types(ctx: &mut FileCtx<'_>, ids: &[usize]) -> TokenStream {
    let items = ids.iter().map(|&id| {
        let def = ctx.api.types[id].clone();
        type_def(ctx, id, &def)
    });
    let items: Vec<TokenStream> = items.collect();
    quote! { #(#items)* }
}

fn type_def(ctx: &mut FileCtx<'_>, id: usize, def: &TypeDef) -> TokenStream {
    let fallback = format!("Schema at `{}`.", def.pointer);
    let doc = doc_attrs(def.doc.as_deref(), &fallback);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(ctx, doc, &name, s, def.output_only),
        TypeKind::StringEnum(e) => string_enum(ctx, doc, &name, e),
        TypeKind::IntEnum(e) => int_enum(ctx, doc, &name, e),
        TypeKind::Union(u) => super::unions::union(ctx, doc, &name, id, u, def.output_only),
        TypeKind::Alias(ty) => {
            let ty = ctx.ty(ty);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

/// The serde derives, by path: a `use serde::{..}` line is two or three items rustc tracks in
/// every model file, and most files need serde for nothing else (hand-written impls, which
/// call trait methods, import the traits).
pub(super) fn serde_derives(serialize: bool, deserialize: bool) -> TokenStream {
    let serialize = serialize.then(|| quote! { serde::Serialize, });
    let deserialize = deserialize.then(|| quote! { serde::Deserialize, });
    quote! { #serialize #deserialize }
}

fn structure(
    ctx: &mut FileCtx<'_>,
    doc: TokenStream,
    name: &Ident,
    s: &Struct,
    output_only: bool,
) -> TokenStream {
    let non_exhaustive = output_only.then(|| quote! { #[non_exhaustive] });
    // Flattened fields need serde's buffering of unknown keys, so those structs keep the
    // derive; so does an empty one, where it is small.
    let derived = s.union.is_some() || s.additional.is_some() || s.fields.is_empty();
    let serde = serde_derives(true, derived);
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|field| struct_field(ctx, field, derived))
        .collect();
    let additional = s.additional.as_ref().map(|additional| {
        let field = ident(&additional.name);
        let ty = ctx.ty(&Ty::Map(Box::new(additional.ty.clone())));
        quote! {
            /// Properties not declared by the schema.
            #[serde(flatten)]
            pub #field: #ty,
        }
    });
    let union = s.union.as_ref().map(|union| {
        let field = ident(&union.name);
        let ty = ctx.ty(&union.ty);
        quote! {
            /// The `oneOf`/`anyOf` alternative: read from the properties the fields above do
            /// not declare, and written beside them.
            #[serde(flatten)]
            pub #field: #ty,
        }
    });
    let default = s.derives_default().then(|| quote! { Default, });
    let deserialize = (!derived).then(|| object_deserialize(ctx, name, s));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #serde)]
        #non_exhaustive
        pub struct #name {
            #(#fields)*
            #union
            #additional
        }

        #deserialize
    }
}

/// `Deserialize` through the runtime's `object` module, which keeps a struct's decoder to
/// one slot per property (see that module for why it is not derived).
fn object_deserialize(ctx: &mut FileCtx<'_>, name: &Ident, s: &Struct) -> TokenStream {
    ctx.import(1, "serde", "Deserialize");
    ctx.import(1, "serde", "Deserializer");
    ctx.import(1, "serde::de", "MapAccess");
    ctx.runtime_import("object");
    // `Slots` is a reserved type name (see `naming`), so no field type refers to another.
    let slots = ident("Slots");
    let names: Vec<Ident> = s.fields.iter().map(|field| ident(&field.name)).collect();
    let wires: Vec<&str> = s.fields.iter().map(|field| field.wire.as_str()).collect();
    // A slot is `Option<field type>`: `None` until its key comes, so a repeat is noticed.
    let slot_types: Vec<Ty> = s
        .fields
        .iter()
        .map(|field| Ty::Option(Box::new(field_type(field))))
        .collect();
    let take = match names.as_slice() {
        [only] => quote! {
            fn take<'de, A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<bool, A::Error> {
                object::take(&mut self.#only, map)
            }
        },
        [init @ .., last] => {
            let indexes = (0..init.len()).map(proc_macro2::Literal::usize_unsuffixed);
            quote! {
                fn take<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<bool, A::Error> {
                    match index {
                        #(#indexes => object::take(&mut self.#init, map),)*
                        _ => object::take(&mut self.#last, map),
                    }
                }
            }
        }
        [] => TokenStream::new(),
    };
    let indexes = (0..wires.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let index = quote! {
        fn index(key: &str) -> Option<usize> {
            match key {
                #(#wires => Some(#indexes),)*
                _ => None,
            }
        }
    };
    let values = s.fields.iter().zip(&names).map(|(field, slot)| {
        if field.required {
            let wire = &field.wire;
            quote! { #slot: object::required(self.#slot, #wire)? }
        } else {
            quote! { #slot: self.#slot.unwrap_or_default() }
        }
    });
    let type_name = name.to_string();
    let complex = slot_types.iter().any(|ty| type_complexity(ty, 1) > 250);
    let allow = complex.then(|| quote! { #[allow(clippy::type_complexity)] });
    let slot_types: Vec<TokenStream> = slot_types.iter().map(|ty| ctx.ty(ty)).collect();
    // `__D`, as serde's derive names it: the items nested in the function name the struct
    // and the field types, and a generic `D` would hide a schema named `D`.
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<__D: Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                #[derive(Default)]
                #allow
                struct #slots {
                    #(#names: #slot_types,)*
                }

                impl object::Fields for #slots {
                    type Object = #name;
                    const NAME: &'static str = #type_name;
                    const NAMES: &'static [&'static str] = &[#(#wires),*];

                    #index

                    #take

                    fn finish(self) -> Result<#name, &'static str> {
                        Ok(#name {
                            #(#values,)*
                        })
                    }
                }

                object::deserialize::<__D, #slots>(deserializer)
            }
        }
    }
}

/// clippy's `type_complexity` score of `ty` at nesting `depth` (10 per type, times its
/// depth; the lint fires above 250). A slot wraps its field's type in one more `Option`, which
/// can push a type the struct's field passes with over the limit.
fn type_complexity(ty: &Ty, depth: usize) -> usize {
    let inner = match ty {
        Ty::Vec(inner) | Ty::Option(inner) | Ty::Nullable(inner) | Ty::Box(inner) => {
            type_complexity(inner, depth + 1)
        }
        Ty::Map(inner) => {
            type_complexity(&Ty::String, depth + 1) + type_complexity(inner, depth + 1)
        }
        Ty::Tuple(items) => items
            .iter()
            .map(|item| type_complexity(item, depth + 1))
            .sum(),
        _ => 0,
    };
    10 * depth + inner
}

/// A field's type as declared: `Option<_>` when it is optional (and not already `Option` or
/// `Nullable`).
fn field_type(field: &Field) -> Ty {
    if field.required {
        field.ty.clone()
    } else {
        field.ty.clone().optional()
    }
}

/// A struct field; `derived`: with the attributes serde's `Deserialize` derive reads.
fn struct_field(ctx: &mut FileCtx<'_>, field: &Field, derived: bool) -> TokenStream {
    let mut notes = Vec::new();
    if let Some(format) = &field.format {
        notes.push(match format.as_str() {
            "byte" => "Format `byte`: base64-encoded.".to_owned(),
            "binary" => "Format `binary`.".to_owned(),
            other => format!("Format `{other}` (kept as text, exactly as sent)."),
        });
    }
    if let Some(default) = &field.default {
        notes.push(format!("Default when absent: `{default}`."));
    }
    match field.access {
        Access::ReadOnly => notes.push(
            "Read-only: sent by the service; optional here, so callers need not set it.".to_owned(),
        ),
        Access::WriteOnly => notes.push(
            "Write-only: never sent back by the service; optional here for that reason.".to_owned(),
        ),
        Access::ReadWrite => {}
    }
    if let Ty::Nullable(_) = field.ty {
        notes.push("`Nullable::Null` sends `null`; `Nullable::Absent` leaves it out.".to_owned());
    }
    if field.deprecated {
        notes.push("Deprecated.".to_owned());
    }
    let mut text = field
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` property.", field.wire));
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes.join(" "));
    }
    let doc = doc_attrs(Some(&text), "");
    let name = ident(&field.name);
    let plain = field.name.strip_prefix("r#").unwrap_or(&field.name);
    let wire = &field.wire;
    let rename = (plain != wire).then(|| quote! { rename = #wire, });
    let ty = field_type(field);
    let default = derived.then(|| quote! { default, });
    let skip = match &ty {
        _ if field.required => None,
        Ty::Nullable(_) => {
            let is_absent = format!("{}::is_absent", ctx.rt("Nullable")).replace(' ', "");
            Some(quote! { #default skip_serializing_if = #is_absent, })
        }
        _ => Some(quote! { #default skip_serializing_if = "Option::is_none", }),
    };
    let serde = (rename.is_some() || skip.is_some()).then(|| quote! { #[serde(#rename #skip)] });
    let ty = ctx.ty(&ty);
    quote! {
        #doc
        #serde
        pub #name: #ty,
    }
}

/// The shared shape of open enums: known variants, a catch-all, and conversions both ways.
fn string_enum(
    ctx: &mut FileCtx<'_>,
    doc: TokenStream,
    name: &Ident,
    e: &Enum<String>,
) -> TokenStream {
    ctx.import(0, "std", "fmt");
    ctx.import(0, "std::str", "FromStr");
    ctx.import(0, "std::convert", "Infallible");
    let serde = wire_serde(
        ctx,
        name,
        quote! { serializer.serialize_str(self.as_str()) },
        quote! { String },
    );
    let unknown = ident(&e.unknown);
    let (variants, docs) = known_variants(e);
    let values: Vec<&String> = e.variants.iter().map(|variant| &variant.value).collect();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A value this version does not know, kept as sent.
            #unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                // Keeps the string it was given rather than copying an unknown value.
                match Self::from(value.as_str()) {
                    Self::#unknown(_) => Self::#unknown(value),
                    known => known,
                }
            }
        }

        impl FromStr for #name {
            type Err = Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        #serde
    }
}

/// Each known variant's identifier, and its doc: the wire value it stands for, and what it
/// means when the spec says.
fn known_variants<V: std::fmt::Display>(e: &Enum<V>) -> (Vec<Ident>, Vec<TokenStream>) {
    e.variants
        .iter()
        .map(|variant| {
            let value = &variant.value;
            let doc = match variant.doc.as_deref().map(str::trim) {
                Some(meaning) if !meaning.is_empty() => format!("`{value}`: {meaning}"),
                _ => format!("`{value}`"),
            };
            (ident(&variant.name), doc_attrs(Some(&doc), ""))
        })
        .unzip()
}

/// `Serialize` as the wire value (`serialize`), `Deserialize` from a `wire` value through
/// `From`: the pair every open enum has, so unknown values round-trip.
fn wire_serde(
    ctx: &mut FileCtx<'_>,
    name: &Ident,
    serialize: TokenStream,
    wire: TokenStream,
) -> TokenStream {
    for item in ["Deserialize", "Deserializer", "Serialize", "Serializer"] {
        ctx.import(1, "serde", item);
    }
    quote! {
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #wire::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn int_enum(ctx: &mut FileCtx<'_>, doc: TokenStream, name: &Ident, e: &Enum<i64>) -> TokenStream {
    ctx.import(0, "std", "fmt");
    let serde = wire_serde(
        ctx,
        name,
        quote! { serializer.serialize_i64(self.value()) },
        quote! { i64 },
    );
    let unknown = ident(&e.unknown);
    let (variants, docs) = known_variants(e);
    let values: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|variant| int_literal(variant.value))
        .collect();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A value this version does not know, kept as sent.
            #unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::#unknown(other),
                }
            }
        }

        #serde
    }
}

/// An unsuffixed integer literal (`-1`, not `-1i64`).
pub(super) fn int_literal(value: i64) -> TokenStream {
    let magnitude = proc_macro2::Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote! { -#magnitude }
    } else {
        quote! { #magnitude }
    }
}
