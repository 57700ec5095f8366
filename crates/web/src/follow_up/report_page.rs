//! `/uppfoljning/rapport`: the year's report as a page, its PDF, Excel, CSV (the indicators) and
//! JSON; chefsgruppen writes the summary and proposals and makes it final. A final report is
//! stored as it stood and shown unchanged from then on, like a decided tilläggsbelopp.

use super::report::gather;
use super::{YearQuery, field, year_of};
use crate::AppState;
use crate::case::views::local_time;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, XLSX, download, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::{FieldError, Role};
use samsyn_reports::follow_up::FollowUpReport;
use samsyn_reports::table::{Table, to_csv};
use samsyn_store::follow_up::plan::{self, FollowUpYear};
use serde::Deserialize;

/// The report of `year` and the year's record: the stored one when final, else gathered now.
pub fn current(
    conn: &mut samsyn_store::DbConnection,
    rules: &samsyn_domain::RuleSet,
    year: i16,
    today: jiff::civil::Date,
) -> Result<(FollowUpReport, Option<FollowUpYear>), samsyn_store::StoreError> {
    let record = plan::year(conn, year)?;
    match final_report(record.as_ref())? {
        Some(stored) => Ok((stored, record)),
        None => Ok((gather(conn, rules, year, today)?, record)),
    }
}

/// The year's final report as stored, if the year is final. A final report that no longer reads
/// is an error, never a silent return to live figures.
pub fn final_report(
    record: Option<&FollowUpYear>,
) -> Result<Option<FollowUpReport>, samsyn_store::StoreError> {
    record
        .and_then(|r| r.final_report.as_deref())
        .map(|text| {
            FollowUpReport::from_stored(text)
                .ok_or_else(|| samsyn_store::StoreError::Corrupt("final follow-up report".into()))
        })
        .transpose()
}

