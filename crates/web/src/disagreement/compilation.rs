//! The yearly compilation and analysis of disagreements (`/oenighet/sammanstallning`): the page
//! for the county group, managers and coordinators, its CSV, Excel and PDF, and the builder the
//! command line's `samsyn report disagreements` shares. A year holds every oenighet open at some
//! time in it. No person is named.

use crate::AppState;
use crate::shared::layout::{Layout, XLSX, download, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use samsyn_domain::RuleSet;
use samsyn_reports::disagreement::{Compilation, CompiledCase};
use samsyn_reports::table::Table;
use samsyn_store::disagreement::record;
use samsyn_store::{DbConnection, StoreError};
use serde::Deserialize;

/// The compilation of `year`, as of `today`.
pub fn compile(
    conn: &mut DbConnection,
    rules: &RuleSet,
    year: i16,
    today: Date,
) -> Result<Compilation, StoreError> {
    let zone = TimeZone::get(&rules.time_zone).unwrap_or(TimeZone::UTC);
    let (first, last) = (date(year, 1, 1), date(year, 12, 31));
    let mut cases = Vec::new();
    for stored in record::all(conn)? {
        let Some(ladder) = &stored.ladder else {
            continue;
        };
        let resolved = stored
            .resolved_at
            .map(|at| at.to_zoned(zone.clone()).date());
        let opened = ladder.rungs().first().map_or(first, |r| r.raised_on);
        if opened > last || resolved.is_some_and(|r| r < first) {
            continue;
        }
        let facts = record::case_facts(conn, &stored.case_id)?;
        let proposal = stored
            .county
            .as_ref()
            .map(|c| c.proposal.clone())
            .filter(|p| !p.is_empty());
        cases.push(CompiledCase::of(
            &stored.id,
            ladder,
            [
                rules.party_name(facts.sender_party),
                rules.party_name(facts.receiver_party),
            ],
            &facts.track,
            resolved,
            proposal,
            today.min(last),
        ));
    }
    Ok(Compilation {
        year,
        rules: rules.display_name(),
        ladder: rules.disagreement.clone(),
        citation: rules.citations.disagreement.clone(),
        cases,
    })
}

#[derive(Template)]
#[template(path = "disagreement/compilation.html")]
struct CompilationPage {
    layout: Layout,
    year: i16,
    total: usize,
    resolved: usize,
    median: String,
    rules: String,
    tables: Vec<Table>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    ar: String,
}

impl YearQuery {
    pub fn year(&self) -> &str {
        &self.ar
    }
}

pub(crate) fn year_of(state: &AppState, text: &str) -> i16 {
    text.trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2200).contains(y))
        .unwrap_or_else(|| state.today().year())
}

async fn load(state: &AppState, year: i16) -> Result<Compilation, StoreError> {
    let rules = state.rules.clone();
    let today = state.today();
    state
        .db(move |conn| compile(conn, &rules, year, today))
        .await
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let compilation = match load(&state, year).await {
        Ok(c) => c,
        Err(error) => return workflow_error_page(&state, &user, error.into()),
    };
    render(
        StatusCode::OK,
        &CompilationPage {
            layout: Layout::new(&state, &format!("Oenighet {year}"), Some(&user)).await,
            year,
            total: compilation.cases.len(),
            resolved: compilation.resolved(),
            median: samsyn_reports::table::days(compilation.median_days_to_resolution()),
            rules: compilation.rules.clone(),
            tables: compilation.tables(),
        },
    )
}

pub async fn export(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(format): Path<String>,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let Ok(compilation) = load(&state, year).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let name = format!("oenighet-{year}");
    match format.as_str() {
        "csv" => download(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            compilation.to_csv(),
        ),
        "xlsx" => match compilation.to_xlsx() {
            Ok(bytes) => download(XLSX, &format!("{name}.xlsx"), bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        "pdf" => download(
            "application/pdf",
            &format!("{name}.pdf"),
            compilation.to_pdf(),
        ),
        "json" => axum::Json(compilation.to_json()).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
