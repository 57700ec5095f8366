//! Utvecklingsbudget: *Principer för samverkan och ekonomisk reglering* §11.2.
//!
//! Joint development items, each financed by state grants or a local political
//! decision, needing a decision by all parties, and split between the region and the
//! municipalities — by default half each, the municipalities' half by population — unless the
//! item says otherwise.

use crate::allocation::{AllocationError, Share, largest_remainder};
use crate::rules::error::{RuleSetError, invalid};
use crate::{MunicipalityCode, Party};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Finansiering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Financing {
    /// Statliga stimulansmedel.
    StateGrant,
    /// Lokal politisk satsning.
    LocalDecision,
}

impl Financing {
    pub const ALL: [Financing; 2] = [Financing::StateGrant, Financing::LocalDecision];

    pub fn code(self) -> &'static str {
        match self {
            Financing::StateGrant => "statsbidrag",
            Financing::LocalDecision => "lokalt_beslut",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Financing::StateGrant => "Statliga stimulansmedel",
            Financing::LocalDecision => "Lokalt politiskt beslut",
        }
    }

    pub fn parse(code: &str) -> Option<Financing> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// How the municipalities' part is split between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MunicipalKey {
    /// Efter befolkning.
    Population,
    /// Lika delar.
    Equal,
}

impl MunicipalKey {
    pub const ALL: [MunicipalKey; 2] = [MunicipalKey::Population, MunicipalKey::Equal];

    pub fn code(self) -> &'static str {
        match self {
            MunicipalKey::Population => "befolkning",
            MunicipalKey::Equal => "lika",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MunicipalKey::Population => "efter befolkning",
            MunicipalKey::Equal => "lika delar",
        }
    }

    pub fn parse(code: &str) -> Option<MunicipalKey> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The rule set's defaults for a new item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevelopmentBudgetRules {
    /// The region's share in percent (50).
    pub region_percent: Decimal,
    pub municipal_key: MunicipalKey,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDevelopmentBudget {
    region_percent: String,
    municipal_key: String,
}

impl RawDevelopmentBudget {
    pub(crate) fn validate(self) -> Result<DevelopmentBudgetRules, RuleSetError> {
        let region_percent = percent(&self.region_percent).ok_or_else(|| {
            invalid(
                "development_budget.region_percent",
                "ska vara en procentsats 0–100 som text, t.ex. \"50\"",
            )
        })?;
        let municipal_key = MunicipalKey::parse(&self.municipal_key).ok_or_else(|| {
            invalid(
                "development_budget.municipal_key",
                "måste vara \"befolkning\" eller \"lika\"",
            )
        })?;
        Ok(DevelopmentBudgetRules {
            region_percent,
            municipal_key,
        })
    }
}

/// A percentage 0–100.
pub fn percent(text: &str) -> Option<Decimal> {
    crate::money::decimal_comma(text.trim())
        .filter(|p| !p.is_sign_negative() && *p <= Decimal::ONE_HUNDRED)
}

/// One development item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetItem {
    pub year: i16,
    pub title: String,
    /// Whole kronor.
    pub amount: Decimal,
    pub financing: Financing,
    pub region_percent: Decimal,
    pub municipal_key: MunicipalKey,
}

/// Each party's cost of an item, to the krona: the region's share rounded, the rest divided
/// between the municipalities so that all parts sum to the item's amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostSplit {
    pub region: Decimal,
    pub municipalities: Vec<Share>,
}

impl CostSplit {
    pub fn of(&self, party: Party) -> Decimal {
        match party {
            Party::Region => self.region,
            Party::Municipality(code) => self
                .municipalities
                .iter()
                .find(|s| s.municipality == code)
                .map_or(Decimal::ZERO, |s| s.amount),
        }
    }
}

/// Splits `item` between the region and the municipalities (their population as the key).
pub fn split(
    item: &BudgetItem,
    population: &BTreeMap<MunicipalityCode, u64>,
) -> Result<CostSplit, AllocationError> {
    let region = crate::additional_amount::round_to_krona(
        item.amount * item.region_percent / Decimal::ONE_HUNDRED,
    );
    let keys: Vec<(MunicipalityCode, Decimal)> = population
        .iter()
        .map(|(code, n)| {
            let key = match item.municipal_key {
                MunicipalKey::Population => Decimal::from(*n),
                MunicipalKey::Equal => Decimal::ONE,
            };
            (*code, key)
        })
        .collect();
    let municipalities = largest_remainder(item.amount - region, &keys)?;
    Ok(CostSplit {
        region,
        municipalities,
    })
}

