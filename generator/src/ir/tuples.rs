//! Closed tuples: a 3.1 `prefixItems` with no further items, which the normaliser marks
//! ([`TUPLE_EXTENSION`]), is a Rust tuple of its item types; serde reads and writes a tuple as
//! a JSON array of exactly that length.

use openapiv3::{ReferenceOr, Schema};

use super::Ty;
use super::build::{Builder, Ctx, SchemaRef};
use crate::error::GenerateError;
use crate::load::normalise::TUPLE_EXTENSION;
use crate::load::{Version, lookup};

impl Builder<'_> {
    /// The tuple type of `schema`, if the normaliser marked it as one (3.1 documents only: a
    /// 3.0 document's output never depends on this marker).
    pub(super) fn tuple(
        &mut self,
        schema: &Schema,
        ctx: &Ctx,
    ) -> Result<Option<Ty>, GenerateError> {
        let doc = self.doc;
        if doc.version != Version::V3_1
            || !schema.schema_data.extensions.contains_key(TUPLE_EXTENSION)
        {
            return Ok(None);
        }
        let pointer = format!("{}/prefixItems", ctx.pointer);
        let Some(serde_json::Value::Array(items)) = lookup(&doc.raw, &pointer) else {
            return Ok(None);
        };
        let mut types = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            let item: ReferenceOr<Schema> = serde_json::from_value(item.clone())
                .map_err(|e| GenerateError::at(&doc.file, &at, format!("not a schema: {e}")))?;
            let child = Ctx {
                pointer: at,
                hint: format!("{}Item{}", ctx.hint, i + 1),
                home: ctx.home.clone(),
            };
            types.push(self.convert(SchemaRef::from(&item), &child)?);
        }
        Ok(Some(Ty::Tuple(types)))
    }
}
