//! The document's version, read before anything else: it decides how the rest is read, and a
//! document in a version this generator does not read gets one clear line, not a parse error
//! from deep inside it.

use serde_json::Value;

use crate::error::GenerateError;

/// The OpenAPI versions this generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 3.0.x: read as is.
    V3_0,
    /// 3.1.x: normalised to the 3.0 shape first (see [`super::normalise`]).
    V3_1,
}

const SUPPORTED: &str = "supported: OpenAPI 3.0.x and 3.1.x";

/// The version `raw` declares in `openapi` (or `swagger`), or an error saying which versions
/// work.
pub fn detect(file: &str, raw: &Value) -> Result<Version, GenerateError> {
    let Some(object) = raw.as_object() else {
        return Err(GenerateError::at(
            file,
            "#",
            format!("not an OpenAPI document: the top level is not a mapping ({SUPPORTED})"),
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(GenerateError::at(
            file,
            "#/swagger",
            format!(
                "Swagger {} is not supported ({SUPPORTED}); convert it first, e.g. `npx \
                 swagger2openapi spec.yaml -o openapi.yaml` or editor.swagger.io (Edit > \
                 Convert to OpenAPI 3)",
                display(swagger)
            ),
        ));
    }
    let Some(declared) = object.get("openapi") else {
        return Err(GenerateError::at(
            file,
            "#",
            format!("not an OpenAPI document: no `openapi` version field ({SUPPORTED})"),
        ));
    };
    let Some(text) = declared.as_str() else {
        return Err(GenerateError::at(
            file,
            "#/openapi",
            format!(
                "the version must be a string such as \"3.1.0\", not {} ({SUPPORTED}; quote it in YAML)",
                display(declared)
            ),
        ));
    };
    match text.trim().split('.').collect::<Vec<_>>().as_slice() {
        ["3", "0", ..] => Ok(Version::V3_0),
        ["3", "1", ..] => Ok(Version::V3_1),
        _ => Err(GenerateError::at(
            file,
            "#/openapi",
            format!("OpenAPI version `{text}` is not supported ({SUPPORTED})"),
        )),
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(raw: Value) -> String {
        detect("x.yaml", &raw).unwrap_err().to_string()
    }

    #[test]
    fn reads_three_zero_and_three_one() {
        let version = |v: &str| detect("x.yaml", &serde_json::json!({ "openapi": v })).ok();
        assert_eq!(version("3.0.3"), Some(Version::V3_0));
        assert_eq!(version("3.0"), Some(Version::V3_0));
        assert_eq!(version("3.1.0"), Some(Version::V3_1));
        assert_eq!(version("3.1.1"), Some(Version::V3_1));
        assert_eq!(version("3.10.0"), None);
    }

    #[test]
    fn swagger_two_says_how_to_convert() {
        let text = message(serde_json::json!({ "swagger": "2.0", "paths": {} }));
        assert!(text.starts_with("x.yaml#/swagger: Swagger 2.0 is not supported (supported: OpenAPI 3.0.x and 3.1.x); convert it first"), "{text}");
        assert!(text.contains("swagger2openapi"), "{text}");
        assert!(!text.contains('\n'), "{text}");
    }

    #[test]
    fn other_versions_name_the_supported_ones() {
        assert_eq!(
            message(serde_json::json!({ "openapi": "4.0.0" })),
            "x.yaml#/openapi: OpenAPI version `4.0.0` is not supported (supported: OpenAPI 3.0.x and 3.1.x)"
        );
        assert_eq!(
            message(serde_json::json!({ "openapi": 3.1 })),
            "x.yaml#/openapi: the version must be a string such as \"3.1.0\", not 3.1 (supported: OpenAPI 3.0.x and 3.1.x; quote it in YAML)"
        );
        assert_eq!(
            message(serde_json::json!({ "info": {} })),
            "x.yaml#: not an OpenAPI document: no `openapi` version field (supported: OpenAPI 3.0.x and 3.1.x)"
        );
    }
}