#[derive(Template)]
#[template(path = "follow_up/report.html")]
struct ReportPage {
    layout: Layout,
    year: i16,
    notice: &'static str,
    errors: FieldErrors,
    report: FollowUpReport,
    tables: Vec<Table>,
    final_note: String,
    version: i64,
    may_edit: bool,
    summary: String,
    proposals: String,
    sees_sample_check: bool,
    /// The rule set the report was computed under, as pages name it.
    rules_label: String,
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: Option<(String, String)>,
) -> Response {
    let rules = state.rules.clone();
    let today = state.today();
    let (report, record) = match state
        .db(move |conn| current(conn, &rules, year, today))
        .await
    {
        Ok(found) => found,
        Err(error) => return super::failed(state, user, error),
    };
    let is_final = record.as_ref().is_some_and(FollowUpYear::is_final);
    let final_note = match record.as_ref() {
        Some(r) if r.is_final() => format!(
            "Slutlig rapport, fastställd av {}{}. Den visas som den var då och ändras inte.",
            r.finalised_by.clone().unwrap_or_default(),
            r.finalised_at
                .map(|at| format!(" {}", local_time(state, at)))
                .unwrap_or_default()
        ),
        _ => String::new(),
    };
    let (summary, proposals) = typed.unwrap_or((report.summary.clone(), report.proposals.clone()));
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &ReportPage {
            layout: Layout::new(state, &format!("Årsrapport {year}"), Some(user)).await,
            year,
            notice,
            errors,
            tables: report.tables(),
            final_note,
            version: record.as_ref().map_or(0, |r| r.version),
            may_edit: user.user.role == Role::ChiefsGroup && !is_final,
            summary,
            proposals,
            sees_sample_check: user.user.role == Role::HealthChoice,
            rules_label: state.rules.display_for(&report.rules),
            report,
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let notice = match query.klart.as_str() {
        "sparad" => "Sammanfattning och förslag är sparade.",
        "slutlig" => "Årsrapporten är slutlig. Den visas nu som den var när den fastställdes.",
        _ => "",
    };
    show(&state, &user, year, notice, Vec::new(), None).await
}

pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(format): Path<String>,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let rules = state.rules.clone();
    let today = state.today();
    let report = match state
        .db(move |conn| current(conn, &rules, year, today))
        .await
    {
        Ok((report, _)) => report,
        Err(error) => return super::failed(&state, &user, error),
    };
    let name = format!("uppfoljning-{year}");
    match format.as_str() {
        "pdf" => download("application/pdf", &format!("{name}.pdf"), report.to_pdf()),
        "xlsx" => match report.to_xlsx() {
            Ok(bytes) => download(XLSX, &format!("{name}.xlsx"), bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        "csv" => {
            let tables = report.tables();
            let indicators = tables.iter().find(|t| t.title == "Indikatorer");
            download(
                "text/csv; charset=utf-8",
                &format!("{name}-indikatorer.csv"),
                indicators.map(to_csv).unwrap_or_default(),
            )
        }
        "json" => axum::Json(report.to_json()).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    ar: String,
    #[serde(default)]
    version: String,
    /// "spara" or "fastst".
    #[serde(default)]
    action: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    proposals: String,
    /// The confirmation box for making the report final.
    #[serde(default)]
    confirm: String,
}

pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ReportForm>,
) -> Response {
    let year = year_of(&state, &form.ar);
    let typed = Some((form.summary.clone(), form.proposals.clone()));
    let mut errors = Vec::new();
    for (name, label, value) in [
        ("summary", "Sammanfattningen", &form.summary),
        ("proposals", "Förslagen", &form.proposals),
    ] {
        if let Some(problem) = samsyn_domain::text::problem(label, value.trim(), 8000, true) {
            errors.push(field(name, &problem));
        }
    }
    let finalising = match form.action.as_str() {
        "spara" => false,
        "fastst" => true,
        _ => {
            errors.push(field(
                "action",
                "Välj att spara eller att göra rapporten slutlig.",
            ));
            false
        }
    };
    if finalising {
        if form.summary.trim().is_empty() {
            errors.push(field(
                "summary",
                "Skriv chefsgruppens sammanfattning innan rapporten görs slutlig.",
            ));
        }
        if form.confirm != "ja" {
            errors.push(field(
                "confirm",
                "Bekräfta att rapporten ska bli slutlig; den kan inte ändras efteråt.",
            ));
        }
    }
    let expected = form.version.parse::<i64>().ok();
    if expected.is_none() {
        errors.push(field("version", "Ladda om sidan och försök igen."));
    }
    let Some(expected) = expected.filter(|_| errors.is_empty()) else {
        return show(&state, &user, year, "", errors, typed).await;
    };
    let rules = state.rules.clone();
    let by = user.user.id.clone();
    let now = state.clock.now();
    let today = state.today();
    let (summary, proposals) = (
        form.summary.trim().to_owned(),
        form.proposals.trim().to_owned(),
    );
    let saved = state
        .db(move |conn| {
            let starting = super::report::starting_plan(&rules, year);
            let record = plan::start(conn, year, &starting, Some(&by), now)?;
            if record.version != expected {
                return Err(samsyn_store::StoreError::Conflict);
            }
            plan::save_summary(conn, year, &summary, &proposals, expected)?;
            if finalising {
                let mut report = gather(conn, &rules, year, today)?;
                let by_name = samsyn_store::users::get(conn, &by)?.display_name;
                report.status = format!("Slutlig, fastställd av chefsgruppen ({by_name}) {today}");
                plan::finalise(conn, year, &report.to_stored(), &by, expected + 1, now)?;
            }
            Ok(())
        })
        .await;
    match saved {
        Ok(()) => Redirect::to(&format!(
            "/uppfoljning/rapport?ar={year}&klart={}",
            if finalising { "slutlig" } else { "sparad" }
        ))
        .into_response(),
        Err(error) => super::failed(&state, &user, error),
    }
}
