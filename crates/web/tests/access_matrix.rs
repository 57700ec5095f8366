//! The access matrix of docs/SECURITY.md, checked route by route: every route of the router's own
//! table × every role × every relation of the user's unit to one case, on both engines. A route
//! with no row in the document fails, as does a row for a route that does not exist.
//!
//! One case is the fixture: sent by Vårdcentralen Örebro centrum to Hemsjukvården Örebro, which
//! forwarded it to Rehabteamet Örebro, with a message and an attachment. Refused means 403 or
//! 404; `ja` means allowed, `utan` allowed with nothing that identifies the patient, and `nej`
//! refused with nothing that identifies the patient either.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{App, Browser, api, api_token, app, csrf_in, send_request_as_doctor};
use http_body_util::BodyExt;
use samsyn_domain::emergency_access;
use samsyn_domain::log_review::SampleKind;
use samsyn_domain::{CaseRelation, Role, RouteGroup, Verdict};
use samsyn_store::access_log::sample;
use samsyn_store::users::NewUser;
use samsyn_store::{sessions, units, users};
use samsyn_testkit::{TestDb, on_both_engines_async};
use samsyn_web::shared::auth::{csrf_token_for, new_token, token_hash};
use samsyn_web::shared::session::{LOGIN_COOKIE, SESSION_COOKIE};
use std::collections::{BTreeSet, HashMap};
use tower::ServiceExt;

const SECURITY: &str = include_str!("../../../docs/SECURITY.md");

/// What identifies the fixture's patient, in every form a page, the API or FHIR writes it.
const IDENTITY: [&str; 4] = ["191212121212", "19121212-1212", "121212-1212", "Tolvansson"];

/// The rows of the markdown table that follows `heading`, as cells.
fn table_after(heading: &str) -> Vec<Vec<String>> {
    let start = SECURITY
        .find(heading)
        .unwrap_or_else(|| panic!("docs/SECURITY.md has no heading {heading:?}"));
    SECURITY[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().trim_matches('`').to_owned())
                .collect()
        })
        .collect()
}

/// The documented matrix: (group, role) → a verdict per relation.
fn documented_matrix() -> HashMap<(RouteGroup, Role), HashMap<CaseRelation, Verdict>> {
    let header = SECURITY
        .lines()
        .skip_while(|line| !line.starts_with("### Behörighetsmatris"))
        .find(|line| line.starts_with('|'))
        .expect("matrix header");
    let relations: Vec<CaseRelation> = header
        .trim_matches('|')
        .split('|')
        .skip(2)
        .map(|cell| {
            let code = cell.trim().trim_matches('`');
            CaseRelation::from_code(code).unwrap_or_else(|| panic!("unknown relation {code}"))
        })
        .collect();
    assert_eq!(
        relations.len(),
        CaseRelation::ALL.len(),
        "a column per relation"
    );
    let mut matrix = HashMap::new();
    for row in table_after("### Behörighetsmatris") {
        let group = RouteGroup::from_code(&row[0])
            .unwrap_or_else(|| panic!("unknown group {:?} in the matrix", row[0]));
        let role = Role::from_code(&row[1]).unwrap_or_else(|| panic!("unknown role {:?}", row[1]));
        let cells = relations
            .iter()
            .zip(&row[2..])
            .map(|(relation, cell)| {
                let verdict = Verdict::from_code(cell)
                    .unwrap_or_else(|| panic!("unknown verdict {cell:?} for {group:?}/{role:?}"));
                (*relation, verdict)
            })
            .collect();
        assert!(
            matrix.insert((group, role), cells).is_none(),
            "{group:?}/{role:?} twice in the matrix"
        );
    }
    matrix
}

/// The documented route table: (method, path) → group.
fn documented_routes() -> HashMap<(String, String), RouteGroup> {
    table_after("### Vägar och grupper")
        .into_iter()
        .map(|row| {
            let group = RouteGroup::from_code(&row[2])
                .unwrap_or_else(|| panic!("unknown group {:?} for {}", row[2], row[1]));
            ((row[0].clone(), row[1].clone()), group)
        })
        .collect()
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let documented = documented_routes();
    let served: Vec<(String, String, RouteGroup)> = samsyn_web::routes()
        .table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone(), r.group))
        .collect();
    let missing: Vec<String> = served
        .iter()
        .filter(|(m, p, _)| !documented.contains_key(&(m.clone(), p.clone())))
        .map(|(m, p, g)| format!("| {m} | `{p}` | `{}` |", g.code()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes with no row in docs/SECURITY.md:\n{}",
        missing.join("\n")
    );
    for (method, path, group) in &served {
        assert_eq!(
            documented[&(method.clone(), path.clone())],
            *group,
            "{method} {path}: the code and docs/SECURITY.md name different groups"
        );
    }
    let served_keys: BTreeSet<(String, String)> = served
        .iter()
        .map(|(m, p, _)| (m.clone(), p.clone()))
        .collect();
    let stale: Vec<_> = documented
        .keys()
        .filter(|key| !served_keys.contains(*key))
        .collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:?}"
    );
    let matrix = documented_matrix();
    for group in RouteGroup::ALL {
        for role in Role::ALL {
            assert!(
                matrix.contains_key(&(group, role)),
                "{}/{} has no row in the matrix",
                group.code(),
                role.code()
            );
        }
    }
}

