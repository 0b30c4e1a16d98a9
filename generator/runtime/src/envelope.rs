//! One-pass JSON decoding of a response body, optionally unwrapping one field of an
//! envelope object (`{"requestId": ..., "result": {...}}`) and picking up the request id
//! on the way; the other top-level fields are skipped without being built.
//!
//! serde_json decodes once; a failure's path is read from the document at the error's
//! position ([`crate::locate`]), so no type is decoded a second time to find it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::UnitDeserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::error::DecodeError;
use crate::locate::error_path;

/// Decodes `body` as the whole-document value of `seed`; on failure names the path.
pub(crate) fn decode<'de, S>(body: &'de [u8], seed: S) -> Result<S::Value, DecodeError>
where
    S: DeserializeSeed<'de>,
{
    let mut de = serde_json::Deserializer::from_slice(body);
    seed.deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value))
        .map_err(|error| DecodeError::new(error_path(body, &error), error.to_string()))
}

/// Picks `field` (decoded as `T`) and the string at `request_id` out of a top-level object.
pub(crate) struct EnvelopeSeed<'f, T> {
    field: Option<&'f str>,
    request_id: Option<&'f str>,
    value: PhantomData<fn() -> T>,
}

impl<'f, T> EnvelopeSeed<'f, T> {
    pub(crate) fn new(field: Option<&'f str>, request_id: Option<&'f str>) -> Self {
        EnvelopeSeed {
            field,
            request_id,
            value: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
    /// The field's value if present, and the request id if present.
    type Value = (Option<T>, Option<String>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeSeed<'_, T> {
    type Value = (Option<T>, Option<String>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (the response envelope)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = None;
        let mut request_id = None;
        while let Some(key) = map.next_key_seed(KeySeed {
            field: self.field,
            request_id: self.request_id,
        })? {
            match key {
                Key::Field if value.is_some() => {
                    let field = self.field.unwrap_or_default();
                    return Err(de::Error::custom(format_args!("duplicate field `{field}`")));
                }
                Key::Field => value = Some(map.next_value::<T>()?),
                Key::RequestId => request_id = map.next_value_seed(RequestIdSeed)?,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((value, request_id))
    }
}

/// `T` as decoded from an absent field: works for `()`, `Option`, `serde_json::Value`.
pub(crate) fn from_absent<'de, T: Deserialize<'de>>(field: &str) -> Result<T, DecodeError> {
    T::deserialize(UnitDeserializer::<de::value::Error>::new())
        .map_err(|_| DecodeError::new(".", format!("missing field `{field}`")))
}

enum Key {
    Field,
    RequestId,
    Other,
}

/// Classifies a key without allocating it.
#[derive(Clone, Copy)]
struct KeySeed<'f> {
    field: Option<&'f str>,
    request_id: Option<&'f str>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(if Some(key) == self.field {
            Key::Field
        } else if Some(key) == self.request_id {
            Key::RequestId
        } else {
            Key::Other
        })
    }
}

/// A request id: a string (or a number, kept as text); anything else is skipped, so an odd
/// request id never fails an otherwise good response.
struct RequestIdSeed;

impl<'de> DeserializeSeed<'de> for RequestIdSeed {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RequestIdSeed {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a request id")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(value.to_owned()))
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Some(value))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Some(value.to_string()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Image {
        os_type: String,
        size: u32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Wrapper {
        image: Image,
    }

    fn result(body: &str) -> Result<(Option<Wrapper>, Option<String>), DecodeError> {
        decode(
            body.as_bytes(),
            EnvelopeSeed::new(Some("result"), Some("requestId")),
        )
    }

    #[test]
    fn unwraps_and_keeps_request_id_in_any_order() {
        let body = r#"{"result":{"image":{"osType":"linux","size":4,"extra":[1]}},"other":{"a":[]},"requestId":"r-1"}"#;
        let (value, id) = result(body).unwrap();
        assert_eq!(
            value.unwrap().image,
            Image {
                os_type: "linux".into(),
                size: 4
            }
        );
        assert_eq!(id.as_deref(), Some("r-1"));
    }

    #[test]
    fn names_the_path_with_the_envelope_prefix() {
        let error = result(r#"{"requestId":"r","result":{"image":{"osType":"l","size":"big"}}}"#)
            .unwrap_err();
        assert_eq!(error.path, "result.image.size");
        let error =
            result(r#"{"requestId":"r","result":{"image":{"osType":7,"size":1}}}"#).unwrap_err();
        assert_eq!(error.path, "result.image.osType");
    }

    #[test]
    fn refuses_non_objects_trailing_data_and_duplicates() {
        assert_eq!(result("[1]").unwrap_err().path, ".");
        assert!(
            result("<html>")
                .unwrap_err()
                .message
                .contains("expected value")
        );
        assert!(
            result(r#"{"requestId":"r"} x"#)
                .unwrap_err()
                .message
                .contains("trailing")
        );
        let duplicate = r#"{"result":{"image":{"osType":"l","size":1}},"result":{}}"#;
        assert!(
            result(duplicate)
                .unwrap_err()
                .message
                .contains("duplicate field `result`")
        );
    }

    #[test]
    fn odd_request_ids_are_skipped_or_kept_as_text() {
        let (_, id) = decode(
            br#"{"requestId":12}"#,
            EnvelopeSeed::<IgnoredAny>::new(None, Some("requestId")),
        )
        .unwrap();
        assert_eq!(id.as_deref(), Some("12"));
        let (_, id) = decode(
            br#"{"requestId":{"a":1}}"#,
            EnvelopeSeed::<IgnoredAny>::new(None, Some("requestId")),
        )
        .unwrap();
        assert_eq!(id, None);
    }

    #[test]
    fn absent_field_decodes_only_into_unit_like_types() {
        assert_eq!(from_absent::<Option<u8>>("result"), Ok(None));
        assert_eq!(from_absent::<()>("result"), Ok(()));
        assert!(
            from_absent::<Wrapper>("result")
                .unwrap_err()
                .message
                .contains("missing field `result`")
        );
    }
}
