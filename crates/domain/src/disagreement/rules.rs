//! The `[disagreement]` section of the rule set: the ladder's levels as the region's agreement
//! names them, how fast the local managers must act, and how many members each side names to the
//! county group (*Principer för samverkan och ekonomisk reglering* §10: "Länets kommuner och
//! regionen kan utse fyra representanter vardera").

use crate::disagreement::level::Level;
use crate::rules::RuleSetError;
use crate::rules::error::invalid;
use serde::Deserialize;

/// What the parties have agreed about handling an oenighet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisagreementRules {
    /// The nearest line managers act "skyndsamt": within this many working days of being named.
    pub local_working_days: u32,
    /// Members of the county group named by the region, and as many by the municipalities.
    pub county_group_members_per_party: u32,
    /// Trappan: the levels the agreement has, in order, each with its name in the agreement.
    /// It begins locally and ends with the county group; the two middle levels are optional.
    pub levels: Vec<(Level, String)>,
}

impl DisagreementRules {
    /// Whether one more member may join the county group from a side that has `members` now
    /// (the region is one side, the municipalities together the other).
    pub fn county_group_has_room(&self, members: u32) -> bool {
        members < self.county_group_members_per_party
    }

    /// The level's step on this agreement's ladder, 1 first. A level the agreement no longer
    /// has (stored under an earlier rule set) keeps its place among the four.
    pub fn number(&self, level: Level) -> u8 {
        let position = self.levels.iter().position(|(l, _)| *l == level);
        position.map_or_else(
            || level.canonical_number(),
            |p| u8::try_from(p + 1).unwrap_or(u8::MAX),
        )
    }

    /// "2. Chefer med ekonomiskt mandat": the step's number and the agreement's name for it.
    pub fn label(&self, level: Level) -> String {
        let name = self
            .levels
            .iter()
            .find(|(l, _)| *l == level)
            .map_or(level.default_name(), |(_, name)| name.as_str());
        format!("{}. {name}", self.number(level))
    }

    /// The first level on this ladder above `level`, if any.
    pub fn after(&self, level: Level) -> Option<Level> {
        self.levels.iter().map(|(l, _)| *l).find(|l| *l > level)
    }

    /// Whether the agreement's ladder has the level.
    pub fn has(&self, level: Level) -> bool {
        self.levels.iter().any(|(l, _)| *l == level)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisagreementRules {
    local_working_days: u32,
    county_group_members_per_party: u32,
    levels: Option<Vec<RawLevel>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: String,
    label: String,
}

impl RawDisagreementRules {
    pub fn validate(self) -> Result<DisagreementRules, RuleSetError> {
        if !(1..=20).contains(&self.local_working_days) {
            return Err(invalid(
                "disagreement.local_working_days",
                "måste vara mellan 1 och 20 arbetsdagar",
            ));
        }
        if !(1..=10).contains(&self.county_group_members_per_party) {
            return Err(invalid(
                "disagreement.county_group_members_per_party",
                "måste vara mellan 1 och 10",
            ));
        }
        let levels = match self.levels {
            None => Level::ALL
                .into_iter()
                .map(|l| (l, l.default_name().to_owned()))
                .collect(),
            Some(raw) => levels(raw)?,
        };
        Ok(DisagreementRules {
            local_working_days: self.local_working_days,
            county_group_members_per_party: self.county_group_members_per_party,
            levels,
        })
    }
}

/// The ladder's levels: known codes, named, in the four's order, from the local level to the
/// county group.
fn levels(raw: Vec<RawLevel>) -> Result<Vec<(Level, String)>, RuleSetError> {
    let codes = Level::ALL.map(Level::code).join(", ");
    let mut levels: Vec<(Level, String)> = Vec::new();
    for (i, entry) in raw.into_iter().enumerate() {
        let key = |field: &str| format!("disagreement.levels[{i}].{field}");
        let level = Level::from_code(entry.level.trim())
            .ok_or_else(|| invalid(key("level"), format!("måste vara en av {codes}")))?;
        if entry.label.trim().is_empty() {
            return Err(invalid(key("label"), "får inte vara tomt"));
        }
        if levels.last().is_some_and(|(before, _)| *before >= level) {
            return Err(invalid(
                key("level"),
                "nivåerna står i trappans ordning, var och en en gång",
            ));
        }
        levels.push((level, entry.label.trim().to_owned()));
    }
    let first = levels.first().map(|(l, _)| *l);
    let last = levels.last().map(|(l, _)| *l);
    if first != Some(Level::Local) || last != Some(Level::County) {
        return Err(invalid(
            "disagreement.levels",
            "trappan börjar med lokal och slutar med lan",
        ));
    }
    Ok(levels)
}
