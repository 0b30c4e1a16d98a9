//! IR -> Rust source: one `TokenStream` per file (quote), formatted by prettyplease after a
//! syn parse (which also proves each file is valid Rust), with the `@generated` preamble.
//!
//! Files reference each other with `super::` paths only, so the tree can be mounted anywhere;
//! each file imports what it uses with `use` lines, so bodies read with short names. Runtime
//! types are imported too, except one a generated type is named after
//! ([`crate::ir::Api::runtime_imports`]): the user's type keeps its name and the runtime's
//! is written with its crate path.

mod call;
mod docs;
mod file;
mod format;
mod media;
mod models;
mod operations;
mod root;
mod unions;
mod waiters;
mod webhooks;
mod writer;

use std::collections::BTreeMap;

use quote::quote;

pub(crate) use self::file::{FileCtx, ident};
pub use self::format::PREAMBLE;
use self::format::format_file;
use self::root::{client_module, index_module, root_module, security_module};
use self::writer::{Job, run_jobs, runtime_tokens};
use crate::Settings;
use crate::error::GenerateError;
use crate::ir::{Api, Home, Webhooks};

/// Every file of the module tree.
pub fn emit(api: &Api, settings: &Settings) -> Result<BTreeMap<String, String>, GenerateError> {
    emit_with_webhooks(api, &Webhooks::default(), settings)
}

/// Every file of the module tree, with `webhooks.rs` when the document has webhooks.
pub fn emit_with_webhooks(
    api: &Api,
    webhooks: &Webhooks,
    settings: &Settings,
) -> Result<BTreeMap<String, String>, GenerateError> {
    let runtime = runtime_tokens(settings)?;
    let mut files = BTreeMap::new();
    let has_webhooks = !webhooks.hooks.is_empty();
    files.insert(
        "mod.rs".to_owned(),
        format_file(
            "mod.rs",
            root_module(api, has_webhooks, settings.call_module),
        )?,
    );
    if has_webhooks {
        let tokens = webhooks::webhooks_module(api, webhooks, settings, &runtime);
        files.insert(
            "webhooks.rs".to_owned(),
            format_file("webhooks.rs", tokens)?,
        );
    }
    if settings.call_module {
        let mut ctx = FileCtx::new(api, None, settings, &runtime);
        let doc = docs::inner_doc_attrs(
            "Every operation by its operationId, with its parameters as one JSON object.",
        );
        let body = call::call_module(&mut ctx);
        let uses = ctx.use_items();
        files.insert(
            "call.rs".to_owned(),
            format_file("call.rs", quote! { #doc #uses #body })?,
        );
    }
    files.insert(
        "client.rs".to_owned(),
        format_file("client.rs", client_module(api, &runtime))?,
    );
    files.insert(
        "security.rs".to_owned(),
        format_file("security.rs", security_module(api, settings, &runtime))?,
    );

    let mut by_home: BTreeMap<&Home, Vec<usize>> = BTreeMap::new();
    for (id, def) in api.types.iter().enumerate() {
        by_home.entry(&def.home).or_default().push(id);
    }
    let jobs: Vec<Job<'_>> = by_home
        .iter()
        .filter_map(|(home, ids)| match home {
            Home::Model(stem) => Some(Job::Model(home, stem, ids)),
            Home::Operation(_) => None,
        })
        .chain(api.operations.iter().map(Job::Operation))
        .collect();
    let mut model_modules = Vec::new();
    let mut operation_modules = Vec::new();
    for output in run_jobs(api, settings, &by_home, &jobs)? {
        files.insert(output.path, output.contents);
        model_modules.extend(output.model_index);
        operation_modules.extend(output.operation_index);
    }
    // Same order as a sequential run: model homes sorted by stem, operations sorted.
    model_modules.sort();
    operation_modules.sort();
    files.insert("models/mod.rs".to_owned(), format_file("models/mod.rs", index_module(
        "Model types: one module per component schema, with the inline types it owns, all re-exported here.",
        &model_modules,
    ))?);
    files.insert("operations/mod.rs".to_owned(), format_file("operations/mod.rs", index_module(
        "Operations: one module per operation (its request builder, `Client` method, response \
         types and static description), all re-exported here.",
        &operation_modules,
    ))?);
    Ok(files)
}
