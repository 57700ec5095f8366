//! Uppföljning (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.6): "Uppföljningsfrekvens
//! ska framkomma i den medicinska behandlingsplanen." The frequencies the parties may choose are
//! the rule set's `[treatment_plan]` list; recording a follow-up sets the next one from the
//! established plan's frequency.

use crate::FieldError;
use crate::rules::error::{RuleSetError, invalid};
use crate::text::{LONG_TEXT_CHARS, problem};
use jiff::Span;
use jiff::civil::Date;
use serde::Deserialize;

/// How often the plan is followed up (uppföljningsfrekvens), as the rule set lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frequency {
    /// Stable code stored with the plan, e.g. `3-manader`.
    pub code: String,
    /// As the plan says it, e.g. "Var tredje månad".
    pub label: String,
    interval: Interval,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interval {
    Weeks(i64),
    Months(i64),
}

impl Frequency {
    /// The follow-up after one held on `held_on`. Month steps keep the day of the month or fall
    /// back to the month's last day (31 January + 1 month is 28 or 29 February).
    pub fn next_after(&self, held_on: Date) -> Date {
        let span = match self.interval {
            Interval::Weeks(weeks) => Span::new().weeks(weeks),
            Interval::Months(months) => Span::new().months(months),
        };
        held_on.checked_add(span).unwrap_or(Date::MAX)
    }
}

/// The `[treatment_plan]` section: the frequencies to choose from, and how many days before a
/// follow-up's date it shows as due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRules {
    pub frequencies: Vec<Frequency>,
    pub due_soon_days: i64,
}

impl FollowUpRules {
    pub fn frequency(&self, code: &str) -> Option<&Frequency> {
        self.frequencies.iter().find(|f| f.code == code)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFollowUpRules {
    follow_up_frequencies: Vec<RawFrequency>,
    due_soon_days: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrequency {
    code: String,
    label: String,
    #[serde(default)]
    weeks: Option<i64>,
    #[serde(default)]
    months: Option<i64>,
}

impl RawFollowUpRules {
    pub fn validate(self) -> Result<FollowUpRules, RuleSetError> {
        if self.follow_up_frequencies.is_empty() {
            return Err(invalid(
                "treatment_plan.follow_up_frequencies",
                "måste innehålla minst en frekvens",
            ));
        }
        if !(0..=60).contains(&self.due_soon_days) {
            return Err(invalid(
                "treatment_plan.due_soon_days",
                "måste vara mellan 0 och 60 dagar",
            ));
        }
        let mut frequencies: Vec<Frequency> = Vec::new();
        for (index, raw) in self.follow_up_frequencies.into_iter().enumerate() {
            let key =
                |field: &str| format!("treatment_plan.follow_up_frequencies[{index}].{field}");
            let code = raw.code.trim().to_owned();
            if code.is_empty()
                || !code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(invalid(
                    key("code"),
                    "får bara innehålla a–z, 0–9 och bindestreck",
                ));
            }
            if frequencies.iter().any(|f| f.code == code) {
                return Err(invalid(
                    key("code"),
                    format!("{code} förekommer mer än en gång"),
                ));
            }
            if raw.label.trim().is_empty() {
                return Err(invalid(key("label"), "får inte vara tomt"));
            }
            let interval = match (raw.weeks, raw.months) {
                (Some(weeks), None) if (1..=104).contains(&weeks) => Interval::Weeks(weeks),
                (None, Some(months)) if (1..=24).contains(&months) => Interval::Months(months),
                _ => {
                    return Err(invalid(
                        key("weeks"),
                        "ange antingen weeks (1–104) eller months (1–24)",
                    ));
                }
            };
            frequencies.push(Frequency {
                code,
                label: raw.label.trim().to_owned(),
                interval,
            });
        }
        Ok(FollowUpRules {
            frequencies,
            due_soon_days: self.due_soon_days,
        })
    }
}

/// What the follow-up led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpOutcome {
    /// Fortsätt enligt planen.
    Continue,
    /// Revidera planen: a new version is written and signed.
    RevisePlan,
    /// Föreslå avslut: the need has ended; a party proposes avslut.
    ProposeClosure,
}

impl FollowUpOutcome {
    pub const ALL: [FollowUpOutcome; 3] = [
        FollowUpOutcome::Continue,
        FollowUpOutcome::RevisePlan,
        FollowUpOutcome::ProposeClosure,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FollowUpOutcome::Continue => "fortsatt",
            FollowUpOutcome::RevisePlan => "revidera",
            FollowUpOutcome::ProposeClosure => "avslut",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        FollowUpOutcome::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            FollowUpOutcome::Continue => "Fortsätt enligt planen",
            FollowUpOutcome::RevisePlan => "Revidera planen",
            FollowUpOutcome::ProposeClosure => "Föreslå avslut",
        }
    }
}

/// A follow-up as recorded: when, what was checked, what it led to, and the next one's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub held_on: Date,
    pub checked: String,
    pub outcome: FollowUpOutcome,
    /// The next follow-up, from the established plan's frequency.
    pub next_due: Date,
}

