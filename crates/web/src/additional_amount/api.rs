//! The tilläggsbelopp over the API: the year's calculation (the documented JSON), the year's
//! versions, one version with its stored statement, and the decision cycle's writes. Refusals
//! come back as 409 with the domain's message.

use crate::AppState;
use crate::additional_amount::cycle::{self as cycle, CycleError};
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use samsyn_domain::additional_amount::decision::{DecisionRecord, DecisionStatus};
use samsyn_store::StoreError;
use samsyn_store::additional_amount::{self as store, VersionSummary};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// This part's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(calculation, versions, create, version, recompute, step, correct))]
pub struct Paths;

fn error(e: CycleError) -> ApiError {
    match e {
        CycleError::Calculation(text) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "cannot_compute", &text)
        }
        CycleError::Store(StoreError::Refused(refusal)) => {
            ApiError::new(StatusCode::CONFLICT, "refused", &refusal.to_string())
        }
        CycleError::Store(StoreError::Conflict) => ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            &StoreError::Conflict.to_string(),
        ),
        CycleError::Store(StoreError::NotFound) => {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "Versionen finns inte.")
        }
        CycleError::Store(other) => {
            tracing::error!(error = %other, "tilläggsbelopp: lagringen misslyckades");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Något gick fel. Försök igen om en stund.",
            )
        }
    }
}

/// A version without its statement.
#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    pub id: String,
    pub year: i16,
    pub version: i32,
    /// `utkast`, `presenterat`, `beslutat` or `utbetalningsunderlag`.
    pub status: String,
    pub corrects: Option<String>,
    pub reason: Option<String>,
    pub rules: String,
    pub created_by: String,
    pub created_at: String,
}

fn dto(v: &VersionSummary) -> VersionDto {
    VersionDto {
        id: v.id.clone(),
        year: v.year,
        version: v.version,
        status: v.status.code().to_owned(),
        corrects: v.corrects.clone(),
        reason: v.reason.clone(),
        rules: v.rules.clone(),
        created_by: v.created_by.clone(),
        created_at: v.created_at.to_string(),
    }
}

/// The year's calculation from the current inputs: `year`, `rules`, `total`, `pots` with
/// `allocations`, `municipalities`, and what explains them.
#[utoipa::path(tag = "tillaggsbelopp", get, path = "/api/v1/tillagg/{year}",
    params(("year" = i16, Path, description = "Året, ÅÅÅÅ")),
    responses((status = 200, body = Object), (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn calculation(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(year): Path<i16>,
) -> Response {
    match cycle::current(&state, year).await {
        Ok(statement) => Json(statement).into_response(),
        Err(e) => error(e).into_response(),
    }
}

#[utoipa::path(tag = "tillaggsbelopp", get, path = "/api/v1/tillagg/{year}/versions",
    params(("year" = i16, Path, description = "Året, ÅÅÅÅ")),
    responses((status = 200, body = Vec<VersionDto>)), security(("bearer" = [])))]
pub async fn versions(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(year): Path<i16>,
) -> Response {
    match state.db(move |c| store::versions_of(c, year)).await {
        Ok(list) => Json(list.iter().map(dto).collect::<Vec<_>>()).into_response(),
        Err(e) => error(e.into()).into_response(),
    }
}

#[utoipa::path(tag = "tillaggsbelopp", post, path = "/api/v1/tillagg/{year}/versions",
    params(("year" = i16, Path, description = "Året, ÅÅÅÅ")),
    responses((status = 201, body = VersionDto), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(year): Path<i16>,
) -> Response {
    match cycle::create_draft(&state, &user, year).await {
        Ok(id) => created(&state, id).await,
        Err(e) => error(e).into_response(),
    }
}

async fn created(state: &AppState, id: String) -> Response {
    match state.db(move |c| store::version(c, &id)).await {
        Ok(v) => (StatusCode::CREATED, Json(dto(&v.summary))).into_response(),
        Err(e) => error(e.into()).into_response(),
    }
}

/// A version with its stored statement, exactly as it was decided.
#[derive(Serialize, ToSchema)]
pub struct StoredVersionDto {
    #[serde(flatten)]
    pub version: VersionDto,
    #[schema(value_type = Object)]
    pub statement: serde_json::Value,
}

