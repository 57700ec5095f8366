//! The rehabilitation process through the real router, on both engines (*Hälso- och sjukvård i
//! hemmet primärvårdsnivå* §3.4): the rehab team's arbetsterapeut writes the rehabiliteringsplan
//! in versions and follows it up as prescriber, the referrer reads but does not write it, and
//! the arbetsterapeut ends the rehabilitation alone while the referrer cannot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use samsyn_testkit::TestDb;
use serde_json::Value;

/// The case's version and a fresh CSRF token from the case page.
async fn page_tokens(browser: &mut Browser<'_>, id: &str) -> (String, String, String) {
    let page = browser.get(&format!("/begaran/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_in(&page.body);
    let marker = "name=\"version\" value=\"";
    let start = page.body.find(marker).expect("a version field") + marker.len();
    let version = page.body[start..].split('"').next().unwrap().to_owned();
    (csrf, version, page.body)
}

const PLAN: [(&str, &str); 9] = [
    ("rehab_goals", "Klara trappan till tvättstugan själv."),
    ("rehab_interventions", "Gångträning två gånger i veckan."),
    ("rehab_performer", "overlatet"),
    ("rehab_delegated_to", "Hemtjänsten Örebro"),
    ("rehab_team", "Arbetsterapeut Aziz, fysioterapeut Falk"),
    ("rehab_person_took_part", "ja"),
    ("rehab_prescriber", "Arbetsterapeut Aziz"),
    ("rehab_frequency", "1-manad"),
    ("rehab_first_follow_up", "2026-12-10"),
];

async fn the_rehab_team_plans_follows_up_and_closes(db: TestDb) {
    let app = app(db);
    let id = enrolled_rehab_case(&app).await;
    let mut therapist = Browser::new(&app);
    therapist.login("arbetsterapeut").await;
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let plan_path = format!("/begaran/{id}/rehabplan");

    // A plan without the person's answer and without whom the insatser go to is refused.
    let (csrf, version, page) = page_tokens(&mut therapist, &id).await;
    assert!(page.contains("Skriv rehabiliteringsplanen"));
    let mut gaps: Vec<(&str, &str)> = vec![("csrf_token", &csrf), ("version", &version)];
    gaps.extend(
        PLAN.iter()
            .filter(|(k, _)| *k != "rehab_delegated_to" && *k != "rehab_person_took_part"),
    );
    let refused = therapist.post_form(&plan_path, &gaps).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Skriv till vem insatserna överlåts"));
    assert!(
        refused
            .body
            .contains("Ange om personen deltog i planeringen.")
    );
    assert!(
        refused
            .body
            .contains("Klara trappan till tvättstugan själv.")
    );

    // Two versions; the first stays readable.
    for goal in [
        "Klara trappan till tvättstugan själv.",
        "Gå till affären med rollator.",
    ] {
        let (csrf, version, _) = page_tokens(&mut therapist, &id).await;
        let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &csrf), ("version", &version)];
        fields.extend(PLAN.iter().filter(|(k, _)| *k != "rehab_goals"));
        fields.push(("rehab_goals", goal));
        let saved = therapist.post_form(&plan_path, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let (_, _, page) = page_tokens(&mut doctor, &id).await;
    assert!(page.contains("Version 2 (gäller)"), "{page}");
    assert!(page.contains("Gå till affären med rollator."));
    assert!(page.contains("<summary>Version 1</summary>"));
    assert!(
        !page.contains("Spara rehabiliteringsplanen"),
        "the referrer reads"
    );
    let compared = doctor
        .get(&format!("/begaran/{id}/rehabplan/jamfor?fran=1&till=2"))
        .await;
    assert_eq!(compared.status, StatusCode::OK);
    assert!(
        compared.body.contains("1 av 7 delar är ändrade."),
        "{}",
        compared.body
    );
    assert!(compared.body.contains("Gå till affären med rollator."));

    // The referrer may not write it; the rule, not only the page, says so.
    let (csrf, version, _) = page_tokens(&mut doctor, &id).await;
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &csrf), ("version", &version)];
    fields.extend(PLAN);
    assert_eq!(
        doctor.post_form(&plan_path, &fields).await.status,
        StatusCode::FORBIDDEN
    );

    // The prescriber's follow-up sets the next date by the plan's frequency.
    let (csrf, version, _) = page_tokens(&mut therapist, &id).await;
    let followed = therapist
        .post_form(
            &format!("{plan_path}/uppfoljning"),
            &[
                ("csrf_token", &csrf),
                ("version", &version),
                ("follow_up_date", "2026-11-20"),
                ("follow_up_checked", "Trappgång och rollator."),
                ("follow_up_outcome", "fortsatt"),
            ],
        )
        .await;
    assert_eq!(followed.status, StatusCode::SEE_OTHER, "{}", followed.body);
    let (_, _, page) = page_tokens(&mut doctor, &id).await;
    assert!(
        page.contains("Nästa uppföljning <strong>2026-12-20</strong>"),
        "a month after 2026-11-20"
    );
    assert!(page.contains("Trappgång och rollator."));

    // The same plan in the JSON API, and a version written through it.
    let token = api_token(&app, "arbetsterapeut").await;
    let (status, plan) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}/rehab-plan"),
        Some(&api_token(&app, "lakare").await),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["versions"].as_array().map(Vec::len), Some(2), "{plan}");
    assert_eq!(plan["versions"][1]["performer"], "overlatet");
    assert_eq!(plan["follow_ups"][0]["next_due"], "2026-12-20");
    let mut body: serde_json::Map<String, Value> = PLAN
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    body.insert("version".into(), plan["case_version"].clone());
    body.insert("rehab_performer".into(), "egenvard".into());
    let (status, saved) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/rehab-plan"),
        Some(&token),
        Some(body.clone().into()),
    )
    .await;
    assert_eq!(
        (status, saved["version"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{saved}"
    );
    body.insert("rehab_frequency".into(), "varje-timme".into());
    let (status, refused) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/rehab-plan"),
        Some(&token),
        Some(body.into()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.to_string().contains("rehab_frequency"), "{refused}");

    // Ending it: the referrer cannot close it alone; the arbetsterapeut can.
    let planning = serde_json::json!({
        "planning_date": "2026-11-19", "planning_form": "hemma",
        "region_participants": "Lena Lind, läkare",
        "municipality_participants": "Arbetsterapeut Aziz",
        "person_took_part": "ja",
    });
    step_as(&app, &token, &id, "planera", planning).await;
    step_as(&app, &token, &id, "starta", serde_json::json!({})).await;
    let doctor_token = api_token(&app, "lakare").await;
    let (_, file) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}/case-file"),
        Some(&doctor_token),
        None,
    )
    .await;
    let closure = serde_json::json!({
        "version": file["case"]["version"],
        "closure_reason": "Målen är nådda.",
        "next_contact": "Rehabteamet Örebro, 019-21 00 00",
    });
    let (status, answer) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/steps/avsluta-rehabilitering"),
        Some(&doctor_token),
        Some(closure),
    )
    .await;
    assert!(status.is_client_error(), "{status} {answer}");
    assert!(
        answer.to_string().contains("Avsluta rehabiliteringen"),
        "{answer}"
    );
    let closed: Value = step_as(
        &app,
        &token,
        &id,
        "avsluta-rehabilitering",
        serde_json::json!({
            "closure_reason": "Målen är nådda.",
            "next_contact": "Rehabteamet Örebro, 019-21 00 00",
        }),
    )
    .await;
    assert_eq!(closed["state"], "avslutad", "{closed}");
    let (_, _, page) = page_tokens(&mut doctor, &id).await;
    assert!(page.contains("Målen är nådda."));
    assert!(
        page.contains("Avslutat av rehabiliteringsprofessionen"),
        "{page}"
    );
    assert!(
        !page.contains("Bekräftat av"),
        "nobody confirmed; the therapist decided"
    );
}

