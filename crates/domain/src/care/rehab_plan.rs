//! Rehabiliteringsplan (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.4): in the
//! rehabilitation process the rehab team's arbetsterapeut and fysioterapeut make the plan
//! together with the person and the team members the need calls for. The rehabilitation
//! professions carry out the insatser themselves, hand them to staff with assured competence, or
//! the person does them as egenvård; the prescriber (ordinatör) follows the plan up at its
//! frequency and decides whether the insatser go on, change or end. Each saving is a new version,
//! so what was planned before stays readable.

use crate::care::follow_up::FollowUpRules;
use crate::case::Side;
use crate::text::{LONG_TEXT_CHARS, SHORT_TEXT_CHARS, problem};
use crate::{FieldError, Role};
use jiff::civil::Date;

/// Who carries out the insatser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Performer {
    /// Rehabiliteringsprofessionen själv.
    Professional,
    /// Överlåtet till annan yrkeskategori med säkerställd kompetens.
    Delegated,
    /// Personen själv, som egenvård.
    SelfCare,
}

impl Performer {
    pub const ALL: [Performer; 3] = [
        Performer::Professional,
        Performer::Delegated,
        Performer::SelfCare,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Performer::Professional => "rehabprofessionen",
            Performer::Delegated => "overlatet",
            Performer::SelfCare => "egenvard",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Performer::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Performer::Professional => "Arbetsterapeut eller fysioterapeut själv",
            Performer::Delegated => "Överlåtet till annan personal med säkerställd kompetens",
            Performer::SelfCare => "Personen själv, som egenvård",
        }
    }
}

/// One version of the plan as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RehabPlan {
    /// The person's own goals for the rehabilitation.
    pub goals: String,
    /// Insatser: training, assistive devices, adaptation of the home.
    pub interventions: String,
    pub performer: Performer,
    /// To whom the insatser are handed; empty unless [`Performer::Delegated`].
    pub delegated_to: String,
    /// The team members who took part in making the plan.
    pub team: String,
    pub person_took_part: bool,
    /// Why the person did not take part; empty when they did.
    pub absence_reason: String,
    /// Ordinatör: who follows the plan up and decides on the insatser.
    pub prescriber: String,
    /// The follow-up frequency's code from the rule set.
    pub frequency: String,
    pub first_follow_up: Date,
}

/// The plan form's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct RehabPlanInput<'a> {
    pub goals: &'a str,
    pub interventions: &'a str,
    pub performer: &'a str,
    pub delegated_to: &'a str,
    pub team: &'a str,
    /// `ja` or `nej`.
    pub person_took_part: &'a str,
    pub absence_reason: &'a str,
    pub prescriber: &'a str,
    pub frequency: &'a str,
    pub first_follow_up: &'a str,
}

