//! The files that depend on one model home or one operation, built and formatted in parallel.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::file::FileCtx;
use super::format::format_file;
use super::{docs, models, operations};
use crate::Settings;
use crate::error::GenerateError;
use crate::ir::{Api, Home};

/// One file of the tree that depends on a single model home or operation.
pub(super) enum Job<'a> {
    /// A model file: its home, the home's stem and the types that live there.
    Model(&'a Home, &'a str, &'a [usize]),
    Operation(&'a crate::ir::Operation),
}

/// What a job produces: the file's path and contents, and the `(stem, exported items)` line
/// of the index module (`models/mod.rs` or `operations/mod.rs`) that lists it.
pub(super) struct JobOutput {
    pub path: String,
    pub contents: String,
    pub model_index: Option<(String, Vec<String>)>,
    pub operation_index: Option<(String, Vec<String>)>,
}

pub(super) fn runtime_tokens(settings: &Settings) -> Result<TokenStream, GenerateError> {
    let runtime: syn::Path = syn::parse_str(&settings.runtime_crate).map_err(|e| {
        GenerateError::at(
            "settings",
            "#",
            format!(
                "runtime crate `{}` is not a path: {e}",
                settings.runtime_crate
            ),
        )
    })?;
    Ok(quote! { #runtime })
}

fn run_job(
    api: &Api,
    settings: &Settings,
    runtime: &TokenStream,
    by_home: &BTreeMap<&Home, Vec<usize>>,
    job: &Job<'_>,
) -> Result<JobOutput, GenerateError> {
    match job {
        Job::Model(home, stem, ids) => {
            let mut ctx = FileCtx::new(api, Some((*home).clone()), settings, runtime);
            let body = models::types(&mut ctx, ids);
            let path = format!("models/{stem}.rs");
            let doc = docs::inner_doc_attrs(&model_file_doc(api, ids));
            let uses = ctx.use_items();
            let contents = format_file(&path, quote! { #doc #uses #body })?;
            let names = ids.iter().map(|&id| api.types[id].name.clone()).collect();
            Ok(JobOutput {
                path,
                contents,
                model_index: Some((stem.to_string(), names)),
                operation_index: None,
            })
        }
        Job::Operation(op) => {
            let home = Home::Operation(op.file.clone());
            let ids = by_home.get(&home).cloned().unwrap_or_default();
            let mut ctx = FileCtx::new(api, Some(home), settings, runtime);
            let (doc, body, exported) = operations::operation(&mut ctx, op, &ids)?;
            let path = format!("operations/{}.rs", op.file);
            let uses = ctx.use_items();
            let contents = format_file(&path, quote! { #doc #uses #body })?;
            Ok(JobOutput {
                path,
                contents,
                model_index: None,
                operation_index: Some((op.file.clone(), exported)),
            })
        }
    }
}

/// Runs the jobs on every available core: each file's tokens and formatting are independent
/// of the others', and formatting is most of the generation time. Token streams are not
/// `Send`, so each worker builds its own from the shared, read-only IR.
pub(super) fn run_jobs(
    api: &Api,
    settings: &Settings,
    by_home: &BTreeMap<&Home, Vec<usize>>,
    jobs: &[Job<'_>],
) -> Result<Vec<JobOutput>, GenerateError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, jobs.len().max(1));
    // Worker `w` takes jobs w, w + workers, ... in order and stops at its first error, so the
    // error of the lowest-numbered failing job is the one a sequential run would report.
    let work = |worker: usize| -> Result<Vec<JobOutput>, (usize, GenerateError)> {
        let runtime = runtime_tokens(settings).map_err(|e| (0, e))?;
        (worker..jobs.len())
            .step_by(workers)
            .map(|index| {
                run_job(api, settings, &runtime, by_home, &jobs[index]).map_err(|e| (index, e))
            })
            .collect()
    };
    let parts: Vec<_> = if workers == 1 {
        vec![work(0)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|worker| scope.spawn(move || work(worker)))
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle.join().unwrap_or_else(|_| {
                        Err((
                            0,
                            GenerateError::at(
                                "emit",
                                "#",
                                "internal error: an emitter thread panicked",
                            ),
                        ))
                    })
                })
                .collect()
        })
    };
    let mut outputs = Vec::with_capacity(jobs.len());
    let mut first_error: Option<(usize, GenerateError)> = None;
    for part in parts {
        match part {
            Ok(part) => outputs.extend(part),
            Err((index, error)) => {
                if first_error.as_ref().is_none_or(|(first, _)| index < *first) {
                    first_error = Some((index, error));
                }
            }
        }
    }
    match first_error {
        Some((_, error)) => Err(error),
        None => Ok(outputs),
    }
}

/// Names the file's first type: the component it is for (its inline types follow it).
fn model_file_doc(api: &Api, ids: &[usize]) -> String {
    match ids.first().map(|&id| &api.types[id]) {
        Some(first) => format!(
            "The `{}` type (`{}`) and the types it owns.",
            first.name, first.pointer
        ),
        None => "Model types.".to_owned(),
    }
}
