//! Two [`Surface`]s compared: every public item added, removed or changed, each with its
//! impact under Rust semver, and the class of the whole change.
//!
//! What counts as breaking follows the generated code: a new field of a `#[non_exhaustive]`
//! (response) struct or a new variant of an open enum is additive, while a new field of a
//! request struct breaks struct literals; a new optional parameter is a new setter (additive),
//! a new required one a new argument of the `Client` method (breaking). Argument names are not
//! part of a Rust signature, so renaming a positional parameter only changes docs; but
//! arguments reordered (the same parameters in another order) are breaking even when their
//! types line up, since callers would silently send each value to the other's place.
//! A required nullable field and an optional one are both `Option<T>`: a change between them
//! only changes what is sent for `None` (`null`, or no key), so it is a wire change. A rename
//! the spec makes is a removal plus an addition (breaking); when a removed and an added item
//! have the same shape, both lines say so, to help the reviewer spot it. Types are compared
//! through type aliases, as Rust compares them; a type only written differently is a docs
//! change.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::{Input, ItemKind, Member, OperationItem, Surface, TypeItem, WaiterItem};

/// What a change does to callers of the generated crate, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Only documentation differs.
    Docs,
    /// The Rust API is the same; what is sent or how a response is read differs.
    Wire,
    /// New API; every caller still compiles.
    Additive,
    /// Some caller may no longer compile.
    Breaking,
}

impl Impact {
    /// How the report names the impact: `docs`, `wire`, `additive`, `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Docs => "docs",
            Impact::Wire => "wire",
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        }
    }
}

/// The class of a whole change: its most severe API impact (docs and wire are `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Nothing or only docs and wire behaviour: a patch release at most.
    None,
    /// New API, every caller still compiles: a minor release.
    Additive,
    /// Some caller may no longer compile: a major release.
    Breaking,
}

impl Class {
    /// How the summary names the class: `none`, `additive`, `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::None => "none",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
/// Whether an item was added, removed or changed.
pub enum ChangeKind {
    /// Only the new API has it (`+` in the report).
    Added,
    /// Only the old API has it (`-`).
    Removed,
    /// Both have it, differently (`~`).
    Changed,
}

impl ChangeKind {
    fn mark(self) -> char {
        match self {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
        }
    }
}

/// One difference between the two APIs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The operation or type it belongs to: ``operation `describeImages` ``, ``type `models::Image` ``.
    pub scope: String,
    /// The Rust item: ``field `os_version` ``, ``setter `DescribeImagesRequest::status` ``.
    pub item: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// What it does to callers.
    pub impact: Impact,
    /// Old and new shape, or why it has this impact.
    pub detail: String,
}

/// How many changes of each impact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Changes that may stop a caller compiling.
    pub breaking: usize,
    /// New API.
    pub additive: usize,
    /// Changes of what is sent or how a response is read, with the same Rust API.
    pub wire: usize,
    /// Changes of documentation only.
    pub docs: usize,
}

/// Everything that differs, in a fixed order: the crate root, operations by `Client` method,
/// types by path, security statics; within each, in the order of [`compare`]'s checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiDiff {
    /// The most severe impact of any change.
    pub class: Class,
    /// How many changes of each impact.
    pub counts: Counts,
    /// Every change, in the order described above.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// Whether anything at all differs (docs and wire included).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The last line of the report: `api change: <class>`, with the counts when not empty.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let counts: Vec<String> = [
            (c.breaking, "breaking"),
            (c.additive, "additive"),
            (c.wire, "wire only"),
            (c.docs, "docs only"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, label)| format!("{n} {label}"))
        .collect();
        if counts.is_empty() {
            format!("api change: {}", self.class.as_str())
        } else {
            format!(
                "api change: {} ({})",
                self.class.as_str(),
                counts.join(", ")
            )
        }
    }
}

