//! Tilläggsbelopp's statement and exports: *Hälso- och sjukvård i hemmet primärvårdsnivå* §4 and
//! *Principer för samverkan och ekonomisk reglering* §11.
//!
//! The documented JSON, CSV per municipality and pot, and a sentence per
//! amount saying where it came from. Amounts are whole kronor; maps are ordered, so a re-run on
//! the same inputs gives the same bytes.

use crate::csv::cell;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use samsyn_domain::additional_amount::distance::Override;
use samsyn_domain::additional_amount::inputs::{Places, Population};
use samsyn_domain::additional_amount::rules::{
    AdditionalAmountRules, DecidedPot, DistanceMeasure, Growth,
};
use samsyn_domain::additional_amount::scenario::Scenario;
use samsyn_domain::additional_amount::year::{
    Calculation, CalculationError, CategoryFourCounts, Inputs, KeyUsed, calculate,
};
use samsyn_domain::additional_amount::{PotAmount, PotResult};
use samsyn_domain::allocation::Share;
use samsyn_domain::{MunicipalityCode, RuleSet, Sek};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A pot amount entered as a decision (who and when are in its source text), or taken from the
/// decided version in force, which counts only when later years are indexed from it.
#[derive(Debug, Clone)]
pub struct EnteredPot {
    pub year: i16,
    pub pot: String,
    pub decided: DecidedPot,
    pub from_version: bool,
}

/// The data a year's calculation reads besides the rule set, each with where it came from: the
/// rule set's data files, or the newest imported version.
#[derive(Debug, Clone)]
pub struct InputData {
    pub population: Population,
    pub population_source: String,
    pub places: Places,
    pub places_source: String,
    /// Imported growth figures; they win over the rule set's for the same year.
    pub growth: BTreeMap<i16, Growth>,
    pub growth_source: Option<String>,
    pub pot_decisions: Vec<EnteredPot>,
    /// Stored measurements' category-4 counts; the newest before the year keys it.
    pub measurements: Vec<CategoryFourCounts>,
    /// Published measurements' category-4 counts, from the rule set's data; a stored
    /// measurement of the same month wins.
    pub published: Vec<CategoryFourCounts>,
    /// Recorded exceptions to the distance rule, with their reason.
    pub overrides: BTreeMap<MunicipalityCode, Override>,
    /// Road distances to the nearest hospital, for `distance_measure = "vag"`.
    pub road_table: BTreeMap<MunicipalityCode, (String, Decimal)>,
    pub road_source: Option<String>,
}

impl InputData {
    /// The rule set's data files: its population, places and published measurements.
    pub fn shipped(rules: &RuleSet) -> InputData {
        let data = &rules.data;
        let missing = "inget levererat med regelverket; importera en fil";
        InputData {
            population: data.population.clone(),
            population_source: data
                .population_source
                .as_ref()
                .map(|s| format!("{s} (levererad med regelverket)"))
                .unwrap_or_else(|| missing.to_owned()),
            places: data.places.clone(),
            places_source: data
                .places_source
                .as_ref()
                .map(|s| format!("{s} (levererade med regelverket)"))
                .unwrap_or_else(|| missing.to_owned()),
            growth: BTreeMap::new(),
            growth_source: None,
            pot_decisions: Vec::new(),
            measurements: Vec::new(),
            published: data
                .published_measurements
                .iter()
                .map(|m| CategoryFourCounts {
                    measurement: format!("{} (publicerat utfall)", m.period),
                    period: m.period.clone(),
                    counts: m.counts.iter().map(|(code, c)| (*code, c[4])).collect(),
                })
                .collect(),
            overrides: BTreeMap::new(),
            road_table: BTreeMap::new(),
            road_source: None,
        }
    }
}

/// The rule set's parameters with the imported growth figures and entered pot decisions, the
/// year's inputs, and a line per input saying where it came from.
#[derive(Debug, Clone)]
pub struct Basis {
    pub rules: AdditionalAmountRules,
    pub inputs: Inputs,
    pub sources: Vec<String>,
}

