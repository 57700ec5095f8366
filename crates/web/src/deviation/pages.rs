//! The deviation pages: `/avvikelser` (what waits for the user's unit, Samsyn's proposals, the
//! party's deviations), `/avvikelser/ny` (the report form), and `/avvikelser/{id}` (one
//! deviation with its answer and the step the user may take).

use crate::AppState;
use crate::case::views::local_time;
use crate::deviation::work::{self, ReportForm, StepForm, waiting_for};
use crate::shared::error::{FieldErrors, WorkflowError};
use crate::shared::layout::{Layout, done_at, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::deviation::Status;
use samsyn_domain::{AccessAction, FieldError, Role};
use samsyn_store::case::requests as care_requests;
use samsyn_store::deviation::StoredDeviation;
use samsyn_store::units;
use serde::Deserialize;

/// A deviation as a list row or a page shows it.
pub struct DeviationView {
    pub id: String,
    pub kind: String,
    pub concerns: String,
    pub occurred_on: String,
    pub description: String,
    pub case_id: Option<String>,
    pub from: String,
    pub to: String,
    pub reported: String,
    pub detected: bool,
    pub status: &'static str,
    pub answer_due: String,
    pub overdue: bool,
    pub waiting: Option<&'static str>,
    pub dismissal_reason: String,
    pub decided_by: String,
    pub investigation: String,
    pub measures: String,
    pub answered: String,
    pub conclusion: String,
    pub closed: String,
    pub version: i64,
}

impl DeviationView {
    fn new(state: &AppState, d: &StoredDeviation, unit_id: &str) -> Self {
        let kind = state.rules.deviation.kind(&d.kind);
        let today = state.today();
        DeviationView {
            id: d.id.clone(),
            kind: kind.map_or(d.kind.clone(), |k| k.label.clone()),
            concerns: kind.map(|k| k.concerns.clone()).unwrap_or_default(),
            occurred_on: d.occurred_on.to_string(),
            description: d.description.clone(),
            case_id: d.case_id.clone(),
            from: format!(
                "{} ({})",
                d.reporting_unit,
                state.rules.party_name(d.reporting_party)
            ),
            to: format!(
                "{} ({})",
                d.addressed_unit,
                state.rules.party_name(d.addressed_party)
            ),
            reported: match &d.reported_by {
                Some(by) => format!("{by}, {}", local_time(state, d.reported_at)),
                None => format!("Upptäckt av Samsyn {}", local_time(state, d.reported_at)),
            },
            detected: d.detected,
            status: d.status.label(),
            answer_due: d.answer_due.map(|d| d.to_string()).unwrap_or_default(),
            overdue: d.status == Status::Reported && d.answer_due.is_some_and(|due| today > due),
            waiting: waiting_for(d, unit_id),
            dismissal_reason: d.dismissal_reason.clone(),
            decided_by: d.decided_by.clone().unwrap_or_default(),
            investigation: d.investigation.clone(),
            measures: d.measures.clone(),
            answered: match (&d.answered_by, d.answered_at) {
                (Some(by), Some(at)) => format!("{by}, {}", local_time(state, at)),
                _ => String::new(),
            },
            conclusion: d.conclusion.clone(),
            closed: match (&d.closed_by, d.closed_at) {
                (Some(by), Some(at)) => format!("{by}, {}", local_time(state, at)),
                _ => String::new(),
            },
            version: d.version,
        }
    }
}

#[derive(Template)]
#[template(path = "deviation/list.html")]
struct ListPage {
    layout: Layout,
    notice: &'static str,
    waiting: Vec<DeviationView>,
    others: Vec<DeviationView>,
    is_manager: bool,
    sees_statistics: bool,
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    klart: String,
}

/// The party's deviations; Samsyn first proposes what it has found since it last looked.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let all = match work::list(&state, &user).await {
        Ok(all) => all,
        Err(error) => return workflow_error_page(&state, &user, error),
    };
    let (waiting, others): (Vec<_>, Vec<_>) = all
        .iter()
        .map(|d| DeviationView::new(&state, d, &user.unit.id))
        .partition(|d| d.waiting.is_some());
    render(
        StatusCode::OK,
        &ListPage {
            layout: Layout::new(&state, "Avvikelser", Some(&user)).await,
            notice: if query.klart == "rapporterad" {
                "Avvikelsen är rapporterad till den andra partens enhet."
            } else {
                ""
            },
            waiting,
            others,
            is_manager: user.user.role == Role::UnitManager,
            sees_statistics: samsyn_domain::RouteGroup::Compilations.admits(user.user.role),
        },
    )
}

