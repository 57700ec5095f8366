//! Gemensam planering (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.4): within a week of
//! the decision the parties plan the care together with the person. What the planning records:
//! when and how it was held, who took part from each party, and whether the person and their
//! relatives took part, and if the person did not, why.

use crate::text::{LONG_TEXT_CHARS, SHORT_TEXT_CHARS, problem};
use crate::{FieldError, Parties};
use jiff::civil::Date;

/// Where the planning was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanningForm {
    /// Hemma hos personen.
    Home,
    /// Digitalt (video or telephone).
    Digital,
    /// På mottagning.
    Clinic,
}

impl PlanningForm {
    pub const ALL: [PlanningForm; 3] = [
        PlanningForm::Home,
        PlanningForm::Digital,
        PlanningForm::Clinic,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanningForm::Home => "hemma",
            PlanningForm::Digital => "digitalt",
            PlanningForm::Clinic => "mottagning",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        PlanningForm::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanningForm::Home => "Hemma hos personen",
            PlanningForm::Digital => "Digitalt",
            PlanningForm::Clinic => "På mottagning",
        }
    }
}

/// A joint planning as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointPlanning {
    pub held_on: Date,
    pub form: PlanningForm,
    /// Who took part from the region (vårdcentral, clinic).
    pub region_participants: String,
    /// Who took part from the municipality.
    pub municipality_participants: String,
    pub person_took_part: bool,
    pub relatives_took_part: bool,
    /// Why the person did not take part; empty when they did.
    pub absence_reason: String,
}

/// The planning form's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct PlanningInput<'a> {
    pub held_on: &'a str,
    pub form: &'a str,
    pub region_participants: &'a str,
    pub municipality_participants: &'a str,
    /// `ja` or `nej`.
    pub person_took_part: &'a str,
    /// `ja` when relatives took part.
    pub relatives_took_part: &'a str,
    pub absence_reason: &'a str,
    /// On the rehab team's own egenvårdsbegäran the region need not take part.
    pub parties: Parties,
}

impl JointPlanning {
    /// Checks the form; every problem is a field message. A planning cannot be in the future.
    pub fn parse(input: &PlanningInput<'_>, today: Date) -> Result<JointPlanning, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error =
            |field: &'static str, message: String| errors.push(FieldError { field, message });
        let held_on = match input.held_on.trim().parse::<Date>() {
            Ok(day) if day > today => {
                error(
                    "planning_date",
                    "Datum för planeringen: dagen har inte kommit än.".into(),
                );
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                error(
                    "planning_date",
                    "Datum för planeringen: skriv dagen som ÅÅÅÅ-MM-DD.".into(),
                );
                None
            }
        };
        let form = PlanningForm::from_code(input.form.trim());
        if form.is_none() {
            error("planning_form", "Välj var planeringen hölls.".into());
        }
        for (field, label, text) in [
            (
                "region_participants",
                "Deltagare från regionen",
                input.region_participants,
            ),
            (
                "municipality_participants",
                "Deltagare från kommunen",
                input.municipality_participants,
            ),
        ] {
            let region_optional =
                field == "region_participants" && input.parties == Parties::RehabTeamAlone;
            if text.trim().is_empty() && !region_optional {
                error(
                    field,
                    format!("{label}: skriv vem som deltog (namn och yrke)."),
                );
            } else if let Some(message) = problem(label, text.trim(), SHORT_TEXT_CHARS, false) {
                error(field, message);
            }
        }
        let person_took_part = match input.person_took_part.trim() {
            "ja" => Some(true),
            "nej" => Some(false),
            _ => {
                error(
                    "person_took_part",
                    "Ange om personen deltog i planeringen.".into(),
                );
                None
            }
        };
        let absence_reason = input.absence_reason.trim();
        if person_took_part == Some(false) && absence_reason.is_empty() {
            error(
                "absence_reason",
                "Skriv varför personen inte deltog, t.ex. att hen inte orkade och att en närstående företrädde hen.".into(),
            );
        } else if let Some(message) = problem("Skälet", absence_reason, LONG_TEXT_CHARS, true) {
            error("absence_reason", message);
        }
        match (held_on, form, person_took_part) {
            (Some(held_on), Some(form), Some(person_took_part)) if errors.is_empty() => {
                Ok(JointPlanning {
                    held_on,
                    form,
                    region_participants: input.region_participants.trim().to_owned(),
                    municipality_participants: input.municipality_participants.trim().to_owned(),
                    person_took_part,
                    relatives_took_part: input.relatives_took_part.trim() == "ja",
                    absence_reason: if person_took_part {
                        String::new()
                    } else {
                        absence_reason.to_owned()
                    },
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 2);

    fn input<'a>() -> PlanningInput<'a> {
        PlanningInput {
            held_on: "2026-12-01",
            form: "hemma",
            region_participants: "Lena Lind, läkare",
            municipality_participants: "Sara Sjöberg, sjuksköterska",
            person_took_part: "ja",
            relatives_took_part: "ja",
            absence_reason: "",
            parties: Parties::Both,
        }
    }

    #[test]
    fn a_planning_names_both_parties_and_the_person() {
        let planning = JointPlanning::parse(&input(), TODAY).unwrap();
        assert_eq!(planning.form, PlanningForm::Home);
        assert!(planning.person_took_part && planning.relatives_took_part);
        let errors = JointPlanning::parse(
            &PlanningInput {
                held_on: "2026-12-03",
                region_participants: " ",
                person_took_part: "nej",
                ..input()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["planning_date", "region_participants", "absence_reason"]
        );
        let team_alone = PlanningInput {
            region_participants: "",
            parties: Parties::RehabTeamAlone,
            ..input()
        };
        assert!(
            JointPlanning::parse(&team_alone, TODAY).is_ok(),
            "on the team's own egenvårdsbegäran the region need not take part"
        );
    }

    #[test]
    fn without_the_person_the_reason_is_kept() {
        let planning = JointPlanning::parse(
            &PlanningInput {
                person_took_part: "nej",
                absence_reason: "Personen sov; dottern företrädde henne.",
                ..input()
            },
            TODAY,
        )
        .unwrap();
        assert!(!planning.person_took_part);
        assert_eq!(
            planning.absence_reason,
            "Personen sov; dottern företrädde henne."
        );
    }
}
