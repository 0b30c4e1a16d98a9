//! `oneOf`/`anyOf` enums. Untagged ones decode to the variant that fits the value best (see
//! [`crate::ir::union_fit`]), and say in their doc comment which values are ambiguous; tagged
//! ones decode by the discriminator and always write the right tag.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::models::{int_literal, serde_derives};
use super::{FileCtx, ident};
use crate::ir::union_fit::{self, Fit};
use crate::ir::{Ty, Union, UnionVariant};

pub fn union(
    ctx: &mut FileCtx<'_>,
    doc: TokenStream,
    name: &Ident,
    id: usize,
    u: &Union,
    output_only: bool,
) -> TokenStream {
    let variant_tokens: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|variant| {
            let vname = ident(&variant.name);
            let vdoc = match &variant.tags {
                tags if !tags.is_empty() => format!("Tagged `{}`.", tags.join("`, `")),
                _ => format!("The `{}` alternative.", variant.name),
            };
            let vdoc = doc_attrs(Some(&vdoc), "");
            if variant.ty == Ty::Unit {
                quote! { #vdoc #vname, }
            } else {
                let ty = ctx.ty(&variant.ty);
                quote! { #vdoc #vname(#ty), }
            }
        })
        .collect();
    match &u.discriminator {
        Some(property) => tagged(ctx, doc, name, u, property, &variant_tokens),
        None => untagged(ctx, doc, name, id, u, output_only, &variant_tokens),
    }
}

fn untagged(
    ctx: &mut FileCtx<'_>,
    doc: TokenStream,
    name: &Ident,
    id: usize,
    u: &Union,
    output_only: bool,
    variant_tokens: &[TokenStream],
) -> TokenStream {
    let serde = serde_derives(true, false);
    ctx.import(1, "serde", "Deserialize");
    ctx.import(1, "serde", "Deserializer");
    let non_exhaustive = output_only.then(|| quote! { #[non_exhaustive] });
    let display = union_display(ctx, name, id, u);
    let fits: Vec<Fit> = u
        .variants
        .iter()
        .map(|v| union_fit::fit(&ctx.api.types, &v.ty))
        .collect();
    let note = doc_attrs(Some(&decoding_note(u, &fits)), "");
    let decode = best_fit_deserialize(name, u, &fits);
    quote! {
        #doc
        #[doc = ""]
        #note
        #[derive(Debug, Clone, PartialEq, #serde)]
        #[serde(untagged)]
        #non_exhaustive
        pub enum #name {
            #(#variant_tokens)*
        }

        #decode

        #display
    }
}

/// How the union decodes, and the values it cannot tell apart.
fn decoding_note(u: &Union, fits: &[Fit]) -> String {
    let mut note = "Decoding picks the alternative that fits the value best (its JSON type; for \
                    an object, every required field present and the most fields declared), \
                    not the first that decodes."
        .to_owned();
    for ambiguity in union_fit::ambiguities(fits) {
        let first = &u.variants[ambiguity.first].name;
        let second = &u.variants[ambiguity.second].name;
        note.push_str(&format!(
            "\n\nAmbiguous: `{first}` and `{second}` fit {} equally well; such a value decodes \
             as `{first}`.",
            ambiguity.values
        ));
    }
    note
}

/// `Deserialize`: score every variant against the JSON value, then try them best first (ties
/// in declaration order), keeping the first that decodes.
fn best_fit_deserialize(name: &Ident, u: &Union, fits: &[Fit]) -> TokenStream {
    let scores = fits.iter().enumerate().map(|(index, fit)| {
        let score = score(fit);
        let index = Literal::usize_unsuffixed(index);
        quote! { (#score, #index) }
    });
    let arms = u.variants.iter().enumerate().map(|(index, variant)| {
        let vname = ident(&variant.name);
        let index = Literal::usize_unsuffixed(index);
        if variant.ty == Ty::Unit {
            quote! { #index => return Ok(Self::#vname), }
        } else {
            quote! { #index => serde_json::from_value(value.clone()).map(Self::#vname), }
        }
    });
    let object = fits.iter().any(has_object).then(|| {
        quote! {
            let object = |fields: &[&str], required: &[&str], open: bool| -> usize {
                let Some(map) = value.as_object() else {
                    return 0;
                };
                if !required.iter().all(|key| map.contains_key(*key)) {
                    return 0;
                }
                let declared = map.keys().filter(|key| fields.contains(&key.as_str())).count();
                2 + 4 * declared + 2 * usize::from(open || declared == map.len())
            };
        }
    });
    let count = Literal::usize_unsuffixed(fits.len());
    let message = format!("the value fits no alternative of `{name}`");
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                #object
                let mut order: [(usize, usize); #count] = [#(#scores),*];
                order.sort_by_key(|&(score, index)| (std::cmp::Reverse(score), index));
                for (score, index) in order {
                    if score == 0 {
                        break;
                    }
                    let decoded = match index {
                        #(#arms)*
                        _ => break,
                    };
                    if let Ok(decoded) = decoded {
                        return Ok(decoded);
                    }
                }
                Err(serde::de::Error::custom(#message))
            }
        }
    }
}

fn has_object(fit: &Fit) -> bool {
    match fit {
        Fit::Object { .. } => true,
        Fit::Nullable(inner) => has_object(inner),
        _ => false,
    }
}

/// An expression for how well `value` fits: 0 not at all, 1 anything (`Value`), 3 decided by
/// decoding, objects 2 and up, exact scalars 97 to 100.
fn score(fit: &Fit) -> TokenStream {
    match fit {
        Fit::Null => quote! { 99 * usize::from(value.is_null()) },
        Fit::Bool => quote! { 99 * usize::from(value.is_boolean()) },
        Fit::Integer => quote! { 99 * usize::from(value.is_i64() || value.is_u64()) },
        Fit::Number => quote! {
            if value.is_f64() { 99 } else if value.is_number() { 97 } else { 0 }
        },
        Fit::String => quote! { 99 * usize::from(value.is_string()) },
        Fit::StringEnum(values) => quote! {
            match value.as_str() {
                Some(#(#values)|*) => 100,
                Some(_) => 98,
                None => 0,
            }
        },
        Fit::IntEnum(values) => {
            let values = values.iter().map(|v| int_literal(*v));
            quote! {
                match value.as_i64() {
                    Some(#(#values)|*) => 100,
                    Some(_) => 98,
                    None => 0,
                }
            }
        }
        Fit::Array => quote! { 99 * usize::from(value.is_array()) },
        Fit::Object {
            fields,
            required,
            open,
        } => quote! { object(&[#(#fields),*], &[#(#required),*], #open) },
        Fit::Other => quote! { 3 },
        Fit::Any => quote! { 1 },
        Fit::Nullable(inner) => {
            let inner = score(inner);
            quote! { if value.is_null() { 99 } else { #inner } }
        }
    }
}

fn tagged(
    ctx: &mut FileCtx<'_>,
    doc: TokenStream,
    name: &Ident,
    u: &Union,
    property: &str,
    variant_tokens: &[TokenStream],
) -> TokenStream {
    ctx.import(1, "serde", "Deserialize");
    ctx.import(1, "serde", "Deserializer");
    ctx.import(1, "serde", "Serialize");
    ctx.import(1, "serde", "Serializer");
    let unknown = ident(u.unknown.as_deref().unwrap_or("Unknown"));
    let tagged: Vec<&UnionVariant> = u.variants.iter().filter(|v| !v.tags.is_empty()).collect();
    // A unit variant is an alternative that holds nothing but its tag.
    let decode_arms = tagged.iter().map(|variant| {
        let vname = ident(&variant.name);
        let tags = &variant.tags;
        if variant.ty == Ty::Unit {
            quote! { Some(#(#tags)|*) => Ok(Self::#vname), }
        } else {
            quote! { Some(#(#tags)|*) => serde_json::from_value(value).map(Self::#vname).map_err(serde::de::Error::custom), }
        }
    });
    let encode_arms = tagged.iter().map(|variant| {
        let vname = ident(&variant.name);
        let tags = &variant.tags;
        if variant.ty == Ty::Unit {
            quote! { Self::#vname => (&[#(#tags),*], Ok(serde_json::Value::Object(serde_json::Map::new()))), }
        } else {
            quote! { Self::#vname(value) => (&[#(#tags),*], serde_json::to_value(value)), }
        }
    });
    let note = doc_attrs(
        Some(&format!(
            "Decoding reads the tag in `{property}`. Encoding writes each variant's tag there \
             (its first one, unless the value already holds one of its own), so a value never \
             goes out with another variant's tag."
        )),
        "",
    );
    quote! {
        #doc
        #[doc = ""]
        #note
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_tokens)*
            /// A value whose tag this version does not know, kept as sent.
            #unknown(serde_json::Value),
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#decode_arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }

        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tags, value): (&[&str], serde_json::Result<serde_json::Value>) = match self {
                    #(#encode_arms)*
                    Self::#unknown(value) => return value.serialize(serializer),
                };
                let mut value = value.map_err(serde::ser::Error::custom)?;
                if let Some(object) = value.as_object_mut() {
                    let own = object
                        .get(#property)
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|tag| tags.contains(&tag));
                    if !own {
                        object.insert(#property.to_owned(), tags[0].into());
                    }
                }
                value.serialize(serializer)
            }
        }
    }
}

/// `Display` for a union of scalars and enums (so it can be a path, query or header value):
/// each variant shows as its value does.
fn union_display(ctx: &mut FileCtx<'_>, name: &Ident, id: usize, u: &Union) -> Option<TokenStream> {
    if !crate::ir::is_displayable(&ctx.api.types, &Ty::Named(id)) {
        return None;
    }
    ctx.import(0, "std", "fmt");
    let variants = u.variants.iter().map(|v| ident(&v.name));
    Some(quote! {
        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #(Self::#variants(value) => value.fmt(f),)*
                }
            }
        }
    })
}
