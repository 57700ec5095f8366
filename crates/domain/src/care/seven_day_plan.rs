//! Track 3's plan for the first seven days (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.3):
//! at discharge the hospital makes "en medicinsk behandlingsplan (vårdplan) om det förändrade
//! behovet och åtgärder som sträcker sig sju dagar framåt eller tills en ny behandlingsplan
//! upprättas", with rehabilitation and mobile-team insatser where needed, readable through NPÖ, and
//! available to the next care giver no later than the discharge day (the rule set's deadline).
//! The vårdcentral's fastställd behandlingsplan replaces it.

use crate::FieldError;
use crate::case::rules::DischargeRules;
use crate::text::{LONG_TEXT_CHARS, problem};
use jiff::ToSpan;
use jiff::civil::Date;

/// The hospital's plan as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SevenDayPlan {
    /// The day the plan was made available to the next care giver.
    pub available_on: Date,
    /// Läkemedel: changes and what is given.
    pub medication: String,
    /// Kontroller: what is checked, how often, and target values.
    pub checks: String,
    /// Rehabilitering; empty when none is needed.
    pub rehabilitation: String,
    /// Insatser från mobilt team; empty when none.
    pub mobile_team: String,
    /// The content is in the discharge notes, so it is readable in NPÖ.
    pub readable_in_npo: bool,
}

/// The form's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct SevenDayPlanInput<'a> {
    pub available_on: &'a str,
    pub medication: &'a str,
    pub checks: &'a str,
    pub rehabilitation: &'a str,
    pub mobile_team: &'a str,
    /// `ja` or `nej`.
    pub readable_in_npo: &'a str,
}

impl SevenDayPlan {
    pub fn parse(
        input: &SevenDayPlanInput<'_>,
        today: Date,
    ) -> Result<SevenDayPlan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let available_on = match input.available_on.trim().parse::<Date>() {
            Ok(day) if day > today => {
                errors.push(FieldError {
                    field: "seven_day_available_on",
                    message: "Tillgänglig från: dagen har inte kommit än.".into(),
                });
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(FieldError {
                    field: "seven_day_available_on",
                    message: "Tillgänglig från: skriv dagen som ÅÅÅÅ-MM-DD.".into(),
                });
                None
            }
        };
        let mut text = |field: &'static str, label: &str, value: &str, required: Option<&str>| {
            let value = value.trim();
            match required {
                Some(missing) if value.is_empty() => errors.push(FieldError {
                    field,
                    message: missing.into(),
                }),
                _ => {
                    if let Some(message) = problem(label, value, LONG_TEXT_CHARS, true) {
                        errors.push(FieldError { field, message });
                    }
                }
            }
            value.to_owned()
        };
        let medication = text(
            "seven_day_medication",
            "Läkemedel",
            input.medication,
            Some("Läkemedel: skriv ändringarna och vad som ges de första sju dagarna."),
        );
        let checks = text(
            "seven_day_checks",
            "Kontroller",
            input.checks,
            Some("Kontroller: skriv vad som kontrolleras, hur ofta och målvärden."),
        );
        let rehabilitation = text(
            "seven_day_rehabilitation",
            "Rehabilitering",
            input.rehabilitation,
            None,
        );
        let mobile_team = text(
            "seven_day_mobile_team",
            "Mobilt team",
            input.mobile_team,
            None,
        );
        let readable_in_npo = match input.readable_in_npo.trim() {
            "ja" => Some(true),
            "nej" => Some(false),
            _ => {
                errors.push(FieldError {
                    field: "seven_day_npo",
                    message: "Ange om planen går att läsa i NPÖ (i slutanteckningen).".into(),
                });
                None
            }
        };
        match (available_on, readable_in_npo) {
            (Some(available_on), Some(readable_in_npo)) if errors.is_empty() => Ok(SevenDayPlan {
                available_on,
                medication,
                checks,
                rehabilitation,
                mobile_team,
                readable_in_npo,
            }),
            _ => Err(errors),
        }
    }

    /// Whether the plan reached the next care giver by `due` (the discharge day, less the rule
    /// set's days).
    pub fn in_time(&self, due: Date) -> bool {
        self.available_on <= due
    }
}

/// The last day the hospital's plan covers: the rule set's days from the discharge day, that
/// day first.
pub fn covers_until(discharge_date: Date, rules: &DischargeRules) -> Date {
    discharge_date.saturating_add((i64::from(rules.plan_covers_days) - 1).days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use crate::case::track::{TrackDetails, VisamColour};
    use jiff::civil::date;

    fn input<'a>() -> SevenDayPlanInput<'a> {
        SevenDayPlanInput {
            available_on: "2026-11-30",
            medication: "Furosemid höjd till 80 mg.",
            checks: "Vikt dagligen; ring vid ökning över 2 kg.",
            rehabilitation: "",
            mobile_team: "",
            readable_in_npo: "ja",
        }
    }

    #[test]
    fn the_plan_is_due_by_the_discharge_day_and_covers_seven_days() {
        let rules = RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        let discharge = date(2026, 12, 1);
        let track = TrackDetails::Discharge {
            colour: VisamColour::Red,
            discharge_date: discharge,
            plan_available_on: None,
        };
        let due = track.discharge_plan_due(&rules).unwrap();
        assert_eq!(due, discharge);
        let plan = SevenDayPlan::parse(&input(), date(2026, 12, 2)).unwrap();
        assert!(plan.in_time(due));
        let late = SevenDayPlan::parse(
            &SevenDayPlanInput {
                available_on: "2026-12-02",
                ..input()
            },
            date(2026, 12, 2),
        )
        .unwrap();
        assert!(!late.in_time(due));
        assert_eq!(covers_until(discharge, &rules.discharge), date(2026, 12, 7));
        let five = crate::case::rules::DischargeRules {
            plan_covers_days: 5,
            ..rules.discharge
        };
        assert_eq!(covers_until(discharge, &five), date(2026, 12, 5));
    }

    #[test]
    fn medication_checks_and_npo_are_required() {
        let errors = SevenDayPlan::parse(
            &SevenDayPlanInput {
                medication: " ",
                checks: "",
                readable_in_npo: "",
                ..input()
            },
            date(2026, 12, 2),
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["seven_day_medication", "seven_day_checks", "seven_day_npo"]
        );
    }
}