/// En parts beslut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyDecision {
    Approved,
    Declined,
}

impl PartyDecision {
    pub fn code(self) -> &'static str {
        match self {
            PartyDecision::Approved => "ja",
            PartyDecision::Declined => "nej",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartyDecision::Approved => "Beslutat ja",
            PartyDecision::Declined => "Beslutat nej",
        }
    }

    pub fn parse(code: &str) -> Option<PartyDecision> {
        [PartyDecision::Approved, PartyDecision::Declined]
            .into_iter()
            .find(|d| d.code() == code)
    }
}

/// Where an item stands: financing needs every party's yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemStatus {
    /// Some parties have not decided yet.
    Waiting { decided: usize, of: usize },
    /// All parties said yes.
    Approved,
    /// At least one party said no: the item is not financed jointly.
    Declined { by: Vec<Party> },
}

impl ItemStatus {
    pub fn text(&self) -> String {
        match self {
            ItemStatus::Waiting { decided, of } => format!("{decided} av {of} parter har beslutat"),
            ItemStatus::Approved => "Alla parter har beslutat ja".to_owned(),
            ItemStatus::Declined { by } => format!(
                "Nej från {} part{}: ingen gemensam finansiering",
                by.len(),
                if by.len() == 1 { "" } else { "er" }
            ),
        }
    }
}

pub fn status(parties: &[Party], decisions: &BTreeMap<String, PartyDecision>) -> ItemStatus {
    let declined: Vec<Party> = parties
        .iter()
        .copied()
        .filter(|p| decisions.get(&p.code()) == Some(&PartyDecision::Declined))
        .collect();
    if !declined.is_empty() {
        return ItemStatus::Declined { by: declined };
    }
    let decided = parties
        .iter()
        .filter(|p| decisions.contains_key(&p.code()))
        .count();
    if decided == parties.len() {
        ItemStatus::Approved
    } else {
        ItemStatus::Waiting {
            decided,
            of: parties.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::additional_amount::shipped_data::{code, elderly};

    fn item(amount: i64, percent: i64, key: MunicipalKey) -> BudgetItem {
        BudgetItem {
            year: 2026,
            title: "Gemensam utbildning".into(),
            amount: Decimal::from(amount),
            financing: Financing::StateGrant,
            region_percent: Decimal::from(percent),
            municipal_key: key,
        }
    }

    #[test]
    fn half_to_the_region_and_the_rest_by_population_to_the_krona() {
        let population = elderly("2023");
        let split = split(&item(1_000_001, 50, MunicipalKey::Population), &population).unwrap();
        assert_eq!(split.region, Decimal::from(500_001), "500 000,5 rounds up");
        let municipal: Decimal = split.municipalities.iter().map(|s| s.amount).sum();
        assert_eq!(split.region + municipal, Decimal::from(1_000_001));
        let orebro = split.of(Party::Municipality(code("1880")));
        let laxa = split.of(Party::Municipality(code("1860")));
        assert!(orebro > laxa * Decimal::from(10), "{orebro} {laxa}");
    }

    #[test]
    fn an_item_may_split_otherwise() {
        let population = elderly("2023");
        let split = split(&item(1_200_000, 25, MunicipalKey::Equal), &population).unwrap();
        assert_eq!(split.region, Decimal::from(300_000));
        assert!(
            split
                .municipalities
                .iter()
                .all(|s| s.amount == Decimal::from(75_000))
        );
    }

    #[test]
    fn every_party_must_say_yes() {
        let parties: Vec<Party> = std::iter::once(Party::Region)
            .chain(elderly("2023").keys().map(|c| Party::Municipality(*c)))
            .collect();
        assert_eq!(parties.len(), 13);
        let mut decisions = BTreeMap::new();
        decisions.insert("region".to_owned(), PartyDecision::Approved);
        assert_eq!(
            status(&parties, &decisions),
            ItemStatus::Waiting { decided: 1, of: 13 }
        );
        for p in &parties {
            decisions.insert(p.code(), PartyDecision::Approved);
        }
        assert_eq!(status(&parties, &decisions), ItemStatus::Approved);
        decisions.insert("1881".to_owned(), PartyDecision::Declined);
        assert!(
            matches!(status(&parties, &decisions), ItemStatus::Declined { by } if by.len() == 1)
        );
    }
}
