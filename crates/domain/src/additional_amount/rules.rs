//! The tilläggsbelopp part of the rule set: pots, keys, the distance rule, growth figures and
//! published decisions. Parsed from `[additional_amount]` with key-precise errors.

use crate::rules::error::{RuleSetError, invalid};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Fördelningsnyckel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PotKey {
    /// `andel_65_plus`: inhabitants 65+.
    Elderly,
    /// `kategori_4`: category-4 patients of the latest measurement; inhabitants 65+ when there is
    /// none (as in 2025).
    CategoryFour,
    /// `andel_befolkning`: all inhabitants.
    Inhabitants,
}

impl PotKey {
    pub fn code(self) -> &'static str {
        match self {
            PotKey::Elderly => "andel_65_plus",
            PotKey::CategoryFour => "kategori_4",
            PotKey::Inhabitants => "andel_befolkning",
        }
    }

    /// Every key a rule set may name.
    pub const ALL: [PotKey; 3] = [PotKey::Elderly, PotKey::CategoryFour, PotKey::Inhabitants];

    pub fn parse(code: &str) -> Option<PotKey> {
        PotKey::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What the key counts, in words.
    pub fn label(self) -> &'static str {
        match self {
            PotKey::Elderly => "invånare 65+",
            PotKey::CategoryFour => "patienter i kategori 4",
            PotKey::Inhabitants => "alla invånare",
        }
    }

    /// The codes a rule set may write, for messages: "\"a\", \"b\" eller \"c\"".
    pub fn choices() -> String {
        let quoted: Vec<String> = PotKey::ALL
            .iter()
            .map(|k| format!("\"{}\"", k.code()))
            .collect();
        match quoted.split_last() {
            Some((last, rest)) => format!("{} eller {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Which municipalities share a pot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eligible {
    All,
    /// Only those whose central town is beyond the distance threshold.
    Distance,
}

/// One pot and how it is divided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PotRule {
    /// E.g. `andel_aldre`.
    pub name: String,
    /// Swedish label, e.g. "Andel äldre".
    pub label: String,
    pub key: PotKey,
    pub eligible: Eligible,
}

/// Skatteunderlagets utveckling for a year, as the factor applied to the year before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Growth {
    pub factor: Decimal,
    pub source: String,
}

/// A pot amount decided for a year (published decisions shipped as data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedPot {
    pub amount: Decimal,
    pub source: String,
}

/// How distance is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistanceMeasure {
    StraightLine,
    /// A road-distance table given as data.
    Road,
}

impl DistanceMeasure {
    pub fn code(self) -> &'static str {
        match self {
            DistanceMeasure::StraightLine => "fagelvagen",
            DistanceMeasure::Road => "vag",
        }
    }

    pub fn parse(code: &str) -> Option<DistanceMeasure> {
        [DistanceMeasure::StraightLine, DistanceMeasure::Road]
            .into_iter()
            .find(|m| m.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdditionalAmountRules {
    /// Inhabitants 65+ are counted on 31 December this many years before the payment year.
    pub population_years_back: i16,
    pub distance_threshold_km: Decimal,
    pub distance_measure: DistanceMeasure,
    pub pots: Vec<PotRule>,
    /// The year whose pot amounts are the base of indexation.
    pub base_year: i16,
    /// Pot name → unrounded amount in the base year.
    pub base_amounts: BTreeMap<String, Decimal>,
    pub growth: BTreeMap<i16, Growth>,
    /// Year → pot name → decided amount.
    pub decided: BTreeMap<i16, BTreeMap<String, DecidedPot>>,
    /// How a pot is adjusted after a new measurement, if the rule set says.
    pub adjustment: Option<Adjustment>,
}

/// Justering efter ny mätning: which pot, by which formula, and where its figures come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub pot: String,
    pub formula: AdjustmentFormula,
    pub source: String,
}

/// The adjustment formulas the rule set may name; another region may add its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdjustmentFormula {
    /// `per_patient_above_baseline`: a fixed amount for each category-4 patient of a newer
    /// measurement above the count the pot already pays for.
    PerPatientAboveBaseline {
        amount_per_patient: Decimal,
        baseline_patients: u64,
        /// The measurement period (ÅÅÅÅ-MM) the baseline count comes from; only a newer
        /// measurement adjusts.
        baseline_measurement: String,
    },
}

