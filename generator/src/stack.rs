//! Generation on a thread with a stack sized for the deepest spec the parsers accept.
//!
//! Parsing (serde's untagged and flattened `openapiv3` types) and schema conversion recurse
//! once per nesting level, with frames of tens of KiB in a debug build: a 2 MiB thread (a
//! test's, or a caller's worker) overflowed at ~80 levels of JSON, which serde_json and
//! serde_yaml accept up to 128. Only the pages a thread touches are committed, so reserving
//! 256 MiB costs nothing for the usual spec.

use crate::GenerateError;

/// The stack of the generating thread.
const STACK: usize = 256 << 20;

/// Runs `generate` on a thread with [`STACK`] bytes of stack; `file` names the spec in the
/// (internal) errors of starting or joining it.
pub(crate) fn on_deep_stack<T: Send>(
    file: &str,
    generate: impl FnOnce() -> Result<T, GenerateError> + Send,
) -> Result<T, GenerateError> {
    let internal = |what: String| GenerateError::at(file, "#", format!("internal error: {what}"));
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("sdkgen".into())
            .stack_size(STACK)
            .spawn_scoped(scope, generate)
            .map_err(|e| internal(format!("cannot start the generating thread: {e}")))?
            .join()
            .unwrap_or_else(|_| Err(internal("generation panicked".into())))
    })
}
