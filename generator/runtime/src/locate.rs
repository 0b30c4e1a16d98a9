//! The JSON path (`result.items[2].size`, `.` for the whole document) of the place a
//! serde_json error points at, found by scanning the document's text up to the error's line
//! and column.
//!
//! Decoding a response names the path that failed. Finding it by decoding a second time
//! under `serde_path_to_error` would compile every response type's `Deserialize` twice (once
//! for each deserializer), which is most of a generated crate's code generation; this scan
//! is compiled once, here. serde_json reports the last character it read: inside a scalar
//! or at an opening bracket, the path is that value's; at the closing bracket of an object
//! lacking a field, the object's; past a value (a custom error raised once it was read),
//! that value's; at the end of a truncated document, the innermost value left open.

/// One step of a path.
enum Segment {
    Key(String),
    Index(usize),
}

/// An object or array being scanned.
enum Frame {
    /// The key of the member being read (`None` until it is read, and after a comma).
    Object(Option<String>),
    /// The index of the element being read.
    Array(usize),
}

/// The path at `error`'s position in `body`, or `.` when the error has none.
pub(crate) fn error_path(body: &[u8], error: &serde_json::Error) -> String {
    if error.line() == 0 {
        return ".".to_owned();
    }
    if error.is_eof() {
        return path_at(body, body.len());
    }
    let line_start = body
        .split_inclusive(|&b| b == b'\n')
        .take(error.line() - 1)
        .map(<[u8]>::len)
        .sum::<usize>();
    path_at(
        body,
        peeked(body, line_start + error.column().saturating_sub(1)),
    )
}

/// Where the error really is when serde_json stopped on a separator: it looks ahead at an
/// object or array it did not expect without reading it, and reports the byte before (`,`,
/// `[` or `:`, whitespace between them or not). The value is the bracket after it.
fn peeked(body: &[u8], target: usize) -> usize {
    if !matches!(body.get(target), Some(b',' | b'[' | b':')) {
        return target;
    }
    let next = body[target + 1..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|offset| target + 1 + offset);
    match next {
        Some(next) if matches!(body[next], b'[' | b'{') => next,
        _ => target,
    }
}

/// The path of the value at byte `target` of `body` (see the module documentation).
fn path_at(body: &[u8], target: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    // The value that ended last, if only whitespace has followed it.
    let mut ended: Option<String> = None;
    let mut pos = 0;
    loop {
        while pos < body.len() && body[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= target || pos >= body.len() {
            if pos == target && matches!(body.get(pos), Some(b'}' | b']')) {
                // The end of an object that lacks a required field.
                return render(&stack, stack.len().saturating_sub(1));
            }
            if pos >= body.len()
                && (ended.is_some() || matches!(stack.last(), Some(Frame::Array(_))))
            {
                // Truncated between members or elements: the container's.
                return render(&stack, stack.len().saturating_sub(1));
            }
            return ended.unwrap_or_else(|| render(&stack, stack.len()));
        }
        let start = pos;
        match body[pos] {
            b'{' => {
                stack.push(Frame::Object(None));
                ended = None;
                pos += 1;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                ended = None;
                pos += 1;
            }
            b'}' | b']' => {
                ended = Some(render(&stack, stack.len().saturating_sub(1)));
                stack.pop();
                pos += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object(key)) => *key = None,
                    Some(Frame::Array(index)) => *index += 1,
                    None => {}
                }
                ended = None;
                pos += 1;
            }
            b':' => {
                ended = None;
                pos += 1;
            }
            b'"' => {
                let Some(end) = string_end(body, pos) else {
                    // Truncated inside a string: a key names its object, a value itself.
                    if let Some(Frame::Object(None)) = stack.last() {
                        return render(&stack, stack.len() - 1);
                    }
                    return render(&stack, stack.len());
                };
                pos = end;
                if let Some(Frame::Object(key @ None)) = stack.last_mut() {
                    // The key as decoded (`\u00e9` is `é`), as serde matched it.
                    let quoted = &body[start..pos];
                    let decoded = serde_json::from_slice::<String>(quoted).ok();
                    *key = Some(decoded.unwrap_or_else(|| {
                        String::from_utf8_lossy(&quoted[1..quoted.len() - 1]).into_owned()
                    }));
                    ended = None;
                    if pos > target {
                        return render(&stack, stack.len() - 1);
                    }
                    continue;
                }
                if pos > target {
                    return render(&stack, stack.len());
                }
                ended = Some(render(&stack, stack.len()));
            }
            _ => {
                while pos < body.len() && !b",:]}{[\" \t\r\n".contains(&body[pos]) {
                    pos += 1;
                }
                pos = pos.max(start + 1);
                if pos > target {
                    return render(&stack, stack.len());
                }
                ended = Some(render(&stack, stack.len()));
            }
        }
    }
}

