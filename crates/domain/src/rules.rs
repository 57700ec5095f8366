//! The versioned rule set (regelverk): everything the parties may change without a new build.
//!
//! A rule set is TOML. Loading it checks syntax, unknown keys and the meaning of each value, and
//! reports the exact key that is wrong, so that a coordinator editing it can fix it alone.

use crate::{MunicipalityCode, Party};
use jiff::civil::Date;
use serde::Deserialize;

/// A validated rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Stable id, e.g. `orebro-2025`.
    pub id: String,
    /// Version within the id; every computed figure records `id` and `version`.
    pub version: u32,
    pub name: String,
    pub valid_from: Date,
    /// IANA time zone in which deadlines are reckoned, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    pub region_name: String,
    pub county_code: String,
    pub municipalities: Vec<Municipality>,
    pub enrollment: EnrollmentRules,
    pub acknowledgement: AcknowledgementRules,
}

/// A municipality that is party to the agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    pub code: MunicipalityCode,
    pub name: String,
}

/// Inskrivningskriterier that apply already when a request is written.
#[derive(Debug, Clone)]
pub struct EnrollmentRules {
    pub minimum_age: i32,
    /// The agreement's reason, shown to the user who is refused.
    pub minimum_age_reason: String,
}

/// Kvittens: when a received request must be acknowledged.
#[derive(Debug, Clone)]
pub struct AcknowledgementRules {
    /// The deadline is the end of this many working days after the day the request was sent.
    pub working_days_after_sent: u32,
    pub due_soon_working_days: u32,
}

/// Why a rule set could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleSetError {
    #[error("regelverket är inte giltig TOML: {0}")]
    Syntax(String),
    #[error("regelverket: fältet `{key}` {reason}")]
    Invalid { key: String, reason: String },
}

