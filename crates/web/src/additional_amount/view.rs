//! What the tilläggsbelopp pages share: a statement and a version as shown, the years that can
//! be computed, and why a calculation is missing.

use crate::AppState;
use crate::additional_amount::cycle::CycleError;
use crate::additional_amount::data::input_data;
use crate::case::views::local_time;
use crate::shared::figures::{kronor, whole_kronor};
use crate::shared::words::capitalised;
use rust_decimal::Decimal;
use samsyn_domain::additional_amount::decision::VersionState;
use samsyn_reports::additional_amount::Statement;
use samsyn_store::additional_amount::VersionSummary;

pub struct PotRow {
    pub label: String,
    pub amount: String,
    pub unrounded: String,
    pub key: String,
    pub source: String,
}

pub struct MunicipalityRow {
    pub name: String,
    pub amounts: Vec<String>,
    pub total: String,
    pub explanations: Vec<String>,
}

pub struct DistanceRow {
    pub town: String,
    pub hospital: String,
    pub km: String,
    pub eligible: bool,
    pub reason: String,
}

/// A statement as the pages show it (`_statement.html`).
pub struct StatementView {
    pub year: i16,
    pub rules: String,
    pub pot_labels: Vec<String>,
    pub pots: Vec<PotRow>,
    pub rows: Vec<MunicipalityRow>,
    pub county: Vec<String>,
    pub paid: String,
    pub total: String,
    pub residue: String,
    /// Empty when no pot is shared by distance.
    pub distance: Vec<DistanceRow>,
    pub threshold: String,
    pub sources: Vec<String>,
    /// The explanations open, as on the printed decision document.
    pub expanded: bool,
}

fn comma(text: &str) -> String {
    text.replace('.', ",")
}

impl StatementView {
    pub fn new(state: &AppState, s: &Statement) -> StatementView {
        StatementView {
            year: s.year,
            rules: state.rules.display_for(&s.rules),
            pot_labels: s.pots.iter().map(|p| p.label.clone()).collect(),
            pots: s
                .pots
                .iter()
                .map(|p| PotRow {
                    label: p.label.clone(),
                    amount: whole_kronor(p.amount),
                    unrounded: p
                        .unrounded
                        .parse::<Decimal>()
                        .map_or_else(|_| p.unrounded.clone(), |d| kronor(d.round_dp(2))),
                    key: p.key_source.clone(),
                    source: p.amount_source.clone(),
                })
                .collect(),
            rows: s
                .municipalities
                .iter()
                .map(|m| MunicipalityRow {
                    name: m.name.clone(),
                    amounts: s
                        .pots
                        .iter()
                        .map(|p| s.amount(p, &m.code).map_or("–".to_owned(), whole_kronor))
                        .collect(),
                    total: whole_kronor(m.total),
                    explanations: s
                        .pots
                        .iter()
                        .flat_map(|p| &p.allocations)
                        .filter(|a| a.code == m.code)
                        .map(|a| a.explanation.clone())
                        .collect(),
                })
                .collect(),
            county: s.pots.iter().map(|p| whole_kronor(p.amount)).collect(),
            paid: whole_kronor(s.paid),
            total: whole_kronor(s.total),
            residue: whole_kronor(s.rounding_residue),
            distance: s
                .distance
                .iter()
                .filter(|_| state.rules.additional_amount.has_distance_pot())
                .map(|d| DistanceRow {
                    town: municipality_and_town(&state.rules, &d.code, &d.town),
                    hospital: d.nearest_hospital.clone(),
                    km: d.km.as_deref().map_or("–".to_owned(), comma),
                    eligible: d.eligible,
                    reason: d.override_reason.clone().unwrap_or_default(),
                })
                .collect(),
            threshold: comma(&s.threshold_km),
            sources: s.sources.clone(),
            expanded: false,
        }
    }

    pub fn expanded(self) -> StatementView {
        StatementView {
            expanded: true,
            ..self
        }
    }
}

/// The years that can be computed: the base year and each year with a growth figure or a
/// decision, in the rule set or entered since.
pub(crate) async fn years(state: &AppState) -> Vec<i16> {
    let rules = &state.rules.additional_amount;
    let data = state
        .db({
            let rules = state.rules.clone();
            move |c| input_data(c, &rules)
        })
        .await
        .ok();
    let mut years: Vec<i16> = std::iter::once(rules.base_year)
        .chain(rules.growth.keys().copied())
        .chain(rules.decided.keys().copied())
        .chain(data.iter().flat_map(|d| d.growth.keys().copied()))
        .chain(
            data.iter()
                .flat_map(|d| d.pot_decisions.iter().map(|p| p.year)),
        )
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The year asked for, when it is a plausible payment year; else the newest computable one.
pub(crate) async fn year_of(state: &AppState, text: &str) -> i16 {
    match text.parse::<i16>() {
        Ok(year) if crate::additional_amount::cycle::PLAUSIBLE_YEARS.contains(&year) => year,
        _ => years(state)
            .await
            .last()
            .copied()
            .unwrap_or(state.rules.additional_amount.base_year),
    }
}

/// Why a calculation is missing, in words for the page.
pub(crate) fn reason(error: CycleError) -> String {
    match error {
        CycleError::Calculation(text) => capitalised(&text),
        CycleError::Store(error) => error.to_string(),
    }
}

/// The year's calculation from the current inputs, or why there is none.
pub(crate) async fn current(state: &AppState, year: i16) -> Result<Statement, String> {
    crate::additional_amount::cycle::current(state, year)
        .await
        .map_err(reason)
}

/// A version in a list.
pub struct VersionLine {
    pub id: String,
    pub version: i32,
    pub status: &'static str,
    pub created: String,
    pub reason: String,
    pub in_force: bool,
}

impl VersionLine {
    pub fn new(state: &AppState, v: &VersionSummary, force: Option<VersionState>) -> VersionLine {
        VersionLine {
            id: v.id.clone(),
            version: v.version,
            status: v.status.label(),
            created: format!("{} av {}", local_time(state, v.created_at), v.created_by),
            reason: v.reason.clone().unwrap_or_default(),
            in_force: force.is_some_and(|f| f.version == v.version),
        }
    }
}

/// "Lekeberg (Fjugesta)": the municipality a reader looks for, with the central town the
/// distance is measured from.
pub(crate) fn municipality_and_town(
    rules: &samsyn_domain::RuleSet,
    code: &str,
    town: &str,
) -> String {
    let municipality = samsyn_domain::MunicipalityCode::parse(code)
        .and_then(|c| rules.municipality(c))
        .map(|m| m.name.as_str());
    match municipality {
        Some(name) if name != town => format!("{name} ({town})"),
        Some(name) => name.to_owned(),
        None => town.to_owned(),
    }
}