#[derive(Template)]
#[template(path = "deviation/new.html")]
struct NewPage {
    layout: Layout,
    errors: FieldErrors,
    typed: ReportForm,
    kinds: Vec<(String, String, String)>,
    /// (id, "unit (party)") of the other parties' units.
    units: Vec<(String, String)>,
    case_label: String,
    today: String,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    arende: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<NewQuery>,
) -> Response {
    let typed = ReportForm {
        case_id: query.arende,
        occurred_on: state.today().to_string(),
        ..ReportForm::default()
    };
    form_page(&state, &user, Vec::new(), typed).await
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<FieldError>,
    mut typed: ReportForm,
) -> Response {
    let actor = user.actor();
    let party = user.unit.party;
    let case_id = typed.case_id.trim().to_owned();
    let now = state.clock.now();
    let loaded = state
        .db(move |conn| {
            let units: Vec<_> = units::list(conn)?
                .into_iter()
                .filter(|u| u.party != party)
                .collect();
            let case = if case_id.is_empty() {
                None
            } else {
                care_requests::open(conn, &actor, &case_id, AccessAction::Read, now)?
                    .filter(|(_, relation)| relation.is_in_care())
                    .map(|(case, _)| case)
            };
            Ok((units, case))
        })
        .await;
    let (units, case) = match loaded {
        Ok(found) => found,
        Err(error) => return workflow_error_page(state, user, error.into()),
    };
    let case_label = match &case {
        Some(case) => {
            if typed.addressed_unit_id.is_empty() {
                typed.addressed_unit_id = [&case.sender_unit_id, &case.receiver_unit_id]
                    .into_iter()
                    .find(|id| units.iter().any(|u| &u.id == *id))
                    .cloned()
                    .unwrap_or_default();
            }
            format!(
                "Ärende {} mellan {} och {}",
                case.id, case.sender_unit_name, case.receiver_unit_name
            )
        }
        None => {
            typed.case_id.clear();
            String::new()
        }
    };
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &NewPage {
            layout: Layout::new(state, "Rapportera avvikelse", Some(user)).await,
            errors,
            typed,
            kinds: state
                .rules
                .deviation
                .kinds
                .iter()
                .map(|k| (k.code.clone(), k.label.clone(), k.concerns.clone()))
                .collect(),
            units: units
                .into_iter()
                .map(|u| {
                    let label = format!("{} ({})", u.name, state.rules.party_name(u.party));
                    (u.id, label)
                })
                .collect(),
            case_label,
            today: state.today().to_string(),
        },
    )
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ReportForm>,
) -> Response {
    match work::report(&state, &user, form.clone()).await {
        Ok(id) => Redirect::to(&format!("/avvikelser/{id}?klart=rapporterad")).into_response(),
        Err(WorkflowError::Invalid(errors)) => form_page(&state, &user, errors, form).await,
        Err(error) => workflow_error_page(&state, &user, error),
    }
}

#[derive(Template)]
#[template(path = "deviation/show.html")]
struct ShowPage {
    layout: Layout,
    notice: &'static str,
    errors: FieldErrors,
    typed: StepForm,
    d: DeviationView,
    /// The steps this user may take: confirm/dismiss, answer, close.
    may_decide: bool,
    may_answer: bool,
    may_close: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let notice = match query.klart.as_str() {
        "rapporterad" => {
            "Avvikelsen är rapporterad. Den andra partens enhetschef besvarar den; du ser svaret här."
        }
        "bekraftad" => "Avvikelsen är bekräftad och ska besvaras av er enhet.",
        "avfardad" => "Förslaget är avfärdat med ert skäl. Det räknas i årsstatistiken.",
        "besvarad" => "Svaret är registrerat. Den rapporterande enheten avslutar avvikelsen.",
        "avslutad" => "Avvikelsen är avslutad.",
        _ => "",
    };
    show_page(&state, &user, id, notice, Vec::new(), StepForm::default()).await
}

async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: StepForm,
) -> Response {
    let found = match work::open(state, user, id).await {
        Ok(found) => found,
        Err(WorkflowError::NotFound) => return not_found(state, user),
        Err(error) => return workflow_error_page(state, user, error),
    };
    let at_addressed = found.addressed_unit_id == user.unit.id;
    let manager = user.user.role == Role::UnitManager;
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &ShowPage {
            layout: Layout::new(state, "Avvikelse", Some(user)).await,
            notice,
            errors,
            typed,
            may_decide: found.status == Status::Proposed && at_addressed && manager,
            may_answer: found.status == Status::Reported && at_addressed && manager,
            may_close: found.status == Status::Answered && found.reporting_unit_id == user.unit.id,
            d: DeviationView::new(state, &found, &user.unit.id),
        },
    )
}

fn not_found(state: &AppState, user: &CurrentUser) -> Response {
    crate::shared::layout::message_page(
        state,
        Some(user),
        StatusCode::NOT_FOUND,
        "Avvikelsen finns inte",
        "Den finns inte, eller så är din part inte part i den.",
    )
}

pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    match work::take_step(&state, &user, id.clone(), form.clone()).await {
        Ok(notice) => done_at(&format!("/avvikelser/{id}"), notice),
        Err(WorkflowError::Invalid(errors)) => show_page(&state, &user, id, "", errors, form).await,
        Err(WorkflowError::NotFound) => not_found(&state, &user),
        Err(error) => workflow_error_page(&state, &user, error),
    }
}