fn invalid(key: impl Into<String>, reason: impl Into<String>) -> RuleSetError {
    RuleSetError::Invalid {
        key: key.into(),
        reason: reason.into(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    rule_set: RawHeader,
    region: RawRegion,
    municipalities: Vec<RawMunicipality>,
    enrollment: RawEnrollment,
    deadlines: RawDeadlines,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    version: u32,
    name: String,
    valid_from: String,
    time_zone: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    county_code: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMunicipality {
    code: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnrollment {
    minimum_age: i32,
    minimum_age_reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadlines {
    acknowledgement: RawAcknowledgement,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAcknowledgement {
    working_days_after_sent: u32,
    due_soon_working_days: u32,
}

impl RuleSet {
    /// Parses and validates a rule set from TOML text.
    pub fn from_toml(text: &str) -> Result<RuleSet, RuleSetError> {
        let raw: RawRuleSet = toml::from_str(text)
            .map_err(|e| RuleSetError::Syntax(e.to_string().trim().to_owned()))?;
        let header = raw.rule_set;
        if header.id.trim().is_empty()
            || !header
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(invalid(
                "rule_set.id",
                "får bara innehålla a–z, 0–9 och bindestreck",
            ));
        }
        if header.version == 0 {
            return Err(invalid("rule_set.version", "måste vara 1 eller större"));
        }
        let valid_from: Date = header
            .valid_from
            .parse()
            .map_err(|_| invalid("rule_set.valid_from", "måste vara ett datum ÅÅÅÅ-MM-DD"))?;
        if !header.time_zone.contains('/') {
            return Err(invalid(
                "rule_set.time_zone",
                "måste vara en IANA-tidszon, t.ex. Europe/Stockholm",
            ));
        }
        let county = raw.region.county_code.trim().to_owned();
        if county.len() != 2 || !county.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                "region.county_code",
                "måste vara en tvåsiffrig länskod",
            ));
        }
        if raw.municipalities.is_empty() {
            return Err(invalid("municipalities", "måste innehålla minst en kommun"));
        }
        let mut municipalities: Vec<Municipality> = Vec::with_capacity(raw.municipalities.len());
        for (index, m) in raw.municipalities.into_iter().enumerate() {
            let key = format!("municipalities[{index}].code");
            let code = MunicipalityCode::parse(&m.code).ok_or_else(|| {
                invalid(
                    &key,
                    format!("\"{}\" är inte en fyrsiffrig kommunkod", m.code),
                )
            })?;
            if code.county_code() != county {
                return Err(invalid(&key, format!("{code} hör inte till län {county}")));
            }
            if municipalities.iter().any(|other| other.code == code) {
                return Err(invalid(&key, format!("{code} förekommer mer än en gång")));
            }
            if m.name.trim().is_empty() {
                return Err(invalid(
                    format!("municipalities[{index}].name"),
                    "får inte vara tomt",
                ));
            }
            municipalities.push(Municipality {
                code,
                name: m.name.trim().to_owned(),
            });
        }
        if !(0..=120).contains(&raw.enrollment.minimum_age) {
            return Err(invalid(
                "enrollment.minimum_age",
                "måste vara mellan 0 och 120",
            ));
        }
        let ack = raw.deadlines.acknowledgement;
        if !(1..=30).contains(&ack.working_days_after_sent) {
            return Err(invalid(
                "deadlines.acknowledgement.working_days_after_sent",
                "måste vara mellan 1 och 30 arbetsdagar",
            ));
        }
        if ack.due_soon_working_days > 30 {
            return Err(invalid(
                "deadlines.acknowledgement.due_soon_working_days",
                "måste vara mellan 0 och 30 arbetsdagar",
            ));
        }
        Ok(RuleSet {
            id: header.id,
            version: header.version,
            name: header.name,
            valid_from,
            time_zone: header.time_zone,
            region_name: raw.region.name,
            county_code: county,
            municipalities,
            enrollment: EnrollmentRules {
                minimum_age: raw.enrollment.minimum_age,
                minimum_age_reason: raw.enrollment.minimum_age_reason,
            },
            acknowledgement: AcknowledgementRules {
                working_days_after_sent: ack.working_days_after_sent,
                due_soon_working_days: ack.due_soon_working_days,
            },
        })
    }

    /// `id v{version}`, the reference every computed figure carries.
    pub fn reference(&self) -> String {
        format!("{} v{}", self.id, self.version)
    }

    pub fn municipality(&self, code: MunicipalityCode) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The display name of a party.
    pub fn party_name(&self, party: Party) -> String {
        match party {
            Party::Region => self.region_name.clone(),
            Party::Municipality(code) => self
                .municipality(code)
                .map(|m| format!("{} kommun", m.name))
                .unwrap_or_else(|| code.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OREBRO: &str = include_str!("../../../rules/orebro-2025.toml");

    #[test]
    fn shipped_orebro_rule_set_loads() {
        let rules = RuleSet::from_toml(OREBRO).unwrap();
        assert_eq!(rules.reference(), "orebro-2025 v1");
        assert_eq!(rules.municipalities.len(), 12);
        let lekeberg = rules
            .municipality(MunicipalityCode::parse("1814").unwrap())
            .unwrap();
        assert_eq!(lekeberg.name, "Lekeberg");
        assert_eq!(rules.enrollment.minimum_age, 18);
        assert_eq!(rules.acknowledgement.working_days_after_sent, 1);
    }

    #[test]
    fn unknown_keys_are_reported_with_position() {
        let text = OREBRO.replace("minimum_age = 18", "minimum_age = 18\nminimum_agee = 3");
        let error = RuleSet::from_toml(&text).unwrap_err().to_string();
        assert!(error.contains("minimum_agee"), "{error}");
        assert!(error.contains("line"), "{error}");
    }

    #[test]
    fn semantic_errors_name_the_key() {
        let wrong_county = OREBRO.replace("code = \"1885\"", "code = \"0180\"");
        assert_eq!(
            RuleSet::from_toml(&wrong_county).unwrap_err(),
            invalid("municipalities[11].code", "0180 hör inte till län 18")
        );
        let duplicate = OREBRO.replace("code = \"1885\"", "code = \"1814\"");
        assert!(matches!(
            RuleSet::from_toml(&duplicate),
            Err(RuleSetError::Invalid { key, .. }) if key == "municipalities[11].code"
        ));
        let zero = OREBRO.replace("working_days_after_sent = 1", "working_days_after_sent = 0");
        assert!(matches!(
            RuleSet::from_toml(&zero),
            Err(RuleSetError::Invalid { key, .. }) if key == "deadlines.acknowledgement.working_days_after_sent"
        ));
    }
}
