//! FHIR R4 under `/fhir/r4` for other systems (Lifecare SP, journal systems): read and search
//! `ServiceRequest` and `Task`, create a `ServiceRequest` (which sends the request). Same use
//! cases, access rules and access logging as the pages and the JSON API.

use crate::AppState;
use crate::case::workflow;
use crate::shared::error::{fhir, from_workflow, one_issue, outcome};
use crate::shared::fhir_cases::{Kind, SearchQuery, for_fhir, read, search};
use crate::shared::idempotency::{self, Retry};
use crate::shared::routes::Routes;
use crate::shared::session::CurrentUser;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use samsyn_domain::RouteGroup::*;

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

async fn read_service_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    read(&state, &user, id, |_, case, _| {
        Ok(Some(samsyn_fhir::service_request(&case)))
    })
    .await
}

async fn read_task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    if let Some(case_id) = samsyn_fhir::case_of_follow_up(&id) {
        let case_id = case_id.to_owned();
        return crate::care::fhir::read_follow_up_task(&state, &user, id, case_id).await;
    }
    read(&state, &user, id, |_, case, _| {
        Ok(Some(samsyn_fhir::task(&case)))
    })
    .await
}

const SERVICE_REQUESTS: Kind = Kind {
    resource: "ServiceRequest",
    render: |_, case, _| Ok(vec![samsyn_fhir::service_request(&case)]),
    status: Some(samsyn_fhir::service_request_status),
};
const TASKS: Kind = Kind {
    resource: "Task",
    render: |_, case, _| Ok(vec![samsyn_fhir::task(&case)]),
    status: Some(samsyn_fhir::task_status),
};

/// The case's workflow `Task`s, or with `code=uppfoljning` its plan's follow-ups.
fn tasks_for(query: &SearchQuery) -> Kind {
    if query.code.trim() == "uppfoljning" {
        crate::care::fhir::FOLLOW_UPS
    } else {
        TASKS
    }
}

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
    let kind = tasks_for(&query);
    search(&state, &user, query, kind).await
}

async fn search_tasks_posted(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(query): Form<SearchQuery>,
) -> Response {
    let kind = tasks_for(&query);
    search(&state, &user, query, kind).await
}

/// Creates and sends a request from a `ServiceRequest`; its `Task` has the same id. An
/// `Idempotency-Key` header makes a retry return the first call's resource.
async fn create_service_request(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Ok(resource) = serde_json::from_slice::<serde_json::Value>(&body) else {
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
    let retry = match Retry::from_headers(&headers, "/fhir/r4/ServiceRequest", &input, true) {
        Ok(retry) => retry,
        Err(error) => return from_workflow(error),
    };
    let (case, replayed) = match workflow::create(&state, &user, input, true, retry).await {
        Ok(created) => (created.case, created.replayed),
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
            if replayed {
                response.headers_mut().insert(
                    idempotency::REPLAYED,
                    axum::http::HeaderValue::from_static("true"),
                );
            }
            response
        }
        Err(error) => from_workflow(error.into()),
    }
}
