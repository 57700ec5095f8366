//! The rehabiliteringsplan in the JSON API: its versions and the prescriber's follow-ups, and
//! writing a new version or a follow-up under the same rules as the case page's panel
//! (`panel.rs`).

use crate::AppState;
use crate::care::plan::api::{FollowUpDto, FollowUpWriteDto};
use crate::care::rehab::panel::{self, RehabFollowUpForm, RehabPlanForm};
use crate::case::case_file as casework;
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(get_rehab_plan, save_rehab_plan, record_rehab_follow_up))]
pub struct Paths;

/// One version of the plan.
#[derive(Serialize, ToSchema)]
pub struct RehabPlanVersionDto {
    pub version: i64,
    pub goals: String,
    pub interventions: String,
    /// `rehabprofessionen`, `overlatet` or `egenvard`.
    pub performer: &'static str,
    /// To whom the insatser are handed; empty unless `overlatet`.
    pub delegated_to: String,
    pub team: String,
    pub person_took_part: bool,
    pub absence_reason: String,
    /// Ordinatör: who follows the plan up.
    pub prescriber: String,
    /// The follow-up frequency's code in the rule set.
    pub frequency: String,
    pub first_follow_up: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// The plan's versions oldest first, the follow-ups newest first, the case's next follow-up, and
/// the case version a write must carry.
#[derive(Serialize, ToSchema)]
pub struct RehabPlanDto {
    pub versions: Vec<RehabPlanVersionDto>,
    pub follow_ups: Vec<FollowUpDto>,
    pub next_follow_up: Option<String>,
    pub case_version: i64,
}

#[utoipa::path(tag = "rehabiliteringsplan", get, path = "/api/v1/requests/{id}/rehab-plan",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = RehabPlanDto), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get_rehab_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<RehabPlanDto>, ApiError> {
    let file = casework::case_file(&state, &user, id, false).await?;
    Ok(Json(RehabPlanDto {
        case_version: file.case.version,
        next_follow_up: file.case.follow_up_due.map(|d| d.to_string()),
        follow_ups: file.rehab_follow_ups.iter().map(FollowUpDto::of).collect(),
        versions: file
            .rehab_plans
            .iter()
            .map(|v| RehabPlanVersionDto {
                version: v.version,
                goals: v.plan.goals.clone(),
                interventions: v.plan.interventions.clone(),
                performer: v.plan.performer.code(),
                delegated_to: v.plan.delegated_to.clone(),
                team: v.plan.team.clone(),
                person_took_part: v.plan.person_took_part,
                absence_reason: v.plan.absence_reason.clone(),
                prescriber: v.plan.prescriber.clone(),
                frequency: v.plan.frequency.clone(),
                first_follow_up: v.plan.first_follow_up.to_string(),
                recorded_at: v.recorded_at.to_string(),
                recorded_by: format!("{}, {}", v.user_name, v.unit_name),
            })
            .collect(),
    }))
}

/// The version that was saved.
#[derive(Serialize, ToSchema)]
pub struct RehabPlanWriteDto {
    pub version: i64,
}

#[utoipa::path(tag = "rehabiliteringsplan", post, path = "/api/v1/requests/{id}/rehab-plan", request_body = RehabPlanForm,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = RehabPlanWriteDto), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 403, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn save_rehab_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RehabPlanForm>,
) -> Result<Json<RehabPlanWriteDto>, ApiError> {
    let version = panel::record(&state, &user, id, body).await?;
    Ok(Json(RehabPlanWriteDto { version }))
}

#[utoipa::path(tag = "rehabiliteringsplan", post, path = "/api/v1/requests/{id}/rehab-plan/follow-ups", request_body = RehabFollowUpForm,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = FollowUpWriteDto), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 403, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn record_rehab_follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RehabFollowUpForm>,
) -> Result<Json<FollowUpWriteDto>, ApiError> {
    let next = panel::record_follow_up(&state, &user, id, body).await?;
    Ok(Json(FollowUpWriteDto {
        next_due: next.to_string(),
    }))
}