/// The report: each scope's changes under its heading, then [`ApiDiff::summary`].
impl fmt::Display for ApiDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut scope = None;
        for change in &self.changes {
            if scope != Some(&change.scope) {
                writeln!(f, "{}", change.scope)?;
                scope = Some(&change.scope);
            }
            let separator = if change.detail.is_empty() { "" } else { ": " };
            writeln!(
                f,
                "  {:<8} {} {}{separator}{}",
                change.impact.as_str(),
                change.change.mark(),
                change.item,
                change.detail
            )?;
        }
        write!(f, "{}", self.summary())
    }
}

/// What changed from `old` to `new`.
pub fn compare(old: &Surface, new: &Surface) -> ApiDiff {
    let mut changes = Vec::new();
    crate_root(&mut changes, old, new);
    operations(&mut changes, old, new);
    types(&mut changes, old, new);
    security(&mut changes, old, new);
    webhook_names(&mut changes, old, new);
    let mut counts = Counts::default();
    for change in &changes {
        *match change.impact {
            Impact::Breaking => &mut counts.breaking,
            Impact::Additive => &mut counts.additive,
            Impact::Wire => &mut counts.wire,
            Impact::Docs => &mut counts.docs,
        } += 1;
    }
    let class = match changes.iter().map(|c| c.impact).max() {
        Some(Impact::Breaking) => Class::Breaking,
        Some(Impact::Additive) => Class::Additive,
        _ => Class::None,
    };
    ApiDiff {
        class,
        counts,
        changes,
    }
}

fn crate_root(changes: &mut Vec<Change>, old: &Surface, new: &Surface) {
    let mut root = Scope::new(changes, "crate root".to_owned());
    if old.base_url != new.base_url {
        let detail = format!("`{}` -> `{}`", old.base_url, new.base_url);
        root.changed("`BASE_URL`", Impact::Wire, detail);
    }
    if old.doc != new.doc {
        root.changed("module docs", Impact::Docs, "");
    }
}

/// An item only one side has: removed (breaking) or added (additive).
fn presence(scope: &mut Scope<'_>, item: String, removed: bool, detail: String) {
    if removed {
        scope.push(item, ChangeKind::Removed, Impact::Breaking, detail);
    } else {
        scope.push(item, ChangeKind::Added, Impact::Additive, detail);
    }
}

fn operations(changes: &mut Vec<Change>, old: &Surface, new: &Surface) {
    for (key, before, after) in pairs(&old.operations, &new.operations) {
        let id = after.or(before).map_or(key, |op| op.id.as_str());
        let mut scope = Scope::new(changes, format!("operation `{id}` (`Client::{key}`)"));
        let item = format!("method `Client::{key}`");
        match (before, after) {
            (Some(before), Some(after)) => operation(&mut scope, key, before, after),
            (Some(only), None) | (None, Some(only)) => {
                let removed = after.is_none();
                let (own, other) = sides(removed, &old.operations, &new.operations);
                let hint = counterpart(key, only, other, own, op_shape);
                presence(
                    &mut scope,
                    item,
                    removed,
                    format!("with `{}`{hint}", only.builder),
                );
            }
            (None, None) => {}
        }
    }
}

fn types(changes: &mut Vec<Change>, old: &Surface, new: &Surface) {
    for (path, before, after) in pairs(&old.types, &new.types) {
        let mut scope = Scope::new(changes, format!("type `{path}`"));
        match (before, after) {
            (Some(before), Some(after)) => type_item(&mut scope, before, after),
            (Some(only), None) | (None, Some(only)) => {
                let removed = after.is_none();
                let (own, other) = sides(removed, &old.types, &new.types);
                let hint = counterpart(path, only, other, own, type_shape);
                let detail = format!("{}{hint}", only.kind.as_str());
                presence(&mut scope, "the type".to_owned(), removed, detail);
            }
            (None, None) => {}
        }
    }
}

