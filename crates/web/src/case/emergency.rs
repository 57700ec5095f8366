//! Nödåtkomst on pages: a clinician without a care relation writes a person's personnummer and
//! why she must see the person's cases now; they open for her for the rule set's time, read-only,
//! each read logged as emergency access, and the parties to each case see it on the case.

use crate::AppState;
use crate::case::views::local_time;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::emergency_access::EmergencyReason;
use samsyn_domain::{FieldError, PersonId};
use samsyn_store::case::requests::CareRequest;
use samsyn_store::emergency_access::{self, Refusal};
use serde::Deserialize;

/// A case opened by nödåtkomst, as the result lists it.
pub struct OpenedCase {
    pub id: String,
    pub track: &'static str,
    pub route: String,
    pub state: &'static str,
}

#[derive(Template)]
#[template(path = "case/emergency.html")]
struct EmergencyPage {
    layout: Layout,
    hours: i64,
    personnummer: String,
    reason: String,
    errors: FieldErrors,
    /// After opening: whose cases, until when, and the cases.
    opened: Option<(String, String)>,
    cases: Vec<OpenedCase>,
}

fn page(state: &AppState, user: &CurrentUser) -> EmergencyPage {
    EmergencyPage {
        layout: Layout::build(state, "Nödåtkomst", Some(user)),
        hours: state.rules.emergency_access.duration.as_hours(),
        personnummer: String::new(),
        reason: String::new(),
        errors: FieldErrors::default(),
        opened: None,
        cases: Vec::new(),
    }
}

/// `GET /nodatkomst`: the form, with what it means.
pub async fn form(State(state): State<AppState>, user: CurrentUser) -> Response {
    render(StatusCode::OK, &page(&state, &user))
}

#[derive(Deserialize)]
pub struct EmergencyForm {
    #[serde(default)]
    personnummer: String,
    #[serde(default)]
    skal: String,
}

fn opened_case(case: &CareRequest) -> OpenedCase {
    OpenedCase {
        id: case.id.clone(),
        track: case.track.track().label(),
        route: format!("{} → {}", case.sender_unit_name, case.receiver_unit_name),
        state: case.state.label(),
    }
}

/// `POST /nodatkomst`: checks the fields, then opens the person's cases and lists them.
pub async fn open(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<EmergencyForm>,
) -> Response {
    let mut shown = page(&state, &user);
    shown.personnummer = form.personnummer.trim().to_owned();
    shown.reason = form.skal.clone();
    let number = PersonId::parse(
        &form.personnummer,
        &state.rules.reserve_number,
        state.today(),
    )
    .map_err(|e| FieldError {
        field: "personnummer",
        message: e.to_string(),
    });
    let reason = EmergencyReason::parse(&form.skal).map_err(|message| FieldError {
        field: "skal",
        message,
    });
    let (number, reason) = match (number, reason) {
        (Ok(number), Ok(reason)) => (number, reason),
        (number, reason) => {
            shown.errors =
                FieldErrors([number.err(), reason.err()].into_iter().flatten().collect());
            return render(StatusCode::UNPROCESSABLE_ENTITY, &shown);
        }
    };
    let actor = user.actor();
    let now = state.clock.now();
    let duration = state.rules.emergency_access.duration;
    let opened = state
        .db(move |conn| emergency_access::open(conn, &actor, &number, &reason, duration, now))
        .await;
    match opened {
        Ok(Ok(opened)) => {
            let first = opened.cases.first();
            let who = first
                .map(|c| {
                    format!(
                        "{}, {}",
                        c.patient.name,
                        c.patient.person_id.expose_formatted()
                    )
                })
                .unwrap_or_default();
            shown.opened = Some((who, local_time(&state, opened.expires_at)));
            shown.cases = opened.cases.iter().map(opened_case).collect();
            shown.personnummer.clear();
            shown.reason.clear();
            render(StatusCode::OK, &shown)
        }
        Ok(Err(Refusal::NoCase)) => {
            shown.errors = FieldErrors(vec![FieldError {
                field: "personnummer",
                message: "Samsyn har inga skickade ärenden för personen. Försöket är loggat."
                    .to_owned(),
            }]);
            render(StatusCode::NOT_FOUND, &shown)
        }
        Ok(Err(Refusal::Role)) => workflow_error_page(
            &state,
            &user,
            crate::shared::error::WorkflowError::Forbidden(
                "Nödåtkomst kan bara användas av vårdpersonal.",
            ),
        ),
        Err(error) => {
            tracing::error!(%error, "emergency access failed");
            workflow_error_page(&state, &user, error.into())
        }
    }
}
