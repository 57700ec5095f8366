//! The parties (parterna) of the agreement: the region and its municipalities.
//!
//! Which municipalities exist is data in the rule set, so that another region can adopt Samsyn
//! without code changes; this module only fixes what a party *is*.

use std::fmt;

/// SCB's four-digit municipality code (kommunkod), e.g. `1880` for Örebro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MunicipalityCode([u8; 4]);

impl MunicipalityCode {
    pub fn parse(input: &str) -> Option<Self> {
        let bytes = input.trim().as_bytes();
        if bytes.len() != 4 || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut code = [0u8; 4];
        code.copy_from_slice(bytes);
        Some(MunicipalityCode(code))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("????")
    }

    /// The two-digit county code (länskod) the municipality belongs to.
    pub fn county_code(&self) -> &str {
        &self.as_str()[..2]
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A party (part) to the agreement: the region, or one municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// Regionen.
    Region,
    /// En kommun.
    Municipality(MunicipalityCode),
}

impl Party {
    /// Stable storage form: `region` or the municipality code.
    pub fn code(&self) -> String {
        match self {
            Party::Region => "region".to_owned(),
            Party::Municipality(code) => code.to_string(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        if code == "region" {
            Some(Party::Region)
        } else {
            MunicipalityCode::parse(code).map(Party::Municipality)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_codes_are_four_digits() {
        assert_eq!(
            MunicipalityCode::parse("1880").map(|c| c.county_code().to_owned()),
            Some("18".into())
        );
        assert!(MunicipalityCode::parse("188").is_none());
        assert!(MunicipalityCode::parse("18a0").is_none());
        assert_eq!(
            Party::from_code("1814"),
            MunicipalityCode::parse("1814").map(Party::Municipality)
        );
        assert_eq!(Party::from_code("region"), Some(Party::Region));
    }
}
