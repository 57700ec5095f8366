//! Tilläggsbelopp through the real router on both engines: the decision cycle with its refusal of
//! changes to a decided version, the correction as a new version, the payment basis, and a saved
//! scenario against the decision.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{Browser, app, csrf_in};
use samsyn_testkit::{TestDb, on_both_engines_async};

fn version_id(location: &str) -> String {
    location
        .strip_prefix("/tillagg/versioner/")
        .expect("redirect to the version")
        .to_owned()
}

/// Creates the 2026 draft through the pages and decides it; returns its id and the CSRF token.
async fn decided_2026(economist: &mut Browser<'_>) -> (String, String) {
    let page = economist.get("/tillagg?ar=2026").await;
    assert!(page.body.contains("Inget utkast, inget beslut"));
    assert!(
        page.body
            .contains("patienter i kategori 4, mätningen 2025-10, lagrad i Samsyn: "),
        "the advanced pot is keyed by the stored measurement, named by its files"
    );
    let csrf = csrf_in(&page.body);
    let created = economist
        .post_form(
            "/tillagg/versioner",
            &[("csrf_token", &csrf), ("ar", "2026")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let id = version_id(created.location());
    let version = economist.get(&format!("/tillagg/versioner/{id}")).await;
    assert!(version.body.contains("<strong>Utkast</strong>"));
    assert!(version.body.contains("25\u{a0}115\u{a0}096 kr"));
    // Each step is confirmed on a page that says what it does; a decision names who decided,
    // when, and the minutes, or it is not registered.
    let confirm = economist
        .get(&format!("/tillagg/versioner/{id}/steg?till=presenterat"))
        .await;
    assert!(confirm.body.contains("Bekräfta: Markera som presenterat"));
    for (step, status) in [("presenterat", "Presenterat"), ("beslutat", "Beslutat")] {
        if step == "beslutat" {
            let unnamed = economist
                .post_form(
                    &format!("/tillagg/versioner/{id}/steg"),
                    &[
                        ("csrf_token", &csrf),
                        ("till", step),
                        ("beslutsdatum", "2099-01-01"),
                    ],
                )
                .await;
            assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                unnamed
                    .body
                    .contains("Beslutande organ: skriv vem som fattade beslutet")
            );
            assert!(
                unnamed
                    .body
                    .contains("ett beslut kan inte vara fattat i framtiden")
            );
            assert!(
                unnamed
                    .body
                    .contains("Protokollsreferens: skriv var beslutet står")
            );
        }
        let moved = economist
            .post_form(
                &format!("/tillagg/versioner/{id}/steg"),
                &[
                    ("csrf_token", &csrf),
                    ("till", step),
                    ("organ", "Regionstyrelsen"),
                    ("beslutsdatum", "2026-11-02"),
                    ("protokoll", "RS § 1"),
                ],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{step}");
        let page = economist.get(&format!("/tillagg/versioner/{id}")).await;
        assert!(
            page.body.contains(&format!("<strong>{status}</strong>")),
            "{step}"
        );
    }
    (id, csrf)
}

async fn decision_cycle_locks_the_decided_version(db: TestDb) {
    let app = app(db);
    let mut economist = Browser::new(&app);
    economist.login("ekonom").await;
    let (id, csrf) = decided_2026(&mut economist).await;
    let refused = economist
        .post_form(
            &format!("/tillagg/versioner/{id}/rakna-om"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("Version 1 är beslutad och kan inte ändras. Gör en rättelse i stället"),
        "{}",
        refused.body
    );
    let skipped = economist
        .post_form(
            &format!("/tillagg/versioner/{id}/steg"),
            &[("csrf_token", &csrf), ("till", "utkast")],
        )
        .await;
    assert_eq!(skipped.status, StatusCode::CONFLICT);

    let payment = economist
        .get(&format!("/tillagg/versioner/{id}/utbetalning/csv"))
        .await;
    assert_eq!(payment.status, StatusCode::OK);
    assert!(payment.body.contains("2026;1880;Örebro;"));
    assert!(payment.body.contains("version 1 (beslutat)"));
    let document = economist
        .get(&format!("/tillagg/versioner/{id}/beslut"))
        .await;
    assert!(document.body.contains("Beslut om tilläggsbelopp 2026"));
    assert!(document.body.contains("Beslutat 2026-11-20"));
    assert!(document.body.contains("Regelverk Örebro 2025, version 1"));

    let no_reason = economist
        .post_form(
            &format!("/tillagg/versioner/{id}/rattelse"),
            &[("csrf_token", &csrf), ("skal", "")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::CONFLICT);
    assert!(no_reason.body.contains("Skriv skälet till rättelsen."));
    let corrected = economist
        .post_form(
            &format!("/tillagg/versioner/{id}/rattelse"),
            &[("csrf_token", &csrf), ("skal", "Ny befolkningsstatistik")],
        )
        .await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER);
    let second = version_id(corrected.location());
    assert_ne!(second, id);
    let correction = economist.get(&format!("/tillagg/versioner/{second}")).await;
    assert!(correction.body.contains("version 2") || correction.body.contains("Version 2"));
    assert!(correction.body.contains("Ny befolkningsstatistik"));
    let original = economist.get(&format!("/tillagg/versioner/{id}")).await;
    assert!(original.body.contains("detta beslut gäller"));
    assert!(original.body.contains("Rättad av"));
    for step in ["presenterat", "beslutat"] {
        economist
            .post_form(
                &format!("/tillagg/versioner/{second}/steg"),
                &[
                    ("csrf_token", &csrf),
                    ("till", step),
                    ("organ", "Regionstyrelsen"),
                    ("beslutsdatum", "2026-11-02"),
                    ("protokoll", "RS § 1"),
                ],
            )
            .await;
    }
    let replaced = economist
        .get(&format!("/tillagg/versioner/{id}/utbetalning/csv"))
        .await;
    assert_eq!(replaced.status, StatusCode::CONFLICT);
    assert!(replaced.body.contains("Version 1 är ersatt av version 2"));
    let old_document = economist
        .get(&format!("/tillagg/versioner/{id}/beslut"))
        .await;
    assert!(
        old_document
            .body
            .contains("Version 1 är ersatt av version 2")
    );
    let in_force = economist
        .get(&format!("/tillagg/versioner/{second}/utbetalning/csv"))
        .await;
    assert_eq!(in_force.status, StatusCode::OK);

    let year_2025 = economist.get("/tillagg?ar=2025").await;
    assert!(
        year_2025.body.contains("(ingen mätning finns)"),
        "the 2022 measurement covered five municipalities and keys nothing"
    );
    let history = economist.get("/tillagg/historik").await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history.body.contains("Beslutat, version 2"),
        "2026 from the decision in force"
    );
    assert!(
        history.body.contains("Beräknat, inget beslut"),
        "2025 has no stored decision"
    );
    assert!(history.body.contains("<svg"));
    assert!(history.body.contains("25\u{a0}115\u{a0}096 kr"));

    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let nurse_csrf = csrf_in(&nurse.get("/inkorg").await.body);
    let denied = nurse
        .post_form(
            &format!("/tillagg/versioner/{id}/steg"),
            &[
                ("csrf_token", &nurse_csrf),
                ("till", "utbetalningsunderlag"),
            ],
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}

async fn saved_scenario_is_compared_with_the_decision(db: TestDb) {
    let app = app(db);
    let mut economist = Browser::new(&app);
    economist.login("ekonom").await;
    let (_, csrf) = decided_2026(&mut economist).await;
    let unnamed = economist
        .post_form(
            "/tillagg/scenarier",
            &[
                ("csrf_token", &csrf),
                ("ar", "2026"),
                ("tillvaxt", "1,05"),
                ("namn", ""),
            ],
        )
        .await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.body.contains("Namn: skriv ett namn"));
    let saved = economist
        .post_form(
            "/tillagg/scenarier",
            &[
                ("csrf_token", &csrf),
                ("ar", "2026"),
                ("tillvaxt", "1,05"),
                ("avstand_1864", "med"),
                ("namn", "Kopparberg med"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = economist.get(saved.location()).await;
    assert!(page.body.contains("inget beslut"));
    assert!(page.body.contains("beslutet (version 1)"));
    assert!(
        page.body
            .contains("Ljusnarsberg ingår i kompensationen för avstånd")
    );
    assert!(
        page.body.contains("25\u{a0}364\u{a0}096 kr"),
        "scenario total"
    );
    let again = economist
        .post_form(
            "/tillagg/scenarier",
            &[
                ("csrf_token", &csrf),
                ("ar", "2026"),
                ("tillvaxt", "1,04"),
                ("namn", "Kopparberg med"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("det finns redan ett scenario"));
    let list = economist.get("/tillagg/simulera?ar=2026").await;
    assert!(list.body.contains("Kopparberg med"));
}

async fn upload(
    browser: &mut Browser<'_>,
    csrf: &str,
    kind: &str,
    content: &str,
) -> common::Response {
    let boundary = "samsyngrans";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"slag\"\r\n\r\n{kind}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"{kind}.csv\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    let request = axum::http::Request::post(format!("/tillagg/underlag/import?csrf_token={csrf}"))
        .header(axum::http::header::COOKIE, browser.cookie_header())
        .header(
            axum::http::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    browser.send(request).await
}

async fn imported_growth_and_entered_pot_make_the_next_year(db: TestDb) {
    let app = app(db);
    let mut economist = Browser::new(&app);
    economist.login("ekonom").await;
    let page = economist.get("/tillagg/underlag").await;
    assert!(page.body.contains(
        "SCB via Regionfakta, folkmängd 31 december efter ålder (levererad med regelverket)"
    ));
    let csrf = csrf_in(&page.body);
    let bad = upload(
        &mut economist,
        &csrf,
        "utveckling",
        "ar;faktor;kalla\n2027;1,03;SKR\n",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("utveckling.csv, rad 2, kolumn faktor"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("inget sparades"));
    let refused = economist.get("/tillagg?ar=2027").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing was stored"
    );

    let good = upload(
        &mut economist,
        &csrf,
        "utveckling",
        "ar;faktor;kalla\n2027;1.031;SKR cirkulär 26:1\n",
    )
    .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER);
    let page = economist.get(good.location()).await;
    assert!(
        page.body.contains("utveckling v1 (utveckling.csv)"),
        "{}",
        page.body
    );

    let unnamed = economist
        .post_form(
            "/tillagg/underlag/pott",
            &[
                ("csrf_token", &csrf),
                ("ar", "2027"),
                ("pott", "avancerad"),
                ("belopp", "5 700 000"),
                ("anteckning", ""),
            ],
        )
        .await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unnamed.body.contains("Beslut: skriv vem som beslutade"));
    let decided = economist
        .post_form(
            "/tillagg/underlag/pott",
            &[
                ("csrf_token", &csrf),
                ("ar", "2027"),
                ("pott", "avancerad"),
                ("belopp", "5 700 000"),
                ("anteckning", "Ledningsgruppen 2026-12-10"),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    let year = economist.get("/tillagg?ar=2027").await;
    assert_eq!(year.status, StatusCode::OK);
    assert!(year.body.contains("<option value=\"2027\" selected>"));
    assert!(year.body.contains("Beslut inmatat av"));
    assert!(year.body.contains("Ledningsgruppen 2026-12-10"));
    assert!(year.body.contains("5\u{a0}700\u{a0}000 kr"));
    assert!(year.body.contains("SKR cirkulär 26:1"));

    let no_reason = economist
        .post_form(
            "/tillagg/underlag/avstand",
            &[
                ("csrf_token", &csrf),
                ("kommun", "1864"),
                ("ingar", "ja"),
                ("skal", ""),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Skäl: skriv varför"));
    let recorded = economist
        .post_form(
            "/tillagg/underlag/avstand",
            &[
                ("csrf_token", &csrf),
                ("kommun", "1864"),
                ("ingar", "ja"),
                ("skal", "Vägavstånd 41 km, samverkansrådet 2026-11-30"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER);
    let year_2026 = economist.get("/tillagg?ar=2026").await;
    assert!(
        year_2026
            .body
            .contains("Vägavstånd 41 km, samverkansrådet 2026-11-30 (inmatat av"),
        "the distance table shows the exception and its reason"
    );
    assert!(
        year_2026
            .body
            .contains("Ljusnarsberg, kompensation för avstånd 2026"),
        "Ljusnarsberg now shares the distance pot"
    );

    let mut coordinator = Browser::new(&app);
    coordinator.login("samordnare").await;
    let coordinator_csrf = csrf_in(&coordinator.get("/tillagg/underlag").await.body);
    let denied = upload(
        &mut coordinator,
        &coordinator_csrf,
        "utveckling",
        "ar;faktor;kalla\n2028;1.03;X\n",
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}

async fn development_item_needs_every_party_and_splits_to_the_krona(db: TestDb) {
    let app = app(db);
    let mut economist = Browser::new(&app);
    economist.login("ekonom").await;
    let page = economist.get("/utvecklingsbudget?ar=2027").await;
    assert!(page.body.contains("Inga insatser för 2027"));
    let csrf = csrf_in(&page.body);
    let bad = economist
        .post_form(
            "/utvecklingsbudget",
            &[
                ("csrf_token", &csrf),
                ("ar", "2027"),
                ("titel", ""),
                ("belopp", "12,5"),
                ("finansiering", "statsbidrag"),
                ("regionens_andel", "150"),
                ("fordelning", "befolkning"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Insats: skriv",
        "Belopp: skriv beloppet i hela kronor",
        "Regionens andel: skriv en procentsats",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
    let added = economist
        .post_form(
            "/utvecklingsbudget",
            &[
                ("csrf_token", &csrf),
                ("ar", "2027"),
                ("titel", "Gemensam utbildning"),
                ("belopp", "1 000 001"),
                ("finansiering", "statsbidrag"),
                ("regionens_andel", "50"),
                ("fordelning", "befolkning"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let item = added.location().to_owned();
    let page = economist.get(&item).await;
    assert!(page.body.contains("0 av 13 parter har beslutat"));
    assert!(
        page.body.contains("500\u{a0}001 kr"),
        "the region's half, rounded"
    );
    let decide = |party: &'static str, decision: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("part", party.to_owned()),
            ("beslut", decision.to_owned()),
            ("anteckning", "KS § 3".to_owned()),
        ]
    };
    let fields = decide("region", "ja");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        economist
            .post_form(&format!("{item}/beslut"), &pairs)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let again = economist.post_form(&format!("{item}/beslut"), &pairs).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("Region Örebro län har redan beslutat"));
    let page = economist.get(&item).await;
    assert!(page.body.contains("1 av 13 parter har beslutat"));
    let csv = economist.get("/utvecklingsbudget/export/csv?ar=2027").await;
    let last = csv.body.lines().last().unwrap().to_owned();
    assert_eq!(last, "Totalt;1000001;1000001");
    let parts: i64 = csv
        .body
        .lines()
        .skip(1)
        .take(13)
        .map(|l| l.rsplit(';').next().unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(parts, 1_000_001, "the parties' costs sum to the item");
}

async fn api_runs_the_cycle_and_refuses_changes_to_a_decision(db: TestDb) {
    use axum::http::Method;
    use common::{api, api_token};
    let app = app(db);
    let token = api_token(&app, "ekonom").await;
    let (status, body) = api(
        &app,
        Method::GET,
        "/api/v1/tillagg/2026",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 25_115_096);
    assert_eq!(
        body["pots"][0]["allocations"][0]["code"], "1814",
        "ordered by code"
    );
    let (status, created) = api(
        &app,
        Method::POST,
        "/api/v1/tillagg/2026/versions",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["status"], "utkast");
    let (status, refused) = api(
        &app,
        Method::POST,
        &format!("/api/v1/tillagg/versions/{id}/steps/presenterat"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{refused}");
    let (status, refused) = api(
        &app,
        Method::POST,
        &format!("/api/v1/tillagg/versions/{id}/steps/beslutat"),
        Some(&token),
        Some(serde_json::json!({"body": "Regionstyrelsen", "decided_on": "2026-11-02"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused["error"]["fields"][0]["field"], "minutes",
        "{refused}"
    );
    for step in ["beslutat"] {
        let (status, _) = api(
            &app,
            Method::POST,
            &format!("/api/v1/tillagg/versions/{id}/steps/{step}"),
            Some(&token),
            Some(serde_json::json!({"body": "Regionstyrelsen", "decided_on": "2026-11-02", "minutes": "RS § 1"})),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{step}");
    }
    let (status, refused) = api(
        &app,
        Method::PUT,
        &format!("/api/v1/tillagg/versions/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["error"]["code"], "refused");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("är beslutad och kan inte ändras")
    );
    let (status, stored) = api(
        &app,
        Method::GET,
        &format!("/api/v1/tillagg/versions/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored["status"], "beslutat");
    assert_eq!(stored["statement"]["total"], 25_115_096);
    let (status, correction) = api(
        &app,
        Method::POST,
        &format!("/api/v1/tillagg/versions/{id}/corrections"),
        Some(&token),
        Some(serde_json::json!({"reason": "Fel i befolkningen"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{correction}");
    assert_eq!(correction["version"], 2);
    assert_eq!(correction["corrects"], id.as_str());
    let (_, list) = api(
        &app,
        Method::GET,
        "/api/v1/tillagg/2026/versions",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let nurse = api_token(&app, "sjukskoterska").await;
    let (status, _) = api(
        &app,
        Method::GET,
        "/api/v1/tillagg/2026",
        Some(&nurse),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

on_both_engines_async!(
    api_runs_the_cycle_and_refuses_changes_to_a_decision,
    development_item_needs_every_party_and_splits_to_the_krona,
    decision_cycle_locks_the_decided_version,
    saved_scenario_is_compared_with_the_decision,
    imported_growth_and_entered_pot_make_the_next_year,
);
