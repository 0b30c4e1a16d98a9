//! Every Rust name the generator emits is decided here, once: case conversion (heck),
//! keyword and digit escaping, and collision-free allocation within a namespace.
//!
//! Rules: names keep only ASCII letters and digits of the spec's spelling (other characters
//! separate words); a name that starts with a digit gets a prefix (`_` for snake case, `V` for
//! type case); a Rust keyword becomes a raw identifier (`r#type`), or gets a `_` suffix where
//! raw identifiers are not allowed (`self_`); a name left empty by all this becomes a fallback
//! such as `value`. Collisions after conversion are resolved in spec order by numeric
//! suffixes (`Asc`, `Asc2`), so the first spelling keeps the plain name. Schemas keep their
//! names over the runtime's: a runtime type no generated type took (`Request`, `Error`, ...)
//! is imported by generated files, one that was taken is written with its crate path.

use std::collections::{BTreeSet, HashMap, HashSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords (2024 edition) that can be raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
pub(crate) const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that generated files use unqualified (std prelude, imported traits and
/// helpers); a schema with such a name is renamed so it cannot shadow them.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Default",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "FromIterator",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "MapAccess",
    "Slots",
    "FromStr",
    "Infallible",
    "Future",
    "IntoFuture",
    "Pin",
    "Stream",
    "Bytes",
    "Client",
];

/// Runtime-crate types generated code names. Each is imported with a `use` line unless a
/// generated type took that name (user schemas keep their names; the runtime item is then
/// written with its crate path instead), decided once by [`Namespace::free_of`].
pub(crate) const RUNTIME_ITEMS: &[&str] = &[
    "ApiKeyLocation",
    "ArrayStyle",
    "ByteStream",
    "DecodeError",
    "Envelope",
    "Error",
    "JsonLines",
    "Method",
    "Multipart",
    "Nullable",
    "Operation",
    "Outcome",
    "PathStyle",
    "RawResponse",
    "Request",
    "Response",
    "ResponseFuture",
    "SchemeKind",
    "SecurityScheme",
    "WaitError",
    "WaitOptions",
    "Waiter",
];

fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Splits `raw` into ASCII words: every other character separates words, so `x-rate.limit`
/// and `x_rate_limit` give the same words.
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `raw`'s words in one case, else `fallback` when nothing usable is left.
fn converted(raw: &str, fallback: &str, case: fn(&str) -> String) -> String {
    let name = case(&ascii_words(raw));
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    }
}

fn starts_with_digit(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_digit())
}