impl FollowUp {
    /// Checks the form; the next date follows `frequency` from the day it was held. A follow-up
    /// cannot be in the future.
    pub fn parse(
        held_on: &str,
        checked: &str,
        outcome: &str,
        frequency: &Frequency,
        today: Date,
    ) -> Result<FollowUp, Vec<FieldError>> {
        let mut errors = Vec::new();
        let held_on = match held_on.trim().parse::<Date>() {
            Ok(day) if day > today => {
                errors.push(FieldError {
                    field: "follow_up_date",
                    message: "Datum för uppföljningen: dagen har inte kommit än.".into(),
                });
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(FieldError {
                    field: "follow_up_date",
                    message: "Datum för uppföljningen: skriv dagen som ÅÅÅÅ-MM-DD.".into(),
                });
                None
            }
        };
        let checked = checked.trim();
        if checked.is_empty() {
            errors.push(FieldError {
                field: "follow_up_checked",
                message: "Skriv vad som följdes upp, t.ex. blodtryck, sår och läkemedelslistan."
                    .into(),
            });
        } else if let Some(message) = problem("Det som följdes upp", checked, LONG_TEXT_CHARS, true)
        {
            errors.push(FieldError {
                field: "follow_up_checked",
                message,
            });
        }
        let outcome = FollowUpOutcome::from_code(outcome.trim());
        if outcome.is_none() {
            errors.push(FieldError {
                field: "follow_up_outcome",
                message: "Välj vad uppföljningen ledde till.".into(),
            });
        }
        match (held_on, outcome) {
            (Some(held_on), Some(outcome)) if errors.is_empty() => Ok(FollowUp {
                held_on,
                checked: checked.to_owned(),
                outcome,
                next_due: frequency.next_after(held_on),
            }),
            _ => Err(errors),
        }
    }
}

/// Where a follow-up stands against its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpStatus {
    Later,
    /// Within the rule set's days before the date, or on it.
    Due,
    Overdue,
}

/// The last day a follow-up is "due" (not yet "later") seen on `today`; lists filter on it in the
/// database.
pub fn due_soon_until(today: Date, rules: &FollowUpRules) -> Date {
    today
        .checked_add(Span::new().days(rules.due_soon_days))
        .unwrap_or(Date::MAX)
}

/// The status of a follow-up due on `due` seen on `today`.
pub fn status(due: Date, today: Date, rules: &FollowUpRules) -> FollowUpStatus {
    if due < today {
        FollowUpStatus::Overdue
    } else if due <= due_soon_until(today, rules) {
        FollowUpStatus::Due
    } else {
        FollowUpStatus::Later
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn rules() -> FollowUpRules {
        RawFollowUpRules {
            follow_up_frequencies: vec![
                RawFrequency {
                    code: "2-veckor".into(),
                    label: "Varannan vecka".into(),
                    weeks: Some(2),
                    months: None,
                },
                RawFrequency {
                    code: "3-manader".into(),
                    label: "Var tredje månad".into(),
                    weeks: None,
                    months: Some(3),
                },
            ],
            due_soon_days: 7,
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn the_next_follow_up_follows_the_frequency() {
        let rules = rules();
        let quarterly = rules.frequency("3-manader").unwrap();
        let follow_up = FollowUp::parse(
            "2026-11-30",
            "Blodtryck och sår",
            "fortsatt",
            quarterly,
            date(2026, 12, 2),
        )
        .unwrap();
        assert_eq!(follow_up.next_due, date(2027, 2, 28));
        assert_eq!(
            rules
                .frequency("2-veckor")
                .unwrap()
                .next_after(date(2026, 12, 2)),
            date(2026, 12, 16)
        );
    }

    #[test]
    fn a_follow_up_says_what_was_checked_and_what_it_led_to() {
        let rules = rules();
        let errors = FollowUp::parse(
            "2026-12-03",
            " ",
            "kanske",
            rules.frequency("3-manader").unwrap(),
            date(2026, 12, 2),
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["follow_up_date", "follow_up_checked", "follow_up_outcome"]
        );
    }

    #[test]
    fn due_and_overdue_follow_from_the_date() {
        let rules = rules();
        let today = date(2026, 12, 2);
        assert_eq!(
            status(date(2026, 12, 1), today, &rules),
            FollowUpStatus::Overdue
        );
        assert_eq!(status(today, today, &rules), FollowUpStatus::Due);
        assert_eq!(
            status(date(2026, 12, 9), today, &rules),
            FollowUpStatus::Due
        );
        assert_eq!(
            status(date(2026, 12, 10), today, &rules),
            FollowUpStatus::Later
        );
    }

    #[test]
    fn a_frequency_has_one_interval() {
        let raw = RawFollowUpRules {
            follow_up_frequencies: vec![RawFrequency {
                code: "x".into(),
                label: "X".into(),
                weeks: Some(1),
                months: Some(1),
            }],
            due_soon_days: 7,
        };
        assert!(matches!(
            raw.validate(),
            Err(RuleSetError::Invalid { key, .. }) if key.ends_with("[0].weeks")
        ));
    }
}
