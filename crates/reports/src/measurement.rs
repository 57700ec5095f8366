//! The measurement's outputs. Re-running on the same inputs gives byte-identical results: maps
//! are ordered, numbers rounded explicitly.

use rust_decimal::{Decimal, RoundingStrategy};
use samsyn_domain::RuleSet;
use samsyn_domain::measurement::{Category, Measurement, MunicipalityResult};
use serde_json::{Map, Value, json};

/// An input file and the SHA-256 of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub file: String,
    pub sha256: String,
}

fn hours(minutes: u64) -> Value {
    let h = (Decimal::from(minutes) / Decimal::from(60))
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{h:.1}");
    text.parse::<serde_json::Number>()
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn categories(counts: &[u64; 6]) -> Value {
    let mut map = Map::new();
    for (category, count) in Category::ALL.into_iter().zip(counts) {
        map.insert(category.code().to_owned(), json!(count));
    }
    Value::Object(map)
}

/// Every municipality of the rule set, in its order, zeros where there was no data.
pub fn rows(
    measurement: &Measurement,
    rules: &RuleSet,
) -> Vec<(String, String, MunicipalityResult)> {
    rules
        .municipalities
        .iter()
        .map(|m| {
            let result = measurement
                .municipalities
                .iter()
                .find(|r| r.code == m.code)
                .cloned()
                .unwrap_or(MunicipalityResult::empty(m.code));
            (m.code.to_string(), m.name.clone(), result)
        })
        .collect()
}

/// The documented JSON: `period`, `rules`, `municipalities` (`code`, `name`, `patients`,
/// `categories`, `ssk_hours`, `rehab_hours`, `delegated_activities`) and `county`, plus the
/// inputs and the data-quality findings.
pub fn to_json(measurement: &Measurement, rules: &RuleSet, inputs: &[Input]) -> String {
    let rows = rows(measurement, rules);
    let mut county = [0u64; 6];
    let mut county_patients = 0;
    let municipalities: Vec<Value> = rows
        .iter()
        .map(|(code, name, r)| {
            for (total, count) in county.iter_mut().zip(r.categories) {
                *total += count;
            }
            county_patients += r.patients;
            json!({
                "code": code,
                "name": name,
                "patients": r.patients,
                "categories": categories(&r.categories),
                "ssk_hours": hours(r.nurse_minutes),
                "rehab_hours": hours(r.rehab_minutes),
                "delegated_activities": r.delegated_activities,
                "excluded_special_housing": r.excluded_special_housing,
                "source": if r.manual { "bedomningar" } else { "aktiviteter" },
            })
        })
        .collect();
    let value = json!({
        "period": measurement.period.label(),
        "rules": format!("{}@{}", rules.id, rules.version),
        "municipalities": municipalities,
        "county": {"patients": county_patients, "categories": categories(&county)},
        "inputs": inputs.iter().map(|i| json!({"file": i.file, "sha256": i.sha256})).collect::<Vec<_>>(),
        "data_quality": {
            "persons_in_several_municipalities": measurement.persons_in_several_municipalities,
            "unknown_codes": measurement.unknown_codes,
        },
    });
    value.to_string()
}

/// One row per municipality and the county, `;`-separated with a BOM, for Swedish Excel.
pub fn to_csv(measurement: &Measurement, rules: &RuleSet) -> String {
    let mut out = String::from(
        "\u{feff}kommunkod;kommun;patienter;k1;k2a;k2b;k3;k4;k5;ssk_timmar;rehab_timmar;delegerade_aktiviteter\n",
    );
    let mut county = [0u64; 6];
    let (mut patients, mut nurse, mut rehab, mut delegated) = (0, 0, 0, 0);
    for (code, name, r) in rows(measurement, rules) {
        let c = r.categories;
        out.push_str(&format!(
            "{code};{name};{};{};{};{};{};{};{};{};{};{}\n",
            r.patients,
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            c[5],
            hours(r.nurse_minutes).to_string().replace('.', ","),
            hours(r.rehab_minutes).to_string().replace('.', ","),
            r.delegated_activities
        ));
        for (total, count) in county.iter_mut().zip(c) {
            *total += count;
        }
        patients += r.patients;
        nurse += r.nurse_minutes;
        rehab += r.rehab_minutes;
        delegated += r.delegated_activities;
    }
    out.push_str(&format!(
        ";Länet;{patients};{};{};{};{};{};{};{};{};{delegated}\n",
        county[0],
        county[1],
        county[2],
        county[3],
        county[4],
        county[5],
        hours(nurse).to_string().replace('.', ","),
        hours(rehab).to_string().replace('.', ",")
    ));
    out
}

/// Share of `part` in `whole` as a percentage with one decimal, computed from counts.
pub fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_owned();
    }
    let p = (Decimal::from(part) * Decimal::from(100) / Decimal::from(whole))
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    format!("{p:.1}").replace('.', ",")
}
