//! A second region through the real router, on both engines: Samsyn under the example rule set
//! `rules/exempel-2026.toml` (Region Exempel, three made-up municipalities) builds that region's
//! demo county and runs its processes by its own rules — every page says the region is made up,
//! the request form has no psychiatric sub-process, a kvittens is due after two working days of
//! its own calendar,
//! the tilläggsbelopp has the example's two pots and keys, and the measurement reproduces the
//! example's published outcome — with nothing of Region Örebro län on the pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use samsyn_testkit::TestDb;

fn example(db: TestDb) -> App {
    app_with_rules(db, samsyn_testkit::rules_file("exempel-2026.toml"))
}

async fn signed_in<'a>(app: &'a App, username: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let answer = browser.login(username).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{username} signs in");
    browser
}

fn no_orebro(page: &str, what: &str) {
    for word in ["Örebro", "Kumla", "orebro-2025"] {
        assert!(!page.contains(word), "{what} shows {word}");
    }
}

async fn the_example_region_runs_on_its_own_rules(db: TestDb) {
    let app = example(db);
    let mut nurse = signed_in(&app, "sjukskoterska").await;
    let inbox = nurse.get("/inkorg").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.body.contains("EXEMPEL"), "every page says so");
    assert!(inbox.body.contains("Region Exempel är en påhittad region"));
    assert!(inbox.body.contains("Hemsjukvården Ekby"));
    assert!(inbox.body.contains("(exempel: påhittad region)"));
    no_orebro(&inbox.body, "the inbox");

    // The second municipality's nurse exists, named after it.
    let mut granvik = signed_in(&app, "sjukskoterska.granvik").await;
    assert!(
        granvik
            .get("/inkorg")
            .await
            .body
            .contains("Hemsjukvården Granvik")
    );

    // No psychiatric sub-process: the specialised-care form does not offer it.
    let mut psychiatrist = signed_in(&app, "psykiater").await;
    let form = psychiatrist.get("/begaran/ny?spar=specialiserad").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Allmänpsykiatrisk öppenvård Ekby"));
    assert!(!form.body.contains("id=\"psychiatric_medication\""));
    no_orebro(&form.body, "the request form");

    // A request sent on Friday 20 November is due for kvittens on Wednesday the 25th: two
    // working days, not Örebro's one, and Monday the 23rd is the region's own day off.
    let mut doctor = signed_in(&app, "lakare").await;
    let id = send_request_from(&mut doctor, "9901", "Vårdcentralen Ekby").await;
    let case = doctor.get(&format!("/begaran/{id}")).await;
    assert!(
        case.body.contains("2026-11-25"),
        "the kvittens deadline is two working days of the region's calendar after sending"
    );

    // The tilläggsbelopp: two pots, the basic one by all inhabitants.
    let mut economist = signed_in(&app, "ekonom").await;
    let amount = economist.get("/tillagg?ar=2026").await;
    assert_eq!(amount.status, StatusCode::OK);
    assert!(amount.body.contains("Grundbelopp"));
    assert!(amount.body.contains("Kompensation för avstånd"));
    assert!(!amount.body.contains("Avancerad hemsjukvård"));
    assert!(amount.body.contains("alla invånare"));
    assert!(amount.body.contains("Tallmo"));
    no_orebro(&amount.body, "the tilläggsbelopp");
    let simulation = economist.get("/tillagg/simulera?ar=2026").await;
    assert!(
        simulation
            .body
            .contains("value=\"andel_befolkning\" selected")
    );

    // The measurement: the March 2026 files reproduce the example's published outcome.
    let measurement = economist.get("/matning?period=2026-03").await;
    assert_eq!(measurement.status, StatusCode::OK);
    assert!(
        measurement
            .body
            .contains("Stämmer exakt med det publicerade utfallet för 2026-03"),
        "the demo's files reproduce the published table"
    );
    assert!(
        !measurement
            .body
            .contains("Kategori 4 (avancerad hemsjukvård): utveckling")
    );
    no_orebro(&measurement.body, "the measurement");

    // The disagreement ladder is the example's: three levels, named and numbered its way.
    let mut county_group = signed_in(&app, "lansgrupp").await;
    let reported = county_group.get("/lansgrupp").await;
    assert_eq!(reported.status, StatusCode::OK);
    assert!(
        reported.body.contains("1. Närmaste chefer")
            && reported.body.contains("2. Förvaltningsledningarna"),
        "the reported case climbed the example's ladder"
    );
    assert!(!reported.body.contains("ekonomiskt mandat"));
    let compilation = county_group.get("/oenighet/sammanstallning?ar=2026").await;
    assert_eq!(compilation.status, StatusCode::OK);
    assert!(compilation.body.contains("3. Regionala samverkansgruppen"));
    assert!(compilation.body.contains("(Exempelöverenskommelsen, §10)"));
    assert!(!compilation.body.contains("Principer för samverkan"));
    no_orebro(&compilation.body, "the disagreement compilation");
}

