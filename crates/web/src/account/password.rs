//! Byt lösenord: the signed-in user changes her own password. The current password is required,
//! the new one must pass the password policy, and every other session of the account ends.

use crate::AppState;
use crate::shared::layout::{Layout, render};
use crate::shared::password_policy::new_password_problem;
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_store::users::IdentitySource;
use samsyn_store::{sessions, users};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    klart: Option<String>,
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    layout: Layout,
    local: bool,
    done: bool,
    problems: Vec<(&'static str, String)>,
}

pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<Done>,
) -> Response {
    page(
        &state,
        &user,
        done.klart.is_some(),
        Vec::new(),
        StatusCode::OK,
    )
}

fn page(
    state: &AppState,
    user: &CurrentUser,
    done: bool,
    problems: Vec<(&'static str, String)>,
    status: StatusCode,
) -> Response {
    let layout = Layout::build(state, "Byt lösenord", Some(user));
    render(
        status,
        &PasswordPage {
            layout,
            local: user.user.identity_source == IdentitySource::Local,
            done,
            problems,
        },
    )
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    nuvarande: String,
    #[serde(default)]
    nytt: String,
    #[serde(default)]
    upprepa: String,
}

pub async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    extensions: axum::http::Extensions,
    Form(form): Form<ChangeForm>,
) -> Response {
    if user.user.identity_source != IdentitySource::Local {
        return page(&state, &user, false, Vec::new(), StatusCode::CONFLICT);
    }
    let mut problems = Vec::new();
    let (candidate, username) = (form.nytt.clone(), user.user.username.clone());
    let weakness = tokio::task::spawn_blocking(move || new_password_problem(&candidate, &username))
        .await
        .unwrap_or_else(|_| Some("Lösenordet kunde inte prövas. Försök igen.".to_owned()));
    if let Some(problem) = weakness {
        problems.push(("nytt", problem));
    } else if form.upprepa != form.nytt {
        problems.push(("upprepa", "Lösenorden är inte likadana.".to_owned()));
    }
    // Guessing the current password from a taken-over session is throttled like signing in.
    let address = crate::shared::session::client_address(&state, &headers, &extensions);
    let now = state.clock.now();
    let throttle = state.throttle;
    let username = user.user.username.clone();
    let blocked = problems.is_empty()
        && state
            .db(move |conn| throttle.is_blocked(conn, &username, address, now))
            .await
            .unwrap_or(true);
    if blocked {
        problems.push((
            "nuvarande",
            "För många felaktiga försök. Vänta 15 minuter och försök igen.".to_owned(),
        ));
    } else if problems.is_empty() && !current_password_is(&state, &user, form.nuvarande).await {
        let username = user.user.username.clone();
        if let Err(error) = state
            .db(move |conn| throttle.record_failure(conn, &username, address, now))
            .await
        {
            tracing::error!(%error, "a failed password check could not be counted");
        }
        problems.push((
            "nuvarande",
            "Det nuvarande lösenordet stämmer inte.".to_owned(),
        ));
    }
    if !problems.is_empty() {
        return page(
            &state,
            &user,
            false,
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let new_password = form.nytt;
    let hashed =
        tokio::task::spawn_blocking(move || crate::shared::auth::hash_password(&new_password))
            .await;
    let Ok(Ok(hash)) = hashed else {
        return unavailable(&state, &user);
    };
    let user_id = user.user.id.clone();
    let keep = user.token_hash.clone();
    let saved = state
        .db(move |conn| {
            users::set_password(conn, &user_id, &hash)?;
            sessions::delete_others(conn, &user_id, &keep)
        })
        .await;
    match saved {
        Ok(()) => {
            tracing::info!(user_id = %user.user.id, "password changed");
            Redirect::to("/konto/losenord?klart=1").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "password change failed");
            unavailable(&state, &user)
        }
    }
}

/// Whether `password` is the user's current one (argon2id, on the bounded hashing pool).
async fn current_password_is(state: &AppState, user: &CurrentUser, password: String) -> bool {
    let username = user.user.username.clone();
    let Ok(Some(credentials)) = state
        .db(move |conn| users::credentials_by_username(conn, &username))
        .await
    else {
        return false;
    };
    crate::shared::session::verify_on_pool(state, password, credentials.password_hash)
        .await
        .unwrap_or(false)
}

fn unavailable(state: &AppState, user: &CurrentUser) -> Response {
    crate::shared::layout::message_page(
        state,
        Some(user),
        StatusCode::SERVICE_UNAVAILABLE,
        "Lösenordet kunde inte bytas",
        "Försök igen om en stund. Ditt gamla lösenord gäller fortfarande.",
    )
}
