//! FHIR R4 under `/fhir/r4` for other systems (Lifecare SP, journal systems): read and search
//! `ServiceRequest` and `Task`, create a `ServiceRequest` (which sends the request). Same use
//! cases, access rules and access logging as the pages and the JSON API.

use crate::AppState;
use crate::case::workflow;
use crate::shared::error::{WorkflowError, fhir, from_workflow, one_issue, outcome};
use crate::shared::routes::Routes;
use crate::shared::session::CurrentUser;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use samsyn_domain::RouteGroup::*;
use samsyn_domain::{AccessAction, PersonId};
use samsyn_fhir::{CaseForFhir, Issue, UnitRef};
use samsyn_store::case::requests::{self as care_requests, CareRequest};
use samsyn_store::{DbConnection, StoreError, units};
use serde::Deserialize;
use serde_json::Value;

pub fn routes() -> Routes {
    Routes::new()
        .get("/fhir/r4/metadata", Open, metadata)
        .get("/fhir/r4/ServiceRequest", CaseList, search_service_requests)
        .post(
            "/fhir/r4/ServiceRequest/_search",
            CaseList,
            search_service_requests_posted,
        )
        .post(
            "/fhir/r4/ServiceRequest",
            CaseCreate,
            create_service_request,
        )
        .get(
            "/fhir/r4/ServiceRequest/{id}",
            CaseRead,
            read_service_request,
        )
        .get("/fhir/r4/Task", CaseList, search_tasks)
        .post("/fhir/r4/Task/_search", CaseList, search_tasks_posted)
        .get("/fhir/r4/Task/{id}", CaseRead, read_task)
}

async fn metadata(State(state): State<AppState>) -> Response {
    let date = state.today().to_string();
    fhir(
        StatusCode::OK,
        samsyn_fhir::capability_statement(&date, env!("CARGO_PKG_VERSION")),
    )
}

fn for_fhir(
    conn: &mut DbConnection,
    case: CareRequest,
    reserve_number_system: String,
) -> Result<CaseForFhir, StoreError> {
    let unit = |conn: &mut DbConnection, id: &str| {
        units::get(conn, id).map(|u| UnitRef {
            hsa_id: u.hsa_id,
            name: u.name,
        })
    };
    Ok(CaseForFhir {
        sender: unit(conn, &case.sender_unit_id)?,
        receiver: unit(conn, &case.receiver_unit_id)?,
        status_reason: care_requests::status_reason(conn, &case.id)?,
        id: case.id,
        version: case.version,
        state: case.state,
        track: case.track,
        protected_identity: case.patient.protected_identity,
        person_id: case.patient.person_id,
        reserve_number_system,
        patient_name: case.patient.name,
        home_municipality: case.patient.home_municipality,
        created_at: case.created_at,
        updated_at: case.updated_at,
        text: case.text,
        consent_withdrawn_at: case
            .consent
            .as_ref()
            .and_then(|c| c.withdrawal.as_ref())
            .map(|w| w.at),
        consent: case.consent.map(|c| c.consent),
    })
}

/// Reads one case as the resource `render` makes of it.
async fn read(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    render: fn(&CaseForFhir) -> Value,
) -> Response {
    let actor = user.actor();
    let now = state.clock.now();
    let system = state.rules.reserve_number.fhir_system.clone();
    let found = state
        .db(
            move |conn| match care_requests::open(conn, &actor, &id, AccessAction::Read, now)? {
                Some((case, _)) => for_fhir(conn, case, system).map(Some),
                None => Ok(None),
            },
        )
        .await;
    match found {
        Ok(Some(case)) => fhir(StatusCode::OK, render(&case)),
        Ok(None) => from_workflow(WorkflowError::NotFound),
        Err(error) => from_workflow(error.into()),
    }
}

async fn read_service_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    read(&state, &user, id, samsyn_fhir::service_request).await
}

async fn read_task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    read(&state, &user, id, samsyn_fhir::task).await
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    /// `patient:identifier=system|value` (also accepted as plain `patient`).
    #[serde(default, rename = "patient:identifier")]
    patient_identifier: String,
    #[serde(default)]
    patient: String,
    #[serde(default)]
    status: String,
}

