//! `application/x-www-form-urlencoded` request bodies, from any serialisable struct.
//!
//! Each property is one `key=value` pair (OpenAPI's default `form` style, exploded): strings
//! as they are, numbers and booleans as JSON writes them, an array of scalars as the key
//! repeated once per item, and an object (or an array holding one) as JSON text; `null` and
//! absent properties send nothing. Pairs go in property-name order, the same in every build.

use serde::Serialize;
use serde_json::Value;

use crate::encode::sorted_fields;
use crate::request::{Body, Request};

impl Request {
    /// A form body (`application/x-www-form-urlencoded`): `body` must serialise as an object.
    pub fn form_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        let encoded = serde_json::to_value(body)
            .map_err(|error| error.to_string())
            .and_then(|value| form_encode(&value));
        self.body = Some(match encoded {
            Ok(text) => Body::Bytes {
                content_type: "application/x-www-form-urlencoded".to_owned(),
                bytes: text.into(),
            },
            Err(reason) => Body::Invalid(reason),
        });
        self
    }
}

/// The pairs of a JSON object, form-encoded.
fn form_encode(value: &Value) -> Result<String, String> {
    let Value::Object(properties) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in sorted_fields(properties) {
        match value {
            Value::Array(items) => {
                for item in items {
                    if let Some(text) = text(item) {
                        form.append_pair(key, &text);
                    }
                }
            }
            value => {
                if let Some(text) = text(value) {
                    form.append_pair(key, &text);
                }
            }
        }
    }
    Ok(form.finish())
}

/// A value as the text of one pair; `None` for `null`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_arrays_and_objects_become_pairs() {
        let value = json!({
            "name": "a b&c=d",
            "count": 3,
            "on": true,
            "gone": null,
            "tags": ["x", "y", null],
            "meta": {"k": [1]},
        });
        // Written out of name order: the pairs come out sorted by name whatever serde_json's
        // map keeps (insertion order when `preserve_order` is on, as in workspace builds).
        assert_eq!(
            form_encode(&value).unwrap(),
            "count=3&meta=%7B%22k%22%3A%5B1%5D%7D&name=a+b%26c%3Dd&on=true&tags=x&tags=y"
        );
    }

    #[test]
    fn only_an_object_is_a_form() {
        assert_eq!(
            form_encode(&json!([1])).unwrap_err(),
            "a form body must be an object"
        );
    }
}
