//! The tilläggsbelopp's inputs as the database holds them: the newest imported version of each
//! input (else the shipped public data), the pot amounts entered as decisions, and the stored
//! measurements' category-4 counts, each named by its period and files.

use samsyn_domain::RuleSet;
use samsyn_domain::additional_amount::distance::Override;
use samsyn_domain::additional_amount::inputs::{
    parse_growth, parse_places, parse_population, parse_road_table,
};
use samsyn_domain::additional_amount::rules::DecidedPot;
use samsyn_domain::additional_amount::year::CategoryFourCounts;
use samsyn_domain::measurement::{Category, Period, with_manual_assessments};
use samsyn_reports::additional_amount::{EnteredPot, InputData, Statement};
use samsyn_store::additional_amount::{self as store, InputKind};
use samsyn_store::measurement;
use samsyn_store::{DbConnection, StoreError};
use std::collections::BTreeMap;

fn corrupt(kind: InputKind) -> StoreError {
    StoreError::Corrupt(format!("importerad {} går inte att läsa", kind.code()))
}

/// The data a calculation reads now: the rule set's data files, replaced by what has been
/// imported.
pub fn input_data(conn: &mut DbConnection, rules: &RuleSet) -> Result<InputData, StoreError> {
    let mut data = InputData::shipped(rules);
    for input in store::current_inputs(conn)? {
        let source = format!(
            "{}, importerad {} av {}",
            input.reference(),
            input.imported_at.strftime("%Y-%m-%d"),
            input.imported_by
        );
        match input.kind {
            InputKind::Population => {
                data.population = parse_population(&input.filename, &input.content)
                    .map_err(|_| corrupt(input.kind))?;
                data.population_source = source;
            }
            InputKind::Places => {
                data.places = parse_places(&input.filename, &input.content)
                    .map_err(|_| corrupt(input.kind))?;
                data.places_source = source;
            }
            InputKind::RoadDistances => {
                data.road_table = parse_road_table(&input.filename, &input.content)
                    .map_err(|_| corrupt(input.kind))?;
                data.road_source = Some(source);
            }
            InputKind::Growth => {
                data.growth = parse_growth(&input.filename, &input.content)
                    .map_err(|_| corrupt(input.kind))?;
                data.growth_source = Some(source);
            }
        }
    }
    data.overrides = store::overrides_in_force(conn)?
        .into_iter()
        .filter_map(|o| {
            Some((
                o.municipality,
                Override {
                    eligible: o.eligible?,
                    reason: format!(
                        "{} (inmatat av {} {})",
                        o.reason,
                        o.decided_by,
                        o.decided_at.strftime("%Y-%m-%d")
                    ),
                },
            ))
        })
        .collect();
    data.pot_decisions = store::pot_decisions(conn)?
        .into_iter()
        .map(|d| EnteredPot {
            year: d.year,
            pot: d.pot,
            decided: DecidedPot {
                amount: d.amount,
                source: format!(
                    "Beslut inmatat av {} {}{}",
                    d.decided_by,
                    d.decided_at.strftime("%Y-%m-%d"),
                    if d.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", d.note)
                    }
                ),
            },
            from_version: false,
        })
        .collect();
    Ok(data)
}

/// The data a calculation reads: [`input_data`], the stored measurements, and the pot amounts of
/// each year's decision in force, from which the following years are indexed.
pub fn calculation_data(conn: &mut DbConnection, rules: &RuleSet) -> Result<InputData, StoreError> {
    let mut data = input_data(conn, rules)?;
    data.measurements = stored_measurements(conn, rules)?;
    for version in store::in_force(conn)? {
        let statement = Statement::from_json(&version.statement)
            .map_err(|_| StoreError::Corrupt("sparad beräkning går inte att läsa".into()))?;
        let year = version.summary.year;
        for pot in statement.pots {
            let entered = data
                .pot_decisions
                .iter()
                .any(|d| d.year == year && d.pot == pot.name);
            let Ok(amount) = pot.unrounded.parse() else {
                continue;
            };
            if !entered {
                data.pot_decisions.push(EnteredPot {
                    year,
                    pot: pot.name,
                    decided: DecidedPot {
                        amount,
                        source: format!(
                            "Beslutat i version {} av tilläggsbeloppet {year}",
                            version.summary.version
                        ),
                    },
                    from_version: true,
                });
            }
        }
    }
    Ok(data)
}

/// Category-4 patients per municipality of each stored measurement in the rule set's measurement
/// month that covers every municipality (the 2022 one measured five and keys nothing), named by
/// its period and the activity files it was computed from.
fn stored_measurements(
    conn: &mut DbConnection,
    rules: &RuleSet,
) -> Result<Vec<CategoryFourCounts>, StoreError> {
    let four = Category::ALL
        .iter()
        .position(|c| *c == Category::Four)
        .unwrap_or(4);
    let mut found = Vec::new();
    for label in measurement::periods(conn)? {
        let Some(period) = Period::month(&label) else {
            continue;
        };
        if label.get(5..7).and_then(|m| m.parse::<i8>().ok())
            != Some(rules.measurement.measurement_month)
        {
            continue;
        }
        let manual = measurement::assessments_for(conn, period)?;
        let measured = with_manual_assessments(
            measurement::results::measured(conn, period, rules)?,
            &manual,
        );
        let counts: BTreeMap<_, u64> = measured
            .municipalities
            .iter()
            .filter(|m| m.patients > 0)
            .map(|m| (m.code, m.categories[four]))
            .collect();
        if !rules
            .municipalities
            .iter()
            .all(|m| counts.contains_key(&m.code))
        {
            continue;
        }
        let files: Vec<String> = measurement::activity_files_in(conn, period)?
            .iter()
            .map(|f| format!("{} {}", f.filename, f.sha256.get(..12).unwrap_or_default()))
            .collect();
        found.push(CategoryFourCounts {
            measurement: format!("{label}, lagrad i Samsyn: {}", files.join(", ")),
            period: label,
            counts,
        });
    }
    Ok(found)
}