/// The basis of `year`: inhabitants 65+ on 31 December `population_years_back` before (or the
/// latest year the data has), the central towns and hospitals, and the newest measurement before
/// the year, stored or published.
pub fn basis(rules: &RuleSet, year: i16, data: &InputData) -> Basis {
    let mut parameters = rules.additional_amount.clone();
    parameters.growth.extend(data.growth.clone());
    for entered in data
        .pot_decisions
        .iter()
        .filter(|e| !e.from_version || e.year < year)
    {
        parameters
            .decided
            .entry(entered.year)
            .or_default()
            .insert(entered.pot.clone(), entered.decided.clone());
    }
    let wanted = year.saturating_sub(rules.additional_amount.population_years_back);
    let codes: Vec<MunicipalityCode> = rules.municipalities.iter().map(|m| m.code).collect();
    let elderly_year = data
        .population
        .reference_year(&codes, wanted)
        .unwrap_or(wanted);
    let in_year = data.population.in_year(&codes, elderly_year);
    let elderly: BTreeMap<MunicipalityCode, u64> = in_year
        .iter()
        .map(|(code, row)| (*code, row.aged_65_plus))
        .collect();
    let inhabitants: BTreeMap<MunicipalityCode, u64> = in_year
        .iter()
        .map(|(code, row)| (*code, row.total))
        .collect();
    // The measurements before the payment year, stored or published (stored wins a tie), oldest
    // first: the newest keys the pot; the one before it is what the pot already pays for.
    let mut before: Vec<&CategoryFourCounts> = Vec::new();
    for m in data.measurements.iter().chain(&data.published) {
        let measured_year = m.period.get(..4).and_then(|y| y.parse::<i16>().ok());
        if measured_year.is_some_and(|y| y < year) && !before.iter().any(|b| b.period == m.period) {
            before.push(m);
        }
    }
    before.sort_by(|a, b| a.period.cmp(&b.period));
    let category_four = before.last().copied().cloned();
    let previous_category_four = before
        .len()
        .checked_sub(2)
        .and_then(|i| before.get(i))
        .copied()
        .cloned();
    let mut sources = vec![
        format!(
            "Befolkning: {}; invånare 65+ den 31 december {elderly_year}{}",
            data.population_source,
            if elderly_year == wanted {
                String::new()
            } else {
                format!(" (regeln säger {wanted}, som ännu saknas i underlaget)")
            }
        ),
        match rules.additional_amount.distance_measure {
            DistanceMeasure::StraightLine => {
                format!("Avstånd fågelvägen: {}", data.places_source)
            }
            DistanceMeasure::Road => format!(
                "Vägavstånd: {}",
                data.road_source
                    .as_deref()
                    .unwrap_or("ingen vägavståndstabell är importerad")
            ),
        },
    ];
    if let Some(source) = &data.growth_source {
        sources.push(format!("Skatteunderlagets utveckling: {source}"));
    }
    if let Some(c4) = &category_four {
        sources.push(format!("Mätning: {}", c4.measurement));
    }
    Basis {
        rules: parameters,
        inputs: Inputs {
            elderly,
            elderly_year,
            inhabitants,
            towns: data.places.towns.clone(),
            hospitals: data.places.hospitals.clone(),
            road_table: data.road_table.clone(),
            overrides: data.overrides.clone(),
            category_four,
            previous_category_four,
        },
        sources,
    }
}

/// Every municipality of the rule set must have its inhabitants 65+, or no amount is right.
fn complete(rules: &RuleSet, basis: &Basis) -> Result<(), CalculationError> {
    match rules
        .municipalities
        .iter()
        .find(|m| !basis.inputs.elderly.contains_key(&m.code))
    {
        Some(m) => Err(CalculationError::MissingPopulation {
            municipality: m.name.clone(),
            year: basis.inputs.elderly_year,
        }),
        None => Ok(()),
    }
}

