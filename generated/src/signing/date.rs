//! The signing timestamp, `YYYYMMDDTHHMMSSZ` in UTC.
//!
//! Formatted by hand from the Unix time: one small civil-from-days conversion is all the
//! signer needs, so the crate does not take on a date-time dependency for it.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC timestamp in JD Cloud's `x-jdcloud-date` form, e.g. `20260102T030405Z`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SigningDate(String);

impl SigningDate {
    /// The current UTC time.
    pub fn now() -> SigningDate {
        SigningDate::at(SystemTime::now())
    }

    /// The UTC time `time` (whole seconds), e.g. the runtime's clock-skew corrected time.
    pub fn at(time: SystemTime) -> SigningDate {
        // A clock before 1970 is a broken clock; signing with the epoch makes the gateway
        // reject the request with a clear clock-skew error instead of panicking here.
        let seconds = time
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        SigningDate::from_unix_seconds(seconds)
    }

    /// The UTC time `seconds` after the Unix epoch.
    pub fn from_unix_seconds(seconds: u64) -> SigningDate {
        let days = seconds / 86_400;
        let second_of_day = seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        SigningDate(format!(
            "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60
        ))
    }

    /// The full timestamp, `YYYYMMDDTHHMMSSZ`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date part, `YYYYMMDD`, used in the credential scope.
    pub fn date8(&self) -> &str {
        &self.0[..8]
    }
}

impl fmt::Display for SigningDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a timestamp could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSigningDate(String);

impl fmt::Display for InvalidSigningDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid signing date `{}`: expected `YYYYMMDDTHHMMSSZ` or `YYYY-MM-DDTHH:MM:SSZ` (UTC)",
            self.0
        )
    }
}

impl std::error::Error for InvalidSigningDate {}

impl FromStr for SigningDate {
    type Err = InvalidSigningDate;

    /// Accepts the compact form (`20260102T030405Z`) and RFC 3339 in UTC without fractions
    /// (`2026-01-02T03:04:05Z`).
    fn from_str(text: &str) -> Result<SigningDate, InvalidSigningDate> {
        let invalid = || InvalidSigningDate(text.to_owned());
        let bytes = text.as_bytes();
        let compact = match bytes.len() {
            16 => text.to_owned(),
            20 if [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')]
                .iter()
                .all(|&(at, separator)| bytes[at] == separator) =>
            {
                text.chars().filter(|c| !matches!(c, '-' | ':')).collect()
            }
            _ => return Err(invalid()),
        };
        let bytes = compact.as_bytes();
        let digits_ok = bytes.len() == 16
            && bytes[8] == b'T'
            && bytes[15] == b'Z'
            && bytes[..8]
                .iter()
                .chain(&bytes[9..15])
                .all(u8::is_ascii_digit);
        if !digits_ok {
            return Err(invalid());
        }
        let field =
            |range: std::ops::Range<usize>| compact[range].parse::<u32>().unwrap_or(u32::MAX);
        let in_range = (1..=12).contains(&field(4..6))
            && (1..=31).contains(&field(6..8))
            && field(9..11) < 24
            && field(11..13) < 60
            && field(13..15) < 61;
        if !in_range {
            return Err(invalid());
        }
        Ok(SigningDate(compact))
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`, for non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let cases = [
            (0, "19700101T000000Z"),
            (951_782_400, "20000229T000000Z"),
            (1_767_323_045, "20260102T030405Z"),
            (4_102_444_799, "20991231T235959Z"),
            (1_709_251_199, "20240229T235959Z"),
            (1_709_251_200, "20240301T000000Z"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(
                SigningDate::from_unix_seconds(seconds).as_str(),
                expected,
                "{seconds}"
            );
        }
    }

    #[test]
    fn every_day_of_a_leap_cycle_is_consecutive() {
        // Walk 400 years day by day: each date must follow the previous one in the calendar.
        let mut previous = civil_from_days(0);
        for days in 1..146_097 {
            let (year, month, day) = civil_from_days(days);
            let (py, pm, pd) = previous;
            let next_day = (year, month, day) == (py, pm, pd + 1);
            let next_month = (year, month, day) == (py, pm + 1, 1);
            let next_year = (year, month, day) == (py + 1, 1, 1) && (pm, pd) == (12, 31);
            assert!(
                next_day || next_month || next_year,
                "{previous:?} -> {:?}",
                (year, month, day)
            );
            previous = (year, month, day);
        }
        assert_eq!(previous, (2369, 12, 31));
    }

    #[test]
    fn parses_both_forms_and_rejects_others() {
        let compact: SigningDate = "20260102T030405Z".parse().unwrap();
        let rfc3339: SigningDate = "2026-01-02T03:04:05Z".parse().unwrap();
        assert_eq!(compact, rfc3339);
        assert_eq!(compact.date8(), "20260102");
        for bad in [
            "",
            "2026-01-02",
            "20260102T030405",
            "2026010203:04:05Z",
            "2026-01-02T03:04:05+00:00",
            "2026010xT030405Z",
            "20260102T030405Z----",
            "20261302T030405Z",
            "20260102T250405Z",
        ] {
            assert!(bad.parse::<SigningDate>().is_err(), "{bad}");
        }
    }
}
