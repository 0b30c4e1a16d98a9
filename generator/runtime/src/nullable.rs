//! [`Nullable`]: a field that may be left out, sent as `null`, or sent with a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional, nullable field of a type callers send: three states where `Option` has two,
/// so a PATCH can clear a value (`Null`) as well as leave it alone (`Absent`).
///
/// Generated fields carry `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`:
/// a missing key decodes as `Absent` and `Absent` writes no key; `null` round-trips as
/// `Null`.
///
/// ```
/// use sdkgen_runtime::Nullable;
///
/// let clear: Nullable<String> = Nullable::Null;
/// let set = Nullable::from("new name".to_owned());
/// assert_eq!(set.value().map(String::as_str), Some("new name"));
/// assert!(clear.is_null() && Nullable::<String>::default().is_absent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not sent (the key is left out); what a missing key decodes as.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out (`skip_serializing_if` uses this).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one (`None` for both absent and `null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one (`None` for both absent and `null`).
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `None` is an explicit `null`: a caller who writes `None` for a nullable field means it.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // `Absent` only reaches here without `skip_serializing_if`; `null` is the closest.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Nullable;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    #[test]
    fn absent_null_and_a_value_survive_decode_and_encode() {
        for (wire, state) in [
            (json!({}), Nullable::Absent),
            (json!({"name": null}), Nullable::Null),
            (json!({"name": "x"}), Nullable::Value("x".to_owned())),
        ] {
            let patch: Patch = serde_json::from_value(wire.clone()).expect("decodes");
            assert_eq!(patch.name, state, "{wire}");
            assert_eq!(serde_json::to_value(&patch).expect("encodes"), wire);
        }
    }

    #[test]
    fn a_wrongly_typed_value_is_an_error() {
        let result: Result<Patch, _> = serde_json::from_value(json!({"name": 5}));
        assert!(result.is_err());
    }
}
