//! A year's tilläggsbelopp from the rule set and the year's inputs: which pots, which keys, which
//! municipalities — and a record of each, so every amount can say where it came from.

use crate::MunicipalityCode;
use crate::additional_amount::distance::{DistanceKind, Eligibility, Override, Place, eligibility};
use crate::additional_amount::rules::{AdditionalAmountRules, Eligible, PotKey};
use crate::additional_amount::{Pot, PotAmount, PotError, YearResult, compute};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Category-4 patients per municipality from one measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFourCounts {
    /// The measurement as the report names it, e.g. `2025-10 (publicerat utfall)`.
    pub measurement: String,
    /// Its period, ÅÅÅÅ-MM.
    pub period: String,
    pub counts: BTreeMap<MunicipalityCode, u64>,
}

/// Everything a year's calculation reads besides the rule set.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Inhabitants 65+ per municipality, counted on 31 December of `elderly_year`.
    pub elderly: BTreeMap<MunicipalityCode, u64>,
    pub elderly_year: i16,
    /// All inhabitants per municipality on the same day.
    pub inhabitants: BTreeMap<MunicipalityCode, u64>,
    pub towns: BTreeMap<MunicipalityCode, Place>,
    pub hospitals: Vec<Place>,
    /// Used when the rule set measures by road.
    pub road_table: BTreeMap<MunicipalityCode, (String, Decimal)>,
    pub overrides: BTreeMap<MunicipalityCode, Override>,
    /// The latest measurement, if any.
    pub category_four: Option<CategoryFourCounts>,
    /// The measurement before it, whose count the current pot already pays for.
    pub previous_category_four: Option<CategoryFourCounts>,
}

/// What a pot's key was, in words a reader can check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyUsed {
    /// Inhabitants 65+ on 31 December of the year.
    Elderly { year: i16 },
    /// Category-4 patients of the named measurement.
    CategoryFour { measurement: String },
    /// Wanted category 4, but there was no measurement: inhabitants 65+ instead.
    ElderlyForLackOfMeasurement { year: i16 },
    /// All inhabitants on 31 December of the year.
    Inhabitants { year: i16 },
}

/// The year's result with what produced it.
#[derive(Debug, Clone)]
pub struct Calculation {
    pub result: YearResult,
    /// Per pot, in the rule set's order.
    pub keys: Vec<KeyUsed>,
    pub distance: Vec<Eligibility>,
}

/// Why a year cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalculationError {
    /// No amount for the pot in the year: neither decided nor indexable (missing growth figure).
    NoAmount {
        pot: String,
        year: i16,
    },
    Pot(PotError),
    /// A municipality of the rule set has no inhabitants 65+ for the reference date.
    MissingPopulation {
        municipality: String,
        year: i16,
    },
}

impl std::fmt::Display for CalculationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalculationError::NoAmount { pot, year } => write!(
                f,
                "potten {pot} har inget belopp för {year}: regelverket saknar skatteunderlagets utveckling för året eller ett beslutat belopp"
            ),
            CalculationError::Pot(e) => e.fmt(f),
            CalculationError::MissingPopulation { municipality, year } => write!(
                f,
                "befolkningsunderlaget saknar invånare 65+ i {municipality} den 31 december {year}: importera en befolkningsfil med alla kommuner"
            ),
        }
    }
}

impl std::error::Error for CalculationError {}