fn security(changes: &mut Vec<Change>, old: &Surface, new: &Surface) {
    let mut scope = Scope::new(changes, "security schemes".to_owned());
    for (path, before, after) in pairs(&old.security, &new.security) {
        let item = format!("static `{path}`");
        match (before, after) {
            (Some(before), Some(after)) if before != after => {
                scope.changed(item, Impact::Wire, format!("{before} -> {after}"));
            }
            (Some(_), None) => presence(&mut scope, item, true, String::new()),
            (None, Some(_)) => presence(&mut scope, item, false, String::new()),
            _ => {}
        }
    }
}

/// The names `Webhook::parse` reads: a name gone or new changes which requests it accepts;
/// the API change is the variant's, reported with the enum.
fn webhook_names(changes: &mut Vec<Change>, old: &Surface, new: &Surface) {
    if old.webhook_names == new.webhook_names {
        return;
    }
    let gone = old
        .webhook_names
        .iter()
        .filter(|n| !new.webhook_names.contains(n));
    let came = new
        .webhook_names
        .iter()
        .filter(|n| !old.webhook_names.contains(n));
    let detail: Vec<String> = gone
        .map(|n| format!("-{n}"))
        .chain(came.map(|n| format!("+{n}")))
        .collect();
    let detail = if detail.is_empty() {
        "reordered".to_owned()
    } else {
        detail.join("; ")
    };
    let mut scope = Scope::new(changes, "webhooks".to_owned());
    scope.changed("`Webhook::NAMES`", Impact::Wire, detail);
}

/// The map an item only one side has is in, and the other side's.
fn sides<'a, V>(
    removed: bool,
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
) -> (&'a BTreeMap<String, V>, &'a BTreeMap<String, V>) {
    if removed { (old, new) } else { (new, old) }
}

/// Collects the changes of one operation or type.
struct Scope<'a> {
    changes: &'a mut Vec<Change>,
    name: String,
}

impl<'a> Scope<'a> {
    fn new(changes: &'a mut Vec<Change>, name: String) -> Self {
        Scope { changes, name }
    }

    fn push(
        &mut self,
        item: impl Into<String>,
        change: ChangeKind,
        impact: Impact,
        detail: impl Into<String>,
    ) {
        self.changes.push(Change {
            scope: self.name.clone(),
            item: item.into(),
            change,
            impact,
            detail: detail.into(),
        });
    }

    fn changed(&mut self, item: impl Into<String>, impact: Impact, detail: impl Into<String>) {
        self.push(item, ChangeKind::Changed, impact, detail);
    }
}

/// Every key of either map, sorted, with the value on each side.
fn pairs<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
) -> Vec<(&'a str, Option<&'a V>, Option<&'a V>)> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .map(|key| (key.as_str(), old.get(key), new.get(key)))
        .collect()
}

/// For an item only one side has (`key` in `own`): the single item of the same shape only the
/// other side has, as a note that the two may be one rename.
fn counterpart<V>(
    key: &str,
    value: &V,
    other: &BTreeMap<String, V>,
    own: &BTreeMap<String, V>,
    shape: fn(&V) -> String,
) -> String {
    let wanted = shape(value);
    let mut matches = other
        .iter()
        .filter(|(k, v)| !own.contains_key(*k) && *k != key && shape(v) == wanted);
    match (matches.next(), matches.next()) {
        (Some((name, _)), None) => {
            format!(" (same shape as `{name}` on the other side: a rename?)")
        }
        _ => String::new(),
    }
}

fn op_shape(op: &OperationItem) -> String {
    let args: Vec<&str> = op.args.iter().map(|a| a.resolved.as_str()).collect();
    format!(
        "({}) -> {}, {}",
        args.join(", "),
        op.output_resolved,
        op.error_resolved
    )
}

fn type_shape(item: &TypeItem) -> String {
    let members: Vec<String> = item
        .members
        .iter()
        .map(|(name, m)| format!("{name}: {:?}", m.resolved))
        .collect();
    format!(
        "{} {:?} {}",
        item.kind.as_str(),
        item.alias,
        members.join(", ")
    )
}

fn member_shape(member: &Member) -> String {
    member.resolved.clone().unwrap_or_default()
}

