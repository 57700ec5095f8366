//! Stickprov: drawing a sample of the party's log, reviewing it item by item, and its CSV with
//! the findings. Each draw, view and export is one log entry.

use crate::AppState;
use crate::access_log::export;
use crate::access_log::page::{EntryRow, SampleForm, with_sample_problem};
use crate::access_log::search::{day_bounds, parse_day};
use crate::case::views::local_time;
use crate::shared::layout::{Layout, download, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::log_review::{MAX_SAMPLE_SIZE, ReviewFinding, SampleKind};
use samsyn_domain::{AccessAction, AccessOutcome};
use samsyn_store::access_log::sample::{
    self, REVIEW_OBJECT, Review, SampleItem, SampleRequest, SampleSubject, SampleSummary,
};
use samsyn_store::access_log::{self, Access};
use serde::Deserialize;

/// The longest note a reviewer may write on one item.
pub const NOTE_MAX_CHARS: usize = 2000;

/// Draws a sample from the form and opens it.
pub async fn draw(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<SampleForm>,
) -> Response {
    let request = match checked_request(&state, &user, &form) {
        Ok(request) => request,
        Err(problem) => return with_sample_problem(state, user, form, problem).await,
    };
    let actor = user.actor();
    let now = state.clock.now();
    let drawn = state
        .db(move |conn| {
            let id = sample::draw(conn, &request, &actor.user_id, now)?;
            let what = format!("stickprov {id} dras");
            log_review(conn, &actor, AccessAction::Read, &what, now)?;
            Ok(id)
        })
        .await;
    match drawn {
        Ok(id) => Redirect::to(&format!("/logg/stickprov/{id}")).into_response(),
        Err(error) => {
            tracing::error!(%error, "sample could not be drawn");
            with_sample_problem(
                state,
                user,
                form,
                "Stickprovet kunde inte dras just nu.".into(),
            )
            .await
        }
    }
}

/// The sample form checked, or its first problem in Swedish.
fn checked_request(
    state: &AppState,
    user: &CurrentUser,
    form: &SampleForm,
) -> Result<SampleRequest, String> {
    let kind = SampleKind::from_code(form.slag.trim())
        .ok_or("Urval av: välj åtkomster eller patienter.")?;
    let first_day = parse_day(&form.fran, "Från och med")?;
    let last_day = parse_day(&form.till, "Till och med")?;
    if last_day < first_day {
        return Err("Till och med: dagen ligger före från-dagen.".into());
    }
    let size = form
        .antal
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_SAMPLE_SIZE).contains(n))
        .ok_or_else(|| format!("Antal: skriv ett heltal från 1 till {MAX_SAMPLE_SIZE}."))?;
    let seed = match form.startvarde.trim() {
        "" => u64::from(rand::random::<u32>()),
        text => text
            .parse::<u64>()
            .map_err(|_| "Startvärde: skriv ett heltal utan mellanslag, eller lämna tomt.")?,
    };
    let (from, until) = day_bounds(state, first_day, last_day)
        .ok_or("Från och med: dagen ligger utanför kalendern.")?;
    Ok(SampleRequest {
        party: user.unit.party,
        kind,
        first_day,
        last_day,
        from,
        until,
        size,
        seed,
    })
}

/// The one log entry a step of the review writes.
fn log_review(
    conn: &mut samsyn_store::DbConnection,
    actor: &access_log::Actor,
    action: AccessAction,
    what: &str,
    now: jiff::Timestamp,
) -> Result<(), samsyn_store::StoreError> {
    access_log::record(
        conn,
        actor,
        Access {
            patient_id: None,
            action,
            object_type: REVIEW_OBJECT,
            object_id: what,
            outcome: AccessOutcome::Allowed,
        },
        now,
    )
}

/// The party's sample with its items, logged once; `None` when the party has no such sample.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    action: AccessAction,
) -> Result<Option<(SampleSummary, Vec<SampleItem>)>, samsyn_store::StoreError> {
    let party = user.unit.party;
    let actor = user.actor();
    let now = state.clock.now();
    let bounds_state = state.clone();
    state
        .db(move |conn| {
            let Some(summary) = sample::find(conn, party, &id)? else {
                return Ok(None);
            };
            let Some((from, until)) =
                day_bounds(&bounds_state, summary.first_day, summary.last_day)
            else {
                return Ok(None);
            };
            let items = sample::items(conn, party, &summary, from, until)?;
            let what = match action {
                AccessAction::Export => format!("stickprov {id} exporteras"),
                _ => format!("stickprov {id}"),
            };
            log_review(conn, &actor, action, &what, now)?;
            Ok(Some((summary, items)))
        })
        .await
}

pub struct ItemView {
    pub position: i32,
    pub patient: Option<String>,
    pub entries: Vec<EntryRow>,
    pub finding: Option<ReviewFinding>,
    pub note: String,
    pub reviewed: String,
    pub problem: String,
}

#[derive(Template)]
#[template(path = "access_log/sample.html")]
struct SamplePage {
    layout: Layout,
    sample: SampleSummary,
    drawn_at: String,
    items: Vec<ItemView>,
    findings: [ReviewFinding; 2],
    note_max: usize,
}

/// One sample, each item with its form.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    page(state, user, id, None).await
}

