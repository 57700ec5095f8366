//! Reservnummer through the real router, on both engines: a person without a personnummer is
//! registered by the region's reservnummer from the form, the API and FHIR; a number outside the
//! rule set's format is refused with a field message and nothing is stored; FHIR names the number
//! by the rule set's identifier system; the log review finds the person by it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use samsyn_testkit::TestDb;

const RESERVE_NUMBER: &str = "19450829TB1F";
const OREBRO_SYSTEM: &str = "urn:oid:1.2.752.74.9.3";

/// Posts the request form as the doctor, with `personnummer` as the person's identity.
async fn send_as(doctor: &mut Browser<'_>, personnummer: &str, csrf: &str) -> Response {
    let mut fields: Vec<(&str, &str)> = REQUEST_FIELDS
        .iter()
        .filter(|(name, _)| *name != "personnummer")
        .copied()
        .collect();
    fields.extend([
        ("personnummer", personnummer),
        ("csrf_token", csrf),
        ("health_centre_name", "Vårdcentralen Örebro centrum"),
        ("send", "true"),
    ]);
    doctor.post_form("/begaran", &fields).await
}

async fn a_reservnummer_is_accepted_and_a_malformed_one_refused(db: TestDb) {
    let app = app(db);
    let token = api_token(&app, "lakare").await;
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let form = doctor.get("/begaran/ny?spar=primarvard").await;
    assert!(form.body.contains("Personnummer eller reservnummer"));
    let csrf = csrf_in(&form.body);
    let count = || async {
        let (_, list) = api(&app, Method::GET, "/api/v1/requests", Some(&token), None).await;
        list.as_array().map(Vec::len)
    };
    let before = count().await;

    // A letter out of place: refused on the field, with the region's format in words.
    let refused = send_as(&mut doctor, "19450829XB1F", &csrf).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "Reservnumret följer inte regionens format: födelsedatum ÅÅÅÅMMDD, bokstaven T"
        ),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("id=\"personnummer-error\""));
    assert_eq!(count().await, before, "nothing stored");

    // The region's format: sent, shown as a reservnummer, masked in lists.
    let sent = send_as(&mut doctor, RESERVE_NUMBER, &csrf).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let case_page = sent.location().split('?').next().unwrap().to_owned();
    let id = case_page.trim_start_matches("/begaran/").to_owned();
    let page = doctor.get(&case_page).await;
    assert!(
        page.body
            .contains(&format!("Tolvan Tolvansson, reservnummer {RESERVE_NUMBER}"))
    );
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let inbox = nurse.get("/inkorg").await;
    assert!(inbox.body.contains("19450829-****"));
    assert!(!inbox.body.contains(RESERVE_NUMBER));

    // FHIR names it by the rule set's system, and finds the person by it.
    let (status, resource) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/ServiceRequest/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resource["subject"]["identifier"]["system"], OREBRO_SYSTEM);
    assert_eq!(resource["subject"]["identifier"]["value"], RESERVE_NUMBER);
    let (_, bundle) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/ServiceRequest?patient={OREBRO_SYSTEM}|{RESERVE_NUMBER}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(bundle["total"], 1, "{bundle}");

    // The JSON API refuses a malformed number on its field, and FHIR one with the wrong system.
    let mut body = serde_json::Map::new();
    for (name, value) in REQUEST_FIELDS {
        body.insert(name.into(), value.into());
    }
    body.insert("personnummer".into(), "19450829TB1".into());
    body.insert("health_centre_name".into(), "VC".into());
    let (status, problem) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&token),
        Some(serde_json::Value::Object(body)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem
            .to_string()
            .contains("Reservnumret följer inte regionens format"),
        "{problem}"
    );
    let mut posted = fhir_request();
    posted["subject"]["identifier"]["value"] = "19330303TA2C".into();
    let (status, outcome) = api(
        &app,
        Method::POST,
        "/fhir/r4/ServiceRequest",
        Some(&token),
        Some(posted.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        outcome["issue"][0]["expression"][0],
        "ServiceRequest.subject.identifier.value"
    );
    posted["subject"]["identifier"]["system"] = OREBRO_SYSTEM.into();
    let (status, created) = api(
        &app,
        Method::POST,
        "/fhir/r4/ServiceRequest",
        Some(&token),
        Some(posted),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["subject"]["identifier"]["value"], "19330303TA2C");

    // The log review finds the person's accesses by the reservnummer.
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;
    let found = reviewer
        .get(&format!("/logg?personnummer={RESERVE_NUMBER}"))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found.body.contains("Tolvan Tolvansson, 19450829-****"),
        "{}",
        found.body
    );
}

samsyn_testkit::on_both_engines_async!(a_reservnummer_is_accepted_and_a_malformed_one_refused);
