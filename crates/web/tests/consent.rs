//! Samtycke through the real router: no request is sent without consent or a recorded basis,
//! whichever way it comes in (form, JSON API, FHIR, a saved draft sent later), and a withdrawn
//! consent shows on the case, in the API and in FHIR, and stops further messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use samsyn_testkit::TestDb;
use serde_json::{Value, json};

const CONSENT_FIELDS: [&str; 4] = [
    "consent",
    "consent_given_by",
    "consent_way",
    "consent_given_on",
];

fn without_consent() -> Vec<(&'static str, &'static str)> {
    let mut fields: Vec<(&str, &str)> = REQUEST_FIELDS
        .iter()
        .filter(|(name, _)| !CONSENT_FIELDS.contains(name))
        .copied()
        .collect();
    fields.push(("health_centre_name", "Vårdcentralen Örebro centrum"));
    fields
}

fn json_without_consent() -> Value {
    let map: serde_json::Map<String, Value> = without_consent()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    map.into()
}

/// The cases the doctor's unit has, drafts included, over all pages of the list.
async fn case_count(app: &App, token: &str) -> usize {
    let (_, headers, _) =
        api_with_headers(app, Method::GET, "/api/v1/requests", Some(token), None).await;
    headers["x-total-count"].to_str().unwrap().parse().unwrap()
}

async fn nothing_is_sent_without_consent_or_a_basis(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let token = api_token(&app, "lakare").await;
    let before = case_count(&app, &token).await;

    // The form: the page names the consent field, and nothing is stored.
    let form = doctor.get("/begaran/ny?spar=primarvard").await;
    assert!(form.body.contains("<legend>Samtycke</legend>"));
    let csrf = csrf_in(&form.body);
    let mut fields = without_consent();
    fields.extend([("csrf_token", csrf.as_str()), ("send", "true")]);
    let refused = doctor.post_form("/begaran", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("<a href=\"#consent\">Ange personens samtycke"),
        "{}",
        refused.body
    );

    // The JSON API.
    let mut body = json_without_consent();
    body["send"] = json!(true);
    let (status, error) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&token),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["error"]["fields"][0]["field"], "consent");

    // FHIR: a ServiceRequest without a contained Consent.
    let mut resource = fhir_request();
    resource.as_object_mut().unwrap().remove("contained");
    resource.as_object_mut().unwrap().remove("supportingInfo");
    let (status, outcome) = api(
        &app,
        Method::POST,
        "/fhir/r4/ServiceRequest",
        Some(&token),
        Some(resource),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{outcome}");
    assert_eq!(
        outcome["issue"][0]["expression"][0],
        "ServiceRequest.contained.ofType(Consent)"
    );
    assert_eq!(
        case_count(&app, &token).await,
        before,
        "no refused request was stored"
    );

    // A draft may wait for consent, but cannot be sent from its page until it has one.
    body["send"] = json!(false);
    let (status, draft) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&token),
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert!(draft["consent"].is_null());
    let id = draft["id"].as_str().unwrap();
    let page = doctor.get(&format!("/begaran/{id}")).await;
    assert!(
        page.body
            .contains("Inte angivet ännu – krävs för att skicka.")
    );
    let sent = doctor
        .post_form(
            &format!("/begaran/{id}/steg/skicka"),
            &[("csrf_token", &csrf_in(&page.body)), ("version", "1")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sent.body.contains("Ange personens samtycke"));

    // With a recorded basis instead of consent it goes, and the basis is shown.
    body["consent"] = json!("grund");
    body["consent_basis"] = json!("Personen kan inte uttrycka sin vilja efter en stroke.");
    body["consent_judged_by"] = json!("Lena Lind, läkare");
    body["version"] = json!(1);
    body["send"] = json!(true);
    let (status, sent) = api(
        &app,
        Method::PUT,
        &format!("/api/v1/requests/{id}"),
        Some(&token),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["state"], "skickad");
    assert_eq!(sent["consent"]["kind"], "grund");
    assert_eq!(sent["consent"]["judged_by"], "Lena Lind, läkare");
    let page = doctor.get(&format!("/begaran/{id}")).await;
    assert!(page.body.contains(
        "Skickad utan samtycke. Grund: Personen kan inte uttrycka sin vilja efter en stroke."
    ));
}

async fn a_withdrawn_consent_shows_on_the_case_and_stops_sharing(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let id = send_request_as_doctor(&mut doctor).await;
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let page = nurse.get(&format!("/begaran/{id}")).await;
    assert!(
        page.body
            .contains("Samtycke lämnat muntligt 2026-11-02 av Personen själv.")
    );
    let csrf = csrf_in(&page.body);

    let (status, resource) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/ServiceRequest/{id}"),
        Some(&api_token(&app, "sjukskoterska").await),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resource["contained"][0]["resourceType"], "Consent");
    assert_eq!(resource["contained"][0]["status"], "active");
    assert_eq!(resource["supportingInfo"][0]["reference"], "#samtycke");

    let path = format!("/begaran/{id}/samtycke/aterkalla");
    let empty = nurse
        .post_form(&path, &[("csrf_token", &csrf), ("version", "2")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("Ange hur och till vem personen återkallade samtycket.")
    );
    let withdrawn = nurse
        .post_form(
            &path,
            &[
                ("csrf_token", &csrf),
                ("version", "2"),
                (
                    "withdrawal_note",
                    "Personen ringde och återkallade samtycket.",
                ),
            ],
        )
        .await;
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.body
    );

    // Both parties see it on the case and in its timeline.
    for browser in [&mut nurse, &mut doctor] {
        let page = browser.get(&format!("/begaran/{id}")).await;
        assert!(page.body.contains("Personen har återkallat sitt samtycke"));
        assert!(
            page.body
                .contains("Personen ringde och återkallade samtycket.")
        );
        assert!(page.body.contains("Samtycket återkallat"));
        assert!(!page.body.contains("Skicka meddelande"));
    }
    let doctor_csrf = csrf_in(&doctor.get(&format!("/begaran/{id}")).await.body);
    let message = post_multipart(
        &app,
        &doctor,
        &format!("/begaran/{id}/meddelande?csrf_token={doctor_csrf}"),
        multipart("Fler uppgifter", None),
    )
    .await;
    assert_eq!(message, StatusCode::UNPROCESSABLE_ENTITY);

    let token = api_token(&app, "lakare").await;
    let (_, case) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert!(case["consent"]["withdrawn_at"].is_string(), "{case}");
    let (_, resource) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/ServiceRequest/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(resource["contained"][0]["status"], "inactive");
    let (status, again) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/consent/withdrawal"),
        Some(&token),
        Some(json!({"version": case["version"], "note": "Igen"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
}

samsyn_testkit::on_both_engines_async!(
    nothing_is_sent_without_consent_or_a_basis,
    a_withdrawn_consent_shows_on_the_case_and_stops_sharing
);
