//! Tänk om: a scenario changes parameters of one year's tilläggsbelopp to compare with the rule
//! set's calculation. A scenario is never a decision; its amounts carry the source "Scenario".

use crate::MunicipalityCode;
use crate::additional_amount::YearResult;
use crate::additional_amount_rules::{AdditionalAmountRules, DecidedPot, Growth, PotKey};
use crate::distance::Override;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// The parameters a scenario may change; what it leaves `None` or empty follows the rule set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scenario {
    /// Skatteunderlagets utveckling for the year, as a factor.
    pub growth: Option<Decimal>,
    pub threshold_km: Option<Decimal>,
    /// Pot name → amount, instead of the indexed or decided one.
    pub pot_amounts: BTreeMap<String, Decimal>,
    /// Pot name → key.
    pub pot_keys: BTreeMap<String, PotKey>,
    /// Municipalities put into (`true`) or taken out of (`false`) the distance pot.
    pub distance: BTreeMap<MunicipalityCode, bool>,
}

const SOURCE: &str = "Scenario (inget beslut)";

impl Scenario {
    /// The rule set's parameters with this scenario's changes for `year`.
    pub fn apply(&self, rules: &AdditionalAmountRules, year: i16) -> AdditionalAmountRules {
        let mut rules = rules.clone();
        if let Some(factor) = self.growth {
            rules.growth.insert(
                year,
                Growth {
                    factor,
                    source: SOURCE.to_owned(),
                },
            );
        }
        if let Some(km) = self.threshold_km {
            rules.distance_threshold_km = km;
        }
        for (pot, amount) in &self.pot_amounts {
            rules.decided.entry(year).or_default().insert(
                pot.clone(),
                DecidedPot {
                    amount: *amount,
                    source: SOURCE.to_owned(),
                },
            );
        }
        for pot in &mut rules.pots {
            if let Some(key) = self.pot_keys.get(&pot.name) {
                pot.key = *key;
            }
        }
        rules
    }

    /// The distance choices as overrides, with the scenario as their reason.
    pub fn overrides(&self) -> BTreeMap<MunicipalityCode, Override> {
        self.distance
            .iter()
            .map(|(code, eligible)| {
                (
                    *code,
                    Override {
                        eligible: *eligible,
                        reason: SOURCE.to_owned(),
                    },
                )
            })
            .collect()
    }
}

/// One municipality, the rule set's calculation beside the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub municipality: MunicipalityCode,
    pub baseline: Decimal,
    pub scenario: Decimal,
}

impl Difference {
    pub fn kronor(&self) -> Decimal {
        self.scenario - self.baseline
    }

    /// Percent of the baseline, one decimal; `None` when the baseline is zero.
    pub fn percent(&self) -> Option<Decimal> {
        (!self.baseline.is_zero()).then(|| {
            (self.kronor() * Decimal::ONE_HUNDRED / self.baseline)
                .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        })
    }
}

/// Per municipality of `codes`, in that order.
pub fn differences(
    baseline: &YearResult,
    scenario: &YearResult,
    codes: &[MunicipalityCode],
) -> Vec<Difference> {
    codes
        .iter()
        .map(|code| Difference {
            municipality: *code,
            baseline: baseline.municipality_total(*code),
            scenario: scenario.municipality_total(*code),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use crate::additional_amount::round_to_krona;

    fn rules() -> AdditionalAmountRules {
        RuleSet::from_toml(include_str!("../../../rules/orebro-2025.toml"))
            .unwrap()
            .additional_amount
    }

    #[test]
    fn a_growth_change_moves_the_indexed_pots_and_not_the_decided_one() {
        let base = rules();
        let scenario = Scenario {
            growth: Some("1.05".parse().unwrap()),
            ..Scenario::default()
        }
        .apply(&base, 2026);
        let pot = |r: &AdditionalAmountRules, name| {
            round_to_krona(r.pot_amount(name, 2026).unwrap().unrounded())
        };
        assert_eq!(pot(&scenario, "andel_aldre"), Decimal::from(18_967_285));
        assert_eq!(pot(&scenario, "avancerad"), pot(&base, "avancerad"));
        assert_eq!(
            pot(&base, "andel_aldre"),
            Decimal::from(18_729_643),
            "the rules are untouched"
        );
    }

    #[test]
    fn amounts_keys_threshold_and_distance_choices_apply() {
        let code = MunicipalityCode::parse("1864").unwrap();
        let scenario = Scenario {
            threshold_km: Some(Decimal::from(30)),
            pot_amounts: BTreeMap::from([("avstand".to_owned(), Decimal::from(1_000_000))]),
            pot_keys: BTreeMap::from([("avancerad".to_owned(), PotKey::Elderly)]),
            distance: BTreeMap::from([(code, false)]),
            ..Scenario::default()
        };
        let applied = scenario.apply(&rules(), 2026);
        assert_eq!(applied.distance_threshold_km, Decimal::from(30));
        assert_eq!(
            applied.pot_amount("avstand", 2026).unwrap().unrounded(),
            Decimal::from(1_000_000)
        );
        assert_eq!(applied.pots[2].key, PotKey::Elderly);
        assert!(!scenario.overrides()[&code].eligible);
    }

    #[test]
    fn differences_in_kronor_and_percent() {
        let d = Difference {
            municipality: MunicipalityCode::parse("1880").unwrap(),
            baseline: Decimal::from(200),
            scenario: Decimal::from(250),
        };
        assert_eq!(d.kronor(), Decimal::from(50));
        assert_eq!(d.percent(), Some(Decimal::from(25)));
        let from_zero = Difference {
            baseline: Decimal::ZERO,
            ..d
        };
        assert_eq!(from_zero.percent(), None);
    }
}
