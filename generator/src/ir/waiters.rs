//! `x-sdk-waiters` (see `schema/EXTENSIONS.md`): named waiters declared on the operation they
//! poll, like smithy's `@waitable`. Each names a field of the operation's result by its wire
//! path and the values that end the wait; the path is checked against the result's type here,
//! so a typo in the spec is an error naming it rather than a waiter that never finishes.
//!
//! A path may go through one array, `taskSet[].taskStatus`: the waiter then reads the field of
//! every element (the runtime's `State::Each`, judged as its `waiter` module says).
//!
//! `requires` and `excludes` name optional parameters of the operation that the request must
//! set, or must not set, for the wait to mean anything (a list that must be narrowed to the
//! caller's tasks, a status filter that would hide the states awaited); the names are checked
//! here, and the waiter methods refuse a request that breaks them before sending it.
//! `keepWaitingOn` lists HTTP error statuses of a poll that keep waiting (a `404` right after
//! a create), as smithy's `errorType` acceptor with state `retry`.

use serde::Deserialize;

use super::build::Builder;
use super::{Outcome, Param, Ty, TypeKind, Waiter, WaiterParam};
use crate::error::GenerateError;
use crate::naming::{Namespace, const_case, pointer_segment, snake_case};

/// One waiter as the spec declares it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Declared {
    description: Option<String>,
    /// Dotted wire path in the (unwrapped) result, e.g. `instance.status`; `field[]` goes
    /// through every element of an array, e.g. `taskSet[].taskStatus`.
    state: String,
    success: Vec<String>,
    #[serde(default)]
    failure: Vec<String>,
    /// Values that keep the waiter waiting (as does any value not listed); documented.
    #[serde(default)]
    retry: Vec<String>,
    /// Seconds between polls.
    interval: u64,
    /// Seconds after which the waiter gives up.
    max_wait: u64,
    /// Optional parameters the request must set.
    #[serde(default)]
    requires: Vec<String>,
    /// Optional parameters the request must not set.
    #[serde(default)]
    excludes: Vec<String>,
    /// HTTP error statuses (400-599) of a poll that keep the waiter waiting.
    #[serde(default)]
    keep_waiting_on: Vec<u16>,
}

/// The waiters declared by `declared` (the extension's value) on an operation whose success
/// type is `success` and parameters `params`; `methods` holds the builder's names, which the
/// waiter methods join.
pub(super) fn waiters(
    b: &Builder<'_>,
    declared: &serde_json::Value,
    pointer: &str,
    success: &Outcome,
    params: &[Param],
    methods: &mut Namespace,
) -> Result<Vec<Waiter>, GenerateError> {
    let at = format!("{pointer}/x-sdk-waiters");
    let error = |at: &str, message: String| GenerateError::at(&b.doc.file, at, message);
    let declared: std::collections::BTreeMap<String, Declared> =
        serde_json::from_value(declared.clone())
            .map_err(|e| error(&at, format!("x-sdk-waiters: {e}")))?;
    let Outcome::Single(result) = success else {
        return Err(error(
            &at,
            "a waiter needs an operation with one success type".to_owned(),
        ));
    };
    let mut file_names = Namespace::snake(&[]);
    let mut waiters = Vec::new();
    for (name, waiter) in declared {
        let at = format!("{at}/{}", pointer_segment(&name));
        if waiter.success.is_empty() {
            return Err(error(&at, format!("waiter `{name}` has no success values")));
        }
        if waiter.interval == 0 || waiter.max_wait < waiter.interval {
            return Err(error(
                &at,
                format!("waiter `{name}` needs 0 < interval <= maxWait (seconds)"),
            ));
        }
        let lists = [&waiter.success, &waiter.failure, &waiter.retry];
        let all: Vec<&String> = lists.iter().flat_map(|list| list.iter()).collect();
        if let Some(twice) = all
            .iter()
            .find(|v| all.iter().filter(|w| w == v).count() > 1)
        {
            return Err(error(
                &at,
                format!("waiter `{name}` lists `{twice}` more than once"),
            ));
        }
        let (accessor, last) = walk(b, result, &waiter.state)
            .map_err(|message| error(&format!("{at}/state"), message))?;
        check_values(b, &last, &all).map_err(|message| error(&at, message))?;
        let requires = checked_params(b, params, &waiter.requires, &waiter.excludes)
            .map_err(|(index, message)| error(&format!("{at}/requires/{index}"), message))?;
        let excludes = checked_params(b, params, &waiter.excludes, &waiter.requires)
            .map_err(|(index, message)| error(&format!("{at}/excludes/{index}"), message))?;
        check_statuses(&waiter.keep_waiting_on)
            .map_err(|(index, message)| error(&format!("{at}/keepWaitingOn/{index}"), message))?;
        let stem = snake_case(&name, "waiter");
        let stem = stem.strip_prefix("r#").unwrap_or(&stem).to_owned();
        let method = methods.claim(&format!("wait_until_{stem}"));
        waiters.push(Waiter {
            method_with: methods.claim(&format!("{method}_with")),
            method,
            static_name: file_names.claim(&const_case(&name, "waiter")) + "_WAITER",
            state_fn: file_names.claim(&format!("{stem}_state")),
            name,
            path: waiter.state,
            accessor,
            success: waiter.success,
            failure: waiter.failure,
            retry: waiter.retry,
            interval_secs: waiter.interval,
            max_wait_secs: waiter.max_wait,
            doc: waiter.description,
            requires,
            excludes,
            keep_waiting_on: waiter.keep_waiting_on,
        });
    }
    Ok(waiters)
}

