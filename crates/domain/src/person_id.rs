//! The person's identity in a case: a personnummer or samordningsnummer, or, for a person who has
//! neither, the region's reservnummer. Like its parts it never prints in full by accident.

use crate::reserve_number::{ReserveNumber, ReserveNumberError, ReserveNumberRules};
use crate::{Personnummer, PersonnummerError};
use jiff::civil::Date;
use std::fmt;

/// Personnummer (samordningsnummer included) or reservnummer.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonId {
    Personnummer(Personnummer),
    /// Reservnummer in the region's format.
    Reserve(ReserveNumber),
}

/// Why an input is neither; the message is the one for the kind of number it resembles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonIdError {
    #[error(transparent)]
    Personnummer(#[from] PersonnummerError),
    #[error(transparent)]
    Reserve(#[from] ReserveNumberError),
}

impl PersonId {
    /// Reads what a user typed in the one identity field. Digits (with `-` or `+`) are read as a
    /// personnummer, and as a reservnummer only where the region's format is all digits too;
    /// anything with letters is a reservnummer.
    pub fn parse(
        input: &str,
        reserve: &ReserveNumberRules,
        today: Date,
    ) -> Result<PersonId, PersonIdError> {
        if !Self::written_as_personnummer(input.trim()) {
            return Ok(PersonId::Reserve(ReserveNumber::parse(
                input, reserve, today,
            )?));
        }
        match Personnummer::parse(input, today) {
            Ok(number) => Ok(PersonId::Personnummer(number)),
            Err(error) => ReserveNumber::parse(input, reserve, today)
                .map(PersonId::Reserve)
                .map_err(|_| error.into()),
        }
    }

    /// Whether `text` has a personnummer's form: digits, with `-` or `+`. Anything with letters
    /// (or other characters) can only be a reservnummer.
    pub fn written_as_personnummer(text: &str) -> bool {
        text.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
    }

    /// An identity read back from storage, where it was validated when it was registered.
    pub fn from_stored(text: &str) -> Option<PersonId> {
        if text.len() == 12
            && text.bytes().all(|b| b.is_ascii_digit())
            && let Ok(number) = Personnummer::parse(text, Date::MAX)
        {
            return Some(PersonId::Personnummer(number));
        }
        ReserveNumber::from_stored(text).map(PersonId::Reserve)
    }

    /// The full identity. Call only where it must be shown or stored.
    pub fn expose(&self) -> String {
        match self {
            PersonId::Personnummer(number) => number.expose(),
            PersonId::Reserve(number) => number.expose(),
        }
    }

    /// The full identity as people write it: `ÅÅÅÅMMDD-NNNN`, or the reservnummer as it is.
    pub fn expose_formatted(&self) -> String {
        match self {
            PersonId::Personnummer(number) => number.expose_formatted(),
            PersonId::Reserve(number) => number.expose(),
        }
    }

    /// Only the birth date: `ÅÅÅÅMMDD-****`.
    pub fn masked(&self) -> String {
        match self {
            PersonId::Personnummer(number) => number.masked(),
            PersonId::Reserve(number) => number.masked(),
        }
    }

    /// The personnummer, for what only a personnummer can do (signing in with e-legitimation).
    pub fn personnummer(&self) -> Option<Personnummer> {
        match self {
            PersonId::Personnummer(number) => Some(*number),
            PersonId::Reserve(_) => None,
        }
    }

    pub fn is_reserve_number(&self) -> bool {
        matches!(self, PersonId::Reserve(_))
    }

    pub fn birth_date(&self) -> Date {
        match self {
            PersonId::Personnummer(number) => number.birth_date(),
            // Invariant: checked at construction.
            PersonId::Reserve(number) => number.birth_date().unwrap_or(Date::MIN),
        }
    }

    /// Age in whole years on `on`.
    pub fn age_on(&self, on: Date) -> i32 {
        let birth = self.birth_date();
        let mut age = i32::from(on.year()) - i32::from(birth.year());
        if (on.month(), on.day()) < (birth.month(), birth.day()) {
            age -= 1;
        }
        age
    }
}

impl From<Personnummer> for PersonId {
    fn from(number: Personnummer) -> Self {
        PersonId::Personnummer(number)
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersonId::Personnummer(number) => write!(f, "{number:?}"),
            PersonId::Reserve(number) => write!(f, "{number:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 2);

    fn reserve() -> ReserveNumberRules {
        crate::RuleSet::from_toml(include_str!("../../../rules/orebro-2025.toml"))
            .unwrap()
            .reserve_number
    }

    #[test]
    fn one_field_takes_either_kind() {
        let rules = reserve();
        let pnr = PersonId::parse("19121212-1212", &rules, TODAY).unwrap();
        assert_eq!(
            pnr.personnummer().map(|n| n.expose()),
            Some("191212121212".into())
        );
        let rnr = PersonId::parse("19450829TB1F", &rules, TODAY).unwrap();
        assert!(rnr.is_reserve_number());
        assert_eq!(rnr.age_on(TODAY), 81);
        assert_eq!(PersonId::from_stored(&pnr.expose()), Some(pnr));
        assert_eq!(PersonId::from_stored(&rnr.expose()), Some(rnr));
    }

    #[test]
    fn the_message_matches_the_kind_of_number_typed() {
        let rules = reserve();
        assert_eq!(
            PersonId::parse("19121212-1213", &rules, TODAY),
            Err(PersonIdError::Personnummer(
                PersonnummerError::ChecksumMismatch
            ))
        );
        let error = PersonId::parse("19450829XB1F", &rules, TODAY).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("Reservnumret följer inte regionens format")
        );
    }
}
