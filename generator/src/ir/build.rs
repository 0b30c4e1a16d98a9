//! Schemas -> named types: the component pass, `$ref` resolution, and the conversion of each
//! schema construct. Inline schemas that need a named type (objects, enums, unions) are named
//! from their parent and field; every conversion is cached by JSON pointer, so a schema reached
//! twice (through `allOf`, a shared parameter, an envelope) is one type.

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};

use super::view::{ObjectView, View, view};
use super::{
    Access, Additional, Enum, EnumVariant, Field, Flattened, Home, Struct, Ty, TypeDef, TypeId,
    TypeKind, Union, UnionVariant,
};
use crate::error::{GenerateError, Warning};
use crate::load::{Document, lookup};
use crate::naming::{self, Namespace, module_case, pointer_segment, type_case};

mod compose;
mod implicit;

/// A schema or a reference to one, whichever box it came in.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(value: &'s ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(value: &'s ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

/// Where a schema is and what an inline type made from it is called and where it lives.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    pub pointer: String,
    pub hint: String,
    pub home: Home,
}

impl Ctx {
    fn child(&self, segments: &str, hint: String) -> Ctx {
        Ctx {
            pointer: format!("{}/{segments}", self.pointer),
            hint,
            home: self.home.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    InProgress,
    Done,
}

pub(super) struct Builder<'a> {
    pub doc: &'a Document,
    pub types: Vec<TypeDef>,
    pub type_names: Namespace,
    pub model_files: Namespace,
    pub warnings: Vec<Warning>,
    by_pointer: HashMap<String, Ty>,
    components: Vec<(&'a str, &'a ReferenceOr<Schema>, State)>,
    component_ids: HashMap<&'a str, TypeId>,
    resolving: HashSet<String>,
    /// Schemas being converted inside one another (inline, or through `$ref` and `allOf`):
    /// bounded by [`MAX_NESTING`].
    nesting: usize,
    /// Components whose `allOf` names each component directly (for inheritance).
    back_references: BTreeMap<String, Vec<&'a str>>,
    /// The own fields of inheritance bases (now tagged unions of their subtypes), which the
    /// subtypes' `allOf` copy.
    inherited: HashMap<TypeId, Struct>,
    /// Inline alternatives of implicitly tagged unions, by pointer, and the tag property the
    /// union reads and writes for them, which their structs leave out.
    implicit_tags: HashMap<String, String>,
}

/// How deep schemas may be converted inside one another: far beyond any hand-written spec
/// (inline nesting is bounded by the parsers' 128 levels anyway; chains of components through
/// `allOf` are not), and within the stack `crate::generate_str` runs on.
const MAX_NESTING: usize = 64;

fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    data.description
        .clone()
        .or_else(|| data.title.clone())
        .filter(|d| !d.trim().is_empty())
}

/// `readOnly` wins over `writeOnly` when a schema says both (it then travels in neither
/// direction, and optional is right either way).
fn access(schema: &Schema) -> Access {
    let data = &schema.schema_data;
    if data.read_only {
        Access::ReadOnly
    } else if data.write_only {
        Access::WriteOnly
    } else {
        Access::ReadWrite
    }
}

fn int_ty(format: Option<&str>) -> Ty {
    match format {
        Some("int32" | "int16" | "int8") => Ty::I32,
        Some("uint32" | "uint16" | "uint8") => Ty::U32,
        Some("uint64" | "uint") => Ty::U64,
        _ => Ty::I64,
    }
}

/// What an object part of an `allOf` (or a plain object) contributes.
#[derive(Default)]
struct ObjectAcc {
    fields: IndexMap<String, Field>,
    required: HashSet<String>,
    additional: Option<Ty>,
    /// `allOf` parts that are not objects.
    others: Vec<Ty>,
    objects: usize,
    /// The `oneOf`/`anyOf` unions among the parts, and the one the struct flattens.
    unions: Vec<Ty>,
    union: Option<Ty>,
    /// The referenced struct when it is the only object part (the `allOf` just annotates it).
    sole_named: Option<Ty>,
    inline_objects: usize,
}

