//! The plan as FHIR under `/fhir/r4`: `CarePlan` (read, read of a version, search by patient),
//! `CareTeam`, and the follow-ups as `Task` (search with `code=uppfoljning`, read by id). Same
//! access rules and logging as the pages: every case read opens through the store.

use crate::AppState;
use crate::shared::error::{WorkflowError, fhir, from_workflow};
use crate::shared::fhir_cases::{Kind, SearchQuery, for_fhir, read, search};
use crate::shared::routes::Routes;
use crate::shared::session::CurrentUser;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::RouteGroup::*;
use samsyn_domain::{AccessAction, RuleSet};
use samsyn_fhir::{CaseForFhir, FollowUpForFhir, PlanForFhir, PlanVersionForFhir};
use samsyn_store::care::follow_up as follow_ups;
use samsyn_store::care::treatment_plan as plans;
use samsyn_store::case::requests as care_requests;
use samsyn_store::{DbConnection, StoreError};
use serde_json::Value;

pub fn routes() -> Routes {
    Routes::new()
        .get("/fhir/r4/CarePlan", CaseList, search_care_plans)
        .post(
            "/fhir/r4/CarePlan/_search",
            CaseList,
            search_care_plans_posted,
        )
        .get("/fhir/r4/CarePlan/{id}", CaseRead, read_care_plan)
        .get(
            "/fhir/r4/CarePlan/{id}/_history/{version}",
            CaseRead,
            read_care_plan_version,
        )
        .get("/fhir/r4/CareTeam", CaseList, search_care_teams)
        .get("/fhir/r4/CareTeam/{id}", CaseRead, read_care_team)
}

/// The case's plan for the mapping.
fn plan_of(conn: &mut DbConnection, case_id: &str) -> Result<PlanForFhir, StoreError> {
    let versions = plans::versions(conn, case_id)?
        .into_iter()
        .map(|v| PlanVersionForFhir {
            number: v.number,
            changed_at: v.changed_at,
            established_at: v.established_at,
            signatures: v
                .signatures
                .into_iter()
                .map(|s| (s.side, s.user_name, s.unit_name))
                .collect(),
            content: v.content,
        })
        .collect();
    let follow_ups = follow_ups::of_case(conn, case_id)?
        .into_iter()
        .map(|f| FollowUpForFhir {
            follow_up: f.follow_up,
            recorded_at: f.recorded_at,
            recorded_by: format!("{}, {}", f.user_name, f.unit_name),
        })
        .collect();
    Ok(PlanForFhir {
        versions,
        follow_ups,
        next_follow_up: follow_ups::due(conn, case_id)?,
    })
}

fn care_plan(
    conn: &mut DbConnection,
    case: CaseForFhir,
    rules: &RuleSet,
) -> Result<Option<Value>, StoreError> {
    let plan = plan_of(conn, &case.id)?;
    Ok(samsyn_fhir::care_plan(
        &case,
        &plan,
        None,
        &rules.treatment_plan,
    ))
}

fn care_team(
    conn: &mut DbConnection,
    case: CaseForFhir,
    _: &RuleSet,
) -> Result<Option<Value>, StoreError> {
    let plan = plan_of(conn, &case.id)?;
    Ok(samsyn_fhir::care_team(&case, &plan))
}

const CARE_PLANS: Kind = Kind {
    resource: "CarePlan",
    render: |conn, case, rules| Ok(care_plan(conn, case, rules)?.into_iter().collect()),
    status: None,
};
const CARE_TEAMS: Kind = Kind {
    resource: "CareTeam",
    render: |conn, case, rules| Ok(care_team(conn, case, rules)?.into_iter().collect()),
    status: None,
};
/// `Task?code=uppfoljning`: the follow-ups of the plans of the cases found.
pub(crate) const FOLLOW_UPS: Kind = Kind {
    resource: "Task",
    render: |conn, case, _| {
        let plan = plan_of(conn, &case.id)?;
        Ok(samsyn_fhir::follow_up_tasks(&case, &plan))
    },
    status: None,
};

async fn search_care_plans(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Response {
    search(&state, &user, query, CARE_PLANS).await
}

/// The same search with its parameters in a form body, so a personnummer stays out of URLs.
async fn search_care_plans_posted(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(query): Form<SearchQuery>,
) -> Response {
    search(&state, &user, query, CARE_PLANS).await
}

async fn read_care_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    read(&state, &user, id, care_plan).await
}

/// One version of the plan (`vread`): every version stays readable.
async fn read_care_plan_version(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, version)): Path<(String, String)>,
) -> Response {
    let Ok(version) = version.parse::<i64>() else {
        return from_workflow(WorkflowError::NotFound);
    };
    let actor = user.actor();
    let now = state.clock.now();
    let rules = state.rules.clone();
    let found = state
        .db(move |conn| {
            let Some((case, _)) = care_requests::open(conn, &actor, &id, AccessAction::Read, now)?
            else {
                return Ok(None);
            };
            let plan = plan_of(conn, &case.id)?;
            let case = for_fhir(conn, case, rules.reserve_number.fhir_system.clone())?;
            Ok(samsyn_fhir::care_plan(
                &case,
                &plan,
                Some(version),
                &rules.treatment_plan,
            ))
        })
        .await;
    match found {
        Ok(Some(resource)) => fhir(StatusCode::OK, resource),
        Ok(None) => from_workflow(WorkflowError::NotFound),
        Err(error) => from_workflow(error.into()),
    }
}

async fn search_care_teams(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SearchQuery>,
) -> Response {
    search(&state, &user, query, CARE_TEAMS).await
}

async fn read_care_team(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    read(&state, &user, id, care_team).await
}

/// A follow-up `Task` by its id, which begins with its case's id.
pub(crate) async fn read_follow_up_task(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    case_id: String,
) -> Response {
    let actor = user.actor();
    let now = state.clock.now();
    let rules = state.rules.clone();
    let found = state
        .db(move |conn| {
            let Some((case, _)) =
                care_requests::open(conn, &actor, &case_id, AccessAction::Read, now)?
            else {
                return Ok(None);
            };
            let plan = plan_of(conn, &case.id)?;
            let case = for_fhir(conn, case, rules.reserve_number.fhir_system.clone())?;
            Ok(samsyn_fhir::follow_up_tasks(&case, &plan)
                .into_iter()
                .find(|task| task["id"] == id.as_str()))
        })
        .await;
    match found {
        Ok(Some(resource)) => fhir(StatusCode::OK, resource),
        Ok(None) => from_workflow(WorkflowError::NotFound),
        Err(error) => from_workflow(error.into()),
    }
}