fn input_shape(input: &Input) -> String {
    input.resolved.clone()
}

/// Said of a type written differently that an alias makes the same.
const SAME_TYPE: &str = " (the same type through a type alias)";

fn signature(args: &[Input]) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|a| format!("{}: {}", a.name, a.ty))
        .collect();
    format!("({})", args.join(", "))
}

fn operation(scope: &mut Scope<'_>, method: &str, old: &OperationItem, new: &OperationItem) {
    for (item, before, after) in [
        ("request builder", &old.builder, &new.builder),
        ("operation static", &old.static_name, &new.static_name),
    ] {
        if before != after {
            scope.changed(item, Impact::Breaking, format!("`{before}` -> `{after}`"));
        }
    }
    for (item, before, after) in [
        (
            "`send()` success type",
            (&old.output, &old.output_resolved),
            (&new.output, &new.output_resolved),
        ),
        (
            "`send()` error type",
            (&old.error, &old.error_resolved),
            (&new.error, &new.error_resolved),
        ),
    ] {
        result_type(scope, item, before, after);
    }
    arguments(scope, method, &old.args, &new.args);
    setters(scope, &new.builder, &old.setters, &new.setters);
    waiters(scope, &new.builder, &old.waiters, &new.waiters);
    let into_stream = ("`into_stream()`", "items", "`into_stream()` item type");
    stream_method(
        scope,
        into_stream,
        (&old.stream_item, &old.stream_item_resolved),
        (&new.stream_item, &new.stream_item_resolved),
    );
    let send_streaming = ("`send_streaming()`", "body", "`send_streaming()` body type");
    stream_method(
        scope,
        send_streaming,
        (&old.streaming, &old.streaming_resolved),
        (&new.streaming, &new.streaming_resolved),
    );
    requirements(scope, &old.security, &new.security);
    if old.deprecated != new.deprecated {
        // Semver: a deprecation is a minor release.
        let detail = if new.deprecated { "now" } else { "no longer" };
        let detail = format!("{detail} `#[deprecated]`");
        scope.changed(
            format!("method `Client::{method}`"),
            Impact::Additive,
            detail,
        );
    }
    if old.http != new.http {
        let detail = format!("`{}` -> `{}`", old.http, new.http);
        scope.changed("HTTP method and path", Impact::Wire, detail);
    }
    if old.responses != new.responses {
        let gone = old.responses.iter().filter(|r| !new.responses.contains(r));
        let came = new.responses.iter().filter(|r| !old.responses.contains(r));
        let detail: Vec<String> = gone
            .map(|r| format!("-{r}"))
            .chain(came.map(|r| format!("+{r}")))
            .collect();
        scope.changed("documented responses", Impact::Wire, detail.join("; "));
    }
    if old.envelope != new.envelope {
        let detail = format!("{} -> {}", old.envelope, new.envelope);
        scope.changed("response envelope", Impact::Wire, detail);
    }
    if old.accept != new.accept {
        let text = |accept: &Option<String>| {
            accept
                .clone()
                .unwrap_or_else(|| "the runtime's default".to_owned())
        };
        let detail = format!("{} -> {}", text(&old.accept), text(&new.accept));
        scope.changed("`Accept` header", Impact::Wire, detail);
    }
    if old.doc != new.doc {
        scope.changed(format!("docs of `Client::{method}`"), Impact::Docs, "");
    }
}

