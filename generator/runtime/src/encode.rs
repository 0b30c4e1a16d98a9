//! Percent-encoding of path segments and query pairs, and expansion of path templates.
//!
//! Everything except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded,
//! so no value can add a `/`, `?`, `#` or `%`-escape of its own to the URL's structure.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Bytes that are encoded: every byte except the unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `value` (UTF-8, uppercase hex), leaving only unreserved characters literal.
pub(crate) fn encode(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// How a path parameter's value fills its segment: OpenAPI 3's `style` (and `explode`) of a
/// path parameter. Each item is percent-encoded; the delimiters stay literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `simple` (the default), exploded or not: `a,b,c`.
    Simple,
    /// `label`: `.a,b,c`, exploded `.a.b.c`.
    Label {
        /// `explode: true`.
        explode: bool,
    },
    /// `matrix`: `;id=a,b,c`, exploded `;id=a;id=b;id=c` (an empty array is `;id`).
    Matrix {
        /// `explode: true`.
        explode: bool,
    },
}

/// The segment `items` make under `name` in `style`, with each item (and the matrix name)
/// passed through `escape`: the identity gives the raw text, [`encode`] what is sent.
pub(crate) fn styled_segment(
    name: &str,
    items: &[String],
    style: PathStyle,
    escape: impl Fn(&str) -> String,
) -> String {
    let items: Vec<String> = items.iter().map(|item| escape(item)).collect();
    match style {
        PathStyle::Simple => items.join(","),
        PathStyle::Label { explode } => {
            let delimiter = if explode { "." } else { "," };
            format!(".{}", items.join(delimiter))
        }
        PathStyle::Matrix { .. } if items.is_empty() => format!(";{}", escape(name)),
        PathStyle::Matrix { explode: true } => items
            .iter()
            .map(|item| format!(";{}={item}", escape(name)))
            .collect(),
        PathStyle::Matrix { explode: false } => format!(";{}={}", escape(name), items.join(",")),
    }
}

