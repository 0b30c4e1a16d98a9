//! Spec descriptions as rustdoc that can neither fail nor misrender: nothing becomes a
//! doctest (indentation is dropped, fences become ```text), nothing becomes a link or HTML
//! (`[`, `]`, `<`, `>` and `\` are escaped outside code spans), bare URLs are autolinked, and
//! lines after a list item are indented as its continuation (clippy's doc_lazy_continuation).

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `text`, or for `fallback` when `text` is empty.
pub fn doc_attrs(text: Option<&str>, fallback: &str) -> TokenStream {
    let mut lines = text.map(sanitize).unwrap_or_default();
    if lines.is_empty() {
        lines = sanitize(fallback);
    }
    if lines.is_empty() {
        // `missing_docs` must never fire on generated items.
        lines.push("Undocumented.".to_owned());
    }
    let lines = lines.into_iter().map(|line| {
        if line.is_empty() {
            line
        } else {
            format!(" {line}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// `#[doc]` attributes for text the generator wrote itself (it may hold intra-doc links).
pub fn trusted_doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// Inner (`//!`) doc attributes.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text).into_iter().map(|line| {
        if line.is_empty() {
            line
        } else {
            format!(" {line}")
        }
    });
    quote! { #(#![doc = #lines])* }
}

/// The lines of a doc comment, without the leading space.
pub fn sanitize(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut list_indent = 0;
    for raw in text.lines() {
        let line = raw.replace('\t', "    ");
        let trimmed = line.trim();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str())
                && trimmed.chars().all(|c| c == marker.as_bytes()[0] as char)
            {
                out.push(marker.clone());
                fence = None;
            } else {
                out.push(line.trim_end().to_owned());
            }
            continue;
        }
        if let Some(marker) = fence_marker(trimmed) {
            out.push(format!("{marker}text"));
            fence = Some(marker);
            list_indent = 0;
            continue;
        }
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            list_indent = 0;
            continue;
        }
        let escaped = escape_inline(trimmed);
        if let Some(width) = list_marker_width(trimmed) {
            list_indent = width;
            out.push(escaped);
        } else {
            out.push(format!("{}{escaped}", " ".repeat(list_indent)));
        }
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn fence_marker(line: &str) -> Option<String> {
    for c in ['`', '~'] {
        let run = line.chars().take_while(|&x| x == c).count();
        if run >= 3 {
            return Some(c.to_string().repeat(run));
        }
    }
    None
}

/// Column where a list item's content starts (`- x` -> 2, `*   x` -> 4, `12. x` -> 4), if the
/// line starts one; continuation lines are indented to it.
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else if digits > 0 && digits < 10 && line[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        return None;
    };
    let spaces = line[marker..].chars().take_while(|&c| c == ' ').count();
    match spaces {
        0 => None,
        // Five or more spaces make indented code after a one-space marker.
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// A markdown link `[text](url)` at the start of `rest` (not an intra-doc link): its length.
fn markdown_link(rest: &str) -> Option<usize> {
    let close = rest.find("](")?;
    let text = &rest[1..close];
    if text.contains(['[', ']', '`']) {
        return None;
    }
    let url_end = rest[close + 2..].find(')')? + close + 2;
    let url = &rest[close + 2..url_end];
    (!url.is_empty() && !url.contains([' ', '(', '<', '>', '`'])).then_some(url_end + 1)
}

/// Escapes markdown and HTML outside code spans; an unpaired backtick is escaped too.
fn escape_inline(line: &str) -> String {
    let ticks = line.matches('`').count();
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut seen_ticks = 0;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            seen_ticks += 1;
            if ticks % 2 == 1 && seen_ticks == ticks {
                out.push_str("\\`");
            } else {
                in_code = !in_code;
                out.push('`');
            }
            rest = &rest[1..];
            continue;
        }
        if !in_code && (rest.starts_with("http://") || rest.starts_with("https://")) {
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | '(' | '[' | ']')
                })
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
            if url.len() > "https://".len() {
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
                continue;
            }
        }
        if !in_code && c == '[' {
            if let Some(length) = markdown_link(rest) {
                out.push_str(&rest[..length]);
                rest = &rest[length..];
                continue;
            }
        }
        if in_code {
            out.push(c);
        } else {
            match c {
                '\\' => out.push_str("\\\\"),
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                other => out.push(other),
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn makes_code_inert() {
        let lines = sanitize(
            "Example:\n\n    let x = 1;\n```rust\nfn main() {}\n```\nSee [x] and <b>tags</b> at https://example.com/a.\nA [real link](https://example.com/b) stays.",
        );
        assert_eq!(
            lines,
            vec![
                "Example:",
                "",
                "let x = 1;",
                "```text",
                "fn main() {}",
                "```",
                "See \\[x\\] and &lt;b&gt;tags&lt;/b&gt; at <https://example.com/a>.",
                "A [real link](https://example.com/b) stays.",
            ]
        );
    }

    #[test]
    fn indents_lazy_list_continuations_and_closes_fences() {
        let lines =
            sanitize("- one\ntwo\n\nthree `code [x]` and ` odd\n\n*   wide\nmarker\n~~~\nopen");
        assert_eq!(
            lines,
            vec![
                "- one",
                "  two",
                "",
                "three `code [x]` and \\` odd",
                "",
                "*   wide",
                "    marker",
                "~~~text",
                "open",
                "~~~"
            ]
        );
    }
}
