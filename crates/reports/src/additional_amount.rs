//! Tilläggsbelopp outputs: the documented JSON, CSV per municipality and pot, and a sentence per
//! amount saying where it came from. Amounts are whole kronor; maps are ordered, so a re-run on
//! the same inputs gives the same bytes.

use crate::population::aged_65_plus;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use samsyn_domain::additional_amount_year::{Calculation, CategoryFourCounts, Inputs, KeyUsed};
use samsyn_domain::allocation::Share;
use samsyn_domain::distance::Place;
use samsyn_domain::{MunicipalityCode, RuleSet, Sek};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const PLACES: &str = include_str!("../../../data/places.csv");
const MEASUREMENT_2025: &str = include_str!("../../../data/measurement_2025.csv");

/// The demo county's inputs for `year` from the shipped public data: inhabitants 65+ on 31
/// December `population_years_back` before (or the latest year the data has), the central towns
/// and hospitals, and the published October 2025 measurement for the years after it.
pub fn shipped_inputs(rules: &RuleSet, year: i16) -> Inputs {
    let wanted = year - rules.additional_amount.population_years_back;
    let mut elderly = BTreeMap::new();
    let mut elderly_year = wanted;
    for m in &rules.municipalities {
        if let Some((found, n)) = aged_65_plus(m.code.as_str(), wanted) {
            elderly.insert(m.code, n);
            elderly_year = found;
        }
    }
    let mut towns = BTreeMap::new();
    let mut hospitals = Vec::new();
    for line in PLACES.lines().skip(1) {
        let c: Vec<&str> = line.split(';').collect();
        let (Some(kind), Some(code), Some(name), Some(lat), Some(lon)) =
            (c.first(), c.get(1), c.get(2), c.get(3), c.get(4))
        else {
            continue;
        };
        let (Ok(lat), Ok(lon)) = (lat.parse(), lon.parse()) else {
            continue;
        };
        let place = Place {
            name: (*name).to_owned(),
            lat,
            lon,
        };
        match (*kind, MunicipalityCode::parse(code)) {
            ("centralort", Some(code)) => {
                towns.insert(code, place);
            }
            ("sjukhus", _) => hospitals.push(place),
            _ => {}
        }
    }
    let category_four = (year > 2025).then(|| CategoryFourCounts {
        measurement: "2025-10 (publicerat utfall)".to_owned(),
        counts: MEASUREMENT_2025
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("kommunkod"))
            .filter_map(|l| {
                let c: Vec<&str> = l.split(';').collect();
                Some((
                    MunicipalityCode::parse(c.first()?)?,
                    c.get(6)?.parse().ok()?,
                ))
            })
            .collect(),
    });
    Inputs {
        elderly,
        elderly_year,
        towns,
        hospitals,
        road_table: BTreeMap::new(),
        overrides: BTreeMap::new(),
        category_four,
    }
}

fn kronor(amount: Decimal) -> i64 {
    amount.to_i64().unwrap_or(0)
}

/// Swedish two-decimal form of a signed rounding, e.g. "+0,41 kr".
fn signed(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let sign = if rounded.is_sign_negative() {
        "−"
    } else {
        "+"
    };
    format!("{sign}{:.2} kr", rounded.abs()).replace('.', ",")
}

/// What the key of a pot was, in words.
pub fn key_text(key: &KeyUsed) -> String {
    match key {
        KeyUsed::Elderly { year } => format!("invånare 65+, SCB 31 dec {year}"),
        KeyUsed::CategoryFour { measurement } => {
            format!("patienter i kategori 4, mätningen {measurement}")
        }
        KeyUsed::ElderlyForLackOfMeasurement { year } => {
            format!("invånare 65+, SCB 31 dec {year} (ingen mätning finns)")
        }
    }
}

fn name_of(rules: &RuleSet, code: MunicipalityCode) -> String {
    rules
        .municipality(code)
        .map_or_else(|| code.to_string(), |m| m.name.clone())
}

