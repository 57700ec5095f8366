//! When the database does not answer, Samsyn says so quickly and honestly: 503 with
//! `Retry-After` within the checkout timeout (never the old 30 s hang, never 401, which made
//! clients drop valid tokens), a Swedish page for browsers, and `/readyz` within a second. The
//! same token works again once the database is back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{App, Browser, api, api_token, app};
use samsyn_testkit::{TestDb, on_both_engines_async};
use std::time::{Duration, Instant};

/// Makes the database unreachable until the returned guard is dropped: PostgreSQL refuses
/// connections to it; SQLite's one connection is held by a transaction that does not end.
fn outage(app: &App) -> Outage<'_> {
    if app.db.set_postgres_away(true) {
        return Outage::Postgres(&app.db);
    }
    let (started, is_started) = std::sync::mpsc::channel();
    let (release, is_released) = std::sync::mpsc::channel::<()>();
    let store = app.store.clone();
    let holder = std::thread::spawn(move || {
        store
            .transaction(|_| {
                started.send(()).unwrap();
                let _ = is_released.recv();
                Ok(())
            })
            .unwrap();
    });
    is_started.recv().unwrap();
    Outage::Sqlite {
        release,
        holder: Some(holder),
    }
}

enum Outage<'a> {
    Postgres(&'a TestDb),
    Sqlite {
        release: std::sync::mpsc::Sender<()>,
        holder: Option<std::thread::JoinHandle<()>>,
    },
}

impl Drop for Outage<'_> {
    fn drop(&mut self) {
        match self {
            Outage::Postgres(db) => {
                db.set_postgres_away(false);
            }
            Outage::Sqlite { release, holder } => {
                let _ = release.send(());
                if let Some(holder) = holder.take() {
                    let _ = holder.join();
                }
            }
        }
    }
}

async fn a_database_that_does_not_answer_gets_503_with_retry_after(db: TestDb) {
    let app = app(db);
    let token = api_token(&app, "sjukskoterska").await;
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    assert_eq!(nurse.get("/inkorg").await.status, StatusCode::OK);

    let away = outage(&app);

    let started = Instant::now();
    let (status, body) = api(&app, Method::GET, "/api/v1/requests", Some(&token), None).await;
    let waited = started.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(waited < Duration::from_secs(5), "the API waited {waited:?}");

    let request = Request::get("/api/v1/requests")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.headers()[header::RETRY_AFTER], "5");

    let page = nurse.get("/inkorg").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("Samsyn svarar inte just nu"),
        "{}",
        page.body
    );
    assert_eq!(page.headers[header::RETRY_AFTER], "5");

    let started = Instant::now();
    let ready = tower::ServiceExt::oneshot(
        app.router.clone(),
        Request::get("/readyz").body(Body::empty()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "/readyz took {:?}",
        started.elapsed()
    );

    drop(away);
    let (status, body) = api(&app, Method::GET, "/api/v1/requests", Some(&token), None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the token must survive the outage: {body}"
    );
    assert_eq!(nurse.get("/inkorg").await.status, StatusCode::OK);
}

on_both_engines_async!(
    a_database_that_does_not_answer_gets_503_with_retry_after,
    concurrent_requests_for_one_new_person_all_succeed_once,
    a_retry_with_the_same_idempotency_key_gets_the_first_result
);

/// A create with an `Idempotency-Key` header; the answer's status, replay header and body.
async fn create_with_key(
    app: &App,
    path: &str,
    token: &str,
    key: &str,
    body: &serde_json::Value,
) -> (StatusCode, bool, serde_json::Value) {
    let request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", key)
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    let status = response.status();
    let replayed = response.headers().get("idempotent-replayed").is_some();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    (
        status,
        replayed,
        serde_json::from_slice(&bytes).unwrap_or_default(),
    )
}

/// A client that lost the answer sends the create again with the same key and gets the same
/// case, also when the retries race each other; the key with another body is refused, and the
/// FHIR create honours the key too.
async fn a_retry_with_the_same_idempotency_key_gets_the_first_result(db: TestDb) {
    let app = app(db);
    let token = api_token(&app, "lakare").await;
    let body = serde_json::Value::from(common::request_json());
    let path = "/api/v1/requests";

    let (status, replayed, first) = create_with_key(&app, path, &token, "order-1", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(!replayed);
    let (status, replayed, again) = create_with_key(&app, path, &token, "order-1", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert!(replayed, "the retry is marked as a replay");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["state"], "skickad");

    let mut other = body.clone();
    other["situation"] = "Något annat.".into();
    let (status, _, refused) = create_with_key(&app, path, &token, "order-1", &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("Idempotency-Key"), "{refused}");
    let (status, _, refused) = create_with_key(&app, path, &token, "", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

    let racing = (0..6).map(|_| create_with_key(&app, path, &token, "order-2", &body));
    let answers = futures_util::future::join_all(racing).await;
    let ids: std::collections::HashSet<String> = answers
        .iter()
        .map(|(status, _, created)| {
            assert_eq!(*status, StatusCode::CREATED, "{created}");
            created["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1, "six racing retries made one case");
    assert_eq!(
        answers.iter().filter(|(_, replayed, _)| !replayed).count(),
        1
    );
    assert!(!ids.contains(first["id"].as_str().unwrap()));

    let resource = common::fhir_request();
    let fhir = "/fhir/r4/ServiceRequest";
    let (status, _, created) = create_with_key(&app, fhir, &token, "fhir-1", &resource).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, replayed, again) = create_with_key(&app, fhir, &token, "fhir-1", &resource).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert!(replayed);
    assert_eq!(again["id"], created["id"]);
}

/// Twelve clients send requests for the same person, new to Samsyn, at the same moment: every
/// request is created (none fails on the person another one is registering) and the person is
/// registered once.
async fn concurrent_requests_for_one_new_person_all_succeed_once(db: TestDb) {
    const PERSONNUMMER: &str = "19380517-1232";
    let app = app(db);
    let token = api_token(&app, "lakare").await;
    let mut body = common::request_json();
    body.insert("personnummer".into(), PERSONNUMMER.into());
    body.insert("patient_name".into(), "Greta Samtidig".into());
    let creates = (0..12).map(|_| {
        let (app, token, body) = (&app, &token, body.clone());
        async move {
            api(
                app,
                Method::POST,
                "/api/v1/requests",
                Some(token),
                Some(body.into()),
            )
            .await
        }
    });
    let answers = futures_util::future::join_all(creates).await;
    for (status, created) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{created}");
    }
    let patients: std::collections::HashSet<&str> = answers
        .iter()
        .map(|(_, created)| created["personnummer"].as_str().unwrap())
        .collect();
    assert_eq!(patients.len(), 1);
    let number = samsyn_domain::PersonId::parse(
        PERSONNUMMER,
        &common::rules().reserve_number,
        jiff::civil::date(2026, 12, 1),
    )
    .unwrap();
    let registered = app
        .store
        .transaction(|conn| samsyn_store::patients::find_by_person_id(conn, &number))
        .unwrap();
    assert!(
        registered.is_some(),
        "the person is registered (once: personnummer is unique)"
    );
}
