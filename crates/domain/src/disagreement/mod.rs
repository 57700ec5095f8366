//! Oenighet (*Principer för samverkan och ekonomisk reglering* §10): when the parties do not
//! agree on who does what for a person, the question climbs a ladder — the nearest line managers,
//! the nearest managers with an economic mandate when costs are involved, further up the
//! management line one step at a time, and last the county group. The person's needs come first
//! throughout, and responsibility for the care passes only when the disagreement is resolved,
//! which takes both parties. This file is the ladder; the county report is its own module.

pub mod county_report;
pub mod level;
pub mod rules;

pub use level::Level;

use crate::{RuleSet, Side};
use jiff::civil::Date;
use rules::DisagreementRules;

/// What the managers at one step came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Överens, with who does what. It stands when the other party has confirmed it.
    Agreed { who_does_what: String },
    /// Inte överens, and why: the question goes up a step.
    NotAgreed { why: String },
    /// Only at level 2: no costs are involved, so there is no economic question to lift.
    NoCostsInvolved,
}

impl Outcome {
    /// Stable code in storage and the API.
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Agreed { .. } => "overens",
            Outcome::NotAgreed { .. } => "inte-overens",
            Outcome::NoCostsInvolved => "inga-kostnader",
        }
    }

    /// The words that go with it: who does what, or why not.
    pub fn text(&self) -> &str {
        match self {
            Outcome::Agreed { who_does_what } => who_does_what,
            Outcome::NotAgreed { why } => why,
            Outcome::NoCostsInvolved => "",
        }
    }

    pub fn from_parts(code: &str, text: &str) -> Option<Outcome> {
        match code {
            "overens" => Some(Outcome::Agreed {
                who_does_what: text.to_owned(),
            }),
            "inte-overens" => Some(Outcome::NotAgreed {
                why: text.to_owned(),
            }),
            "inga-kostnader" => Some(Outcome::NoCostsInvolved),
            _ => None,
        }
    }
}

/// One step: who was asked on each side, when, and what they came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rung {
    pub level: Level,
    /// The region's manager asked at this step (name and title).
    pub region_manager: String,
    /// The municipality's manager asked at this step.
    pub municipality_manager: String,
    pub raised_on: Date,
    /// Who recorded the outcome (which side), when, and what.
    pub outcome: Option<(Side, Date, Outcome)>,
    /// The other side's confirmation of an agreement.
    pub confirmed: Option<(Side, Date)>,
}

/// Why a step on the ladder is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LadderError {
    #[error("Oenigheten är redan löst.")]
    Resolved,
    #[error("Registrera först vad nivån kom fram till innan frågan lyfts vidare.")]
    CurrentOpen,
    #[error("Nivån har redan ett registrerat utfall.")]
    AlreadyRecorded,
    #[error("Frågan kan inte lyftas till {to} från {from}.")]
    WrongLevel { from: String, to: String },
    #[error("Ange chefen hos båda parter som frågan lyfts till.")]
    ManagersMissing,
    #[error("Att inga kostnader ingår kan bara registreras för chefer med ekonomiskt mandat.")]
    NoCostsOnlyAtLevelTwo,
    #[error("Beskriv {0}.")]
    TextMissing(&'static str),
    #[error("Den andra parten bekräftar överenskommelsen; en part kan inte lösa oenigheten ensam.")]
    OtherPartyConfirms,
    #[error("Det finns ingen överenskommelse att bekräfta.")]
    NothingToConfirm,
}

/// The ladder of one oenighet, from its first step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    rungs: Vec<Rung>,
}

impl Ladder {
    /// An oenighet starts locally, with the nearest line managers of each unit named.
    pub fn open(
        region_manager: &str,
        municipality_manager: &str,
        on: Date,
    ) -> Result<Ladder, LadderError> {
        Ok(Ladder {
            rungs: vec![rung(
                Level::Local,
                region_manager,
                municipality_manager,
                on,
            )?],
        })
    }

    /// The ladder as stored: its steps in order. Nothing checks them again; they were checked
    /// when they were taken.
    pub fn from_rungs(rungs: Vec<Rung>) -> Option<Ladder> {
        (!rungs.is_empty()).then_some(Ladder { rungs })
    }

