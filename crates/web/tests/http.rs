//! HTTP tests through the real router (in process, `oneshot`), against real databases.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use samsyn_store::demo;
use samsyn_testkit::{TestDb, on_both_engines_async};
use tower::ServiceExt;

async fn send_and_acknowledge_through_pages(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    let login = doctor.login("lakare").await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location(), "/inkorg");
    let session_cookie = login
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"),
        "{session_cookie}"
    );

    let id = send_request_as_doctor(&mut doctor).await;
    let page = doctor.get(&format!("/begaran/{id}")).await;
    assert!(page.body.contains("Skickad"), "status shown");
    assert!(
        page.body.contains("2026-11-23"),
        "deadline: end of the next working day (Monday)"
    );

    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let inbox = nurse.get("/inkorg?status=skickad").await;
    assert!(
        inbox.body.contains(&format!("/begaran/{id}")),
        "the receiving nurse sees it in the inbox"
    );
    let detail = nurse.get(&format!("/begaran/{id}")).await;
    assert!(detail.body.contains("Kvittera mottagen begäran"));
    let ack = nurse
        .post_form(
            &format!("/begaran/{id}/steg/kvittera"),
            &[("csrf_token", &csrf_in(&detail.body)), ("version", "2")],
        )
        .await;
    assert_eq!(ack.status, StatusCode::SEE_OTHER, "{}", ack.body);

    let seen = doctor.get(&format!("/begaran/{id}")).await;
    assert!(seen.body.contains("Kvitterad"));
    assert!(
        seen.body.contains("av Sara Sjöberg"),
        "the sender sees who acknowledged"
    );

    // Acknowledging twice is an illegal transition: 409 with a Swedish message.
    let again = nurse
        .post_form(
            &format!("/begaran/{id}/steg/kvittera"),
            &[("csrf_token", &csrf_in(&detail.body)), ("version", "3")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again
            .body
            .contains("Ärendet kan inte kvitteras eftersom det har status kvitterad.")
    );
}

async fn other_municipality_gets_404_and_is_logged(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let id = send_request_as_doctor(&mut doctor).await;

    let mut kumla = Browser::new(&app);
    kumla.login("sjukskoterska.kumla").await;
    let before = denied_entries(&app, "sjukskoterska.kumla").len();
    let page = kumla.get(&format!("/begaran/{id}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        !page.body.contains("Tolvan"),
        "nothing about the patient leaks"
    );
    let missing = kumla.get("/begaran/finns-inte").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.body, page.body,
        "a foreign request looks exactly like a missing one"
    );

    let denied = denied_entries(&app, "sjukskoterska.kumla");
    assert_eq!(denied.len(), before + 2);
    let foreign = denied
        .iter()
        .find(|e| e.object_id == id)
        .expect("denial of the real request is logged");
    assert_eq!(
        foreign.patient.as_ref().map(|p| p.0.expose()),
        Some("191212121212".to_owned())
    );
    assert_eq!(foreign.unit_name, "Hemsjukvården Kumla");
}