/// The credentials an operation needs. Callers still compile whatever changes, but one whose
/// credentials met an old requirement and meet no new one (no new requirement asks for a
/// subset of them) is refused before sending: breaking. Any other change is on the wire.
fn requirements(scope: &mut Scope<'_>, old: &[Vec<String>], new: &[Vec<String>]) {
    if old == new {
        return;
    }
    let text = |requirements: &[Vec<String>]| -> String {
        let alternatives: Vec<String> = requirements
            .iter()
            .map(|schemes| format!("{{{}}}", schemes.join(" + ")))
            .collect();
        match alternatives.is_empty() {
            true => "none".to_owned(),
            false => alternatives.join(" or "),
        }
    };
    let detail = format!("{} -> {}", text(old), text(new));
    // No requirement at all is one that asks for nothing.
    let alternatives = |requirements: &[Vec<String>]| match requirements.is_empty() {
        true => vec![Vec::new()],
        false => requirements.to_vec(),
    };
    let needed = alternatives(new);
    let suffices = |held: &Vec<String>| {
        needed
            .iter()
            .any(|needed| needed.iter().all(|scheme| held.contains(scheme)))
    };
    let impact = match alternatives(old).iter().all(suffices) {
        true => Impact::Wire,
        false => Impact::Breaking,
    };
    scope.changed("security requirements", impact, detail);
}

/// The `Client` method's positional arguments: their types are the signature; their names
/// only show in docs.
fn arguments(scope: &mut Scope<'_>, method: &str, old: &[Input], new: &[Input]) {
    let arguments = format!("arguments of `Client::{method}`");
    let field = |args: &[Input], get: fn(&Input) -> &String| {
        args.iter().map(get).cloned().collect::<Vec<_>>()
    };
    let detail = format!("{} -> {}", signature(old), signature(new));
    if field(old, |a| &a.resolved) != field(new, |a| &a.resolved) {
        scope.changed(arguments, Impact::Breaking, detail);
    } else if is_reordering(old, new) {
        // Arguments of one type swapped: callers still compile, and send each value to the
        // other's place.
        scope.changed(format!("{arguments} reordered"), Impact::Breaking, detail);
    } else {
        if field(old, |a| &a.ty) != field(new, |a| &a.ty) {
            let item = format!("{arguments} (through type aliases, the same types)");
            scope.changed(item, Impact::Docs, detail.clone());
        }
        if field(old, |a| &a.wire) != field(new, |a| &a.wire) {
            let wires = |args: &[Input]| field(args, |a| &a.wire).join(", ");
            let detail = format!("{} -> {}", wires(old), wires(new));
            scope.changed(format!("{arguments} on the wire"), Impact::Wire, detail);
        }
        if field(old, |a| &a.name) != field(new, |a| &a.name) {
            // Callers pass arguments by position: their names only show in docs.
            scope.changed(format!("{arguments} (names only)"), Impact::Docs, detail);
        }
        if field(old, |a| &a.doc) != field(new, |a| &a.doc) {
            scope.changed(format!("docs of the {arguments}"), Impact::Docs, "");
        }
    }
}

/// Whether `new` holds the same arguments (where each goes, and its type) as `old` in
/// another order.
fn is_reordering(old: &[Input], new: &[Input]) -> bool {
    let entries = |args: &[Input]| -> Vec<(String, String)> {
        args.iter()
            .map(|a| (a.wire.clone(), a.resolved.clone()))
            .collect()
    };
    let (before, after) = (entries(old), entries(new));
    let sorted = |mut entries: Vec<(String, String)>| {
        entries.sort();
        entries
    };
    before != after && sorted(before) == sorted(after)
}

/// A type callers receive, as (written, resolved): breaking when the resolved form differs,
/// docs only when just the spelling does.
fn result_type(
    scope: &mut Scope<'_>,
    item: &str,
    (before, before_resolved): (&String, &String),
    (after, after_resolved): (&String, &String),
) {
    let detail = format!("`{before}` -> `{after}`");
    if before_resolved != after_resolved {
        scope.changed(item, Impact::Breaking, detail);
    } else if before != after {
        scope.changed(item, Impact::Docs, format!("{detail}{SAME_TYPE}"));
    }
}