/// The index just past the string starting at `start` (its closing quote); `None` if the
/// document ends first.
fn string_end(body: &[u8], start: usize) -> Option<usize> {
    let mut pos = start + 1;
    while pos < body.len() {
        match body[pos] {
            b'\\' => pos += 2,
            b'"' => return Some(pos + 1),
            _ => pos += 1,
        }
    }
    None
}

/// The path of the first `depth` frames, as `serde_path_to_error` writes paths.
fn render(stack: &[Frame], depth: usize) -> String {
    let segments = stack[..depth.min(stack.len())]
        .iter()
        .filter_map(|frame| match frame {
            Frame::Object(Some(key)) => Some(Segment::Key(key.clone())),
            Frame::Object(None) => None,
            Frame::Array(index) => Some(Segment::Index(*index)),
        });
    let mut path = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
            }
            Segment::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        size: Option<i64>,
        tags: Option<Vec<i64>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
        next: Option<String>,
    }

    /// The path serde_path_to_error gives, and ours, for `body` decoded as a `Page`.
    fn both(body: &str) -> (String, String) {
        let tracked = serde_path_to_error::deserialize::<_, Page>(
            &mut serde_json::Deserializer::from_str(body),
        )
        .unwrap_err();
        let plain = serde_json::from_str::<Page>(body).unwrap_err();
        (
            tracked.path().to_string(),
            error_path(body.as_bytes(), &plain),
        )
    }

    #[test]
    fn agrees_with_serde_path_to_error() {
        for body in [
            r#"{"items":[{"id":"a","size":"big"}]}"#,
            r#"{"items":[{"id":"a"},{"id":7}]}"#,
            r#"{"items":[{"id":"a"},{"size":1}],"next":null}"#,
            "{\n  \"next\": \"n\",\n  \"items\": [\n    {\"id\": \"a\", \"size\": 1.5}\n  ]\n}",
            r#"{"items":{"id":"a"}}"#,
            r#"{"items":[{"id":"a","size":1}],"next":[1]}"#,
            r#"{"items":[{"id":"a\"b","size":true}]}"#,
            r#"{"items":[{"id":"a"}"#,
            r#"{"items":[{"id":"tru"#,
            r#"{"items":[{"id":"a","size":"#,
            r#"{"items":[{"id":"a"},"#,
            r#"{"items":["#,
            r#"[1]"#,
            r#"{}"#,
            // An object or array where a scalar belongs, in compact JSON: serde_json reports
            // the separator before it.
            r#"{"items":[{"id":"a","tags":[1,2,{}]}]}"#,
            r#"{"items":[{"id":"a","tags":[{}]}]}"#,
            r#"{"items":[{"id":"a","tags":[1,[2]]}]}"#,
            r#"{"items":[{"id":[1]}]}"#,
            r#"{"items":[{"id":{}}]}"#,
            r#"{"items":[[1]]}"#,
            r#"{"items":[{"id":"a","tags":[1, {}]}]}"#,
            // Keys are compared decoded.
            r#"{"items":[{"id":"a","size":"x"}]}"#,
        ] {
            let (tracked, ours) = both(body);
            assert_eq!(ours, tracked, "{body}");
        }
    }

    #[test]
    fn a_truncated_key_names_its_object() {
        // serde_path_to_error says `items[0].?` for both.
        for body in [r#"{"items":[{"i"#, r#"{"items":[{"id":"a","size":12"#] {
            let error = serde_json::from_str::<Page>(body).unwrap_err();
            assert_eq!(error_path(body.as_bytes(), &error), "items[0]", "{body}");
        }
    }

    #[test]
    fn an_error_without_a_position_is_the_whole_document() {
        let error = <serde_json::Error as serde::de::Error>::custom("no place");
        assert_eq!(error_path(b"{}", &error), ".");
    }
}
