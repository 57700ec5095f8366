//! The log review a logggranskare does, through the real router on both engines: filters with
//! field messages, denials first, paging, one log entry per review, the CSV export logged as an
//! export, and a reproducible stickprov whose findings are kept.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{App, Browser, app, csrf_in};
use samsyn_domain::{AccessAction, AccessOutcome};
use samsyn_store::access_log::{self, Filter};
use samsyn_store::users;
use samsyn_testkit::{TestDb, on_both_engines_async};

/// The reviewer's own entries about reviewing the log, oldest first.
fn review_entries(app: &App) -> Vec<access_log::LoggedAccess> {
    let mut entries = app
        .store
        .transaction(|conn| {
            let reviewer = users::credentials_by_username(conn, "logggranskare")?
                .unwrap()
                .user;
            access_log::search(
                conn,
                &Filter {
                    user_id: Some(reviewer.id),
                    ..Filter::default()
                },
                &samsyn_store::access_log::PageAt::First,
                10_000,
            )
            .map(|page| page.entries)
        })
        .unwrap();
    entries.retain(|e| e.object_type == "atkomstlogg");
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    entries
}

/// The value of the page-turning button `name`, if the page has one.
fn button(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let rest = html.split(&marker).nth(1)?;
    rest.split('"').next().map(str::to_owned)
}

/// The rows of the page's log table, as text without tags.
fn rows(html: &str) -> Vec<String> {
    let body = html.split("<tbody>").nth(1).unwrap_or_default();
    let body = body.split("</tbody>").next().unwrap_or_default();
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let mut text = String::new();
            let mut in_tag = false;
            for c in row.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        text.push(' ');
                    }
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

