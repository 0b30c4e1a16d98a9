//! A response body handed over unread, for large binary responses
//! ([`Client::execute_streaming`](crate::Client::execute_streaming)).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;

/// The body of a streamed response, as chunks in arrival order. Nothing is buffered beyond
/// the chunk being handed over; each chunk must arrive within the client's per-attempt
/// timeout of the previous one, else the stream yields [`BodyError::Stalled`] and ends.
pub struct ByteStream {
    chunks: Pin<Box<dyn Stream<Item = Result<Bytes, BodyError>> + Send>>,
}

/// Why a streamed body ended early.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// No data for longer than the idle limit.
    #[error("the response body stalled: nothing for {idle:?} after {received} bytes")]
    Stalled {
        /// The idle limit (the client's per-attempt timeout).
        idle: Duration,
        /// Bytes received before it stalled.
        received: u64,
    },
    /// The connection failed or closed before the end of the body.
    #[error("the response body broke off after {received} bytes: {source}")]
    BrokeOff {
        /// Bytes received before it broke off.
        received: u64,
        /// The transport error (its URL removed).
        source: reqwest::Error,
    },
}

/// Where a live stream is: the response still being read and the bytes so far.
struct Reading {
    response: reqwest::Response,
    idle: Duration,
    received: u64,
}

impl ByteStream {
    /// Reads `response` chunk by chunk, each within `idle` of the previous one.
    pub(crate) fn live(response: reqwest::Response, idle: Duration) -> ByteStream {
        let start = Some(Reading {
            response,
            idle,
            received: 0,
        });
        let chunks = futures_util::stream::unfold(start, |state| async move {
            let mut reading = state?;
            let received = reading.received;
            let next = tokio::time::timeout(reading.idle, reading.response.chunk()).await;
            match next {
                Err(_) => {
                    let idle = reading.idle;
                    Some((Err(BodyError::Stalled { idle, received }), None))
                }
                Ok(Err(source)) => {
                    let source = source.without_url();
                    Some((Err(BodyError::BrokeOff { received, source }), None))
                }
                Ok(Ok(None)) => None,
                Ok(Ok(Some(chunk))) => {
                    let length = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
                    reading.received = received.saturating_add(length);
                    Some((Ok(chunk), Some(reading)))
                }
            }
        });
        ByteStream {
            chunks: Box::pin(chunks),
        }
    }

    /// A body that was already read, as one chunk (none if empty).
    pub(crate) fn whole(body: Bytes) -> ByteStream {
        let chunk = (!body.is_empty()).then_some(Ok(body));
        ByteStream {
            chunks: Box::pin(futures_util::stream::iter(chunk)),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}