/// An egenvårdsbegäran the person phoned in: only the rehab team's professional registers it,
/// for a person in the team's municipality; it is received at once, the referring region never
/// sees it, and the team assesses, decides, plans and ends it alone.
async fn the_rehab_team_registers_and_decides_an_egenvardsbegaran(db: TestDb) {
    let app = app(db);
    let therapist = api_token(&app, "arbetsterapeut").await;
    let body = |municipality: &str| {
        serde_json::json!({
            "personnummer": "19121212-1212",
            "patient_name": "Tolvan Tolvansson",
            "home_municipality": municipality,
            "situation": "Ringde själv: vågar inte duscha efter ett fall.",
            "recommendation": "Hjälpmedel i badrummet. Mål: duscha själv.",
            "track": "primarvard",
        })
    };
    let post = |token: String, body: Value| {
        let app = &app;
        async move {
            api(
                app,
                Method::POST,
                "/api/v1/self-referrals",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let (status, _) = post(api_token(&app, "sjukskoterska").await, body("1880")).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the nurse sends a request instead"
    );
    let (status, refused) = post(therapist.clone(), body("1881")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.to_string().contains("home_municipality"),
        "{refused}"
    );
    let (status, created) = post(therapist.clone(), body("1880")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["state"], "under_bedomning", "received at once");
    assert_eq!(created["track"], "rehabilitering", "whatever the body said");
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, _) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&api_token(&app, "lakare").await),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no region unit has a part");

    let steps = case_file(&app, &therapist, &id).await["allowed_steps"].clone();
    assert_eq!(
        steps,
        serde_json::json!(["besluta-inskriven", "besluta-ej-inskriven"]),
        "nothing to propose to anyone"
    );
    for (path, body) in [
        (
            "assessments",
            serde_json::json!({"text": "Osäker förflyttning."}),
        ),
        (
            "home-check",
            serde_json::json!({"competence_ok": true, "equipment_ok": true}),
        ),
    ] {
        let mut body = body;
        body["version"] = case_file(&app, &therapist, &id).await["case"]["version"].clone();
        let (status, answer) = api(
            &app,
            Method::POST,
            &format!("/api/v1/requests/{id}/{path}"),
            Some(&therapist),
            Some(body),
        )
        .await;
        assert!(status.is_success(), "{path}: {answer}");
    }
    let enroll = serde_json::json!({"care_level": "rehabilitering", "intervention_kind": "samordnad", "interventions": "Hjälpmedel och förflyttningsträning.", "start_date": "2026-11-23", "responsible_units": "Rehabteamet"});
    let decided = step_as(&app, &therapist, &id, "besluta-inskriven", enroll).await;
    assert_eq!(decided["state"], "beslutad", "{decided}");
    let planning = serde_json::json!({
        "planning_date": "2026-11-19", "planning_form": "hemma",
        "municipality_participants": "Arbetsterapeut Aziz",
        "person_took_part": "ja",
    });
    step_as(&app, &therapist, &id, "planera", planning).await;
    step_as(&app, &therapist, &id, "starta", serde_json::json!({})).await;
    let closed = step_as(
        &app,
        &therapist,
        &id,
        "avsluta-rehabilitering",
        serde_json::json!({
            "closure_reason": "Duschar själv med duschpall.",
            "next_contact": "Rehabteamet Örebro, 019-21 00 00",
        }),
    )
    .await;
    assert_eq!(closed["state"], "avslutad");

    // The form: offered to the rehab team only, and it says what is wrong.
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let instead = nurse.get("/begaran/egenvardsbegaran").await;
    assert_eq!(instead.status, StatusCode::OK);
    assert!(
        instead
            .body
            .contains("Skicka i stället en begäran till rehabteamet"),
        "the nurse gets the ordinary request, started by the person"
    );
    assert!(instead.body.contains("<option value=\"egen\" selected>"));
    let mut team = Browser::new(&app);
    team.login("arbetsterapeut").await;
    let inbox = team.get("/inkorg").await;
    assert!(inbox.body.contains("Registrera egenvårdsbegäran"));
    let form = team.get("/begaran/egenvardsbegaran").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        !form.body.contains("name=\"consent\""),
        "no consent to pass on"
    );
    let csrf = csrf_in(&form.body);
    let refused = team
        .post_form(
            "/begaran/egenvardsbegaran",
            &[
                ("csrf_token", csrf.as_str()),
                ("personnummer", "19121212-1212"),
                ("patient_name", "Tolvan Tolvansson"),
                ("home_municipality", "1880"),
                ("track", "rehabilitering"),
                ("rehab_initiator", "egen"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Situation måste fyllas i"),
        "{}",
        refused.body
    );
}

samsyn_testkit::on_both_engines_async!(
    the_rehab_team_plans_follows_up_and_closes,
    the_rehab_team_registers_and_decides_an_egenvardsbegaran
);
