//! Åtkomstlogg: the log reviewer's page — the filtered, paged log with denials first, its CSV
//! export, and the party's samples with the form that draws a new one.

use crate::AppState;
use crate::access_log::export;
use crate::access_log::search::{self, Criteria, PAGE_SIZE, Use};
use crate::shared::layout::{Layout, download, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::log_review::{MAX_SAMPLE_SIZE, SampleKind};
use samsyn_domain::{AccessAction, AccessOutcome};
use samsyn_store::access_log::sample::SampleSummary;
use samsyn_store::access_log::{LoggedAccess, PageAt, Position};
use samsyn_store::units::Unit;
use serde::Deserialize;

/// The review form: the criteria, the page number shown, and where the page starts: after the
/// last entry of the page before (`efter`) or before the first of the page after (`fore`).
#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(flatten)]
    pub criteria: Criteria,
    #[serde(default)]
    pub sida: String,
    #[serde(default)]
    pub efter: String,
    #[serde(default)]
    pub fore: String,
}

impl ReviewForm {
    /// Where the page starts and its number; a position that is not one Samsyn wrote starts
    /// from the first page.
    fn position(&self) -> (PageAt, i64) {
        let shown = self.sida.trim().parse::<i64>().unwrap_or(1).max(1);
        if let Some(after) = Position::parse(self.efter.trim()) {
            (PageAt::After(after), shown + 1)
        } else if let Some(before) = Position::parse(self.fore.trim()) {
            (PageAt::Before(before), (shown - 1).max(1))
        } else {
            (PageAt::First, 1)
        }
    }
}

/// The sample form as typed, kept to show again beside a problem.
#[derive(Deserialize, Clone)]
pub struct SampleForm {
    #[serde(default)]
    pub slag: String,
    #[serde(default)]
    pub fran: String,
    #[serde(default)]
    pub till: String,
    #[serde(default)]
    pub antal: String,
    #[serde(default)]
    pub startvarde: String,
}

impl SampleForm {
    /// Last calendar month and ten accesses: the usual monthly check.
    pub fn usual(state: &AppState) -> Self {
        let this_month = state.today().first_of_month();
        let last_month = this_month
            .yesterday()
            .map(|d| d.first_of_month())
            .unwrap_or(this_month);
        SampleForm {
            slag: SampleKind::Accesses.code().to_owned(),
            fran: last_month.to_string(),
            till: last_month.last_of_month().to_string(),
            antal: "10".to_owned(),
            startvarde: String::new(),
        }
    }
}

/// A log entry as the review's tables show it (`_entry_row.html`).
pub struct EntryRow {
    pub at: String,
    pub entry: LoggedAccess,
}

impl EntryRow {
    pub fn new(state: &AppState, entry: LoggedAccess) -> Self {
        EntryRow {
            at: crate::case::views::local_time(state, entry.at),
            entry,
        }
    }
}

pub struct SampleRow {
    pub drawn_at: String,
    pub sample: SampleSummary,
}

#[derive(Template)]
#[template(path = "access_log/audit.html")]
struct AuditPage {
    layout: Layout,
    criteria: Criteria,
    units: Vec<Unit>,
    actions: [AccessAction; 6],
    outcomes: [AccessOutcome; 2],
    entries: Vec<EntryRow>,
    total: i64,
    denied: i64,
    page: i64,
    pages: i64,
    /// Where the pages beside this one start, as the form sends them back.
    previous: Option<String>,
    next: Option<String>,
    problem: String,
    party_name: String,
    samples: Vec<SampleRow>,
    sample_form: SampleForm,
    sample_problem: String,
    sample_kinds: [SampleKind; 2],
    max_sample: usize,
}

/// The newest entries, denials first, unfiltered.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Response {
    let sample_form = SampleForm::usual(&state);
    show(
        state,
        user,
        ReviewForm::default(),
        sample_form,
        String::new(),
    )
    .await
}

/// Filtered and paged. A form post, so that personnummer never ends up in a URL, a browser
/// history or a proxy log.
pub async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ReviewForm>,
) -> Response {
    let sample_form = SampleForm::usual(&state);
    show(state, user, form, sample_form, String::new()).await
}

/// Every matching entry as CSV for Swedish Excel, logged as an export.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ReviewForm>,
) -> Response {
    let checked = match form.criteria.check(&state) {
        Ok(checked) => checked,
        Err(problem) => return with_problem(state, user, form, problem).await,
    };
    match search::search_access_log(&state, &user, checked, Use::Export).await {
        Ok(found) => download(
            "text/csv; charset=utf-8",
            &format!("atkomstlogg-{}.csv", state.today()),
            export::entries_csv(&state, &found.entries),
        ),
        Err(problem) => with_problem(state, user, form, problem).await,
    }
}

async fn with_problem(
    state: AppState,
    user: CurrentUser,
    form: ReviewForm,
    problem: String,
) -> Response {
    let mut response = show(
        state.clone(),
        user,
        form,
        SampleForm::usual(&state),
        problem,
    )
    .await;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// The page with the sample form's problem shown beside the form as typed.
pub async fn with_sample_problem(
    state: AppState,
    user: CurrentUser,
    sample_form: SampleForm,
    problem: String,
) -> Response {
    let mut response = show(state, user, ReviewForm::default(), sample_form, problem).await;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

async fn show(
    state: AppState,
    user: CurrentUser,
    form: ReviewForm,
    sample_form: SampleForm,
    sample_problem: String,
) -> Response {
    let (at, page) = form.position();
    let (found, problem) = match form.criteria.check(&state) {
        Ok(checked) => {
            match search::search_access_log(&state, &user, checked, Use::Page(at)).await {
                Ok(found) => (Some(found), String::new()),
                Err(problem) => (None, problem),
            }
        }
        Err(problem) => (None, problem),
    };
    let party = user.unit.party;
    let listed = state
        .db(move |conn| {
            Ok((
                samsyn_store::units::list(conn)?,
                samsyn_store::access_log::sample::list(conn, party)?,
            ))
        })
        .await;
    let (units, samples) = match listed {
        Ok(listed) => listed,
        Err(error) => {
            tracing::error!(%error, "units and samples could not be read");
            (Vec::new(), Vec::new())
        }
    };
    let (entries, total, denied, previous, next) = match found {
        Some(found) => (
            found.entries,
            found.total,
            found.denied,
            found.previous.map(|p| p.encode()),
            found.next.map(|p| p.encode()),
        ),
        None => (Vec::new(), 0, 0, None, None),
    };
    let entries = entries
        .into_iter()
        .map(|entry| EntryRow::new(&state, entry))
        .collect();
    let samples = samples
        .into_iter()
        .map(|sample| SampleRow {
            drawn_at: crate::case::views::local_time(&state, sample.drawn_at),
            sample,
        })
        .collect();
    let layout = Layout::new(&state, "Åtkomstlogg", Some(&user)).await;
    let party_name = state.rules.party_name(party);
    let status = if problem.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &AuditPage {
            layout,
            criteria: form.criteria,
            units,
            actions: AccessAction::ALL,
            outcomes: [AccessOutcome::Denied, AccessOutcome::Allowed],
            entries,
            total,
            denied,
            page,
            pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
            previous,
            next,
            problem,
            party_name,
            samples,
            sample_form,
            sample_problem,
            sample_kinds: SampleKind::ALL,
            max_sample: MAX_SAMPLE_SIZE,
        },
    )
}
