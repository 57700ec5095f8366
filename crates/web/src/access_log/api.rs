//! The access log over the JSON API, for log reviewers.

use crate::AppState;
use crate::access_log::search;
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// This part's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(access_log))]
pub struct Paths;

/// Filters for the access log. Sent in the body, so personnummer never appears in a URL.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AccessLogQuery {
    /// Only accesses to this person's data.
    pub personnummer: String,
    /// Only accesses by this user.
    pub username: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccessLogEntryDto {
    pub at: String,
    pub username: String,
    pub user_name: String,
    pub unit_name: String,
    /// Masked: birth date only.
    pub patient: Option<String>,
    /// `read`, `create`, `update`, `print` or `export`.
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// `allowed` or `denied`.
    pub outcome: String,
}

#[utoipa::path(tag = "atkomstlogg", post, path = "/api/v1/access-log/search", request_body = AccessLogQuery,
    responses((status = 200, body = Vec<AccessLogEntryDto>), (status = 403, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn access_log(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(query): ApiJson<AccessLogQuery>,
) -> Result<Json<Vec<AccessLogEntryDto>>, ApiError> {
    let entries = search::search_access_log(&state, &user, &query.personnummer, &query.username)
        .await
        .map_err(|message| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &message))?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AccessLogEntryDto {
                at: e.at.to_string(),
                username: e.username,
                user_name: e.user_name,
                unit_name: e.unit_name,
                patient: e.patient.map(|(number, _)| number.masked()),
                action: e.action.code().to_owned(),
                object_type: e.object_type,
                object_id: e.object_id,
                outcome: e.outcome.code().to_owned(),
            })
            .collect(),
    ))
}