/// A method that exists when the operation streams (`into_stream`, `send_streaming`):
/// its name, what its type is (`items`), and the item naming a change of that type; each
/// side's type as (written, resolved).
fn stream_method(
    scope: &mut Scope<'_>,
    (method, what, type_item): (&str, &str, &str),
    (old, old_resolved): (&Option<String>, &Option<String>),
    (new, new_resolved): (&Option<String>, &Option<String>),
) {
    match (old, new) {
        (None, Some(ty)) => scope.push(
            method,
            ChangeKind::Added,
            Impact::Additive,
            format!("{what} `{ty}`"),
        ),
        (Some(ty), None) => scope.push(
            method,
            ChangeKind::Removed,
            Impact::Breaking,
            format!("{what} `{ty}`"),
        ),
        (Some(before), Some(after)) => {
            let resolved = |ty: &Option<String>| ty.clone().unwrap_or_default();
            result_type(
                scope,
                type_item,
                (before, &resolved(old_resolved)),
                (after, &resolved(new_resolved)),
            );
        }
        (None, None) => {}
    }
}

/// Waiters, one change each naming both methods: a new one is additive, a removed one breaks
/// callers, a changed rule (another field, other ending values or checked parameters, other
/// timing) compiles but waits differently, and other documented keep-waiting values are docs.
fn waiters(
    scope: &mut Scope<'_>,
    builder: &str,
    old: &BTreeMap<String, WaiterItem>,
    new: &BTreeMap<String, WaiterItem>,
) {
    for (name, before, after) in pairs(old, new) {
        let with = after.or(before).map_or("", |w| w.method_with.as_str());
        let item = format!("waiter `{builder}::{name}` and `{builder}::{with}`");
        match (before, after) {
            (None, Some(w)) => scope.push(item, ChangeKind::Added, Impact::Additive, &w.rule),
            (Some(w), None) => scope.push(item, ChangeKind::Removed, Impact::Breaking, &w.rule),
            (Some(before), Some(after)) => {
                if before.rule != after.rule {
                    let detail = format!("{} -> {}", before.rule, after.rule);
                    scope.changed(item.clone(), Impact::Wire, detail);
                }
                if before.keep_waiting != after.keep_waiting {
                    let detail = format!(
                        "keep waiting {:?} -> {:?}",
                        before.keep_waiting, after.keep_waiting
                    );
                    scope.changed(format!("docs of {item}"), Impact::Docs, detail);
                }
            }
            (None, None) => {}
        }
    }
}

fn setters(
    scope: &mut Scope<'_>,
    builder: &str,
    old: &BTreeMap<String, Input>,
    new: &BTreeMap<String, Input>,
) {
    for (name, before, after) in pairs(old, new) {
        let item = format!("setter `{builder}::{name}`");
        match (before, after) {
            (Some(before), Some(after)) => {
                let detail = format!("`{}` -> `{}`", before.ty, after.ty);
                if before.resolved != after.resolved {
                    scope.changed(item.clone(), Impact::Breaking, detail);
                } else if before.ty != after.ty {
                    scope.changed(item.clone(), Impact::Docs, format!("{detail}{SAME_TYPE}"));
                }
                if before.wire != after.wire {
                    let detail = format!("{} -> {}", before.wire, after.wire);
                    scope.changed(item.clone(), Impact::Wire, detail);
                }
                if before.doc != after.doc {
                    scope.changed(format!("docs of {item}"), Impact::Docs, "");
                }
            }
            (Some(only), None) | (None, Some(only)) => {
                let removed = after.is_none();
                let (own, other) = sides(removed, old, new);
                let hint = counterpart(name, only, other, own, input_shape);
                let detail = format!("`{}` ({}){hint}", only.ty, only.wire);
                presence(scope, item, removed, detail);
            }
            (None, None) => {}
        }
    }
}