async fn the_log_is_filtered_paged_denials_first_and_logged_once(db: TestDb) {
    let app = app(db);
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;
    let before = review_entries(&app).len();
    let start = reviewer.get("/logg").await;
    assert_eq!(start.status, 200);
    let first = rows(&start.body);
    assert_eq!(first.len(), 100, "a page holds 100 entries");
    assert!(
        first[0].contains("Nödåtkomst.") && first[0].contains("sjukskoterska.kumla"),
        "the Kumla nurse's emergency opening of an Örebro person's cases comes first: {}",
        first[0]
    );
    let after_emergency = first
        .iter()
        .find(|row| !row.contains("Nödåtkomst."))
        .unwrap();
    assert!(
        after_emergency.contains("Nekad") && after_emergency.contains("sjukskoterska.kumla"),
        "then her denied attempt on an Örebro case: {after_emergency}"
    );
    assert!(start.body.contains("sida 1 av"), "the caption counts pages");
    assert_eq!(
        review_entries(&app).len(),
        before + 1,
        "a page of 100 rows is one log entry"
    );

    let csrf = csrf_in(&start.body);
    assert!(
        button(&start.body, "fore").is_none(),
        "the first page has no page before it"
    );
    let next = button(&start.body, "efter").expect("a next page");
    let second = reviewer
        .post_form(
            "/logg",
            &[("csrf_token", &csrf), ("sida", "1"), ("efter", &next)],
        )
        .await;
    assert!(second.body.contains("sida 2 av"));
    let second_rows = rows(&second.body);
    assert!(!second_rows.is_empty());
    assert_ne!(second_rows[0], first[0], "page 2 is not page 1");
    let previous = button(&second.body, "fore").expect("a page before page 2");
    let back = reviewer
        .post_form(
            "/logg",
            &[("csrf_token", &csrf), ("sida", "2"), ("fore", &previous)],
        )
        .await;
    let back_rows = rows(&back.body);
    assert_eq!(
        back_rows.last(),
        first.last(),
        "the page back ends where page 2 begins, though the log has grown since"
    );
    assert!(
        back_rows
            .iter()
            .any(|r| r.contains("granskning, nästa sida")),
        "the review of page 2 is itself in the log, among the newest allowed entries"
    );
    let made_up = reviewer
        .post_form(
            "/logg",
            &[
                ("csrf_token", &csrf),
                ("sida", "7"),
                ("efter", "not-a-position"),
            ],
        )
        .await;
    assert!(
        rows(&made_up.body)[0] == first[0]
            && made_up.body.contains("sida 1 av")
            && button(&made_up.body, "fore").is_none(),
        "a position Samsyn did not write starts from the first page"
    );

    let denied = reviewer
        .post_form(
            "/logg",
            &[
                ("csrf_token", &csrf),
                ("utfall", "denied"),
                ("fran", "2026-11-01"),
                ("till", "2026-11-30"),
            ],
        )
        .await;
    let denied_rows = rows(&denied.body);
    assert!(!denied_rows.is_empty());
    assert!(denied_rows.iter().all(|r| r.contains("Nekad")));
    let last = review_entries(&app).pop().unwrap();
    assert_eq!(last.action, AccessAction::Read);
    assert!(
        last.object_id.contains("period 2026-11-01–2026-11-30")
            && last.object_id.contains("utfall denied"),
        "the entry states the criteria: {}",
        last.object_id
    );

    let by_kumla = reviewer
        .post_form(
            "/logg",
            &[
                ("csrf_token", &csrf),
                ("anvandare", " SJUKSKOTERSKA.KUMLA "),
            ],
        )
        .await;
    assert!(
        rows(&by_kumla.body)
            .iter()
            .all(|r| r.contains("sjukskoterska.kumla"))
    );

    for (field, value, message) in [
        ("fran", "1 nov", "Från: skriv datumet som ÅÅÅÅ-MM-DD."),
        ("handelse", "radera", "Händelse: välj en händelse i listan."),
        ("utfall", "kanske", "Utfall: välj tillåten eller nekad."),
        (
            "anvandare",
            "finns.inte",
            "Användarnamn: det finns ingen användare som heter finns.inte.",
        ),
        ("enhet", "okand", "Enhet: välj en enhet i listan."),
    ] {
        let bad = reviewer
            .post_form("/logg", &[("csrf_token", &csrf), (field, value)])
            .await;
        assert_eq!(bad.status, 422, "{field}");
        assert!(bad.body.contains(message), "{field}: {message}");
    }
    let unknown = reviewer
        .post_form(
            "/logg",
            &[("csrf_token", &csrf), ("personnummer", "19400101-0000")],
        )
        .await;
    assert_eq!(unknown.status, 200, "a person not in Samsyn is no message");
    assert!(unknown.body.contains("0 loggposter"));
    let last = review_entries(&app).pop().unwrap();
    assert!(last.object_id.contains("person"), "{}", last.object_id);
    let backwards = reviewer
        .post_form(
            "/logg",
            &[
                ("csrf_token", &csrf),
                ("fran", "2026-11-20"),
                ("till", "2026-11-01"),
            ],
        )
        .await;
    assert!(
        backwards
            .body
            .contains("Till: dagen ligger före från-dagen.")
    );
}

async fn the_export_is_csv_of_every_match_and_logged_as_an_export(db: TestDb) {
    let app = app(db);
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;
    let csrf = csrf_in(&reviewer.get("/logg").await.body);
    let file = reviewer
        .post_form(
            "/logg/export",
            &[("csrf_token", &csrf), ("utfall", "denied")],
        )
        .await;
    assert_eq!(file.status, 200);
    assert_eq!(file.headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("atkomstlogg-2026-11-20.csv")
    );
    let mut lines = file.body.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}Tid;Användarnamn;Användare;Inloggning;Enhet;Person;Händelse;Objekttyp;Objekt;Utfall;Skäl för nödåtkomst"
    );
    let data: Vec<&str> = lines.collect();
    assert!(!data.is_empty());
    assert!(data.iter().all(|l| l.ends_with(";Nekad;")));
    assert!(data.iter().any(|l| l.contains("sjukskoterska.kumla")));
    assert!(
        data.iter()
            .any(|l| l.contains("sjukskoterska.kumla") && l.contains(";E-legitimation (SSO);")),
        "the demo's attempt was made in a session proven at the identity provider"
    );
    let last = review_entries(&app).pop().unwrap();
    assert_eq!(last.action, AccessAction::Export);
    assert_eq!(last.outcome, AccessOutcome::Allowed);
}

