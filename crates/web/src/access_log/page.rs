//! Åtkomstlogg: the log reviewer's page.

use crate::AppState;
use crate::access_log::search;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_store::access_log::LoggedAccess;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    pub personnummer: String,
    #[serde(default)]
    pub anvandare: String,
}

pub struct EntryView {
    pub at: String,
    pub entry: LoggedAccess,
}

#[derive(Template)]
#[template(path = "access_log/audit.html")]
struct AuditPage {
    layout: Layout,
    query: AuditQuery,
    entries: Vec<EntryView>,
    problem: String,
    party_name: String,
}

/// The newest entries, unfiltered.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Response {
    show(state, user, AuditQuery::default()).await
}

/// Filtered by person or user. A form post, so that personnummer never ends up in a URL,
/// a browser history or a proxy log.
pub async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(query): Form<AuditQuery>,
) -> Response {
    show(state, user, query).await
}

async fn show(state: AppState, user: CurrentUser, query: AuditQuery) -> Response {
    let (entries, problem) =
        match search::search_access_log(&state, &user, &query.personnummer, &query.anvandare).await
        {
            Ok(entries) => (entries, String::new()),
            Err(problem) => (Vec::new(), problem),
        };
    let entries = entries
        .into_iter()
        .map(|entry| EntryView {
            at: crate::case::views::local_time(&state, entry.at),
            entry,
        })
        .collect();
    let layout = Layout::new(&state, "Åtkomstlogg", Some(&user)).await;
    let party_name = state.rules.party_name(user.unit.party);
    render(
        StatusCode::OK,
        &AuditPage {
            layout,
            query,
            entries,
            problem,
            party_name,
        },
    )
}
