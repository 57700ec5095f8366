//! The yearly follow-up through the real router, on both engines (*Principer för samverkan och
//! ekonomisk reglering* §12): a vårdcentral and its municipality answer the survey together and
//! a unit outside the pair cannot; chefsgruppen edits and decides the plan and makes the report
//! final, which locks the year; the report prints the indicator functions' own figures; Hälsoval's
//! sample check draws the same plans from the same seed and logs every plan it reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use samsyn_domain::AccessOutcome;
use samsyn_store::access_log::{self, Filter};
use samsyn_store::users;
use samsyn_testkit::TestDb;
use serde_json::Value;

const YEAR: &str = "2026";

async fn signed_in<'a>(app: &'a App, username: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.login(username).await;
    browser
}

/// The `?…par=ID` of the first link to a pair's survey on the page.
fn pair_id_in(html: &str) -> String {
    let marker = "par=";
    let start = html.find(marker).expect("a pair on the page") + marker.len();
    html[start..].split(['&', '"']).next().unwrap().to_owned()
}

/// Every question of the variant answered, both sides' participants named.
fn full_answer(pair: &str, version: &str, step: &str) -> Vec<(String, String)> {
    let rules = rules();
    let mut fields: Vec<(String, String)> = vec![
        ("par".into(), pair.into()),
        ("variant".into(), "hemsjukvard".into()),
        ("version".into(), version.into()),
        ("step".into(), step.into()),
        ("strengths".into(), "Korta kontaktvägar.".into()),
        ("improvements".into(), "Gemensam introduktion.".into()),
        ("challenges".into(), "Läkarbrist.".into()),
        (
            "region_participants".into(),
            "Verksamhetschef, distriktssköterska".into(),
        ),
        (
            "municipality_participants".into(),
            "Enhetschef, sjuksköterska".into(),
        ),
    ];
    for question in rules.follow_up.survey.questions_of("hemsjukvard") {
        fields.push((format!("score_{}", question.code), "3".into()));
        fields.push((format!("comment_{}", question.code), String::new()));
    }
    fields
}

async fn post(
    browser: &mut Browser<'_>,
    path: &str,
    page: &str,
    fields: &[(String, String)],
) -> Response {
    let csrf = csrf_in(&browser.get(page).await.body);
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
    all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    browser.post_form(path, &all).await
}

async fn report_json(browser: &mut Browser<'_>) -> Value {
    let response = browser
        .get(&format!("/uppfoljning/rapport/json?ar={YEAR}"))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    serde_json::from_str(&response.body).unwrap()
}