#[utoipa::path(tag = "tillaggsbelopp", get, path = "/api/v1/tillagg/versions/{id}",
    params(("id" = String, Path, description = "Versionens id")),
    responses((status = 200, body = StoredVersionDto), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn version(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let stored = state.db(move |c| store::version(c, &id)).await;
    let parsed = stored.and_then(|v| {
        serde_json::from_str(&v.statement)
            .map(|statement| (v, statement))
            .map_err(|_| StoreError::Corrupt("sparad beräkning går inte att läsa".into()))
    });
    match parsed {
        Ok((v, statement)) => Json(StoredVersionDto {
            version: dto(&v.summary),
            statement,
        })
        .into_response(),
        Err(e) => error(e.into()).into_response(),
    }
}

/// Räkna om: replaces a draft's calculation with one from the current inputs; a presented or
/// decided version is refused (409).
#[utoipa::path(tag = "tillaggsbelopp", put, path = "/api/v1/tillagg/versions/{id}",
    params(("id" = String, Path, description = "Versionens id")),
    responses((status = 204), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn recompute(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    match cycle::recompute(&state, &id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => error(e).into_response(),
    }
}

/// What a decision says: who decided, when, and where it is minuted. Required for `beslutat`;
/// the other steps take no body.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct DecisionBody {
    /// Beslutande organ, e.g. "Regionstyrelsen".
    pub body: String,
    /// Beslutsdatum, ÅÅÅÅ-MM-DD; not after today.
    pub decided_on: String,
    /// Protokollsreferens, e.g. "RS § 123".
    pub minutes: String,
}

/// One step forward: `presenterat`, `beslutat` (with the decision's body, date and minutes) or
/// `utbetalningsunderlag`.
#[utoipa::path(tag = "tillaggsbelopp", post, path = "/api/v1/tillagg/versions/{id}/steps/{status}",
    params(("id" = String, Path, description = "Versionens id"), ("status" = String, Path, description = "Nästa steg: presenterat, beslutat eller utbetalningsunderlag")),
    request_body(content = DecisionBody, description = "Bara för beslutat: organ, datum och protokoll"),
    responses((status = 204), (status = 409, body = crate::shared::error::ErrorEnvelope), (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, status)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let Some(to) = DecisionStatus::parse(&status) else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_step",
            "Steget finns inte: presenterat, beslutat eller utbetalningsunderlag.",
        )
        .into_response();
    };
    let record = if to == DecisionStatus::Decided {
        let Ok(decision) = serde_json::from_slice::<DecisionBody>(&body) else {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_json",
                "Ett beslut kräver JSON med body, decided_on och minutes.",
            )
            .into_response();
        };
        match DecisionRecord::parse(
            &decision.body,
            &decision.decided_on,
            &decision.minutes,
            state.today(),
        ) {
            Ok(record) => Some(record),
            Err(errors) => {
                // The problems named by this body's fields, not the form's.
                let errors = errors
                    .into_iter()
                    .map(|mut e| {
                        e.field = match e.field {
                            "organ" => "body",
                            "beslutsdatum" => "decided_on",
                            _ => "minutes",
                        };
                        e
                    })
                    .collect();
                return ApiError::from(crate::shared::error::WorkflowError::Invalid(errors))
                    .into_response();
            }
        }
    } else {
        None
    };
    match cycle::advance(&state, &user, &id, to, record).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => error(e).into_response(),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CorrectionBody {
    /// Why the decided version is corrected.
    pub reason: String,
}

/// Rätta: a new draft from the current inputs, with the reason; the decided version stays.
#[utoipa::path(tag = "tillaggsbelopp", post, path = "/api/v1/tillagg/versions/{id}/corrections", request_body = CorrectionBody,
    params(("id" = String, Path, description = "Versionens id")),
    responses((status = 201, body = VersionDto), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CorrectionBody>,
) -> Response {
    match cycle::correct(&state, &user, &id, &body.reason).await {
        Ok(new_id) => created(&state, new_id).await,
        Err(e) => error(e).into_response(),
    }
}