/// Computes `year` from the rules and inputs. A simulation passes changed rules.
pub fn calculate(
    rules: &AdditionalAmountRules,
    year: i16,
    inputs: &Inputs,
) -> Result<Calculation, CalculationError> {
    let kind = match rules.distance_measure {
        crate::additional_amount::rules::DistanceMeasure::StraightLine => {
            DistanceKind::StraightLine
        }
        crate::additional_amount::rules::DistanceMeasure::Road => {
            DistanceKind::Road(inputs.road_table.clone())
        }
    };
    let distance = eligibility(
        &inputs.towns,
        &inputs.hospitals,
        &kind,
        rules.distance_threshold_km,
        &inputs.overrides,
    );
    let distant: Vec<MunicipalityCode> = distance
        .iter()
        .filter(|e| e.eligible())
        .map(|e| e.municipality)
        .collect();
    let mut pots = Vec::new();
    let mut keys = Vec::new();
    for rule in &rules.pots {
        let amount =
            rules
                .pot_amount(&rule.name, year)
                .ok_or_else(|| CalculationError::NoAmount {
                    pot: rule.name.clone(),
                    year,
                })?;
        let amount = adjusted(rules, &rule.name, year, amount, inputs);
        let (used, values): (KeyUsed, BTreeMap<MunicipalityCode, u64>) =
            match (rule.key, &inputs.category_four) {
                (PotKey::CategoryFour, Some(c4)) => (
                    KeyUsed::CategoryFour {
                        measurement: c4.measurement.clone(),
                    },
                    c4.counts.clone(),
                ),
                (PotKey::CategoryFour, None) => (
                    KeyUsed::ElderlyForLackOfMeasurement {
                        year: inputs.elderly_year,
                    },
                    inputs.elderly.clone(),
                ),
                (PotKey::Elderly, _) => (
                    KeyUsed::Elderly {
                        year: inputs.elderly_year,
                    },
                    inputs.elderly.clone(),
                ),
                (PotKey::Inhabitants, _) => (
                    KeyUsed::Inhabitants {
                        year: inputs.elderly_year,
                    },
                    inputs.inhabitants.clone(),
                ),
            };
        let eligible = |code: &MunicipalityCode| match rule.eligible {
            Eligible::All => inputs.elderly.contains_key(code),
            Eligible::Distance => distant.contains(code),
        };
        let key_values = inputs
            .elderly
            .keys()
            .filter(|code| eligible(code))
            .map(|code| (*code, Decimal::from(values.get(code).copied().unwrap_or(0))))
            .collect();
        pots.push(Pot {
            name: rule.name.clone(),
            key: used_code(&used).to_owned(),
            amount,
            keys: key_values,
        });
        keys.push(used);
    }
    let result = compute(year, pots).map_err(CalculationError::Pot)?;
    Ok(Calculation {
        result,
        keys,
        distance,
    })
}

/// An indexed pot with the rule set's adjustment, when the year follows a new measurement.
fn adjusted(
    rules: &AdditionalAmountRules,
    pot: &str,
    year: i16,
    amount: PotAmount,
    inputs: &Inputs,
) -> PotAmount {
    let (Some(adjustment), PotAmount::Indexed { previous, growth }, Some(latest)) =
        (&rules.adjustment, &amount, &inputs.category_four)
    else {
        return amount;
    };
    if adjustment.pot != pot {
        return amount;
    }
    let total = |c: &CategoryFourCounts| (c.period.clone(), c.counts.values().sum());
    match adjustment.formula.amount(
        year,
        &total(latest),
        inputs.previous_category_four.as_ref().map(total).as_ref(),
    ) {
        Some((value, patients_above)) => PotAmount::Adjusted {
            previous: *previous,
            growth: *growth,
            adjustment: value,
            patients_above,
        },
        None => amount,
    }
}

