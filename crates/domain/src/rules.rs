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
    pub joint_planning: JointPlanningRules,
    pub discharge: DischargeRules,
    /// Risk assessment instruments accepted for track 1 (Senior Alert, CFS).
    pub instruments: Vec<Instrument>,
    pub psychiatric_medication: PsychiatricMedicationRules,
    pub measurement: MeasurementRules,
    pub additional_amount: crate::additional_amount_rules::AdditionalAmountRules,
    /// Utvecklingsbudget: how an item is split unless it says otherwise.
    pub development_budget: crate::development_budget::DevelopmentBudgetRules,
}

/// Hemsjukvårdsmätning: which professions count, the 2b limit, code groups, standard minutes.
#[derive(Debug, Clone)]
pub struct MeasurementRules {
    pub nurse_professions: Vec<String>,
    pub rehab_professions: Vec<String>,
    pub weekly_hours_limit: rust_decimal::Decimal,
    pub default_minutes: u32,
    pub measurement_month: i8,
    /// Group name → KVÅ codes, e.g. `avancerad` → the dialysis codes.
    pub code_groups: std::collections::BTreeMap<String, Vec<String>>,
    pub standard_minutes: std::collections::BTreeMap<String, u32>,
    pub costs: CostRules,
}

/// Kostnad: årsarbetarkostnad per municipality plus overhead, per hour worked.
#[derive(Debug, Clone)]
pub struct CostRules {
    pub overhead_percent: rust_decimal::Decimal,
    /// Hours a full-time employee works per year; 0 until the parties set it.
    pub yearly_working_hours: u32,
    /// Municipality code → årsarbetarkostnad in SEK.
    pub annual_cost_per_fte: std::collections::BTreeMap<String, crate::Sek>,
}

impl CostRules {
    /// Cost of one hour of work in `municipality`, overhead included; `None` while not set.
    pub fn hourly(&self, municipality: &str) -> Option<crate::Sek> {
        let annual = self.annual_cost_per_fte.get(municipality)?;
        if self.yearly_working_hours == 0 {
            return None;
        }
        let factor =
            rust_decimal::Decimal::ONE + self.overhead_percent / rust_decimal::Decimal::ONE_HUNDRED;
        Some(crate::Sek::new(
            annual.amount() * factor / rust_decimal::Decimal::from(self.yearly_working_hours),
        ))
    }
}

impl MeasurementRules {
    pub fn in_group(&self, group: &str, code: &str) -> bool {
        self.code_groups
            .get(group)
            .is_some_and(|codes| codes.iter().any(|c| c == code))
    }

    /// A code the rule set says nothing about (no group, no standard time).
    pub fn is_known(&self, code: &str) -> bool {
        self.standard_minutes.contains_key(code)
            || self
                .code_groups
                .values()
                .any(|codes| codes.iter().any(|c| c == code))
    }
}

/// Gemensam planering: how soon after the decision to enroll it must take place.
#[derive(Debug, Clone)]
pub struct JointPlanningRules {
    pub calendar_days_after_enrollment: u32,
}

/// Utskrivning från slutenvård (track 3, ViSam).
#[derive(Debug, Clone)]
pub struct DischargeRules {
    /// The 7-day medical treatment plan is due this many days before the discharge day (0: on it).
    pub plan_days_before_discharge: u32,
    /// Days of doctor responsibility in specialised care after discharge.
    pub doctor_responsibility_days: u32,
}

/// When an instrument's score shows a risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskWhen {
    AtLeast,
    AtMost,
}

/// A risk assessment instrument (bedömningsinstrument) with its score range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub min: i32,
    pub max: i32,
    pub risk_when: RiskWhen,
    pub threshold: i32,
}

impl Instrument {
    pub fn shows_risk(&self, score: i32) -> bool {
        match self.risk_when {
            RiskWhen::AtLeast => score >= self.threshold,
            RiskWhen::AtMost => score <= self.threshold,
        }
    }
}

/// A criterion with a stable id and the agreement's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: String,
    pub text: String,
}

