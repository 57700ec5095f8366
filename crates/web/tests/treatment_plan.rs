//! The medicinsk behandlingsplan through the real router, on both engines (*Hälso- och sjukvård i
//! hemmet primärvårdsnivå* §3.1.4, §3.1.6): each party writes only its own items, a plan with a
//! gap cannot be signed, the region signs as a doctor and the municipality as a nurse, the plan is
//! fastställd only when both have signed, a change makes a new version while the old one stays in
//! force, two versions compare item by item, and a follow-up sets the next by the frequency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use samsyn_testkit::TestDb;

/// The plan form's `seen` marker on the page.
fn seen_in(html: &str) -> String {
    let marker = "name=\"seen\" value=\"";
    let start = html.find(marker).expect("page has a seen marker") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

async fn post_plan(
    browser: &mut Browser<'_>,
    id: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> Response {
    let path = format!("/begaran/{id}/plan");
    let page = browser.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = csrf_in(&page.body);
    let seen = if page.body.contains("name=\"seen\"") {
        seen_in(&page.body)
    } else {
        "0".into()
    };
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", &csrf), ("seen", &seen)];
    all.extend_from_slice(fields);
    browser.post_form(&format!("{path}{action}"), &all).await
}

const JOINT: [(&str, &str); 4] = [
    ("coordinator", "mottagare"),
    (
        "follow_up",
        "Läkare och sjuksköterska följer upp planen vid hembesök.",
    ),
    ("frequency", "3-manader"),
    ("first_follow_up", "2026-11-20"),
];

const REGION: [(&str, &str); 7] = [
    ("region_doctor_name", "Lena Lind"),
    ("region_doctor_phone", "019-602 10 00"),
    ("region_care_name", "Per Persson"),
    ("region_care_phone", "019-602 10 01"),
    ("prognosis", "Stabil hjärtsvikt."),
    (
        "deterioration",
        "Vård i hemmet; vid försämring ring vårdcentralen direkt.",
    ),
    (
        "action_plan",
        "Vid viktökning: extra furosemid enligt ordination.",
    ),
];

const MUNICIPALITY: [(&str, &str); 4] = [
    ("municipality_care_name", "Sara Sjöberg"),
    ("municipality_care_phone", "019-21 10 00"),
    ("point_interventions", "Inga punktinsatser; samordnad vård."),
    ("shared_responsibility", "nej"),
];

async fn both_parties_write_sign_and_follow_up_the_plan(db: TestDb) {
    let app = app(db);
    let id = enrolled_case(&app).await;
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;

    let case_page = nurse.get(&format!("/begaran/{id}")).await;
    assert!(case_page.body.contains("Ingen plan är påbörjad."));
    assert_eq!(
        nurse.get(&format!("/begaran/{id}/plan/pdf")).await.status,
        StatusCode::CONFLICT,
        "nothing to print before the plan is fastställd"
    );
    assert!(case_page.body.contains(&format!("/begaran/{id}/plan")));

    // A malformed phone number is a field message, and nothing is stored.
    let mut bad = MUNICIPALITY.to_vec();
    bad[1] = ("municipality_care_phone", "ring mig");
    bad.extend(JOINT);
    let refused = post_plan(&mut nurse, &id, "", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("id=\"municipality_care_phone-error\"")
    );
    assert!(refused.body.contains("value=\"ring mig\""), "typed kept");
    let page = nurse.get(&format!("/begaran/{id}/plan")).await;
    assert!(!page.body.contains("Version 1 skrivs"));

    // The region writes its items; the municipality's form cannot overwrite them.
    let mut region = REGION.to_vec();
    region.extend(JOINT);
    let saved = post_plan(&mut doctor, &id, "", &region).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let signed_too_early = post_plan(&mut doctor, &id, "/signera", &[]).await;
    assert_eq!(signed_too_early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        signed_too_early
            .body
            .contains("Saknas: Fast vårdkontakt (kommunen); 3. Punktinsatser"),
        "{}",
        signed_too_early.body
    );
    let mut municipality = MUNICIPALITY.to_vec();
    municipality.extend(JOINT);
    municipality.push(("prognosis", "Kommunen skriver över prognosen"));
    let saved = post_plan(&mut nurse, &id, "", &municipality).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = nurse.get(&format!("/begaran/{id}/plan")).await;
    assert!(page.body.contains("Version 1 skrivs"));
    assert!(page.body.contains("Stabil hjärtsvikt."));
    assert!(!page.body.contains("Kommunen skriver över prognosen"));

    // The municipality signs as a nurse: its unit manager cannot.
    let mut manager = Browser::new(&app);
    manager.login("enhetschef").await;
    let refused = post_plan(&mut manager, &id, "/signera", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Kommunens del signeras av kommunens sjuksköterska.")
    );

    // One signature does not establish the plan; the second does.
    let signed = post_plan(&mut nurse, &id, "/signera", &[]).await;
    assert_eq!(
        signed.location(),
        format!("/begaran/{id}/plan?klart=signerad")
    );
    let page = doctor.get(&format!("/begaran/{id}/plan")).await;
    assert!(page.body.contains("Ingen version är fastställd ännu."));
    assert!(page.body.contains("Signerad av Kommunen: Sara Sjöberg"));
    let stale = {
        let csrf = csrf_in(&page.body);
        doctor
            .post_form(
                &format!("/begaran/{id}/plan/signera"),
                &[("csrf_token", &csrf), ("seen", "1")],
            )
            .await
    };
    assert_eq!(
        stale.status,
        StatusCode::CONFLICT,
        "a stale page signs nothing"
    );
    let established = post_plan(&mut doctor, &id, "/signera", &[]).await;
    assert_eq!(
        established.location(),
        format!("/begaran/{id}/plan?klart=faststalld")
    );
    let page = doctor.get(&format!("/begaran/{id}/plan")).await;
    assert!(page.body.contains("<strong>Version 1.</strong> Fastställd"));
    assert!(
        page.body
            .contains("Nästa uppföljning: <strong>2026-11-20</strong>")
    );
    assert!(page.body.contains("Dags"), "due today");

    // The fastställd plan prints as a PDF to hand to the person; the print is logged.
    let pdf = nurse.get(&format!("/begaran/{id}/plan/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF-"));
    let printed = app
        .store
        .transaction(|conn| {
            samsyn_store::access_log::search(
                conn,
                &samsyn_store::access_log::Filter::default(),
                &samsyn_store::access_log::PageAt::First,
                100_000,
            )
        })
        .unwrap()
        .entries
        .into_iter()
        .filter(|e| e.action == samsyn_domain::AccessAction::Print && e.object_id == id)
        .count();
    assert_eq!(printed, 1);

    // The follow-up sets the next one a quarter later; the badge counts it until then.
    let badge = nurse.get("/att-gora").await.body;
    assert!(!badge.contains(" 0 uppföljningar att göra"), "{badge}");
    let follow_up = [
        ("follow_up_date", "2026-11-20"),
        ("follow_up_checked", "Vikt, blodtryck och läkemedelslistan."),
        ("follow_up_outcome", "fortsatt"),
    ];
    let recorded = post_plan(&mut nurse, &id, "/uppfoljning", &follow_up).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = nurse.get(&format!("/begaran/{id}/plan")).await;
    assert!(
        page.body
            .contains("Nästa uppföljning: <strong>2027-02-20</strong>")
    );
    assert!(page.body.contains("Vikt, blodtryck och läkemedelslistan."));

    // A change makes version 2; version 1 stays in force until both have signed again.
    let mut changed = REGION.to_vec();
    changed[4] = ("prognosis", "Försämrad hjärtsvikt, NYHA III.");
    changed.extend(JOINT);
    changed[10] = ("first_follow_up", "2026-12-15");
    let saved = post_plan(&mut doctor, &id, "", &changed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = doctor.get(&format!("/begaran/{id}/plan")).await;
    assert!(page.body.contains("<strong>Version 1.</strong> Fastställd"));
    assert!(page.body.contains("Version 2 skrivs"));
    let compared = doctor
        .get(&format!("/begaran/{id}/plan/jamfor?fran=1&till=2"))
        .await;
    assert_eq!(compared.status, StatusCode::OK);
    assert!(
        compared.body.contains("2 av 10 delar är ändrade."),
        "{}",
        compared.body
    );
    assert!(compared.body.contains("Försämrad hjärtsvikt, NYHA III."));
    let case_page = doctor.get(&format!("/begaran/{id}")).await;
    assert!(
        case_page
            .body
            .contains("Version 1 gäller. Version 2 skrivs och väntar på signaturer.")
    );

    // The JSON API: every version; a stale marker is refused; both sign version 2 there.
    let nurse_token = api_token(&app, "sjukskoterska").await;
    let doctor_token = api_token(&app, "lakare").await;
    let plan_path = format!("/api/v1/requests/{id}/plan");
    let (status, plan) = api(&app, Method::GET, &plan_path, Some(&nurse_token), None).await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<_> = plan["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["faststalld", "utkast"]);
    assert_eq!(plan["versions"][1]["items"][4]["written_by"], "avsandare");
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("{plan_path}/signature"),
        Some(&nurse_token),
        Some(serde_json::json!({"seen": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let seen = plan["seen"].clone();
    for (token, established) in [(&nurse_token, false), (&doctor_token, true)] {
        let (status, signed) = api(
            &app,
            Method::POST,
            &format!("{plan_path}/signature"),
            Some(token),
            Some(serde_json::json!({"seen": seen})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{signed}");
        assert_eq!(signed["established"], established);
        assert_eq!(signed["version"], 2);
    }

    // FHIR: the plan in force with its parts by author, version 1 by _history, the care team
    // with the coordinator, and the follow-ups as Tasks.
    let token = api_token(&app, "sjukskoterska").await;
    let person =
        "patient:identifier=http://electronichealth.se/identifier/personnummer|191212121212";
    let (status, plans) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/CarePlan?{person}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let plan = &plans["entry"][0]["resource"];
    assert_eq!(
        (plan["status"].as_str(), plan["meta"]["versionId"].as_str()),
        (Some("active"), Some("2")),
        "{plan}"
    );
    assert_eq!(plan["note"].as_array().unwrap().len(), 7);
    assert_eq!(plan["note"][1]["authorString"], "Regionen");
    assert!(
        plan["note"][1]["text"]
            .as_str()
            .unwrap()
            .contains("Försämrad hjärtsvikt, NYHA III.")
    );
    let (_, second) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/CarePlan/{id}/_history/1"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (
            second["status"].as_str(),
            second["meta"]["versionId"].as_str()
        ),
        (Some("active"), Some("1"))
    );
    let (_, team) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/CareTeam/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(team["participant"].as_array().unwrap().len(), 3);
    assert_eq!(
        team["participant"][2]["role"][0]["text"],
        "Fast vårdkontakt, samordningsansvarig"
    );
    let (_, tasks) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/Task?code=uppfoljning&{person}"),
        Some(&token),
        None,
    )
    .await;
    let statuses: Vec<_> = tasks["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["completed", "requested"]);
    let done_id = tasks["entry"][0]["resource"]["id"].as_str().unwrap();
    let (status, done) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/Task/{done_id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done["basedOn"][0]["reference"], format!("CarePlan/{id}"));

    // A unit without a care relationship sees nothing of the plan.
    let mut stranger = Browser::new(&app);
    stranger.login("sjukskoterska.kumla").await;
    assert_eq!(
        stranger.get(&format!("/begaran/{id}/plan")).await.status,
        StatusCode::NOT_FOUND
    );
    let kumla = api_token(&app, "sjukskoterska.kumla").await;
    let (status, _) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/CarePlan/{id}"),
        Some(&kumla),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A SIP is recorded on any track once the request is sent, needs the person's consent, and is
/// recorded only by the parties.
async fn a_sip_needs_consent_and_is_kept_on_the_case(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let id = send_request_as_doctor(&mut doctor).await;
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let page = nurse.get(&format!("/begaran/{id}")).await;
    assert!(
        page.body
            .contains("En gemensam planering för behandlingsplanen ersätter inte")
    );
    let csrf = csrf_in(&page.body);
    let path = format!("/begaran/{id}/sip");
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("sip_held_on", "2026-11-19"),
        ("sip_convened_by", "Hemsjukvården Örebro"),
        ("sip_attendees", "Personen, dottern, läkare, sjuksköterska"),
        ("sip_next_follow_up", "2027-02-19"),
    ];
    let refused = nurse.post_form(&path, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("En SIP förutsätter personens samtycke.")
    );
    assert!(
        refused
            .body
            .contains("value=\"Personen, dottern, läkare, sjuksköterska\"")
    );
    assert!(!refused.body.contains("Hållna SIP"), "nothing stored");

    fields.push(("sip_consented", "ja"));
    let recorded = nurse.post_form(&path, &fields).await;
    assert_eq!(recorded.location(), format!("/begaran/{id}?klart=sip"));
    let page = doctor.get(&format!("/begaran/{id}")).await;
    assert!(page.body.contains("Hållna SIP"));
    assert!(page.body.contains("2027-02-19"));

    let mut stranger = Browser::new(&app);
    stranger.login("sjukskoterska.kumla").await;
    let own = stranger.get("/inkorg").await;
    let csrf = csrf_in(&own.body);
    fields[0] = ("csrf_token", &csrf);
    assert_eq!(
        stranger.post_form(&path, &fields).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Track 3: the hospital records its seven-day plan; a plan after the discharge day is marked
/// late, the track's facts take its day, and the municipality cannot record it.
async fn the_hospital_records_its_seven_day_plan(db: TestDb) {
    let app = app(db);
    let token = api_token(&app, "sjukhuslakare").await;
    let mut body: serde_json::Map<String, serde_json::Value> = REQUEST_FIELDS
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    for (key, value) in [
        ("track", "utskrivning"),
        ("visam_colour", "rott"),
        ("discharge_date", "2026-11-19"),
        ("health_centre_name", "Medicinkliniken"),
        ("send", "true"),
    ] {
        body.insert(key.into(), value.into());
    }
    body.insert("send".into(), true.into());
    let (status, sent) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&token),
        Some(body.into()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let id = sent["id"].as_str().unwrap().to_owned();
    let path = format!("/begaran/{id}/sjudagarsplan");

    let mut hospital = Browser::new(&app);
    hospital.login("sjukhuslakare").await;
    let page = hospital.get(&format!("/begaran/{id}")).await;
    assert!(
        page.body
            .contains("Ska finnas hos nästa vårdgivare senast 2026-11-19.")
    );
    let csrf = csrf_in(&page.body);
    let version = sent["version"].to_string();
    let mut fields = vec![
        ("csrf_token", csrf.as_str()),
        ("version", version.as_str()),
        ("seven_day_available_on", "2026-11-20"),
        ("seven_day_checks", "Vikt dagligen."),
        ("seven_day_npo", "ja"),
    ];
    let refused = hospital.post_form(&path, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"seven_day_medication-error\""));
    assert!(refused.body.contains("Vikt dagligen."), "typed kept");

    fields.push(("seven_day_medication", "Furosemid höjd till 80 mg."));
    let recorded = hospital.post_form(&path, &fields).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = hospital.get(&format!("/begaran/{id}")).await;
    assert!(page.body.contains("Kom efter tidsgränsen 2026-11-19."));
    assert!(page.body.contains("Till och med 2026-11-25"));
    let (_, file) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}/case-file"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        file["case"]["track_details"]["Discharge"]["plan_available_on"], "2026-11-20",
        "{file}"
    );

    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let page = nurse.get(&format!("/begaran/{id}")).await;
    assert!(!page.body.contains("Registrera sjudagarsplanen"));
    let csrf = csrf_in(&page.body);
    let version = file["case"]["version"].to_string();
    fields[0] = ("csrf_token", csrf.as_str());
    fields[1] = ("version", version.as_str());
    assert_eq!(
        nurse.post_form(&path, &fields).await.status,
        StatusCode::FORBIDDEN
    );

    // After the decision the hospital hands the region's part to the vårdcentral, whose doctor
    // then writes the region's part of the plan; the hospital keeps reading the case.
    let nurse_token = api_token(&app, "sjukskoterska").await;
    step_as(&app, &nurse_token, &id, "kvittera", serde_json::json!({})).await;
    step_as(
        &app,
        &nurse_token,
        &id,
        "paborja-bedomning",
        serde_json::json!({}),
    )
    .await;
    for (token, path, body) in [
        (
            &token,
            "assessments",
            serde_json::json!({"text": "Utskrivningsklar."}),
        ),
        (
            &nurse_token,
            "assessments",
            serde_json::json!({"text": "Kan ta över."}),
        ),
        (
            &nurse_token,
            "home-check",
            serde_json::json!({"competence_ok": true, "equipment_ok": true}),
        ),
    ] {
        let file = case_file(&app, token, &id).await;
        let mut body = body;
        body["version"] = file["case"]["version"].clone();
        let (status, answer) = api(
            &app,
            Method::POST,
            &format!("/api/v1/requests/{id}/{path}"),
            Some(token),
            Some(body),
        )
        .await;
        assert!(status.is_success(), "{path}: {answer}");
    }
    let enroll = serde_json::json!({"care_level": "hemsjukvard-ssk", "intervention_kind": "samordnad", "interventions": "Viktkontroll.", "start_date": "2026-11-23", "responsible_units": "Båda"});
    step_as(&app, &nurse_token, &id, "foresla-inskriven", enroll).await;
    step_as(&app, &token, &id, "bekrafta-beslut", serde_json::json!({})).await;
    let health_centre = app
        .store
        .transaction(samsyn_store::units::list)
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Vårdcentralen Örebro centrum")
        .unwrap()
        .id;
    let file = case_file(&app, &token, &id).await;
    let (status, refused) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/steps/lamna-over-till-vardcentral"),
        Some(&token),
        Some(serde_json::json!({"version": file["case"]["version"], "hand_over_to": "nowhere"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.to_string().contains("hand_over_to"), "{refused}");
    let handed = step_as(
        &app,
        &token,
        &id,
        "lamna-over-till-vardcentral",
        serde_json::json!({"hand_over_to": health_centre}),
    )
    .await;
    assert_eq!(handed["state"], "beslutad", "the state stays");
    let vc_token = api_token(&app, "lakare").await;
    let (status, file) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}/case-file"),
        Some(&vc_token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the vårdcentral has the case");
    assert!(
        file["allowed_steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "planera"),
        "{file}"
    );
    let page = hospital.get(&format!("/begaran/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "the hospital still reads it");
    assert!(page.body.contains("Lämna över till vårdcentralen →"));
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/steps/planera"),
        Some(&token),
        Some(serde_json::json!({"version": file["case"]["version"]})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "but takes no step");
}

samsyn_testkit::on_both_engines_async!(
    both_parties_write_sign_and_follow_up_the_plan,
    a_sip_needs_consent_and_is_kept_on_the_case,
    the_hospital_records_its_seven_day_plan
);