impl RehabPlan {
    /// The plan part by part as (part, text), in the order the plan reads, so that two versions
    /// can be compared; `frequency` is how the rule set names the plan's frequency.
    pub fn parts(&self, frequency: &str) -> [(&'static str, String); 7] {
        let performer = if self.performer == Performer::Delegated {
            format!("{}: {}", self.performer.label(), self.delegated_to)
        } else {
            self.performer.label().to_owned()
        };
        let took_part = if self.person_took_part {
            "Ja".to_owned()
        } else {
            format!("Nej: {}", self.absence_reason)
        };
        [
            ("Personens mål", self.goals.clone()),
            ("Insatser", self.interventions.clone()),
            ("Utförs av", performer),
            ("Teammedlemmar", self.team.clone()),
            ("Personen deltog", took_part),
            ("Ordinatör", self.prescriber.clone()),
            (
                "Uppföljning",
                format!("{frequency}, första {}", self.first_follow_up),
            ),
        ]
    }
}

/// Only the receiving rehab team's arbetsterapeut or fysioterapeut writes the plan.
pub fn may_write(side: Side, role: Role) -> bool {
    side == Side::Receiver && role.is_rehab_professional()
}

impl RehabPlan {
    /// Checks the form; every problem is a field message. The plan is made with the person, so
    /// when she did not take part the reason is required; a handed-over insats names to whom.
    pub fn parse(
        input: &RehabPlanInput<'_>,
        rules: &FollowUpRules,
        today: Date,
    ) -> Result<RehabPlan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, label: &str, value: &str, limit, missing: &str| {
            let value = value.trim();
            if value.is_empty() && !missing.is_empty() {
                errors.push(FieldError {
                    field,
                    message: missing.to_owned(),
                });
            } else if let Some(message) = problem(label, value, limit, true) {
                errors.push(FieldError { field, message });
            }
            value.to_owned()
        };
        let goals = text(
            "rehab_goals",
            "Målen",
            input.goals,
            LONG_TEXT_CHARS,
            "Mål: skriv personens egna mål med rehabiliteringen.",
        );
        let interventions = text(
            "rehab_interventions",
            "Insatserna",
            input.interventions,
            LONG_TEXT_CHARS,
            "Insatser: skriv vad som ska göras, t.ex. träning, hjälpmedel eller bostadsanpassning.",
        );
        let team = text(
            "rehab_team",
            "Teamet",
            input.team,
            SHORT_TEXT_CHARS,
            "Teammedlemmar: skriv vilka som deltog i planeringen.",
        );
        let prescriber = text(
            "rehab_prescriber",
            "Ordinatören",
            input.prescriber,
            SHORT_TEXT_CHARS,
            "Ordinatör: skriv vem som följer upp planen och beslutar om insatserna.",
        );
        let performer = Performer::from_code(input.performer.trim());
        let delegated_to = text(
            "rehab_delegated_to",
            "Till vem insatserna överlåts",
            input.delegated_to,
            SHORT_TEXT_CHARS,
            if performer == Some(Performer::Delegated) {
                "Skriv till vem insatserna överlåts, t.ex. hemtjänstens omvårdnadspersonal."
            } else {
                ""
            },
        );
        let person_took_part = match input.person_took_part.trim() {
            "ja" => Some(true),
            "nej" => Some(false),
            _ => None,
        };
        let absence_reason = text(
            "rehab_absence_reason",
            "Skälet",
            input.absence_reason,
            SHORT_TEXT_CHARS,
            if person_took_part == Some(false) {
                "Planen görs tillsammans med personen: skriv varför hen inte deltog."
            } else {
                ""
            },
        );
        if performer.is_none() {
            errors.push(FieldError {
                field: "rehab_performer",
                message: "Välj vem som utför insatserna.".into(),
            });
        }
        if person_took_part.is_none() {
            errors.push(FieldError {
                field: "rehab_person_took_part",
                message: "Ange om personen deltog i planeringen.".into(),
            });
        }
        let frequency = input.frequency.trim();
        if rules.frequency(frequency).is_none() {
            errors.push(FieldError {
                field: "rehab_frequency",
                message: "Välj hur ofta planen följs upp.".into(),
            });
        }
        let first_follow_up = match input.first_follow_up.trim().parse::<Date>() {
            Ok(day) if day < today => {
                errors.push(FieldError {
                    field: "rehab_first_follow_up",
                    message: "Första uppföljningen: dagen har redan varit.".into(),
                });
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(FieldError {
                    field: "rehab_first_follow_up",
                    message: "Första uppföljningen: skriv dagen som ÅÅÅÅ-MM-DD.".into(),
                });
                None
            }
        };
        match (performer, person_took_part, first_follow_up) {
            (Some(performer), Some(person_took_part), Some(first_follow_up))
                if errors.is_empty() =>
            {
                Ok(RehabPlan {
                    goals,
                    interventions,
                    delegated_to: if performer == Performer::Delegated {
                        delegated_to
                    } else {
                        String::new()
                    },
                    performer,
                    team,
                    absence_reason: if person_took_part {
                        String::new()
                    } else {
                        absence_reason
                    },
                    person_took_part,
                    prescriber,
                    frequency: frequency.to_owned(),
                    first_follow_up,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use jiff::civil::date;

    fn rules() -> RuleSet {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap()
    }

    fn input<'a>() -> RehabPlanInput<'a> {
        RehabPlanInput {
            goals: "Klara trappan till tvättstugan själv.",
            interventions: "Gångträning två gånger i veckan; rollator.",
            performer: "overlatet",
            delegated_to: "Hemtjänsten Örebro",
            team: "Arbetsterapeut Aziz, fysioterapeut Falk",
            person_took_part: "ja",
            absence_reason: "",
            prescriber: "Fysioterapeut Falk",
            frequency: "1-manad",
            first_follow_up: "2026-12-20",
        }
    }

    #[test]
    fn a_complete_plan_parses_and_keeps_what_applies() {
        let rules = rules();
        let mut typed = input();
        typed.absence_reason = "ignoreras";
        let plan = RehabPlan::parse(&typed, &rules.treatment_plan, date(2026, 12, 3)).unwrap();
        assert_eq!(plan.performer, Performer::Delegated);
        assert_eq!(plan.delegated_to, "Hemtjänsten Örebro");
        assert_eq!(plan.absence_reason, "", "she took part");
        assert_eq!(plan.first_follow_up, date(2026, 12, 20));
    }

    #[test]
    fn missing_parts_are_named_field_by_field() {
        let rules = rules();
        let typed = RehabPlanInput {
            performer: "overlatet",
            delegated_to: "",
            person_took_part: "nej",
            frequency: "varje-timme",
            first_follow_up: "2026-12-01",
            ..RehabPlanInput::default()
        };
        let errors = RehabPlan::parse(&typed, &rules.treatment_plan, date(2026, 12, 3))
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect::<Vec<_>>();
        assert_eq!(
            errors,
            [
                "rehab_goals",
                "rehab_interventions",
                "rehab_team",
                "rehab_prescriber",
                "rehab_delegated_to",
                "rehab_absence_reason",
                "rehab_frequency",
                "rehab_first_follow_up",
            ]
        );
    }

    #[test]
    fn only_the_rehab_team_s_professions_write_it() {
        assert!(may_write(Side::Receiver, Role::OccupationalTherapist));
        assert!(may_write(Side::Receiver, Role::Physiotherapist));
        assert!(!may_write(Side::Receiver, Role::Nurse));
        assert!(!may_write(Side::Sender, Role::Physiotherapist));
    }
}
