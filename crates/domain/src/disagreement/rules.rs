//! The `[disagreement]` section of the rule set: how fast the local managers must act, and how
//! many members each side names to the county group (*Principer för samverkan och ekonomisk
//! reglering* §10: "Länets kommuner och regionen kan utse fyra representanter vardera").

use crate::rules::RuleSetError;
use crate::rules::error::invalid;
use serde::Deserialize;

/// What the parties have agreed about handling an oenighet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisagreementRules {
    /// The nearest line managers act "skyndsamt": within this many working days of being named.
    pub local_working_days: u32,
    /// Members of the county group named by the region, and as many by the municipalities.
    pub county_group_members_per_party: u32,
}

impl DisagreementRules {
    /// Whether one more member may join the county group from a side that has `members` now
    /// (the region is one side, the municipalities together the other).
    pub fn county_group_has_room(&self, members: u32) -> bool {
        members < self.county_group_members_per_party
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisagreementRules {
    local_working_days: u32,
    county_group_members_per_party: u32,
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
        Ok(DisagreementRules {
            local_working_days: self.local_working_days,
            county_group_members_per_party: self.county_group_members_per_party,
        })
    }
}
