//! Shared test support: the real router over a demo county, a cookie-keeping browser stand-in,
//! and API helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use samsyn_domain::{AccessOutcome, RuleSet};
use samsyn_store::access_log::{self, Filter};
use samsyn_store::{Store, demo, users};
use samsyn_testkit::TestDb;
use samsyn_web::shared::clock::ManualClock;
use samsyn_web::{AppState, SessionPolicy, SignInConfig, WebConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// Friday 20 November 2026, 10:00 in Stockholm: the acknowledgement deadline is Monday the 23rd.
pub const NOW: &str = "2026-11-20T09:00:00Z";

pub fn rules() -> RuleSet {
    samsyn_testkit::shipped_rules()
}

fn demo_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| samsyn_web::shared::auth::hash_password(demo::DEMO_PASSWORD).unwrap())
}

pub struct App {
    pub router: Router,
    pub store: Store,
    pub clock: Arc<ManualClock>,
    pub db: TestDb,
}

pub fn app(db: TestDb) -> App {
    app_with_secure_cookies(db, false)
}

/// The app as served behind HTTPS (not bound to loopback): `Secure` cookies and HSTS.
pub fn app_with_secure_cookies(db: TestDb, secure_cookies: bool) -> App {
    app_with(db, secure_cookies, SignInConfig::default())
}

/// The app with the given sign-in settings (identity providers, local passwords on or off).
pub fn app_with(db: TestDb, secure_cookies: bool, sign_in: SignInConfig) -> App {
    app_under(db, rules(), secure_cookies, sign_in)
}

/// The app under another region's rule set, with that region's demo county.
pub fn app_with_rules(db: TestDb, rules: RuleSet) -> App {
    app_under(db, rules, false, SignInConfig::default())
}

fn app_under(db: TestDb, rules: RuleSet, secure_cookies: bool, sign_in: SignInConfig) -> App {
    let store = Store::open(&db.url).unwrap();
    let now = NOW.parse().unwrap();
    demo::create(
        &store,
        &rules,
        demo::DEFAULT_SEED,
        demo_hash(),
        now,
        jiff::civil::date(2026, 11, 20),
    )
    .unwrap();
    let clock = Arc::new(ManualClock::new(now));
    let config = WebConfig {
        secure_cookies,
        trusted_proxy: Some("10.0.0.1".parse().unwrap()),
        sessions: SessionPolicy::default(),
        sign_in,
        mail: None,
    };
    let state = AppState::new(store.clone(), rules, clock.clone(), config).unwrap();
    App {
        router: samsyn_web::router(state),
        store,
        clock,
        db,
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Response {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// A browser stand-in: keeps cookies and finds CSRF tokens in pages.
pub struct Browser<'a> {
    app: &'a App,
    cookies: HashMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a App) -> Self {
        Browser {
            app,
            cookies: HashMap::new(),
        }
    }

    pub async fn send(&mut self, request: Request<Body>) -> Response {
        let response = self.app.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, _) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        // Lossy, so that a PDF or a spreadsheet can be fetched too; pages are UTF-8 throughout.
        let body =
            String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes())
                .into_owned();
        Response {
            status,
            headers,
            body,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.get(name).cloned()
    }

    /// Holds a cookie as if a server had set it.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a multipart form (from `multipart_parts`).
    pub async fn post_multipart(&mut self, path: &str, form: (String, Vec<u8>)) -> Response {
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, form.0)
            .body(Body::from(form.1))
            .unwrap();
        self.send(request).await
    }

    pub async fn login(&mut self, username: &str) -> Response {
        let page = self.get("/logga-in").await;
        let csrf = csrf_in(&page.body);
        self.post_form(
            "/logga-in",
            &[
                ("csrf_token", &csrf),
                ("username", username),
                ("password", demo::DEMO_PASSWORD),
                ("nasta", "/inkorg"),
            ],
        )
        .await
    }
}

pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub const REQUEST_FIELDS: [(&str, &str); 16] = [
    ("personnummer", "19121212-1212"),
    ("patient_name", "Tolvan Tolvansson"),
    ("home_municipality", "1880"),
    ("situation", "Vill bo kvar hemma."),
    ("background", "Hjärtsvikt."),
    ("current_assessment", "Stabil men skör."),
    ("recommendation", "Viktkontroll två gånger i veckan."),
    ("fixed_doctor_name", "Lena Lind"),
    ("fixed_doctor_phone", "031-390 06 01"),
    ("care_contact_name", "Distriktssköterska Berg"),
    ("care_contact_phone", "031-390 06 02"),
    ("health_centre_phone", "031-390 06 03"),
    ("consent", "samtycke"),
    ("consent_given_by", "Personen själv"),
    ("consent_way", "muntligt"),
    ("consent_given_on", "2026-11-02"),
];

