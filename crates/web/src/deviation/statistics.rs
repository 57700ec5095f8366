//! The year's deviations in figures (`/avvikelser/arsstatistik`): per kind, status and party,
//! the median days to an answer and those Samsyn found itself; its CSV, Excel, PDF and JSON, and
//! the builder `samsyn report deviations` shares. No description and no person is shown.

use crate::AppState;
use crate::disagreement::compilation::year_of;
use crate::shared::layout::{Layout, XLSX, download, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::date;
use jiff::tz::TimeZone;
use samsyn_domain::RuleSet;
use samsyn_reports::deviation::{CountedDeviation, Statistics};
use samsyn_reports::table::Table;
use samsyn_store::deviation;
use samsyn_store::{DbConnection, StoreError};

/// The deviations reported (or proposed) in `year`, in the rule set's time zone.
pub fn statistics(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
) -> Result<Statistics, StoreError> {
    let zone = TimeZone::get(&rules.time_zone).unwrap_or(TimeZone::UTC);
    let bound = |y: i16| {
        date(y, 1, 1)
            .to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    };
    let found = deviation::reported_between(conn, bound(year)?, bound(year + 1)?)?;
    Ok(Statistics {
        year,
        rules: rules.display_name(),
        citation: rules.citations.deviation.clone(),
        deviations: found
            .into_iter()
            .map(|d| CountedDeviation {
                reported: d.reported_at.to_zoned(zone.clone()).date(),
                answered: d.answered_at.map(|at| at.to_zoned(zone.clone()).date()),
                from_party: rules.party_name(d.reporting_party),
                to_party: rules.party_name(d.addressed_party),
                status: d.status.code().to_owned(),
                id: d.id,
                kind: d.kind,
                detected: d.detected,
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "deviation/statistics.html")]
struct StatisticsPage {
    layout: Layout,
    year: i16,
    total: usize,
    detected: usize,
    median: String,
    rules: String,
    tables: Vec<Table>,
}

async fn load(state: &AppState, year: i16) -> Result<Statistics, StoreError> {
    let rules = state.rules.clone();
    state.db(move |conn| statistics(conn, &rules, year)).await
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<crate::disagreement::compilation::YearQuery>,
) -> Response {
    let year = year_of(&state, query.year());
    let stats = match load(&state, year).await {
        Ok(s) => s,
        Err(error) => return workflow_error_page(&state, &user, error.into()),
    };
    render(
        StatusCode::OK,
        &StatisticsPage {
            layout: Layout::new(&state, &format!("Avvikelser {year}"), Some(&user)).await,
            year,
            total: stats.deviations.len(),
            detected: stats.deviations.iter().filter(|d| d.detected).count(),
            median: samsyn_reports::table::days(stats.median_days_to_answer()),
            rules: stats.rules.clone(),
            tables: stats.tables(),
        },
    )
}

pub async fn export(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(format): Path<String>,
    Query(query): Query<crate::disagreement::compilation::YearQuery>,
) -> Response {
    let year = year_of(&state, query.year());
    let Ok(stats) = load(&state, year).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let name = format!("avvikelser-{year}");
    match format.as_str() {
        "csv" => download(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            stats.to_csv(),
        ),
        "xlsx" => match stats.to_xlsx() {
            Ok(bytes) => download(XLSX, &format!("{name}.xlsx"), bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        "pdf" => download("application/pdf", &format!("{name}.pdf"), stats.to_pdf()),
        "json" => axum::Json(stats.to_json()).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