impl<'a> Builder<'a> {
    pub(super) fn new(doc: &'a Document) -> Self {
        let mut builder = Builder {
            doc,
            types: Vec::new(),
            type_names: Namespace::types(naming::RESERVED_TYPES),
            model_files: Namespace::snake(&["mod", "models"]),
            warnings: Vec::new(),
            by_pointer: HashMap::new(),
            components: Vec::new(),
            component_ids: HashMap::new(),
            resolving: HashSet::new(),
            nesting: 0,
            back_references: BTreeMap::new(),
            inherited: HashMap::new(),
            implicit_tags: HashMap::new(),
        };
        builder.declare_components();
        builder
    }

    /// Names every component schema first, so the plain names go to components (in spec
    /// order) and references to them resolve before their bodies are converted.
    fn declare_components(&mut self) {
        let Some(components) = &self.doc.api.components else {
            return;
        };
        self.back_references = super::inheritance::back_references(
            components
                .schemas
                .iter()
                .map(|(key, schema)| (key.as_str(), schema)),
        );
        for (key, schema) in &components.schemas {
            let pointer = format!("#/components/schemas/{}", pointer_segment(key));
            let name = self.type_names.claim(&type_case(key, "Schema"));
            let file = self.model_files.claim(&module_case(&name, "schema"));
            let id = self.types.len();
            let nullable = matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable);
            let named = if nullable {
                Ty::Named(id).optional()
            } else {
                Ty::Named(id)
            };
            self.types.push(TypeDef {
                name,
                home: Home::Model(file),
                doc: match schema {
                    ReferenceOr::Item(s) => schema_doc(s),
                    ReferenceOr::Reference { .. } => None,
                },
                pointer: pointer.clone(),
                kind: TypeKind::Alias(Ty::Value),
                output_only: true,
            });
            self.by_pointer.insert(pointer, named);
            self.component_ids.insert(key.as_str(), id);
            self.components.push((key.as_str(), schema, State::Pending));
        }
    }

    /// Converts every component schema.
    pub(super) fn convert_components(&mut self) -> Result<(), GenerateError> {
        for id in 0..self.components.len() {
            self.ensure_component(id)?;
        }
        Ok(())
    }

    fn ensure_component(&mut self, id: TypeId) -> Result<(), GenerateError> {
        let (_, schema, state) = self.components[id];
        if state != State::Pending {
            return Ok(());
        }
        self.components[id].2 = State::InProgress;
        let ctx = Ctx {
            pointer: self.types[id].pointer.clone(),
            hint: self.types[id].name.clone(),
            home: self.types[id].home.clone(),
        };
        match SchemaRef::from(schema) {
            SchemaRef::Ref(reference) => {
                let ty = self.reference(reference, &ctx.pointer)?;
                self.types[id].kind = TypeKind::Alias(ty);
            }
            SchemaRef::Item(schema) => {
                self.convert_schema(schema, &ctx, Some(id))?;
            }
        }
        self.components[id].2 = State::Done;
        Ok(())
    }

    /// Runs `convert` one level deeper in the nesting of schemas, or fails at `pointer` when
    /// that is too deep.
    fn nested<T>(
        &mut self,
        pointer: &str,
        convert: impl FnOnce(&mut Self) -> Result<T, GenerateError>,
    ) -> Result<T, GenerateError> {
        if self.nesting >= MAX_NESTING {
            return Err(self.error(
                pointer,
                format!(
                    "schemas nest more than {MAX_NESTING} deep through `$ref` and `allOf` here"
                ),
            ));
        }
        self.nesting += 1;
        let result = convert(self);
        self.nesting -= 1;
        result
    }

    /// Converts the component behind `ty` now, and any component it aliases, so an `allOf`
    /// can copy its fields.
    fn ensure_named(&mut self, ty: &Ty) -> Result<(), GenerateError> {
        let mut current = ty.clone();
        // Bounded: each step enters another component; one in progress (a cycle) stops it.
        for _ in 0..=self.components.len() {
            let id = match current {
                Ty::Named(id) => id,
                Ty::Option(inner) => {
                    current = *inner;
                    continue;
                }
                _ => return Ok(()),
            };
            if id >= self.components.len() || self.components[id].2 == State::InProgress {
                return Ok(());
            }
            self.ensure_component(id)?;
            match &self.types[id].kind {
                TypeKind::Alias(next) => current = next.clone(),
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    pub(super) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> GenerateError {
        GenerateError::at(&self.doc.file, pointer, message)
    }

    /// The type of a schema or reference found at `ctx.pointer`.
    pub(super) fn convert(
        &mut self,
        schema: SchemaRef<'_>,
        ctx: &Ctx,
    ) -> Result<Ty, GenerateError> {
        match schema {
            SchemaRef::Ref(reference) => self.reference(reference, &ctx.pointer),
            SchemaRef::Item(schema) => self.convert_schema(schema, ctx, None),
        }
    }

    /// The value a `$ref` found at `at` points to: local JSON pointers only, and something
    /// must be there; either error names `at`.
    pub(super) fn ref_target(
        &self,
        reference: &str,
        at: &str,
    ) -> Result<&'a serde_json::Value, GenerateError> {
        if !reference.starts_with('#') {
            return Err(self.error(
                at,
                format!("external $ref `{reference}` is not supported (bundle the spec into one file first)"),
            ));
        }
        lookup(&self.doc.raw, reference).ok_or_else(|| {
            self.error(
                at,
                format!("dangling $ref `{reference}`: nothing at that location"),
            )
        })
    }

    /// The value at the end of a chain of `$ref`s; `None` when a link does not resolve or the
    /// chain is a cycle, both reported where the reference is converted.
    pub(super) fn ref_chain_end(&self, reference: &str) -> Option<&'a serde_json::Value> {
        let mut target = self.ref_target(reference, "#").ok()?;
        // A chain longer than this is a cycle.
        for _ in 0..32 {
            match target.get("$ref").and_then(serde_json::Value::as_str) {
                Some(next) => target = self.ref_target(next, "#").ok()?,
                None => return Some(target),
            }
        }
        None
    }

    /// `readOnly`/`writeOnly` of the schema a `$ref` (chain) names; a reference that does not
    /// resolve is reported where it is converted, so here it is read-write.
    fn ref_access(&self, reference: &str) -> Access {
        let Some(target) = self.ref_chain_end(reference) else {
            return Access::ReadWrite;
        };
        let flag = |key: &str| target.get(key) == Some(&serde_json::Value::Bool(true));
        match (flag("readOnly"), flag("writeOnly")) {
            (true, _) => Access::ReadOnly,
            (false, true) => Access::WriteOnly,
            (false, false) => Access::ReadWrite,
        }
    }

    /// Resolves a `$ref` to a schema found at `at`.
    pub(super) fn reference(&mut self, reference: &str, at: &str) -> Result<Ty, GenerateError> {
        let value = self.ref_target(reference, at)?;
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
            let key = naming::unescape_pointer_segment(key);
            if let Some(&id) = self.component_ids.get(key.as_str()) {
                // The component's body is converted in the component pass (or by `allOf`,
                // which needs its fields); converting it here would recurse once per link
                // of a reference chain.
                return Ok(self
                    .by_pointer
                    .get(reference)
                    .cloned()
                    .unwrap_or(Ty::Named(id)));
            }
        }
        if let Some(ty) = self.by_pointer.get(reference) {
            return Ok(ty.clone());
        }
        let target: ReferenceOr<Schema> = serde_json::from_value(value.clone()).map_err(|e| {
            self.error(
                at,
                format!("$ref `{reference}` does not point to a schema: {e}"),
            )
        })?;
        if !self.resolving.insert(reference.to_owned()) {
            return Err(self.error(at, format!("circular $ref `{reference}`")));
        }
        let ty = self.nested(at, |b| match target {
            // A reference to a reference: follow it, and remember where this one led.
            ReferenceOr::Reference { reference: next } => {
                b.reference(&next, reference).inspect(|ty| {
                    b.by_pointer.insert(reference.to_owned(), ty.clone());
                })
            }
            ReferenceOr::Item(schema) => {
                let last = reference.rsplit('/').next().unwrap_or_default();
                let hint = type_case(&naming::unescape_pointer_segment(last), "Schema");
                let file = b.model_files.claim(&module_case(&hint, "schema"));
                let ctx = Ctx {
                    pointer: reference.to_owned(),
                    hint,
                    home: Home::Model(file),
                };
                b.convert_schema(&schema, &ctx, None)
            }
        });
        self.resolving.remove(reference);
        ty
    }

    /// Converts one schema. With `named`, the result is that (component) type's definition.
    fn convert_schema(
        &mut self,
        schema: &Schema,
        ctx: &Ctx,
        named: Option<TypeId>,
    ) -> Result<Ty, GenerateError> {
        if named.is_none() {
            if let Some(ty) = self.by_pointer.get(&ctx.pointer) {
                return Ok(ty.clone());
            }
        }
        let ty = self.nested(&ctx.pointer, |b| b.convert_view(schema, ctx, named))?;
        match named {
            // A component that needs no type of its own is an alias of what it describes;
            // its `nullable` is carried by the references to it.
            Some(id) => {
                if ty != Ty::Named(id) {
                    self.types[id].kind = TypeKind::Alias(ty);
                }
                Ok(Ty::Named(id))
            }
            None => {
                let ty = if schema.schema_data.nullable {
                    ty.optional()
                } else {
                    ty
                };
                self.by_pointer.insert(ctx.pointer.clone(), ty.clone());
                Ok(ty)
            }
        }
    }

    fn convert_view(
        &mut self,
        schema: &Schema,
        ctx: &Ctx,
        named: Option<TypeId>,
    ) -> Result<Ty, GenerateError> {
        if let Some(tuple) = self.tuple(schema, ctx)? {
            return Ok(tuple);
        }
        if let (Some(id), Some(discriminator)) = (named, &schema.schema_data.discriminator) {
            if let Some(base) = self.inheritance(schema, id, discriminator, ctx)? {
                return Ok(base);
            }
        }
        let doc = schema_doc(schema);
        Ok(match view(schema) {
            View::Str { values, .. } if !values.is_empty() => {
                self.define(named, ctx, doc, |_, _| {
                    let values = values.into_iter().map(|value| (value, None));
                    Ok(TypeKind::StringEnum(string_enum(values)))
                })?
            }
            View::Str { .. } => Ty::String,
            View::Int { values, .. } if !values.is_empty() => {
                self.define(named, ctx, doc, |_, _| {
                    Ok(TypeKind::IntEnum(int_enum(values)))
                })?
            }
            View::Int { format, .. } => int_ty(format.as_deref()),
            View::Num { format } => match format.as_deref() {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            View::Bool => Ty::Bool,
            View::Array(items) => {
                let item = match items {
                    Some(items) => {
                        let child = ctx.child("items", format!("{}Item", ctx.hint));
                        self.convert(items.into(), &child)?
                    }
                    None => Ty::Value,
                };
                Ty::Vec(Box::new(item))
            }
            View::Object(object) if object.properties.is_empty() => Ty::Map(Box::new(
                self.additional(object.additional, ctx)?
                    .unwrap_or(Ty::Value),
            )),
            View::Object(object) => self.define(named, ctx, doc, |b, name| {
                let mut acc = ObjectAcc::default();
                b.add_object(&mut acc, object, ctx, name)?;
                Ok(TypeKind::Struct(b.finish_struct(acc)))
            })?,
            View::AllOf(parts, own, union) => {
                self.warn_both_unions(schema, ctx);
                let discriminator = schema.schema_data.discriminator.as_ref();
                return self.all_of(parts, own, union, discriminator, ctx, named, doc);
            }
            View::Composed(object, union) => {
                self.warn_both_unions(schema, ctx);
                let discriminator = schema.schema_data.discriminator.as_ref();
                return self.all_of(
                    &[],
                    Some(object),
                    Some(union),
                    discriminator,
                    ctx,
                    named,
                    doc,
                );
            }
            View::OneOf(parts) | View::AnyOf(parts) => {
                self.warn_both_unions(schema, ctx);
                if let [only] = parts {
                    let child = ctx.child(&format!("{}/0", one_or_any(schema)), ctx.hint.clone());
                    return self.convert(only.into(), &child);
                }
                let discriminator = schema.schema_data.discriminator.as_ref();
                let keyword = one_or_any(schema);
                self.define(named, ctx, doc, |b, name| {
                    b.union(parts, keyword, discriminator, ctx, name)
                })?
            }
            View::Not => {
                self.warn(
                    &ctx.pointer,
                    "`not` is not supported; the value is `serde_json::Value`",
                );
                Ty::Value
            }
            View::Null | View::Any => Ty::Value,
            View::Unknown(other) => {
                return Err(self.error(
                    &format!("{}/type", ctx.pointer),
                    format!("unknown type `{other}`"),
                ));
            }
        })
    }

    /// The named type for `ctx`: `named` if given, else a new one called `ctx.hint`.
    fn define(
        &mut self,
        named: Option<TypeId>,
        ctx: &Ctx,
        doc: Option<String>,
        kind: impl FnOnce(&mut Self, &str) -> Result<TypeKind, GenerateError>,
    ) -> Result<Ty, GenerateError> {
        let id = match named {
            Some(id) => id,
            None => {
                let id = self.types.len();
                let name = self.type_names.claim(&type_case(&ctx.hint, "Type"));
                self.types.push(TypeDef {
                    name,
                    home: ctx.home.clone(),
                    doc,
                    pointer: ctx.pointer.clone(),
                    kind: TypeKind::Alias(Ty::Value),
                    output_only: true,
                });
                self.by_pointer.insert(ctx.pointer.clone(), Ty::Named(id));
                id
            }
        };
        let name = self.types[id].name.clone();
        self.types[id].kind = kind(self, &name)?;
        Ok(Ty::Named(id))
    }

    fn additional(
        &mut self,
        additional: Option<&AdditionalProperties>,
        ctx: &Ctx,
    ) -> Result<Option<Ty>, GenerateError> {
        Ok(match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(Ty::Value),
            Some(AdditionalProperties::Schema(schema)) => {
                let child = ctx.child("additionalProperties", format!("{}Value", ctx.hint));
                Some(self.convert(schema.as_ref().into(), &child)?)
            }
        })
    }

    /// Adds an object's properties (converted with `ctx`, inline types named from `parent`).
    fn add_object(
        &mut self,
        acc: &mut ObjectAcc,
        object: ObjectView<'_>,
        ctx: &Ctx,
        parent: &str,
    ) -> Result<(), GenerateError> {
        acc.objects += 1;
        let tag = self.implicit_tags.get(&ctx.pointer).cloned();
        for (wire, schema) in object.properties {
            if Some(wire) == tag.as_ref() {
                continue;
            }
            let child = ctx.child(
                &format!("properties/{}", pointer_segment(wire)),
                format!("{parent}{}", type_case(wire, "Field")),
            );
            let schema = SchemaRef::from(schema);
            let ty = self.convert(schema, &child)?;
            let field = match schema {
                SchemaRef::Item(s) => Field {
                    name: String::new(),
                    wire: wire.clone(),
                    ty,
                    required: false,
                    doc: schema_doc(s),
                    default: s.schema_data.default.clone(),
                    format: match view(s) {
                        View::Str { format, .. } => format,
                        _ => None,
                    },
                    deprecated: s.schema_data.deprecated,
                    access: access(s),
                },
                SchemaRef::Ref(reference) => Field {
                    name: String::new(),
                    wire: wire.clone(),
                    doc: self.ref_field_doc(&child.pointer, &ty),
                    ty,
                    required: false,
                    default: None,
                    format: None,
                    deprecated: false,
                    access: self.ref_access(reference),
                },
            };
            acc.fields.insert(wire.clone(), field);
        }
        let required = object.required.iter().filter(|r| Some(*r) != tag.as_ref());
        acc.required.extend(required.cloned());
        if let Some(ty) = self.additional(object.additional, ctx)? {
            acc.additional = Some(ty);
        }
        Ok(())
    }

    /// Names the fields (collision-free, in order) and applies `required`.
    fn finish_struct(&mut self, acc: ObjectAcc) -> Struct {
        let mut names = Namespace::snake(&[]);
        let mut fields: Vec<Field> = acc.fields.into_values().collect();
        for field in &mut fields {
            field.name = names.claim(&naming::snake_case(&field.wire, "field"));
            field.required |=
                acc.required.contains(&field.wire) && field.access == Access::ReadWrite;
        }
        let union = acc.union.map(|ty| Flattened {
            name: names.claim("variant"),
            ty,
        });
        let additional = acc.additional.map(|ty| Additional {
            name: names.claim("additional_properties"),
            ty,
        });
        Struct {
            fields,
            additional,
            union,
        }
    }

    /// `oneOf`/`anyOf` as an enum: tagged by the discriminator when every variant is a
    /// `$ref` (values from `mapping`, else the component name) or by an implicit tag, one
    /// open enum when every alternative is a string enum ([`implicit`]), untagged otherwise.
    fn union(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        keyword: &str,
        discriminator: Option<&openapiv3::Discriminator>,
        ctx: &Ctx,
        parent: &str,
    ) -> Result<TypeKind, GenerateError> {
        if discriminator.is_none() {
            if let Some(values) = implicit::merged_enum(parts) {
                return Ok(TypeKind::StringEnum(string_enum(values)));
            }
        }
        let tagging = self.tagging(parts, discriminator, ctx);
        let mut names = Namespace::types(&[]);
        let mut variants = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let part_ref = SchemaRef::from(part);
            let pointer = format!("{keyword}/{i}");
            let variant = match (&tagging, part_ref) {
                (Tagging::Implicit(tag), SchemaRef::Item(schema)) => {
                    let value = &tag.values[i];
                    let child = ctx.child(&pointer, String::new());
                    let ty = self.implicitly_tagged(schema, &tag.property, value, child, parent)?;
                    UnionVariant {
                        name: naming::value_case(value, i),
                        ty,
                        tags: vec![value.clone()],
                    }
                }
                (tagging, _) => {
                    let child = ctx.child(&pointer, String::new());
                    let mut variant = self.union_variant(part_ref, tagging, i, child, parent)?;
                    if let Tagging::Implicit(tag) = tagging {
                        variant.tags = vec![tag.values[i].clone()];
                    }
                    variant
                }
            };
            variants.push(UnionVariant {
                name: names.claim(&variant.name),
                ..variant
            });
        }
        let property = match tagging {
            Tagging::Explicit(d) => Some(d.property_name.clone()),
            Tagging::Implicit(tag) => Some(tag.property),
            Tagging::Untagged => None,
        };
        Ok(TypeKind::Union(Union {
            // Claimed after the variants, which keep the names the spec gives them.
            unknown: property.as_ref().map(|_| names.claim("Unknown")),
            discriminator: property,
            variants,
        }))
    }

    /// How a union's values say which alternative they are.
    fn tagging<'d>(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        discriminator: Option<&'d openapiv3::Discriminator>,
        ctx: &Ctx,
    ) -> Tagging<'d> {
        let all_refs = parts
            .iter()
            .all(|p| matches!(p, ReferenceOr::Reference { .. }));
        match discriminator {
            Some(d) if all_refs => Tagging::Explicit(d),
            Some(d) => match self.implicit_tag(parts, Some(&d.property_name)) {
                Some(tag) => Tagging::Implicit(tag),
                None => {
                    self.warn(
                        &ctx.pointer,
                        "discriminator needs every variant to be a $ref, or to require the \
                         property as a constant; the union is untagged",
                    );
                    Tagging::Untagged
                }
            },
            None => self
                .implicit_tag(parts, None)
                .map_or(Tagging::Untagged, Tagging::Implicit),
        }
    }

    /// An inline alternative of an implicitly tagged union: its struct without the tag
    /// property (the union writes it), named from the tag, or a unit variant when the tag is
    /// all it holds.
    fn implicitly_tagged(
        &mut self,
        schema: &Schema,
        property: &str,
        value: &str,
        mut ctx: Ctx,
        parent: &str,
    ) -> Result<Ty, GenerateError> {
        if let View::Object(object) = view(schema) {
            let only_the_tag = object.properties.keys().all(|key| key == property);
            if only_the_tag && object.additional.is_none() {
                return Ok(Ty::Unit);
            }
        }
        let title = schema.schema_data.title.as_deref();
        ctx.hint = match title {
            Some(title) => format!("{parent}{}", type_case(title, "Variant")),
            None => format!("{parent}{}", naming::value_case(value, 0)),
        };
        self.implicit_tags
            .insert(ctx.pointer.clone(), property.to_owned());
        self.convert(SchemaRef::Item(schema), &ctx)
    }

    /// A variant of an explicitly tagged or untagged union, named by its `title`, else by
    /// its type (a component's name) or its position.
    fn union_variant(
        &mut self,
        part: SchemaRef<'_>,
        tagging: &Tagging<'_>,
        i: usize,
        mut ctx: Ctx,
        parent: &str,
    ) -> Result<UnionVariant, GenerateError> {
        let title = match part {
            SchemaRef::Item(s) => s
                .schema_data
                .title
                .as_deref()
                .map(|t| type_case(t, "Variant")),
            SchemaRef::Ref(_) => None,
        };
        if let SchemaRef::Item(s) = part {
            if matches!(view(s), View::Null) {
                return Ok(UnionVariant {
                    name: "Null".to_owned(),
                    ty: Ty::Unit,
                    tags: Vec::new(),
                });
            }
        }
        ctx.hint = format!(
            "{parent}{}",
            title.clone().unwrap_or_else(|| format!("Variant{}", i + 1))
        );
        let ty = self.convert(part, &ctx)?;
        let tags = match (tagging, part) {
            (Tagging::Explicit(d), SchemaRef::Ref(reference)) => discriminator_tags(d, reference),
            _ => Vec::new(),
        };
        Ok(UnionVariant {
            name: title.unwrap_or_else(|| self.variant_base(&ty)),
            ty,
            tags,
        })
    }

    /// A `$ref` property's doc: its sibling `description` (ignored by OpenAPI 3.0, but written
    /// for readers), else the first paragraph of the referenced type's (the rest is on the
    /// type, one click away).
    fn ref_field_doc(&self, pointer: &str, ty: &Ty) -> Option<String> {
        let sibling = lookup(&self.doc.raw, pointer)
            .and_then(|value| value.get("description"))
            .and_then(serde_json::Value::as_str)
            .filter(|text| !text.trim().is_empty())
            .map(str::to_owned);
        sibling.or_else(|| self.type_summary(ty))
    }

    fn type_summary(&self, ty: &Ty) -> Option<String> {
        match ty {
            Ty::Named(id) => {
                let doc = self.types[*id].doc.as_deref()?;
                let first = doc.trim().split("\n\n").next().unwrap_or_default();
                Some(first.to_owned())
            }
            Ty::Option(inner) => self.type_summary(inner),
            _ => None,
        }
    }

    fn variant_base(&self, ty: &Ty) -> String {
        match ty {
            Ty::Named(id) => self.types[*id].name.clone(),
            Ty::Option(inner) | Ty::Nullable(inner) | Ty::Box(inner) => self.variant_base(inner),
            Ty::String => "String".into(),
            Ty::Bool => "Boolean".into(),
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => "Integer".into(),
            Ty::F32 | Ty::F64 => "Number".into(),
            Ty::Vec(_) => "Array".into(),
            Ty::Tuple(_) => "Tuple".into(),
            Ty::Map(_) => "Object".into(),
            Ty::Bytes => "Bytes".into(),
            Ty::Value => "Value".into(),
            Ty::Unit => "Null".into(),
        }
    }

    pub(super) fn finish(self) -> (Vec<TypeDef>, Vec<Warning>) {
        (self.types, self.warnings)
    }
}

