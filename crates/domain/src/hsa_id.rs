//! HSA-id: the identity of a person or unit in Swedish health care's address register (HSA),
//! which an organisation's identity provider puts in the sign-in (SITHS eID) and by which
//! Samsyn knows its staff and units. The form is the country code `SE`, the organisation's
//! ten-digit number, a hyphen and the organisation's own suffix of letters and digits, 31
//! characters at most (Inera, HSA-id).

use std::fmt;

/// A well-formed HSA-id, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HsaId(String);

/// Why a text is not an HSA-id, in Swedish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HsaIdError;

impl fmt::Display for HsaIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "HSA-id ska skrivas som SE, organisationsnumret (tio siffror), bindestreck och \
             organisationens tillägg av bokstäver och siffror, t.ex. SE2321000016-15CQ.",
        )
    }
}

impl std::error::Error for HsaIdError {}

/// The longest HSA-id, in characters.
const MAX_CHARS: usize = 31;

impl HsaId {
    pub fn parse(text: &str) -> Result<HsaId, HsaIdError> {
        let id = text.trim().to_ascii_uppercase();
        let (organisation, suffix) = id.split_once('-').ok_or(HsaIdError)?;
        let number = organisation.strip_prefix("SE").ok_or(HsaIdError)?;
        let well_formed = number.len() == 10
            && number.bytes().all(|b| b.is_ascii_digit())
            && !suffix.is_empty()
            && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
            && id.len() <= MAX_CHARS;
        if well_formed {
            Ok(HsaId(id))
        } else {
            Err(HsaIdError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HsaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_ids_are_upper_cased() {
        assert_eq!(
            HsaId::parse(" se2321000016-15cq ").unwrap().as_str(),
            "SE2321000016-15CQ"
        );
        assert!(HsaId::parse("SE2120001298-E000000000001").is_ok());
    }

    #[test]
    fn malformed_ids_are_refused() {
        for bad in [
            "",
            "SE2321000016",
            "2321000016-15CQ",
            "SE232100001-15CQ",
            "SE2321000016-",
            "SE2321000016-15 CQ",
            "SE2321000016-15CQ-X",
            "SE2321000016-ABCDEFGHIJKLMNOPQRST",
        ] {
            assert_eq!(HsaId::parse(bad), Err(HsaIdError), "{bad:?}");
        }
    }
}