    pub fn rungs(&self) -> &[Rung] {
        &self.rungs
    }

    fn current(&self) -> &Rung {
        // `open` and `from_rungs` never make an empty ladder.
        &self.rungs[self.rungs.len() - 1]
    }

    /// The step the question is at now.
    pub fn level(&self) -> Level {
        self.current().level
    }

    /// Löst: the last step's agreement is confirmed by the other party.
    pub fn is_resolved(&self) -> bool {
        let current = self.current();
        matches!(current.outcome, Some((_, _, Outcome::Agreed { .. })))
            && current.confirmed.is_some()
    }

    /// When the local managers must have acted: the rule set's working days after they were
    /// named. Only the local step has a deadline; higher steps follow the management line.
    pub fn local_due(&self, rules: &RuleSet) -> Date {
        rules.calendar.add_working_days(
            self.rungs[0].raised_on,
            rules.disagreement.local_working_days,
        )
    }

    /// Records what the current step came to. Either party may record that they did not agree;
    /// an agreement waits for the other party's confirmation.
    pub fn record(&mut self, by: Side, on: Date, outcome: Outcome) -> Result<(), LadderError> {
        if self.is_resolved() {
            return Err(LadderError::Resolved);
        }
        let level = self.level();
        let current = self.current_mut();
        if current.outcome.is_some() {
            return Err(LadderError::AlreadyRecorded);
        }
        match &outcome {
            Outcome::Agreed { who_does_what } if who_does_what.trim().is_empty() => {
                return Err(LadderError::TextMissing("vem som gör vad"));
            }
            Outcome::NotAgreed { why } if why.trim().is_empty() => {
                return Err(LadderError::TextMissing("varför parterna inte är överens"));
            }
            Outcome::NoCostsInvolved if level != Level::EconomicMandate => {
                return Err(LadderError::NoCostsOnlyAtLevelTwo);
            }
            _ => {}
        }
        current.outcome = Some((by, on, outcome));
        Ok(())
    }

    /// The other party confirms the agreement recorded at the current step: the oenighet is
    /// resolved, and responsibility for the care passes.
    pub fn confirm(&mut self, by: Side, on: Date) -> Result<(), LadderError> {
        if self.is_resolved() {
            return Err(LadderError::Resolved);
        }
        let current = self.current_mut();
        match &current.outcome {
            Some((recorded_by, _, Outcome::Agreed { .. })) if *recorded_by == by => {
                Err(LadderError::OtherPartyConfirms)
            }
            Some((_, _, Outcome::Agreed { .. })) => {
                current.confirmed = Some((by, on));
                Ok(())
            }
            _ => Err(LadderError::NothingToConfirm),
        }
    }

    /// The other party does not accept the agreement recorded: the step stays open.
    pub fn reject_agreement(&mut self, by: Side) -> Result<(), LadderError> {
        let current = self.current_mut();
        match &current.outcome {
            Some((recorded_by, _, Outcome::Agreed { .. }))
                if *recorded_by != by && current.confirmed.is_none() =>
            {
                current.outcome = None;
                Ok(())
            }
            _ => Err(LadderError::NothingToConfirm),
        }
    }

    /// The levels a question that did not find agreement may go to next on the agreement's
    /// ladder: the next level up, and from the management line also further up the line (the
    /// same level again) before the county group.
    pub fn next_levels(&self, rules: &DisagreementRules) -> Vec<Level> {
        let current = self.current();
        let closed_without_agreement = matches!(
            current.outcome,
            Some((_, _, Outcome::NotAgreed { .. } | Outcome::NoCostsInvolved))
        );
        if !closed_without_agreement {
            return Vec::new();
        }
        let again = (current.level == Level::ManagementLine).then_some(Level::ManagementLine);
        again
            .into_iter()
            .chain(rules.after(current.level))
            .collect()
    }

    /// Lifts the question to `to`, naming the managers asked there (for the county group: the
    /// managers reporting it). The county level needs its report; see
    /// [`county_report::CountyReport`].
    pub fn escalate(
        &mut self,
        to: Level,
        region_manager: &str,
        municipality_manager: &str,
        on: Date,
        rules: &DisagreementRules,
    ) -> Result<(), LadderError> {
        if self.is_resolved() {
            return Err(LadderError::Resolved);
        }
        if self.current().outcome.is_none() {
            return Err(LadderError::CurrentOpen);
        }
        if !self.next_levels(rules).contains(&to) {
            return Err(LadderError::WrongLevel {
                from: rules.label(self.level()),
                to: rules.label(to),
            });
        }
        self.rungs
            .push(rung(to, region_manager, municipality_manager, on)?);
        Ok(())
    }

