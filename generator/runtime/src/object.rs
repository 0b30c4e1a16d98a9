//! Decoding the structs generated for object schemas (for generated code: a [`Fields`]
//! impl is trusted to agree with its own `NAMES`).
//!
//! `#[derive(Deserialize)]` expands to about 200 lines per struct (a field enum, two
//! visitors, a sequence form JSON never uses), and rustc expands, lowers and hashes them
//! again on every incremental compile: in a crate of hundreds of models that was half of
//! `cargo check` after a touch. A generated struct instead declares one `Option` slot per
//! property ([`Fields`]), and the loop over the object's keys is written and type-checked
//! once, here (it is still instantiated per struct). Decoding behaves as the derive does:
//! unknown keys are skipped, a repeated key is a "duplicate field" error, a missing required
//! key a "missing field" one (unless its type accepts nothing, as `Option` does), and a value
//! that is not an object is "invalid type: ..., expected struct Name". One difference:
//! serde's derive also takes a sequence of the values in declaration order (a JSON array, or
//! a struct as bincode or postcard write it); an object schema does not allow that, and this
//! refuses it. Those formats could not carry these structs before either, as the fields an
//! optional value leaves out (`skip_serializing_if`) shift every later one.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};

/// A generated struct's properties while it is decoded: slot `i` holds the value of the
/// key [`NAMES`](Fields::NAMES)`[i]`.
pub trait Fields: Default {
    /// The struct these fields make.
    type Object;
    /// The struct's name, for error messages.
    const NAME: &'static str;
    /// The properties' names on the wire, in slot order.
    const NAMES: &'static [&'static str];

    /// The slot of the property `key` names, `None` for one the struct does not declare: a
    /// `match` on string literals, which compiles to comparisons of lengths and machine
    /// words where a search through [`NAMES`](Fields::NAMES) would call `memcmp` for each.
    fn index(key: &str) -> Option<usize>;

    /// Reads the next value of `map` into slot `index` (with [`take`]); `false` if that slot
    /// is filled already.
    fn take<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A)
    -> Result<bool, A::Error>;

    /// The struct, or the wire name of a required property that was missing (with
    /// [`required`]).
    fn finish(self) -> Result<Self::Object, &'static str>;
}

/// Decodes the struct that `F` describes from a map (a JSON object).
pub fn deserialize<'de, D: Deserializer<'de>, F: Fields>(
    deserializer: D,
) -> Result<F::Object, D::Error> {
    deserializer.deserialize_struct(F::NAME, F::NAMES, ObjectVisitor::<F>(PhantomData))
}

/// Fills `slot` with the map's next value; `false` (reading nothing) if it is filled already.
pub fn take<'de, T: DeserializeOwned, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Ok(false);
    }
    *slot = Some(map.next_value()?);
    Ok(true)
}

/// The value of a required property; if it was missing, what its type makes of nothing (as
/// serde's derive does: `None` for an `Option`), else `Err(name)`.
pub fn required<T: DeserializeOwned>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, &'static str> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing).map_err(|_| name),
    }
}

struct ObjectVisitor<F>(PhantomData<F>);

impl<'de, F: Fields> Visitor<'de> for ObjectVisitor<F> {
    type Value = F::Object;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", F::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F::Object, A::Error> {
        let mut fields = F::default();
        while let Some(key) = map.next_key_seed(Key::<F>(PhantomData))? {
            match key {
                Some(index) => {
                    if !fields.take(index, &mut map)? {
                        return Err(de::Error::duplicate_field(F::NAMES[index]));
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        fields.finish().map_err(de::Error::missing_field)
    }
}

/// A key: the index of the property it names, `None` for one the struct does not declare.
struct Key<F>(PhantomData<F>);

impl<'de, F: Fields> DeserializeSeed<'de> for Key<F> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, F: Fields> Visitor<'de> for Key<F> {
    type Value = Option<usize>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("field identifier")
    }

    /// A field's position, as serde's derive also takes for a key.
    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|index| *index < F::NAMES.len()))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(F::index(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(key).ok().and_then(F::index))
    }
}

/// What a missing property decodes from: `None` for an `Option`, an error for anything else.
struct Missing;

#[derive(Debug)]
struct MissingError;

impl fmt::Display for MissingError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("missing")
    }
}

impl std::error::Error for MissingError {}

impl de::Error for MissingError {
    fn custom<T: fmt::Display>(_: T) -> Self {
        MissingError
    }
}

