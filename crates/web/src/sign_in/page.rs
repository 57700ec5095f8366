//! Logga in / logga ut.

use crate::AppState;
use crate::shared::auth::{csrf_token_for, new_token};
use crate::shared::layout::{Layout, render};
use crate::shared::session::{
    self, CurrentUser, LOGIN_COOKIE, SESSION_COOKIE, SignInError, cookie, cookie_name, set_cookie,
};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::RouteGroup;
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
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    nasta: String,
}

/// Where to go after signing in: only a path on this site. It must start with exactly one `/`
/// and hold no `\` and no control characters anywhere, because browsers drop tabs and newlines
/// (`/\t/evil.example` would become `//evil.example`, another site) and read `\` as `/`.
/// Anything else goes to the start page, which sends each role to its work.
fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next[1..].starts_with('/')
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
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

pub async fn logout(State(state): State<AppState>, user: Option<CurrentUser>) -> Response {
    if let Some(user) = user {
        session::sign_out(&state, &user).await;
    }
    let cleared = set_cookie(SESSION_COOKIE, "", state.config.secure_cookies, Some(0));
    ([(SET_COOKIE, cleared)], Redirect::to("/logga-in")).into_response()
}

/// The start page is the user's own work: the inbox for care staff, the log review for the
/// logggranskare, the accounts for the administrator, the economy for the rest, who work without patient identities.
pub(super) async fn home(user: Option<CurrentUser>) -> Redirect {
    let Some(user) = user else {
        return Redirect::to("/logga-in");
    };
    let role = user.user.role;
    Redirect::to(if RouteGroup::CaseList.admits(role) {
        "/inkorg"
    } else if RouteGroup::AccessLogReview.admits(role) {
        "/logg"
    } else if RouteGroup::Administration.admits(role) {
        "/admin/anvandare"
    } else {
        "/tillagg"
    })
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(safe_next("/begaran/1?flik=2"), "/begaran/1?flik=2");
        assert_eq!(safe_next("/matning/sök"), "/matning/sök");
        for hostile in [
            "",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "\t//evil.example",
            "/inkorg\r\nSet-Cookie: x=y",
            "/a\\b",
            "/\u{7f}x",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile:?}");
        }
    }
}
