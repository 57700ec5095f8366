//! Tilläggsbelopp: the year's calculation per pot and municipality, with where every krona comes
//! from, and its exports. Aggregated public figures: no patient data, no access-log entries.

use super::measurement::may_view;
use super::{Layout, XLSX, download, forbidden, message_page, render};
use crate::AppState;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use samsyn_domain::Sek;
use samsyn_domain::additional_amount::PotAmount;
use samsyn_domain::additional_amount_year::{Calculation, CalculationError, calculate};
use samsyn_reports::additional_amount::{explanation, key_text, shipped_inputs, to_csv, to_xlsx};
use serde::Deserialize;

pub(super) const WHO_MAY_VIEW: &str =
    "Tilläggsbeloppet visas för ekonomer, enhetschefer, samordnare och administratörer.";

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    ar: String,
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

#[derive(Template)]
#[template(path = "additional_amount.html")]
struct AdditionalAmountPage {
    layout: Layout,
    year: i16,
    years: Vec<i16>,
    pot_labels: Vec<String>,
    pots: Vec<PotRow>,
    rows: Vec<MunicipalityRow>,
    county: Vec<String>,
    paid: String,
    total: String,
    residue: String,
    distance: Vec<DistanceRow>,
    threshold: String,
    rules: String,
}

/// The years the rule set can compute: the base year and each year with a growth figure or a
/// decision after it.
pub(super) fn years(state: &AppState) -> Vec<i16> {
    let rules = &state.rules.additional_amount;
    let mut years: Vec<i16> = std::iter::once(rules.base_year)
        .chain(rules.growth.keys().copied())
        .chain(rules.decided.keys().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

fn year_of(state: &AppState, query: &YearQuery) -> i16 {
    query
        .ar
        .parse()
        .ok()
        .or_else(|| years(state).last().copied())
        .unwrap_or(state.rules.additional_amount.base_year)
}

pub(super) fn compute(state: &AppState, year: i16) -> Result<Calculation, CalculationError> {
    calculate(
        &state.rules.additional_amount,
        year,
        &shipped_inputs(&state.rules, year),
    )
}

pub(super) fn kronor(amount: Decimal) -> String {
    Sek::new(amount).to_string()
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    if !may_view(user.user.role) {
        return forbidden(&state, &user, WHO_MAY_VIEW);
    }
    let year = year_of(&state, &query);
    let calculation = match compute(&state, year) {
        Ok(c) => c,
        Err(error) => {
            return message_page(
                &state,
                Some(&user),
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Tilläggsbelopp {year} kan inte beräknas"),
                &format!("{}.", capitalised(&error.to_string())),
            );
        }
    };
    let rules = &state.rules;
    let result = &calculation.result;
    let pots = result
        .pots
        .iter()
        .enumerate()
        .map(|(i, pot)| {
            let rule = rules
                .additional_amount
                .pots
                .iter()
                .find(|p| p.name == pot.name);
            let source = match &pot.source {
                PotAmount::Indexed { previous, growth } => format!(
                    "{} × {} (skatteunderlagets utveckling: {})",
                    kronor(previous.round_dp(2)),
                    growth,
                    rules
                        .additional_amount
                        .growth
                        .get(&year)
                        .map_or("", |g| g.source.as_str())
                ),
                PotAmount::Decided { .. } => rules
                    .additional_amount
                    .decided
                    .get(&year)
                    .and_then(|d| d.get(&pot.name))
                    .map_or_else(
                        || format!("Grundbelopp {}", rules.additional_amount.base_year),
                        |d| d.source.clone(),
                    ),
            };
            PotRow {
                label: rule.map_or(pot.name.clone(), |r| r.label.clone()),
                amount: kronor(pot.amount),
                unrounded: kronor(pot.unrounded.round_dp(2)),
                key: key_text(&calculation.keys[i]),
                source,
            }
        })
        .collect::<Vec<_>>();
    let rows = rules
        .municipalities
        .iter()
        .map(|m| {
            let mut explanations = Vec::new();
            let amounts = result
                .pots
                .iter()
                .enumerate()
                .map(
                    |(i, pot)| match pot.shares.iter().find(|s| s.municipality == m.code) {
                        Some(share) => {
                            explanations.push(explanation(rules, &calculation, i, share));
                            kronor(share.amount)
                        }
                        None => "–".to_owned(),
                    },
                )
                .collect();
            MunicipalityRow {
                name: m.name.clone(),
                amounts,
                total: kronor(result.municipality_total(m.code)),
                explanations,
            }
        })
        .collect();
    let distance = calculation
        .distance
        .iter()
        .map(|e| DistanceRow {
            town: e.town.clone(),
            hospital: e.nearest_hospital.clone(),
            km: e
                .km
                .map_or("–".to_owned(), |k| k.to_string().replace('.', ",")),
            eligible: e.eligible(),
            reason: e
                .overridden
                .as_ref()
                .map(|o| o.reason.clone())
                .unwrap_or_default(),
        })
        .collect();
    let layout = Layout::new(&state, &format!("Tilläggsbelopp {year}"), Some(&user)).await;
    render(
        StatusCode::OK,
        &AdditionalAmountPage {
            layout,
            year,
            years: years(&state),
            pot_labels: pots.iter().map(|p| p.label.clone()).collect(),
            county: result.pots.iter().map(|p| kronor(p.amount)).collect(),
            pots,
            rows,
            paid: kronor(result.paid()),
            total: kronor(result.total()),
            residue: kronor(result.residue()),
            distance,
            threshold: rules
                .additional_amount
                .distance_threshold_km
                .to_string()
                .replace('.', ","),
            rules: rules.reference(),
        },
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    if !may_view(user.user.role) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let year = year_of(&state, &query);
    match compute(&state, year) {
        Ok(c) => download(
            "text/csv; charset=utf-8",
            &format!("tillaggsbelopp-{year}.csv"),
            to_csv(&state.rules, &c),
        ),
        Err(_) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    }
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    if !may_view(user.user.role) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let year = year_of(&state, &query);
    match compute(&state, year).map(|c| to_xlsx(&state.rules, &c)) {
        Ok(Ok(bytes)) => download(XLSX, &format!("tillaggsbelopp-{year}.xlsx"), bytes),
        _ => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    }
}