impl<'de> Deserializer<'de> for Missing {
    type Error = MissingError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, MissingError> {
        Err(MissingError)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, MissingError> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::{Fields, deserialize, required, take};
    use crate::Nullable;

    /// What the generator writes for `{id: string (required), note: string|null (required),
    /// tag: string, clear: nullable string}`.
    #[derive(Debug, PartialEq)]
    struct Item {
        id: String,
        note: Option<String>,
        tag: Option<String>,
        clear: Nullable<String>,
    }

    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            #[derive(Default)]
            struct Slots {
                id: Option<String>,
                note: Option<Option<String>>,
                tag: Option<Option<String>>,
                clear: Option<Nullable<String>>,
            }

            impl Fields for Slots {
                type Object = Item;
                const NAME: &'static str = "Item";
                const NAMES: &'static [&'static str] = &["id", "note", "tag", "clear"];

                fn index(key: &str) -> Option<usize> {
                    match key {
                        "id" => Some(0),
                        "note" => Some(1),
                        "tag" => Some(2),
                        "clear" => Some(3),
                        _ => None,
                    }
                }

                fn take<'de, A: serde::de::MapAccess<'de>>(
                    &mut self,
                    index: usize,
                    map: &mut A,
                ) -> Result<bool, A::Error> {
                    match index {
                        0 => take(&mut self.id, map),
                        1 => take(&mut self.note, map),
                        2 => take(&mut self.tag, map),
                        _ => take(&mut self.clear, map),
                    }
                }

                fn finish(self) -> Result<Item, &'static str> {
                    Ok(Item {
                        id: required(self.id, "id")?,
                        note: required(self.note, "note")?,
                        tag: self.tag.unwrap_or_default(),
                        clear: self.clear.unwrap_or_default(),
                    })
                }
            }

            deserialize::<D, Slots>(deserializer)
        }
    }

    fn item(id: &str) -> Item {
        Item {
            id: id.to_owned(),
            note: None,
            tag: None,
            clear: Nullable::Absent,
        }
    }

    #[test]
    fn decodes_known_keys_and_skips_unknown_ones() {
        let text = r#"{"tag": "t", "extra": {"deep": [1, 2]}, "id": "a\"b", "clear": null}"#;
        let decoded: Item = serde_json::from_str(text).unwrap();
        let expected = Item {
            tag: Some("t".to_owned()),
            clear: Nullable::Null,
            ..item("a\"b")
        };
        assert_eq!(decoded, expected);
        let from_value: Item = serde_json::from_value(json!({"id": "x", "note": "n"})).unwrap();
        let expected = Item {
            note: Some("n".to_owned()),
            ..item("x")
        };
        assert_eq!(from_value, expected);
    }

    #[test]
    fn a_missing_optional_is_absent_and_a_missing_required_option_is_none() {
        let decoded: Item = serde_json::from_str(r#"{"id": "a"}"#).unwrap();
        assert_eq!(decoded, item("a"));
    }

    /// The same struct as serde's derive decodes it, to compare error messages with.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // read only through `Debug`
    struct Derived {
        id: String,
        note: Option<String>,
        #[serde(default)]
        tag: Option<String>,
        #[serde(default)]
        clear: Nullable<String>,
    }

    #[test]
    fn errors_read_as_serde_derive_s() {
        let cases = [
            r#"{"note": null}"#,
            r#"{"id": "a", "id": "b"}"#,
            r#"{"id": 7}"#,
            r#"{"id": "a", "tag": [1]}"#,
            r#""text""#,
            "7",
            "null",
        ];
        for text in cases {
            let ours = serde_json::from_str::<Item>(text).unwrap_err().to_string();
            let derived = serde_json::from_str::<Derived>(text)
                .unwrap_err()
                .to_string();
            assert_eq!(ours, derived.replace("Derived", "Item"), "for {text}");
        }
        // The one difference: an array of the values in order, which the derive takes.
        let text = r#"["a", null, null, null]"#;
        assert!(serde_json::from_str::<Derived>(text).is_ok());
        let refused = serde_json::from_str::<Item>(text).unwrap_err().to_string();
        assert_eq!(
            refused,
            "invalid type: sequence, expected struct Item at line 1 column 1"
        );
    }

    #[test]
    fn a_missing_required_value_is_an_error_even_where_null_would_do() {
        #[derive(Debug)]
        struct Holder(serde_json::Value);

        #[derive(Default)]
        struct Slots {
            value: Option<serde_json::Value>,
        }

        impl Fields for Slots {
            type Object = Holder;
            const NAME: &'static str = "Holder";
            const NAMES: &'static [&'static str] = &["value"];

            fn index(key: &str) -> Option<usize> {
                (key == "value").then_some(0)
            }

            fn take<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                _: usize,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                take(&mut self.value, map)
            }

            fn finish(self) -> Result<Holder, &'static str> {
                Ok(Holder(required(self.value, "value")?))
            }
        }

        let mut decoder = serde_json::Deserializer::from_str("{}");
        let error = deserialize::<_, Slots>(&mut decoder).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing field `value` at line 1 column 2"
        );
        let mut decoder = serde_json::Deserializer::from_str(r#"{"value": null}"#);
        let holder = deserialize::<_, Slots>(&mut decoder).unwrap();
        assert!(holder.0.is_null());
    }
}
