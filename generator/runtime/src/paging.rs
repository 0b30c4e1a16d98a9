//! Page-number paging (the spec's `x-sdk-paging` extension) as a `Stream` of items.

use std::future::Future;

use futures_core::Stream;

use crate::{Error, Response};

/// Where the walk through the pages is.
struct Pages<I, F> {
    fetch: F,
    next_page: Option<i64>,
    items: std::vec::IntoIter<I>,
    seen: i64,
    done: bool,
}

/// Streams the items of every page, fetching page `first_page`, then the next, lazily.
///
/// `fetch(n)` fetches page `n`; `split` takes a page apart into its items and the total
/// item count if the service reports one. The stream ends after a page with no items, when
/// the items seen reach the total, or after the first error (which it yields).
///
/// A page is fetched only when the items before it have been taken. The stream is `Send`
/// when `fetch` and its futures are; it is not `Unpin`, so pin it (`std::pin::pin!` or
/// `Box::pin`) to call `StreamExt::next`.
pub fn paginate<P, I, E, F, Fut>(
    first_page: i64,
    fetch: F,
    split: fn(P) -> (Vec<I>, Option<i64>),
) -> impl Stream<Item = Result<I, Error<E>>>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Response<P>, Error<E>>>,
{
    let start = Pages {
        fetch,
        next_page: Some(first_page),
        items: Vec::new().into_iter(),
        seen: 0,
        done: false,
    };
    futures_util::stream::unfold(start, move |mut pages| async move {
        loop {
            if let Some(item) = pages.items.next() {
                return Some((Ok(item), pages));
            }
            let page = match (pages.done, pages.next_page) {
                (false, Some(page)) => page,
                _ => return None,
            };
            match (pages.fetch)(page).await {
                Err(error) => {
                    pages.done = true;
                    return Some((Err(error), pages));
                }
                Ok(response) => pages.take_page(page, split(response.into_inner())),
            }
        }
    })
}

impl<I, F> Pages<I, F> {
    /// Queues the items of page `page` and decides whether another page follows.
    fn take_page(&mut self, page: i64, (items, total): (Vec<I>, Option<i64>)) {
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        self.seen = self.seen.saturating_add(count);
        self.done = count == 0 || total.is_some_and(|total| self.seen >= total);
        self.next_page = page.checked_add(1);
        self.items = items.into_iter();
    }
}

#[cfg(test)]
mod tests {
    use std::pin::pin;
    use std::sync::{Arc, Mutex};

    use futures_util::StreamExt;
    use http::{HeaderMap, StatusCode};

    use super::*;

    type Page = (Vec<u32>, Option<i64>);
    type Fetched = std::future::Ready<Result<Response<Page>, Error<()>>>;

    fn page(items: Vec<u32>, total: Option<i64>) -> Result<Response<Page>, Error<()>> {
        Ok(Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            request_id: None,
            body: (items, total),
        })
    }

    fn identity(page: Page) -> Page {
        page
    }

    /// Serves `pages` (1-based) and records which were fetched.
    fn server(pages: Vec<Page>) -> (Arc<Mutex<Vec<i64>>>, impl FnMut(i64) -> Fetched) {
        let fetched = Arc::new(Mutex::new(Vec::new()));
        let log = fetched.clone();
        let fetch = move |n: i64| {
            log.lock().unwrap().push(n);
            let (items, total) = usize::try_from(n - 1)
                .ok()
                .and_then(|i| pages.get(i).cloned())
                .unwrap_or_default();
            std::future::ready(page(items, total))
        };
        (fetched, fetch)
    }

    #[tokio::test]
    async fn walks_pages_in_order_until_an_empty_page() {
        let (fetched, fetch) = server(vec![(vec![1, 2], None), (vec![3], None)]);
        let items: Vec<u32> = paginate(1, fetch, identity)
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(*fetched.lock().unwrap(), [1, 2, 3]);
    }

    #[tokio::test]
    async fn stops_at_the_total_and_fetches_lazily() {
        let (fetched, fetch) = server(vec![
            (vec![1, 2], Some(4)),
            (vec![3, 4], Some(4)),
            (vec![5], Some(4)),
        ]);
        let mut stream = pin!(paginate(1, fetch, identity));
        assert_eq!(stream.next().await.unwrap().unwrap(), 1);
        assert_eq!(*fetched.lock().unwrap(), [1]);
        let rest: Vec<u32> = stream.map(|item| item.unwrap()).collect().await;
        assert_eq!(rest, [2, 3, 4]);
        assert_eq!(*fetched.lock().unwrap(), [1, 2]);
    }

    #[tokio::test]
    async fn ends_after_the_first_error() {
        let mut calls = 0;
        let fetch = move |n: i64| {
            calls += 1;
            std::future::ready(if calls == 2 {
                Err(Error::InvalidRequest(format!("page {n}")))
            } else {
                page(vec![7], None)
            })
        };
        let items: Vec<Result<u32, Error<()>>> = paginate(1, fetch, identity).collect().await;
        assert_eq!(items.len(), 2);
        assert_eq!(*items[0].as_ref().unwrap(), 7);
        assert!(matches!(&items[1], Err(Error::InvalidRequest(message)) if message == "page 2"));
    }

    #[test]
    fn is_send_when_the_fetch_future_is() {
        fn assert_send<S: Send>(_: &S) {}
        let (_, fetch) = server(Vec::new());
        assert_send(&paginate(1, fetch, identity));
    }
}
