//! Tilläggsbelopp: the year's calculation per pot and municipality, with where every krona comes
//! from, the year's versions in the decision cycle, and the exports. Aggregated public figures:
//! no patient data, no access-log entries.

use super::additional_amount_versions::VersionLine;
use super::{Layout, XLSX, download, forbidden, message_page, render};
use crate::AppState;
use crate::additional_amount_cycle::CycleError;
use crate::additional_amount_data::input_data;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use samsyn_domain::Sek;
use samsyn_domain::additional_amount::decision::in_force;
use samsyn_reports::additional_amount::{Statement, to_csv, to_xlsx};
use samsyn_store::additional_amount as store;
use serde::Deserialize;

pub(super) const WHO_MAY_VIEW: &str = "Tilläggsbeloppet och utvecklingsbudgeten visas för ekonomer, enhetschefer, samordnare och administratörer.";

pub(super) const WHO_MAY_DECIDE: &str = "Utkast, beslut, rättelser, indata och utvecklingsbudgetens beslut förs in av ekonomer och administratörer.";

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    pub(super) ar: String,
}

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
    pub distance: Vec<DistanceRow>,
    pub threshold: String,
    pub sources: Vec<String>,
    /// The explanations open, as on the printed decision document.
    pub expanded: bool,
}

pub(super) fn kronor(amount: Decimal) -> String {
    Sek::new(amount).to_string()
}

pub(super) fn whole_kronor(amount: i64) -> String {
    kronor(Decimal::from(amount))
}

fn comma(text: &str) -> String {
    text.replace('.', ",")
}

impl StatementView {
    pub fn new(s: &Statement) -> StatementView {
        StatementView {
            year: s.year,
            rules: s.rules.clone(),
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
                .map(|d| DistanceRow {
                    town: d.town.clone(),
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

#[derive(Template)]
#[template(path = "additional_amount.html")]
struct AdditionalAmountPage {
    layout: Layout,
    year: i16,
    years: Vec<i16>,
    view: StatementView,
    versions: Vec<VersionLine>,
    may_decide: bool,
    may_start: bool,
}

/// The years that can be computed: the base year and each year with a growth figure or a
/// decision, in the rule set or entered since.
pub(super) async fn years(state: &AppState) -> Vec<i16> {
    let rules = &state.rules.additional_amount;
    let data = state.db(input_data).await.ok();
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
pub(super) async fn year_of(state: &AppState, text: &str) -> i16 {
    match text.parse::<i16>() {
        Ok(year) if crate::additional_amount_cycle::PLAUSIBLE_YEARS.contains(&year) => year,
        _ => years(state)
            .await
            .last()
            .copied()
            .unwrap_or(state.rules.additional_amount.base_year),
    }
}

/// Why a calculation is missing, in words for the page.
pub(super) fn reason(error: CycleError) -> String {
    match error {
        CycleError::Calculation(text) => capitalised(&text),
        CycleError::Store(error) => error.to_string(),
    }
}

/// The year's calculation from the current inputs, or why there is none.
pub(super) async fn current(state: &AppState, year: i16) -> Result<Statement, String> {
    crate::additional_amount_cycle::current(state, year)
        .await
        .map_err(reason)
}

pub(super) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    if !user.user.role.sees_economy() {
        return forbidden(&state, &user, WHO_MAY_VIEW);
    }
    let year = year_of(&state, &query.ar).await;
    let statement = match current(&state, year).await {
        Ok(s) => s,
        Err(error) => {
            return message_page(
                &state,
                Some(&user),
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Tilläggsbelopp {year} kan inte beräknas"),
                &format!("{error}."),
            );
        }
    };
    let versions = state
        .db(move |c| store::versions_of(c, year))
        .await
        .unwrap_or_default();
    let states: Vec<_> = versions.iter().map(|v| v.state()).collect();
    let may_start = samsyn_domain::additional_amount::decision::first_draft(&states).is_ok();
    let force = in_force(&states);
    let layout = Layout::new(&state, &format!("Tilläggsbelopp {year}"), Some(&user)).await;
    render(
        StatusCode::OK,
        &AdditionalAmountPage {
            layout,
            year,
            years: years(&state).await,
            view: StatementView::new(&statement),
            versions: versions
                .iter()
                .map(|v| VersionLine::new(v, force))
                .collect(),
            may_decide: user.user.role.records_economic_decisions(),
            may_start,
        },
    )
}

pub async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    if !user.user.role.sees_economy() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let year = year_of(&state, &query.ar).await;
    match current(&state, year).await {
        Ok(s) => download(
            "text/csv; charset=utf-8",
            &format!("tillaggsbelopp-{year}.csv"),
            to_csv(&s),
        ),
        Err(_) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    }
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    if !user.user.role.sees_economy() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let year = year_of(&state, &query.ar).await;
    match current(&state, year).await.map(|s| to_xlsx(&s)) {
        Ok(Ok(bytes)) => download(XLSX, &format!("tillaggsbelopp-{year}.xlsx"), bytes),
        _ => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    }
}