/// The parameters `names` as the builder holds them; an error (with the index of the name)
/// for a name that is not an optional parameter, is listed twice, or is also in `other`.
fn checked_params(
    b: &Builder<'_>,
    params: &[Param],
    names: &[String],
    other: &[String],
) -> Result<Vec<WaiterParam>, (usize, String)> {
    let mut checked: Vec<WaiterParam> = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let Some(param) = params.iter().find(|p| &p.wire == name) else {
            let known: Vec<&str> = params.iter().map(|p| p.wire.as_str()).collect();
            let message = format!(
                "`{name}` is not a parameter of this operation (its parameters: {})",
                known.join(", ")
            );
            return Err((index, message));
        };
        let problem = if param.required {
            Some("is a required parameter, always set")
        } else if checked.iter().any(|c| &c.wire == name) {
            Some("is listed twice")
        } else if other.contains(name) {
            Some("is both required and excluded")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err((index, format!("`{name}` {problem}")));
        }
        checked.push(WaiterParam {
            wire: name.clone(),
            field: param.name.clone(),
            collection: matches!(underlying(b, &param.ty), Ty::Vec(_) | Ty::Map(_)),
        });
    }
    Ok(checked)
}

/// Every status is an HTTP error status, listed once; else the index and the problem.
fn check_statuses(statuses: &[u16]) -> Result<(), (usize, String)> {
    for (index, status) in statuses.iter().enumerate() {
        if !(400..=599).contains(status) {
            let message = format!("`{status}` is not an HTTP error status (400-599)");
            return Err((index, message));
        }
        if statuses[..index].contains(status) {
            return Err((index, format!("`{status}` is listed twice")));
        }
    }
    Ok(())
}

/// One field on a waiter's state path, as Rust reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct StateStep {
    /// The Rust field.
    pub field: String,
    /// The field is an `Option`.
    pub optional: bool,
    /// `field[]`: the path goes on through every element of this array.
    pub each: bool,
    /// With `each`: the elements are `Option`s.
    pub optional_items: bool,
}

/// The Rust fields along `path` from `ty`, and the type at its end.
fn walk(b: &Builder<'_>, ty: &Ty, path: &str) -> Result<(Vec<StateStep>, Ty), String> {
    let mut ty = ty.clone();
    let mut steps: Vec<StateStep> = Vec::new();
    for segment in path.split('.') {
        let (wire, each) = match segment.split_once('[') {
            None => (segment, false),
            Some((wire, "]")) if !wire.is_empty() => (wire, true),
            Some(_) => {
                return Err(format!(
                    "`{path}`: `{segment}` is neither a field nor `field[]` (every element)"
                ));
            }
        };
        let id = named(b, &ty).ok_or_else(|| match underlying(b, &ty) {
            Ty::Vec(_) => format!(
                "`{path}`: the value before `{segment}` is an array; write `[]` after its \
                 field to judge every element"
            ),
            _ => format!("`{path}`: the value before `{segment}` is not an object with fields"),
        })?;
        let TypeKind::Struct(object) = &b.types[id].kind else {
            return Err(format!("`{path}`: `{}` has no fields", b.types[id].name));
        };
        let field = object
            .fields
            .iter()
            .find(|f| f.wire == wire)
            .ok_or_else(|| format!("`{path}`: `{}` has no field `{wire}`", b.types[id].name))?;
        let optional = !field.required || matches!(field.ty, Ty::Option(_));
        ty = field.ty.clone();
        let mut optional_items = false;
        if each {
            if steps.iter().any(|step| step.each) {
                return Err(format!(
                    "`{path}`: only one `[]` per path (the elements of nested arrays are not flattened)"
                ));
            }
            let Ty::Vec(item) = underlying(b, &ty) else {
                return Err(format!(
                    "`{path}`: `{wire}` of `{}` is not an array",
                    b.types[id].name
                ));
            };
            optional_items = matches!(*item, Ty::Option(_));
            ty = *item;
        }
        steps.push(StateStep {
            field: field.name.clone(),
            optional,
            each,
            optional_items,
        });
    }
    let last = strip(&ty);
    if !super::is_displayable(&b.types, &last) || last == Ty::Value {
        return Err(format!("`{path}` is not a string, number or enum"));
    }
    Ok((steps, last))
}

/// `ty` without `Option`, `Box` and aliases: what Rust code reaches through it.
fn underlying(b: &Builder<'_>, ty: &Ty) -> Ty {
    let mut ty = strip(ty);
    // Aliases of aliases end; the schema pass breaks alias cycles.
    for _ in 0..32 {
        match &ty {
            Ty::Named(id) => match &b.types[*id].kind {
                TypeKind::Alias(inner) => ty = strip(inner),
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// `ty` without `Option`, `Box` and aliases.
fn strip(ty: &Ty) -> Ty {
    match ty {
        Ty::Option(inner) | Ty::Box(inner) => strip(inner),
        other => other.clone(),
    }
}

fn named(b: &Builder<'_>, ty: &Ty) -> Option<usize> {
    match underlying(b, ty) {
        Ty::Named(id) if !matches!(b.types[id].kind, TypeKind::Alias(_)) => Some(id),
        _ => None,
    }
}

/// Every listed value of an enum-typed state is one of the enum's values (a typo would wait
/// forever).
fn check_values(b: &Builder<'_>, last: &Ty, values: &[&String]) -> Result<(), String> {
    let Some(id) = named(b, last) else {
        return Ok(());
    };
    let TypeKind::StringEnum(known) = &b.types[id].kind else {
        return Ok(());
    };
    let is_known = |value: &str| known.variants.iter().any(|known| known.value == value);
    match values.iter().find(|value| !is_known(value)) {
        Some(value) => Err(format!(
            "`{value}` is not a value of `{}`",
            b.types[id].name
        )),
        None => Ok(()),
    }
}
