//! Avvikelser i samverkan (*Överenskommelse om samverkan inom hälso- och sjukvård, socialtjänst,
//! elevhälsa, e-hälsa och kunskapsstyrning mellan Region Örebro län och kommunerna i Örebro län*
//! §8: "Avvikelser från uppgjorda samverkansöverenskommelser ska parterna ha rutiner för att
//! identifiera, dokumentera och rapportera"). Staff of either party report a deviation; it goes
//! to the other party's manager, who answers with an investigation and measures by a deadline;
//! the reporting side closes it with a conclusion. Samsyn also proposes deviations it sees in its
//! own data, which the responsible manager confirms or dismisses with a reason.

pub mod detection;
pub mod rules;

use crate::{FieldError, Role, RuleSet};
use jiff::civil::Date;
use rules::DeviationRules;

/// Where a deviation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Föreslagen av Samsyn: waits for the responsible manager to confirm or dismiss it.
    Proposed,
    /// Avfärdad: the manager judged the proposal no deviation, with a reason.
    Dismissed,
    /// Rapporterad: waits for the other party's manager to answer.
    Reported,
    /// Besvarad: the manager has answered; the reporting side closes it.
    Answered,
    /// Avslutad, with a conclusion.
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Proposed,
        Status::Dismissed,
        Status::Reported,
        Status::Answered,
        Status::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Proposed => "foreslagen",
            Status::Dismissed => "avfardad",
            Status::Reported => "rapporterad",
            Status::Answered => "besvarad",
            Status::Closed => "avslutad",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Proposed => "Föreslagen av Samsyn",
            Status::Dismissed => "Avfärdad",
            Status::Reported => "Väntar på svar",
            Status::Answered => "Besvarad",
            Status::Closed => "Avslutad",
        }
    }
}

/// A step on a deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The responsible manager confirms a proposal as a deviation.
    Confirm,
    /// The responsible manager dismisses a proposal.
    Dismiss,
    /// The other party's manager answers.
    Answer,
    /// The reporting side closes it with a conclusion.
    Close,
}

/// Who takes a step, as the deviation sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taker {
    pub role: Role,
    /// Works at the unit the deviation is addressed to (the other party's unit).
    pub at_addressed_unit: bool,
    /// Works at the unit that reported it.
    pub at_reporting_unit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("Avvikelsen är {0}; det steget går inte nu.")]
    WrongStatus(&'static str),
    #[error("{0}")]
    NotYours(&'static str),
}

impl Status {
    /// The status after the step, or why the taker may not take it now.
    pub fn apply(self, step: Step, by: Taker) -> Result<Status, StepError> {
        let manager = matches!(by.role, Role::UnitManager);
        let next = match (self, step) {
            (Status::Proposed, Step::Confirm) => Status::Reported,
            (Status::Proposed, Step::Dismiss) => Status::Dismissed,
            (Status::Reported, Step::Answer) => Status::Answered,
            (Status::Answered, Step::Close) => Status::Closed,
            _ => return Err(StepError::WrongStatus(self.label_lower())),
        };
        match step {
            Step::Confirm | Step::Dismiss | Step::Answer if !(manager && by.at_addressed_unit) => {
                Err(StepError::NotYours(
                    "Det gör en enhetschef vid den enhet avvikelsen gäller.",
                ))
            }
            Step::Close if !by.at_reporting_unit => Err(StepError::NotYours(
                "Avvikelsen avslutas av den enhet som rapporterade den.",
            )),
            _ => Ok(next),
        }
    }

    fn label_lower(self) -> &'static str {
        match self {
            Status::Proposed => "föreslagen",
            Status::Dismissed => "avfärdad",
            Status::Reported => "rapporterad",
            Status::Answered => "besvarad",
            Status::Closed => "avslutad",
        }
    }
}

/// A report as typed in the form.
pub struct ReportInput<'a> {
    pub kind: &'a str,
    pub occurred_on: &'a str,
    pub description: &'a str,
}

/// A checked report: the kind is one of the rule set's and the day is not in the future.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub kind: String,
    pub occurred_on: Date,
    pub description: String,
}

