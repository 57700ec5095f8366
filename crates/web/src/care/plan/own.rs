//! The person's own plans on Min sida: each fastställd behandlingsplan in the plain words of its
//! PDF, and the PDF itself. Every view and print is recorded (`own_page_views`).

use crate::AppState;
use crate::care::plan::document::document;
use crate::shared::layout::{download, message_page};
use crate::shared::session::current_person;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use samsyn_domain::{AccessAction, PersonId};
use samsyn_reports::care::plan_pdf::{PlanDocument, plan_pdf};
use samsyn_store::care::own_plans::{self, OwnPlan};
use samsyn_store::person_sessions::PersonSession;

/// One plan as Min sida shows it.
pub struct OwnPlanView {
    /// Who gives the care, e.g. "Vårdcentralen Örebro centrum och Hemsjukvården Örebro".
    pub givers: String,
    pub document: PlanDocument,
    pub pdf: String,
}

fn name_of(person: &PersonSession) -> String {
    if person.display_name.is_empty() {
        person.personnummer.expose_formatted()
    } else {
        person.display_name.clone()
    }
}

async fn load(
    state: &AppState,
    person: &PersonSession,
    only: Option<String>,
    action: AccessAction,
) -> Option<Vec<OwnPlan>> {
    let id = PersonId::from(person.personnummer);
    let now = state.clock.now();
    let found = state
        .db(move |conn| own_plans::for_person(conn, &id, only.as_deref(), action, now))
        .await;
    match found {
        Ok(plans) => Some(plans),
        Err(error) => {
            tracing::error!(%error, "own plans could not be read");
            None
        }
    }
}

fn document_of(state: &AppState, person: &PersonSession, plan: &OwnPlan) -> PlanDocument {
    document(
        &name_of(person),
        &plan.version,
        plan.next_follow_up,
        &state.rules,
        state.today(),
    )
}

/// Her fastställda plans, for Min sida.
pub async fn plans(state: &AppState, person: &PersonSession) -> Vec<OwnPlanView> {
    load(state, person, None, AccessAction::Read)
        .await
        .unwrap_or_default()
        .iter()
        .map(|plan| OwnPlanView {
            givers: format!("{} och {}", plan.region_unit, plan.municipality_unit),
            document: document_of(state, person, plan),
            pdf: format!("/min-sida/plan/{}/pdf", plan.case_id),
        })
        .collect()
}

/// `GET /min-sida/plan/{id}/pdf`: one of her plans to print; nobody else's.
pub async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let not_found = |state: &AppState| {
        message_page(
            state,
            None,
            StatusCode::NOT_FOUND,
            "Planen finns inte",
            "Du har ingen fastställd plan med den adressen. Gå tillbaka till Min sida.",
        )
    };
    let Some((person, _)) = current_person(&state, &headers).await else {
        return not_found(&state);
    };
    let plans = load(&state, &person, Some(id), AccessAction::Print)
        .await
        .unwrap_or_default();
    let Some(plan) = plans.first() else {
        return not_found(&state);
    };
    download(
        "application/pdf",
        "min-behandlingsplan.pdf",
        plan_pdf(&document_of(&state, &person, plan)),
    )
}
