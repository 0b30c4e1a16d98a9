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

/// Substitutes every `{name}` of `template` with its encoded value from `params`.
///
/// Refuses (naming the parameter) a missing, unknown or repeated parameter, and a value that
/// is empty, `.` or `..` (which would change the path's structure even when encoded).
pub(crate) fn expand_path(
    template: &str,
    params: &[(&'static str, String)],
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
        check_value(name, value)?;
        path.push_str(&encode(value));
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
    fn expands_and_refuses() {
        let params = vec![("a", "x/y".to_owned()), ("b", "2".to_owned())];
        assert_eq!(
            expand_path("/p/{a}/q/{b}", &params).as_deref(),
            Ok("/p/x%2Fy/q/2")
        );
        assert!(expand_path("/p/{a}", &params).is_err_and(|e| e.contains("`b`")));
        assert!(
            expand_path("/p/{a}/{b}/{c}", &params)
                .is_err_and(|e| e.contains("missing path parameter `c`"))
        );
        assert!(expand_path("/p/{a", &[]).is_err_and(|e| e.contains("unclosed")));
        let dots = vec![("a", "..".to_owned())];
        assert!(expand_path("/p/{a}", &dots).is_err_and(|e| e.contains("`a`")));
        let twice = vec![("a", "1".to_owned()), ("a", "2".to_owned())];
        assert!(expand_path("/p/{a}", &twice).is_err_and(|e| e.contains("twice")));
    }
}