/// Läkemedelshantering där behandlingsansvaret kvarstår hos psykiatrin (§3.2.1).
#[derive(Debug, Clone)]
pub struct PsychiatricMedicationRules {
    pub criteria: Vec<Criterion>,
    pub region_responsibilities: Vec<String>,
    pub municipality_responsibilities: Vec<String>,
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

pub(crate) fn invalid(key: impl Into<String>, reason: impl Into<String>) -> RuleSetError {
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
    instruments: Vec<RawInstrument>,
    psychiatric_medication: RawPsychiatric,
    measurement: RawMeasurement,
    additional_amount: crate::additional_amount_rules::RawAdditionalAmount,
    development_budget: crate::development_budget::RawDevelopmentBudget,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasurement {
    nurse_professions: Vec<String>,
    rehab_professions: Vec<String>,
    weekly_hours_limit: String,
    default_minutes: u32,
    measurement_month: i8,
    code_groups: std::collections::BTreeMap<String, Vec<String>>,
    standard_minutes: std::collections::BTreeMap<String, u32>,
    costs: RawCosts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCosts {
    overhead_percent: String,
    yearly_working_hours: u32,
    annual_cost_per_fte: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: String,
    name: String,
    min: i32,
    max: i32,
    risk_when: String,
    threshold: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPsychiatric {
    criteria: Vec<RawCriterion>,
    region_responsibilities: Vec<String>,
    municipality_responsibilities: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJointPlanning {
    calendar_days_after_enrollment: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDischarge {
    plan_days_before_discharge: u32,
    doctor_responsibility_days: u32,
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
    joint_planning: RawJointPlanning,
    discharge: RawDischarge,
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
        let mut instruments: Vec<Instrument> = Vec::new();
        for (index, raw) in raw.instruments.into_iter().enumerate() {
            let key = |field: &str| format!("instruments[{index}].{field}");
            if raw.id.trim().is_empty() || instruments.iter().any(|i| i.id == raw.id) {
                return Err(invalid(
                    key("id"),
                    "måste vara unikt och får inte vara tomt",
                ));
            }
            if raw.min >= raw.max {
                return Err(invalid(key("max"), "måste vara större än min"));
            }
            if !(raw.min..=raw.max).contains(&raw.threshold) {
                return Err(invalid(
                    key("threshold"),
                    format!("måste ligga mellan {} och {}", raw.min, raw.max),
                ));
            }
            let risk_when = match raw.risk_when.as_str() {
                "at_least" => RiskWhen::AtLeast,
                "at_most" => RiskWhen::AtMost,
                _ => {
                    return Err(invalid(
                        key("risk_when"),
                        "måste vara \"at_least\" eller \"at_most\"",
                    ));
                }
            };
            instruments.push(Instrument {
                id: raw.id,
                name: raw.name,
                min: raw.min,
                max: raw.max,
                risk_when,
                threshold: raw.threshold,
            });
        }
        let psych = raw.psychiatric_medication;
        let mut criteria: Vec<Criterion> = Vec::new();
        for (index, c) in psych.criteria.into_iter().enumerate() {
            if c.id.trim().is_empty() || criteria.iter().any(|other| other.id == c.id) {
                return Err(invalid(
                    format!("psychiatric_medication.criteria[{index}].id"),
                    "måste vara unikt och får inte vara tomt",
                ));
            }
            criteria.push(Criterion {
                id: c.id,
                text: c.text,
            });
        }
        if criteria.is_empty() {
            return Err(invalid(
                "psychiatric_medication.criteria",
                "måste innehålla minst ett kriterium",
            ));
        }
        let m = raw.measurement;
        let weekly_hours_limit: rust_decimal::Decimal =
            m.weekly_hours_limit.parse().map_err(|_| {
                invalid(
                    "measurement.weekly_hours_limit",
                    "måste vara ett decimaltal, t.ex. \"2.0\"",
                )
            })?;
        if !(1..=12).contains(&m.measurement_month) {
            return Err(invalid("measurement.measurement_month", "måste vara 1–12"));
        }
        for required in [
            "avancerad",
            "lakemedel",
            "palliativ",
            "hemsjukvard_kontinuerlig",
        ] {
            if !m.code_groups.contains_key(required) {
                return Err(invalid(
                    format!("measurement.code_groups.{required}"),
                    "saknas",
                ));
            }
        }
        for (group, codes) in &m.code_groups {
            if let Some(bad) = codes.iter().find(|c| !crate::measurement::is_kva_code(c)) {
                return Err(invalid(
                    format!("measurement.code_groups.{group}"),
                    format!("\"{bad}\" är ingen KVÅ-kod"),
                ));
            }
        }
        let overhead_percent: rust_decimal::Decimal =
            m.costs.overhead_percent.parse().map_err(|_| {
                invalid(
                    "measurement.costs.overhead_percent",
                    "måste vara ett decimaltal, t.ex. \"12\"",
                )
            })?;
        let mut annual_cost_per_fte = std::collections::BTreeMap::new();
        for (code, amount) in &m.costs.annual_cost_per_fte {
            let key = format!("measurement.costs.annual_cost_per_fte.{code}");
            if !municipalities.iter().any(|x| x.code.as_str() == code) {
                return Err(invalid(&key, "är ingen kommun i regelverket"));
            }
            let amount: rust_decimal::Decimal = amount
                .parse()
                .map_err(|_| invalid(&key, "måste vara ett belopp i kronor, t.ex. \"650000\""))?;
            annual_cost_per_fte.insert(code.clone(), crate::Sek::new(amount));
        }
        let costs = CostRules {
            overhead_percent,
            yearly_working_hours: m.costs.yearly_working_hours,
            annual_cost_per_fte,
        };
        let measurement = MeasurementRules {
            costs,
            nurse_professions: m.nurse_professions,
            rehab_professions: m.rehab_professions,
            weekly_hours_limit,
            default_minutes: m.default_minutes,
            measurement_month: m.measurement_month,
            code_groups: m.code_groups,
            standard_minutes: m.standard_minutes,
        };
        let additional_amount = raw.additional_amount.validate()?;
        let development_budget = raw.development_budget.validate()?;
        Ok(RuleSet {
            measurement,
            additional_amount,
            development_budget,
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
            joint_planning: JointPlanningRules {
                calendar_days_after_enrollment: raw
                    .deadlines
                    .joint_planning
                    .calendar_days_after_enrollment,
            },
            discharge: DischargeRules {
                plan_days_before_discharge: raw.deadlines.discharge.plan_days_before_discharge,
                doctor_responsibility_days: raw.deadlines.discharge.doctor_responsibility_days,
            },
            instruments,
            psychiatric_medication: PsychiatricMedicationRules {
                criteria,
                region_responsibilities: psych.region_responsibilities,
                municipality_responsibilities: psych.municipality_responsibilities,
            },
        })
    }

    /// `id v{version}`, the reference every computed figure carries.
    pub fn reference(&self) -> String {
        format!("{} v{}", self.id, self.version)
    }

    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
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
        assert_eq!(rules.psychiatric_medication.criteria.len(), 8);
        assert_eq!(rules.joint_planning.calendar_days_after_enrollment, 7);
        let cfs = rules.instrument("cfs").unwrap();
        assert!(cfs.shows_risk(5) && !cfs.shows_risk(4));
        let norton = rules.instrument("norton").unwrap();
        assert!(norton.shows_risk(20) && !norton.shows_risk(21));
    }

    #[test]
    fn cost_per_hour_needs_both_parameters() {
        let rules = RuleSet::from_toml(OREBRO).unwrap();
        assert_eq!(
            rules.measurement.costs.hourly("1880"),
            None,
            "not set in the shipped rule set"
        );
        let set = OREBRO
            .replace("yearly_working_hours = 0", "yearly_working_hours = 1600")
            .replace(
                "[measurement.costs.annual_cost_per_fte]",
                "[measurement.costs.annual_cost_per_fte]\n1880 = \"640000\"",
            );
        let rules = RuleSet::from_toml(&set).unwrap();
        // 640 000 × 1.12 / 1 600 = 448 kr per hour, exactly.
        assert_eq!(
            rules.measurement.costs.hourly("1880"),
            Some(crate::Sek::from_ore(44_800))
        );
        let unknown = set.replace("1880 = \"640000\"", "9999 = \"1\"");
        assert!(
            matches!(RuleSet::from_toml(&unknown), Err(RuleSetError::Invalid { key, .. }) if key.ends_with("9999"))
        );
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
        let threshold = OREBRO.replace("threshold = 5", "threshold = 10");
        assert_eq!(
            RuleSet::from_toml(&threshold).unwrap_err(),
            invalid("instruments[4].threshold", "måste ligga mellan 1 och 9")
        );
        let zero = OREBRO.replace("working_days_after_sent = 1", "working_days_after_sent = 0");
        assert!(matches!(
            RuleSet::from_toml(&zero),
            Err(RuleSetError::Invalid { key, .. }) if key == "deadlines.acknowledgement.working_days_after_sent"
        ));
    }
}
