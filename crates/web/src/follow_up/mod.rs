//! Uppföljning av överenskommelsen (*Principer för samverkan och ekonomisk reglering* §12): the
//! year's plan (`plan.rs`), the indicators (`indicators.rs`), the joint survey (`survey.rs`), the
//! sample check of treatment plans (`sample_check.rs`), and the yearly report with its exports
//! (`report.rs` gathers it, `report_page.rs` shows, exports and finalises it).

pub mod indicators;
pub mod plan;
pub mod report;
pub mod report_page;
pub mod sample_check;
pub mod survey;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/uppfoljning", FollowUp, plan::page)
        .post("/uppfoljning/plan", FollowUpDecisions, plan::save)
        .post("/uppfoljning/beslut", FollowUpDecisions, plan::decide)
        .get("/uppfoljning/indikatorer", FollowUp, indicators::page)
        .get("/uppfoljning/enkat", FollowUp, survey::compilation)
        .post("/uppfoljning/enkat", HealthChoice, survey::add_pair)
        .get("/uppfoljning/stickprov", HealthChoice, sample_check::page)
        .post("/uppfoljning/stickprov", HealthChoice, sample_check::act)
        .get("/uppfoljning/rapport", FollowUp, report_page::page)
        .post("/uppfoljning/rapport", FollowUpDecisions, report_page::act)
        .get(
            "/uppfoljning/rapport/{format}",
            FollowUp,
            report_page::export,
        )
        .get("/enkat", Survey, survey::page)
        .post("/enkat", Survey, survey::save)
}

/// `?ar=` on the follow-up's pages; the current year when absent or not a year.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    pub ar: String,
    #[serde(default)]
    pub klart: String,
}

pub(crate) use crate::disagreement::compilation::year_of;

/// The page for a failed read or write of the follow-up: someone else changed it since the page
/// was read, or the year's report is final (409); it does not exist (404); or something broke.
pub(crate) fn failed(
    state: &crate::AppState,
    user: &crate::shared::session::CurrentUser,
    error: samsyn_store::StoreError,
) -> axum::response::Response {
    use crate::shared::layout::{message_page, workflow_error_page};
    use axum::http::StatusCode;
    match error {
        samsyn_store::StoreError::Conflict => message_page(
            state,
            Some(user),
            StatusCode::CONFLICT,
            "Uppföljningen har ändrats",
            "Någon annan har ändrat det här sedan du öppnade sidan, eller så är årets rapport slutlig och låst. Öppna sidan igen.",
        ),
        samsyn_store::StoreError::NotFound => message_page(
            state,
            Some(user),
            StatusCode::NOT_FOUND,
            "Finns inte",
            "Det finns inte i uppföljningen. Gå tillbaka och välj i listan.",
        ),
        other => workflow_error_page(state, user, other.into()),
    }
}

/// A refusal of one field, with its message.
pub(crate) fn field(name: &'static str, message: &str) -> samsyn_domain::FieldError {
    samsyn_domain::FieldError {
        field: name,
        message: message.to_owned(),
    }
}

/// The trimmed value of the first field called `name` in a posted form, or "".
pub(crate) fn value(form: &[(String, String)], name: &str) -> String {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}
