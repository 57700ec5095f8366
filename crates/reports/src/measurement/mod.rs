//! Hemsjukvårdsmätning's report: *Principer för samverkan och ekonomisk reglering* §12.4, with
//! the category-4 development the uppföljningsrapporten 2026-05-12 shows.
//!
//! The measurement's outputs. Re-running on the same inputs gives byte-identical results: maps
//! are ordered, numbers rounded explicitly.

pub mod category4;

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

/// Share of `part` in `whole` as a percentage rounded to one decimal (half away from zero).
fn share_rounded(part: u64, whole: u64) -> Option<Decimal> {
    (whole > 0).then(|| {
        (Decimal::from(part) * Decimal::from(100) / Decimal::from(whole))
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// Share of `part` in `whole` as a percentage with one decimal, computed from counts.
pub fn share(part: u64, whole: u64) -> String {
    share_rounded(part, whole).map_or_else(|| "–".to_owned(), percent)
}

fn percent(p: Decimal) -> String {
    format!("{p:.1}").replace('.', ",")
}

/// When the rounded category shares do not add up to 100,0 %, what they add up to (a reader
/// comparing with the published tables should know it is rounding, not missing patients).
pub fn shares_off_100(counts: &[u64]) -> Option<String> {
    let whole = counts.iter().sum();
    let sum: Decimal = counts.iter().filter_map(|c| share_rounded(*c, whole)).sum();
    (whole > 0 && sum != Decimal::from(100)).then(|| percent(sum))
}

/// The measurement as an Excel workbook: one sheet per table (categories per municipality, data
/// quality, inputs).
pub fn to_xlsx(
    measurement: &Measurement,
    rules: &RuleSet,
    inputs: &[Input],
) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let error = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let sheet = workbook
        .add_worksheet()
        .set_name("Kategorier")
        .map_err(error)?;
    let headers = [
        "Kommunkod",
        "Kommun",
        "Källa",
        "Patienter",
        "Kat. 1",
        "Kat. 2a",
        "Kat. 2b",
        "Kat. 3",
        "Kat. 4",
        "Kat. 5",
        "SSK-timmar",
        "Rehabtimmar",
        "Delegerade insatser",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *header, &bold)
            .map_err(error)?;
    }
    let mut county = [0u64; 6];
    let mut patients = 0u64;
    let rows = rows(measurement, rules);
    for (i, (code, name, r)) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet.write_string(row, 0, code).map_err(error)?;
        sheet.write_string(row, 1, name).map_err(error)?;
        sheet
            .write_string(
                row,
                2,
                if r.manual {
                    "Manuell bedömning"
                } else {
                    "KVÅ"
                },
            )
            .map_err(error)?;
        sheet
            .write_number(row, 3, r.patients as f64)
            .map_err(error)?;
        for (c, count) in r.categories.iter().enumerate() {
            sheet
                .write_number(row, 4 + c as u16, *count as f64)
                .map_err(error)?;
            county[c] += count;
        }
        sheet
            .write_number(row, 10, r.nurse_minutes as f64 / 60.0)
            .map_err(error)?;
        sheet
            .write_number(row, 11, r.rehab_minutes as f64 / 60.0)
            .map_err(error)?;
        sheet
            .write_number(row, 12, r.delegated_activities as f64)
            .map_err(error)?;
        patients += r.patients;
    }
    let total_row = (rows.len() + 1) as u32;
    sheet
        .write_string_with_format(total_row, 1, "Länet", &bold)
        .map_err(error)?;
    sheet
        .write_number_with_format(total_row, 3, patients as f64, &bold)
        .map_err(error)?;
    for (c, count) in county.iter().enumerate() {
        sheet
            .write_number_with_format(total_row, 4 + c as u16, *count as f64, &bold)
            .map_err(error)?;
    }
    let quality = workbook
        .add_worksheet()
        .set_name("Datakvalitet")
        .map_err(error)?;
    quality
        .write_string_with_format(0, 0, "Fynd", &bold)
        .map_err(error)?;
    quality
        .write_string_with_format(0, 1, "Värde", &bold)
        .map_err(error)?;
    quality
        .write_string(1, 0, "Personer i flera kommuner")
        .map_err(error)?;
    quality
        .write_number(1, 1, measurement.persons_in_several_municipalities as f64)
        .map_err(error)?;
    for (i, (code, count)) in measurement.unknown_codes.iter().enumerate() {
        quality
            .write_string(2 + i as u32, 0, format!("Okänd KVÅ-kod {code} (rader)"))
            .map_err(error)?;
        quality
            .write_number(2 + i as u32, 1, *count as f64)
            .map_err(error)?;
    }
    let sources = workbook
        .add_worksheet()
        .set_name("Underlag")
        .map_err(error)?;
    sources
        .write_string_with_format(0, 0, "Period", &bold)
        .map_err(error)?;
    sources
        .write_string(0, 1, measurement.period.label())
        .map_err(error)?;
    sources
        .write_string_with_format(1, 0, "Regelverk", &bold)
        .map_err(error)?;
    sources
        .write_string(1, 1, format!("{}@{}", rules.id, rules.version))
        .map_err(error)?;
    for (i, input) in inputs.iter().enumerate() {
        sources
            .write_string(3 + i as u32, 0, &input.file)
            .map_err(error)?;
        sources
            .write_string(3 + i as u32, 1, &input.sha256)
            .map_err(error)?;
    }
    workbook.save_to_buffer().map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_shares_that_miss_100_are_reported() {
        assert_eq!(shares_off_100(&[1, 1, 1]), Some("99,9".to_owned()));
        assert_eq!(shares_off_100(&[1, 1, 2]), None);
        assert_eq!(shares_off_100(&[0, 0]), None);
    }
    use calamine::{Reader, Xlsx};
    use samsyn_domain::MunicipalityCode;
    use samsyn_domain::measurement::{Activity, Period, measure};

    #[test]
    fn the_workbook_reads_back_with_one_sheet_per_table() {
        let rules = RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap();
        let period = Period::month("2025-10").unwrap();
        let activity = Activity {
            municipality: MunicipalityCode::parse("1880").unwrap(),
            person: 1,
            date: period.first,
            code: "DR014".to_owned(),
            profession: "XS919".to_owned(),
            minutes: Some(30),
            delegated: false,
        };
        let m = measure(period, &[activity], &[], &rules.measurement);
        let bytes = to_xlsx(
            &m,
            &rules,
            &[Input {
                file: "a.csv".into(),
                sha256: "abc".into(),
            }],
        )
        .unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Kategorier", "Datakvalitet", "Underlag"]
        );
        let sheet = book.worksheet_range("Kategorier").unwrap();
        let orebro = sheet
            .rows()
            .find(|r| r.get(1).map(|c| c.to_string()) == Some("Örebro".into()))
            .unwrap();
        assert_eq!(orebro[3].to_string(), "1");
        assert_eq!(orebro[8].to_string(), "1", "category 4");
        let csv = to_csv(&m, &rules);
        assert!(csv.starts_with('\u{feff}') && csv.contains("1880;Örebro;1;0;0;0;0;1;0;0,5;0,0;0"));
    }
}