impl AdjustmentFormula {
    /// The adjustment in kronor (unrounded) of `year`'s pot, and the patients it pays for, from
    /// the latest measurement (period, category-4 total) and the one before it. Only a
    /// measurement of the year before adjusts, and only by the patients above what the pot
    /// already pays for: the previous measurement's count, or the rule set's baseline.
    pub fn amount(
        &self,
        year: i16,
        latest: &(String, u64),
        previous: Option<&(String, u64)>,
    ) -> Option<(Decimal, u64)> {
        match self {
            AdjustmentFormula::PerPatientAboveBaseline {
                amount_per_patient,
                baseline_patients,
                baseline_measurement,
            } => {
                let (period, measured) = latest;
                let measured_year = period.get(..4).and_then(|y| y.parse::<i16>().ok());
                if measured_year != Some(year - 1)
                    || period.as_str() <= baseline_measurement.as_str()
                {
                    return None;
                }
                let baseline = match previous {
                    Some((p, n)) if p.as_str() > baseline_measurement.as_str() => *n,
                    _ => *baseline_patients,
                };
                let above = measured.saturating_sub(baseline);
                Some((amount_per_patient * Decimal::from(above), above))
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAdditionalAmount {
    population_years_back: i16,
    distance_threshold_km: String,
    distance_measure: String,
    base_year: i16,
    pots: Vec<RawPot>,
    growth: Vec<RawGrowth>,
    #[serde(default)]
    decided: Vec<RawDecided>,
    adjustment: Option<RawAdjustment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdjustment {
    pot: String,
    formula: String,
    amount_per_patient: String,
    baseline_patients: u64,
    baseline_measurement: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPot {
    name: String,
    label: String,
    key: String,
    eligible: String,
    base_amount: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrowth {
    year: i16,
    factor: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecided {
    year: i16,
    pot: String,
    amount: String,
    source: String,
}

fn amount(key: &str, text: &str) -> Result<Decimal, RuleSetError> {
    match text.parse::<Decimal>() {
        Ok(d) if !d.is_sign_negative() => Ok(d),
        _ => Err(invalid(
            key,
            "måste vara ett belopp i kronor som text, t.ex. \"18064081\"",
        )),
    }
}

impl RawAdditionalAmount {
    pub(crate) fn validate(self) -> Result<AdditionalAmountRules, RuleSetError> {
        const AT: &str = "additional_amount";
        if !(0..=5).contains(&self.population_years_back) {
            return Err(invalid(
                format!("{AT}.population_years_back"),
                "måste vara 0–5",
            ));
        }
        let distance_threshold_km = amount(
            &format!("{AT}.distance_threshold_km"),
            &self.distance_threshold_km,
        )?;
        let distance_measure = DistanceMeasure::parse(&self.distance_measure).ok_or_else(|| {
            invalid(
                format!("{AT}.distance_measure"),
                "måste vara \"fagelvagen\" eller \"vag\"",
            )
        })?;
        let mut pots = Vec::new();
        let mut base_amounts = BTreeMap::new();
        for (i, raw) in self.pots.into_iter().enumerate() {
            let at = format!("{AT}.pots[{i}]");
            if raw.name.is_empty() || !raw.name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                return Err(invalid(
                    format!("{at}.name"),
                    "får bara innehålla a–z och understreck",
                ));
            }
            if base_amounts.contains_key(&raw.name) {
                return Err(invalid(format!("{at}.name"), "finns redan"));
            }
            let key = PotKey::parse(&raw.key).ok_or_else(|| {
                invalid(
                    format!("{at}.key"),
                    format!("måste vara {}", PotKey::choices()),
                )
            })?;
            let eligible = match raw.eligible.as_str() {
                "alla" => Eligible::All,
                "avstand" => Eligible::Distance,
                _ => {
                    return Err(invalid(
                        format!("{at}.eligible"),
                        "måste vara \"alla\" eller \"avstand\"",
                    ));
                }
            };
            base_amounts.insert(
                raw.name.clone(),
                amount(&format!("{at}.base_amount"), &raw.base_amount)?,
            );
            pots.push(PotRule {
                name: raw.name,
                label: raw.label,
                key,
                eligible,
            });
        }
        if pots.is_empty() {
            return Err(invalid(
                format!("{AT}.pots"),
                "måste innehålla minst en pott",
            ));
        }
        let mut growth = BTreeMap::new();
        for (i, raw) in self.growth.into_iter().enumerate() {
            let key = format!("{AT}.growth[{i}].factor");
            let factor = amount(&key, &raw.factor)?;
            if factor.is_zero() {
                return Err(invalid(
                    key,
                    "måste vara större än 0, t.ex. \"1.036844498\"",
                ));
            }
            if raw.year <= self.base_year {
                return Err(invalid(
                    format!("{AT}.growth[{i}].year"),
                    "måste vara efter base_year",
                ));
            }
            if raw.source.trim().is_empty() {
                return Err(invalid(format!("{AT}.growth[{i}].source"), "saknas"));
            }
            if growth
                .insert(
                    raw.year,
                    Growth {
                        factor,
                        source: raw.source,
                    },
                )
                .is_some()
            {
                return Err(invalid(format!("{AT}.growth[{i}].year"), "finns redan"));
            }
        }
        let mut decided: BTreeMap<i16, BTreeMap<String, DecidedPot>> = BTreeMap::new();
        for (i, raw) in self.decided.into_iter().enumerate() {
            let at = format!("{AT}.decided[{i}]");
            if !base_amounts.contains_key(&raw.pot) {
                return Err(invalid(format!("{at}.pot"), "är ingen pott i regelverket"));
            }
            let value = DecidedPot {
                amount: amount(&format!("{at}.amount"), &raw.amount)?,
                source: raw.source,
            };
            if decided
                .entry(raw.year)
                .or_default()
                .insert(raw.pot, value)
                .is_some()
            {
                return Err(invalid(at, "potten är redan beslutad för året"));
            }
        }
        let adjustment = match self.adjustment {
            None => None,
            Some(raw) => {
                let at = format!("{AT}.adjustment");
                if !base_amounts.contains_key(&raw.pot) {
                    return Err(invalid(format!("{at}.pot"), "är ingen pott i regelverket"));
                }
                if raw.formula != "per_patient_above_baseline" {
                    return Err(invalid(
                        format!("{at}.formula"),
                        "måste vara \"per_patient_above_baseline\"",
                    ));
                }
                if crate::measurement::Period::month(&raw.baseline_measurement).is_none() {
                    return Err(invalid(
                        format!("{at}.baseline_measurement"),
                        "måste vara en månad ÅÅÅÅ-MM, t.ex. \"2025-10\"",
                    ));
                }
                if raw.source.trim().is_empty() {
                    return Err(invalid(format!("{at}.source"), "saknas"));
                }
                Some(Adjustment {
                    pot: raw.pot,
                    formula: AdjustmentFormula::PerPatientAboveBaseline {
                        amount_per_patient: amount(
                            &format!("{at}.amount_per_patient"),
                            &raw.amount_per_patient,
                        )?,
                        baseline_patients: raw.baseline_patients,
                        baseline_measurement: raw.baseline_measurement,
                    },
                    source: raw.source,
                })
            }
        };
        Ok(AdditionalAmountRules {
            adjustment,
            population_years_back: self.population_years_back,
            distance_threshold_km,
            distance_measure,
            pots,
            base_year: self.base_year,
            base_amounts,
            growth,
            decided,
        })
    }
}

impl AdditionalAmountRules {
    /// Whether a pot is shared by distance: only then do pages show the distance rule.
    pub fn has_distance_pot(&self) -> bool {
        self.pots.iter().any(|p| p.eligible == Eligible::Distance)
    }

    /// The pot's label as the pages say it, or its name if the rule set has no such pot.
    pub fn label<'a>(&'a self, pot: &'a str) -> &'a str {
        self.pots
            .iter()
            .find(|p| p.name == pot)
            .map_or(pot, |p| p.label.as_str())
    }

    /// A pot's unrounded amount for `year`: decided if so, else the base indexed year by year.
    /// `None` when a year's growth figure is missing.
    pub fn pot_amount(&self, pot: &str, year: i16) -> Option<crate::additional_amount::PotAmount> {
        use crate::additional_amount::PotAmount;
        if let Some(decided) = self.decided.get(&year).and_then(|d| d.get(pot)) {
            return Some(PotAmount::Decided {
                amount: decided.amount,
            });
        }
        let base = *self.base_amounts.get(pot)?;
        if year == self.base_year {
            return Some(PotAmount::Decided { amount: base });
        }
        if year < self.base_year {
            return None;
        }
        // The growth figure first: the recursion then only follows years that have one.
        let growth = self.growth.get(&year)?.factor;
        let previous = self.pot_amount(pot, year - 1)?.unrounded();
        Some(PotAmount::Indexed { previous, growth })
    }
}

#[cfg(test)]
mod tests {
    use crate::RuleSet;
    use crate::additional_amount::round_to_krona;
    use rust_decimal::Decimal;

    const OREBRO: &str = include_str!("../../../../rules/orebro-2025.toml");

    #[test]
    fn a_far_year_without_growth_figures_ends_at_once() {
        let rules = RuleSet::from_toml(OREBRO).unwrap().additional_amount;
        assert_eq!(rules.pot_amount("andel_aldre", i16::MAX), None);
        assert_eq!(rules.pot_amount("andel_aldre", i16::MIN), None);
    }

    #[test]
    fn the_shipped_rules_give_the_published_2025_and_2026_pots() {
        let rules = RuleSet::from_toml(OREBRO).unwrap().additional_amount;
        let pot = |name, year| round_to_krona(rules.pot_amount(name, year).unwrap().unrounded());
        assert_eq!(pot("andel_aldre", 2025), Decimal::from(18_064_081));
        assert_eq!(pot("andel_aldre", 2026), Decimal::from(18_729_643));
        assert_eq!(pot("avstand", 2026), Decimal::from(895_195));
        assert_eq!(pot("avancerad", 2026), Decimal::from(5_490_258));
        assert!(
            rules.pot_amount("andel_aldre", 2027).is_none(),
            "no growth figure for 2027 yet"
        );
        assert!(rules.pot_amount("andel_aldre", 2024).is_none());
    }

    #[test]
    fn mistakes_name_the_key() {
        for (from, to, key) in [
            (
                "distance_measure = \"fagelvagen\"",
                "distance_measure = \"bil\"",
                "additional_amount.distance_measure",
            ),
            (
                "key = \"kategori_4\"",
                "key = \"invanare\"",
                "additional_amount.pots[2].key",
            ),
            (
                "base_amount = \"863384\"",
                "base_amount = \"-1\"",
                "additional_amount.pots[1].base_amount",
            ),
            (
                "factor = \"1.036844498\"",
                "factor = \"tre\"",
                "additional_amount.growth[0].factor",
            ),
            (
                "pot = \"avancerad\"",
                "pot = \"okand\"",
                "additional_amount.decided[0].pot",
            ),
        ] {
            let error = RuleSet::from_toml(&OREBRO.replace(from, to))
                .unwrap_err()
                .to_string();
            assert!(error.contains(&format!("`{key}`")), "{error}");
        }
    }
}