/// Substitutes every `{name}` of `template` with its encoded value from `params`, or with the
/// already encoded segment `encoded` holds for it (a styled array).
///
/// Refuses (naming the parameter) a missing, unknown or repeated parameter, and a segment
/// that is empty, `.` or `..` (which would change the path's structure even when encoded).
pub(crate) fn expand_path(
    template: &str,
    params: &[(&'static str, String)],
    encoded: &[(&'static str, String)],
) -> Result<String, String> {
    check_given_params(template, params)?;
    let mut path = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("path template `{template}` has an unclosed `{{`"))?;
        let name = &after[..close];
        let value = params
            .iter()
            .find(|(given, _)| *given == name)
            .map(|(_, value)| value)
            .ok_or_else(|| format!("missing path parameter `{name}`"))?;
        let segment = match encoded.iter().find(|(given, _)| *given == name) {
            Some((_, segment)) => segment.clone(),
            None => encode(value),
        };
        check_value(name, &segment)?;
        path.push_str(&segment);
        rest = &after[close + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

/// Every given parameter appears in the template, once.
fn check_given_params(template: &str, params: &[(&'static str, String)]) -> Result<(), String> {
    for (index, (name, _)) in params.iter().enumerate() {
        if !template.contains(&format!("{{{name}}}")) {
            return Err(format!(
                "path parameter `{name}` is not in the path template `{template}`"
            ));
        }
        if params[..index].iter().any(|(earlier, _)| earlier == name) {
            return Err(format!("path parameter `{name}` is given twice"));
        }
    }
    Ok(())
}

/// `value` as JD Cloud's indexed query pairs under `name`, each key and value percent-encoded:
/// an array's items go under `name.1`, `name.2` (1-based), an object's fields under
/// `name.field`, recursively, so `[{"name": "a", "values": ["x", "y"]}]` under `filters` is
/// `filters.1.name=a&filters.1.values.1=x&filters.1.values.2=y`. Booleans are `true`/`false`,
/// `null` and empty arrays or objects send nothing (an unset field is omitted).
pub(crate) fn indexed_pairs(name: &str, value: &serde_json::Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    push_indexed(&mut pairs, encode(name), value);
    pairs
}

fn push_indexed(pairs: &mut Vec<(String, String)>, key: String, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Bool(value) => pairs.push((key, value.to_string())),
        Value::Number(value) => pairs.push((key, value.to_string())),
        Value::String(value) => pairs.push((key, encode(value))),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                push_indexed(pairs, format!("{key}.{}", index + 1), item);
            }
        }
        Value::Object(fields) => {
            for (field, item) in sorted_fields(fields) {
                push_indexed(pairs, format!("{key}.{}", encode(field)), item);
            }
        }
    }
}

/// An object's fields sorted by name. serde_json's own map order depends on whether some crate
/// in the build enables its `preserve_order` feature; what goes on the wire must not.
pub(crate) fn sorted_fields(
    fields: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(&String, &serde_json::Value)> {
    let mut fields: Vec<_> = fields.iter().collect();
    fields.sort_by_key(|(field, _)| *field);
    fields
}

fn check_value(name: &str, value: &str) -> Result<(), String> {
    match value {
        "" => Err(format!("path parameter `{name}` is empty")),
        "." | ".." => Err(format!("path parameter `{name}` may not be `{value}`")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(encode("a/b?c#d%e+f g"), "a%2Fb%3Fc%23d%25e%2Bf%20g");
        assert_eq!(encode("Az09-._~"), "Az09-._~");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn object_fields_go_out_sorted_by_name_whatever_the_map_order() {
        // Written out of order: with serde_json's `preserve_order` (on when the whole workspace
        // is built, as `cargo test --workspace` does) the map keeps this order; without it the
        // map sorts by itself and this test cannot tell the difference.
        let tag = serde_json::json!([{"values": ["v"], "key": "k"}]);
        let pairs: Vec<String> = indexed_pairs("tags", &tag)
            .into_iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        assert_eq!(pairs, ["tags.1.key=k", "tags.1.values.1=v"]);
    }

    #[test]
    fn indexes_nested_arrays_of_objects_from_one() {
        let filters = serde_json::json!([
            {"name": "instanceId", "operator": "like", "values": ["i-a", "a&b=c?d"]},
            {"name": "az", "values": ["cn north"], "unset": null, "empty": []}
        ]);
        let pairs: Vec<String> = indexed_pairs("filters", &filters)
            .into_iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        assert_eq!(
            pairs,
            [
                "filters.1.name=instanceId",
                "filters.1.operator=like",
                "filters.1.values.1=i-a",
                "filters.1.values.2=a%26b%3Dc%3Fd",
                "filters.2.name=az",
                "filters.2.values.1=cn%20north",
            ]
        );
        let scalars = indexed_pairs("x y", &serde_json::json!([true, 2, 1.5]));
        assert_eq!(
            scalars,
            [
                ("x%20y.1".to_owned(), "true".to_owned()),
                ("x%20y.2".to_owned(), "2".to_owned()),
                ("x%20y.3".to_owned(), "1.5".to_owned()),
            ]
        );
        assert!(indexed_pairs("tags", &serde_json::json!([])).is_empty());
    }

    #[test]
    fn styled_segments_keep_their_delimiters_and_encode_each_item() {
        let items = ["a,b".to_owned(), "c d".to_owned(), "é".to_owned()];
        let sent = |style| styled_segment("id s", &items, style, encode);
        assert_eq!(sent(PathStyle::Simple), "a%2Cb,c%20d,%C3%A9");
        assert_eq!(
            sent(PathStyle::Label { explode: false }),
            ".a%2Cb,c%20d,%C3%A9"
        );
        assert_eq!(
            sent(PathStyle::Label { explode: true }),
            ".a%2Cb.c%20d.%C3%A9"
        );
        assert_eq!(
            sent(PathStyle::Matrix { explode: false }),
            ";id%20s=a%2Cb,c%20d,%C3%A9"
        );
        assert_eq!(
            sent(PathStyle::Matrix { explode: true }),
            ";id%20s=a%2Cb;id%20s=c%20d;id%20s=%C3%A9"
        );
        let raw = styled_segment(
            "id",
            &items,
            PathStyle::Label { explode: true },
            str::to_owned,
        );
        assert_eq!(raw, ".a,b.c d.é");
        let none = |style| styled_segment("id", &[], style, encode);
        assert_eq!(none(PathStyle::Simple), "");
        assert_eq!(none(PathStyle::Label { explode: true }), ".");
        assert_eq!(none(PathStyle::Matrix { explode: true }), ";id");
    }

    #[test]
    fn encoded_segments_are_used_as_given_and_still_checked() {
        let params = [("a", "x,y".to_owned()), ("b", "".to_owned())];
        let encoded = [("a", "x,y".to_owned()), ("b", ".".to_owned())];
        assert_eq!(
            expand_path("/p/{a}", &params[..1], &encoded[..1]).as_deref(),
            Ok("/p/x,y")
        );
        assert!(
            expand_path("/p/{b}", &params[1..], &encoded[1..])
                .is_err_and(|e| e.contains("`b` may not be `.`"))
        );
    }

    #[test]
    fn expands_and_refuses() {
        let params = vec![("a", "x/y".to_owned()), ("b", "2".to_owned())];
        assert_eq!(
            expand_path("/p/{a}/q/{b}", &params, &[]).as_deref(),
            Ok("/p/x%2Fy/q/2")
        );
        assert!(expand_path("/p/{a}", &params, &[]).is_err_and(|e| e.contains("`b`")));
        assert!(
            expand_path("/p/{a}/{b}/{c}", &params, &[])
                .is_err_and(|e| e.contains("missing path parameter `c`"))
        );
        assert!(expand_path("/p/{a", &[], &[]).is_err_and(|e| e.contains("unclosed")));
        let dots = vec![("a", "..".to_owned())];
        assert!(expand_path("/p/{a}", &dots, &[]).is_err_and(|e| e.contains("`a`")));
        let twice = vec![("a", "1".to_owned()), ("a", "2".to_owned())];
        assert!(expand_path("/p/{a}", &twice, &[]).is_err_and(|e| e.contains("twice")));
    }
}
