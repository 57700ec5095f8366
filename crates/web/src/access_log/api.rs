//! The access log over the JSON API, for log reviewers.

use crate::AppState;
use crate::access_log::search::{self, Criteria, Use};
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use samsyn_store::access_log::{PageAt, Position};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// This part's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(access_log))]
pub struct Paths;

/// Filters for the access log, and which page. Sent in the body, so personnummer never appears
/// in a URL. Every field may be left out.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AccessLogQuery {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Only accesses to this person's data: personnummer or reservnummer.
    pub personnummer: String,
    /// Only accesses by this user.
    pub username: String,
    /// Only accesses from this unit (its id).
    pub unit: String,
    /// `read`, `list`, `create`, `update`, `print` or `export`.
    pub action: String,
    /// `allowed` or `denied`.
    pub outcome: String,
    /// The page after this entry: a previous answer's `next`. 100 entries a page.
    pub after: Option<String>,
    /// The page before this entry: a previous answer's `previous`.
    pub before: Option<String>,
}

/// One page of the log, denials first and then newest first.
#[derive(Serialize, ToSchema)]
pub struct AccessLogPage {
    /// Matching entries in all.
    pub total: i64,
    /// Of which denied.
    pub denied: i64,
    pub entries: Vec<AccessLogEntryDto>,
    /// Send as `after` for the next page; absent on the last page.
    pub next: Option<String>,
    /// Send as `before` for the page before; absent on the first page.
    pub previous: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AccessLogEntryDto {
    pub at: String,
    pub username: String,
    pub user_name: String,
    pub unit_name: String,
    /// Masked: birth date only.
    pub patient: Option<String>,
    /// `read`, `list`, `create`, `update`, `print` or `export`.
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// `allowed` or `denied`.
    pub outcome: String,
}

#[utoipa::path(tag = "atkomstlogg", post, path = "/api/v1/access-log/search", request_body = AccessLogQuery,
    responses((status = 200, body = AccessLogPage), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 403, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn access_log(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(query): ApiJson<AccessLogQuery>,
) -> Result<Json<AccessLogPage>, ApiError> {
    let criteria = Criteria {
        fran: query.from,
        till: query.to,
        personnummer: query.personnummer,
        anvandare: query.username,
        enhet: query.unit,
        handelse: query.action,
        utfall: query.outcome,
    };
    let invalid =
        |message: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &message);
    let checked = criteria.check(&state).map_err(invalid)?;
    let position = |field: &str, token: &str| {
        Position::parse(token).ok_or_else(|| {
            invalid(format!(
                "{field}: ange värdet från ett tidigare svars next eller previous."
            ))
        })
    };
    let at = match (query.after.as_deref(), query.before.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "after och before: ange högst ett av dem.".to_owned(),
            ));
        }
        (Some(after), None) => PageAt::After(position("after", after)?),
        (None, Some(before)) => PageAt::Before(position("before", before)?),
        (None, None) => PageAt::First,
    };
    let found = search::search_access_log(&state, &user, checked, Use::Page(at))
        .await
        .map_err(invalid)?;
    Ok(Json(AccessLogPage {
        total: found.total,
        denied: found.denied,
        next: found.next.map(|p| p.encode()),
        previous: found.previous.map(|p| p.encode()),
        entries: found
            .entries
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
    }))
}
