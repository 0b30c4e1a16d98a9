//! JSON Lines bodies (`application/x-ndjson`, `application/jsonl`, `application/x-jsonlines`):
//! one JSON value per line. [`RawResponse::json_lines`] reads a whole (size-limited) body into
//! a `Vec`; [`Client::execute_json_lines`] hands the items over as a [`JsonLines`] stream,
//! decoding each line as it arrives, so an export of any length is read in bounded memory.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::client::{Client, Decode};
use crate::envelope::decode;
use crate::error::{DecodeError, Error};
use crate::request::Request;
use crate::response::{RawResponse, Response};
use crate::stream::BodyError;

/// Why an item of a [`JsonLines`] stream could not be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// The body stalled or broke off; the stream ends.
    #[error(transparent)]
    Body(#[from] BodyError),
    /// A line grew past the limit without ending; the stream ends.
    #[error("line {line} of the body is longer than {limit} bytes")]
    TooLong {
        /// The line's number (1-based).
        line: u64,
        /// The limit: the client's maximum body size.
        limit: u64,
    },
    /// A line is not the documented item; the stream goes on with the next line.
    #[error("line {line} of the body: {source}")]
    Decode {
        /// The line's number (1-based).
        line: u64,
        /// Where in the line's JSON it failed.
        source: DecodeError,
    },
}

/// The items of a JSON Lines body, decoded as their lines arrive. Blank lines are skipped;
/// a last line without a newline counts. Only the current line is buffered.
pub struct JsonLines<T> {
    items: Pin<Box<dyn Stream<Item = Result<T, LineError>> + Send>>,
}

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, BodyError>> + Send>>;

/// Where the reading is: the body, the bytes of an unfinished line, how far they were
/// searched for a newline, and the number of the next line.
struct Reading {
    body: Chunks,
    pending: BytesMut,
    searched: usize,
    line: u64,
    limit: u64,
    ended: bool,
}

impl<T: DeserializeOwned + Send + 'static> JsonLines<T> {
    /// Decodes `body` (a [`ByteStream`](crate::ByteStream), or any stream of chunks) line by line; a line
    /// longer than `limit` bytes ends the stream with [`LineError::TooLong`].
    pub fn new<B>(body: B, limit: u64) -> JsonLines<T>
    where
        B: Stream<Item = Result<Bytes, BodyError>> + Send + 'static,
    {
        let start = Some(Reading {
            body: Box::pin(body),
            pending: BytesMut::new(),
            searched: 0,
            line: 0,
            limit,
            ended: false,
        });
        let items = futures_util::stream::unfold(start, |state| async move {
            let mut reading = state?;
            loop {
                let line = match reading.next_line().await {
                    Ok(Some(line)) => line,
                    Ok(None) => return None,
                    Err(error) => return Some((Err(error), None)),
                };
                if line.trim_ascii().is_empty() {
                    continue;
                }
                let item = decode(&line, PhantomData::<T>).map_err(|source| LineError::Decode {
                    line: reading.line,
                    source,
                });
                return Some((item, Some(reading)));
            }
        });
        JsonLines {
            items: Box::pin(items),
        }
    }
}

impl Reading {
    /// The next line (without its `\n`), `None` at the end of the body.
    async fn next_line(&mut self) -> Result<Option<BytesMut>, LineError> {
        loop {
            if let Some(at) = self.pending[self.searched..]
                .iter()
                .position(|&b| b == b'\n')
            {
                let mut line = self.pending.split_to(self.searched + at + 1);
                line.truncate(line.len() - 1);
                self.searched = 0;
                self.line += 1;
                return Ok(Some(line));
            }
            self.searched = self.pending.len();
            if self.ended {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                self.searched = 0;
                self.line += 1;
                return Ok(Some(self.pending.split()));
            }
            if u64::try_from(self.pending.len()).unwrap_or(u64::MAX) > self.limit {
                return Err(LineError::TooLong {
                    line: self.line + 1,
                    limit: self.limit,
                });
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.pending.extend_from_slice(&chunk),
                Some(Err(error)) => return Err(error.into()),
                None => self.ended = true,
            }
        }
    }
}

impl<T> Stream for JsonLines<T> {
    type Item = Result<T, LineError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines").finish_non_exhaustive()
    }
}