/// `UpperCamelCase` type or variant name; `fallback` when nothing usable is left.
pub fn type_case(raw: &str, fallback: &str) -> String {
    let name = converted(raw, fallback, |words| words.to_upper_camel_case());
    if starts_with_digit(&name) {
        format!("V{name}")
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Variant name of an enum value: its words, else its symbols spelled out (`<=` -> `LtEq`,
/// `""` -> `Empty`), else `Value{index}`.
pub fn value_case(value: &str, index: usize) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let words = type_case(value, "");
    if !words.is_empty() {
        return words;
    }
    let symbols: Option<String> = value.chars().map(symbol_name).collect();
    symbols.unwrap_or_else(|| format!("Value{index}"))
}

fn symbol_name(c: char) -> Option<&'static str> {
    Some(match c {
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '/' => "Slash",
        '\\' => "Backslash",
        '<' => "Lt",
        '>' => "Gt",
        '=' => "Eq",
        '!' => "Bang",
        '.' => "Dot",
        ',' => "Comma",
        ':' => "Colon",
        ';' => "Semicolon",
        '_' => "Underscore",
        '@' => "At",
        '#' => "Hash",
        '$' => "Dollar",
        '%' => "Percent",
        '&' => "And",
        '|' => "Or",
        '~' => "Tilde",
        '^' => "Caret",
        '?' => "Question",
        ' ' => "Space",
        _ => return None,
    })
}

/// `snake_case` field, parameter, method or module name (keywords become raw identifiers).
pub fn snake_case(raw: &str, fallback: &str) -> String {
    let name = converted(raw, fallback, |words| words.to_snake_case());
    if starts_with_digit(&name) {
        format!("_{name}")
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `snake_case` without raw identifiers, for file and module names (`type` -> `type_`).
pub fn module_case(raw: &str, fallback: &str) -> String {
    let name = snake_case(raw, fallback);
    match name.strip_prefix("r#") {
        Some(word) => format!("{word}_"),
        None => name,
    }
}

/// `SHOUTY_SNAKE_CASE` constant or static name.
pub fn const_case(raw: &str, fallback: &str) -> String {
    let name = converted(raw, fallback, |words| words.to_shouty_snake_case());
    if starts_with_digit(&name) {
        format!("_{name}")
    } else {
        name
    }
}

/// One namespace: hands out each requested name once, adding a numeric suffix on collision.
/// Linear: a per-base counter avoids rescanning suffixes already taken.
#[derive(Debug, Default)]
pub struct Namespace {
    used: HashSet<String>,
    next_suffix: HashMap<String, u32>,
    /// Joins base and suffix: `""` for type case (`Asc2`), `"_"` for snake case (`id_2`).
    separator: &'static str,
}

impl Namespace {
    /// A namespace for `UpperCamelCase` names, with `reserved` names already taken.
    pub fn types(reserved: &[&str]) -> Self {
        Self::with(reserved, "")
    }

    /// A namespace for `snake_case` names, with `reserved` names already taken.
    pub fn snake(reserved: &[&str]) -> Self {
        Self::with(reserved, "_")
    }

    fn with(reserved: &[&str], separator: &'static str) -> Self {
        Namespace {
            used: reserved.iter().map(|name| (*name).to_owned()).collect(),
            next_suffix: HashMap::new(),
            separator,
        }
    }

    /// Those of `names` nobody has claimed.
    pub fn free_of(&self, names: &[&str]) -> BTreeSet<String> {
        names
            .iter()
            .filter(|name| !self.used.contains(**name))
            .map(|name| (*name).to_owned())
            .collect()
    }

    /// `base` if free, else `base` + the first free suffix from 2.
    pub fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        // A raw identifier takes its suffix on the plain word: `r#type` -> `type_2`.
        let stem = base.strip_prefix("r#").unwrap_or(base);
        let counter = self.next_suffix.entry(stem.to_owned()).or_insert(2);
        loop {
            let candidate = format!("{stem}{}{counter}", self.separator);
            *counter += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`pointer_segment`].
pub fn unescape_pointer_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_cases_and_escapes() {
        assert_eq!(type_case("osType", "X"), "OsType");
        assert_eq!(type_case("ASC", "X"), "Asc");
        assert_eq!(type_case("2fa", "X"), "V2fa");
        assert_eq!(type_case("+-", "Value"), "Value");
        assert_eq!(value_case("<=", 0), "LtEq");
        assert_eq!(value_case("", 0), "Empty");
        assert_eq!(value_case("中文", 3), "Value3");
        assert_eq!(value_case("x-y", 0), "XY");
        assert_eq!(snake_case("osType", "x"), "os_type");
        assert_eq!(snake_case("type", "x"), "r#type");
        assert_eq!(snake_case("self", "x"), "self_");
        assert_eq!(snake_case("2fa", "x"), "_2fa");
        assert_eq!(snake_case("@odata.type", "x"), "odata_type");
        assert_eq!(module_case("type", "x"), "type_");
        assert_eq!(const_case("jdcloudSigning", "X"), "JDCLOUD_SIGNING");
    }

    #[test]
    fn claims_are_unique_in_order() {
        let mut names = Namespace::types(&["String"]);
        assert_eq!(names.claim("Asc"), "Asc");
        assert_eq!(names.claim("Asc"), "Asc2");
        assert_eq!(names.claim("Asc2"), "Asc22");
        assert_eq!(names.claim("Asc"), "Asc3");
        assert_eq!(names.claim("String"), "String2");
        let mut fields = Namespace::snake(&[]);
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("r#type"), "type_2");
        let free = names.free_of(&["Asc", "Error"]);
        assert_eq!(free.into_iter().collect::<Vec<_>>(), ["Error"]);
    }
}