/// A region that offers only tracks 1 and rehabilitation: the other tracks are in no form, and a
/// request for one through the API is refused.
async fn a_track_the_agreement_lacks_is_neither_offered_nor_accepted(db: TestDb) {
    let text = std::fs::read_to_string(samsyn_testkit::rules_dir().join("orebro-2025.toml"))
        .unwrap()
        .replace(
            "[deadlines.acknowledgement]",
            "[[tracks]]\ntrack = \"primarvard\"\nsenders = [\"vardcentral\"]\n\n[[tracks]]\ntrack = \"rehabilitering\"\nsenders = [\"vardcentral\", \"kommunal_hsl\"]\n\n[deadlines.acknowledgement]",
        );
    let dir = samsyn_testkit::rules_dir();
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).map_err(|e| e.to_string());
    let rules = samsyn_domain::RuleSet::load(&text, &read).unwrap();
    let app = app_with_rules(db, rules);
    let mut hospital = signed_in(&app, "sjukhuslakare").await;
    let form = hospital.get("/begaran/ny?spar=utskrivning").await;
    assert!(
        !form.body.contains("value=\"utskrivning\""),
        "no discharge track offered"
    );
    let mut doctor = signed_in(&app, "lakare").await;
    let form = doctor.get("/begaran/ny").await;
    assert!(form.body.contains("rehabilitering"));
    let token = api_token(&app, "sjukhuslakare").await;
    let mut body = request_json();
    body.insert("track".into(), "utskrivning".into());
    body.insert("visam_colour".into(), "gult".into());
    body.insert("discharge_date".into(), "2026-11-30".into());
    let (status, answer) = api(
        &app,
        axum::http::Method::POST,
        "/api/v1/requests",
        Some(&token),
        Some(serde_json::Value::Object(body)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer.to_string().contains("ingår inte i överenskommelsen"),
        "{answer}"
    );
}

/// Through the JSON API, the example's whole intake: the vårdcentral's doctor sends, the
/// municipality acknowledges within the example's two working days, both assess, and the
/// decision to enroll is proposed and confirmed. The year's tilläggsbelopp has the example's two
/// pots, whose municipalities' amounts sum exactly to each pot and the pots to the total.
async fn the_example_intake_and_money_run_through_the_api(db: TestDb) {
    use axum::http::Method;
    use serde_json::{Value, json};
    let app = example(db);
    let details = json!({"PrimaryCare": {"coordination_need": true, "safe_at_home": true,
        "digital_care_insufficient": true, "exception": null,
        "risk": {"instrument": "cfs", "date": "2026-11-19", "score": 6}}});
    let fields = [
        ("home_municipality", "9901"),
        ("health_centre_name", "Vårdcentralen Ekby"),
    ];
    let id = enrolled_case_with(&app, "sjukskoterska", &fields, Some(details)).await;
    let doctor = api_token(&app, "lakare").await;
    let file = case_file(&app, &doctor, &id).await;
    let text = file.to_string();
    assert_eq!(file["case"]["state"], "beslutad", "{text}");
    assert_eq!(file["decisions"][0]["outcome"], "inskriven", "{text}");
    assert_eq!(file["case"]["acknowledgement_due"], "2026-11-25", "{text}");
    assert_eq!(
        file["case"]["deadline_status"], "kvitterad",
        "in time: {text}"
    );
    assert_eq!(
        file["decisions"][0]["joint_planning_due"], "2026-11-30",
        "joint planning within the example's ten days: {text}"
    );
    assert!(!text.contains("Örebro"), "{text}");
    let mut nurse = signed_in(&app, "sjukskoterska").await;
    let page = nurse.get(&format!("/begaran/{id}")).await;
    assert!(
        page.body
            .contains("inom tio dagar från beslutet (Exempelöverenskommelsen, §3.1.4)"),
        "the planning panel states the example's period and cites its agreement"
    );
    assert!(!page.body.contains("inom en vecka"));
    assert!(
        !page.body.contains("primärvårdsnivå"),
        "no other region's agreement cited"
    );

    let economist = api_token(&app, "ekonom").await;
    let (status, year) = api(
        &app,
        Method::GET,
        "/api/v1/tillagg/2026",
        Some(&economist),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{year}");
    let pots = year["pots"].as_array().unwrap();
    assert_eq!(pots.len(), 2, "{year}");
    let amount = |v: &Value| v.as_i64().unwrap_or_else(|| panic!("{v} is whole kronor"));
    let mut total = 0;
    for pot in pots {
        let allocations = pot["allocations"].as_array().unwrap();
        assert!(!allocations.is_empty(), "{pot}");
        let sum: i64 = allocations.iter().map(|a| amount(&a["amount"])).sum();
        assert_eq!(
            sum,
            amount(&pot["amount"]),
            "the pot's parts sum to it: {pot}"
        );
        total += sum;
    }
    assert_eq!(total, amount(&year["total"]), "the pots sum to the total");
    assert_eq!(
        pots[0]["allocations"].as_array().unwrap().len(),
        3,
        "all three share the basic pot"
    );
    assert_eq!(
        pots[1]["allocations"][0]["name"], "Tallmo",
        "only the distant one shares the distance pot"
    );
}

samsyn_testkit::on_both_engines_async!(
    the_example_region_runs_on_its_own_rules,
    the_example_intake_and_money_run_through_the_api,
    a_track_the_agreement_lacks_is_neither_offered_nor_accepted
);
