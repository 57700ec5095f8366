//! Tilläggsbelopp: the year's calculation per pot and municipality, with where every krona comes
//! from, the year's versions in the decision cycle, and the exports. Aggregated public figures:
//! no patient data, no access-log entries.

use crate::AppState;
use crate::additional_amount::view::{StatementView, VersionLine, current, year_of, years};
use crate::shared::figures::YearQuery;
use crate::shared::layout::{Layout, XLSX, download, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use samsyn_domain::additional_amount::decision::in_force;
use samsyn_reports::additional_amount::{to_csv, to_xlsx};
use samsyn_store::additional_amount as store;

#[derive(Template)]
#[template(path = "additional_amount/year.html")]
struct AdditionalAmountPage {
    layout: Layout,
    year: i16,
    years: Vec<i16>,
    view: StatementView,
    versions: Vec<VersionLine>,
    may_decide: bool,
    may_start: bool,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
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
            view: StatementView::new(&state, &statement),
            versions: versions
                .iter()
                .map(|v| VersionLine::new(&state, v, force))
                .collect(),
            may_decide: user.user.role.records_economic_decisions(),
            may_start,
        },
    )
}

pub async fn export_csv(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
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
    _user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar).await;
    match current(&state, year).await.map(|s| to_xlsx(&s)) {
        Ok(Ok(bytes)) => download(XLSX, &format!("tillaggsbelopp-{year}.xlsx"), bytes),
        _ => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
    }
}