fn type_item(scope: &mut Scope<'_>, old: &TypeItem, new: &TypeItem) {
    if old.kind != new.kind {
        let detail = format!("{} -> {}", old.kind.as_str(), new.kind.as_str());
        scope.changed("kind", Impact::Breaking, detail);
        return;
    }
    if old.alias != new.alias {
        let show = |alias: &Option<String>| alias.clone().unwrap_or_default();
        let detail = format!("`{}` -> `{}`", show(&old.alias), show(&new.alias));
        scope.changed("aliased type", Impact::Breaking, detail);
    }
    match (old.non_exhaustive, new.non_exhaustive) {
        (false, true) => {
            let detail = match new.kind {
                ItemKind::Struct => "struct literals outside the crate no longer compile",
                _ => "matches must now have a wildcard arm",
            };
            scope.changed("now `#[non_exhaustive]`", Impact::Breaking, detail);
        }
        (true, false) => scope.changed("no longer `#[non_exhaustive]`", Impact::Additive, ""),
        _ => {}
    }
    for lost in old.traits.difference(&new.traits) {
        scope.push(
            format!("impl `{lost}`"),
            ChangeKind::Removed,
            Impact::Breaking,
            "",
        );
    }
    for gained in new.traits.difference(&old.traits) {
        scope.push(
            format!("impl `{gained}`"),
            ChangeKind::Added,
            Impact::Additive,
            "",
        );
    }
    members(scope, old, new);
    if old.doc != new.doc {
        scope.changed("docs of the type", Impact::Docs, "");
    }
}

fn members(scope: &mut Scope<'_>, old: &TypeItem, new: &TypeItem) {
    let noun = new.kind.member();
    let shape = |m: &Member| {
        m.ty.as_deref()
            .map(|ty| format!("`{ty}`"))
            .unwrap_or_else(|| "unit".to_owned())
    };
    for (name, before, after) in pairs(&old.members, &new.members) {
        let item = format!("{noun} `{name}`");
        match (before, after) {
            (Some(before), Some(after)) => {
                let detail = type_change(&shape(before), &shape(after), before, after);
                if before.resolved != after.resolved {
                    scope.changed(item.clone(), Impact::Breaking, detail);
                } else if before.ty != after.ty {
                    scope.changed(item.clone(), Impact::Docs, format!("{detail}{SAME_TYPE}"));
                }
                if before.wire != after.wire {
                    let detail = format!("`{}` -> `{}` on the wire", before.wire, after.wire);
                    scope.changed(item.clone(), Impact::Wire, detail);
                }
                if before.doc != after.doc {
                    scope.changed(format!("docs of {item}"), Impact::Docs, "");
                }
            }
            (Some(before), None) => {
                let hint = counterpart(name, before, &new.members, &old.members, member_shape);
                let detail = format!("{} (`{}` on the wire){hint}", shape(before), before.wire);
                scope.push(item, ChangeKind::Removed, Impact::Breaking, detail);
            }
            (None, Some(after)) => {
                let hint = counterpart(name, after, &old.members, &new.members, member_shape);
                let (impact, why) = new_member_impact(old, new.kind);
                let detail = format!("{} (`{}` on the wire){hint}{why}", shape(after), after.wire);
                scope.push(item, ChangeKind::Added, impact, detail);
            }
            (None, None) => {}
        }
    }
}

/// A new field or variant breaks only callers who could build or exhaustively match the old
/// type from outside the crate, which `#[non_exhaustive]` prevented.
fn new_member_impact(old: &TypeItem, kind: ItemKind) -> (Impact, &'static str) {
    match (old.non_exhaustive, kind) {
        (true, _) => (Impact::Additive, ""),
        (false, ItemKind::Struct) => (
            Impact::Breaking,
            "; the struct was not `#[non_exhaustive]`, so struct literals must now set it",
        ),
        (false, _) => (
            Impact::Breaking,
            "; the enum was not `#[non_exhaustive]`, so exhaustive matches miss it",
        ),
    }
}

/// `a -> b`, naming the common case of a value becoming optional or required.
fn type_change(before: &str, after: &str, old: &Member, new: &Member) -> String {
    let optional_of = |outer: &Member, inner: &Member| match (&outer.resolved, &inner.resolved) {
        (Some(outer), Some(inner)) => *outer == format!("Option<{inner}>"),
        _ => false,
    };
    if optional_of(new, old) {
        format!("{before} -> {after} (now optional)")
    } else if optional_of(old, new) {
        format!("{before} -> {after} (now required)")
    } else {
        format!("{before} -> {after}")
    }
}
