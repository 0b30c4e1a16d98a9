//! Page-number paging (the spec's `x-sdk-paging` extension) as a `Stream` of items.

use std::future::Future;

use futures_core::Stream;

use crate::{Error, Response};

/// Where the walk through the pages is.
struct Pages<I, F> {
    fetch: F,
    first_page: i64,
    next_page: Option<i64>,
    items: std::vec::IntoIter<I>,
    /// The previous page's items, to notice a server that serves the same page again.
    previous: Vec<I>,
    /// Items before the first page fetched (estimated from its length) plus those seen.
    counted: i64,
    done: bool,
}

/// Streams the items of every page, fetching page `first_page`, then the next, lazily.
///
/// `fetch(n)` fetches page `n`; `split` takes a page apart into its items and the total
/// item count if the service reports one. The stream ends after a page with no items, when
/// the items counted reach the total, or after the first error (which it yields).
///
/// It never loops: a server that answers a page with the previous page's items again (it
/// ignores the page parameter) ends the stream with [`Error::Paging`], and so does an empty
/// page before the reported total is reached. Started from a later page, the items before
/// it count as that many full pages of the first page's length, so the total still ends the
/// stream. The one case the total cannot be checked: started from a later page that is
/// also the last (shorter than a full page, so the page size is unknown), the empty page
/// fetched after it ends the stream without an error.
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
    I: Clone + PartialEq,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Response<P>, Error<E>>>,
{
    let start = Pages {
        fetch,
        first_page,
        next_page: Some(first_page),
        items: Vec::new().into_iter(),
        previous: Vec::new(),
        counted: 0,
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
            let taken = match (pages.fetch)(page).await {
                Ok(response) => pages.take_page(page, split(response.into_inner())),
                Err(error) => Err(error),
            };
            if let Err(error) = taken {
                pages.done = true;
                return Some((Err(error), pages));
            }
        }
    })
}

impl<I: Clone + PartialEq, F> Pages<I, F> {
    /// Queues the items of page `page` and decides whether another page follows; refuses a
    /// repeated page and an early end.
    fn take_page<E>(
        &mut self,
        page: i64,
        (items, total): (Vec<I>, Option<i64>),
    ) -> Result<(), Error<E>> {
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let paging_error = |reason: String| Err(Error::Paging { page, reason });
        if count > 0 && items == self.previous {
            return paging_error(format!(
                "the server answered with the items of page {} again (it ignores the page parameter)",
                page.saturating_sub(1)
            ));
        }
        if page == self.first_page {
            let pages_before = self.first_page.saturating_sub(1).max(0);
            self.counted = pages_before.saturating_mul(count);
        }
        self.counted = self.counted.saturating_add(count);
        let reached_total = total.is_some_and(|total| self.counted >= total);
        // Started from a later page, the count before it is exact only once a page after the
        // first fetched one has items (the first fetched was then a full page, its length
        // the page size); until then an empty page may just follow a short last page.
        let count_known = self.first_page <= 1 || page > self.first_page.saturating_add(1);
        if count == 0 && count_known {
            if let Some(total) = total.filter(|_| !reached_total) {
                return paging_error(format!(
                    "the page is empty, but the server reported {total} items and {} arrived",
                    self.counted
                ));
            }
        }
        self.done = count == 0 || reached_total;
        self.next_page = page.checked_add(1);
        self.previous.clone_from(&items);
        self.items = items.into_iter();
        Ok(())
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

    #[tokio::test]
    async fn a_server_that_ignores_the_page_number_ends_with_an_error() {
        let fetch = |_: i64| std::future::ready(page(vec![1, 2], None));
        let items: Vec<Result<u32, Error<()>>> = paginate(1, fetch, identity).collect().await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(
            matches!(&items[2], Err(Error::Paging { page: 2, reason }) if reason.contains("page 1 again")),
            "{:?}",
            items[2]
        );
    }

    #[tokio::test]
    async fn an_empty_page_before_the_total_is_an_error() {
        let (fetched, fetch) = server(vec![
            (vec![1, 2], Some(5)),
            (vec![3], Some(5)),
            (vec![], Some(5)),
        ]);
        let items: Vec<Result<u32, Error<()>>> = paginate(1, fetch, identity).collect().await;
        assert_eq!(*fetched.lock().unwrap(), [1, 2, 3]);
        let error = items.last().unwrap().as_ref().unwrap_err();
        assert!(matches!(error, Error::Paging { page: 3, .. }), "{error:?}");
        assert!(
            error.to_string().contains("reported 5 items and 3 arrived"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn starting_from_a_later_page_counts_the_pages_before_it() {
        let (fetched, fetch) = server(vec![
            (vec![1, 2], Some(6)),
            (vec![3, 4], Some(6)),
            (vec![5, 6], Some(6)),
            (vec![7], Some(6)),
        ]);
        let items: Vec<u32> = paginate(2, fetch, identity)
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(items, [3, 4, 5, 6]);
        assert_eq!(
            *fetched.lock().unwrap(),
            [2, 3],
            "page 3 reaches the total of 6"
        );
    }

    #[tokio::test]
    async fn started_later_an_empty_page_after_full_pages_before_the_total_is_an_error() {
        let (fetched, fetch) = server(vec![
            (vec![1, 2], Some(8)),
            (vec![3, 4], Some(8)),
            (vec![5, 6], Some(8)),
            (vec![], Some(8)),
        ]);
        let items: Vec<Result<u32, Error<()>>> = paginate(2, fetch, identity).collect().await;
        assert_eq!(*fetched.lock().unwrap(), [2, 3, 4]);
        let error = items.last().unwrap().as_ref().unwrap_err();
        assert!(matches!(error, Error::Paging { page: 4, .. }), "{error:?}");
        assert!(
            error.to_string().contains("reported 8 items and 6 arrived"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn started_on_the_last_page_an_empty_page_after_it_ends_the_stream() {
        // Page 3 is short, so the page size (and the count before it) is unknown: the total
        // cannot be checked.
        let (fetched, fetch) = server(vec![
            (vec![1, 2], Some(5)),
            (vec![3, 4], Some(5)),
            (vec![5], Some(5)),
        ]);
        let items: Vec<u32> = paginate(3, fetch, identity)
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(items, [5]);
        assert_eq!(*fetched.lock().unwrap(), [3, 4]);
    }

    #[test]
    fn is_send_when_the_fetch_future_is() {
        fn assert_send<S: Send>(_: &S) {}
        let (_, fetch) = server(Vec::new());
        assert_send(&paginate(1, fetch, identity));
    }
}
