//! Oenighet and avvikelser through the real router, on both engines (*Principer för samverkan och
//! ekonomisk reglering* §10; *Överenskommelse om samverkan …* §8): the ladder is climbed by the
//! parties' managers one level at a time; the county report needs an enhetschef and its three
//! parts; a new decision waits until the oenighet is resolved, which needs both parties; the
//! county group's page shows the report but not the person. A deviation goes to the other
//! party's unit, whose nurse cannot answer it and whose enhetschef can, and no third party sees it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use samsyn_testkit::TestDb;
use serde_json::json;

/// A sent case between Vårdcentralen Örebro centrum and Hemsjukvården Örebro, assessed by both
/// and disputed; returns its id.
async fn disputed_case(app: &App) -> String {
    let mut doctor = Browser::new(app);
    doctor.login("lakare").await;
    let id = send_request_as_doctor(&mut doctor).await;
    let nurse = api_token(app, "sjukskoterska").await;
    let lakare = api_token(app, "lakare").await;
    let step = |token: String, code: &'static str, extra: serde_json::Value| {
        let id = id.clone();
        async move {
            let (_, current) = api(
                app,
                Method::GET,
                &format!("/api/v1/requests/{id}"),
                Some(&token),
                None,
            )
            .await;
            let mut body = json!({"version": current["version"]});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            api(
                app,
                Method::POST,
                &format!("/api/v1/requests/{id}/steps/{code}"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    for code in ["kvittera", "paborja-bedomning"] {
        let (status, body) = step(nurse.clone(), code, json!({})).await;
        assert_eq!(status, StatusCode::OK, "{code}: {body}");
    }
    let opening = json!({
        "reason": "Om personen kan ta sig till mottagningen.",
        "region_manager": "Vera Vall",
        "municipality_manager": "Eva Ek",
        "interim_arrangement": "Vårdcentralen gör hembesöken tills vidare.",
    });
    let (status, body) = step(nurse.clone(), "besluta-oenighet", opening.clone()).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no assessments yet: {body}"
    );
    for token in [&nurse, &lakare] {
        let (_, current) = api(
            app,
            Method::GET,
            &format!("/api/v1/requests/{id}"),
            Some(token),
            None,
        )
        .await;
        let (status, _) = api(
            app,
            Method::POST,
            &format!("/api/v1/requests/{id}/assessments"),
            Some(token),
            Some(json!({"version": current["version"], "text": "Bedömning"})),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (status, body) = step(nurse.clone(), "besluta-oenighet", opening).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

/// The doctor proposes "ej inskriven" at the case's current version.
async fn propose_not_enrolled(app: &App, token: &str, id: &str) -> (StatusCode, serde_json::Value) {
    let (_, current) = api(
        app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(token),
        None,
    )
    .await;
    let body = json!({"version": current["version"], "reason": "Inte inskriven."});
    let path = format!("/api/v1/requests/{id}/steps/foresla-ej-inskriven");
    api(app, Method::POST, &path, Some(token), Some(body)).await
}

/// Posts a step on the case's oenighet from its page; returns the answer.
async fn ladder(browser: &mut Browser<'_>, id: &str, fields: &[(&str, &str)]) -> Response {
    let page = browser.get(&format!("/begaran/{id}/oenighet")).await;
    assert_eq!(page.status, StatusCode::OK);
    let marker = "name=\"version\" value=\"";
    let version = page
        .body
        .find(marker)
        .map(|start| {
            page.body[start + marker.len()..]
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        })
        .unwrap_or_default();
    let csrf = csrf_in(&page.body);
    let mut form = vec![("csrf_token", csrf.as_str()), ("version", version.as_str())];
    form.extend_from_slice(fields);
    browser
        .post_form(&format!("/begaran/{id}/oenighet"), &form)
        .await
}

async fn the_ladder_is_climbed_to_the_county_and_resolved_by_both(db: TestDb) {
    let app = app(db);
    let id = disputed_case(&app).await;
    let mut municipality = Browser::new(&app);
    municipality.login("enhetschef").await;
    let mut region = Browser::new(&app);
    region.login("verksamhetschef").await;
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;

    // A nurse takes no step on the ladder; a manager cannot skip a level.
    let refused = ladder(
        &mut nurse,
        &id,
        &[
            ("step", "registrera"),
            ("outcome", "overens"),
            ("text", "x"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_agreed = [
        ("step", "registrera"),
        ("outcome", "inte-overens"),
        ("text", "Olika tolkning."),
    ];
    assert_eq!(
        ladder(&mut municipality, &id, &not_agreed).await.status,
        StatusCode::SEE_OTHER
    );
    let skipped = ladder(
        &mut municipality,
        &id,
        &[
            ("step", "lyft"),
            ("level", "chefslinjen"),
            ("region_manager", "A"),
            ("municipality_manager", "B"),
        ],
    )
    .await;
    assert_eq!(skipped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        skipped.body.contains("kan inte lyftas till"),
        "{}",
        skipped.body
    );
    for (by_region, fields) in [
        (
            false,
            vec![
                ("step", "lyft"),
                ("level", "ekonomiskt-mandat"),
                ("region_manager", "Per Persson"),
                ("municipality_manager", "Siv Sund"),
            ],
        ),
        (
            true,
            vec![("step", "registrera"), ("outcome", "inga-kostnader")],
        ),
        (
            true,
            vec![
                ("step", "lyft"),
                ("level", "chefslinjen"),
                ("region_manager", "Anna Alm"),
                ("municipality_manager", "Bo Berg"),
            ],
        ),
        (true, not_agreed.to_vec()),
    ] {
        let browser = if by_region {
            &mut region
        } else {
            &mut municipality
        };
        let answer = ladder(browser, &id, &fields).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{fields:?}: {}",
            answer.body
        );
    }

    // The county report needs its three parts.
    let incomplete = ladder(
        &mut region,
        &id,
        &[("step", "anmal-lan"), ("description", "Kort")],
    )
    .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(incomplete.body.contains("(b) parternas olika tolkningar"));
    let report = [
        ("step", "anmal-lan"),
        ("description", "Testfallet: viktkontroll efter utskrivning."),
        (
            "interpretations",
            "Regionen och kommunen läser kriteriet olika.",
        ),
        (
            "cause",
            "Kriteriet saknar exempel på betydande ansträngning.",
        ),
    ];
    assert_eq!(
        ladder(&mut region, &id, &report).await.status,
        StatusCode::SEE_OTHER
    );

    // The county group reads it without the person and gives guidance.
    let mut group = Browser::new(&app);
    group.login("lansgrupp").await;
    let page = group.get("/lansgrupp").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Testfallet: viktkontroll efter utskrivning.")
    );
    assert!(
        !page.body.contains("Tolvan"),
        "no person on the county group's page"
    );
    let marker = "name=\"disagreement_id\" value=\"";
    let start = page.body.rfind(marker).unwrap() + marker.len();
    let disagreement_id = page.body[start..].split('"').next().unwrap().to_owned();
    let version_marker = "name=\"version\" value=\"";
    let at = start + page.body[start..].find(version_marker).unwrap() + version_marker.len();
    let version = page.body[at..].split('"').next().unwrap().to_owned();
    let guided = group
        .post_form(
            "/lansgrupp",
            &[
                ("csrf_token", csrf_in(&page.body).as_str()),
                ("disagreement_id", disagreement_id.as_str()),
                ("version", version.as_str()),
                (
                    "guidance",
                    "Färdtjänst förutsätter att besöket inte försämrar tillståndet.",
                ),
                ("reported_to_committee_on", "2026-11-19"),
            ],
        )
        .await;
    assert_eq!(guided.status, StatusCode::SEE_OTHER, "{}", guided.body);

    // A decision waits for the resolution; one party's agreement is not one.
    let token = api_token(&app, "lakare").await;
    let (status, body) = propose_not_enrolled(&app, &token, &id).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let agreed = [
        ("step", "registrera"),
        ("outcome", "overens"),
        ("text", "Kommunen gör viktkontrollen."),
    ];
    assert_eq!(
        ladder(&mut municipality, &id, &agreed).await.status,
        StatusCode::SEE_OTHER
    );
    let own = ladder(&mut municipality, &id, &[("step", "bekrafta")]).await;
    assert_eq!(
        own.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same party cannot confirm"
    );
    assert_eq!(
        ladder(&mut region, &id, &[("step", "bekrafta")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = nurse.get(&format!("/begaran/{id}")).await;
    assert!(
        page.body
            .contains("Ansvaret gäller enligt överenskommelsen: Kommunen gör viktkontrollen.")
    );
    let (status, body) = propose_not_enrolled(&app, &token, &id).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "resolved, a decision may be proposed: {body}"
    );

    let (status, ladders) = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}/disagreements"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let levels: Vec<&str> = ladders[0]["rungs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["lokal", "ekonomiskt-mandat", "chefslinjen", "lan"]);
    assert!(ladders[0]["resolved_at"].is_string());
    let compilation = region.get("/oenighet/sammanstallning/json?ar=2026").await;
    let json: serde_json::Value = serde_json::from_str(&compilation.body).unwrap();
    assert!(json["by_level"]["4"].as_u64().unwrap() >= 1);
    assert!(!compilation.body.contains("Tolvan"));
}

/// Posts a step on the deviation at `url` from its page.
async fn post_step(
    browser: &mut Browser<'_>,
    url: &str,
    fields: Vec<(&'static str, &'static str)>,
) -> Response {
    let page = browser.get(url).await;
    let csrf = csrf_in(&page.body);
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend(fields);
    browser.post_form(url, &form).await
}

async fn a_deviation_is_answered_by_the_other_partys_manager(db: TestDb) {
    let app = app(db);
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let form = nurse.get("/avvikelser/ny").await;
    let region_unit = {
        let marker = "Vårdcentralen Örebro centrum (Region Örebro län)";
        let end = form.body.find(marker).unwrap();
        let value = "<option value=\"";
        let start = form.body[..end].rfind(value).unwrap() + value.len();
        form.body[start..].split('"').next().unwrap().to_owned()
    };
    let csrf = csrf_in(&form.body);
    let future = nurse
        .post_form(
            "/avvikelser",
            &[
                ("csrf_token", &csrf),
                ("kind", "sip-ej-hallen"),
                ("occurred_on", "2030-01-01"),
                ("description", "SIP hölls inte."),
                ("addressed_unit_id", &region_unit),
            ],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("Dagen kan inte ligga i framtiden."));
    let reported = nurse
        .post_form(
            "/avvikelser",
            &[
                ("csrf_token", &csrf),
                ("kind", "sip-ej-hallen"),
                ("occurred_on", "2026-11-19"),
                ("description", "SIP hölls inte trots begäran."),
                ("addressed_unit_id", &region_unit),
            ],
        )
        .await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER, "{}", reported.body);
    let url = reported.location().split('?').next().unwrap().to_owned();

    let answer = |version: &'static str| {
        vec![
            ("step", "besvara"),
            ("version", version),
            ("investigation", "Förfrågan missades."),
            ("measures", "Rutinen ses över."),
        ]
    };
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let by_doctor = post_step(&mut doctor, &url, answer("0")).await;
    assert_eq!(
        by_doctor.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a doctor does not answer for the unit"
    );
    let mut kumla = Browser::new(&app);
    kumla.login("sjukskoterska.kumla").await;
    assert_eq!(kumla.get(&url).await.status, StatusCode::NOT_FOUND);
    let kumla_token = api_token(&app, "sjukskoterska.kumla").await;
    let api_path = url.replace("/avvikelser/", "/api/v1/deviations/");
    let (status, _) = api(&app, Method::GET, &api_path, Some(&kumla_token), None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the API hides it from a third party too"
    );
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("{api_path}/steps"),
        Some(&kumla_token),
        Some(serde_json::json!({"step": "besvara"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut manager = Browser::new(&app);
    manager.login("verksamhetschef").await;
    let answered = post_step(&mut manager, &url, answer("0")).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let stale = post_step(&mut manager, &url, answer("0")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let closed = post_step(
        &mut nurse,
        &url,
        vec![
            ("step", "avsluta"),
            ("version", "1"),
            ("conclusion", "Bra svar."),
        ],
    )
    .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let nurse_token = api_token(&app, "sjukskoterska").await;
    let (status, read) = api(&app, Method::GET, &api_path, Some(&nurse_token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["status"], "avslutad");
    assert_eq!(read["measures"], "Rutinen ses över.");
    let statistics = manager.get("/avvikelser/arsstatistik/json?ar=2026").await;
    let json: serde_json::Value = serde_json::from_str(&statistics.body).unwrap();
    assert!(json["by_status"]["avslutad"].as_u64().unwrap() >= 1);
    assert!(json["total"].as_u64().unwrap() >= 1);
}

samsyn_testkit::on_both_engines_async!(
    the_ladder_is_climbed_to_the_county_and_resolved_by_both,
    a_deviation_is_answered_by_the_other_partys_manager
);
