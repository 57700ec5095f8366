//! `/uppfoljning/indikatorer`: the indicators of a year, per municipality and for the county, each
//! with how it is computed and a month-by-month chart. Staff who work with cases (enhetschef,
//! samordnare) also get links to their own unit's cases behind each figure; no one sees a person
//! here.

use super::report::as_of;
use super::report::indicators;
use super::report_page::final_report;
use super::{YearQuery, year_of};
use crate::AppState;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::Role;
use samsyn_reports::chart;
use samsyn_reports::follow_up::figure;
use samsyn_store::follow_up::case_facts::case_ids_of_unit;
use samsyn_store::follow_up::plan;
use std::collections::HashSet;

/// One indicator as the page shows it.
pub struct IndicatorView {
    pub id: String,
    pub label: String,
    pub unit: &'static str,
    pub definition: String,
    pub county: String,
    pub by_party: Vec<String>,
    pub observations: usize,
    pub chart: String,
    /// The user's own unit's cases behind the figure.
    pub own_cases: Vec<String>,
}

#[derive(Template)]
#[template(path = "follow_up/indicators.html")]
struct IndicatorsPage {
    layout: Layout,
    year: i16,
    as_of: String,
    rules: String,
    municipalities: Vec<String>,
    indicators: Vec<IndicatorView>,
    sees_sample_check: bool,
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let today = state.today();
    let rules = state.rules.clone();
    let unit = user.unit.id.clone();
    let works_with_cases = matches!(user.user.role, Role::UnitManager | Role::Coordinator);
    let loaded = state
        .db(move |conn| {
            let own: HashSet<String> = if works_with_cases {
                case_ids_of_unit(conn, &unit)?
            } else {
                HashSet::new()
            };
            // A final year shows the final report's figures; otherwise only the indicators are
            // computed, not the whole report.
            let record = plan::year(conn, year)?;
            let list = match final_report(record.as_ref())? {
                Some(report) => report.indicators,
                None => indicators(conn, &rules, year, today)?,
            };
            Ok((list, own))
        })
        .await;
    let (list, own) = match loaded {
        Ok(found) => found,
        Err(error) => return super::failed(&state, &user, error),
    };
    let views = list
        .iter()
        .map(|i| {
            let rows: Vec<(String, Vec<f64>)> = MONTHS
                .iter()
                .zip(&i.monthly)
                .map(|(month, value)| ((*month).to_owned(), vec![value.unwrap_or(0.0)]))
                .collect();
            IndicatorView {
                chart: chart::bars(
                    &format!("trend-{}", i.id),
                    &format!("{} per månad {year}", i.label),
                    &format!(
                        "Stapeldiagram med ett värde per månad i {}; tabellen ovan har samma siffror per kommun. Månader utan underlag visas som 0.",
                        i.measure.unit()
                    ),
                    &[i.label.as_str()],
                    i.measure.unit(),
                    &rows,
                ),
                id: i.id.clone(),
                label: i.label.clone(),
                unit: i.measure.unit(),
                definition: i.definition.clone(),
                county: figure(i.measure, i.county),
                by_party: state
                    .rules
                    .municipalities
                    .iter()
                    .map(|m| figure(i.measure, i.by_party.get(m.code.as_str()).copied().flatten()))
                    .collect(),
                observations: i.observations,
                own_cases: i.cases.iter().filter(|c| own.contains(*c)).cloned().collect(),
            }
        })
        .collect();
    render(
        StatusCode::OK,
        &IndicatorsPage {
            layout: Layout::new(&state, &format!("Indikatorer {year}"), Some(&user)).await,
            year,
            as_of: as_of(year, today).to_string(),
            rules: state.rules.display_name(),
            municipalities: state
                .rules
                .municipalities
                .iter()
                .map(|m| m.name.clone())
                .collect(),
            indicators: views,
            sees_sample_check: user.user.role == Role::HealthChoice,
        },
    )
}
