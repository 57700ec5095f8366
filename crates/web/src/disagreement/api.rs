//! Oenighet in the JSON API: the case's oenigheter with their ladders, and a step on the current
//! one, under the same rules as the ladder page (`work.rs`).

use crate::AppState;
use crate::case::case_file::case_file;
use crate::disagreement::work::{self, LadderForm};
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use samsyn_domain::disagreement::Outcome;
use samsyn_store::disagreement::record::StoredDisagreement;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(list_disagreements, disagreement_step))]
pub struct Paths;

/// One step of the ladder.
#[derive(Serialize, ToSchema)]
pub struct RungDto {
    /// `lokal`, `ekonomiskt-mandat`, `chefslinjen` or `lan`.
    pub level: &'static str,
    pub region_manager: String,
    pub municipality_manager: String,
    pub raised_on: String,
    /// `overens`, `inte-overens`, `inga-kostnader`, or none yet.
    pub outcome: Option<&'static str>,
    pub outcome_text: String,
    /// `avsandare` or `mottagare`: the side that recorded it.
    pub recorded_by: Option<&'static str>,
    pub confirmed_on: Option<String>,
}

/// An oenighet on the case.
#[derive(Serialize, ToSchema)]
pub struct DisagreementDto {
    pub id: String,
    pub description: String,
    pub interim_arrangement: String,
    pub opened_at: String,
    pub resolved_at: Option<String>,
    pub local_due: Option<String>,
    pub rungs: Vec<RungDto>,
    /// The county report's three parts, when reported.
    pub county_report: Option<[String; 3]>,
    pub county_guidance: Option<String>,
    /// The version a step must carry.
    pub version: i64,
}

fn dto(state: &AppState, d: &StoredDisagreement) -> DisagreementDto {
    DisagreementDto {
        id: d.id.clone(),
        description: d.description.clone(),
        interim_arrangement: d.interim_arrangement.clone(),
        opened_at: d.opened_at.to_string(),
        resolved_at: d.resolved_at.map(|t| t.to_string()),
        local_due: d
            .ladder
            .as_ref()
            .map(|l| l.local_due(&state.rules).to_string()),
        rungs: d
            .ladder
            .iter()
            .flat_map(|l| l.rungs())
            .map(|r| RungDto {
                level: r.level.code(),
                region_manager: r.region_manager.clone(),
                municipality_manager: r.municipality_manager.clone(),
                raised_on: r.raised_on.to_string(),
                outcome: r.outcome.as_ref().map(|(_, _, o)| o.code()),
                outcome_text: r
                    .outcome
                    .as_ref()
                    .map(|(_, _, o): &(_, _, Outcome)| o.text().to_owned())
                    .unwrap_or_default(),
                recorded_by: r.outcome.as_ref().map(|(side, _, _)| side.code()),
                confirmed_on: r.confirmed.map(|(_, on)| on.to_string()),
            })
            .collect(),
        county_report: d.county.as_ref().map(|c| {
            [
                c.report.description.clone(),
                c.report.interpretations.clone(),
                c.report.cause.clone(),
            ]
        }),
        county_guidance: d
            .county
            .as_ref()
            .map(|c| c.guidance.clone())
            .filter(|g| !g.is_empty()),
        version: d.version,
    }
}

#[utoipa::path(tag = "oenighet", get, path = "/api/v1/requests/{id}/disagreements",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [DisagreementDto]), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list_disagreements(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<DisagreementDto>>, ApiError> {
    let file = case_file(&state, &user, id, false).await?;
    Ok(Json(
        file.disagreements.iter().map(|d| dto(&state, d)).collect(),
    ))
}

#[utoipa::path(tag = "oenighet", post, path = "/api/v1/requests/{id}/disagreements/steps", request_body = LadderForm,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [DisagreementDto]), (status = 404, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope), (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn disagreement_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LadderForm>,
) -> Result<Json<Vec<DisagreementDto>>, ApiError> {
    work::take_step(&state, &user, id.clone(), body).await?;
    let file = case_file(&state, &user, id, false).await?;
    Ok(Json(
        file.disagreements.iter().map(|d| dto(&state, d)).collect(),
    ))
}
