//! Avvikelser in the JSON API: the party's deviations, reporting one, reading one and taking a
//! step, under the same rules as the pages (`work.rs`).

use crate::AppState;
use crate::deviation::work::{self, ReportForm, StepForm};
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use samsyn_store::deviation::StoredDeviation;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(list_deviations, report_deviation, get_deviation, deviation_step))]
pub struct Paths;

/// A deviation between the user's party and another.
#[derive(Serialize, ToSchema)]
pub struct DeviationDto {
    pub id: String,
    /// The kind's code in the rule set.
    pub kind: String,
    pub occurred_on: String,
    pub description: String,
    pub case_id: Option<String>,
    pub reporting_unit_id: String,
    pub addressed_unit_id: String,
    /// Proposed by Samsyn from its own data.
    pub detected: bool,
    /// `foreslagen`, `avfardad`, `rapporterad`, `besvarad` or `avslutad`.
    pub status: &'static str,
    pub answer_due: Option<String>,
    pub dismissal_reason: String,
    pub investigation: String,
    pub measures: String,
    pub conclusion: String,
    /// The version a step must carry.
    pub version: i64,
}

impl DeviationDto {
    fn of(d: &StoredDeviation) -> Self {
        DeviationDto {
            id: d.id.clone(),
            kind: d.kind.clone(),
            occurred_on: d.occurred_on.to_string(),
            description: d.description.clone(),
            case_id: d.case_id.clone(),
            reporting_unit_id: d.reporting_unit_id.clone(),
            addressed_unit_id: d.addressed_unit_id.clone(),
            detected: d.detected,
            status: d.status.code(),
            answer_due: d.answer_due.map(|d| d.to_string()),
            dismissal_reason: d.dismissal_reason.clone(),
            investigation: d.investigation.clone(),
            measures: d.measures.clone(),
            conclusion: d.conclusion.clone(),
            version: d.version,
        }
    }
}

#[utoipa::path(tag = "avvikelser", get, path = "/api/v1/deviations",
    responses((status = 200, body = [DeviationDto]), (status = 403, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list_deviations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<DeviationDto>>, ApiError> {
    let all = work::list(&state, &user).await?;
    Ok(Json(all.iter().map(DeviationDto::of).collect()))
}

/// The reported deviation's id.
#[derive(Serialize, ToSchema)]
pub struct ReportedDto {
    pub id: String,
}

#[utoipa::path(tag = "avvikelser", post, path = "/api/v1/deviations", request_body = ReportForm,
    responses((status = 201, body = ReportedDto), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 403, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn report_deviation(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ReportForm>,
) -> Result<(StatusCode, Json<ReportedDto>), ApiError> {
    let id = work::report(&state, &user, body).await?;
    Ok((StatusCode::CREATED, Json(ReportedDto { id })))
}

#[utoipa::path(tag = "avvikelser", get, path = "/api/v1/deviations/{id}",
    params(("id" = String, Path, description = "Deviation id")),
    responses((status = 200, body = DeviationDto), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get_deviation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<DeviationDto>, ApiError> {
    let found = work::open(&state, &user, id).await?;
    Ok(Json(DeviationDto::of(&found)))
}

#[utoipa::path(tag = "avvikelser", post, path = "/api/v1/deviations/{id}/steps", request_body = StepForm,
    params(("id" = String, Path, description = "Deviation id")),
    responses((status = 200, body = DeviationDto), (status = 404, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope), (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn deviation_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepForm>,
) -> Result<Json<DeviationDto>, ApiError> {
    work::take_step(&state, &user, id.clone(), body).await?;
    let found = work::open(&state, &user, id).await?;
    Ok(Json(DeviationDto::of(&found)))
}