impl Report {
    pub fn parse(
        input: &ReportInput<'_>,
        rules: &DeviationRules,
        today: Date,
    ) -> Result<Report, Vec<FieldError>> {
        let mut errors = Vec::new();
        if rules.kind(input.kind).is_none() {
            errors.push(field("kind", "Välj vad avvikelsen gäller."));
        }
        let occurred_on = match input.occurred_on.trim().parse::<Date>() {
            Ok(day) if day > today => {
                errors.push(field("occurred_on", "Dagen kan inte ligga i framtiden."));
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(field(
                    "occurred_on",
                    "Ange när det hände som ÅÅÅÅ-MM-DD, t.ex. 2026-11-30.",
                ));
                None
            }
        };
        let description = input.description.trim();
        if description.chars().count() < 10 {
            errors.push(field(
                "description",
                "Beskriv vad som hände (minst tio tecken), utan personnummer.",
            ));
        }
        match occurred_on {
            Some(occurred_on) if errors.is_empty() => Ok(Report {
                kind: input.kind.to_owned(),
                occurred_on,
                description: description.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// The other party's answer: what the investigation found and what is done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub investigation: String,
    pub measures: String,
}

impl Answer {
    pub fn parse(investigation: &str, measures: &str) -> Result<Answer, Vec<FieldError>> {
        let mut errors = Vec::new();
        if investigation.trim().is_empty() {
            errors.push(field("investigation", "Beskriv vad utredningen visar."));
        }
        if measures.trim().is_empty() {
            errors.push(field(
                "measures",
                "Beskriv vilka åtgärder ni vidtar, eller varför inga behövs.",
            ));
        }
        if errors.is_empty() {
            Ok(Answer {
                investigation: investigation.trim().to_owned(),
                measures: measures.trim().to_owned(),
            })
        } else {
            Err(errors)
        }
    }
}

/// A text a step needs (a dismissal's reason, a closing conclusion), refused when empty.
pub fn required_text(
    value: &str,
    name: &'static str,
    message: &'static str,
) -> Result<String, Vec<FieldError>> {
    if value.trim().is_empty() {
        Err(vec![field(name, message)])
    } else {
        Ok(value.trim().to_owned())
    }
}

/// The day the answer is due: working days of the region's calendar from the day it was
/// reported (or confirmed).
pub fn answer_due(reported_on: Date, rules: &RuleSet) -> Date {
    rules
        .calendar
        .add_working_days(reported_on, rules.deviation.answer_working_days)
}

fn field(name: &'static str, message: &str) -> FieldError {
    FieldError {
        field: name,
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::rules::{DeviationKind, DeviationRules};
    use super::*;
    use jiff::civil::date;

    fn rules() -> DeviationRules {
        DeviationRules {
            kinds: vec![DeviationKind {
                code: "kvittens-sen".into(),
                label: "Kvittens sen".into(),
                concerns: "Hälso- och sjukvård i hemmet primärvårdsnivå §3.1.2".into(),
                detected_by: None,
            }],
            answer_working_days: 10,
            follow_up_margin_days: 7,
        }
    }

    #[test]
    fn a_report_names_a_listed_kind_a_past_day_and_what_happened() {
        let today = date(2026, 12, 3);
        let errors = Report::parse(
            &ReportInput {
                kind: "okand",
                occurred_on: "2026-12-04",
                description: "kort",
            },
            &rules(),
            today,
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "occurred_on", "description"]);
        let report = Report::parse(
            &ReportInput {
                kind: "kvittens-sen",
                occurred_on: "2026-12-01",
                description: "Kvittensen kom först efter fyra dagar.",
            },
            &rules(),
            today,
        )
        .unwrap();
        assert_eq!(report.occurred_on, date(2026, 12, 1));
    }

    #[test]
    fn the_addressed_manager_answers_and_the_reporter_closes() {
        let manager_there = Taker {
            role: Role::UnitManager,
            at_addressed_unit: true,
            at_reporting_unit: false,
        };
        let nurse_there = Taker {
            role: Role::Nurse,
            ..manager_there
        };
        let reporter = Taker {
            role: Role::Nurse,
            at_addressed_unit: false,
            at_reporting_unit: true,
        };
        assert!(matches!(
            Status::Reported.apply(Step::Answer, nurse_there),
            Err(StepError::NotYours(_))
        ));
        let answered = Status::Reported.apply(Step::Answer, manager_there).unwrap();
        assert_eq!(answered, Status::Answered);
        assert!(answered.apply(Step::Close, manager_there).is_err());
        assert_eq!(
            answered.apply(Step::Close, reporter).unwrap(),
            Status::Closed
        );
        assert_eq!(
            Status::Closed.apply(Step::Answer, manager_there),
            Err(StepError::WrongStatus("avslutad"))
        );
        assert_eq!(
            Status::Proposed.apply(Step::Dismiss, manager_there),
            Ok(Status::Dismissed)
        );
    }

    #[test]
    fn the_answer_is_due_in_working_days() {
        let mut set =
            RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        set.deviation = rules();
        assert_eq!(answer_due(date(2026, 12, 18), &set), date(2027, 1, 8));
    }
}
