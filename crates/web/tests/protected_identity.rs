//! Skyddad identitet through the real router, on both engines: the staff working the case see the
//! person's address and telephone; no list, no export and no reader outside the case does, and
//! every FHIR resource about the person is labelled restricted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use samsyn_testkit::TestDb;

const ADDRESS: &str = "Hemliga vägen 7, 702 11 Örebro";

async fn a_protected_address_is_shown_only_to_those_working_the_case(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let form = doctor.get("/begaran/ny?spar=primarvard").await;
    assert!(
        form.body
            .contains("Skyddad identitet (skyddad folkbokföring eller sekretessmarkering)")
    );
    let csrf = csrf_in(&form.body);
    let mut fields: Vec<(&str, &str)> = REQUEST_FIELDS.to_vec();
    fields.extend([
        ("csrf_token", csrf.as_str()),
        ("health_centre_name", "Vårdcentralen Örebro centrum"),
        ("patient_address", ADDRESS),
        ("patient_phone", "070-123 45 67"),
        ("protected_identity", "ja"),
        ("send", "true"),
    ]);
    let sent = doctor.post_form("/begaran", &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let case_page = sent.location().split('?').next().unwrap().to_owned();
    let id = case_page.trim_start_matches("/begaran/").to_owned();

    // The sender and the receiver see where to go.
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    for browser in [&mut doctor, &mut nurse] {
        let page = browser.get(&case_page).await;
        assert!(page.body.contains(ADDRESS));
        assert!(page.body.contains("070-123 45 67"));
        assert!(page.body.contains("Skyddad identitet"));
    }
    let token = api_token(&app, "sjukskoterska").await;
    let (_, case) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(case["patient_address"], ADDRESS);
    assert_eq!(case["protected_identity"], true);
    let (_, resource) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/ServiceRequest/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(resource["meta"]["security"][0]["code"], "R");
    assert!(resource.to_string().contains(ADDRESS));

    // No list has it: not the inbox, not the API's list, not a FHIR search.
    assert!(!nurse.get("/inkorg").await.body.contains("Hemliga vägen"));
    let (_, list) = api(&app, Method::GET, "/api/v1/requests", Some(&token), None).await;
    assert!(!list.to_string().contains("Hemliga vägen"));
    assert!(list.to_string().contains("\"protected_identity\":true"));
    let (_, bundle) = api(
        &app,
        Method::GET,
        "/fhir/r4/ServiceRequest?patient=191212121212",
        Some(&token),
        None,
    )
    .await;
    assert!(!bundle.to_string().contains("Hemliga vägen"));
    assert_eq!(
        bundle["entry"][0]["resource"]["meta"]["security"][0]["code"],
        "R"
    );

    // A clinician reading by nödåtkomst is outside the case: the address stays hidden.
    let mut kumla = Browser::new(&app);
    kumla.login("sjukskoterska.kumla").await;
    let emergency = kumla.get("/nodatkomst").await;
    let opened = kumla
        .post_form(
            "/nodatkomst",
            &[
                ("csrf_token", &csrf_in(&emergency.body)),
                ("personnummer", "19121212-1212"),
                (
                    "skal",
                    "Personen är medvetslös i hemmet och behöver vård nu.",
                ),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert!(!opened.body.contains("Hemliga vägen"));
    let read = kumla.get(&case_page).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains(
        "Skyddad identitet – adress och telefon visas bara för dem som arbetar med ärendet."
    ));
    assert!(!read.body.contains("Hemliga vägen"));
    assert!(!read.body.contains("070-123 45 67"));
    let kumla_token = api_token(&app, "sjukskoterska.kumla").await;
    let (status, resource) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/ServiceRequest/{id}"),
        Some(&kumla_token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resource["meta"]["security"][0]["code"], "R");
    assert!(!resource.to_string().contains("Hemliga vägen"));

    // The log review's export says the person is protected.
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;
    let start = reviewer.get("/logg").await;
    let csrf = csrf_in(&start.body);
    let export = reviewer
        .post_form(
            "/logg/export",
            &[("csrf_token", &csrf), ("personnummer", "19121212-1212")],
        )
        .await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert!(
        export
            .body
            .contains("Tolvan Tolvansson, 19121212-**** (skyddad identitet)")
    );
    assert!(!export.body.contains("Hemliga vägen"));
}

samsyn_testkit::on_both_engines_async!(a_protected_address_is_shown_only_to_those_working_the_case);