async fn forms_without_valid_csrf_are_rejected(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let mut fields: Vec<(&str, &str)> = REQUEST_FIELDS.to_vec();
    fields.push(("send", "true"));
    let missing = doctor.post_form("/begaran", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    fields.push(("csrf_token", "forfalskad"));
    let forged = doctor.post_form("/begaran", &fields).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let list = doctor.get("/inkorg").await;
    assert!(!list.body.contains("Tolvan"), "nothing was created");

    let mut stranger = Browser::new(&app);
    let login = stranger
        .post_form(
            "/logga-in",
            &[("username", "lakare"), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(
        login.status,
        StatusCode::FORBIDDEN,
        "login form needs its token too"
    );
}

async fn invalid_request_gets_field_messages(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let form = doctor.get("/begaran/ny?spar=primarvard").await;
    let csrf = csrf_in(&form.body);
    let child = samsyn_domain::Personnummer::from_parts(jiff::civil::date(2012, 5, 5), 982, false)
        .unwrap()
        .expose();
    let response = doctor
        .post_form(
            "/begaran",
            &[
                ("csrf_token", &csrf),
                ("personnummer", &child),
                ("patient_name", "Barn"),
                ("home_municipality", "1880"),
                ("send", "true"),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .body
            .contains("ansvarar den specialiserade vården för barn och unga under 18 år")
    );
    assert!(
        response
            .body
            .contains("Situation måste fyllas i innan begäran skickas.")
    );
    assert!(response.body.contains("aria-invalid=\"true\""));
}

async fn login_is_throttled(db: TestDb) {
    let app = app(db);
    let mut browser = Browser::new(&app);
    let page = browser.get("/logga-in").await;
    let csrf = csrf_in(&page.body);
    for _ in 0..5 {
        let wrong = browser
            .post_form(
                "/logga-in",
                &[
                    ("csrf_token", &csrf),
                    ("username", "lakare"),
                    ("password", "fel-lösenord"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("Fel användarnamn eller lösenord"));
    }
    let blocked = browser
        .post_form(
            "/logga-in",
            &[
                ("csrf_token", &csrf),
                ("username", "lakare"),
                ("password", demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
}

/// The throttle's rules, counted in the database: five failures block the account only for
/// addresses that failed too, a success clears the account, and twenty failures from one
/// address block that address for every account; a window later all is forgotten.
async fn the_throttle_is_fair_to_the_owner(db: TestDb) {
    let app = app(db);
    let throttle = samsyn_web::shared::auth::LoginThrottle::default();
    let now: jiff::Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
    let guesser: Option<std::net::IpAddr> = "192.0.2.7".parse().ok();
    let owner: Option<std::net::IpAddr> = "198.51.100.1".parse().ok();
    let blocked = |username: &str, address, at| {
        app.store
            .transaction(|conn| throttle.is_blocked(conn, username, address, at))
            .unwrap()
    };
    let fail = |username: &str, address| {
        app.store
            .transaction(|conn| throttle.record_failure(conn, username, address, now))
            .unwrap()
    };
    for _ in 0..5 {
        assert!(!blocked("Anna", guesser, now));
        fail("anna", guesser);
    }
    assert!(
        blocked(" Anna ", guesser, now),
        "names compare trimmed, in any case"
    );
    assert!(!blocked("anna", owner, now), "the owner may still try");
    fail("anna", owner);
    assert!(blocked("anna", owner, now), "once she has failed too");
    let locked = app
        .store
        .transaction(|conn| throttle.locked(conn, now))
        .unwrap();
    assert!(samsyn_web::shared::auth::LoginThrottle::is_among(
        &locked, "ANNA"
    ));
    app.store
        .transaction(|conn| throttle.record_success(conn, "anna"))
        .unwrap();
    assert!(!blocked("anna", owner, now), "a success clears the account");
    for _ in 0..19 {
        fail("bengt", guesser);
    }
    assert!(
        blocked("cecilia", guesser, now),
        "20 failures from one address block that address for every account"
    );
    assert!(!blocked("cecilia", owner, now));
    let later = now + jiff::SignedDuration::from_mins(16);
    assert!(
        !blocked("cecilia", guesser, later),
        "a window later all is forgotten"
    );
}

async fn idle_sessions_expire_and_logout_ends_them(db: TestDb) {
    let app = app(db);
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    assert_eq!(nurse.get("/inkorg").await.status, StatusCode::OK);
    app.clock.advance(jiff::SignedDuration::from_mins(31));
    // The header badge's poll from an open inbox: the whole page must go to the sign-in (htmx
    // follows HX-Redirect), never the sign-in page swapped into the badge.
    let cookie = nurse.cookie_header();
    let poll = nurse
        .send(
            Request::get("/att-gora")
                .header(header::COOKIE, cookie)
                .header("HX-Request", "true")
                .header(
                    "HX-Current-URL",
                    "http://127.0.0.1:8080/inkorg?status=skickad",
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(poll.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        poll.headers.get("HX-Redirect").unwrap(),
        "/logga-in?nasta=%2Finkorg%3Fstatus%3Dskickad"
    );
    assert!(poll.body.is_empty(), "no page to swap into the fragment");
    nurse.login("sjukskoterska").await;
    app.clock.advance(jiff::SignedDuration::from_mins(31));
    let expired = nurse.get("/inkorg").await;
    assert_eq!(expired.status, StatusCode::SEE_OTHER);
    assert!(expired.location().starts_with("/logga-in"));

    nurse.login("sjukskoterska").await;
    let inbox = nurse.get("/inkorg").await;
    let stolen = nurse.cookie_header();
    let out = nurse
        .post_form("/logga-ut", &[("csrf_token", &csrf_in(&inbox.body))])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let replay = app
        .router
        .clone()
        .oneshot(
            Request::get("/inkorg")
                .header(header::COOKIE, stolen)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        replay.status(),
        StatusCode::SEE_OTHER,
        "the old cookie no longer works"
    );
}

async fn pages_are_compressed_when_the_browser_accepts_it(db: TestDb) {
    let app = app(db);
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    for encoding in ["gzip", "br"] {
        let cookie = nurse.cookie_header();
        let inbox = nurse
            .send(
                Request::get("/inkorg")
                    .header(header::COOKIE, cookie)
                    .header(header::ACCEPT_ENCODING, encoding)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(inbox.status, StatusCode::OK);
        assert_eq!(
            inbox.headers.get(header::CONTENT_ENCODING).unwrap(),
            encoding
        );
    }
    let plain = nurse.get("/inkorg").await;
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert!(plain.body.contains("Att göra"));
}

async fn the_request_form_asks_for_the_track_first_and_then_only_its_fields(db: TestDb) {
    let app = app(db);
    // A vårdcentral sends track 1 or the rehabilitation process: first the choice of those two.
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let choice = doctor.get("/begaran/ny").await;
    assert_eq!(choice.status, StatusCode::OK);
    assert!(choice.body.contains("Vilket spår gäller begäran?"));
    assert!(choice.body.contains("value=\"primarvard\""));
    assert!(choice.body.contains("value=\"rehabilitering\""));
    assert!(!choice.body.contains("value=\"utskrivning\""));
    assert!(!choice.body.contains("id=\"personnummer\""));
    let form = doctor.get("/begaran/ny?spar=primarvard").await;
    assert!(form.body.contains("id=\"personnummer\""));
    assert!(
        !form.body.contains("id=\"visam_colour\""),
        "no discharge fields on track 1"
    );
    assert!(!form.body.contains("id=\"rehab_initiator\""));
    // Municipalities in Swedish alphabetical order, Örebro last.
    let hallsberg = form.body.find(">Hallsberg<").unwrap();
    let lekeberg = form.body.find(">Lekeberg<").unwrap();
    let orebro = form.body.find(">Örebro<").unwrap();
    assert!(hallsberg < lekeberg && lekeberg < orebro);
    // A track the unit may not send is not offered as a form.
    let refused = doctor.get("/begaran/ny?spar=utskrivning").await;
    assert!(refused.body.contains("Vilket spår gäller begäran?"));

    // The hospital's doctor writes track 3 with its discharge fields, and no vårdcentral is
    // filled in for her.
    let mut hospital = Browser::new(&app);
    hospital.login("sjukhuslakare").await;
    let discharge = hospital.get("/begaran/ny?spar=utskrivning").await;
    assert!(
        discharge
            .body
            .contains("id=\"discharge_date\" name=\"discharge_date\" type=\"date\"")
    );
    assert!(discharge.body.contains(
        "id=\"health_centre_name\" name=\"health_centre_name\" type=\"text\" value=\"\""
    ));

    // The municipality's nurse may send only the rehabilitation process: straight to its form.
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let rehab = nurse.get("/begaran/ny").await;
    assert!(rehab.body.contains("id=\"rehab_initiator\""));
    assert!(!rehab.body.contains("Vilket spår gäller begäran?"));

    // The rehab team sends none: no menu entry, and the address says why.
    let mut therapist = Browser::new(&app);
    therapist.login("arbetsterapeut").await;
    let inbox = therapist.get("/inkorg").await;
    assert!(!inbox.body.contains("href=\"/begaran/ny\""));
    let none = therapist.get("/begaran/ny").await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("Din enhet skickar inte begäranden"));
}

async fn audit_page_is_for_log_reviewers(db: TestDb) {
    let app = app(db);
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    nurse.get("/inkorg").await;
    assert_eq!(nurse.get("/logg").await.status, StatusCode::FORBIDDEN);
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;
    let start = reviewer.get("/logg").await;
    let csrf = csrf_in(&start.body);
    let page = reviewer
        .post_form(
            "/logg",
            &[("csrf_token", &csrf), ("anvandare", "sjukskoterska")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sara Sjöberg (sjukskoterska)"));
    assert!(page.body.contains("Läsning"));
    let bad = reviewer
        .post_form("/logg", &[("csrf_token", &csrf), ("personnummer", "123")])
        .await;
    assert!(bad.body.contains("Personnumret ska skrivas"));
}

async fn api_round_trip(db: TestDb) {
    let app = app(db);
    let (status, _) = api(&app, Method::GET, "/api/v1/requests", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let doctor = api_token(&app, "lakare").await;
    let mut body = request_json();
    body.insert("personnummer".into(), "20120505-0000".into());
    let (status, error) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&doctor),
        Some(body.clone().into()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["code"], "invalid");
    assert_eq!(error["error"]["fields"][0]["field"], "personnummer");

    body.insert("personnummer".into(), "19121212-1212".into());
    let (status, created) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&doctor),
        Some(body.into()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["state"], "skickad");
    assert_eq!(created["acknowledgement_due"], "2026-11-23");
    assert_eq!(created["rule_set"], "orebro-2025 v1");
    let id = created["id"].as_str().unwrap().to_owned();

    let kumla = api_token(&app, "sjukskoterska.kumla").await;
    let (status, hidden) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&kumla),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(hidden["error"]["code"], "not_found");

    let nurse = api_token(&app, "sjukskoterska").await;
    let path = format!("/api/v1/requests/{id}/steps/kvittera");
    let (status, stale) = api(
        &app,
        Method::POST,
        &path,
        Some(&nurse),
        Some(serde_json::json!({"version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(stale["error"]["code"], "version_conflict");
    let (status, acked) = api(
        &app,
        Method::POST,
        &path,
        Some(&nurse),
        Some(serde_json::json!({"version": 2})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{acked}");
    assert_eq!(acked["acknowledged_by"], "Sara Sjöberg");
    assert_eq!(acked["deadline_status"], "kvitterad");
    let (status, twice) = api(
        &app,
        Method::POST,
        &path,
        Some(&nurse),
        Some(serde_json::json!({"version": 3})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(twice["error"]["code"], "illegal_transition");

    let (_, seen) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&doctor),
        None,
    )
    .await;
    assert_eq!(seen["state"], "kvitterad");

    let search = Some(serde_json::json!({"personnummer": "19121212-1212"}));
    let (status, _) = api(
        &app,
        Method::POST,
        "/api/v1/access-log/search",
        Some(&nurse),
        search.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only log reviewers read the log"
    );
    let reviewer = api_token(&app, "logggranskare").await;
    let (status, log) = api(
        &app,
        Method::POST,
        "/api/v1/access-log/search",
        Some(&reviewer),
        search,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"update") && actions.contains(&"read"),
        "{actions:?}"
    );
    assert!(log.to_string().contains("19121212-****") && !log.to_string().contains("191212121212"));
    let entries = log["entries"].as_array().unwrap().len();
    assert!(
        log["previous"].is_null() && (log["next"].is_null() == (entries < 100)),
        "the first page has no page before it, and a next page only when it is full"
    );
    let (status, refused) = api(
        &app,
        Method::POST,
        "/api/v1/access-log/search",
        Some(&reviewer),
        Some(serde_json::json!({"after": "sida-2"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.to_string().contains("after:"), "{refused}");

    // A cookie-authenticated API write needs the CSRF header.
    let mut browser = Browser::new(&app);
    browser.login("sjukskoterska").await;
    let request = Request::post(&path)
        .header(header::COOKIE, browser.cookie_header())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"version\": 3}"))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // With no credentials at all, a write is unauthenticated (401), not a CSRF refusal.
    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        None,
        Some(serde_json::json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
    let request = Request::post("/fhir/r4/ServiceRequest")
        .header(header::CONTENT_TYPE, "application/fhir+json")
        .body(Body::from("{\"resourceType\": \"ServiceRequest\"}"))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let outcome: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(outcome["resourceType"], "OperationOutcome");
}

/// The Kumla draft attack: a request written in another municipality with an Örebro patient's
/// personnummer, another name and another home municipality (only a draft) leaves Örebro's case
/// exactly as it was. The change becomes a new version of the person's registered data, with
/// who made it, and Örebro's log reviewer sees that access by Kumla's nurse with the patient.
async fn another_partys_draft_leaves_the_case_unchanged(db: TestDb) {
    let app = app(db);
    let orebro = api_token(&app, "sjukskoterska").await;
    let (status, list) = api(&app, Method::GET, "/api/v1/requests", Some(&orebro), None).await;
    assert_eq!(status, StatusCode::OK);
    let case = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["state"] != "utkast")
        .unwrap()
        .clone();
    let id = case["id"].as_str().unwrap();
    let kumla = api_token(&app, "sjukskoterska.kumla").await;
    let mut body: serde_json::Map<String, serde_json::Value> = REQUEST_FIELDS
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    body.insert("personnummer".into(), case["personnummer"].clone());
    body.insert("patient_name".into(), "Falskt Namn".into());
    body.insert("home_municipality".into(), "1881".into());
    body.insert("health_centre_name".into(), "Vårdcentralen Kumla".into());
    // Municipal staff may write the rehabilitation track (the person's own request).
    body.insert("track".into(), "rehabilitering".into());
    body.insert("rehab_initiator".into(), "egen".into());
    let (status, draft) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&kumla),
        Some(body.into()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["state"], "utkast");

    let (_, after) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&orebro),
        None,
    )
    .await;
    for field in ["patient_name", "home_municipality", "personnummer"] {
        assert_eq!(after[field], case[field], "{field} of Örebro's case");
    }
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let page = nurse.get(&format!("/begaran/{id}")).await;
    assert!(page.body.contains(case["patient_name"].as_str().unwrap()));
    assert!(!page.body.contains("Falskt Namn"));

    let (patient_id, versions) = app
        .store
        .transaction(|conn| {
            let number =
                samsyn_domain::PersonId::from_stored(case["personnummer"].as_str().unwrap())
                    .unwrap();
            let patient = samsyn_store::patients::find_by_person_id(conn, &number)?.unwrap();
            let versions = samsyn_store::patients::versions(conn, &patient.id)?;
            Ok((patient.id, versions))
        })
        .unwrap();
    let kumla_nurse = app
        .store
        .transaction(|conn| {
            samsyn_store::users::credentials_by_username(conn, "sjukskoterska.kumla")
        })
        .unwrap()
        .unwrap()
        .user;
    assert_eq!(versions[0].name, "Falskt Namn");
    assert_eq!(
        versions[0].changed_by.as_deref(),
        Some(kumla_nurse.id.as_str())
    );
    assert_eq!(versions[1].name, case["patient_name"].as_str().unwrap());

    let reviewed = app
        .store
        .transaction(|conn| {
            let reviewer = samsyn_store::users::credentials_by_username(conn, "logggranskare")?
                .unwrap()
                .user;
            let orebro_party = samsyn_store::units::get(conn, &reviewer.unit_id)?.party;
            samsyn_store::access_log::search(
                conn,
                &samsyn_store::access_log::Filter {
                    party: Some(orebro_party),
                    patient_id: Some(patient_id.clone()),
                    ..Default::default()
                },
                &samsyn_store::access_log::PageAt::First,
                1000,
            )
            .map(|page| page.entries)
        })
        .unwrap();
    assert!(
        reviewed.iter().any(|e| e.username == "sjukskoterska.kumla"
            && e.action == samsyn_domain::AccessAction::Update
            && e.patient.is_some()),
        "Örebro's review shows the Kumla nurse's change of its patient"
    );
}

on_both_engines_async!(
    another_partys_draft_leaves_the_case_unchanged,
    send_and_acknowledge_through_pages,
    hsts_only_when_served_over_https,
    redirects_after_login_stay_on_this_site,
    huge_usernames_are_refused_and_not_remembered,
    other_municipality_gets_404_and_is_logged,
    forms_without_valid_csrf_are_rejected,
    invalid_request_gets_field_messages,
    login_is_throttled,
    the_throttle_is_fair_to_the_owner,
    idle_sessions_expire_and_logout_ends_them,
    pages_are_compressed_when_the_browser_accepts_it,
    the_request_form_asks_for_the_track_first_and_then_only_its_fields,
    audit_page_is_for_log_reviewers,
    api_round_trip,
);

#[tokio::test]
async fn health_headers_and_openapi() {
    let app = app(samsyn_testkit::sqlite());
    let mut browser = Browser::new(&app);
    assert_eq!(browser.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(browser.get("/readyz").await.status, StatusCode::OK);
    let page = browser.get("/logga-in").await;
    let csp = page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(
        page.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert_eq!(
        page.headers.get(header::REFERRER_POLICY).unwrap(),
        "no-referrer"
    );
    assert!(
        !page.body.contains("<script>") && !page.body.contains("style=\""),
        "no inline script or style"
    );
    assert!(
        page.headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none(),
        "no HSTS on loopback"
    );
    let css = browser.get("/static/samsyn.css").await;
    assert_eq!(css.status, StatusCode::OK);
    let (status, doc) = api(&app, Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/session",
        "/api/v1/requests",
        "/api/v1/requests/{id}/steps/{step}",
        "/api/v1/access-log/search",
    ] {
        assert!(doc["paths"].get(path).is_some(), "OpenAPI documents {path}");
    }
    // Every `{name}` in a path is a declared path parameter of each of its operations.
    let mut undeclared = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let names: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .collect();
        for (method, operation) in operations.as_object().unwrap() {
            for name in &names {
                let declared = operation["parameters"].as_array().is_some_and(|list| {
                    list.iter().any(|p| p["name"] == *name && p["in"] == "path")
                });
                if !declared {
                    undeclared.push(format!("{method} {path}: {{{name}}}"));
                }
            }
        }
    }
    assert!(
        undeclared.is_empty(),
        "undeclared path parameters: {undeclared:?}"
    );
    // Operations are grouped by the part of the agreement, never by where the handler's file is.
    for (path, method, tag) in [
        ("/api/v1/session", "post", "inloggning"),
        ("/api/v1/requests", "get", "begaran"),
        ("/api/v1/access-log/search", "post", "atkomstlogg"),
        ("/api/v1/tillagg/{year}", "get", "tillaggsbelopp"),
    ] {
        assert_eq!(
            doc["paths"][path][method]["tags"][0], tag,
            "{method} {path}"
        );
    }
}

/// `nasta=%2F%09%2Fevil.example` once answered `location: /\t/evil.example`, which browsers
/// follow to evil.example, and a newline answered 500 after the session was made.
async fn redirects_after_login_stay_on_this_site(db: TestDb) {
    let app = app(db);
    for hostile in [
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
    ] {
        let mut nurse = Browser::new(&app);
        let page = nurse.get("/logga-in?nasta=%2F%09%2Fevil.example").await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = csrf_in(&page.body);
        let login = nurse
            .post_form(
                "/logga-in",
                &[
                    ("csrf_token", &csrf),
                    ("username", "sjukskoterska"),
                    ("password", demo::DEMO_PASSWORD),
                    ("nasta", hostile),
                ],
            )
            .await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{hostile:?}");
        assert_eq!(login.location(), "/", "{hostile:?}");
    }
}

/// 300 sign-ins with distinct 1 MB usernames once grew the server by 300 MB for good: the
/// throttle remembered every name (now the database would). Oversized names are refused before any work (by the input
/// layer's ceiling on any field, and by sign-in's own byte limit below it).
async fn huge_usernames_are_refused_and_not_remembered(db: TestDb) {
    let app = app(db);
    let huge = "x".repeat(1024 * 1024);
    for n in 0..300 {
        let body = serde_json::json!({"username": format!("{n}{huge}"), "password": "fel"});
        let (status, reply) = api(&app, Method::POST, "/api/v1/session", None, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reply["error"]["fields"][0]["field"], "username",
            "refused by the input layer, before sign-in"
        );
    }
    let kept = || {
        app.store
            .transaction(samsyn_store::sign_in_failures::kept)
            .unwrap()
    };
    assert_eq!(kept(), 0, "nothing remembered of the refused names");
    let (status, _) = api(
        &app,
        Method::POST,
        "/api/v1/session",
        None,
        Some(serde_json::json!({"username": "lakare", "password": "fel"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        kept(),
        2,
        "a real failure counts for the account and address"
    );
}

/// Behind HTTPS (not bound to loopback) every response carries HSTS; on loopback, plain HTTP in
/// development, none (`health_headers_and_openapi`), or the next plain start would break. The
/// cookies are then `Secure` and `__Host-` prefixed, and only the prefixed one signs in.
async fn hsts_only_when_served_over_https(db: TestDb) {
    let app = app_with_secure_cookies(db, true);
    let mut nurse = Browser::new(&app);
    let signed_in = nurse.login("sjukskoterska").await;
    let set_cookie = signed_in
        .headers
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        set_cookie.starts_with("__Host-samsyn_session=") && set_cookie.contains("; Secure"),
        "{set_cookie}"
    );
    assert_eq!(nurse.get("/inkorg").await.status, StatusCode::OK);
    let token = set_cookie
        .trim_start_matches("__Host-samsyn_session=")
        .split(';')
        .next()
        .unwrap();
    let unprefixed = Browser::new(&app)
        .send(
            Request::get("/inkorg")
                .header(header::COOKIE, format!("samsyn_session={token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        unprefixed.status,
        StatusCode::SEE_OTHER,
        "only __Host- signs in"
    );
    for path in ["/logga-in", "/static/samsyn.css", "/finns-inte"] {
        let response = Browser::new(&app).get(path).await;
        assert_eq!(
            response
                .headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .map(|v| v.to_str().unwrap()),
            Some("max-age=31536000"),
            "{path}"
        );
    }
}
