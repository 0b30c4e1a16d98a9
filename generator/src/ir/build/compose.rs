//! Composition: `allOf` merged into one struct, a `oneOf`/`anyOf` among its parts or beside
//! properties flattened into it (the union reads the properties the struct's fields do not),
//! and discriminator inheritance (a base with subtypes becomes a tagged union of them; see
//! [`super::super::inheritance`]).

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};

use super::{Builder, Ctx, ObjectAcc, SchemaRef, discriminator_tags};
use crate::error::GenerateError;
use crate::ir::view::{ObjectView, UnionView, View, view};
use crate::ir::{
    Struct, Ty, TypeDef, TypeId, TypeKind, Union, UnionVariant, alias_end, inheritance,
};
use crate::naming::Namespace;

/// Whether `ty` is `id`, or an alias chain through it (`id` may still be a placeholder alias,
/// being converted).
fn names_through_aliases(types: &[TypeDef], ty: &Ty, id: TypeId) -> bool {
    let mut current = ty;
    for _ in 0..=types.len() {
        match current {
            Ty::Option(inner) | Ty::Box(inner) => current = inner,
            Ty::Named(named) if *named == id => return true,
            Ty::Named(named) => match &types[*named].kind {
                TypeKind::Alias(inner) => current = inner,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// Adds a struct's fields to an `allOf`'s (their `required` kept in `acc.required`).
fn copy_fields(acc: &mut ObjectAcc, s: &Struct) {
    for field in &s.fields {
        if field.required {
            acc.required.insert(field.wire.clone());
        }
        let mut field = field.clone();
        field.required = false;
        acc.fields.insert(field.wire.clone(), field);
    }
    if let Some(additional) = &s.additional {
        acc.additional = Some(additional.ty.clone());
    }
}

/// An `allOf` with what stands beside it in the same schema.
#[derive(Clone, Copy)]
struct Composition<'p, 'd> {
    parts: &'p [ReferenceOr<Schema>],
    own: Option<ObjectView<'p>>,
    union: Option<UnionView<'p>>,
    discriminator: Option<&'d openapiv3::Discriminator>,
}

/// Alternatives that only constrain which properties are present (`{required: [a]}`,
/// `{type: object, maxProperties: 0}`): the object's own fields already read every such value,
/// so no union is made of them.
fn constraints_only(parts: &[ReferenceOr<Schema>]) -> bool {
    parts.iter().all(|part| {
        let ReferenceOr::Item(schema) = part else {
            return false;
        };
        match view(schema) {
            View::Any => true,
            View::Object(object) => {
                object.properties.is_empty()
                    && !matches!(object.additional, Some(AdditionalProperties::Schema(_)))
            }
            _ => false,
        }
    })
}

/// Whether a union alternative can be read from, and written into, the properties of the
/// object it is flattened into: objects (and unions of them, decided by decoding), free-form
/// values, and `null`.
fn flattens(fit: &crate::ir::union_fit::Fit) -> bool {
    use crate::ir::union_fit::Fit;
    match fit {
        Fit::Object { .. } | Fit::Other | Fit::Any | Fit::Null => true,
        Fit::Nullable(inner) => flattens(inner),
        _ => false,
    }
}

impl Builder<'_> {
    /// `allOf`: object parts merge into one struct; a lone non-object part is an alias. A
    /// `oneOf`/`anyOf` among the parts or beside them becomes the struct's flattened union
    /// field (see [`Builder::flattened_union`]).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        own: Option<ObjectView<'_>>,
        union: Option<UnionView<'_>>,
        discriminator: Option<&openapiv3::Discriminator>,
        ctx: &Ctx,
        named: Option<TypeId>,
        doc: Option<String>,
    ) -> Result<Ty, GenerateError> {
        // Naming the struct first lets its inline children be named after it; an `allOf`
        // that turns out to be a lone reference gives the name back unused, which is harmless.
        let mut acc = ObjectAcc::default();
        let parent = match named {
            Some(id) => self.types[id].name.clone(),
            None => ctx.hint.clone(),
        };
        let own = Composition {
            parts,
            own,
            union,
            discriminator,
        };
        self.collect_all_of(&mut acc, own, ctx, &parent)?;
        if let Some(id) = named {
            self.drop_unions_of_itself(&mut acc, id, ctx);
        }
        if acc.objects == 0 {
            // A union with no properties beside it is just that union.
            acc.others.append(&mut acc.unions);
        }
        if let (1, 0, true, true, Some(named_part)) = (
            acc.objects,
            acc.inline_objects,
            acc.others.is_empty(),
            acc.unions.is_empty(),
            acc.sole_named.take(),
        ) {
            return Ok(named_part);
        }
        if acc.objects == 0 {
            let ty = match acc.others.len() {
                0 => Ty::Value,
                1 => acc.others.remove(0),
                _ => {
                    self.warn(
                        &ctx.pointer,
                        "allOf of several non-object schemas; using the first",
                    );
                    acc.others.remove(0)
                }
            };
            return Ok(ty);
        }
        if !acc.others.is_empty() {
            self.warn(
                &ctx.pointer,
                "allOf mixes objects with non-object schemas; only the object parts are kept",
            );
        }
        if !self.flattened_union(&mut acc, ctx) {
            return Ok(Ty::Value);
        }
        let kind = TypeKind::Struct(self.finish_struct(acc));
        self.define(named, ctx, doc, |_, _| Ok(kind))
    }

    /// Chooses the union a struct flattens (`acc.union`), from the `oneOf`/`anyOf` found with
    /// its properties; false when the value is better left `serde_json::Value` (warned).
    ///
    /// The union reads the properties the struct's own fields leave (serde's `flatten`), so a
    /// discriminator property is left to the union, which reads and writes the tag. Only
    /// alternatives that are objects can be flattened: any other makes the whole value
    /// `serde_json::Value`. `additionalProperties` beside the union is dropped (the union's
    /// alternatives receive those properties). Of several unions the first is kept.
    fn flattened_union(&mut self, acc: &mut ObjectAcc, ctx: &Ctx) -> bool {
        if acc.unions.is_empty() {
            return true;
        }
        let union = acc.unions.remove(0);
        if !acc.unions.is_empty() {
            self.warn(
                &ctx.pointer,
                "several oneOf/anyOf apply to one object; only the first is typed (the others' \
                 properties are not kept)",
            );
        }
        let u = match alias_end(&self.types, &union).map(|id| &self.types[id].kind) {
            Some(TypeKind::Union(u)) => Some(u),
            // A union of string constants, merged into one enum: not an object either.
            Some(TypeKind::StringEnum(_)) => None,
            _ => return true,
        };
        let objects = u.is_some_and(|u| {
            u.variants
                .iter()
                .all(|v| flattens(&crate::ir::union_fit::fit(&self.types, &v.ty)))
        });
        let tag = u.and_then(|u| u.discriminator.clone());
        if !objects {
            self.warn(
                &ctx.pointer,
                "properties beside a oneOf/anyOf whose alternatives are not all objects; the \
                 value is `serde_json::Value`",
            );
            return false;
        }
        if let Some(tag) = tag {
            acc.fields.shift_remove(&tag);
            acc.required.remove(&tag);
        }
        self.leave_shared_fields_to_the_struct(&union, acc, ctx);
        if acc.additional.take().is_some() {
            self.warn(
                &ctx.pointer,
                "additionalProperties beside a oneOf/anyOf is dropped: the union's alternatives \
                 receive the properties the struct does not declare",
            );
        }
        acc.union = Some(union);
        true
    }

    /// The struct's fields read their properties before the flattened union sees the rest, so
    /// an alternative defined inline (owned by this union) that declares one of them again
    /// would never find it, and fail if it requires it: such fields are removed from it.
    /// Alternatives that are components are shared, and keep their fields (README).
    fn leave_shared_fields_to_the_struct(&mut self, union: &Ty, acc: &ObjectAcc, ctx: &Ctx) {
        let Some(union_id) = alias_end(&self.types, union) else {
            return;
        };
        let TypeKind::Union(u) = &self.types[union_id].kind else {
            return;
        };
        let inline = format!("{}/", ctx.pointer);
        let owned: Vec<TypeId> = u
            .variants
            .iter()
            .filter_map(|v| alias_end(&self.types, &v.ty))
            .filter(|&id| self.types[id].pointer.starts_with(&inline))
            .collect();
        for id in owned {
            if let TypeKind::Struct(s) = &mut self.types[id].kind {
                s.fields.retain(|f| !acc.fields.contains_key(&f.wire));
            }
        }
    }

    /// A union copied from an `allOf` part that has this very type among its alternatives
    /// (`Cat: allOf: [Pet]` where `Pet` has `oneOf: [Cat, ...]` beside its properties) is not
    /// kept: flattened into `Cat`, it would decode a `Cat` inside every `Cat`, forever.
    fn drop_unions_of_itself(&mut self, acc: &mut ObjectAcc, id: TypeId, ctx: &Ctx) {
        let types = &self.types;
        let holds_itself = |union: &Ty| {
            let kind = alias_end(types, union).map(|u| &types[u].kind);
            matches!(kind, Some(TypeKind::Union(u))
                if u.variants.iter().any(|v| names_through_aliases(types, &v.ty, id)))
        };
        let before = acc.unions.len();
        acc.unions.retain(|union| !holds_itself(union));
        if acc.unions.len() < before {
            self.warn(
                &ctx.pointer,
                "an allOf part's oneOf/anyOf has this schema among its alternatives; it is not \
                 kept here",
            );
        }
    }

    /// `oneOf` and `anyOf` on one schema: the `anyOf` is not kept.
    pub(super) fn warn_both_unions(&mut self, schema: &Schema, ctx: &Ctx) {
        if let SchemaKind::Any(any) = &schema.schema_kind {
            if !any.one_of.is_empty() && !any.any_of.is_empty() {
                self.warn(
                    &ctx.pointer,
                    "a schema with both oneOf and anyOf: only the oneOf is typed",
                );
            }
        }
    }

    /// The union of a `oneOf`/`anyOf` beside other keywords, named `<parent>Variant`; `None`
    /// when its alternatives only constrain which properties are present (`{required: [a]}`).
    fn union_beside(
        &mut self,
        union: UnionView<'_>,
        discriminator: Option<&openapiv3::Discriminator>,
        ctx: &Ctx,
        parent: &str,
    ) -> Result<Option<Ty>, GenerateError> {
        if constraints_only(union.parts) {
            return Ok(None);
        }
        let hint = format!("{parent}Variant");
        if let [only] = union.parts {
            let child = ctx.child(&format!("{}/0", union.keyword), hint);
            return self.convert(only.into(), &child).map(Some);
        }
        let own = Ctx {
            pointer: format!("{}/{}", ctx.pointer, union.keyword),
            hint,
            home: ctx.home.clone(),
        };
        if let Some(ty) = self.by_pointer.get(&own.pointer) {
            return Ok(Some(ty.clone()));
        }
        let doc = format!(
            "The `{}` alternatives of `{parent}`, flattened into it.",
            union.keyword
        );
        let ty = self.define(None, &own, Some(doc), |b, name| {
            b.union(union.parts, union.keyword, discriminator, ctx, name)
        })?;
        Ok(Some(ty))
    }

    fn collect_all_of(
        &mut self,
        acc: &mut ObjectAcc,
        composition: Composition<'_, '_>,
        ctx: &Ctx,
        parent: &str,
    ) -> Result<(), GenerateError> {
        let Composition {
            parts,
            own,
            union,
            discriminator,
        } = composition;
        for (i, part) in parts.iter().enumerate() {
            let part_ctx = ctx.child(&format!("allOf/{i}"), parent.to_owned());
            match SchemaRef::from(part) {
                SchemaRef::Ref(reference) => {
                    let ty = self.reference(reference, &part_ctx.pointer)?;
                    self.ensure_named(&ty)?;
                    self.add_named_part(acc, ty);
                }
                SchemaRef::Item(schema) => match view(schema) {
                    View::Object(object) => {
                        acc.inline_objects += 1;
                        self.add_object(acc, object, &part_ctx, parent)?;
                    }
                    View::AllOf(parts, own, union) => {
                        let inner = Composition {
                            parts,
                            own,
                            union,
                            discriminator: schema.schema_data.discriminator.as_ref(),
                        };
                        self.collect_all_of(acc, inner, &part_ctx, parent)?
                    }
                    View::Composed(own, union) => {
                        let inner = Composition {
                            parts: &[],
                            own: Some(own),
                            union: Some(union),
                            discriminator: schema.schema_data.discriminator.as_ref(),
                        };
                        self.collect_all_of(acc, inner, &part_ctx, parent)?
                    }
                    View::OneOf(alternatives) | View::AnyOf(alternatives)
                        if constraints_only(alternatives) => {}
                    View::OneOf(_) | View::AnyOf(_) => {
                        let hint = format!("{parent}Variant");
                        let union_ctx = ctx.child(&format!("allOf/{i}"), hint);
                        let ty = self.convert_schema(schema, &union_ctx, None)?;
                        self.ensure_named(&ty)?;
                        self.add_named_part(acc, ty);
                    }
                    View::Any => {
                        if let SchemaKind::Any(any) = &schema.schema_kind {
                            acc.required.extend(any.required.iter().cloned());
                        }
                    }
                    _ => {
                        let ty = self.convert_schema(schema, &part_ctx, None)?;
                        acc.others.push(ty);
                    }
                },
            }
        }
        if let Some(object) = own {
            acc.inline_objects += 1;
            self.add_object(acc, object, ctx, parent)?;
        }
        if let Some(union) = union {
            if let Some(ty) = self.union_beside(union, discriminator, ctx, parent)? {
                self.ensure_named(&ty)?;
                self.add_named_part(acc, ty);
            }
        }
        Ok(())
    }

    /// A referenced `allOf` part: a struct contributes its (already converted) fields.
    fn add_named_part(&mut self, acc: &mut ObjectAcc, ty: Ty) {
        let end = alias_end(&self.types, &ty);
        if let Some(base) = end.and_then(|id| self.inherited.get(&id)) {
            // The subtype copies the base's fields; it is never the base itself (whose
            // union would decode it as itself again).
            acc.objects += 1;
            acc.inline_objects += 1;
            copy_fields(acc, base);
            return;
        }
        let s = match end.map(|id| &self.types[id].kind) {
            Some(TypeKind::Struct(s)) => s,
            Some(TypeKind::Union(_)) => {
                acc.unions.push(ty);
                return;
            }
            _ => {
                acc.others.push(ty);
                return;
            }
        };
        acc.objects += 1;
        acc.unions.extend(s.union.iter().map(|u| u.ty.clone()));
        acc.sole_named = Some(ty.clone());
        copy_fields(acc, s);
    }

    /// A component with a `discriminator` and subtypes (see [`super::inheritance`]): its own
    /// fields are kept for the subtypes' `allOf`, and it becomes a tagged union of the
    /// subtypes (an unknown tag kept as `serde_json::Value`). `None` when it is no base.
    pub(super) fn inheritance(
        &mut self,
        schema: &Schema,
        id: TypeId,
        discriminator: &openapiv3::Discriminator,
        ctx: &Ctx,
    ) -> Result<Option<Ty>, GenerateError> {
        let (parts, own, union) = match view(schema) {
            View::Object(own) => (&[][..], Some(own), None),
            View::AllOf(parts, own, union) => (parts, own, union),
            View::Composed(own, union) => (&[][..], Some(own), Some(union)),
            _ => return Ok(None),
        };
        let key = self.components[id].0;
        let back = self.back_references.get(key).cloned().unwrap_or_default();
        let Some(subtypes) =
            inheritance::subtypes(key, discriminator, union.map(|u| u.parts), &back)
        else {
            return Ok(None);
        };
        let name = self.types[id].name.clone();
        let mut acc = ObjectAcc::default();
        let own = Composition {
            parts,
            own,
            union: None,
            discriminator: None,
        };
        self.collect_all_of(&mut acc, own, ctx, &name)?;
        if !acc.unions.is_empty() || !acc.others.is_empty() {
            self.warn(
                &ctx.pointer,
                "a discriminator base whose allOf includes a union or a non-object: only its \
                 object properties are inherited",
            );
        }
        acc.unions.clear();
        let base = self.finish_struct(acc);
        self.inherited.insert(id, base);
        let mut names = Namespace::types(&[]);
        let mut variants = Vec::new();
        for subtype in subtypes {
            let Some(&sub_id) = self.component_ids.get(subtype.as_str()) else {
                self.warn(
                    &format!("{}/discriminator/mapping", ctx.pointer),
                    format!("the mapping names `{subtype}`, which is no component schema; no variant for it"),
                );
                continue;
            };
            let reference = inheritance::reference_to(&subtype);
            variants.push(UnionVariant {
                name: names.claim(&self.types[sub_id].name),
                ty: Ty::Named(sub_id),
                tags: discriminator_tags(discriminator, &reference),
            });
        }
        self.types[id].kind = TypeKind::Union(Union {
            discriminator: Some(discriminator.property_name.clone()),
            unknown: Some(names.claim("Unknown")),
            variants,
        });
        Ok(Some(Ty::Named(id)))
    }
}