async fn a_sample_is_reproducible_reviewed_and_kept(db: TestDb) {
    let app = app(db);
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;
    let start = reviewer.get("/logg").await;
    assert!(
        start.body.contains("Inga stickprov") || start.body.contains("/logg/stickprov/"),
        "the page lists samples"
    );
    let csrf = csrf_in(&start.body);
    let draw = |seed: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("slag", "atkomster".to_owned()),
            ("fran", "2026-11-01".to_owned()),
            ("till", "2026-11-19".to_owned()),
            ("antal", "10".to_owned()),
            ("startvarde", seed.to_owned()),
        ]
    };
    let fields = draw("42");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let drawn = reviewer.post_form("/logg/stickprov", &form).await;
    assert_eq!(drawn.status, 303, "{}", drawn.body);
    let first_url = drawn.location().to_owned();
    let first = reviewer.get(&first_url).await;
    assert_eq!(first.status, 200);
    assert!(first.body.contains("10 av "), "ten items of the population");
    assert_eq!(first.body.matches("Spara bedömning").count(), 10);

    let again = reviewer.post_form("/logg/stickprov", &form).await;
    let second_url = again.location().to_owned();
    assert_ne!(first_url, second_url, "each draw is kept as its own sample");
    let second = reviewer.get(&second_url).await;
    assert_eq!(
        rows(&first.body),
        rows(&second.body),
        "the same seed and period draw the same entries"
    );
    let fields = draw("43");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let other = reviewer.post_form("/logg/stickprov", &form).await;
    let other = reviewer.get(other.location()).await;
    assert_ne!(rows(&first.body), rows(&other.body), "another seed");

    for (field, value, message) in [
        ("antal", "0", "Antal: skriv ett heltal från 1 till 200."),
        ("antal", "201", "Antal: skriv ett heltal från 1 till 200."),
        (
            "fran",
            "igår",
            "Från och med: skriv datumet som ÅÅÅÅ-MM-DD.",
        ),
        ("slag", "allt", "Urval av: välj åtkomster eller patienter."),
        (
            "startvarde",
            "-1",
            "Startvärde: skriv ett heltal utan mellanslag, eller lämna tomt.",
        ),
    ] {
        let mut fields = draw("42");
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value.to_owned()));
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let bad = reviewer.post_form("/logg/stickprov", &form).await;
        assert_eq!(bad.status, 422, "{field}={value}");
        assert!(bad.body.contains(message), "{field}={value}: {message}");
    }

    let page_csrf = csrf_in(&first.body);
    let ok = reviewer
        .post_form(
            &format!("{first_url}/1"),
            &[("csrf_token", &page_csrf), ("bedomning", "ok")],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.location(), format!("{first_url}#punkt-1"));
    let logged = review_entries(&app).pop().unwrap();
    assert!(
        logged.object_id.ends_with("punkt 1: ok"),
        "each finding is logged: {}",
        logged.object_id
    );
    let without_note = reviewer
        .post_form(
            &format!("{first_url}/2"),
            &[("csrf_token", &page_csrf), ("bedomning", "folj-upp")],
        )
        .await;
    assert_eq!(without_note.status, 422);
    assert!(
        without_note
            .body
            .contains("Anteckning: skriv vad som ska följas upp och med vem.")
    );
    let follow_up = reviewer
        .post_form(
            &format!("{first_url}/2"),
            &[
                ("csrf_token", &page_csrf),
                ("bedomning", "folj-upp"),
                ("anteckning", "Fråga Kumlas enhetschef"),
            ],
        )
        .await;
    assert_eq!(follow_up.status, 303);
    let missing = reviewer
        .post_form(
            &format!("{first_url}/11"),
            &[("csrf_token", &page_csrf), ("bedomning", "ok")],
        )
        .await;
    assert_eq!(missing.status, 404, "there is no eleventh item");

    let reviewed = reviewer.get(&first_url).await;
    assert!(reviewed.body.contains("2 av 10, varav 1 följs upp"));
    let file = reviewer.get(&format!("{first_url}/csv")).await;
    assert_eq!(file.status, 200);
    let lines: Vec<&str> = file.body.lines().collect();
    assert!(lines[0].starts_with("\u{feff}Nr;Bedömning;Anteckning;Granskad av;Granskad;Tid"));
    assert!(lines[1].starts_with("1;Utan anmärkning;;Lotta Lööf;"));
    assert!(lines[2].starts_with("2;Följs upp;Fråga Kumlas enhetschef;Lotta Lööf;"));
    assert!(lines[3].starts_with("3;Ej granskad;;;;"));
    assert_eq!(lines.len(), 11);
    let last = review_entries(&app).pop().unwrap();
    assert_eq!(last.action, AccessAction::Export);
    assert!(last.object_id.contains("exporteras"));

    let list = reviewer.get("/logg").await;
    assert!(list.body.contains(&format!("href=\"{first_url}\"")));

    // Another party's reviewer does not see the sample, nor can she mark it.
    let kumla_unit = app
        .store
        .transaction(samsyn_store::units::list)
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Hemsjukvården Kumla")
        .unwrap()
        .id;
    app.store
        .transaction(|conn| {
            users::create(
                conn,
                &users::NewUser {
                    username: "logggranskare.kumla",
                    display_name: "Granskare Kumla",
                    role: samsyn_domain::Role::AuditReviewer,
                    unit_id: &kumla_unit,
                    password_hash: Some(
                        &samsyn_web::shared::auth::hash_password("samsyn-demo").unwrap(),
                    ),
                    is_demo: true,
                },
                common::NOW.parse().unwrap(),
            )
        })
        .unwrap();
    let mut kumla = Browser::new(&app);
    kumla.login("logggranskare.kumla").await;
    assert_eq!(kumla.get(&first_url).await.status, 404);
    let kumla_csrf = csrf_in(&kumla.get("/logg").await.body);
    let foreign = kumla
        .post_form(
            &format!("{first_url}/3"),
            &[("csrf_token", &kumla_csrf), ("bedomning", "ok")],
        )
        .await;
    assert_eq!(foreign.status, 404);
    assert!(
        reviewer
            .get(&first_url)
            .await
            .body
            .contains("2 av 10, varav 1 följs upp"),
        "the other party's attempt changed nothing"
    );
}

