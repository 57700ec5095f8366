//! Input hygiene through the real router on both engines: control characters refused with the
//! field named (forms, JSON and FHIR), length limits per field, bidirectional overrides stripped
//! from names and file names, and an attachment stored under the extension of its verified type.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{
    Browser, REQUEST_FIELDS, api, api_token, app, csrf_in, multipart, send_request_as_doctor,
};
use samsyn_testkit::{TestDb, on_both_engines_async};
use serde_json::{Value, json};

fn request_body(changes: &[(&str, &str)]) -> Value {
    let mut body: serde_json::Map<String, Value> = REQUEST_FIELDS
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    body.insert(
        "health_centre_name".into(),
        "Vårdcentralen Örebro centrum".into(),
    );
    for (k, v) in changes {
        body.insert((*k).into(), (*v).into());
    }
    body.into()
}

async fn control_characters_are_refused_with_the_field_named(db: TestDb) {
    let app = app(db);
    let doctor = api_token(&app, "lakare").await;
    let (status, error) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&doctor),
        Some(request_body(&[("situation", "Bor ensam\u{0}")])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["fields"][0]["field"], "situation");
    assert!(
        error["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("otillåtet tecken")
    );

    let mut browser = Browser::new(&app);
    browser.login("lakare").await;
    let form = browser.get("/begaran/ny").await;
    let csrf = csrf_in(&form.body);
    let mut fields: Vec<(&str, &str)> = REQUEST_FIELDS.to_vec();
    fields.retain(|(k, _)| *k != "patient_name");
    fields.extend([
        ("csrf_token", csrf.as_str()),
        ("patient_name", "Tolvan\u{7}Tolvansson"),
        ("health_centre_name", "Vårdcentralen Örebro centrum"),
    ]);
    let page = browser.post_form("/begaran", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Fältet patient_name innehåller ett otillåtet tecken")
    );
    assert!(
        !page.body.contains("Tolvansson"),
        "the value is not echoed back"
    );

    let fhir = app
        .router
        .clone()
        .oneshot(
            Request::post("/fhir/r4/ServiceRequest")
                .header(header::AUTHORIZATION, format!("Bearer {doctor}"))
                .header(header::CONTENT_TYPE, "application/fhir+json")
                .body(Body::from(
                    json!({"resourceType": "ServiceRequest", "note": [{"text": "a\u{0}b"}]})
                        .to_string(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(fhir.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = http_body_util::BodyExt::collect(fhir.into_body())
        .await
        .unwrap()
        .to_bytes();
    let outcome: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(outcome["resourceType"], "OperationOutcome");
    assert_eq!(outcome["issue"][0]["expression"][0], "note[0].text");
}

async fn every_text_field_has_a_limit(db: TestDb) {
    let app = app(db);
    let mut browser = Browser::new(&app);
    browser.login("lakare").await;
    let id = send_request_as_doctor(&mut browser).await;
    let doctor = api_token(&app, "lakare").await;
    let (_, case) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&doctor),
        None,
    )
    .await;
    let (status, error) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/assessments"),
        Some(&doctor),
        Some(json!({"version": case["version"], "text": "a".repeat(4001)})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["fields"][0]["field"], "assessment");
    assert_eq!(
        error["error"]["fields"][0]["message"],
        "Bedömningen får vara högst 4000 tecken."
    );
    let (status, error) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/assessments"),
        Some(&doctor),
        Some(json!({"version": case["version"], "text": "a".repeat(1_000_000)})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no field holds a million"
    );
    assert_eq!(error["error"]["fields"][0]["field"], "text");

    // A field with no limit of its own (a scenario's name on the economy pages) has the ceiling.
    let mut economist = Browser::new(&app);
    economist.login("ekonom").await;
    let csrf = csrf_in(&economist.get("/tillagg").await.body);
    let long_name = "n".repeat(10_001);
    let refused = economist
        .post_form(
            "/tillagg/scenarier",
            &[
                ("csrf_token", csrf.as_str()),
                ("ar", "2026"),
                ("tillvaxt", "1,05"),
                ("namn", long_name.as_str()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Fältet namn"));
    let just_over = "n".repeat(201);
    let named = economist
        .post_form(
            "/tillagg/scenarier",
            &[
                ("csrf_token", csrf.as_str()),
                ("ar", "2026"),
                ("tillvaxt", "1,05"),
                ("namn", just_over.as_str()),
            ],
        )
        .await;
    assert!(named.body.contains("Namn får vara högst 200 tecken."));
    let titled = economist
        .post_form(
            "/utvecklingsbudget",
            &[
                ("csrf_token", csrf.as_str()),
                ("ar", "2027"),
                ("titel", just_over.as_str()),
                ("belopp", "1000"),
                ("finansiering", "statsbidrag"),
                ("regionens_andel", "50"),
                ("fordelning", "befolkning"),
            ],
        )
        .await;
    assert_eq!(titled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(titled.body.contains("Insats får vara högst 200 tecken."));
    let long_name = "Å".repeat(201);
    let (status, error) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&doctor),
        Some(request_body(&[("patient_name", &long_name)])),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["fields"][0]["field"], "patient_name");
    assert_eq!(
        error["error"]["fields"][0]["message"],
        "Namnet får vara högst 200 tecken."
    );
}

async fn names_and_file_names_lose_direction_overrides(db: TestDb) {
    let app = app(db);
    let doctor = api_token(&app, "lakare").await;
    let (status, created) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&doctor),
        Some(request_body(&[
            ("personnummer", "19400101-0000"),
            ("patient_name", "Anna\u{202e}nreB"),
        ])),
    )
    .await;
    assert!(status.is_success(), "{created}");
    assert_eq!(created["patient_name"], "AnnanreB");

    let mut browser = Browser::new(&app);
    browser.login("lakare").await;
    let id = send_request_as_doctor(&mut browser).await;
    let page = browser.get(&format!("/begaran/{id}")).await;
    let csrf = csrf_in(&page.body);
    let (content_type, body) = multipart(
        "Se bilaga",
        Some(("rapport\u{202e}lmth.html", "text/plain", b"Bara text")),
    );
    let posted = browser
        .send(
            Request::post(format!("/begaran/{id}/meddelande?csrf_token={csrf}"))
                .header(header::COOKIE, browser.cookie_header())
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let page = browser.get(&format!("/begaran/{id}")).await;
    assert!(
        page.body.contains("rapportlmth.txt"),
        "stored without the override and as the text it is"
    );
    assert!(!page.body.contains('\u{202e}'));
    let marker = format!("/begaran/{id}/bilaga/");
    let start = page.body.find(&marker).unwrap() + marker.len();
    let attachment_id = page.body[start..].split('"').next().unwrap().to_owned();
    let download = browser
        .get(&format!("/begaran/{id}/bilaga/{attachment_id}"))
        .await;
    assert!(
        download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("rapportlmth.txt")
    );
}

use tower::ServiceExt;

on_both_engines_async!(
    control_characters_are_refused_with_the_field_named,
    every_text_field_has_a_limit,
    names_and_file_names_lose_direction_overrides
);
