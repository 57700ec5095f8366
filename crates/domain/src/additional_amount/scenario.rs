//! Tänk om: a scenario changes parameters of one year's tilläggsbelopp to compare with the rule
//! set's calculation. A scenario is never a decision; its amounts carry the source "Scenario".

use crate::MunicipalityCode;
use crate::additional_amount::distance::Override;
use crate::additional_amount::rules::{
    AdditionalAmountRules, DecidedPot, DistanceMeasure, Growth, PotKey,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// The parameters a scenario may change; what it leaves `None` or empty follows the rule set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scenario {
    /// Skatteunderlagets utveckling for the year, as a factor.
    pub growth: Option<Decimal>,
    pub threshold_km: Option<Decimal>,
    /// Fågelvägen or by road, instead of the rule set's measure.
    pub distance_measure: Option<DistanceMeasure>,
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
        if let Some(measure) = self.distance_measure {
            rules.distance_measure = measure;
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

/// A scenario as stored and as written in a file (`--scenario FILE`, TOML): decimals are text so
/// that a growth factor keeps every digit.
///
/// ```toml
/// name = "Tröskel 30 km"
/// growth = "1.04"
/// threshold_km = "30"
/// [pot_amounts]
/// avancerad = 6000000
/// [pot_keys]
/// avancerad = "andel_65_plus"
/// [distance]
/// 1885 = true
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub growth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_km: Option<String>,
    /// `fagelvagen` or `vag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_measure: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pot_amounts: BTreeMap<String, i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pot_keys: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub distance: BTreeMap<String, bool>,
}

impl Scenario {
    /// The file form, for storing.
    pub fn to_file(&self) -> ScenarioFile {
        ScenarioFile {
            name: None,
            growth: self.growth.map(|g| g.to_string()),
            threshold_km: self.threshold_km.map(|k| k.to_string()),
            distance_measure: self.distance_measure.map(|m| m.code().to_owned()),
            pot_amounts: self
                .pot_amounts
                .iter()
                .filter_map(|(pot, a)| Some((pot.clone(), a.to_i64()?)))
                .collect(),
            pot_keys: self
                .pot_keys
                .iter()
                .map(|(pot, key)| (pot.clone(), key.code().to_owned()))
                .collect(),
            distance: self
                .distance
                .iter()
                .map(|(code, eligible)| (code.to_string(), *eligible))
                .collect(),
        }
    }

    /// Reads a file form, checking pot names, keys and municipality codes against the rules.
    pub fn from_file(
        file: &ScenarioFile,
        rules: &AdditionalAmountRules,
    ) -> Result<Scenario, String> {
        let decimal = |field: &str, text: &Option<String>| -> Result<Option<Decimal>, String> {
            text.as_ref()
                .map(|t| {
                    crate::money::decimal_comma(t)
                        .filter(|d| !d.is_sign_negative())
                        .ok_or_else(|| format!("{field}: \"{t}\" är inget tal"))
                })
                .transpose()
        };
        let pot = |name: &str| -> Result<String, String> {
            rules
                .pots
                .iter()
                .any(|p| p.name == name)
                .then(|| name.to_owned())
                .ok_or_else(|| format!("regelverket har ingen pott som heter {name}"))
        };
        let mut scenario = Scenario {
            growth: decimal("growth", &file.growth)?,
            threshold_km: decimal("threshold_km", &file.threshold_km)?,
            distance_measure: file
                .distance_measure
                .as_deref()
                .map(|m| {
                    DistanceMeasure::parse(m).ok_or_else(|| {
                        format!("distance_measure: ska vara fagelvagen eller vag, inte \"{m}\"")
                    })
                })
                .transpose()?,
            ..Scenario::default()
        };
        for (name, amount) in &file.pot_amounts {
            if *amount < 0 {
                return Err(format!(
                    "pot_amounts.{name}: beloppet får inte vara negativt"
                ));
            }
            scenario
                .pot_amounts
                .insert(pot(name)?, Decimal::from(*amount));
        }
        for (name, key) in &file.pot_keys {
            let key = PotKey::parse(key).ok_or_else(|| {
                format!("pot_keys.{name}: nyckeln ska vara {}", PotKey::choices())
            })?;
            scenario.pot_keys.insert(pot(name)?, key);
        }
        for (code, eligible) in &file.distance {
            let code = MunicipalityCode::parse(code)
                .ok_or_else(|| format!("distance: {code} är ingen kommunkod"))?;
            scenario.distance.insert(code, *eligible);
        }
        Ok(scenario)
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
        percent_change(self.baseline, self.scenario)
    }
}

/// The change from `baseline` to `scenario` in percent of the baseline, one decimal (half away
/// from zero); `None` when the baseline is zero.
pub fn percent_change(baseline: Decimal, scenario: Decimal) -> Option<Decimal> {
    (!baseline.is_zero()).then(|| {
        ((scenario - baseline) * Decimal::ONE_HUNDRED / baseline)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// Per municipality of `codes`, in that order: the baseline's total (a calculation or a stored
/// decision) beside the scenario's.
pub fn differences(
    baseline: &BTreeMap<MunicipalityCode, Decimal>,
    scenario: &BTreeMap<MunicipalityCode, Decimal>,
    codes: &[MunicipalityCode],
) -> Vec<Difference> {
    codes
        .iter()
        .map(|code| Difference {
            municipality: *code,
            baseline: baseline.get(code).copied().unwrap_or_default(),
            scenario: scenario.get(code).copied().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use crate::additional_amount::round_to_krona;

    fn rules() -> AdditionalAmountRules {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
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
    fn a_scenario_file_round_trips_and_bad_names_are_refused() {
        let file: ScenarioFile = toml::from_str(
            "name = \"Tröskel 30\"\ngrowth = \"1.036844498\"\nthreshold_km = \"30\"\ndistance_measure = \"vag\"\n[pot_amounts]\navancerad = 6000000\n[pot_keys]\navancerad = \"andel_65_plus\"\n[distance]\n1885 = true\n",
        )
        .unwrap();
        let scenario = Scenario::from_file(&file, &rules()).unwrap();
        assert_eq!(scenario.growth, Some("1.036844498".parse().unwrap()));
        assert_eq!(scenario.pot_keys["avancerad"], PotKey::Elderly);
        let again = Scenario::from_file(&scenario.to_file(), &rules()).unwrap();
        assert_eq!(again, scenario);
        let bad = ScenarioFile {
            pot_amounts: BTreeMap::from([("okand".to_owned(), 1)]),
            ..ScenarioFile::default()
        };
        assert_eq!(
            Scenario::from_file(&bad, &rules()).unwrap_err(),
            "regelverket har ingen pott som heter okand"
        );
        assert!(toml::from_str::<ScenarioFile>("tillvaxt = \"1\"").is_err());
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