/// A request to send through the JSON API: the form's fields, a primary-care track and its
/// health centre, `send: true`.
pub fn request_json() -> serde_json::Map<String, serde_json::Value> {
    let mut body: serde_json::Map<String, serde_json::Value> = REQUEST_FIELDS
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    body.insert(
        "health_centre_name".into(),
        "Vårdcentralen Örebro centrum".into(),
    );
    body.insert("track".into(), "primarvard".into());
    body.insert("send".into(), true.into());
    body
}

/// The doctor sends a request from the form; returns its id.
pub async fn send_request_as_doctor(doctor: &mut Browser<'_>) -> String {
    send_request_from(doctor, "1880", "Vårdcentralen Örebro centrum").await
}

/// The doctor sends a primary-care request for a person living in `home` from her vårdcentral;
/// returns its id.
pub async fn send_request_from(
    doctor: &mut Browser<'_>,
    home: &str,
    health_centre: &str,
) -> String {
    let form = doctor.get("/begaran/ny").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = csrf_in(&form.body);
    let mut fields: Vec<(&str, &str)> = REQUEST_FIELDS
        .iter()
        .map(|(k, v)| (*k, if *k == "home_municipality" { home } else { *v }))
        .collect();
    fields.extend([
        ("csrf_token", csrf.as_str()),
        ("health_centre_name", health_centre),
        ("send", "true"),
    ]);
    let sent = doctor.post_form("/begaran", &fields).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let location = sent.location().to_owned();
    assert!(location.ends_with("?klart=skickad"), "{location}");
    location
        .trim_start_matches("/begaran/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

pub fn denied_entries(app: &App, username: &str) -> Vec<access_log::LoggedAccess> {
    app.store
        .transaction(|conn| {
            let user = users::credentials_by_username(conn, username)?
                .unwrap()
                .user;
            access_log::search(
                conn,
                &Filter {
                    user_id: Some(user.id),
                    ..Filter::default()
                },
                &samsyn_store::access_log::PageAt::First,
                1000,
            )
            .map(|page| page.entries)
        })
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == AccessOutcome::Denied)
        .collect()
}

pub async fn api(
    app: &App,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let (status, _, json) = api_with_headers(app, method, path, token, body).await;
    (status, json)
}

/// As [`api`], with the response's headers.
pub async fn api_with_headers(
    app: &App,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(json) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

pub async fn api_token(app: &App, username: &str) -> String {
    let (status, body) = api(
        app,
        Method::POST,
        "/api/v1/session",
        None,
        Some(serde_json::json!({"username": username, "password": demo::DEMO_PASSWORD})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

/// A message form with an optional attachment (name, content type, bytes): (content type, body).
/// One part of a multipart form: field name, file name and content type for a file, content.
pub type Part<'a> = (&'a str, Option<(&'a str, &'a str)>, &'a [u8]);

/// A multipart form body and its content type.
pub fn multipart_parts(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "samsyn-test-boundary";
    let mut body = Vec::new();
    for (name, file, content) in parts {
        let disposition = match file {
            Some((file_name, kind)) => {
                format!("name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {kind}")
            }
            None => format!("name=\"{name}\""),
        };
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n\r\n")
                .into_bytes(),
        );
        body.extend_from_slice(content);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A case message with an optional attachment (file name, content type, content).
pub fn multipart(message: &str, file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let mut parts: Vec<Part<'_>> = vec![("message", None, message.as_bytes())];
    if let Some((name, kind, content)) = file {
        parts.push(("attachment", Some((name, kind)), content));
    }
    multipart_parts(&parts)
}

/// A complete request as a FHIR `ServiceRequest`, with the person's consent contained.
pub fn fhir_request() -> Value {
    let contact = |role: &str, name: &str| {
        json!({"url": "https://samsyn.se/fhir/StructureDefinition/kontakt", "extension": [
        {"url": "roll", "valueCode": role},
        {"url": "kontakt", "valueContactDetail": {"name": name, "telecom": [{"system": "phone", "value": "031-390 06 01"}]}}]})
    };
    json!({
        "resourceType": "ServiceRequest", "status": "active", "intent": "order",
        "subject": {"identifier": {"system": "http://electronichealth.se/identifier/personnummer", "value": "191212121212"}, "display": "Tolvan Tolvansson"},
        "extension": [
            {"url": "https://samsyn.se/fhir/StructureDefinition/sbar", "extension": [
                {"url": "situation", "valueString": "S"}, {"url": "bakgrund", "valueString": "B"},
                {"url": "aktuellt", "valueString": "A"}, {"url": "rekommendation", "valueString": "R"}]},
            {"url": "https://samsyn.se/fhir/StructureDefinition/hemkommun", "valueCoding": {"code": "1880"}},
            contact("fast-lakarkontakt", "Lena Lind"), contact("fast-vardkontakt", "SSK Berg"), contact("vardcentral", "VC")
        ],
        "contained": [{"resourceType": "Consent", "id": "samtycke", "status": "active",
            "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
            "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
            "dateTime": "2026-11-02", "performer": [{"display": "Personen själv"}],
            "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]},
            "extension": [{"url": "https://samsyn.se/fhir/StructureDefinition/samtycke-satt", "valueCode": "skriftligt"}]}],
        "supportingInfo": [{"reference": "#samtycke"}]
    })
}

/// Posts a multipart form (a message with its attachment) as the browser.
pub async fn post_multipart(
    app: &App,
    browser: &Browser<'_>,
    path: &str,
    parts: (String, Vec<u8>),
) -> StatusCode {
    let request = axum::http::Request::post(path)
        .header(axum::http::header::COOKIE, browser.cookie_header())
        .header(axum::http::header::CONTENT_TYPE, parts.0)
        .body(axum::body::Body::from(parts.1))
        .unwrap();
    app.router.clone().oneshot(request).await.unwrap().status()
}

/// Takes one API step on the case as the holder of `token`, at the case's current version.
/// The case file as the token's user reads it through the API.
pub async fn case_file(app: &App, token: &str, id: &str) -> Value {
    api(
        app,
        Method::GET,
        &format!("/api/v1/requests/{id}/case-file"),
        Some(token),
        None,
    )
    .await
    .1
}

pub async fn step_as(app: &App, token: &str, id: &str, code: &str, extra: Value) -> Value {
    let file = case_file(app, token, id).await;
    let mut body = json!({"version": file["case"]["version"]});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let (status, answer) = api(
        app,
        Method::POST,
        &format!("/api/v1/requests/{id}/steps/{code}"),
        Some(token),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{code}: {answer}");
    answer
}

/// A case from the vårdcentral's doctor (`lakare`) to Örebro's home health care
/// (`sjukskoterska`), through the joint assessment to a decision to enroll proposed by the
/// municipality and confirmed by the region; returns its id.
pub async fn enrolled_case(app: &App) -> String {
    let details = json!({"PrimaryCare": {"coordination_need": true, "safe_at_home": true,
        "digital_care_insufficient": true, "exception": null,
        "risk": {"instrument": "cfs", "date": "2026-11-19", "score": 6}}});
    enrolled_case_with(app, "sjukskoterska", &[], Some(details)).await
}

/// The same way for a rehabilitation case: from the vårdcentral's doctor to Örebro's rehab team,
/// whose arbetsterapeut (`arbetsterapeut`) works it.
pub async fn enrolled_rehab_case(app: &App) -> String {
    let fields = [
        ("track", "rehabilitering"),
        ("rehab_initiator", "primarvard"),
    ];
    enrolled_case_with(app, "arbetsterapeut", &fields, None).await
}

/// A case with the request's fields plus `extra` (which override them), received by
/// `receiver`'s unit, with the track's facts `details` where the track has criteria, through to
/// a confirmed enrollment.
pub async fn enrolled_case_with(
    app: &App,
    receiver: &str,
    extra: &[(&str, &str)],
    details: Option<Value>,
) -> String {
    let doctor = api_token(app, "lakare").await;
    let nurse = api_token(app, receiver).await;
    let mut body: serde_json::Map<String, Value> = REQUEST_FIELDS
        .iter()
        .chain(extra)
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    body.entry("health_centre_name")
        .or_insert_with(|| "Vårdcentralen Örebro centrum".into());
    let (status, created) = api(
        app,
        Method::POST,
        "/api/v1/requests",
        Some(&doctor),
        Some(body.into()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    step_as(app, &doctor, &id, "skicka", json!({})).await;
    step_as(app, &nurse, &id, "kvittera", json!({})).await;
    step_as(app, &nurse, &id, "paborja-bedomning", json!({})).await;
    let version = |file: &Value| file["case"]["version"].clone();
    let read = |token: String| {
        let id = id.clone();
        async move {
            api(
                app,
                Method::GET,
                &format!("/api/v1/requests/{id}/case-file"),
                Some(&token),
                None,
            )
            .await
            .1
        }
    };
    let mut writes = vec![
        (
            &doctor,
            Method::POST,
            "assessments",
            json!({"text": "Bedömning"}),
        ),
        (
            &nurse,
            Method::POST,
            "assessments",
            json!({"text": "Bedömning"}),
        ),
        (
            &nurse,
            Method::POST,
            "home-check",
            json!({"competence_ok": true, "equipment_ok": true}),
        ),
    ];
    if let Some(details) = details {
        writes.insert(
            0,
            (&doctor, Method::PUT, "track", json!({"details": details})),
        );
    }
    for (token, method, path, mut body) in writes {
        let file = read(token.clone()).await;
        body["version"] = version(&file);
        let (status, answer) = api(
            app,
            method,
            &format!("/api/v1/requests/{id}/{path}"),
            Some(token),
            Some(body),
        )
        .await;
        assert!(status.is_success(), "{path}: {answer}");
    }
    let enroll = json!({"care_level": "hemsjukvard-ssk", "intervention_kind": "samordnad", "interventions": "Läkemedel och viktkontroll.", "start_date": "2026-11-23", "responsible_units": "Båda"});
    step_as(app, &nurse, &id, "foresla-inskriven", enroll).await;
    step_as(app, &doctor, &id, "bekrafta-beslut", json!({})).await;
    id
}