/// Which resource a search returns: how to render it and what its `status` is.
struct Kind {
    render: fn(&CaseForFhir) -> Value,
    status: fn(&samsyn_domain::CaseState) -> &'static str,
}

async fn search(state: &AppState, user: &CurrentUser, query: SearchQuery, kind: Kind) -> Response {
    let token = if query.patient_identifier.is_empty() {
        &query.patient
    } else {
        &query.patient_identifier
    };
    let patient = match token.trim() {
        "" => None,
        token => {
            let value = token.rsplit_once('|').map_or(token, |(_, value)| value);
            match PersonId::parse(value, &state.rules.reserve_number, state.today()) {
                Ok(number) => Some(number),
                Err(e) => {
                    return outcome(
                        StatusCode::BAD_REQUEST,
                        &[Issue {
                            code: "invalid",
                            diagnostics: e.to_string(),
                            expression: Some("patient".into()),
                        }],
                    );
                }
            }
        }
    };
    let actor = user.actor();
    let now = state.clock.now();
    let wanted = query.status.trim().to_owned();
    let status_of = kind.status;
    let system = state.rules.reserve_number.fhir_system.clone();
    let found = state
        .db(move |conn| {
            let keep = |c: &CareRequest| wanted.is_empty() || status_of(&c.state) == wanted;
            let patient_id = match patient {
                Some(number) => match samsyn_store::patients::find_by_person_id(conn, &number)? {
                    Some(p) => Some(p.id),
                    None => return Ok(Vec::new()),
                },
                None => None,
            };
            let cases = care_requests::list_where(conn, &actor, patient_id.as_deref(), keep, now)?;
            cases
                .into_iter()
                .map(|c| for_fhir(conn, c, system.clone()))
                .collect::<Result<Vec<_>, _>>()
        })
        .await;
    match found {
        Ok(cases) => fhir(
            StatusCode::OK,
            samsyn_fhir::searchset(cases.iter().map(kind.render).collect()),
        ),
        Err(error) => from_workflow(error.into()),
    }
}

const SERVICE_REQUESTS: Kind = Kind {
    render: samsyn_fhir::service_request,
    status: samsyn_fhir::service_request_status,
};
const TASKS: Kind = Kind {
    render: samsyn_fhir::task,
    status: samsyn_fhir::task_status,
};

async fn search_service_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Response {
    search(&state, &user, query, SERVICE_REQUESTS).await
}

/// The same search with its parameters in a form body (FHIR's `POST [type]/_search`), so that a
/// personnummer need not be in a URL, a proxy log or a browser history.
async fn search_service_requests_posted(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(query): Form<SearchQuery>,
) -> Response {
    search(&state, &user, query, SERVICE_REQUESTS).await
}

async fn search_tasks(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Response {
    search(&state, &user, query, TASKS).await
}

async fn search_tasks_posted(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(query): Form<SearchQuery>,
) -> Response {
    search(&state, &user, query, TASKS).await
}

/// Creates and sends a request from a `ServiceRequest`; its `Task` has the same id.
async fn create_service_request(
    State(state): State<AppState>,
    user: CurrentUser,
    body: axum::body::Bytes,
) -> Response {
    let Ok(resource) = serde_json::from_slice::<Value>(&body) else {
        return one_issue(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Kroppen är inte giltig JSON.",
        );
    };
    let input = match samsyn_fhir::parse_service_request(
        &resource,
        &state.rules.reserve_number.fhir_system,
    ) {
        Ok(input) => input,
        Err(issues) => return outcome(StatusCode::UNPROCESSABLE_ENTITY, &issues),
    };
    let case = match workflow::create(&state, &user, input, true).await {
        Ok(case) => case,
        Err(error) => return from_workflow(error),
    };
    let id = case.id.clone();
    let system = state.rules.reserve_number.fhir_system.clone();
    let converted = state.db(move |conn| for_fhir(conn, case, system)).await;
    match converted {
        Ok(case) => {
            let mut response = fhir(StatusCode::CREATED, samsyn_fhir::service_request(&case));
            if let Ok(location) = format!("/fhir/r4/ServiceRequest/{id}").parse() {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(error) => from_workflow(error.into()),
    }
}
