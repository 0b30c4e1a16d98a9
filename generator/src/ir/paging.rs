//! `x-sdk-paging`: checked against the operation it is on (a query page parameter, an items
//! array in the success type) and turned into what `into_stream` needs.

use super::build::Builder;
use super::{Operation, Outcome, Paging, ParamLocation, Ty, TypeKind};

/// Reads `x-sdk-paging` against the operation's parameters and success type; one that does
/// not fit them is ignored with a warning (the operation still works, page by page).
pub(super) fn paging(
    b: &mut Builder<'_>,
    op: &Operation,
    value: &serde_json::Value,
) -> Option<Paging> {
    match read_paging(b, op, value) {
        Ok(paging) => Some(paging),
        Err(problem) => {
            let at = format!("{}/x-sdk-paging", op.pointer);
            b.warn(&at, format!("x-sdk-paging ignored: {problem}"));
            None
        }
    }
}

fn read_paging(
    b: &Builder<'_>,
    op: &Operation,
    value: &serde_json::Value,
) -> Result<Paging, &'static str> {
    let get = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
    let page_wire = get("pageParameter").ok_or("`pageParameter` is missing")?;
    let page = op
        .params
        .iter()
        .find(|p| p.wire == page_wire && p.location == ParamLocation::Query);
    let page = page.ok_or("`pageParameter` names no query parameter")?;
    if !matches!(page.ty, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64) {
        return Err("the page parameter is not an integer");
    }
    let Outcome::Single(success) = &op.success_type else {
        return Err("the operation has several success types");
    };
    let fields = struct_fields(b, success).ok_or("the success type is not an object")?;
    let items_wire = get("items").ok_or("`items` is missing")?;
    let items = fields
        .iter()
        .find(|f| f.wire == items_wire)
        .ok_or("`items` names no field of the result")?;
    let (item_ty, items_optional) = match (&items.ty, items.required) {
        (Ty::Vec(item), true) => (item.as_ref().clone(), false),
        (Ty::Vec(item), false) => (item.as_ref().clone(), true),
        (Ty::Option(inner), _) => match inner.as_ref() {
            Ty::Vec(item) => (item.as_ref().clone(), true),
            _ => return Err("`items` is not an array"),
        },
        _ => return Err("`items` is not an array"),
    };
    let total_field = match get("total") {
        Some(total) => {
            let field = fields
                .iter()
                .find(|f| f.wire == total)
                .ok_or("`total` names no field of the result")?;
            let ty = if field.required {
                field.ty.clone()
            } else {
                field.ty.clone().optional()
            };
            Some((field.name.clone(), ty))
        }
        None => None,
    };
    Ok(Paging {
        page_param: page.name.clone(),
        page_ty: page.ty.clone(),
        page_required: page.required,
        items_field: items.name.clone(),
        item_ty,
        items_optional,
        total_field,
    })
}

/// The fields of the struct `ty` names, through aliases (each followed once: a cycle of
/// aliases is not an object).
fn struct_fields(b: &Builder<'_>, ty: &Ty) -> Option<Vec<super::Field>> {
    let mut seen = std::collections::HashSet::new();
    let mut current = ty;
    while let Ty::Named(id) = current {
        if !seen.insert(*id) {
            return None;
        }
        match &b.types[*id].kind {
            TypeKind::Struct(s) => return Some(s.fields.clone()),
            TypeKind::Alias(inner) => current = inner,
            _ => return None,
        }
    }
    None
}
