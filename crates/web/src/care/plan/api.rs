//! The medicinsk behandlingsplan in the JSON API: every version with its items by party, the
//! signatures and the follow-ups; saving the caller's party's items and signing, under the same
//! rules as the plan page (`work.rs`).

use crate::AppState;
use crate::care::plan::work::{self, FollowUpForm, PlanForm, seen_marker};
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use samsyn_domain::care::treatment_plan::PlanItem;
use samsyn_domain::{AccessAction, Side};
use samsyn_store::care::follow_up::StoredFollowUp;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(get_plan, save_plan, sign_plan, record_follow_up))]
pub struct Paths;

fn party(side: Option<Side>) -> &'static str {
    match side {
        Some(side) => side.code(),
        None => "gemensam",
    }
}

/// One item of a version.
#[derive(Serialize, ToSchema)]
pub struct PlanItemDto {
    pub label: &'static str,
    /// `avsandare` (the region), `mottagare` (the municipality) or `gemensam`.
    pub written_by: &'static str,
    /// Empty while it is missing.
    pub text: String,
}

/// A version of the plan.
#[derive(Serialize, ToSchema)]
pub struct PlanVersionDto {
    pub number: i64,
    /// `faststalld` or `utkast`.
    pub status: &'static str,
    pub established_at: Option<String>,
    pub changed_at: String,
    pub changed_by: String,
    /// "avsandare: Lena Lind, Vårdcentralen …" per signature.
    pub signatures: Vec<String>,
    pub items: Vec<PlanItemDto>,
}

/// A recorded follow-up.
#[derive(Serialize, ToSchema)]
pub struct FollowUpDto {
    pub held_on: String,
    pub checked: String,
    /// `fortsatt`, `revidera` or `avslut`.
    pub outcome: &'static str,
    pub next_due: String,
    pub plan_version: i64,
    pub recorded_by: String,
}

impl FollowUpDto {
    pub fn of(f: &StoredFollowUp) -> Self {
        FollowUpDto {
            held_on: f.follow_up.held_on.to_string(),
            checked: f.follow_up.checked.clone(),
            outcome: f.follow_up.outcome.code(),
            next_due: f.follow_up.next_due.to_string(),
            plan_version: f.plan_version,
            recorded_by: format!("{}, {}", f.user_name, f.unit_name),
        }
    }
}

/// The plan: every version oldest first, the follow-ups newest first, the next follow-up, and
/// the marker a save or signature must carry.
#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    pub versions: Vec<PlanVersionDto>,
    pub follow_ups: Vec<FollowUpDto>,
    pub next_follow_up: Option<String>,
    /// Pass back as `seen`: a save or signature over a newer change is refused (409).
    pub seen: i64,
}

#[utoipa::path(tag = "behandlingsplan", get, path = "/api/v1/requests/{id}/plan",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = PlanDto), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<PlanDto>, ApiError> {
    let file = work::plan_file(&state, &user, id, AccessAction::Read).await?;
    let rules = &state.rules.treatment_plan;
    Ok(Json(PlanDto {
        seen: seen_marker(&file.versions),
        next_follow_up: file.follow_up_due.map(|d| d.to_string()),
        follow_ups: file.follow_ups.iter().map(FollowUpDto::of).collect(),
        versions: file
            .versions
            .iter()
            .map(|v| PlanVersionDto {
                number: v.number,
                status: if v.established_at.is_some() {
                    "faststalld"
                } else {
                    "utkast"
                },
                established_at: v.established_at.map(|t| t.to_string()),
                changed_at: v.changed_at.to_string(),
                changed_by: format!("{}, {}", v.changed_by.0, v.changed_by.1),
                signatures: v
                    .signatures
                    .iter()
                    .map(|s| format!("{}: {}, {}", s.side.code(), s.user_name, s.unit_name))
                    .collect(),
                items: PlanItem::ALL
                    .into_iter()
                    .map(|item| PlanItemDto {
                        label: item.label(),
                        written_by: party(item.owner()),
                        text: item.shown(&v.content, rules),
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// The caller's party's items, with the marker from the last read.
#[derive(Deserialize, ToSchema)]
pub struct SavePlanBody {
    #[serde(default)]
    pub seen: i64,
    #[serde(flatten)]
    pub plan: PlanForm,
}

/// The version number that was saved or signed, and whether it is now fastställd.
#[derive(Serialize, ToSchema)]
pub struct PlanWriteDto {
    pub version: i64,
    pub established: bool,
}

#[utoipa::path(tag = "behandlingsplan", put, path = "/api/v1/requests/{id}/plan", request_body = SavePlanBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = PlanWriteDto), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn save_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SavePlanBody>,
) -> Result<Json<PlanWriteDto>, ApiError> {
    let version = work::save(&state, &user, id, body.seen, body.plan).await?;
    Ok(Json(PlanWriteDto {
        version,
        established: false,
    }))
}

/// The marker from the last read: the signature is of exactly what was read.
#[derive(Deserialize, ToSchema)]
pub struct SignPlanBody {
    #[serde(default)]
    pub seen: i64,
}

#[utoipa::path(tag = "behandlingsplan", post, path = "/api/v1/requests/{id}/plan/signature", request_body = SignPlanBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = PlanWriteDto), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn sign_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SignPlanBody>,
) -> Result<Json<PlanWriteDto>, ApiError> {
    let file_id = id.clone();
    let established = work::sign(&state, &user, id, body.seen).await?;
    let file = work::plan_file(&state, &user, file_id, AccessAction::Read).await?;
    Ok(Json(PlanWriteDto {
        version: file.versions.last().map_or(0, |v| v.number),
        established,
    }))
}

/// The next follow-up's date.
#[derive(Serialize, ToSchema)]
pub struct FollowUpWriteDto {
    pub next_due: String,
}

#[utoipa::path(tag = "behandlingsplan", post, path = "/api/v1/requests/{id}/plan/follow-ups", request_body = FollowUpForm,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = FollowUpWriteDto), (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn record_follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FollowUpForm>,
) -> Result<Json<FollowUpWriteDto>, ApiError> {
    let next = work::record_follow_up(&state, &user, id, body).await?;
    Ok(Json(FollowUpWriteDto {
        next_due: next.to_string(),
    }))
}
