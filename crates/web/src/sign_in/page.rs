//! Logga in / logga ut.

use crate::AppState;
use crate::shared::auth::{csrf_token_for, new_token};
use crate::shared::layout::{Layout, render};
use crate::shared::session::{
    self, CurrentUser, LOGIN_COOKIE, SESSION_COOKIE, SignInError, cookie, cookie_name, set_cookie,
};
use crate::sign_in::sso::{self, Audience, safe_next};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::{Role, RouteGroup};
use samsyn_store::demo::{self, DemoLogin};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sign_in/login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: String,
    demo_logins: Vec<DemoLogin>,
    demo_password: &'static str,
    /// Staff sign in through the organisation's identity provider.
    single_sign_on: bool,
    /// Local passwords are accepted.
    passwords: bool,
    /// Persons sign in to Min sida.
    person_pages: bool,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    nasta: String,
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    username: String,
    next: String,
    error: String,
) -> Response {
    let (login_token, fresh) = match cookie(
        headers,
        &cookie_name(LOGIN_COOKIE, state.config.secure_cookies),
    ) {
        Some(existing) => (existing, false),
        None => (new_token(), true),
    };
    let mut layout = Layout::new(state, "Logga in", None).await;
    layout.csrf = csrf_token_for(&login_token);
    let demo_logins = if layout.demo {
        state.db(demo::logins).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut response = render(
        status,
        &LoginPage {
            layout,
            username,
            next,
            error,
            demo_logins,
            demo_password: demo::DEMO_PASSWORD,
            single_sign_on: state.sso.for_audience(Audience::Staff).is_some(),
            passwords: state.config.sign_in.local_passwords,
            person_pages: state.sso.for_audience(Audience::Person).is_some(),
        },
    );
    let cookie = set_cookie(
        LOGIN_COOKIE,
        &login_token,
        state.config.secure_cookies,
        None,
    );
    if fresh && let Ok(value) = cookie.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    page(
        &state,
        &headers,
        StatusCode::OK,
        String::new(),
        safe_next(&query.nasta),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    nasta: String,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(&form.nasta);
    let address = session::client_address(&state, &headers, &extensions);
    let previous = cookie(
        &headers,
        &cookie_name(SESSION_COOKIE, state.config.secure_cookies),
    );
    match session::sign_in(&state, &form.username, &form.password, address, previous).await {
        Ok((token, _user)) => {
            let max_age = state.config.sessions.absolute_timeout.as_secs();
            let cookie = set_cookie(
                SESSION_COOKIE,
                &token,
                state.config.secure_cookies,
                Some(max_age),
            );
            ([(SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
        }
        Err(error) => {
            let (status, message) = match error {
                SignInError::Throttled => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "För många misslyckade inloggningar. Vänta 15 minuter, eller be en administratör låsa upp kontot.",
                ),
                SignInError::BadCredentials => (
                    StatusCode::UNAUTHORIZED,
                    "Fel användarnamn eller lösenord. Kontrollera och försök igen.",
                ),
                SignInError::LocalPasswordsOff => (
                    StatusCode::FORBIDDEN,
                    "Inloggning med lösenord är avstängd. Logga in med e-legitimation.",
                ),
                SignInError::Unavailable => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Inloggningen fungerar inte just nu. Försök igen om en stund.",
                ),
            };
            page(
                &state,
                &headers,
                status,
                form.username,
                next,
                message.to_owned(),
            )
            .await
        }
    }
}

/// Ends the local session, then the provider's too when the user signed in there.
pub async fn logout(State(state): State<AppState>, user: Option<CurrentUser>) -> Response {
    if let Some(user) = &user {
        session::sign_out(&state, user).await;
    }
    let after = sso::after_sign_out(&state, user.as_ref()).await;
    let cleared = set_cookie(SESSION_COOKIE, "", state.config.secure_cookies, Some(0));
    ([(SET_COOKIE, cleared)], Redirect::to(&after)).into_response()
}

/// The start page is the user's own work: the inbox for care staff; their deviations and
/// disagreements for the unit's enhetschef and samordnare; the log review for the logggranskare,
/// the accounts for the administrator, the reported oenigheter for the county group, the
/// follow-up for chefsgruppen and Hälsoval, the tilläggsbelopp for the ekonom.
pub(super) async fn home(user: Option<CurrentUser>) -> Redirect {
    let Some(user) = user else {
        return Redirect::to("/logga-in");
    };
    let role = user.user.role;
    Redirect::to(if matches!(role, Role::UnitManager | Role::Coordinator) {
        "/avvikelser"
    } else if RouteGroup::CaseList.admits(role) {
        "/inkorg"
    } else if RouteGroup::AccessLogReview.admits(role) {
        "/logg"
    } else if RouteGroup::Administration.admits(role) {
        "/admin/anvandare"
    } else if RouteGroup::CountyGroup.admits(role) {
        "/lansgrupp"
    } else if RouteGroup::HealthChoice.admits(role) {
        "/uppfoljning/enkat"
    } else if RouteGroup::FollowUpDecisions.admits(role) {
        "/uppfoljning"
    } else {
        "/tillagg"
    })
}
