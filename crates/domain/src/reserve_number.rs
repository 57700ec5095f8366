//! Reservnummer: the region's own number for a person who has no personnummer or
//! samordningsnummer (a visitor from abroad, a person not yet identified). Every region has its
//! own format and its own identifier system, so both live in the rule set's `[reserve_number]`
//! section; a region adopting Samsyn writes its own.
//!
//! Samsyn reads the person's birth date from the first eight characters (`ÅÅÅÅMMDD`), as the
//! formats of Region Örebro län, Västra Götalandsregionen, Region Värmland and the national
//! reservnummer have it: the agreement's age limit and the measurement's age groups need it.

use crate::rules::RuleSetError;
use crate::rules::error::invalid;
use jiff::civil::Date;
use serde::Deserialize;
use std::fmt;

/// The longest reservnummer any region's format produces, with room to spare.
const MAX_CHARS: usize = 16;

/// The `[reserve_number]` section: what a valid reservnummer looks like, and the identifier
/// system (OID) that names it in FHIR.
#[derive(Debug, Clone)]
pub struct ReserveNumberRules {
    pattern: regex::Regex,
    /// The format in words, shown when a number does not follow it.
    pub description: String,
    /// `Identifier.system` of the region's reservnummer, e.g. `urn:oid:1.2.752.74.9.3`.
    pub fhir_system: String,
    /// A number in the format, checked at load.
    pub example: String,
}

impl ReserveNumberRules {
    /// Whether `text` is exactly in the region's format.
    pub fn matches(&self, text: &str) -> bool {
        self.pattern.is_match(text)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReserveNumber {
    pattern: String,
    description: String,
    example: String,
    fhir_system: String,
}

impl RawReserveNumber {
    pub fn validate(self) -> Result<ReserveNumberRules, RuleSetError> {
        let pattern = regex::Regex::new(&format!("^(?:{})$", self.pattern)).map_err(|_| {
            invalid(
                "reserve_number.pattern",
                "är inte ett giltigt reguljärt uttryck",
            )
        })?;
        if self.description.trim().is_empty() {
            return Err(invalid(
                "reserve_number.description",
                "beskriv formatet med ord, t.ex. med ett exempel",
            ));
        }
        if !(self.fhir_system.starts_with("urn:oid:") || self.fhir_system.starts_with("http")) {
            return Err(invalid(
                "reserve_number.fhir_system",
                "måste vara en OID (urn:oid:…) eller en URL",
            ));
        }
        let rules = ReserveNumberRules {
            pattern,
            description: self.description.trim().to_owned(),
            fhir_system: self.fhir_system,
            example: self.example.trim().to_owned(),
        };
        ReserveNumber::parse(&self.example, &rules, Date::MAX).map_err(|e| {
            invalid(
                "reserve_number.example",
                format!("följer inte mönstret eller börjar inte med ett födelsedatum ({e})"),
            )
        })?;
        Ok(rules)
    }
}

/// A reservnummer that follows the region's format and begins with a real birth date.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReserveNumber {
    chars: [u8; MAX_CHARS],
    len: u8,
}

/// Why an input is not a valid reservnummer. Messages never echo the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReserveNumberError {
    #[error("Reservnumret följer inte regionens format: {0}.")]
    WrongFormat(String),
    #[error("Reservnumrets första åtta tecken ska vara personens födelsedatum, ÅÅÅÅMMDD.")]
    InvalidDate,
    #[error("Reservnumrets födelsedatum ligger i framtiden.")]
    FutureDate,
}

impl ReserveNumber {
    /// Checks `input` against the region's format; lower-case letters are read as capitals.
    pub fn parse(
        input: &str,
        rules: &ReserveNumberRules,
        today: Date,
    ) -> Result<Self, ReserveNumberError> {
        let trimmed = input.trim();
        let wrong = || ReserveNumberError::WrongFormat(rules.description.clone());
        let text = if rules.pattern.is_match(trimmed) {
            trimmed.to_owned()
        } else {
            let upper = trimmed.to_ascii_uppercase();
            if !rules.pattern.is_match(&upper) {
                return Err(wrong());
            }
            upper
        };
        let number = Self::from_text(&text).ok_or_else(wrong)?;
        if number.birth_date().ok_or(ReserveNumberError::InvalidDate)? > today {
            return Err(ReserveNumberError::FutureDate);
        }
        Ok(number)
    }