/// A FHIR search with the personnummer in a form body, and what the log keeps of searches that
/// name a person: `list` entries for the cases shown, one denied entry when the unit has none.
async fn searches_naming_a_person_are_logged_and_kept_out_of_urls(db: TestDb) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let id = common::send_request_as_doctor(&mut doctor).await;
    let search = |username: &'static str, path: &'static str| {
        let app = &app;
        async move {
            let token = common::api_token(app, username).await;
            let response = app
                .router
                .clone()
                .oneshot(
                    Request::post(path)
                        .header(header::AUTHORIZATION, format!("Bearer {token}"))
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(
                            "patient%3Aidentifier=http%3A%2F%2Felectronichealth.se%2Fidentifier%2Fpersonnummer%7C191212121212",
                        ))
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            )
        }
    };
    let (status, bundle) = search("sjukskoterska", "/fhir/r4/ServiceRequest/_search").await;
    assert_eq!(status, 200);
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["total"], 1);
    assert_eq!(bundle["entry"][0]["resource"]["id"], id.as_str());
    let (_, tasks) = search("sjukskoterska", "/fhir/r4/Task/_search").await;
    assert_eq!(tasks["total"], 1);

    let before = common::denied_entries(&app, "sjukskoterska.kumla").len();
    let (status, empty) = search("sjukskoterska.kumla", "/fhir/r4/ServiceRequest/_search").await;
    assert_eq!(status, 200);
    assert_eq!(
        empty["total"], 0,
        "nothing about a person Kumla has no case for"
    );
    let denied = common::denied_entries(&app, "sjukskoterska.kumla");
    assert_eq!(denied.len(), before + 1);
    let attempt = denied.iter().find(|e| e.object_type == "sokning").unwrap();
    assert_eq!(
        attempt.patient.as_ref().map(|p| p.0.expose()),
        Some("191212121212".to_owned()),
        "the entry names the person searched for"
    );
    assert_eq!(attempt.action, AccessAction::List);
}

on_both_engines_async!(
    searches_naming_a_person_are_logged_and_kept_out_of_urls,
    the_log_is_filtered_paged_denials_first_and_logged_once,
    the_export_is_csv_of_every_match_and_logged_as_an_export,
    a_sample_is_reproducible_reviewed_and_kept
);