/// The calculation of `year` from the rule set and the data, as a statement.
pub fn statement(
    rules: &RuleSet,
    year: i16,
    data: &InputData,
) -> Result<Statement, CalculationError> {
    let basis = basis(rules, year, data);
    complete(rules, &basis)?;
    let calculation = calculate(&basis.rules, year, &basis.inputs)?;
    Ok(Statement::new(rules, &basis, &calculation))
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
        KeyUsed::Inhabitants { year } => format!("alla invånare, SCB 31 dec {year}"),
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

/// "Askersund, andel äldre 2026: pott 18 729 643 kr × (3 415 / 67 590 invånare 65+, SCB 31 dec
/// 2023) = 946 319,44 kr → 946 319 kr; Regelverk Örebro 2025, version 1; avrundning −0,44 kr".
pub fn explanation(
    rules: &RuleSet,
    calculation: &Calculation,
    pot_index: usize,
    share: &Share,
) -> String {
    let pot = &calculation.result.pots[pot_index];
    let label = rules.additional_amount.label(&pot.name).to_lowercase();
    let key_total: Decimal = pot.shares.iter().map(|s| s.key).sum();
    format!(
        "{}, {label} {}: pott {} × ({} / {} {}) = {} → {}; {}; avrundning {}",
        name_of(rules, share.municipality),
        calculation.result.year,
        Sek::new(pot.amount),
        whole(share.key),
        whole(key_total),
        key_text(&calculation.keys[pot_index]),
        Sek::new(share.exact.round_dp(2)),
        Sek::new(share.amount),
        rules.display_name(),
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

/// The calculation of `year` with a scenario's changes; its sources say it is a scenario.
pub fn scenario_statement(
    rules: &RuleSet,
    year: i16,
    data: &InputData,
    scenario: &Scenario,
    name: &str,
) -> Result<Statement, CalculationError> {
    let mut basis = basis(rules, year, data);
    complete(rules, &basis)?;
    basis.rules = scenario.apply(&basis.rules, year);
    basis.inputs.overrides.extend(scenario.overrides());
    basis
        .sources
        .push(format!("Scenario «{name}»: ett scenario, inget beslut"));
    let calculation = calculate(&basis.rules, year, &basis.inputs)?;
    Ok(Statement::new(rules, &basis, &calculation))
}

/// A year's calculation with everything that explains it, in whole kronor: what a stored version
/// keeps, what the page, the decision document and the exports show. Serialized, it is the
/// documented JSON: `year`, `rules`, `total`, `pots` (`name`, `amount`, `key`, `allocations` of
/// `code`, `name`, `amount`) and `municipalities` (`code`, `name`, `total`), plus the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub year: i16,
    /// `id@version` of the rule set.
    pub rules: String,
    /// The year's total, rounded from the unrounded pots.
    pub total: i64,
    /// What is paid: the sum of the rounded pots.
    pub paid: i64,
    pub rounding_residue: i64,
    pub pots: Vec<PotStatement>,
    pub municipalities: Vec<MunicipalityTotal>,
    pub distance: Vec<DistanceLine>,
    pub threshold_km: String,
    /// Where each input came from.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PotStatement {
    pub name: String,
    pub label: String,
    pub amount: i64,
    pub unrounded: String,
    pub key: String,
    pub key_source: String,
    pub amount_source: String,
    pub allocations: Vec<Allocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub code: String,
    pub name: String,
    pub amount: i64,
    pub key: i64,
    pub exact: String,
    pub rounding: String,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityTotal {
    pub code: String,
    pub name: String,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistanceLine {
    pub code: String,
    pub town: String,
    pub nearest_hospital: String,
    pub km: Option<String>,
    pub eligible: bool,
    pub override_reason: Option<String>,
}

/// Where a pot's amount comes from, in words.
fn amount_source(parameters: &AdditionalAmountRules, year: i16, pot: &PotResult) -> String {
    let indexed = |previous: &Decimal, growth: &Decimal| {
        format!(
            "{} × {} (skatteunderlagets utveckling {}: {})",
            Sek::new(previous.round_dp(2)),
            growth,
            year,
            parameters
                .growth
                .get(&year)
                .map_or("", |g| g.source.as_str())
        )
    };
    match &pot.source {
        PotAmount::Indexed { previous, growth } => indexed(previous, growth),
        PotAmount::Adjusted {
            previous,
            growth,
            adjustment,
            patients_above,
        } => format!(
            "{} + justering {} för {} patienter i kategori 4 över basen ({})",
            indexed(previous, growth),
            Sek::new(adjustment.round_dp(2)),
            patients_above,
            parameters
                .adjustment
                .as_ref()
                .map_or("", |a| a.source.as_str())
        ),
        PotAmount::Decided { .. } => parameters
            .decided
            .get(&year)
            .and_then(|d| d.get(&pot.name))
            .map_or_else(
                || format!("Grundbelopp {}", parameters.base_year),
                |d| d.source.clone(),
            ),
    }
}

impl Statement {
    pub fn new(rules: &RuleSet, basis: &Basis, calculation: &Calculation) -> Statement {
        let result = &calculation.result;
        let pots = result
            .pots
            .iter()
            .enumerate()
            .map(|(i, pot)| PotStatement {
                name: pot.name.clone(),
                label: rules.additional_amount.label(&pot.name).to_owned(),
                amount: kronor(pot.amount),
                unrounded: pot.unrounded.round_dp(6).to_string(),
                key: pot.key.clone(),
                key_source: key_text(&calculation.keys[i]),
                amount_source: amount_source(&basis.rules, result.year, pot),
                allocations: pot
                    .shares
                    .iter()
                    .map(|s| Allocation {
                        code: s.municipality.to_string(),
                        name: name_of(rules, s.municipality),
                        amount: kronor(s.amount),
                        key: kronor(s.key),
                        exact: s.exact.round_dp(6).to_string(),
                        rounding: signed(s.rounding()),
                        explanation: explanation(rules, calculation, i, s),
                    })
                    .collect(),
            })
            .collect();
        Statement {
            year: result.year,
            rules: format!("{}@{}", rules.id, rules.version),
            total: kronor(result.total()),
            paid: kronor(result.paid()),
            rounding_residue: kronor(result.residue()),
            pots,
            municipalities: rules
                .municipalities
                .iter()
                .map(|m| MunicipalityTotal {
                    code: m.code.to_string(),
                    name: m.name.clone(),
                    total: kronor(result.municipality_total(m.code)),
                })
                .collect(),
            distance: calculation
                .distance
                .iter()
                .map(|e| DistanceLine {
                    code: e.municipality.to_string(),
                    town: e.town.clone(),
                    nearest_hospital: e.nearest_hospital.clone(),
                    km: e.km.map(|k| k.to_string()),
                    eligible: e.eligible(),
                    override_reason: e.overridden.as_ref().map(|o| o.reason.clone()),
                })
                .collect(),
            threshold_km: basis.rules.distance_threshold_km.to_string(),
            sources: basis.sources.clone(),
        }
    }

    /// A municipality's amount from a pot; `None` when it is not in the pot.
    pub fn amount(&self, pot: &PotStatement, code: &str) -> Option<i64> {
        pot.allocations
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.amount)
    }

    /// Each municipality's total, to compare a scenario with.
    pub fn totals(&self) -> BTreeMap<MunicipalityCode, Decimal> {
        self.municipalities
            .iter()
            .filter_map(|m| Some((MunicipalityCode::parse(&m.code)?, Decimal::from(m.total))))
            .collect()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Statement, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// One row per municipality, one column per pot, and the county's row (semicolons and a BOM for
/// Swedish Excel).
pub fn to_csv(statement: &Statement) -> String {
    let mut out = String::from("\u{feff}kommunkod;kommun");
    for pot in &statement.pots {
        out.push_str(&format!(";{}", pot.name));
    }
    out.push_str(";totalt\n");
    for m in &statement.municipalities {
        out.push_str(&format!("{};{}", m.code, cell(&m.name)));
        for pot in &statement.pots {
            out.push_str(&format!(";{}", statement.amount(pot, &m.code).unwrap_or(0)));
        }
        out.push_str(&format!(";{}\n", m.total));
    }
    out.push_str(";Länet");
    for pot in &statement.pots {
        out.push_str(&format!(";{}", pot.amount));
    }
    out.push_str(&format!(";{}\n", statement.paid));
    out
}

/// The payment basis (utbetalningsunderlag): what each municipality is paid, with the version it
/// comes from on every row.
pub fn payment_csv(statement: &Statement, version: &str) -> String {
    let mut out = String::from("\u{feff}ar;kommunkod;kommun;belopp_kr;underlag\n");
    for m in &statement.municipalities {
        out.push_str(&format!(
            "{};{};{};{};{}\n",
            statement.year,
            m.code,
            cell(&m.name),
            m.total,
            cell(version)
        ));
    }
    out
}

type Sheet<'a> = &'a mut rust_xlsxwriter::Worksheet;

fn error(e: rust_xlsxwriter::XlsxError) -> String {
    e.to_string()
}

fn headers(sheet: Sheet<'_>, headers: &[&str]) -> Result<(), String> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, header) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *header, &bold)
            .map_err(error)?;
    }
    Ok(())
}

/// The payment basis as a workbook with one sheet.
pub fn payment_xlsx(statement: &Statement, version: &str) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let money = Format::new().set_num_format("# ##0");
    let sheet = workbook
        .add_worksheet()
        .set_name("Utbetalningsunderlag")
        .map_err(error)?;
    headers(sheet, &["År", "Kommunkod", "Kommun", "Belopp (kr)"])?;
    for (i, m) in statement.municipalities.iter().enumerate() {
        let row = i as u32 + 1;
        sheet
            .write_number(row, 0, f64::from(statement.year))
            .map_err(error)?;
        sheet.write_string(row, 1, &m.code).map_err(error)?;
        sheet.write_string(row, 2, &m.name).map_err(error)?;
        sheet
            .write_number_with_format(row, 3, m.total as f64, &money)
            .map_err(error)?;
    }
    let county = statement.municipalities.len() as u32 + 1;
    sheet.write_string(county, 2, "Länet").map_err(error)?;
    sheet
        .write_number_with_format(county, 3, statement.paid as f64, &money)
        .map_err(error)?;
    sheet
        .write_string(county + 2, 0, format!("Underlag: {version}"))
        .map_err(error)?;
    workbook.save_to_buffer().map_err(error)
}

/// The calculation as an Excel workbook: one sheet per table — amounts per municipality and pot,
/// the basis of every amount with its explanation, the distance rule, and the sources.
pub fn to_xlsx(statement: &Statement) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0");
    let sheet = workbook
        .add_worksheet()
        .set_name("Per kommun")
        .map_err(error)?;
    let mut titles = vec!["Kommunkod", "Kommun"];
    titles.extend(statement.pots.iter().map(|p| p.label.as_str()));
    titles.push("Totalt");
    headers(sheet, &titles)?;
    let last = statement.pots.len() as u16 + 2;
    for (i, m) in statement.municipalities.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &m.code).map_err(error)?;
        sheet.write_string(row, 1, &m.name).map_err(error)?;
        for (p, pot) in statement.pots.iter().enumerate() {
            let amount = statement.amount(pot, &m.code).unwrap_or(0);
            sheet
                .write_number_with_format(row, p as u16 + 2, amount as f64, &money)
                .map_err(error)?;
        }
        sheet
            .write_number_with_format(row, last, m.total as f64, &money)
            .map_err(error)?;
    }
    let county = statement.municipalities.len() as u32 + 1;
    sheet
        .write_string_with_format(county, 1, "Länet", &bold)
        .map_err(error)?;
    for (p, pot) in statement.pots.iter().enumerate() {
        sheet
            .write_number_with_format(county, p as u16 + 2, pot.amount as f64, &money)
            .map_err(error)?;
    }
    sheet
        .write_number_with_format(county, last, statement.paid as f64, &money)
        .map_err(error)?;
    sheet
        .write_string(
            county + 2,
            0,
            format!(
                "Tilläggsbelopp {}, regler {}. Totalt (ur oavrundade potter) {} kr; avrundningsrest {} kr.",
                statement.year, statement.rules, statement.total, statement.rounding_residue
            ),
        )
        .map_err(error)?;

    let basis = workbook
        .add_worksheet()
        .set_name("Underlag")
        .map_err(error)?;
    headers(
        basis,
        &[
            "Pott",
            "Kommunkod",
            "Kommun",
            "Nyckel",
            "Nyckelns källa",
            "Exakt belopp",
            "Belopp",
            "Avrundning",
            "Förklaring",
        ],
    )?;
    let mut row = 1u32;
    for pot in &statement.pots {
        for a in &pot.allocations {
            basis.write_string(row, 0, &pot.name).map_err(error)?;
            basis.write_string(row, 1, &a.code).map_err(error)?;
            basis.write_string(row, 2, &a.name).map_err(error)?;
            basis.write_number(row, 3, a.key as f64).map_err(error)?;
            basis.write_string(row, 4, &pot.key_source).map_err(error)?;
            basis.write_string(row, 5, &a.exact).map_err(error)?;
            basis
                .write_number_with_format(row, 6, a.amount as f64, &money)
                .map_err(error)?;
            basis.write_string(row, 7, &a.rounding).map_err(error)?;
            basis.write_string(row, 8, &a.explanation).map_err(error)?;
            row += 1;
        }
    }

    let distance = workbook
        .add_worksheet()
        .set_name("Avstånd")
        .map_err(error)?;
    headers(
        distance,
        &[
            "Kommunkod",
            "Centralort",
            "Närmaste sjukhus",
            "Km",
            "Ingår",
            "Beslut om undantag",
        ],
    )?;
    for (i, e) in statement.distance.iter().enumerate() {
        let row = i as u32 + 1;
        distance.write_string(row, 0, &e.code).map_err(error)?;
        distance.write_string(row, 1, &e.town).map_err(error)?;
        distance
            .write_string(row, 2, &e.nearest_hospital)
            .map_err(error)?;
        distance
            .write_string(
                row,
                3,
                e.km.as_deref().unwrap_or_default().replace('.', ","),
            )
            .map_err(error)?;
        distance
            .write_string(row, 4, if e.eligible { "Ja" } else { "Nej" })
            .map_err(error)?;
        distance
            .write_string(row, 5, e.override_reason.as_deref().unwrap_or_default())
            .map_err(error)?;
    }

    let sources = workbook.add_worksheet().set_name("Källor").map_err(error)?;
    headers(sources, &["Källa"])?;
    let lines = statement
        .sources
        .iter()
        .cloned()
        .chain(
            statement
                .pots
                .iter()
                .map(|p| format!("{}: {} ({})", p.label, p.amount_source, p.key_source)),
        )
        .chain(std::iter::once(format!("Regelverk {}", statement.rules)));
    for (i, line) in lines.enumerate() {
        sources.write_string(i as u32 + 1, 0, line).map_err(error)?;
    }
    workbook.save_to_buffer().map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn shipped(rules: &RuleSet, year: i16) -> Calculation {
        let basis = basis(rules, year, &InputData::shipped(rules));
        calculate(&basis.rules, year, &basis.inputs).unwrap()
    }

    fn shipped_statement(rules: &RuleSet, year: i16) -> Statement {
        statement(rules, year, &InputData::shipped(rules)).unwrap()
    }

    fn rules() -> RuleSet {
        samsyn_testkit::shipped_rules()
    }

    #[test]
    fn the_2026_json_has_the_documented_keys_and_the_published_total() {
        let rules = rules();
        let statement = shipped_statement(&rules, 2026);
        let json: Value = serde_json::from_str(&statement.to_json()).unwrap();
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
            statement.to_json(),
            shipped_statement(&rules, 2026).to_json(),
            "same inputs, same bytes"
        );
        assert_eq!(Statement::from_json(&statement.to_json()), Ok(statement));
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
            text.contains("Regelverk Örebro 2025, version 1; avrundning "),
            "{text}"
        );
    }

    #[test]
    fn the_workbook_has_a_sheet_per_table_and_sums_to_the_pots() {
        use calamine::{Data, Reader, Xlsx};
        let rules = rules();
        let bytes = to_xlsx(&shipped_statement(&rules, 2026)).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Per kommun", "Underlag", "Avstånd", "Källor"]
        );
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
        let csv = to_csv(&shipped_statement(&rules, 2025));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 14);
        let total = |l: &str| l.rsplit(';').next().unwrap().parse::<i64>().unwrap();
        let sum: i64 = lines[1..13].iter().map(|l| total(l)).sum();
        assert_eq!(sum, total(lines[13]));
        assert_eq!(total(lines[13]), 21_626_276);
    }

    #[test]
    fn the_payment_basis_names_its_version_and_sums_to_the_paid_amount() {
        let statement = shipped_statement(&rules(), 2026);
        let csv = payment_csv(&statement, "version 1, beslutat");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 13);
        assert!(lines[1].ends_with(";version 1, beslutat"), "{}", lines[1]);
        let sum: i64 = lines[1..]
            .iter()
            .map(|l| l.split(';').nth(3).unwrap().parse::<i64>().unwrap())
            .sum();
        assert_eq!(sum, 25_115_096);
        let bytes = payment_xlsx(&statement, "version 1").unwrap();
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Utbetalningsunderlag").unwrap();
        assert_eq!(sheet.get((13, 3)), Some(&Data::Float(25_115_096.0)));
    }

    #[test]
    fn a_municipality_without_population_is_named_instead_of_left_out() {
        let rules = rules();
        let mut data = InputData::shipped(&rules);
        data.population
            .0
            .retain(|r| !(r.municipality.as_str() == "1885" && r.year == 2023));
        let s = statement(&rules, 2026, &data).unwrap();
        assert!(
            s.sources[0].contains("31 december 2022"),
            "one reference date for all: the latest year every municipality has ({})",
            s.sources[0]
        );
        data.population
            .0
            .retain(|r| r.municipality.as_str() != "1885");
        let error = statement(&rules, 2026, &data).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("saknar invånare 65+ i Lindesberg"),
            "{error}"
        );
    }

    #[test]
    fn a_decision_in_force_is_indexed_the_year_after_and_does_not_fix_its_own_year() {
        let rules = rules();
        let mut data = InputData::shipped(&rules);
        data.growth.insert(
            2027,
            Growth {
                factor: "1.02".parse().unwrap(),
                source: "Test".into(),
            },
        );
        data.pot_decisions.push(EnteredPot {
            year: 2026,
            pot: "avancerad".into(),
            decided: DecidedPot {
                amount: Decimal::from(6_000_000),
                source: "Beslutat i version 1 av tilläggsbeloppet 2026".into(),
            },
            from_version: true,
        });
        assert_eq!(
            statement(&rules, 2027, &data).unwrap().pots[2].amount,
            6_120_000
        );
        assert_eq!(
            statement(&rules, 2026, &data).unwrap().pots[2].amount,
            5_490_258,
            "a correction of 2026 computes 2026 from the rules, not from its own decision"
        );
    }

    #[test]
    fn a_road_table_decides_the_distance_pot_when_the_rules_measure_by_road() {
        let mut rules = rules();
        rules.additional_amount.distance_measure = DistanceMeasure::Road;
        let mut data = InputData::shipped(&rules);
        let without = statement(&rules, 2026, &data).unwrap_err();
        assert!(without.to_string().contains("avstand"), "{without}");
        data.road_table = samsyn_domain::additional_amount::inputs::parse_road_table(
            "vag.csv",
            "kommunkod;sjukhus;km\n1882;USÖ;49.5\n1860;Karlskoga lasarett;40\n1863;Lindesbergs lasarett;33\n",
        )
        .unwrap();
        data.road_source = Some("vagavstand v1 (vag.csv)".into());
        let s = statement(&rules, 2026, &data).unwrap();
        let distance: Vec<&str> = s.pots[1]
            .allocations
            .iter()
            .map(|a| a.code.as_str())
            .collect();
        assert_eq!(distance, ["1860", "1882"], "Hällefors is 33 km by road");
        assert_eq!(
            s.pots[1].allocations.iter().map(|a| a.amount).sum::<i64>(),
            895_195
        );
        assert!(
            s.sources[1].starts_with("Vägavstånd: vagavstand v1"),
            "{}",
            s.sources[1]
        );
    }

    #[test]
    fn imported_growth_and_entered_decisions_win_and_are_named() {
        let rules = rules();
        let mut data = InputData::shipped(&rules);
        data.growth.insert(
            2027,
            Growth {
                factor: "1.05".parse().unwrap(),
                source: "Test".into(),
            },
        );
        data.growth_source = Some("utveckling v1 (u.csv)".into());
        data.pot_decisions.push(EnteredPot {
            year: 2027,
            pot: "avancerad".into(),
            decided: DecidedPot {
                amount: Decimal::from(6_000_000),
                source: "Beslut inmatat av Eva".into(),
            },
            from_version: false,
        });
        let s = statement(&rules, 2027, &data).unwrap();
        assert_eq!(
            s.pots[0].amount, 19_666_125,
            "18 729 643 (unrounded) × 1.05"
        );
        assert_eq!(s.pots[2].amount, 6_000_000);
        assert_eq!(s.pots[2].amount_source, "Beslut inmatat av Eva");
        assert!(s.sources.iter().any(|l| l.contains("utveckling v1")));
        assert!(
            s.sources[0].contains("(regeln säger 2025, som ännu saknas i underlaget)"),
            "{}",
            s.sources[0]
        );
    }
}