/// "Askersund, andel äldre 2026: pott 18 729 643 kr × (3 415 / 68 590 invånare 65+, SCB 31 dec
/// 2023) = 932 608,53 kr → 932 609 kr; regler orebro-2025 v1; avrundning +0,47 kr".
pub fn explanation(
    rules: &RuleSet,
    calculation: &Calculation,
    pot_index: usize,
    share: &Share,
) -> String {
    let pot = &calculation.result.pots[pot_index];
    let label = rules
        .additional_amount
        .pots
        .iter()
        .find(|p| p.name == pot.name)
        .map_or(pot.name.as_str(), |p| p.label.as_str())
        .to_lowercase();
    let key_total: Decimal = pot.shares.iter().map(|s| s.key).sum();
    format!(
        "{}, {label} {}: pott {} × ({} / {} {}) = {} → {}; regler {}; avrundning {}",
        name_of(rules, share.municipality),
        calculation.result.year,
        Sek::new(pot.amount),
        whole(share.key),
        whole(key_total),
        key_text(&calculation.keys[pot_index]),
        Sek::new(share.exact.round_dp(2)),
        Sek::new(share.amount),
        rules.reference(),
        signed(share.rounding())
    )
}

/// A whole number with a thin space between thousands, as Swedish tables write it.
fn whole(n: Decimal) -> String {
    Sek::new(n.round_dp(0))
        .to_string()
        .trim_end_matches(" kr")
        .to_owned()
}