    /// A number read back from storage, where it was checked against the format when it was
    /// registered: only its shape and birth date are checked again.
    pub fn from_stored(text: &str) -> Option<Self> {
        let number = Self::from_text(text)?;
        number.birth_date().map(|_| number)
    }

    fn from_text(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() < 8 || bytes.len() > MAX_CHARS || !text.is_ascii() {
            return None;
        }
        let mut chars = [0u8; MAX_CHARS];
        chars[..bytes.len()].copy_from_slice(bytes);
        Some(ReserveNumber {
            chars,
            len: u8::try_from(bytes.len()).ok()?,
        })
    }

    /// The full number. Call only where the number must be shown or stored.
    pub fn expose(&self) -> String {
        self.chars[..usize::from(self.len)]
            .iter()
            .map(|b| char::from(*b))
            .collect()
    }

    /// A masked form that reveals only the birth date: `ÅÅÅÅMMDD-****`.
    pub fn masked(&self) -> String {
        format!("{}-****", &self.expose()[..8])
    }

    /// The birth date in the first eight characters; `None` only for a number never validated.
    pub fn birth_date(&self) -> Option<Date> {
        let digits = &self.chars[..8];
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let number = |range: std::ops::Range<usize>| {
            digits[range]
                .iter()
                .fold(0i32, |acc, d| acc * 10 + i32::from(d - b'0'))
        };
        Date::new(
            i16::try_from(number(0..4)).ok()?,
            i8::try_from(number(4..6)).ok()?,
            i8::try_from(number(6..8)).ok()?,
        )
        .ok()
    }
}

impl fmt::Debug for ReserveNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReserveNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 2);

    fn orebro() -> ReserveNumberRules {
        crate::RuleSet::from_toml(include_str!("../../../rules/orebro-2025.toml"))
            .unwrap()
            .reserve_number
    }

    #[test]
    fn the_orebro_format_is_accepted_and_keeps_the_birth_date() {
        let number = ReserveNumber::parse(" 19450829tb1f ", &orebro(), TODAY).unwrap();
        assert_eq!(number.expose(), "19450829TB1F");
        assert_eq!(number.birth_date(), Some(date(1945, 8, 29)));
        assert_eq!(number.masked(), "19450829-****");
        assert_eq!(format!("{number:?}"), "ReserveNumber(19450829-****)");
    }

    #[test]
    fn numbers_outside_the_format_are_refused_without_echoing_them() {
        let rules = orebro();
        for bad in [
            "19450829SB1F",
            "19450829TB1K",
            "19451329TB1F",
            "19450829T1",
            "",
        ] {
            let error = ReserveNumber::parse(bad, &rules, TODAY).unwrap_err();
            assert_eq!(
                error,
                ReserveNumberError::WrongFormat(rules.description.clone())
            );
            assert!(bad.is_empty() || !error.to_string().contains(bad));
        }
        assert_eq!(
            ReserveNumber::parse("19450231TB1F", &rules, TODAY),
            Err(ReserveNumberError::InvalidDate)
        );
        assert_eq!(
            ReserveNumber::parse("20270101TB1F", &rules, TODAY),
            Err(ReserveNumberError::FutureDate)
        );
    }

    #[test]
    fn stored_numbers_are_read_back_by_shape() {
        let number = ReserveNumber::parse("19450829TB1F", &orebro(), TODAY).unwrap();
        assert_eq!(ReserveNumber::from_stored(&number.expose()), Some(number));
        assert_eq!(ReserveNumber::from_stored("1945TB1F"), None);
        assert_eq!(ReserveNumber::from_stored("19450829TB1F19450829"), None);
    }

    #[test]
    fn a_rule_set_whose_example_breaks_its_own_format_is_refused() {
        let raw = |pattern: &str, example: &str| RawReserveNumber {
            pattern: pattern.into(),
            description: "ÅÅÅÅMMDD och fyra tecken".into(),
            example: example.into(),
            fhir_system: "urn:oid:1.2.752.74.9.3".into(),
        };
        assert!(
            raw("[0-9]{8}T[A-Z0-9]{3}", "19450829TB1F")
                .validate()
                .is_ok()
        );
        for (pattern, example) in [
            ("[0-9]{8}T[A-Z0-9]{3}", "19450829SB1F"),
            ("99[0-9]{10}", "991981000010"),
            ("[0-9]{8}(T", "19450829TB1F"),
        ] {
            assert!(raw(pattern, example).validate().is_err(), "{pattern}");
        }
    }
}