fn used_code(used: &KeyUsed) -> &'static str {
    match used {
        KeyUsed::CategoryFour { .. } => PotKey::CategoryFour.code(),
        KeyUsed::Inhabitants { .. } => PotKey::Inhabitants.code(),
        _ => PotKey::Elderly.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use crate::additional_amount::shipped_data::{category_4_2025, code, elderly, places};

    fn inputs(category_four: Option<CategoryFourCounts>) -> Inputs {
        let (towns, hospitals) = places();
        Inputs {
            elderly: elderly("2023"),
            elderly_year: 2023,
            inhabitants: BTreeMap::new(),
            towns,
            hospitals,
            road_table: BTreeMap::new(),
            overrides: BTreeMap::new(),
            category_four,
            previous_category_four: None,
        }
    }

    fn measurement_2025() -> CategoryFourCounts {
        CategoryFourCounts {
            measurement: "2025-10".into(),
            period: "2025-10".into(),
            counts: category_4_2025(),
        }
    }

    #[test]
    fn without_a_measurement_the_advanced_pot_follows_the_elderly_and_with_one_category_4() {
        let rules = RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        let a = &rules.additional_amount;
        let y2025 = calculate(a, 2025, &inputs(None)).unwrap();
        assert_eq!(
            y2025.keys[2],
            KeyUsed::ElderlyForLackOfMeasurement { year: 2023 }
        );
        assert_eq!(y2025.result.paid(), Decimal::from(21_626_276));
        let y2026 = calculate(a, 2026, &inputs(Some(measurement_2025()))).unwrap();
        assert_eq!(
            y2026.keys[2],
            KeyUsed::CategoryFour {
                measurement: "2025-10".into()
            }
        );
        assert_eq!(y2026.result.total(), Decimal::from(25_115_096));
        assert_eq!(y2026.result.paid(), Decimal::from(25_115_096));
        let orebro = &y2026.result.pots[2]
            .shares
            .iter()
            .find(|s| s.municipality == code("1880"))
            .unwrap();
        assert_eq!(orebro.key, Decimal::from(70));
        // Only the distant municipalities share the distance pot, and they share all of it.
        let distance: Vec<String> = y2026.result.pots[1]
            .shares
            .iter()
            .map(|s| s.municipality.to_string())
            .collect();
        assert_eq!(distance, ["1860", "1863", "1882"]);
        assert_eq!(
            y2026.result.pots[1]
                .shares
                .iter()
                .map(|s| s.amount)
                .sum::<Decimal>(),
            Decimal::from(895_195)
        );
    }

    #[test]
    fn a_newer_measurement_adjusts_the_advanced_pot_by_the_rule_set_formula() {
        let rules = RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        let mut a = rules.additional_amount.clone();
        a.growth.insert(
            2027,
            crate::additional_amount::rules::Growth {
                factor: "1.03".parse().unwrap(),
                source: "test".into(),
            },
        );
        let mut newer = measurement_2025();
        newer.period = "2026-10".into();
        *newer.counts.get_mut(&code("1880")).unwrap() += 8;
        let y2027 = calculate(&a, 2027, &inputs(Some(newer.clone()))).unwrap();
        let pot = &y2027.result.pots[2];
        let per_patient: Decimal = "46925.28".parse().unwrap();
        assert_eq!(
            pot.source,
            PotAmount::Adjusted {
                previous: Decimal::from(5_490_258),
                growth: "1.03".parse().unwrap(),
                adjustment: per_patient * Decimal::from(8),
                patients_above: 8,
            }
        );
        // 5 490 258 × 1,03 = 5 654 965,74; + 8 × 46 925,28 = 375 402,24; 6 030 367,98 → 6 030 368.
        assert_eq!(pot.amount, Decimal::from(6_030_368));
        let same = calculate(&a, 2027, &inputs(Some(measurement_2025()))).unwrap();
        assert!(
            matches!(same.result.pots[2].source, PotAmount::Indexed { .. }),
            "the baseline's own measurement adjusts nothing"
        );
        let mut later = newer.clone();
        later.period = "2027-10".into();
        *later.counts.get_mut(&code("1880")).unwrap() += 4;
        a.growth.insert(
            2028,
            crate::additional_amount::rules::Growth {
                factor: "1.03".parse().unwrap(),
                source: "test".into(),
            },
        );
        let with_previous = Inputs {
            previous_category_four: Some(newer.clone()),
            ..inputs(Some(later))
        };
        let y2028 = calculate(&a, 2028, &with_previous).unwrap();
        assert!(
            matches!(
                y2028.result.pots[2].source,
                PotAmount::Adjusted {
                    patients_above: 4,
                    ..
                }
            ),
            "only the patients above the previous measurement: {:?}",
            y2028.result.pots[2].source
        );
        let stale = calculate(&a, 2028, &inputs(Some(newer))).unwrap();
        assert!(
            matches!(stale.result.pots[2].source, PotAmount::Indexed { .. }),
            "a measurement adjusts only the year after it"
        );
    }

    #[test]
    fn a_year_without_growth_figure_or_decision_is_refused_by_name() {
        let rules = RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        let a = &rules.additional_amount;
        let error = calculate(a, 2027, &inputs(None)).unwrap_err();
        assert_eq!(
            error,
            CalculationError::NoAmount {
                pot: "andel_aldre".into(),
                year: 2027
            }
        );
    }
}
