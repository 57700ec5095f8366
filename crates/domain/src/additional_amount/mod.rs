//! Tilläggsbelopp, the region's yearly additional amount to each municipality: *Hälso- och
//! sjukvård i hemmet primärvårdsnivå* §4, and *Principer för samverkan och ekonomisk reglering*
//! §11. This folder holds the pots, their rule section, inputs, scenarios and decision cycle;
//! this file the pots themselves, each divided by its own key.
//!
//! Pots are kept unrounded, rounded to whole kronor for payment, and divided to the krona; the
//! year's total is rounded from the unrounded pots (as the published 2025 figures were: parts
//! 21 626 276, total 21 626 277), and the difference is shown as the rounding residue.

pub mod decision;
pub mod distance;
pub mod inputs;
pub mod rules;
pub mod scenario;
#[cfg(test)]
pub(crate) mod shipped_data;
pub mod year;

use crate::MunicipalityCode;
use crate::allocation::{AllocationError, Share, largest_remainder};
use rust_decimal::{Decimal, RoundingStrategy};

/// Where a pot's amount comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PotAmount {
    /// Uppräkning: last year's unrounded amount × (1 + skatteunderlag growth), the growth given as
    /// the factor, e.g. 1.036844498.
    Indexed { previous: Decimal, growth: Decimal },
    /// Beslutat belopp: entered as a decision, which wins over the indexation.
    Decided { amount: Decimal },
    /// Uppräkning plus justering efter ny mätning (the rule set's adjustment formula).
    Adjusted {
        previous: Decimal,
        growth: Decimal,
        adjustment: Decimal,
        /// Category-4 patients above the baseline that the adjustment pays for.
        patients_above: u64,
    },
}

impl PotAmount {
    /// The amount before rounding.
    pub fn unrounded(&self) -> Decimal {
        match self {
            PotAmount::Indexed { previous, growth } => previous * growth,
            PotAmount::Decided { amount } => *amount,
            PotAmount::Adjusted {
                previous,
                growth,
                adjustment,
                ..
            } => previous * growth + adjustment,
        }
    }
}

/// One pot of a year, with its key per eligible municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pot {
    /// The rule set's name, e.g. `andel_aldre`.
    pub name: String,
    /// The key's name, e.g. `andel_65_plus`.
    pub key: String,
    pub amount: PotAmount,
    /// Only the eligible municipalities, each with its key value.
    pub keys: Vec<(MunicipalityCode, Decimal)>,
}

/// A pot, rounded and divided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PotResult {
    pub name: String,
    pub key: String,
    pub source: PotAmount,
    pub unrounded: Decimal,
    /// Whole kronor: what is divided.
    pub amount: Decimal,
    /// Ordered by municipality code.
    pub shares: Vec<Share>,
}

/// A year's tilläggsbelopp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearResult {
    pub year: i16,
    pub pots: Vec<PotResult>,
}

/// Whole kronor, half away from zero (as the published pots are rounded).
pub fn round_to_krona(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

impl YearResult {
    /// The year's total, rounded from the unrounded pots.
    pub fn total(&self) -> Decimal {
        round_to_krona(self.pots.iter().map(|p| p.unrounded).sum())
    }

    /// What the municipalities are paid together: the rounded pots.
    pub fn paid(&self) -> Decimal {
        self.pots.iter().map(|p| p.amount).sum()
    }

    /// Avrundningsrest: total minus the rounded pots (the published 2025 figures show +1).
    pub fn residue(&self) -> Decimal {
        self.total() - self.paid()
    }

    /// A municipality's amount over all pots.
    pub fn municipality_total(&self, code: MunicipalityCode) -> Decimal {
        self.pots
            .iter()
            .flat_map(|p| &p.shares)
            .filter(|s| s.municipality == code)
            .map(|s| s.amount)
            .sum()
    }
}

/// A pot that cannot be divided, named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PotError {
    pub pot: String,
    pub error: AllocationError,
}

impl std::fmt::Display for PotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "potten {}: {}", self.pot, self.error)
    }
}

impl std::error::Error for PotError {}