    fn current_mut(&mut self) -> &mut Rung {
        let last = self.rungs.len() - 1;
        &mut self.rungs[last]
    }
}

fn rung(level: Level, region: &str, municipality: &str, on: Date) -> Result<Rung, LadderError> {
    if region.trim().is_empty() || municipality.trim().is_empty() {
        return Err(LadderError::ManagersMissing);
    }
    Ok(Rung {
        level,
        region_manager: region.trim().to_owned(),
        municipality_manager: municipality.trim().to_owned(),
        raised_on: on,
        outcome: None,
        confirmed: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn rules() -> DisagreementRules {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .disagreement
    }

    fn not_agreed() -> Outcome {
        Outcome::NotAgreed {
            why: "Parterna tolkar kriteriet om samordningsbehov olika.".into(),
        }
    }

    fn agreed() -> Outcome {
        Outcome::Agreed {
            who_does_what: "Kommunen ger injektionerna; vårdcentralen följer upp.".into(),
        }
    }

    #[test]
    fn the_local_managers_have_working_days_from_the_rule_set() {
        let mut rules =
            RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        rules.disagreement.local_working_days = 2;
        // Named on Maundy Thursday 2025: Good Friday and Easter Monday are not working days.
        let ladder = Ladder::open("Enhetschef VC", "Enhetschef HSL", date(2025, 4, 17)).unwrap();
        assert_eq!(ladder.local_due(&rules), date(2025, 4, 23));
    }

    #[test]
    fn the_ladder_is_climbed_one_step_at_a_time() {
        let on = date(2026, 11, 2);
        let mut ladder = Ladder::open("A", "B", on).unwrap();
        assert_eq!(
            ladder.escalate(Level::EconomicMandate, "C", "D", on, &rules()),
            Err(LadderError::CurrentOpen)
        );
        ladder.record(Side::Sender, on, not_agreed()).unwrap();
        assert_eq!(
            ladder.escalate(Level::County, "C", "D", on, &rules()),
            Err(LadderError::WrongLevel {
                from: "1. Lokal nivå: närmaste linjechefer".into(),
                to: "4. Länsgemensam nivå".into()
            })
        );
        assert_eq!(
            ladder.escalate(Level::EconomicMandate, "C", " ", on, &rules()),
            Err(LadderError::ManagersMissing)
        );
        ladder
            .escalate(Level::EconomicMandate, "C", "D", on, &rules())
            .unwrap();
        assert_eq!(
            ladder.record(Side::Receiver, on, Outcome::NotAgreed { why: " ".into() }),
            Err(LadderError::TextMissing("varför parterna inte är överens"))
        );
        ladder
            .record(Side::Receiver, on, Outcome::NoCostsInvolved)
            .unwrap();
        ladder
            .escalate(Level::ManagementLine, "E", "F", on, &rules())
            .unwrap();
        ladder.record(Side::Sender, on, not_agreed()).unwrap();
        // Further up the line, one step at a time, then the county group.
        ladder
            .escalate(Level::ManagementLine, "G", "H", on, &rules())
            .unwrap();
        ladder.record(Side::Sender, on, not_agreed()).unwrap();
        assert_eq!(
            ladder.next_levels(&rules()),
            [Level::ManagementLine, Level::County]
        );
        ladder
            .escalate(Level::County, "G", "H", on, &rules())
            .unwrap();
        assert_eq!(ladder.level(), Level::County);
        assert_eq!(ladder.rungs().len(), 5);
    }

    #[test]
    fn no_costs_is_said_only_at_the_economic_step() {
        let on = date(2026, 11, 2);
        let mut ladder = Ladder::open("A", "B", on).unwrap();
        assert_eq!(
            ladder.record(Side::Sender, on, Outcome::NoCostsInvolved),
            Err(LadderError::NoCostsOnlyAtLevelTwo)
        );
    }

    #[test]
    fn one_party_cannot_resolve_alone() {
        let on = date(2026, 11, 2);
        let mut ladder = Ladder::open("A", "B", on).unwrap();
        ladder.record(Side::Receiver, on, agreed()).unwrap();
        assert!(
            !ladder.is_resolved(),
            "an agreement waits for the other party"
        );
        assert_eq!(
            ladder.confirm(Side::Receiver, on),
            Err(LadderError::OtherPartyConfirms)
        );
        // The other party may turn it down; the step is open again.
        ladder.reject_agreement(Side::Sender).unwrap();
        assert!(ladder.rungs()[0].outcome.is_none());
        ladder.record(Side::Receiver, on, agreed()).unwrap();
        ladder.confirm(Side::Sender, on).unwrap();
        assert!(ladder.is_resolved());
        assert_eq!(
            ladder.escalate(Level::EconomicMandate, "C", "D", on, &rules()),
            Err(LadderError::Resolved)
        );
    }

    /// Örebro's rule set with its ladder's levels replaced by `levels`.
    fn with_levels(levels: &str) -> String {
        let text = include_str!("../../../../rules/orebro-2025.toml");
        let start = text.find("\nlevels = [").unwrap() + 1;
        let end = start + text[start..].find("\n]\n").unwrap() + 3;
        format!("{}levels = [{levels}]\n{}", &text[..start], &text[end..])
    }

    #[test]
    fn a_region_without_the_economic_step_climbs_its_own_ladder() {
        let text = with_levels(
            "{ level = \"lokal\", label = \"Närmaste chefer\" }, { level = \"chefslinjen\", label = \"Förvaltningschefer\" }, { level = \"lan\", label = \"Samverkansgruppen\" }",
        );
        let rules = RuleSet::from_toml(&text).unwrap().disagreement;
        assert_eq!(rules.label(Level::ManagementLine), "2. Förvaltningschefer");
        assert_eq!(rules.label(Level::County), "3. Samverkansgruppen");
        let on = date(2026, 11, 2);
        let mut ladder = Ladder::open("A", "B", on).unwrap();
        ladder.record(Side::Sender, on, not_agreed()).unwrap();
        assert_eq!(ladder.next_levels(&rules), [Level::ManagementLine]);
        assert_eq!(
            ladder.escalate(Level::EconomicMandate, "C", "D", on, &rules),
            Err(LadderError::WrongLevel {
                from: "1. Närmaste chefer".into(),
                to: "2. Chefer med ekonomiskt mandat".into()
            }),
            "a level the agreement lacks keeps its place among the four"
        );
        ladder
            .escalate(Level::ManagementLine, "C", "D", on, &rules)
            .unwrap();
        ladder.record(Side::Sender, on, not_agreed()).unwrap();
        ladder
            .escalate(Level::County, "E", "F", on, &rules)
            .unwrap();
        let report = county_report::CountyReport::parse(
            &ladder,
            &rules,
            crate::Role::UnitManager,
            "Personen behöver injektioner efter utskrivningen.",
            "Parterna läser kriteriet olika, båda med skäl.",
            "Kostnaden för insatsen är inte fördelad.",
        );
        assert!(
            report.is_ok(),
            "levels 1–2 suffice on this ladder: {report:?}"
        );
    }

    #[test]
    fn the_ladders_levels_are_checked_by_key() {
        let with = |levels: &str| {
            RuleSet::from_toml(&with_levels(levels))
                .unwrap_err()
                .to_string()
        };
        assert!(
            with("{ level = \"lokal\", label = \"A\" }, { level = \"styrelsen\", label = \"B\" }")
                .contains("disagreement.levels[1].level")
        );
        assert!(
            with(
                "{ level = \"lokal\", label = \"A\" }, { level = \"chefslinjen\", label = \"B\" }"
            )
            .contains("trappan börjar med lokal och slutar med lan")
        );
        assert!(with("{ level = \"lokal\", label = \"A\" }, { level = \"lan\", label = \"B\" }, { level = \"chefslinjen\", label = \"C\" }").contains("disagreement.levels[2].level"));
        assert!(
            with("{ level = \"lokal\", label = \" \" }, { level = \"lan\", label = \"B\" }")
                .contains("disagreement.levels[0].label")
        );
    }
}
