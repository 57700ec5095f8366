//! Sign-in settings through the real router on both engines: local passwords turned off, the
//! identity provider away, a return from it without a flow, a session's identity source in
//! every access-log entry, and persons' and staff sessions kept apart. The full flow against a
//! real OpenID provider is the browser test `e2e/tests/inloggning.spec.ts`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use axum::http::StatusCode;
use common::{Browser, app, app_with, csrf_in};
use samsyn_domain::{IdentitySource, Personnummer};
use samsyn_store::access_log::{self, Filter};
use samsyn_store::{person_sessions, sessions, users};
use samsyn_testkit::{TestDb, on_both_engines_async};
use samsyn_web::SignInConfig;
use samsyn_web::shared::auth::{csrf_token_for, new_token, token_hash};
use samsyn_web::sign_in::oidc::OidcSettings;

/// A provider nobody answers for: port 9 (discard) on loopback.
fn absent_provider() -> OidcSettings {
    OidcSettings {
        issuer: "http://127.0.0.1:9".into(),
        client_id: "samsyn".into(),
        client_secret: Some("hemlig".into()),
        identity_claim: "hsa_id".into(),
        accepted_acr: vec!["http://id.sambi.se/loa/loa3".into()],
        scopes: vec![],
    }
}

async fn without_local_passwords_only_the_provider_signs_in(db: TestDb) {
    let app = app_with(
        db,
        false,
        SignInConfig {
            local_passwords: false,
            staff: Some(absent_provider()),
            ..SignInConfig::default()
        },
    );
    let mut browser = Browser::new(&app);
    let page = browser.get("/logga-in").await;
    assert!(page.body.contains("Logga in med SITHS eID"));
    assert!(
        !page.body.contains("type=\"password\""),
        "no password field"
    );
    // What a form would carry, from the sign-in page's own cookie.
    let csrf = csrf_token_for(&browser.cookie("samsyn_login").unwrap());
    let refused = browser
        .post_form(
            "/logga-in",
            &[
                ("csrf_token", &csrf),
                ("username", "lakare"),
                ("password", samsyn_store::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Inloggning med lösenord är avstängd"));
    assert!(
        browser
            .get("/inkorg")
            .await
            .location()
            .starts_with("/logga-in")
    );

    let api = common::api(
        &app,
        axum::http::Method::POST,
        "/api/v1/session",
        None,
        Some(serde_json::json!({
            "username": "lakare",
            "password": samsyn_store::demo::DEMO_PASSWORD,
        })),
    )
    .await;
    assert_eq!(api.0, StatusCode::FORBIDDEN);
    assert_eq!(api.1["error"]["code"], "local_login_off");

    // The provider is away: a plain Swedish page, no stack trace, nothing stored.
    let away = browser.get("/logga-in/sso?nasta=/inkorg").await;
    assert_eq!(away.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        away.body
            .contains("Samsyn når inte tjänsten för e-legitimation")
    );
}

async fn a_return_from_the_provider_needs_its_own_flow(db: TestDb) {
    let app = app_with(
        db,
        false,
        SignInConfig {
            staff: Some(absent_provider()),
            ..SignInConfig::default()
        },
    );
    let mut browser = Browser::new(&app);
    let forged = browser
        .get("/logga-in/sso/klar?code=stulen&state=gissad")
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert!(forged.body.contains("Inloggningen gick inte att slutföra"));
    // A flow cookie that names no flow is no better.
    browser.set_cookie("samsyn_sso", &new_token());
    let unknown = browser
        .get("/logga-in/sso/klar?code=stulen&state=gissad")
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        browser
            .get("/inkorg")
            .await
            .location()
            .starts_with("/logga-in")
    );
}

async fn every_access_log_entry_says_how_its_session_was_proven(db: TestDb) {
    let app = app(db);
    let now = common::NOW.parse().unwrap();
    let token = new_token();
    let nurse = app
        .store
        .transaction(|conn| {
            let nurse = users::credentials_by_username(conn, "sjukskoterska")?
                .unwrap()
                .user;
            sessions::create(
                conn,
                &token_hash(&token),
                &nurse.id,
                IdentitySource::Oidc,
                now,
            )?;
            Ok(nurse)
        })
        .unwrap();
    let logged = |app: &common::App| {
        app.store
            .transaction(|conn| {
                access_log::search(
                    conn,
                    &Filter {
                        user_id: Some(nurse.id.clone()),
                        ..Filter::default()
                    },
                    &samsyn_store::access_log::PageAt::First,
                    10_000,
                )
            })
            .unwrap()
            .entries
    };
    let before: Vec<String> = logged(&app).into_iter().map(|e| e.id).collect();
    let mut browser = Browser::new(&app);
    browser.set_cookie("samsyn_session", &token);
    let inbox = browser.get("/inkorg").await;
    assert_eq!(inbox.status, StatusCode::OK);
    let new: Vec<_> = logged(&app)
        .into_iter()
        .filter(|e| !before.contains(&e.id))
        .collect();
    assert!(!new.is_empty(), "the inbox lists patients");
    assert!(
        new.iter()
            .all(|e| e.identity_source == IdentitySource::Oidc)
    );
    // A session begun at the provider keeps the same idle timeout as any.
    app.clock.advance(jiff::SignedDuration::from_mins(31));
    assert!(
        browser
            .get("/inkorg")
            .await
            .location()
            .starts_with("/logga-in")
    );
    // A password session of the same user is logged as such.
    let mut by_password = Browser::new(&app);
    by_password.login("sjukskoterska").await;
    by_password.get("/inkorg").await;
    let newest = app
        .store
        .transaction(|conn| {
            access_log::search(
                conn,
                &Filter {
                    user_id: Some(nurse.id.clone()),
                    ..Filter::default()
                },
                &samsyn_store::access_log::PageAt::First,
                1,
            )
        })
        .unwrap()
        .entries;
    assert_eq!(newest[0].identity_source, IdentitySource::Local);
}

async fn a_persons_session_and_a_staff_session_never_cross(db: TestDb) {
    let app = app(db);
    let now = common::NOW.parse().unwrap();
    let token = new_token();
    let number = Personnummer::parse("200306062381", jiff::civil::date(2026, 11, 20)).unwrap();
    app.store
        .transaction(|conn| {
            person_sessions::create(conn, &token_hash(&token), &number, "Ingrid Invånare", now)
        })
        .unwrap();
    let mut person = Browser::new(&app);
    person.set_cookie("samsyn_person", &token);
    let own = person.get("/min-sida").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("Ingrid Invånare"));
    assert!(own.body.contains("20030606-2381"));
    for staff_page in ["/inkorg", "/logg", "/tillagg", "/admin/anvandare", "/"] {
        let answer = person.get(staff_page).await;
        assert!(
            answer.location().starts_with("/logga-in"),
            "{staff_page}: {}",
            answer.status
        );
    }
    // Even sent as a staff cookie, a person's token is no staff session.
    let mut disguised = Browser::new(&app);
    disguised.set_cookie("samsyn_session", &token);
    assert!(
        disguised
            .get("/inkorg")
            .await
            .location()
            .starts_with("/logga-in")
    );

    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let refused = nurse.get("/min-sida").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("20030606"));

    // Signing out ends the person's session.
    let csrf = csrf_in(&own.body);
    let out = person
        .post_form("/min-sida/logga-ut", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(out.location(), "/min-sida");
    let after = person.get("/min-sida").await;
    assert!(!after.body.contains("Ingrid Invånare"));
}

on_both_engines_async!(
    without_local_passwords_only_the_provider_signs_in,
    a_return_from_the_provider_needs_its_own_flow,
    every_access_log_entry_says_how_its_session_was_proven,
    a_persons_session_and_a_staff_session_never_cross
);