async fn the_pair_answers_the_survey_together_and_halsoval_compiles_it(db: TestDb) {
    let app = app(db);
    let mut health_choice = signed_in(&app, "halsoval").await;
    let before = report_json(&mut health_choice).await;
    let mut region = signed_in(&app, "verksamhetschef").await;
    let list = region.get(&format!("/enkat?ar={YEAR}")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Vårdcentralen Örebro centrum – Örebro"));
    assert!(list.body.contains("Försenad"), "the due date has passed");
    let pair = pair_id_in(&list.body);
    let form = format!("/enkat?ar={YEAR}&par={pair}&variant=hemsjukvard");

    let mut outsider = signed_in(&app, "sjukskoterska.kumla").await;
    let refused = outsider.get(&form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("ingår inte i paret"));

    let mut half = full_answer(&pair, "", "begar");
    half.retain(|(k, _)| k != "score_kontaktvagar" && k != "municipality_participants");
    let incomplete = post(&mut region, "/enkat", &form, &half).await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(incomplete.body.contains("Fråga 1 är inte besvarad"));
    assert!(
        incomplete
            .body
            .contains("Skriv vilka som deltog från kommunen")
    );

    let asked = post(
        &mut region,
        "/enkat",
        &form,
        &full_answer(&pair, "", "begar"),
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let own_agreement = post(
        &mut region,
        "/enkat",
        &form,
        &full_answer(&pair, "0", "godkann"),
    )
    .await;
    assert_eq!(own_agreement.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        own_agreement
            .body
            .contains("Den andra parten i paret godkänner")
    );

    let mut municipality = signed_in(&app, "enhetschef").await;
    let inbox = municipality.get("/inkorg").await;
    assert!(
        inbox
            .body
            .contains("enkäter om samverkan mellan vårdcentral och kommun är försenade"),
        "the manager is reminded in the inbox"
    );
    let waiting = municipality.get(&form).await;
    assert!(
        waiting
            .body
            .contains("Vårdcentralen ber er godkänna enkäten")
    );
    // Agreeing submits what the vårdcentral asked to have agreed, not a rewrite sent along.
    let mut rewritten = full_answer(&pair, "0", "godkann");
    rewritten[4].1 = "Omskrivet av kommunen.".into();
    let agreed = post(&mut municipality, "/enkat", &form, &rewritten).await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    let after = region.get(&form).await;
    assert!(after.body.contains("Inskickad"));
    let changed = post(
        &mut region,
        "/enkat",
        &form,
        &full_answer(&pair, "1", "spara"),
    )
    .await;
    assert_eq!(changed.status, StatusCode::UNPROCESSABLE_ENTITY);

    let report = report_json(&mut health_choice).await;
    let count = |v: &Value, key: &str| v["survey"][key].as_u64().unwrap();
    assert_eq!(count(&report, "answered"), count(&before, "answered") + 1);
    assert_eq!(
        count(&report, "late"),
        count(&before, "late") + 1,
        "after 15 November"
    );
    let compilation = health_choice
        .get(&format!("/uppfoljning/enkat?ar={YEAR}"))
        .await;
    assert_eq!(compilation.status, StatusCode::OK);
    assert!(compilation.body.contains("Enkät per område"));
    assert!(
        compilation.body.contains("Läkarbrist."),
        "free texts are compiled"
    );
    assert!(compilation.body.contains("Korta kontaktvägar."));
    assert!(!compilation.body.contains("Omskrivet av kommunen."));
}

async fn chefsgruppen_plans_and_finalises_and_the_year_locks(db: TestDb) {
    let app = app(db);
    let mut economist = signed_in(&app, "ekonom").await;
    let read = economist.get(&format!("/uppfoljning?ar={YEAR}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains("Beslutad av chefsgruppen 2026-02-10"));
    assert!(!read.body.contains("Spara planen"));
    let not_allowed = economist.post_form("/uppfoljning/plan", &[]).await;
    assert_eq!(not_allowed.status, StatusCode::FORBIDDEN);

    let mut chiefs = signed_in(&app, "chefsgrupp").await;
    let page = format!("/uppfoljning?ar={YEAR}");
    let plan_page = chiefs.get(&page).await;
    assert!(plan_page.body.contains("Spara planen"));
    let row = |part: &str, label: &str, done: &str, comment: &str| {
        vec![
            ("part".to_owned(), part.to_owned()),
            ("label".to_owned(), label.to_owned()),
            ("responsible".to_owned(), "Chefsgruppen".to_owned()),
            ("due_on".to_owned(), "2026-12-31".to_owned()),
            ("done".to_owned(), done.to_owned()),
            ("comment".to_owned(), comment.to_owned()),
        ]
    };
    let mut fields = vec![
        ("ar".to_owned(), YEAR.to_owned()),
        ("version".to_owned(), "1".to_owned()),
    ];
    fields.extend(row("4", "Mätning av hemsjukvård", "ja", ""));
    fields.extend(row(
        "1",
        "Intervjuer med personer som får vård i hemmet",
        "nej",
        "",
    ));
    let refused = post(&mut chiefs, "/uppfoljning/plan", &page, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Rad 2: Skriv varför metoden inte genomfördes")
    );
    fields.truncate(fields.len() - 1);
    fields.push(("comment".into(), "Metoden tas fram under 2027.".into()));
    let saved = post(&mut chiefs, "/uppfoljning/plan", &page, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = economist.get(&page).await;
    assert!(
        shown
            .body
            .contains("Intervjuer med personer som får vård i hemmet")
    );
    assert!(
        !shown.body.contains("Vård- och omsorgskollen"),
        "the plan was replaced"
    );
    let stale = post(&mut chiefs, "/uppfoljning/plan", &page, &fields).await;
    assert_eq!(
        stale.status,
        StatusCode::CONFLICT,
        "version 1 is no longer current"
    );

    let report_page = format!("/uppfoljning/rapport?ar={YEAR}");
    let unconfirmed = post(
        &mut chiefs,
        "/uppfoljning/rapport",
        &report_page,
        &[
            ("ar".into(), YEAR.into()),
            ("version".into(), "2".into()),
            ("action".into(), "fastst".into()),
            (
                "summary".into(),
                "Samverkan fungerar i huvudsak väl.".into(),
            ),
        ],
    )
    .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed
            .body
            .contains("Bekräfta att rapporten ska bli slutlig")
    );
    let finalised = post(
        &mut chiefs,
        "/uppfoljning/rapport",
        &report_page,
        &[
            ("ar".into(), YEAR.into()),
            ("version".into(), "2".into()),
            ("action".into(), "fastst".into()),
            (
                "summary".into(),
                "Samverkan fungerar i huvudsak väl.".into(),
            ),
            (
                "proposals".into(),
                "Ta fram en metod för personernas upplevelse.".into(),
            ),
            ("confirm".into(), "ja".into()),
        ],
    )
    .await;
    assert_eq!(
        finalised.status,
        StatusCode::SEE_OTHER,
        "{}",
        finalised.body
    );
    let final_page = economist.get(&report_page).await;
    assert!(
        final_page
            .body
            .contains("Slutlig rapport, fastställd av Cecilia Corell")
    );
    let report = report_json(&mut economist).await;
    assert!(report["status"].as_str().unwrap().starts_with("Slutlig"));
    assert_eq!(report["summary"], "Samverkan fungerar i huvudsak väl.");
    let locked = post(&mut chiefs, "/uppfoljning/plan", &page, &fields).await;
    assert_eq!(locked.status, StatusCode::CONFLICT);
    let pdf = economist
        .get(&format!("/uppfoljning/rapport/pdf?ar={YEAR}"))
        .await;
    assert!(pdf.body.starts_with("%PDF-"));
    let xlsx = economist
        .get(&format!("/uppfoljning/rapport/xlsx?ar={YEAR}"))
        .await;
    assert!(xlsx.body.starts_with("PK"));
}

async fn the_report_prints_the_indicator_functions_figures(db: TestDb) {
    let app = app(db);
    let today = jiff::civil::date(2026, 11, 20);
    let computed = app
        .store
        .transaction(|conn| samsyn_web::follow_up::report::indicators(conn, &rules(), 2026, today))
        .unwrap();
    let mut manager = signed_in(&app, "enhetschef").await;
    let report = report_json(&mut manager).await;
    let printed = report["indicators"].as_array().unwrap();
    assert_eq!(printed.len(), computed.len());
    for (json, indicator) in printed.iter().zip(&computed) {
        assert_eq!(json["id"], indicator.id.as_str());
        let round = |v: Option<f64>| v.map(|v| (v * 10.0).round() / 10.0);
        assert_eq!(
            json["county"].as_f64(),
            round(indicator.county),
            "{}",
            indicator.id
        );
        for (code, value) in &indicator.by_party {
            assert_eq!(
                json["by_party"][code].as_f64(),
                round(*value),
                "{} {code}",
                indicator.id
            );
        }
    }
    let county = |id: &str| {
        printed
            .iter()
            .find(|i| i["id"] == id)
            .and_then(|i| i["county"].as_f64())
            .unwrap_or(0.0)
    };
    assert!(county("begaran-primarvard") > 0.0);
    assert!(
        county("kvittens-i-tid") > 0.0 && county("kvittens-i-tid") < 100.0,
        "some missed"
    );
    let page = manager
        .get(&format!("/uppfoljning/indikatorer?ar={YEAR}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kvitterade i tid"));
    assert!(page.body.contains("Er enhets ärenden bakom siffran"));
}

async fn halsoval_draws_and_reviews_a_sample_and_each_plan_read_is_logged(db: TestDb) {
    let app = app(db);
    let mut doctor = signed_in(&app, "lakare").await;
    let refused = doctor.get("/uppfoljning/stickprov").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut reviewer = signed_in(&app, "halsoval").await;
    let page = format!("/uppfoljning/stickprov?ar={YEAR}");
    let draw = |seed: &str| {
        vec![
            ("ar".to_owned(), YEAR.to_owned()),
            ("action".to_owned(), "dra".to_owned()),
            ("from".to_owned(), "2026-01-01".to_owned()),
            ("to".to_owned(), "2026-11-20".to_owned()),
            ("per_party".to_owned(), "2".to_owned()),
            ("seed".to_owned(), seed.to_owned()),
        ]
    };
    let first = post(&mut reviewer, "/uppfoljning/stickprov", &page, &draw("7")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = post(&mut reviewer, "/uppfoljning/stickprov", &page, &draw("7")).await;
    let id_of = |r: &Response| {
        r.location()
            .split("id=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned()
    };
    let (first_id, second_id) = (id_of(&first), id_of(&second));
    let drawn = |id: &str| {
        app.store
            .transaction(|conn| samsyn_store::follow_up::sample_check::get(conn, id))
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.case_id)
            .collect::<Vec<_>>()
    };
    assert!(!drawn(&first_id).is_empty());
    assert_eq!(
        drawn(&first_id),
        drawn(&second_id),
        "the same seed draws the same plans"
    );

    let user = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "halsoval"))
        .unwrap()
        .unwrap()
        .user;
    let plan_reads = || {
        app.store
            .transaction(|conn| {
                access_log::search(
                    conn,
                    &Filter {
                        user_id: Some(user.id.clone()),
                        ..Filter::default()
                    },
                    &samsyn_store::access_log::PageAt::First,
                    1000,
                )
            })
            .unwrap()
            .entries
            .into_iter()
            .filter(|e| e.object_type == "stickprov" && e.outcome == AccessOutcome::Allowed)
            .map(|e| (e.id, e.object_id, e.patient_id))
            .collect::<Vec<_>>()
    };
    let before = plan_reads();
    let plan_page = format!("/uppfoljning/stickprov?ar={YEAR}&id={first_id}&plan=0");
    let shown = reviewer.get(&plan_page).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Planens fem delar är ifyllda"));
    let new: Vec<_> = plan_reads()
        .into_iter()
        .filter(|entry| !before.contains(entry))
        .collect();
    assert_eq!(new.len(), 1, "the plan read is logged once");
    assert_eq!(new[0].1, drawn(&first_id)[0], "naming the case");
    assert!(new[0].2.is_some(), "against the case's patient");

    let mut review: Vec<(String, String)> = vec![
        ("ar".into(), YEAR.into()),
        ("action".into(), "granska".into()),
        ("id".into(), first_id.clone()),
        ("position".into(), "0".into()),
        ("note".into(), String::new()),
    ];
    for (n, point) in rules().follow_up.sample_check.checklist.iter().enumerate() {
        let answer = if n == 0 { "nej" } else { "ja" };
        review.push((format!("point_{}", point.code), answer.into()));
    }
    let unexplained = post(&mut reviewer, "/uppfoljning/stickprov", &plan_page, &review).await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unexplained.body.contains("Beskriv bristerna"));
    review[4].1 = "Försämringsplanen saknas.".into();
    review.push(("reviewed".into(), String::new()));
    let reviewed = post(&mut reviewer, "/uppfoljning/stickprov", &plan_page, &review).await;
    assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.body);
    // A second reviewer who read the plan before that review was saved does not overwrite it.
    let stale = post(&mut reviewer, "/uppfoljning/stickprov", &plan_page, &review).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let report = report_json(&mut reviewer).await;
    assert!(
        report["sample_check"]["reviewed"].as_u64().unwrap() >= 3,
        "two in the demo, one here"
    );
}

samsyn_testkit::on_both_engines_async!(
    the_pair_answers_the_survey_together_and_halsoval_compiles_it,
    chefsgruppen_plans_and_finalises_and_the_year_locks,
    the_report_prints_the_indicator_functions_figures,
    halsoval_draws_and_reviews_a_sample_and_each_plan_read_is_logged,
);
