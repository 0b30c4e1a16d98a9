//! What can go wrong, and where: errors stop generation, warnings describe a fallback taken.

use std::fmt;

/// Where in the input a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A syntax error: 1-based line and column in the file.
    Text {
        /// The name the spec was given as.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A construct in the parsed document, by JSON pointer (`#/paths/~1pets/get`).
    Pointer {
        /// The name the spec was given as.
        file: String,
        /// `#` followed by an RFC 6901 pointer.
        pointer: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Location::Pointer { file, pointer } => write!(f, "{file}{pointer}"),
        }
    }
}

/// Why a spec could not be turned into Rust; names the place and the construct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, naming the construct.
    pub message: String,
}

impl GenerateError {
    pub(crate) fn at(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        GenerateError {
            location: Location::Pointer {
                file: file.to_owned(),
                pointer: pointer.to_owned(),
            },
            message: message.into(),
        }
    }

    pub(crate) fn syntax(
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        GenerateError {
            location: Location::Text {
                file: file.to_owned(),
                line,
                column,
            },
            message: message.into(),
        }
    }
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for GenerateError {}

/// A construct the generator does not support, and the documented fallback it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer of the construct (`#/components/schemas/Pet/not`).
    pub pointer: String,
    /// What was not supported, and the fallback used.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}
