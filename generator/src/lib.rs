//! `sdkgen`: an OpenAPI 3.0 or 3.1 document (YAML or JSON) to the Rust source of a typed
//! async client: model types, one request builder per operation, calling `sdkgen-runtime`, and
//! a typed webhook parser when the document has webhooks.
//!
//! Pipeline: [`load`] (text -> raw JSON value -> version -> for 3.1, the 3.0 shape ->
//! `openapiv3` document; syntax errors carry file:line:column) -> [`ir`] (plain data: resolved types and operations, every Rust name
//! decided once by [`naming`]) -> [`emit`] (quote tokens -> syn -> prettyplease, one string per
//! file). It knows no vendor: the `x-sdk-*` extensions of `schema/EXTENSIONS.md` shape the
//! output, and security-scheme extensions pass through as JSON text.
//!
//! Type mapping decisions are documented on [`ir`]. Unsupported constructs never panic: they
//! are errors naming the JSON pointer, or [`Warning`]s with a documented fallback
//! (`serde_json::Value` for a schema, JSON text for a parameter, ignoring an `Accept`,
//! `Content-Type` or `Authorization` header parameter).

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod naming;
mod stack;
mod standalone;
pub mod surface;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::{GenerateError, Location, Warning};
pub use standalone::{RuntimeDependency, standalone_crate};

/// Generation settings (a builder: `Settings::default().runtime_crate("my_runtime")`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// Path of the runtime crate in generated code.
    pub runtime_crate: String,
    /// The path users write to reach the generated tree (`my_api`, `my_crate::api`), for doc
    /// examples: with it they are doctests, without it they are shown but not compiled.
    pub crate_path: Option<String>,
    /// Whether to emit `call.rs`: every operation callable by its id with JSON parameters.
    pub call_module: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime_crate: "sdkgen_runtime".to_owned(),
            crate_path: None,
            call_module: false,
        }
    }
}

impl Settings {
    /// Sets the path generated code uses for the runtime crate (default `sdkgen_runtime`).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = path.into();
        self
    }

    /// Sets the path users reach the generated tree by, which doc examples use (doctests).
    pub fn crate_path(mut self, path: impl Into<String>) -> Self {
        self.crate_path = Some(path.into());
        self
    }

    /// Also emits `call.rs`, `call(client, operationId, params_json, dry_run)`: every
    /// operation by name, its JSON parameters decoded into the typed builder (for
    /// command-line tools and wire tests). Off by default.
    pub fn call_module(mut self, emit: bool) -> Self {
        self.call_module = emit;
        self
    }
}

/// The generated module tree: relative path (`mod.rs`, `models/image.rs`, ...) -> contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Path relative to the tree's root (`mod.rs`, `models/image.rs`, ...) -> file contents.
    pub files: BTreeMap<String, String>,
    /// Constructs generation fell back on, in spec order, each with its JSON pointer.
    pub warnings: Vec<Warning>,
}

/// Generates from a spec file.
pub fn generate_file(path: &Path, settings: &Settings) -> Result<Generated, GenerateError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| GenerateError::at(&name, "#", format!("cannot read: {e}")))?;
    generate_str(&name, &text, settings)
}

/// Generates from spec text; `name` is used in messages and picks JSON (`.json`) or YAML.
///
/// Runs on a thread of its own with a large stack ([`stack`]), so deeply nested specs end in
/// an answer, not a stack overflow, whatever thread calls it.
pub fn generate_str(
    name: &str,
    text: &str,
    settings: &Settings,
) -> Result<Generated, GenerateError> {
    stack::on_deep_stack(name, || generate_here(name, text, settings))
}

fn generate_here(name: &str, text: &str, settings: &Settings) -> Result<Generated, GenerateError> {
    let doc = load::parse(name, text)?;
    let (api, webhooks, ir_warnings) = ir::build_with_webhooks(&doc)?;
    let files = emit::emit_with_webhooks(&api, &webhooks, settings)?;
    let mut warnings = doc.warnings;
    warnings.extend(ir_warnings);
    Ok(Generated { files, warnings })
}
