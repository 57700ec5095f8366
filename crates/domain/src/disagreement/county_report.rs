//! Anmälan till länsgemensam nivå (*Principer för samverkan och ekonomisk reglering* §10): the
//! county group takes a disagreement only when the local preparation found no agreement, when a
//! manager of either party reports it, and when the report has its three parts. The report
//! describes the case without the person's identity; a party attaches it only deliberately.

use super::rules::DisagreementRules;
use super::{Ladder, Level, Outcome};
use crate::{FieldError, Role};

/// The report's three required parts (a)–(c).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyReport {
    /// (a) Kortfattad beskrivning av ärendet.
    pub description: String,
    /// (b) Parternas olika tolkningar.
    pub interpretations: String,
    /// (c) Orsak och motiv till att parterna inte kommer överens.
    pub cause: String,
}

impl CountyReport {
    /// Checks the preconditions and the report; every problem is named, the fields' under their
    /// own names and the preconditions under `level`.
    pub fn parse(
        ladder: &Ladder,
        rules: &DisagreementRules,
        reported_by: Role,
        description: &str,
        interpretations: &str,
        cause: &str,
    ) -> Result<CountyReport, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !levels_below_without_agreement(ladder, rules) {
            let below = rules.number(Level::County).saturating_sub(1);
            errors.push(FieldError {
                field: "level",
                message: format!(
                    "{} kräver att nivå 1–{below} är registrerade utan att parterna enats.",
                    rules.label(Level::County)
                ),
            });
        }
        if reported_by != Role::UnitManager {
            errors.push(FieldError {
                field: "level",
                message: "Ärendet anmäls av en chef hos någon av parterna.".into(),
            });
        }
        for (field, label, text) in [
            (
                "description",
                "(a) en kortfattad beskrivning av ärendet",
                description,
            ),
            (
                "interpretations",
                "(b) parternas olika tolkningar",
                interpretations,
            ),
            (
                "cause",
                "(c) orsak och motiv till att parterna inte kommer överens",
                cause,
            ),
        ] {
            if text.trim().len() < 10 {
                errors.push(FieldError {
                    field,
                    message: format!("Anmälan ska innehålla {label} (minst tio tecken)."),
                });
            }
        }
        if errors.is_empty() {
            Ok(CountyReport {
                description: description.trim().to_owned(),
                interpretations: interpretations.trim().to_owned(),
                cause: cause.trim().to_owned(),
            })
        } else {
            Err(errors)
        }
    }
}

/// Whether every level of the agreement's ladder below the county group has been recorded without
/// agreement (the economic step may say that no costs are involved).
fn levels_below_without_agreement(ladder: &Ladder, rules: &DisagreementRules) -> bool {
    rules
        .levels
        .iter()
        .map(|(level, _)| *level)
        .filter(|level| *level != Level::County)
        .all(|level| {
            ladder.rungs().iter().any(|r| {
                r.level == level
                    && matches!(
                        r.outcome,
                        Some((_, _, Outcome::NotAgreed { .. } | Outcome::NoCostsInvolved))
                    )
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Side;
    use jiff::civil::date;

    const A: &str = "Personen behöver injektioner två gånger i veckan efter utskrivningen.";
    const B: &str = "Regionen menar att kriterierna är uppfyllda; kommunen att personen tar sig till mottagningen.";
    const C: &str = "Parterna läser kriteriet om att ta sig till mottagningen olika.";

    fn rules() -> DisagreementRules {
        crate::RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .disagreement
    }

    fn climbed(to_management_line: bool) -> Ladder {
        let on = date(2026, 11, 2);
        let why = || Outcome::NotAgreed {
            why: "Olika tolkning av kriteriet.".into(),
        };
        let mut ladder = Ladder::open("A", "B", on).unwrap();
        ladder.record(Side::Sender, on, why()).unwrap();
        ladder
            .escalate(Level::EconomicMandate, "C", "D", on, &rules())
            .unwrap();
        ladder
            .record(Side::Sender, on, Outcome::NoCostsInvolved)
            .unwrap();
        ladder
            .escalate(Level::ManagementLine, "E", "F", on, &rules())
            .unwrap();
        if to_management_line {
            ladder.record(Side::Receiver, on, why()).unwrap();
        }
        ladder
    }

    #[test]
    fn the_county_needs_levels_one_to_three_a_manager_and_all_three_parts() {
        let errors =
            CountyReport::parse(&climbed(false), &rules(), Role::Nurse, A, "", "kort").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["level", "level", "interpretations", "cause"]);
        assert!(errors[0].message.contains("nivå 1–3"));
        let report =
            CountyReport::parse(&climbed(true), &rules(), Role::UnitManager, A, B, C).unwrap();
        assert_eq!(report.cause, C);
    }
}
