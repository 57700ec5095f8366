//! The `[deviation]` section of the rule set: the kinds of avvikelse the parties report, which
//! agreement and section each concerns, how long the other party's manager has to answer, and
//! how late a follow-up may be before Samsyn proposes it as a deviation.

use crate::rules::RuleSetError;
use crate::rules::error::invalid;
use serde::Deserialize;

/// A check Samsyn runs on its own data, proposing a deviation of the kind that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Detection {
    /// A kvittens later than its deadline, or none at all past it.
    LateAcknowledgement,
    /// Track 3: no seven-day plan by the discharge day.
    SevenDayPlanMissing,
    /// The joint planning not held within the week after the decision.
    PlanningNotHeld,
    /// A follow-up of the treatment plan overdue by more than the margin.
    FollowUpOverdue,
}

impl Detection {
    pub const ALL: [Detection; 4] = [
        Detection::LateAcknowledgement,
        Detection::SevenDayPlanMissing,
        Detection::PlanningNotHeld,
        Detection::FollowUpOverdue,
    ];

    /// The rule set's name for the check.
    pub fn code(self) -> &'static str {
        match self {
            Detection::LateAcknowledgement => "kvittens",
            Detection::SevenDayPlanMissing => "sjudagarsplan",
            Detection::PlanningNotHeld => "planering",
            Detection::FollowUpOverdue => "uppfoljning",
        }
    }

    pub fn from_code(code: &str) -> Option<Detection> {
        Detection::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// One kind of deviation, as the parties list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviationKind {
    pub code: String,
    pub label: String,
    /// The agreement and section the deviation is from.
    pub concerns: String,
    /// The check that proposes deviations of this kind, if Samsyn sees them itself.
    pub detected_by: Option<Detection>,
}

/// What the parties have agreed about reporting deviations in collaboration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviationRules {
    pub kinds: Vec<DeviationKind>,
    /// The other party's manager answers within this many working days of the report.
    pub answer_working_days: u32,
    /// A follow-up this many days past its date is proposed as a deviation.
    pub follow_up_margin_days: u32,
}

impl DeviationRules {
    pub fn kind(&self, code: &str) -> Option<&DeviationKind> {
        self.kinds.iter().find(|k| k.code == code)
    }

    pub fn detected(&self, detection: Detection) -> Option<&DeviationKind> {
        self.kinds.iter().find(|k| k.detected_by == Some(detection))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeviationRules {
    answer_working_days: u32,
    follow_up_margin_days: u32,
    kinds: Vec<RawKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    code: String,
    label: String,
    concerns: String,
    #[serde(default)]
    detected_by: Option<String>,
}

impl RawDeviationRules {
    pub fn validate(self) -> Result<DeviationRules, RuleSetError> {
        if !(1..=60).contains(&self.answer_working_days) {
            return Err(invalid(
                "deviation.answer_working_days",
                "måste vara mellan 1 och 60 arbetsdagar",
            ));
        }
        if self.follow_up_margin_days > 90 {
            return Err(invalid(
                "deviation.follow_up_margin_days",
                "får vara högst 90 dagar",
            ));
        }
        if self.kinds.is_empty() {
            return Err(invalid("deviation.kinds", "måste ha minst ett slag"));
        }
        let mut kinds: Vec<DeviationKind> = Vec::new();
        for (n, raw) in self.kinds.into_iter().enumerate() {
            let key = |field: &str| format!("deviation.kinds[{n}].{field}");
            let code_ok = !raw.code.is_empty()
                && raw
                    .code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !code_ok {
                return Err(invalid(
                    key("code"),
                    "måste vara små bokstäver a–z, siffror och -",
                ));
            }
            if kinds.iter().any(|k| k.code == raw.code) {
                return Err(invalid(key("code"), "finns redan"));
            }
            for (field, text) in [("label", &raw.label), ("concerns", &raw.concerns)] {
                if text.trim().is_empty() {
                    return Err(invalid(key(field), "får inte vara tom"));
                }
            }
            let detected_by = match raw.detected_by.as_deref() {
                None => None,
                Some(code) => Some(Detection::from_code(code).ok_or_else(|| {
                    invalid(
                        key("detected_by"),
                        "måste vara kvittens, sjudagarsplan, planering eller uppfoljning",
                    )
                })?),
            };
            if detected_by.is_some() && kinds.iter().any(|k| k.detected_by == detected_by) {
                return Err(invalid(
                    key("detected_by"),
                    "används redan av ett annat slag",
                ));
            }
            kinds.push(DeviationKind {
                code: raw.code,
                label: raw.label,
                concerns: raw.concerns,
                detected_by,
            });
        }
        Ok(DeviationRules {
            kinds,
            answer_working_days: self.answer_working_days,
            follow_up_margin_days: self.follow_up_margin_days,
        })
    }
}
