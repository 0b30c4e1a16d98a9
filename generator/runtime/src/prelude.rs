//! The names generated operation modules use, imported with one `use sdkgen_runtime::prelude::*;`.
//!
//! rustc tracks every imported name as an item of its own, re-checked on each incremental
//! compile; one glob per operation module instead of a list of eight or so keeps a crate of
//! hundreds of operations cheaper to re-check. A generated type with one of these names
//! shadows it in the modules that import that type (explicit imports and local items win
//! over a glob), and generated code then names the runtime's item by its full path.

pub use crate::{
    ApiKeyLocation, ArrayStyle, ByteStream, Bytes, DecodeError, Envelope, Error, JsonLines, Method,
    Multipart, Nullable, Operation, Outcome, PathStyle, RawResponse, Request, Response,
    ResponseFuture, SchemeKind, SecurityScheme, Stream, WaitError, WaitOptions, Waiter, call,
    idempotency_token, object, paging, waiter,
};