impl RawResponse {
    /// The body as JSON Lines: one `T` per non-blank line. A line that does not decode fails
    /// the whole body, naming the item (`[2].name`) and the line.
    pub fn json_lines<T: DeserializeOwned>(&mut self) -> Result<Vec<T>, DecodeError> {
        let lines = self.body.split(|&b| b == b'\n').enumerate();
        let mut items = Vec::new();
        for (number, line) in lines.filter(|(_, line)| !line.trim_ascii().is_empty()) {
            let item = decode(line, PhantomData::<T>).map_err(|error| {
                let index = items.len();
                let path = match error.path.as_str() {
                    "." => format!("[{index}]"),
                    path => format!("[{index}].{path}"),
                };
                DecodeError::new(path, format!("line {}: {}", number + 1, error.message))
            })?;
            items.push(item);
        }
        Ok(items)
    }
}

impl Client {
    /// Like [`execute_streaming`](Client::execute_streaming), for a JSON Lines success body:
    /// its items as a [`JsonLines`] stream (each line at most
    /// [`max_body_size`](crate::ClientBuilder::max_body_size) bytes). `decode` is the
    /// operation's, whose success type is the items read whole.
    pub async fn execute_json_lines<T, E>(
        &self,
        request: Request,
        decode: Decode<Vec<T>, E>,
    ) -> Result<Response<JsonLines<T>>, Error<E>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let response = self.execute_streaming(request, decode).await?;
        Ok(Response {
            status: response.status,
            headers: response.headers,
            request_id: response.request_id,
            body: JsonLines::new(response.body, self.max_body_size()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Method, Operation};
    use http::{HeaderMap, StatusCode};

    static LINES: Operation = Operation {
        id: "lines",
        method: Method::Get,
        path: "/",
        security: &[],
        envelope: None,
        request_id_header: None,
    };

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Item {
        id: u32,
    }

    fn chunks(parts: &[&'static str]) -> impl Stream<Item = Result<Bytes, BodyError>> + use<> {
        let chunks: Vec<_> = parts
            .iter()
            .map(|p| Ok(Bytes::from_static(p.as_bytes())))
            .collect();
        futures_util::stream::iter(chunks)
    }

    async fn collect(stream: JsonLines<Item>) -> Vec<Result<Item, String>> {
        stream
            .map(|item| item.map_err(|e| e.to_string()))
            .collect()
            .await
    }

    #[tokio::test]
    async fn lines_split_across_chunks_decode_in_order() {
        let body = chunks(&["{\"id\":1}\n{\"i", "d\":2}\r\n\n", "{\"id\":3}"]);
        let items = collect(JsonLines::new(body, 1024)).await;
        assert_eq!(
            items,
            vec![Ok(Item { id: 1 }), Ok(Item { id: 2 }), Ok(Item { id: 3 })]
        );
    }

    #[tokio::test]
    async fn a_bad_line_is_reported_and_the_stream_goes_on() {
        let body = chunks(&["{\"id\":1}\n{\"id\":\"x\"}\n{\"id\":3}\n"]);
        let items = collect(JsonLines::new(body, 1024)).await;
        assert_eq!(items[0], Ok(Item { id: 1 }));
        let error = items[1].as_ref().unwrap_err();
        assert!(error.starts_with("line 2 of the body: at `id`"), "{error}");
        assert_eq!(items[2], Ok(Item { id: 3 }));
    }

    #[tokio::test]
    async fn a_line_past_the_limit_ends_the_stream() {
        let body = chunks(&[
            "{\"id\":1}\n",
            "[1,2,3,4,5,6,7,8,9",
            ",10,11,12]\n{\"id\":2}\n",
        ]);
        let items = collect(JsonLines::new(body, 16)).await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(
            items[1],
            Err("line 2 of the body is longer than 16 bytes".into())
        );
    }

    #[test]
    fn a_whole_body_decodes_into_a_vec_naming_the_bad_item() {
        let body = "{\"id\":1}\n\n{\"id\":2}\n";
        let mut raw = RawResponse::new(&LINES, StatusCode::OK, HeaderMap::new(), body.into());
        assert_eq!(
            raw.json_lines::<Item>(),
            Ok(vec![Item { id: 1 }, Item { id: 2 }])
        );
        let body = "{\"id\":1}\n\n{\"id\":true}\n";
        let mut raw = RawResponse::new(&LINES, StatusCode::OK, HeaderMap::new(), body.into());
        let error = raw.json_lines::<Item>().unwrap_err();
        assert_eq!(error.path, "[1].id");
        assert!(error.message.starts_with("line 3: "), "{}", error.message);
    }
}