/// The ids the fixture's routes need.
struct Fixture {
    case_id: String,
    attachment_id: String,
    version_id: String,
    scenario_id: String,
    item_id: String,
    /// A deviation reported by the sender's unit to the receiving unit.
    deviation_id: String,
    /// A log-review sample of the party of each relation's unit.
    samples: HashMap<CaseRelation, String>,
    /// An account of the party of each relation's unit, for the administrator's steps.
    accounts: HashMap<CaseRelation, String>,
    /// The unit for each relation to the case.
    units: HashMap<CaseRelation, String>,
}

/// A first version of the medicinsk behandlingsplan on the fixture's case, written by the
/// doctor, so that the plan's FHIR resources have something to show.
fn draft_plan(app: &App, case_id: &str) {
    let plan = samsyn_domain::care::treatment_plan::PlanContent {
        prognosis: "Stabil.".into(),
        ..Default::default()
    };
    app.store
        .transaction(|conn| {
            let doctor = users::credentials_by_username(conn, "lakare")?
                .unwrap()
                .user;
            let actor = samsyn_store::access_log::Actor {
                user_id: doctor.id,
                unit_id: doctor.unit_id,
                role: doctor.role,
                identity_source: samsyn_domain::IdentitySource::Local,
            };
            samsyn_store::care::treatment_plan::save_draft(
                conn,
                &actor,
                case_id,
                None,
                &plan,
                common::NOW.parse().unwrap(),
            )
        })
        .unwrap();
}