/// Rounds and divides every pot of `year`.
pub fn compute(year: i16, pots: Vec<Pot>) -> Result<YearResult, PotError> {
    let pots = pots
        .into_iter()
        .map(|pot| {
            let unrounded = pot.amount.unrounded();
            let amount = round_to_krona(unrounded);
            let shares = largest_remainder(amount, &pot.keys).map_err(|error| PotError {
                pot: pot.name.clone(),
                error,
            })?;
            Ok(PotResult {
                name: pot.name,
                key: pot.key,
                source: pot.amount,
                unrounded,
                amount,
                shares,
            })
        })
        .collect::<Result<Vec<_>, PotError>>()?;
    Ok(YearResult { year, pots })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::additional_amount::shipped_data::{category_4_2025, code, elderly};
    use std::collections::BTreeMap;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn decimals(map: BTreeMap<MunicipalityCode, u64>) -> BTreeMap<MunicipalityCode, Decimal> {
        map.into_iter()
            .map(|(c, n)| (c, Decimal::from(n)))
            .collect()
    }

    fn pot(name: &str, amount: PotAmount, keys: &BTreeMap<MunicipalityCode, Decimal>) -> Pot {
        Pot {
            name: name.into(),
            key: "nyckel".into(),
            amount,
            keys: keys.iter().map(|(c, k)| (*c, *k)).collect(),
        }
    }

    #[test]
    fn the_2026_pots_indexed_from_2025_round_to_the_published_ones() {
        let growth = d("1.036844498");
        let indexed = |previous| {
            round_to_krona(
                PotAmount::Indexed {
                    previous: d(previous),
                    growth,
                }
                .unrounded(),
            )
        };
        assert_eq!(indexed("18064081"), d("18729643"));
        assert_eq!(indexed("863384"), d("895195"));
    }

    #[test]
    fn the_decided_2026_pots_divide_exactly_and_total_25_115_096() {
        let elderly = decimals(elderly("2023"));
        let distant: BTreeMap<_, _> = elderly
            .iter()
            .filter(|(c, _)| ["1882", "1863", "1860"].contains(&c.to_string().as_str()))
            .map(|(c, k)| (*c, *k))
            .collect();
        let category_4 = decimals(category_4_2025());
        let decided = |amount| PotAmount::Decided { amount: d(amount) };
        let year = compute(
            2026,
            vec![
                pot("andel_aldre", decided("18729643"), &elderly),
                pot("avstand", decided("895195"), &distant),
                pot("avancerad", decided("5490258"), &category_4),
            ],
        )
        .unwrap();
        for pot in &year.pots {
            assert_eq!(
                pot.shares.iter().map(|s| s.amount).sum::<Decimal>(),
                pot.amount,
                "{}",
                pot.name
            );
        }
        assert_eq!(year.total(), d("25115096"));
        assert_eq!(year.residue(), Decimal::ZERO);
        let all: Decimal = elderly.keys().map(|c| year.municipality_total(*c)).sum();
        assert_eq!(all, d("25115096"));
        // The advanced pot follows the measurement: Örebro had 70 of 117 category-4 patients.
        let orebro = year.pots[2]
            .shares
            .iter()
            .find(|s| s.municipality == code("1880"))
            .unwrap();
        assert_eq!(orebro.key, d("70"));
        assert_eq!(
            orebro.exact.round_dp(2),
            (d("5490258") * d("70") / d("117")).round_dp(2)
        );
        // Hällefors had no category-4 patient and gets nothing from that pot.
        let hallefors = year.pots[2]
            .shares
            .iter()
            .find(|s| s.municipality == code("1863"))
            .unwrap();
        assert_eq!(hallefors.amount, Decimal::ZERO);
    }

    #[test]
    fn the_total_is_rounded_from_the_unrounded_pots() {
        let one = BTreeMap::from([(code("1880"), Decimal::ONE)]);
        let year = compute(
            2025,
            (0..3)
                .map(|_| pot("p", PotAmount::Decided { amount: d("100.4") }, &one))
                .collect(),
        )
        .unwrap();
        assert_eq!(year.paid(), d("300"));
        assert_eq!(year.total(), d("301"));
        assert_eq!(year.residue(), Decimal::ONE);
    }

    #[test]
    fn a_pot_without_keys_is_named_in_the_error() {
        let error = compute(
            2026,
            vec![pot(
                "avstand",
                PotAmount::Decided {
                    amount: d("895195"),
                },
                &BTreeMap::new(),
            )],
        )
        .unwrap_err();
        assert_eq!(error.pot, "avstand");
        assert_eq!(error.error, AllocationError::NoKey);
    }
}
