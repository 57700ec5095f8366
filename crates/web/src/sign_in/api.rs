//! Signing in over the JSON API: `POST /api/v1/session` returns a token to send as
//! `Authorization: Bearer`; a browser session cookie also works, with the CSRF token in
//! `X-CSRF-Token` on writes.

use crate::AppState;
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::session::CurrentUser;
use crate::shared::session::{self, SignInError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// This part's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(login, logout, me))]
pub struct Paths;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub user: UserDto,
}

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub username: String,
    pub name: String,
    /// Role code, e.g. `lakare`, `sjukskoterska`.
    pub role: String,
    pub unit_id: String,
    pub unit_name: String,
    /// Token for `X-CSRF-Token` when the API is called with the session cookie.
    pub csrf_token: String,
}

fn user_dto(user: &CurrentUser) -> UserDto {
    UserDto {
        id: user.user.id.clone(),
        username: user.user.username.clone(),
        name: user.user.display_name.clone(),
        role: user.user.role.code().to_owned(),
        unit_id: user.unit.id.clone(),
        unit_name: user.unit.name.clone(),
        csrf_token: user.csrf_token.clone(),
    }
}

#[utoipa::path(tag = "inloggning", post, path = "/api/v1/session", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::shared::error::ErrorEnvelope),
              (status = 429, body = crate::shared::error::ErrorEnvelope)))]
pub async fn login(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    extensions: axum::http::Extensions,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Response {
    let address = session::client_address(&state, &headers, &extensions);
    match session::sign_in(&state, &body.username, &body.password, address, None).await {
        Ok((token, user)) => {
            let csrf_token = crate::shared::auth::csrf_token_for(&token);
            let unit_name = state
                .db({
                    let unit_id = user.unit_id.clone();
                    move |conn| samsyn_store::units::get(conn, &unit_id)
                })
                .await
                .map(|u| u.name)
                .unwrap_or_default();
            Json(LoginResponse {
                user: UserDto {
                    id: user.id,
                    username: user.username,
                    name: user.display_name,
                    role: user.role.code().to_owned(),
                    unit_id: user.unit_id,
                    unit_name,
                    csrf_token,
                },
                token,
            })
            .into_response()
        }
        Err(SignInError::Throttled) => ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            "För många misslyckade inloggningar. Vänta 15 minuter, eller be en administratör låsa upp kontot.",
        )
        .into_response(),
        Err(SignInError::BadCredentials) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "Fel användarnamn eller lösenord.",
        )
        .into_response(),
        Err(SignInError::LocalPasswordsOff) => ApiError::new(
            StatusCode::FORBIDDEN,
            "local_login_off",
            "Inloggning med lösenord är avstängd här. Logga in med e-legitimation i webbläsaren.",
        )
        .into_response(),
        Err(SignInError::Unavailable) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Inloggningen fungerar inte just nu.",
        )
        .into_response(),
    }
}

#[utoipa::path(tag = "inloggning", delete, path = "/api/v1/session", responses((status = 204)), security(("bearer" = [])))]
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> StatusCode {
    session::sign_out(&state, &user).await;
    StatusCode::NO_CONTENT
}

#[utoipa::path(tag = "inloggning", get, path = "/api/v1/me", responses((status = 200, body = UserDto)), security(("bearer" = [])))]
pub async fn me(user: CurrentUser) -> Json<UserDto> {
    Json(user_dto(&user))
}
