//! Min sida: a person signed in through an e-identification broker sees her own pages and
//! nothing else. Her session is kept apart from staff sessions, so it never opens a staff page,
//! and a staff session never opens hers. Her plans are `care::plan::own`'s and
//! `care::rehab::own`'s.

use crate::AppState;
use crate::care::plan::own::OwnPlanView;
use crate::care::rehab::own::OwnRehabView;
use crate::shared::auth::{csrf_token_for, new_token, token_hash};
use crate::shared::layout::{Layout, render};
use crate::shared::session::{PERSON_COOKIE, cookie, cookie_name, current_person, set_cookie};
use crate::sign_in::sso::{self, Audience, Callback, Refused};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::Personnummer;
use samsyn_store::person_sessions::{self, PersonSession};

#[derive(Template)]
#[template(path = "sign_in/own_page.html")]
struct OwnPage {
    layout: Layout,
    person: Option<PersonSession>,
    configured: bool,
    /// Her fastställda behandlingsplaner.
    plans: Vec<OwnPlanView>,
    /// Her rehabiliteringsplaner.
    rehab_plans: Vec<OwnRehabView>,
}

/// `GET /min-sida`: her own page, or the way to sign in.
pub async fn own_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = current_person(&state, &headers).await;
    let mut layout = Layout::new(&state, "Min sida", None).await;
    let mut plans = Vec::new();
    let mut rehab_plans = Vec::new();
    if let Some((person, token)) = &signed_in {
        layout.csrf = csrf_token_for(token);
        plans = crate::care::plan::own::plans(&state, person).await;
        rehab_plans = crate::care::rehab::own::rehab_plans(&state, person).await;
    }
    render(
        StatusCode::OK,
        &OwnPage {
            layout,
            person: signed_in.map(|(person, _)| person),
            configured: state.sso.for_audience(Audience::Person).is_some(),
            plans,
            rehab_plans,
        },
    )
}

/// `GET /min-sida/logga-in`: to the e-identification.
pub async fn start(State(state): State<AppState>) -> Response {
    sso::start(&state, Audience::Person, "/min-sida".to_owned()).await
}

/// `GET /min-sida/logga-in/klar`: back from the e-identification with a personnummer.
pub async fn finish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(callback): Query<Callback>,
) -> Response {
    let (verified, next) = match sso::finish(&state, &headers, Audience::Person, callback).await {
        Ok(done) => done,
        Err(reason) => return sso::refused(&state, Audience::Person, reason),
    };
    let Ok(personnummer) = Personnummer::parse(&verified.identity, state.today()) else {
        return sso::refused(&state, Audience::Person, Refused::NoIdentity);
    };
    let name = verified.name.unwrap_or_default();
    let token = new_token();
    let hash = token_hash(&token);
    let previous = cookie(
        &headers,
        &cookie_name(PERSON_COOKIE, state.config.secure_cookies),
    );
    let now = state.clock.now();
    let (idle_cutoff, absolute_cutoff) = state.config.sessions.cutoffs(now);
    let stored = state
        .db(move |conn| {
            if let Some(previous) = previous {
                person_sessions::delete(conn, &token_hash(&previous))?;
            }
            person_sessions::delete_expired(conn, idle_cutoff, absolute_cutoff)?;
            person_sessions::create(conn, &hash, &personnummer, &name, now)
        })
        .await;
    if stored.is_err() {
        return sso::refused(&state, Audience::Person, Refused::Unavailable);
    }
    sso::signed_in(&state, PERSON_COOKIE, &token, &next)
}

/// `POST /min-sida/logga-ut`: ends her session.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(
        &headers,
        &cookie_name(PERSON_COOKIE, state.config.secure_cookies),
    ) {
        let hash = token_hash(&token);
        if let Err(error) = state
            .db(move |conn| person_sessions::delete(conn, &hash))
            .await
        {
            tracing::error!(%error, "could not end the person's session");
        }
    }
    let cleared = set_cookie(PERSON_COOKIE, "", state.config.secure_cookies, Some(0));
    ([(SET_COOKIE, cleared)], Redirect::to("/min-sida")).into_response()
}