/// The documented JSON: `year`, `rules`, `total`, `pots` (`name`, `amount`, `key`,
/// `allocations` of `code`, `name`, `amount`) and `municipalities` (`code`, `name`, `total`),
/// plus what explains them.
pub fn to_json(rules: &RuleSet, calculation: &Calculation) -> String {
    let result = &calculation.result;
    let pots: Vec<Value> = result
        .pots
        .iter()
        .enumerate()
        .map(|(i, pot)| {
            json!({
                "name": pot.name,
                "amount": kronor(pot.amount),
                "key": pot.key,
                "key_source": key_text(&calculation.keys[i]),
                "unrounded": pot.unrounded.round_dp(6).to_string(),
                "allocations": pot.shares.iter().map(|s| json!({
                    "code": s.municipality.to_string(),
                    "name": name_of(rules, s.municipality),
                    "amount": kronor(s.amount),
                    "key": kronor(s.key),
                    "exact": s.exact.round_dp(6).to_string(),
                    "explanation": explanation(rules, calculation, i, s),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let municipalities: Vec<Value> = rules
        .municipalities
        .iter()
        .map(|m| {
            json!({
                "code": m.code.to_string(),
                "name": m.name,
                "total": kronor(result.municipality_total(m.code)),
            })
        })
        .collect();
    let distance: Vec<Value> = calculation
        .distance
        .iter()
        .map(|e| {
            json!({
                "code": e.municipality.to_string(),
                "town": e.town,
                "nearest_hospital": e.nearest_hospital,
                "km": e.km.map(|k| k.to_string()),
                "eligible": e.eligible(),
                "override_reason": e.overridden.as_ref().map(|o| o.reason.clone()),
            })
        })
        .collect();
    let value = json!({
        "year": result.year,
        "rules": format!("{}@{}", rules.id, rules.version),
        "total": kronor(result.total()),
        "paid": kronor(result.paid()),
        "rounding_residue": kronor(result.residue()),
        "pots": pots,
        "municipalities": municipalities,
        "distance": distance,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// One row per municipality, one column per pot, and the county's row (semicolons and a BOM for
/// Swedish Excel).
pub fn to_csv(rules: &RuleSet, calculation: &Calculation) -> String {
    let result = &calculation.result;
    let mut out = String::from("\u{feff}kommunkod;kommun");
    for pot in &result.pots {
        out.push_str(&format!(";{}", pot.name));
    }
    out.push_str(";totalt\n");
    for m in &rules.municipalities {
        out.push_str(&format!("{};{}", m.code, m.name));
        for pot in &result.pots {
            let amount = pot
                .shares
                .iter()
                .find(|s| s.municipality == m.code)
                .map_or(Decimal::ZERO, |s| s.amount);
            out.push_str(&format!(";{}", kronor(amount)));
        }
        out.push_str(&format!(";{}\n", kronor(result.municipality_total(m.code))));
    }
    out.push_str(";Länet");
    for pot in &result.pots {
        out.push_str(&format!(";{}", kronor(pot.amount)));
    }
    out.push_str(&format!(";{}\n", kronor(result.paid())));
    out
}

/// The calculation as an Excel workbook: one sheet per table — amounts per municipality and pot,
/// the basis of every amount with its explanation, and the distance rule.
pub fn to_xlsx(rules: &RuleSet, calculation: &Calculation) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let error = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let result = &calculation.result;
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0");
    let sheet = workbook
        .add_worksheet()
        .set_name("Per kommun")
        .map_err(error)?;
    let mut headers = vec!["Kommunkod".to_owned(), "Kommun".to_owned()];
    headers.extend(rules.additional_amount.pots.iter().map(|p| p.label.clone()));
    headers.push("Totalt".to_owned());
    for (col, header) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, header, &bold)
            .map_err(error)?;
    }
    let last = result.pots.len() as u16 + 2;
    for (i, m) in rules.municipalities.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, m.code.as_str()).map_err(error)?;
        sheet.write_string(row, 1, &m.name).map_err(error)?;
        for (p, pot) in result.pots.iter().enumerate() {
            let amount = pot
                .shares
                .iter()
                .find(|s| s.municipality == m.code)
                .map_or(0, |s| kronor(s.amount));
            sheet
                .write_number_with_format(row, p as u16 + 2, amount as f64, &money)
                .map_err(error)?;
        }
        sheet
            .write_number_with_format(
                row,
                last,
                kronor(result.municipality_total(m.code)) as f64,
                &money,
            )
            .map_err(error)?;
    }
    let county = rules.municipalities.len() as u32 + 1;
    sheet
        .write_string_with_format(county, 1, "Länet", &bold)
        .map_err(error)?;
    for (p, pot) in result.pots.iter().enumerate() {
        sheet
            .write_number_with_format(county, p as u16 + 2, kronor(pot.amount) as f64, &money)
            .map_err(error)?;
    }
    sheet
        .write_number_with_format(county, last, kronor(result.paid()) as f64, &money)
        .map_err(error)?;
    sheet
        .write_string(
            county + 2,
            0,
            format!(
                "Tilläggsbelopp {}, regler {}. Totalt (ur oavrundade potter) {} kr; avrundningsrest {} kr.",
                result.year,
                rules.reference(),
                kronor(result.total()),
                kronor(result.residue())
            ),
        )
        .map_err(error)?;

    let basis = workbook
        .add_worksheet()
        .set_name("Underlag")
        .map_err(error)?;
    for (col, header) in [
        "Pott",
        "Kommunkod",
        "Kommun",
        "Nyckel",
        "Nyckelns källa",
        "Exakt belopp",
        "Belopp",
        "Avrundning",
        "Förklaring",
    ]
    .iter()
    .enumerate()
    {
        basis
            .write_string_with_format(0, col as u16, *header, &bold)
            .map_err(error)?;
    }
    let mut row = 1u32;
    for (p, pot) in result.pots.iter().enumerate() {
        for share in &pot.shares {
            basis.write_string(row, 0, &pot.name).map_err(error)?;
            basis
                .write_string(row, 1, share.municipality.as_str())
                .map_err(error)?;
            basis
                .write_string(row, 2, name_of(rules, share.municipality))
                .map_err(error)?;
            basis
                .write_number(row, 3, kronor(share.key) as f64)
                .map_err(error)?;
            basis
                .write_string(row, 4, key_text(&calculation.keys[p]))
                .map_err(error)?;
            basis
                .write_string(row, 5, share.exact.round_dp(6).to_string())
                .map_err(error)?;
            basis
                .write_number_with_format(row, 6, kronor(share.amount) as f64, &money)
                .map_err(error)?;
            basis
                .write_string(row, 7, signed(share.rounding()))
                .map_err(error)?;
            basis
                .write_string(row, 8, explanation(rules, calculation, p, share))
                .map_err(error)?;
            row += 1;
        }
    }

    let distance = workbook
        .add_worksheet()
        .set_name("Avstånd")
        .map_err(error)?;
    for (col, header) in [
        "Kommunkod",
        "Centralort",
        "Närmaste sjukhus",
        "Km",
        "Ingår",
        "Beslut om undantag",
    ]
    .iter()
    .enumerate()
    {
        distance
            .write_string_with_format(0, col as u16, *header, &bold)
            .map_err(error)?;
    }
    for (i, e) in calculation.distance.iter().enumerate() {
        let row = i as u32 + 1;
        distance
            .write_string(row, 0, e.municipality.as_str())
            .map_err(error)?;
        distance.write_string(row, 1, &e.town).map_err(error)?;
        distance
            .write_string(row, 2, &e.nearest_hospital)
            .map_err(error)?;
        distance
            .write_string(
                row,
                3,
                e.km.map(|k| k.to_string().replace('.', ","))
                    .unwrap_or_default(),
            )
            .map_err(error)?;
        distance
            .write_string(row, 4, if e.eligible() { "Ja" } else { "Nej" })
            .map_err(error)?;
        distance
            .write_string(
                row,
                5,
                e.overridden
                    .as_ref()
                    .map(|o| o.reason.clone())
                    .unwrap_or_default(),
            )
            .map_err(error)?;
    }
    workbook.save_to_buffer().map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use samsyn_domain::additional_amount_year::calculate;

    fn shipped(rules: &RuleSet, year: i16) -> Calculation {
        calculate(&rules.additional_amount, year, &shipped_inputs(rules, year)).unwrap()
    }

    fn rules() -> RuleSet {
        RuleSet::from_toml(include_str!("../../../rules/orebro-2025.toml")).unwrap()
    }

    #[test]
    fn the_2026_json_has_the_documented_keys_and_the_published_total() {
        let rules = rules();
        let calculation = shipped(&rules, 2026);
        let json: Value = serde_json::from_str(&to_json(&rules, &calculation)).unwrap();
        assert_eq!(json["year"], 2026);
        assert_eq!(json["rules"], "orebro-2025@1");
        assert_eq!(json["total"], 25_115_096);
        assert_eq!(json["pots"][0]["name"], "andel_aldre");
        assert_eq!(json["pots"][0]["amount"], 18_729_643);
        assert_eq!(json["pots"][0]["key"], "andel_65_plus");
        assert_eq!(json["pots"][2]["key"], "kategori_4");
        let orebro = &json["pots"][2]["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == "1880")
            .unwrap()
            .clone();
        assert_eq!(orebro["name"], "Örebro");
        assert_eq!(orebro["key"], 70);
        let sum: i64 = json["municipalities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["total"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, 25_115_096);
        assert_eq!(
            to_json(&rules, &calculation),
            to_json(&rules, &shipped(&rules, 2026)),
            "same inputs, same bytes"
        );
    }

    #[test]
    fn every_amount_explains_itself() {
        let rules = rules();
        let calculation = shipped(&rules, 2026);
        let askersund = calculation.result.pots[0]
            .shares
            .iter()
            .find(|s| s.municipality.as_str() == "1882")
            .unwrap();
        let text = explanation(&rules, &calculation, 0, askersund);
        assert!(
            text.starts_with(
                "Askersund, andel äldre 2026: pott 18\u{a0}729\u{a0}643 kr × (3\u{a0}415 / "
            ),
            "{text}"
        );
        assert!(text.contains("invånare 65+, SCB 31 dec 2023"), "{text}");
        assert!(
            text.contains("regler orebro-2025 v1; avrundning "),
            "{text}"
        );
    }

    #[test]
    fn the_workbook_has_a_sheet_per_table_and_sums_to_the_pots() {
        use calamine::{Data, Reader, Xlsx};
        let rules = rules();
        let calculation = shipped(&rules, 2026);
        let bytes = to_xlsx(&rules, &calculation).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Per kommun", "Underlag", "Avstånd"]);
        let sheet = book.worksheet_range("Per kommun").unwrap();
        assert_eq!(sheet.get((0, 2)), Some(&Data::String("Andel äldre".into())));
        let county = sheet.get((13, 5)).unwrap();
        assert_eq!(county, &Data::Float(25_115_096.0));
        let basis = book.worksheet_range("Underlag").unwrap();
        assert_eq!(basis.height(), 1 + 12 + 3 + 12);
    }

    #[test]
    fn csv_rows_sum_to_the_county_row() {
        let rules = rules();
        let calculation = shipped(&rules, 2025);
        let csv = to_csv(&rules, &calculation);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 14);
        let total = |l: &str| l.rsplit(';').next().unwrap().parse::<i64>().unwrap();
        let sum: i64 = lines[1..13].iter().map(|l| total(l)).sum();
        assert_eq!(sum, total(lines[13]));
        assert_eq!(total(lines[13]), 21_626_276);
    }
}