/// How a union's values say which alternative they are.
enum Tagging<'d> {
    /// By the spec's `discriminator`, over `$ref` alternatives.
    Explicit(&'d openapiv3::Discriminator),
    /// By a property each alternative requires as a constant ([`implicit`]).
    Implicit(implicit::ImplicitTag),
    /// Not at all: by fit.
    Untagged,
}

fn one_or_any(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}

/// An open enum of these values (the first of a repeated one kept), each with what it means
/// when the spec says.
fn string_enum(values: impl IntoIterator<Item = (String, Option<String>)>) -> Enum<String> {
    // The catch-all keeps the plain `Unknown`; a value spelled so takes a suffix.
    let mut names = Namespace::types(&["Unknown"]);
    let mut seen = HashSet::new();
    let variants = values
        .into_iter()
        .filter(|(value, _)| seen.insert(value.clone()))
        .enumerate()
        .map(|(i, (value, doc))| EnumVariant {
            name: names.claim(&naming::value_case(&value, i)),
            value,
            doc,
        })
        .collect();
    Enum {
        unknown: "Unknown".to_owned(),
        variants,
    }
}

fn int_enum(values: Vec<i64>) -> Enum<i64> {
    let mut names = Namespace::types(&["Unknown"]);
    let mut seen = HashSet::new();
    let variants = values
        .into_iter()
        .filter(|value| seen.insert(*value))
        .map(|value| {
            let base = if value < 0 {
                format!("ValueMinus{}", value.unsigned_abs())
            } else {
                format!("Value{value}")
            };
            EnumVariant {
                name: names.claim(&base),
                value,
                doc: None,
            }
        })
        .collect();
    Enum {
        unknown: "Unknown".to_owned(),
        variants,
    }
}

/// The discriminator values that select `reference`: its `mapping` keys, else its name.
fn discriminator_tags(discriminator: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
    let short = naming::unescape_pointer_segment(reference.rsplit('/').next().unwrap_or(reference));
    let mapped: Vec<String> = discriminator
        .mapping
        .iter()
        .filter(|(_, target)| target.as_str() == reference || target.as_str() == short)
        .map(|(value, _)| value.clone())
        .collect();
    if mapped.is_empty() {
        vec![short]
    } else {
        mapped
    }
}
