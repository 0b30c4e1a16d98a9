//! The next version of a crate after an API change, by Cargo's semver rules: below 1.0 the
//! leftmost non-zero component is the "major" one (0.3.1 -> 0.4.0 for a breaking change,
//! 0.3.1 -> 0.3.2 for an additive one, 0.0.4 -> 0.0.5 for either).

use std::fmt;

use super::diff::{ApiDiff, Class};

/// Which component the change bumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing differs: no release needed.
    None,
    /// Only docs or wire behaviour changed.
    Patch,
    /// New API.
    Minor,
    /// Some caller may no longer compile.
    Major,
}

impl Bump {
    /// The bump a change asks for: breaking -> major, additive -> minor, docs or wire only ->
    /// patch (the published docs or behaviour differ), nothing -> none.
    pub fn of(diff: &ApiDiff) -> Bump {
        match diff.class {
            Class::Breaking => Bump::Major,
            Class::Additive => Bump::Minor,
            Class::None if diff.is_empty() => Bump::None,
            Class::None => Bump::Patch,
        }
    }

    /// How the report names the bump: `none`, `patch`, `minor`, `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// A `MAJOR.MINOR.PATCH` version (pre-release and build metadata are refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Incompatible API changes (at 1.0 and above).
    pub major: u64,
    /// Backwards-compatible additions.
    pub minor: u64,
    /// Fixes with the same API.
    pub patch: u64,
}

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split('.').collect();
        let number = |part: &str| {
            part.parse::<u64>().map_err(|_| {
                format!("version `{text}` is not MAJOR.MINOR.PATCH (pre-releases are not handled)")
            })
        };
        match parts.as_slice() {
            [major, minor, patch] => Ok(Version {
                major: number(major)?,
                minor: number(minor)?,
                patch: number(patch)?,
            }),
            _ => Err(format!("version `{text}` is not MAJOR.MINOR.PATCH")),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Version {
    /// The version after a change of the given size.
    pub fn bump(self, bump: Bump) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        // Below 1.0, every component shifts one place to the right.
        let bump = match (major, minor, bump) {
            (_, _, Bump::None) => return self,
            (0, 0, _) => Bump::Patch,
            (0, _, Bump::Major) => Bump::Minor,
            (0, _, Bump::Minor) => Bump::Patch,
            (_, _, bump) => bump,
        };
        match bump {
            Bump::Major => Version {
                major: major + 1,
                minor: 0,
                patch: 0,
            },
            Bump::Minor => Version {
                major,
                minor: minor + 1,
                patch: 0,
            },
            _ => Version {
                major,
                minor,
                patch: patch + 1,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(version: &str, bump: Bump) -> String {
        version.parse::<Version>().unwrap().bump(bump).to_string()
    }

    #[test]
    fn zero_x_shifts_the_components_right() {
        assert_eq!(next("1.2.3", Bump::Major), "2.0.0");
        assert_eq!(next("1.2.3", Bump::Minor), "1.3.0");
        assert_eq!(next("1.2.3", Bump::Patch), "1.2.4");
        assert_eq!(next("0.3.1", Bump::Major), "0.4.0");
        assert_eq!(next("0.3.1", Bump::Minor), "0.3.2");
        assert_eq!(next("0.3.1", Bump::Patch), "0.3.2");
        assert_eq!(next("0.0.4", Bump::Major), "0.0.5");
        assert_eq!(next("0.0.4", Bump::Minor), "0.0.5");
        assert_eq!(next("0.1.0", Bump::None), "0.1.0");
    }

    #[test]
    fn refuses_what_is_not_major_minor_patch() {
        for bad in ["1.2", "1.2.3-beta.1", "x.1.2", ""] {
            let error = bad.parse::<Version>().unwrap_err();
            assert!(error.contains(&format!("`{bad}`")), "{error}");
        }
    }
}
