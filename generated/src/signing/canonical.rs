//! The canonical forms of a request's parts (steps 2 to 5 of `jdcloud-signing.md`), matching
//! the official Python signer: decode, then re-encode with a fixed unreserved set, so a raw
//! value and its pre-encoded form sign identically.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything except `A-Z a-z 0-9 - _ . ~` is encoded (query keys and values).
const QUERY_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// As [`QUERY_ENCODE`], with `/` left literal (the path).
const PATH_ENCODE: &AsciiSet = &QUERY_ENCODE.remove(b'/');

/// Headers that are never signed: the signature itself, and the user agent that proxies
/// may rewrite.
const UNSIGNED_HEADERS: [&str; 2] = ["authorization", "user-agent"];

/// `host[:port]`, the port kept unless it is absent, 80 or 443 (whatever the scheme).
pub(crate) fn host(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) if port != 80 && port != 443 => format!("{host}:{port}"),
        _ => host.to_owned(),
    }
}

/// Decodes `%XX` (and `+` as a space, like Python's `unquote_plus`); invalid UTF-8 becomes
/// U+FFFD, as in Python.
fn decode(text: &str) -> String {
    let plus_as_space: Cow<'_, str> = if text.contains('+') {
        Cow::Owned(text.replace('+', " "))
    } else {
        Cow::Borrowed(text)
    };
    percent_decode_str(&plus_as_space)
        .decode_utf8_lossy()
        .into_owned()
}

/// The canonical URI: decoded, runs of `/` collapsed, re-encoded; `/` when empty.
pub(crate) fn uri(path: &str) -> String {
    // Fast path (almost every request): nothing to decode and no `//` to collapse.
    if path.starts_with('/') && !path.contains(['%', '+']) && !path.contains("//") {
        return Cow::from(utf8_percent_encode(path, PATH_ENCODE)).into_owned();
    }
    let decoded = decode(path);
    let mut collapsed = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    let encoded = utf8_percent_encode(&collapsed, PATH_ENCODE).to_string();
    if encoded.starts_with('/') {
        encoded
    } else {
        format!("/{encoded}")
    }
}

/// The canonical query: `k=v` pairs decoded, re-encoded, sorted bytewise, joined by `&`.
/// Pieces without `=` and pieces with an empty key are not signed (as in the official signer).
pub(crate) fn query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter_map(|piece| piece.split_once('='))
        .map(|(key, value)| {
            let encode = |text: &str| utf8_percent_encode(&decode(text), QUERY_ENCODE).to_string();
            (encode(key), encode(value))
        })
        .filter(|(key, _)| !key.is_empty())
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical headers block (each `name:value\n`) and the signed header list (`a;b;c`):
/// `host` plus every given header except `authorization` and `user-agent`, names lowercased
/// and sorted, values trimmed, repeated names joined with `,`.
pub(crate) fn headers<'a>(
    host: &'a str,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (String, String) {
    let mut pairs: Vec<(Cow<'a, str>, &'a str)> = vec![(Cow::Borrowed("host"), host.trim())];
    for (name, value) in headers {
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        if UNSIGNED_HEADERS.contains(&name.as_ref()) || name == "host" {
            continue;
        }
        pairs.push((name, value.trim()));
    }
    // Stable: the values of a repeated header keep their order.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canonical =
        String::with_capacity(pairs.iter().map(|(n, v)| n.len() + v.len() + 2).sum());
    let mut signed = String::with_capacity(pairs.iter().map(|(n, _)| n.len() + 1).sum());
    let mut previous: Option<&str> = None;
    for (name, value) in &pairs {
        if previous == Some(name.as_ref()) {
            // A repeated header: `name:v1,v2\n`.
            canonical.pop();
            canonical.push(',');
        } else {
            if previous.is_some() {
                signed.push(';');
            }
            signed.push_str(name);
            canonical.push_str(name);
            canonical.push(':');
        }
        canonical.push_str(value);
        canonical.push('\n');
        previous = Some(name.as_ref());
    }
    (canonical, signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_decodes_collapses_and_reencodes() {
        assert_eq!(uri(""), "/");
        assert_eq!(uri("/"), "/");
        assert_eq!(uri("//v1///regions/"), "/v1/regions/");
        assert_eq!(uri("/v1/img:modify"), "/v1/img%3Amodify");
        assert_eq!(uri("/v1/a%3Ab"), "/v1/a%3Ab");
        assert_eq!(uri("/a b/中"), "/a%20b/%E4%B8%AD");
        assert_eq!(uri("/a%20b/%E4%B8%AD"), "/a%20b/%E4%B8%AD");
        assert_eq!(uri("/a+b"), "/a%20b");
        assert_eq!(uri("/a%2Bb"), "/a%2Bb");
        assert_eq!(uri("/a%2Fb"), "/a/b");
        assert_eq!(uri("/~-_.x"), "/~-_.x");
        assert_eq!(uri("relative"), "/relative");
        assert_eq!(uri("/%zz"), "/%25zz");
        assert_eq!(uri("/%FF"), "/%EF%BF%BD");
    }

    #[test]
    fn query_sorts_encoded_pairs_and_skips_odd_pieces() {
        assert_eq!(query(""), "");
        assert_eq!(
            query("pageSize=10&pageNumber=1&name=a%20b%2Fc&tag=%E4%B8%AD%E6%96%87"),
            "name=a%20b%2Fc&pageNumber=1&pageSize=10&tag=%E4%B8%AD%E6%96%87"
        );
        assert_eq!(query("b=2&&flag&a=1&=x&a=0"), "a=0&a=1&b=2");
        assert_eq!(query("ids.2=y&ids.1=x"), "ids.1=x&ids.2=y");
        assert_eq!(query("q=a+b&e="), "e=&q=a%20b");
        assert_eq!(query("k=a=b"), "k=a%3Db");
        assert_eq!(query("k=a*b'c"), "k=a%2Ab%27c");
    }

    #[test]
    fn headers_lowercase_sort_trim_and_skip_unsigned() {
        let (canonical, signed) = headers(
            "example.com:8080",
            [
                ("X-Jdcloud-Nonce", " n "),
                ("User-Agent", "ua"),
                ("Content-Type", "application/json"),
                ("authorization", "old"),
                ("x-multi", "a"),
                ("X-Multi", "b"),
                ("Host", "ignored"),
            ],
        );
        assert_eq!(
            canonical,
            "content-type:application/json\nhost:example.com:8080\nx-jdcloud-nonce:n\nx-multi:a,b\n"
        );
        assert_eq!(signed, "content-type;host;x-jdcloud-nonce;x-multi");
    }

    #[test]
    fn host_keeps_only_unusual_ports() {
        let host_of = |url: &str| host(&reqwest::Url::parse(url).unwrap());
        assert_eq!(
            host_of("https://vm.jdcloud-api.com/v1"),
            "vm.jdcloud-api.com"
        );
        assert_eq!(host_of("http://127.0.0.1:8080/v1"), "127.0.0.1:8080");
        assert_eq!(host_of("http://h:443/"), "h");
        assert_eq!(host_of("https://h:80/"), "h");
        assert_eq!(host_of("https://h:8443/"), "h:8443");
    }
}