async fn fixture(app: &App) -> Fixture {
    let mut doctor = Browser::new(app);
    doctor.login("lakare").await;
    let case_id = send_request_as_doctor(&mut doctor).await;
    let page = doctor.get(&format!("/begaran/{case_id}")).await;
    let csrf = csrf_in(&page.body);
    let (content_type, body) =
        common::multipart("Se bilaga", Some(("a.txt", "text/plain", b"Text")));
    let posted = doctor
        .send(
            Request::post(format!("/begaran/{case_id}/meddelande?csrf_token={csrf}"))
                .header(header::COOKIE, doctor.cookie_header())
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let page = doctor.get(&format!("/begaran/{case_id}")).await;
    let marker = format!("/begaran/{case_id}/bilaga/");
    let start = page.body.find(&marker).expect("attachment link") + marker.len();
    let attachment_id = page.body[start..].split('"').next().unwrap().to_owned();
    draft_plan(app, &case_id);

    let unit_named = |name: &str| {
        app.store
            .transaction(units::list)
            .unwrap()
            .into_iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("no unit {name}"))
            .id
    };
    let rehab = unit_named("Rehabteamet Örebro");
    let form = doctor.get("/avvikelser/ny").await;
    let reported = doctor
        .post_form(
            "/avvikelser",
            &[
                ("csrf_token", csrf_in(&form.body).as_str()),
                ("kind", "annat"),
                ("occurred_on", &common::NOW[..10]),
                ("description", "Teamet svarade inte på tre dagar."),
                ("addressed_unit_id", rehab.as_str()),
            ],
        )
        .await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER, "{}", reported.body);
    let deviation_id = reported
        .location()
        .trim_start_matches("/avvikelser/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let nurse = api_token(app, "sjukskoterska").await;
    let (_, current) = api(
        app,
        Method::GET,
        &format!("/api/v1/requests/{case_id}"),
        Some(&nurse),
        None,
    )
    .await;
    let (status, forwarded) = api(
        app,
        Method::POST,
        &format!("/api/v1/requests/{case_id}/steps/vidarebefordra"),
        Some(&nurse),
        Some(serde_json::json!({"version": current["version"], "forward_to": rehab})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{forwarded}");

    let economist = api_token(app, "ekonom").await;
    let (status, version) = api(
        app,
        Method::POST,
        "/api/v1/tillagg/2026/versions",
        Some(&economist),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{version}");
    let mut economist_browser = Browser::new(app);
    economist_browser.login("ekonom").await;
    let page = economist_browser.get("/utvecklingsbudget?ar=2027").await;
    let csrf = csrf_in(&page.body);
    let scenario = economist_browser
        .post_form(
            "/tillagg/scenarier",
            &[
                ("csrf_token", &csrf),
                ("ar", "2026"),
                ("tillvaxt", "1,05"),
                ("namn", "Matris"),
            ],
        )
        .await;
    assert_eq!(scenario.status, StatusCode::SEE_OTHER, "{}", scenario.body);
    let item = economist_browser
        .post_form(
            "/utvecklingsbudget",
            &[
                ("csrf_token", &csrf),
                ("ar", "2027"),
                ("titel", "Matris"),
                ("belopp", "1000"),
                ("finansiering", "statsbidrag"),
                ("regionens_andel", "50"),
                ("fordelning", "befolkning"),
            ],
        )
        .await;
    assert_eq!(item.status, StatusCode::SEE_OTHER, "{}", item.body);
    let last_segment = |location: &str| {
        location
            .split('?')
            .next()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned()
    };
    let sample_of = |unit_id: &str| {
        app.store
            .transaction(|conn| {
                let party = units::get(conn, unit_id)?.party;
                let drawn_by = users::list(conn)?.remove(0).id;
                let today: jiff::civil::Date = common::NOW[..10].parse().unwrap();
                let now = common::NOW.parse().unwrap();
                let request = sample::SampleRequest {
                    party,
                    kind: SampleKind::Accesses,
                    first_day: today,
                    last_day: today,
                    from: today.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp(),
                    until: now,
                    size: 5,
                    seed: 1,
                };
                sample::draw(conn, &request, &drawn_by, now)
            })
            .unwrap()
    };
    let units = HashMap::from([
        (
            CaseRelation::Sender,
            unit_named("Vårdcentralen Örebro centrum"),
        ),
        (CaseRelation::Receiver, rehab),
        (
            CaseRelation::EarlierReceiver,
            unit_named("Hemsjukvården Örebro"),
        ),
        (
            CaseRelation::SameParty,
            unit_named("Vårdcentralen Örebro norr"),
        ),
        (CaseRelation::OtherParty, unit_named("Hemsjukvården Kumla")),
        (
            CaseRelation::Emergency,
            unit_named("Hemsjukvården Lindesberg"),
        ),
        (CaseRelation::NoCase, unit_named("Hemsjukvården Kumla")),
    ]);
    let account_of = |unit_id: &str| {
        app.store
            .transaction(|conn| {
                let party = units::get(conn, unit_id)?.party;
                let units_of_party: Vec<String> = units::list(conn)?
                    .into_iter()
                    .filter(|u| u.party == party)
                    .map(|u| u.id)
                    .collect();
                Ok(users::list(conn)?
                    .into_iter()
                    .find(|u| units_of_party.contains(&u.unit_id))
                    .unwrap()
                    .id)
            })
            .unwrap()
    };
    Fixture {
        accounts: units
            .iter()
            .map(|(relation, unit_id)| (*relation, account_of(unit_id)))
            .collect(),
        samples: units
            .iter()
            .map(|(relation, unit_id)| (*relation, sample_of(unit_id)))
            .collect(),
        units,
        case_id,
        attachment_id,
        version_id: version["id"].as_str().unwrap().to_owned(),
        scenario_id: last_segment(scenario.location()),
        item_id: last_segment(item.location()),
        deviation_id,
    }
}

/// The route's path with real values for its parameters; for `NoCase`, a case that does not
/// exist.
fn concrete(path: &str, fixture: &Fixture, relation: CaseRelation) -> String {
    let case_id = if relation == CaseRelation::NoCase {
        "0000000000000000finnsinte"
    } else {
        fixture.case_id.as_str()
    };
    if path.starts_with("/admin/anvandare/") {
        return path
            .replace("{id}", &fixture.accounts[&relation])
            .replace("{step}", "las-upp");
    }
    if path.starts_with("/admin/enheter/") {
        return path.replace("{id}", &fixture.units[&relation]);
    }
    if path.starts_with("/avvikelser/{id}") || path.starts_with("/api/v1/deviations/{id}") {
        let id = if relation == CaseRelation::NoCase {
            "0000000000000000finnsinte"
        } else {
            fixture.deviation_id.as_str()
        };
        return path.replace("{id}", id);
    }
    let id = if path.starts_with("/logg/stickprov/") {
        fixture.samples[&relation].as_str()
    } else if path.starts_with("/tillagg/scenarier/") {
        fixture.scenario_id.as_str()
    } else if path.starts_with("/tillagg/versioner/") || path.starts_with("/api/v1/tillagg/") {
        fixture.version_id.as_str()
    } else if path.starts_with("/utvecklingsbudget/") {
        fixture.item_id.as_str()
    } else {
        case_id
    };
    path.replace("{id}", id)
        .replace("{attachment}", &fixture.attachment_id)
        .replace("{item}", "0")
        .replace("{step}", "skicka")
        .replace("{status}", "presenterat")
        .replace("{year}", "2026")
        .replace("{version}", "1")
        .replace("{format}", "csv")
        .replace("{file}", "samsyn.css")
}

/// A user with this role at this unit, signed in with a fresh session: (token, csrf token).
fn session(app: &App, user_id: &str) -> (String, String) {
    let token = new_token();
    let now = common::NOW.parse().unwrap();
    app.store
        .transaction(|conn| {
            sessions::create(
                conn,
                &token_hash(&token),
                user_id,
                samsyn_domain::IdentitySource::Local,
                now,
            )
        })
        .unwrap();
    let csrf = csrf_token_for(&token);
    (token, csrf)
}

async fn call(
    app: &App,
    method: &Method,
    path: &str,
    token: &str,
    csrf: &str,
) -> (StatusCode, String) {
    let is_api = path.starts_with("/api/") || path.starts_with("/fhir/");
    let mut request = Request::builder().method(method.clone()).uri(path);
    let body = if is_api {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        if method == Method::GET {
            Body::empty()
        } else {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from("{}")
        }
    } else {
        // The sign-in form's token comes from the pre-login cookie; give both.
        request = request.header(
            header::COOKIE,
            format!("{SESSION_COOKIE}={token}; {LOGIN_COOKIE}={token}"),
        );
        if method == Method::GET {
            Body::empty()
        } else {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(format!("csrf_token={csrf}"))
        }
    };
    let response = app
        .router
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    // The live inbox's event stream never ends; it carries only "something changed", no data
    // about anyone, so its status is what the matrix checks.
    let is_stream = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"));
    if is_stream {
        return (status, String::new());
    }
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// The clinician opens the fixture's person's cases by nödåtkomst.
fn open_in_emergency(app: &App, user: &users::User, now: jiff::Timestamp) {
    let actor = samsyn_store::access_log::Actor {
        user_id: user.id.clone(),
        unit_id: user.unit_id.clone(),
        role: user.role,
        identity_source: samsyn_domain::IdentitySource::Local,
    };
    let person = samsyn_domain::PersonId::from_stored("191212121212").unwrap();
    let reason =
        emergency_access::EmergencyReason::parse("Matristest: akut behov utan vårdrelation")
            .unwrap();
    let opened = app
        .store
        .transaction(|conn| {
            samsyn_store::emergency_access::open(
                conn,
                &actor,
                &person,
                &reason,
                jiff::SignedDuration::from_hours(4),
                now,
            )
        })
        .unwrap();
    assert!(opened.is_ok(), "the fixture's person has a sent case");
}

async fn every_route_answers_as_the_matrix_says(db: TestDb) {
    let app = app(db);
    let fixture = fixture(&app).await;
    let matrix = documented_matrix();
    let now = common::NOW.parse().unwrap();
    let mut users_by: HashMap<(Role, CaseRelation), String> = HashMap::new();
    for relation in CaseRelation::ALL {
        for role in Role::ALL {
            let unit_id = &fixture.units[&relation];
            let user = app
                .store
                .transaction(|conn| {
                    users::create(
                        conn,
                        &NewUser {
                            username: &format!("matris.{}.{}", role.code(), relation.code()),
                            display_name: "Matris",
                            role,
                            unit_id,
                            password_hash: Some("-"),
                            is_demo: false,
                        },
                        now,
                    )
                })
                .unwrap();
            if relation == CaseRelation::Emergency && emergency_access::may_use(role) {
                open_in_emergency(&app, &user, now);
            }
            users_by.insert((role, relation), user.id);
        }
    }
    let mut wrong = Vec::new();
    let mut checked = 0;
    for route in samsyn_web::routes().table() {
        for relation in CaseRelation::ALL {
            let path = concrete(&route.path, &fixture, relation);
            for role in Role::ALL {
                let (token, csrf) = session(&app, &users_by[&(role, relation)]);
                let (status, body) = call(&app, &route.method, &path, &token, &csrf).await;
                let expected = matrix[&(route.group, role)][&relation];
                let refused = matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
                let shows_identity = IDENTITY.iter().any(|needle| body.contains(needle));
                let fits = match expected {
                    Verdict::Sees => !refused,
                    Verdict::WithoutIdentity => !refused && !shows_identity,
                    Verdict::Refused => refused && !shows_identity,
                };
                checked += 1;
                if !fits {
                    wrong.push(format!(
                        "{} {} as {} at {}: {status}{} (matrix: {})",
                        route.method,
                        route.path,
                        role.code(),
                        relation.code(),
                        if shows_identity {
                            ", shows the patient"
                        } else {
                            ""
                        },
                        expected.code()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} answers break the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

on_both_engines_async!(every_route_answers_as_the_matrix_says);
