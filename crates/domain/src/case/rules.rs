//! The rule set's sections for the request and the case: the age limit, the deadlines, the risk
//! instruments and the psychiatric medication criteria.

use crate::rules::error::{RuleSetError, invalid};
use serde::Deserialize;

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
    /// Days the hospital's plan at discharge covers, the discharge day first (Örebro: seven, the
    /// sjudagarsplan).
    pub plan_covers_days: u32,
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

/// Läkemedelshantering där behandlingsansvaret kvarstår hos psykiatrin (§3.2.1). A region whose
/// agreement has no such sub-process leaves the section out: the track is then not offered.
#[derive(Debug, Clone, Default)]
pub struct PsychiatricMedicationRules {
    pub criteria: Vec<Criterion>,
    pub region_responsibilities: Vec<String>,
    pub municipality_responsibilities: Vec<String>,
}

impl PsychiatricMedicationRules {
    /// Whether the agreement has the psychiatric sub-process (the rule set has its section).
    pub fn offered(&self) -> bool {
        !self.criteria.is_empty()
    }
}

/// Inskrivningskriterier that apply already when a request is written.
#[derive(Debug, Clone)]
pub struct EnrollmentRules {
    pub minimum_age: i32,
    /// The agreement's reason, shown to the user who is refused.
    pub minimum_age_reason: String,
    /// Vårdnivåer a decision to enroll chooses from, as (code, label).
    pub care_levels: Vec<(String, String)>,
}

impl EnrollmentRules {
    /// The label of a care level's code.
    pub fn care_level(&self, code: &str) -> Option<&str> {
        self.care_levels
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, label)| label.as_str())
    }
}

/// Kvittens: when a received request must be acknowledged.
#[derive(Debug, Clone)]
pub struct AcknowledgementRules {
    /// The deadline is the end of this many working days after the day the request was sent.
    pub working_days_after_sent: u32,
    pub due_soon_working_days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInstrument {
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
pub(crate) struct RawPsychiatric {
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
    plan_covers_days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEnrollment {
    minimum_age: i32,
    minimum_age_reason: String,
    care_levels: Vec<RawCareLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCareLevel {
    code: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeadlines {
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

impl RawEnrollment {
    pub(crate) fn validate(self) -> Result<EnrollmentRules, RuleSetError> {
        if !(0..=120).contains(&self.minimum_age) {
            return Err(invalid(
                "enrollment.minimum_age",
                "måste vara mellan 0 och 120",
            ));
        }
        let mut care_levels: Vec<(String, String)> = Vec::new();
        for level in self.care_levels {
            let code = level.code.trim().to_owned();
            if code.is_empty() || level.label.trim().is_empty() {
                return Err(invalid(
                    "enrollment.care_levels",
                    "varje vårdnivå behöver code och label",
                ));
            }
            if care_levels.iter().any(|(c, _)| *c == code) {
                return Err(invalid(
                    "enrollment.care_levels",
                    "samma code förekommer två gånger",
                ));
            }
            care_levels.push((code, level.label.trim().to_owned()));
        }
        if care_levels.is_empty() {
            return Err(invalid(
                "enrollment.care_levels",
                "minst en vårdnivå behövs",
            ));
        }
        Ok(EnrollmentRules {
            minimum_age: self.minimum_age,
            minimum_age_reason: self.minimum_age_reason,
            care_levels,
        })
    }
}

impl RawDeadlines {
    /// Kvittens, joint planning and discharge deadlines.
    pub(crate) fn validate(
        self,
    ) -> Result<(AcknowledgementRules, JointPlanningRules, DischargeRules), RuleSetError> {
        let ack = self.acknowledgement;
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
        let within = |key: &str, value: u32, range: std::ops::RangeInclusive<u32>| {
            if range.contains(&value) {
                Ok(value)
            } else {
                Err(invalid(
                    key,
                    format!(
                        "måste vara mellan {} och {} dagar",
                        range.start(),
                        range.end()
                    ),
                ))
            }
        };
        Ok((
            AcknowledgementRules {
                working_days_after_sent: ack.working_days_after_sent,
                due_soon_working_days: ack.due_soon_working_days,
            },
            JointPlanningRules {
                calendar_days_after_enrollment: within(
                    "deadlines.joint_planning.calendar_days_after_enrollment",
                    self.joint_planning.calendar_days_after_enrollment,
                    1..=60,
                )?,
            },
            DischargeRules {
                plan_days_before_discharge: self.discharge.plan_days_before_discharge,
                doctor_responsibility_days: within(
                    "deadlines.discharge.doctor_responsibility_days",
                    self.discharge.doctor_responsibility_days,
                    1..=60,
                )?,
                plan_covers_days: within(
                    "deadlines.discharge.plan_covers_days",
                    self.discharge.plan_covers_days,
                    2..=30,
                )?,
            },
        ))
    }
}

/// Checks the risk instruments: unique ids, a range, and a threshold inside it.
pub(crate) fn instruments(raws: Vec<RawInstrument>) -> Result<Vec<Instrument>, RuleSetError> {
    let mut instruments: Vec<Instrument> = Vec::new();
    for (index, raw) in raws.into_iter().enumerate() {
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
    Ok(instruments)
}

impl RawPsychiatric {
    pub(crate) fn validate(self) -> Result<PsychiatricMedicationRules, RuleSetError> {
        let psych = self;
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
        Ok(PsychiatricMedicationRules {
            criteria,
            region_responsibilities: psych.region_responsibilities,
            municipality_responsibilities: psych.municipality_responsibilities,
        })
    }
}