/// A problem with one item's form, shown at that item.
struct ItemProblem {
    position: i32,
    finding: Option<ReviewFinding>,
    note: String,
    problem: String,
}

async fn page(
    state: AppState,
    user: CurrentUser,
    id: String,
    problem: Option<ItemProblem>,
) -> Response {
    let (summary, items) = match load(&state, &user, id, AccessAction::Read).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&state, &user),
        Err(error) => return unavailable(&state, &user, error),
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let items = items
        .into_iter()
        .map(|item| {
            let mut view = item_view(&state, item);
            if let Some(p) = problem.as_ref().filter(|p| p.position == view.position) {
                view.finding = p.finding;
                view.note = p.note.clone();
                view.problem = p.problem.clone();
            }
            view
        })
        .collect();
    let layout = Layout::new(&state, "Stickprov i åtkomstloggen", Some(&user)).await;
    render(
        status,
        &SamplePage {
            layout,
            drawn_at: local_time(&state, summary.drawn_at),
            sample: summary,
            items,
            findings: ReviewFinding::ALL,
            note_max: NOTE_MAX_CHARS,
        },
    )
}

fn item_view(state: &AppState, item: SampleItem) -> ItemView {
    let (patient, entries) = match item.subject {
        SampleSubject::Access(entry) => (None, vec![*entry]),
        SampleSubject::Patient {
            person_id,
            name,
            accesses,
        } => (Some(format!("{name}, {}", person_id.masked())), accesses),
    };
    ItemView {
        position: item.position,
        patient,
        entries: entries
            .into_iter()
            .map(|entry| EntryRow::new(state, entry))
            .collect(),
        finding: item.finding,
        note: item.note,
        reviewed: match (item.reviewed_by, item.reviewed_at) {
            (Some(by), Some(at)) => format!("{by}, {}", local_time(state, at)),
            _ => String::new(),
        },
        problem: String::new(),
    }
}

#[derive(Deserialize)]
pub struct MarkForm {
    #[serde(default)]
    pub bedomning: String,
    #[serde(default)]
    pub anteckning: String,
}

/// Records the finding on one item and returns to it.
pub async fn mark(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, position)): Path<(String, i32)>,
    Form(form): Form<MarkForm>,
) -> Response {
    let finding = ReviewFinding::from_code(form.bedomning.trim());
    let note = form.anteckning.trim().to_owned();
    let problem = match finding {
        None => Some("Bedömning: välj utan anmärkning eller följs upp.".to_owned()),
        Some(ReviewFinding::FollowUp) if note.is_empty() => {
            Some("Anteckning: skriv vad som ska följas upp och med vem.".to_owned())
        }
        _ if note.chars().count() > NOTE_MAX_CHARS => {
            Some(format!("Anteckning: skriv högst {NOTE_MAX_CHARS} tecken."))
        }
        _ if note
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            Some("Anteckning: texten innehåller otillåtna kontrolltecken.".to_owned())
        }
        _ => None,
    };
    let finding = match (finding, problem) {
        (Some(finding), None) => finding,
        (finding, problem) => {
            let problem = ItemProblem {
                position,
                finding,
                note,
                problem: problem.unwrap_or_default(),
            };
            return page(state, user, id, Some(problem)).await;
        }
    };
    let party = user.unit.party;
    let actor = user.actor();
    let now = state.clock.now();
    let sample_id = id.clone();
    let marked = state
        .db(move |conn| {
            let review = Review {
                finding,
                note: &note,
                reviewer: &actor.user_id,
                at: now,
            };
            let marked = sample::mark(conn, party, &sample_id, position, &review)?;
            if marked {
                // The item keeps the latest finding; the log keeps every one, in order.
                let what = format!("stickprov {sample_id} punkt {position}: {}", finding.code());
                log_review(conn, &actor, AccessAction::Update, &what, now)?;
            }
            Ok(marked)
        })
        .await;
    match marked {
        Ok(true) => Redirect::to(&format!("/logg/stickprov/{id}#punkt-{position}")).into_response(),
        Ok(false) => not_found(&state, &user),
        Err(error) => unavailable(&state, &user, error),
    }
}

/// The sample with its findings as CSV, logged as an export.
pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    match load(&state, &user, id, AccessAction::Export).await {
        Ok(Some((summary, items))) => download(
            "text/csv; charset=utf-8",
            &format!("stickprov-{}-{}.csv", summary.first_day, summary.last_day),
            export::sample_csv(&state, &items),
        ),
        Ok(None) => not_found(&state, &user),
        Err(error) => unavailable(&state, &user, error),
    }
}

fn not_found(state: &AppState, user: &CurrentUser) -> Response {
    message_page(
        state,
        Some(user),
        StatusCode::NOT_FOUND,
        "Stickprovet finns inte",
        "Det finns inget sådant stickprov för din organisation. Välj ett i listan på sidan Åtkomstlogg.",
    )
}

fn unavailable(state: &AppState, user: &CurrentUser, error: samsyn_store::StoreError) -> Response {
    tracing::error!(%error, "sample could not be read");
    message_page(
        state,
        Some(user),
        StatusCode::SERVICE_UNAVAILABLE,
        "Stickprovet kunde inte hämtas",
        "Försök igen om en stund.",
    )
}
