//! The case workflow through the real router: the state machine holds whatever sequence of API
//! calls anyone makes, and every route that shows or changes patient data writes the access log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use proptest::prelude::*;
use samsyn_domain::{Action, CaseState, Role, RouteGroup, Side, Step, Track};
use samsyn_store::access_log::{self, Filter};
use samsyn_testkit::TestDb;
use serde_json::{Value, json};

const USERS: [(&str, Role); 5] = [
    ("lakare", Role::Doctor),
    ("sjukskoterska", Role::Nurse),
    ("sjukskoterska.kumla", Role::Nurse),
    ("ekonom", Role::Economist),
    ("arbetsterapeut", Role::OccupationalTherapist),
];

struct Caller {
    token: String,
    unit_id: String,
    role: Role,
}

async fn callers(app: &App) -> Vec<Caller> {
    let mut list = Vec::new();
    for (username, role) in USERS {
        let token = api_token(app, username).await;
        let (_, me) = api(app, Method::GET, "/api/v1/me", Some(&token), None).await;
        list.push(Caller {
            token,
            unit_id: me["unit_id"].as_str().unwrap().to_owned(),
            role,
        });
    }
    list
}

fn body(track: Track) -> Value {
    let mut fields: serde_json::Map<String, Value> = REQUEST_FIELDS
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    fields.insert(
        "health_centre_name".into(),
        "Vårdcentralen Örebro centrum".into(),
    );
    fields.insert("track".into(), track.code().into());
    fields.insert("rehab_initiator".into(), "primarvard".into());
    fields.into()
}

/// The sender writes a draft of the track through the API; returns its id.
async fn create_draft(app: &App, sender: &Caller, track: Track) -> String {
    let (status, created) = api(
        app,
        Method::POST,
        "/api/v1/requests",
        Some(&sender.token),
        Some(body(track)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_str().unwrap().to_owned()
}

/// Follows the case as its sender sees it (the sender never loses sight of its case).
async fn current(app: &App, sender: &Caller, id: &str) -> Value {
    let (status, file) = api(
        app,
        Method::GET,
        &format!("/api/v1/requests/{id}/case-file"),
        Some(&sender.token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    file
}

async fn run_sequence(track: Track, steps: Vec<(usize, usize)>) -> String {
    let app = app(samsyn_testkit::sqlite());
    let callers = callers(&app).await;
    let rules = rules();
    let id = create_draft(&app, &callers[0], track).await;
    let rehab_team = callers[4].unit_id.clone();
    let mut shadow = CaseState::Draft;
    // Units that had the case and forwarded it: they may read it but take no step.
    let mut earlier_receivers: Vec<String> = Vec::new();
    for (action_index, caller_index) in steps {
        if action_index == Action::ALL.len() {
            record_joint_work(&app, &callers, &id).await;
            continue;
        }
        let action = Action::ALL[action_index];
        let caller = &callers[caller_index];
        let before = current(&app, &callers[0], &id).await;
        let case = &before["case"];
        let side = if caller.unit_id == case["sender_unit_id"] {
            Some(Side::Sender)
        } else if caller.unit_id == case["receiver_unit_id"] && case["state"] != "utkast" {
            Some(Side::Receiver)
        } else {
            None
        };
        let input = json!({
            "version": case["version"],
            "note": "Testanteckning",
            "forward_to": rehab_team,
            "closure_reason": "Behovet är tillgodosett.",
            "planning_date": "2026-11-19",
            "planning_form": "hemma",
            "region_participants": "Lena Lind, läkare",
            "municipality_participants": "Sara Sjöberg, sjuksköterska",
            "person_took_part": "ja",
            "next_contact": "Vårdcentralen Örebro centrum, 019-602 00 00",
            "care_level": "hemsjukvard-ssk", "intervention_kind": "samordnad", "interventions": "Läkemedel och viktkontroll.",
            "start_date": "2026-12-01",
            "responsible_units": "Båda",
            "reason": "Skäl",
            "region_manager": "Vera Vall",
            "municipality_manager": "Eva Ek",
            "interim_arrangement": "Vårdcentralen gör hembesöken tills vidare.",
        });
        let path = format!("/api/v1/requests/{id}/steps/{}", action.code());
        let (status, answer) =
            api(&app, Method::POST, &path, Some(&caller.token), Some(input)).await;
        // Refused before any step: roles without care work (403), a unit that forwarded the case
        // (403), and a unit with no part in it (404, as if there were no case).
        let refusal = if !RouteGroup::CaseWrite.admits(caller.role)
            || (side.is_none() && earlier_receivers.contains(&caller.unit_id))
        {
            Some(StatusCode::FORBIDDEN)
        } else if side.is_none() {
            Some(StatusCode::NOT_FOUND)
        } else {
            None
        };
        let expected = side.filter(|_| refusal.is_none()).map(|side| {
            let step = Step {
                side,
                role: caller.role,
                now: jiff::Timestamp::UNIX_EPOCH,
                today: jiff::civil::date(2026, 11, 20),
                user_id: "x",
                rules: &rules,
                track,
                parties: samsyn_domain::Parties::Both,
            };
            shadow.apply(action, &step)
        });
        let after = current(&app, &callers[0], &id).await;
        match (status, expected) {
            (StatusCode::OK, Some(Ok(next))) => {
                assert_eq!(
                    answer["state"],
                    next.code(),
                    "{action:?} by {:?}",
                    caller.role
                );
                if action == Action::Forward {
                    earlier_receivers.push(caller.unit_id.clone());
                }
                shadow = next;
            }
            (StatusCode::OK, other) => panic!(
                "the API allowed {action:?} by {:?}; the machine says {other:?}",
                caller.role
            ),
            (status, None) if Some(status) == refusal => {}
            (StatusCode::CONFLICT, Some(Err(_))) => {
                assert_eq!(answer["error"]["code"], "illegal_transition")
            }
            // Allowed by the machine but refused for what the step needs: criteria not met, or
            // an input such as the forward target that does not fit.
            (StatusCode::CONFLICT, Some(Ok(_))) => {
                assert_eq!(answer["error"]["code"], "enrollment_blocked")
            }
            (StatusCode::UNPROCESSABLE_ENTITY, Some(Ok(_))) => {
                assert_eq!(answer["error"]["code"], "invalid")
            }
            (status, expected) => {
                panic!("unexpected {status} for {action:?}: {answer} (machine: {expected:?})")
            }
        }
        assert_eq!(
            after["case"]["state"],
            shadow.code(),
            "the stored state is the machine's state"
        );
        let allowed: Vec<&str> = after["allowed_steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for code in allowed {
            let action = Action::from_code(code).unwrap();
            assert!(
                shadow.allowed_actions().contains(&action),
                "{code} offered in {}",
                shadow.code()
            );
        }
    }
    shadow.code().to_owned()
}

/// The prefix the property test starts from really goes the whole way.
#[test]
fn the_way_to_the_end_reaches_avslutad() {
    let end = std::sync::Mutex::new(String::new());
    samsyn_testkit::block_on(async {
        *end.lock().unwrap() = run_sequence(Track::PrimaryCare, HAPPY_PATH.clone()).await
    });
    assert_eq!(*end.lock().unwrap(), "avslutad");
}

/// In the rehabilitation process the rehab team's arbetsterapeut ends the care alone.
#[test]
fn the_rehab_professional_closes_rehabilitation_through_the_api() {
    let end = std::sync::Mutex::new(String::new());
    samsyn_testkit::block_on(async {
        *end.lock().unwrap() = run_sequence(Track::Rehabilitation, REHAB_PATH.clone()).await
    });
    assert_eq!(*end.lock().unwrap(), "avslutad");
}

fn index_of(action: Action) -> usize {
    Action::ALL.iter().position(|a| *a == action).unwrap_or(0)
}

/// (step, caller) pairs: send, acknowledge, assess, record the joint work, propose enrollment,
/// which the proposer cannot confirm and the other party does, plan, start, propose avslut, and
/// again the other party confirms it.
static HAPPY_PATH: std::sync::LazyLock<Vec<(usize, usize)>> = std::sync::LazyLock::new(|| {
    vec![
        (index_of(Action::Send), 0),
        (index_of(Action::Acknowledge), 1),
        (index_of(Action::StartAssessment), 1),
        (Action::ALL.len(), 0),
        (
            index_of(Action::ProposeDecision(
                samsyn_domain::DecisionOutcome::Enrolled,
            )),
            1,
        ),
        (index_of(Action::ConfirmDecision), 1),
        (index_of(Action::ConfirmDecision), 0),
        (index_of(Action::Plan), 0),
        (index_of(Action::Start), 1),
        (index_of(Action::ProposeClosure), 0),
        (index_of(Action::ConfirmClosure), 0),
        (index_of(Action::ConfirmClosure), 1),
    ]
});

/// The rehabilitation process: the doctor's vårdcentral sends to the rehab team, whose
/// arbetsterapeut (caller 4) works the case; the nurse of the home-care unit has no part in it,
/// and the referrer may not close it; the therapist does.
static REHAB_PATH: std::sync::LazyLock<Vec<(usize, usize)>> = std::sync::LazyLock::new(|| {
    vec![
        (index_of(Action::Send), 0),
        (index_of(Action::Acknowledge), 4),
        (index_of(Action::StartAssessment), 4),
        (Action::ALL.len(), 0),
        (
            index_of(Action::ProposeDecision(
                samsyn_domain::DecisionOutcome::Enrolled,
            )),
            4,
        ),
        (index_of(Action::ConfirmDecision), 0),
        (index_of(Action::Plan), 4),
        (index_of(Action::Start), 4),
        (index_of(Action::CloseRehabilitation), 1),
        (index_of(Action::CloseRehabilitation), 0),
        (index_of(Action::CloseRehabilitation), 4),
    ]
});

/// Everything a decision to enroll needs, recorded through the API by both parties, so that
/// random sequences can reach planerad, pågående and avslutad. Refusals (wrong state) are fine.
async fn record_joint_work(app: &App, callers: &[Caller], id: &str) {
    let file = current(app, &callers[0], id).await;
    let version = |file: &Value| file["case"]["version"].clone();
    let details = json!({"PrimaryCare": {"coordination_need": true, "safe_at_home": true,
        "digital_care_insufficient": true, "exception": null,
        "risk": {"instrument": "cfs", "date": "2026-11-19", "score": 6}}});
    let path = format!("/api/v1/requests/{id}/track");
    api(
        app,
        Method::PUT,
        &path,
        Some(&callers[0].token),
        Some(json!({"version": version(&file), "details": details})),
    )
    .await;
    let receiver = file["case"]["receiver_unit_id"].clone();
    for caller in callers
        .iter()
        .filter(|c| c.unit_id == file["case"]["sender_unit_id"] || c.unit_id == receiver)
    {
        let file = current(app, &callers[0], id).await;
        let body = json!({"version": version(&file), "text": "Bedömning"});
        api(
            app,
            Method::POST,
            &format!("/api/v1/requests/{id}/assessments"),
            Some(&caller.token),
            Some(body),
        )
        .await;
        if caller.unit_id == receiver {
            let file = current(app, &callers[0], id).await;
            let body =
                json!({"version": version(&file), "competence_ok": true, "equipment_ok": true});
            api(
                app,
                Method::POST,
                &format!("/api/v1/requests/{id}/home-check"),
                Some(&caller.token),
                Some(body),
            )
            .await;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// No sequence of API calls, by anyone, reaches a state the machine forbids. The extra step
    /// index records the joint work, so sequences also get past the decision.
    #[test]
    fn no_api_sequence_leaves_the_state_machine(
        rehabilitation in any::<bool>(),
        prefix in 0..=HAPPY_PATH.len(),
        steps in proptest::collection::vec((0..=Action::ALL.len(), 0..USERS.len()), 1..20)
    ) {
        // A prefix of the way to the end, then anything: random steps from every state, on
        // track 1 or in the rehabilitation process (where the rehab professional closes).
        let (track, path) = if rehabilitation {
            (Track::Rehabilitation, &*REHAB_PATH)
        } else {
            (Track::PrimaryCare, &*HAPPY_PATH)
        };
        let mut all: Vec<(usize, usize)> = path[..prefix.min(path.len())].to_vec();
        all.extend(steps);
        samsyn_testkit::block_on(async { run_sequence(track, all).await; });
    }
}

fn log_count(app: &App, patient_id: &str) -> usize {
    app.store
        .transaction(|conn| {
            access_log::search(
                conn,
                &Filter {
                    patient_id: Some(patient_id.to_owned()),
                    ..Filter::default()
                },
                &samsyn_store::access_log::PageAt::First,
                100_000,
            )
            .map(|page| page.entries)
        })
        .unwrap()
        .len()
}

/// The version of the case as the API reads it now.
async fn version_of(app: &App, token: &str, id: &str) -> i64 {
    api(
        app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(token),
        None,
    )
    .await
    .1["version"]
        .as_i64()
        .unwrap()
}

/// Every page and endpoint that shows or changes a patient's data writes to the access log.
async fn every_patient_route_is_logged(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let id = send_request_as_doctor(&mut doctor).await;
    let patient_id = app
        .store
        .transaction(|conn| {
            let number = samsyn_domain::PersonId::from_stored("191212121212").unwrap();
            Ok(samsyn_store::patients::find_by_person_id(conn, &number)?
                .unwrap()
                .id)
        })
        .unwrap();
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let token = api_token(&app, "sjukskoterska").await;
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;

    let mut walked = 0;
    let mut expect_logged = |before: usize, route: &str| {
        let after = log_count(&app, &patient_id);
        assert!(
            after > before,
            "{route} showed or changed patient data without an access-log entry"
        );
        walked += 1;
    };
    for path in [
        "/inkorg".to_owned(),
        format!("/begaran/{id}"),
        "/inkorg?status=skickad".to_owned(),
    ] {
        let before = log_count(&app, &patient_id);
        assert_eq!(nurse.get(&path).await.status, StatusCode::OK, "{path}");
        expect_logged(before, &path);
    }
    for path in [
        "/api/v1/requests".to_owned(),
        format!("/api/v1/requests/{id}"),
        format!("/api/v1/requests/{id}/case-file"),
        format!("/fhir/r4/ServiceRequest/{id}"),
        format!("/fhir/r4/Task/{id}"),
        "/fhir/r4/ServiceRequest?patient=191212121212".to_owned(),
        "/fhir/r4/Task".to_owned(),
    ] {
        let before = log_count(&app, &patient_id);
        let (status, _) = api(&app, Method::GET, &path, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        expect_logged(before, &path);
    }
    let page = nurse.get(&format!("/begaran/{id}")).await;
    let csrf = csrf_in(&page.body);
    let mut version = 2;
    for (path, fields) in [
        (format!("/begaran/{id}/steg/kvittera"), vec![]),
        (format!("/begaran/{id}/steg/paborja-bedomning"), vec![]),
        (
            format!("/begaran/{id}/bedomning"),
            vec![("assessment", "Bedömning")],
        ),
        (
            format!("/begaran/{id}/spar"),
            vec![("coordination_need", "ja")],
        ),
        (
            format!("/begaran/{id}/hemkontroll"),
            vec![("competence_ok", "ja"), ("equipment_ok", "ja")],
        ),
    ] {
        let before = log_count(&app, &patient_id);
        let version_text = version.to_string();
        let mut form = vec![
            ("csrf_token", csrf.as_str()),
            ("version", version_text.as_str()),
        ];
        form.extend(fields);
        let response = nurse.post_form(&path, &form).await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            response.body
        );
        expect_logged(before, &path);
        version = version_of(&app, &token, &id).await;
    }
    let doctor_token = api_token(&app, "lakare").await;
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/assessments"),
        Some(&doctor_token),
        Some(json!({"version": version, "text": "Regionens bedömning"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    version = version_of(&app, &token, &id).await;
    let before = log_count(&app, &patient_id);
    let version_text = version.to_string();
    let disputed = nurse
        .post_form(
            &format!("/begaran/{id}/steg/besluta-oenighet"),
            &[
                ("csrf_token", csrf.as_str()),
                ("version", version_text.as_str()),
                ("reason", "Oense om vårdnivå"),
                ("region_manager", "Vera Vall, verksamhetschef"),
                ("municipality_manager", "Eva Ek, enhetschef"),
                (
                    "interim_arrangement",
                    "Vårdcentralen gör hembesöken tills vidare.",
                ),
            ],
        )
        .await;
    assert_eq!(
        disputed.status,
        StatusCode::SEE_OTHER,
        "{}",
        disputed.body.split("<main").nth(1).unwrap_or_default()
    );
    expect_logged(before, "besluta-oenighet");
    for path in [format!("/begaran/{id}/oenighet")] {
        let before = log_count(&app, &patient_id);
        assert_eq!(nurse.get(&path).await.status, StatusCode::OK, "{path}");
        expect_logged(before, &path);
    }
    let before = log_count(&app, &patient_id);
    let page = nurse.get(&format!("/begaran/{id}/oenighet")).await;
    let step = nurse
        .post_form(
            &format!("/begaran/{id}/oenighet"),
            &[
                ("csrf_token", csrf_in(&page.body).as_str()),
                ("version", "0"),
                ("step", "registrera"),
            ],
        )
        .await;
    assert_eq!(
        step.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a nurse takes no ladder step"
    );
    expect_logged(before, "POST /begaran/{id}/oenighet");
    version = version_of(&app, &token, &id).await;
    let start = reviewer.get("/logg").await;
    let before = log_count(&app, &patient_id);
    let search = reviewer
        .post_form(
            "/logg",
            &[
                ("csrf_token", &csrf_in(&start.body)),
                ("personnummer", "19121212-1212"),
            ],
        )
        .await;
    assert_eq!(search.status, StatusCode::OK);
    expect_logged(before, "/logg");
    let before = log_count(&app, &patient_id);
    let (status, _) = api(
        &app,
        Method::POST,
        &format!("/api/v1/requests/{id}/assessments"),
        Some(&token),
        Some(json!({"version": version, "text": "Via API"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    expect_logged(before, "POST /api/v1/requests/{id}/assessments");

    // Writing and editing a request, posting a message, and creating over FHIR.
    let form = doctor.get("/begaran/ny").await;
    let mut fields: Vec<(&str, &str)> = REQUEST_FIELDS.to_vec();
    let doctor_csrf = csrf_in(&form.body);
    fields.extend([
        ("csrf_token", doctor_csrf.as_str()),
        ("health_centre_name", "Vårdcentralen Örebro centrum"),
        ("send", "false"),
    ]);
    let before = log_count(&app, &patient_id);
    let draft = doctor.post_form("/begaran", &fields).await;
    assert_eq!(draft.status, StatusCode::SEE_OTHER);
    expect_logged(before, "POST /begaran");
    let draft_id = draft
        .location()
        .trim_start_matches("/begaran/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let before = log_count(&app, &patient_id);
    assert_eq!(
        doctor
            .get(&format!("/begaran/{draft_id}?andra=1"))
            .await
            .status,
        StatusCode::OK
    );
    expect_logged(before, "GET /begaran/{id}?andra=1");
    fields.push(("version", "1"));
    let before = log_count(&app, &patient_id);
    assert_eq!(
        doctor
            .post_form(&format!("/begaran/{draft_id}"), &fields)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    expect_logged(before, "POST /begaran/{id}");
    let before = log_count(&app, &patient_id);
    let message_path = format!(
        "/begaran/{id}/meddelande?csrf_token={}",
        csrf_in(&doctor.get(&format!("/begaran/{id}")).await.body)
    );
    let before_message = log_count(&app, &patient_id);
    assert!(before_message > before, "opening the case page is logged");
    assert_eq!(
        post_multipart(&app, &doctor, &message_path, multipart("Hej", None)).await,
        StatusCode::SEE_OTHER
    );
    expect_logged(before_message, "POST /begaran/{id}/meddelande");
    let before = log_count(&app, &patient_id);
    let doctor_token = api_token(&app, "lakare").await;
    let (status, created) = api(
        &app,
        Method::POST,
        "/fhir/r4/ServiceRequest",
        Some(&doctor_token),
        Some(fhir_request()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    expect_logged(before, "POST /fhir/r4/ServiceRequest");

    // Recording a withdrawn consent, on the page and over the API.
    let version = api(
        &app,
        Method::GET,
        &format!("/api/v1/requests/{id}"),
        Some(&token),
        None,
    )
    .await
    .1["version"]
        .as_i64()
        .unwrap()
        .to_string();
    let before = log_count(&app, &patient_id);
    let withdrawn = nurse
        .post_form(
            &format!("/begaran/{id}/samtycke/aterkalla"),
            &[
                ("csrf_token", csrf.as_str()),
                ("version", version.as_str()),
                ("withdrawal_note", "Per telefon"),
            ],
        )
        .await;
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.body
    );
    expect_logged(before, "POST /begaran/{id}/samtycke/aterkalla");
    let before = log_count(&app, &patient_id);
    let (status, _) = api(
        &app,
        Method::POST,
        &format!(
            "/api/v1/requests/{}/consent/withdrawal",
            created["id"].as_str().unwrap()
        ),
        Some(&doctor_token),
        Some(json!({"version": 2, "note": "Per brev"})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    expect_logged(before, "POST /api/v1/requests/{id}/consent/withdrawal");
    assert_eq!(walked, 27);
}

/// Messages live in the case: both units see them with read state; attachments are checked
/// for size and type, and downloading one is logged as an export.
async fn messages_and_attachments(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let id = send_request_as_doctor(&mut doctor).await;
    let page = doctor.get(&format!("/begaran/{id}")).await;
    let csrf = csrf_in(&page.body);
    let path = format!("/begaran/{id}/meddelande?csrf_token={csrf}");

    let without_token = post_multipart(
        &app,
        &doctor,
        &format!("/begaran/{id}/meddelande"),
        multipart("Hej", None),
    )
    .await;
    assert_eq!(without_token, StatusCode::FORBIDDEN);
    let fake_pdf = multipart(
        "Se bilaga",
        Some(("lista.pdf", "application/pdf", b"MZ\x90\x00 not a pdf")),
    );
    assert_eq!(
        post_multipart(&app, &doctor, &path, fake_pdf).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let big = vec![b'a'; 5 * 1024 * 1024 + 1];
    let too_big = multipart("Stor", Some(("stor.txt", "text/plain", &big)));
    assert_eq!(
        post_multipart(&app, &doctor, &path, too_big).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let good = multipart(
        "Läkemedelslista bifogad",
        Some(("lista.pdf", "application/pdf", b"%PDF-1.4 test")),
    );
    assert_eq!(
        post_multipart(&app, &doctor, &path, good).await,
        StatusCode::SEE_OTHER
    );

    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let seen = nurse.get(&format!("/begaran/{id}")).await;
    assert!(seen.body.contains("Läkemedelslista bifogad"));
    assert_eq!(
        seen.body.matches("Läkemedelslista bifogad").count(),
        1,
        "rejected messages were not stored"
    );
    let marker = format!("/begaran/{id}/bilaga/");
    let start = seen.body.find(&marker).expect("attachment link") + marker.len();
    let attachment_id = seen.body[start..].split('"').next().unwrap().to_owned();
    let again = doctor.get(&format!("/begaran/{id}")).await;
    assert!(
        again.body.contains("Vårdcentralen Örebro centrum 2026"),
        "read state per unit: the writer's"
    );
    assert!(
        again.body.contains("Hemsjukvården Örebro 2026"),
        "the receiving unit has read it"
    );

    let download = nurse
        .get(&format!("/begaran/{id}/bilaga/{attachment_id}"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body, "%PDF-1.4 test");
    let exports = app
        .store
        .transaction(|conn| {
            access_log::search(
                conn,
                &Filter {
                    ..Filter::default()
                },
                &samsyn_store::access_log::PageAt::First,
                10_000,
            )
            .map(|page| page.entries)
        })
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.action == samsyn_domain::AccessAction::Export && e.username == "sjukskoterska"
        })
        .count();
    assert!(exports >= 1, "the download is logged as an export");
    let mut kumla = Browser::new(&app);
    kumla.login("sjukskoterska.kumla").await;
    assert_eq!(
        kumla
            .get(&format!("/begaran/{id}/bilaga/{attachment_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

samsyn_testkit::on_both_engines_async!(
    lists_come_a_page_at_a_time,
    every_patient_route_is_logged,
    messages_and_attachments,
    a_track_three_draft_can_be_sent_later,
    decision_and_avslut_need_both_parties,
    a_closed_ej_inskriven_task_says_why
);

/// A saved track-3 draft keeps its ViSam facts, so it can be sent from its page or the API.
async fn a_track_three_draft_can_be_sent_later(db: TestDb) {
    let app = app(db);
    let doctor = api_token(&app, "sjukhuslakare").await;
    let mut body = body(Track::PrimaryCare);
    body["track"] = json!("utskrivning");
    body["visam_colour"] = json!("gult");
    body["discharge_date"] = json!("2026-11-25");
    body["health_centre_name"] = json!("Medicinkliniken");
    let (status, draft) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&doctor),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["state"], "utkast");
    let path = format!(
        "/api/v1/requests/{}/steps/skicka",
        draft["id"].as_str().unwrap()
    );
    let (status, sent) = api(
        &app,
        Method::POST,
        &path,
        Some(&doctor),
        Some(json!({"version": draft["version"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(sent["state"], "skickad");
    // The rehab team cannot send a rehabilitation request to itself.
    let therapist = api_token(&app, "arbetsterapeut").await;
    let mut rehab = body_for_rehab();
    rehab["send"] = json!(true);
    let (status, refused) = api(
        &app,
        Method::POST,
        "/api/v1/requests",
        Some(&therapist),
        Some(rehab),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["field"], "track");
}

fn body_for_rehab() -> Value {
    let mut b = body(Track::PrimaryCare);
    b["track"] = json!("rehabilitering");
    b["rehab_initiator"] = json!("egen");
    b
}

/// Going back from measurement data to a person is for administrators only, and is logged.
#[test]
fn reidentification_is_restricted_and_logged() {
    samsyn_testkit::block_on(async {
        let app = app(samsyn_testkit::sqlite());
        let mut economist = Browser::new(&app);
        economist.login("ekonom").await;
        assert_eq!(
            economist.get("/matning/sok").await.status,
            StatusCode::FORBIDDEN
        );
        let mut admin = Browser::new(&app);
        admin.login("administrator").await;
        let page = admin.get("/matning/sok").await;
        let found = admin
            .post_form(
                "/matning/sok",
                &[
                    ("csrf_token", &csrf_in(&page.body)),
                    ("personnummer", "19121212-1212"),
                ],
            )
            .await;
        assert_eq!(found.status, StatusCode::OK);
        let logged = app
            .store
            .transaction(|conn| {
                access_log::search(
                    conn,
                    &Filter {
                        ..Filter::default()
                    },
                    &samsyn_store::access_log::PageAt::First,
                    100_000,
                )
                .map(|page| page.entries)
            })
            .unwrap()
            .into_iter()
            .filter(|e| e.object_type == "matdata" && e.username == "administrator")
            .count();
        assert_eq!(logged, 1);
    });
}

/// The header badge's count of the other party's proposals waiting for the unit's answer.
fn proposals_to_answer(badge: &str) -> i64 {
    let (before, _) = badge.split_once(" förslag att besvara").unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

/// Takes one step through the API as `caller`, at the case's current version.
async fn api_step(
    app: &App,
    callers: &[Caller],
    caller: usize,
    id: &str,
    code: &str,
    extra: Value,
) -> (StatusCode, Value) {
    let file = current(app, &callers[0], id).await;
    let mut input = json!({"version": file["case"]["version"]});
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        input.extend(extra.clone());
    }
    let path = format!("/api/v1/requests/{id}/steps/{code}");
    api(
        app,
        Method::POST,
        &path,
        Some(&callers[caller].token),
        Some(input),
    )
    .await
}

/// The decision and avslut need both parties (Hälso- och sjukvård i hemmet primärvårdsnivå §3.1.3,
/// §3.1.7): the one who proposes cannot confirm; a declined avslut keeps the care going and says
/// why; the other party's confirmation decides or closes; every proposal and answer is kept.
async fn decision_and_avslut_need_both_parties(db: TestDb) {
    let app = app(db);
    let callers = callers(&app).await;
    let id = create_draft(&app, &callers[0], Track::PrimaryCare).await;
    for (caller, code) in [(0, "skicka"), (1, "kvittera"), (1, "paborja-bedomning")] {
        let (status, answer) = api_step(&app, &callers, caller, &id, code, json!({})).await;
        assert_eq!(status, StatusCode::OK, "{code}: {answer}");
    }
    record_joint_work(&app, &callers, &id).await;
    // The decision says which vårdnivå from the rule set, and for punktinsatser whether the
    // responsibility is shared.
    let vague = json!({"care_level": "Hemsjukvård", "intervention_kind": "punktinsats",
        "interventions": "B12-injektion.", "start_date": "2026-12-01", "responsible_units": "Båda"});
    let (status, refused) = api_step(&app, &callers, 1, &id, "foresla-inskriven", vague).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields = refused.to_string();
    assert!(
        fields.contains("care_level") && fields.contains("shared_responsibility"),
        "{fields}"
    );
    let enroll = json!({"care_level": "hemsjukvard-ssk", "intervention_kind": "punktinsats",
        "shared_responsibility": "ja", "interventions": "B12-injektion var tredje månad.",
        "start_date": "2026-12-01", "responsible_units": "Båda"});
    let (status, proposed) = api_step(&app, &callers, 1, &id, "foresla-inskriven", enroll).await;
    assert_eq!(
        (status, proposed["state"].as_str()),
        (StatusCode::OK, Some("beslut_foreslaget"))
    );
    let (status, alone) = api_step(&app, &callers, 1, &id, "bekrafta-beslut", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{alone}");
    let file = current(&app, &callers[0], &id).await;
    assert_eq!(file["decisions"][0]["confirmed_by"], Value::Null);
    assert_eq!(file["decisions"][0]["intervention_kind"], "punktinsats");
    assert_eq!(file["decisions"][0]["shared_responsibility"], true);
    // The vårdcentral's badge counts the proposal waiting for its answer (beside the demo's).
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let waiting = proposals_to_answer(&doctor.get("/att-gora").await.body);
    assert!(waiting >= 1);
    assert!(
        file["allowed_steps"]
            .to_string()
            .contains("bekrafta-beslut")
    );
    for (caller, code, extra) in [
        (0, "bekrafta-beslut", json!({})),
        (
            0,
            "planera",
            json!({"planning_date": "2026-11-19", "planning_form": "digitalt",
            "region_participants": "Lena Lind, läkare", "municipality_participants": "Sara Sjöberg",
            "person_took_part": "nej", "absence_reason": "Personen orkade inte; dottern företrädde henne."}),
        ),
        (1, "starta", json!({})),
    ] {
        let (status, answer) = api_step(&app, &callers, caller, &id, code, extra).await;
        assert_eq!(status, StatusCode::OK, "{code}: {answer}");
    }

    // A proposal says why and where the person turns next time; nothing is stored without it.
    let (status, refused) = api_step(
        &app,
        &callers,
        0,
        &id,
        "foresla-avslut",
        json!({"closure_reason": "Såren har läkt."}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused["error"]["fields"][0]["field"], "next_contact",
        "{refused}"
    );
    let proposal = json!({"closure_reason": "Såren har läkt.", "next_contact": "Vårdcentralen Örebro centrum, 019-602 00 00"});
    let (status, proposed) =
        api_step(&app, &callers, 0, &id, "foresla-avslut", proposal.clone()).await;
    assert_eq!(
        (status, proposed["state"].as_str()),
        (StatusCode::OK, Some("avslut_foreslaget"))
    );
    let file = current(&app, &callers[0], &id).await;
    assert_eq!(
        file["allowed_steps"],
        json!(["avboj-avslut"]),
        "the proposer cannot confirm"
    );

    // The proposer alone cannot close the case.
    let (status, alone) = api_step(&app, &callers, 0, &id, "bekrafta-avslut", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        alone.to_string().contains("Den andra parten ska bekräfta"),
        "{alone}"
    );

    // The other party declines, saying why: the care goes on.
    let (status, declined) = api_step(
        &app,
        &callers,
        1,
        &id,
        "avboj-avslut",
        json!({"note": "Nytt sår på vänster fot."}),
    )
    .await;
    assert_eq!(
        (status, declined["state"].as_str()),
        (StatusCode::OK, Some("pagaende"))
    );

    // Later the municipality proposes and the vårdcentral confirms: avslutad.
    let (status, _) = api_step(&app, &callers, 1, &id, "foresla-avslut", proposal).await;
    assert_eq!(status, StatusCode::OK);
    let (status, closed) = api_step(&app, &callers, 0, &id, "bekrafta-avslut", json!({})).await;
    assert_eq!(
        (status, closed["state"].as_str()),
        (StatusCode::OK, Some("avslutad"))
    );
    let file = current(&app, &callers[0], &id).await;
    let answers: Vec<&str> = file["closures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["answer"].as_str().unwrap())
        .collect();
    assert_eq!(answers, ["avbojt", "bekraftat"]);
    assert_eq!(file["joint_planning"]["form"], "digitalt");
    assert_eq!(file["joint_planning"]["person_took_part"], false);
    assert_eq!(
        file["closures"][0]["answer_note"],
        "Nytt sår på vänster fot."
    );
    assert!(
        file["decisions"][0]["confirmed_by"]
            .as_str()
            .is_some_and(|by| by.ends_with("Vårdcentralen Örebro centrum")),
        "{}",
        file["decisions"]
    );
    assert_eq!(
        file["closures"][1]["next_contact"],
        "Vårdcentralen Örebro centrum, 019-602 00 00"
    );

    // The case page tells each party where the case stands.
    assert_eq!(
        proposals_to_answer(&doctor.get("/att-gora").await.body),
        waiting - 1,
        "answered proposals leave the badge"
    );
    let page = doctor.get(&format!("/begaran/{id}")).await;
    assert!(page.body.contains("Vart personen vänder sig nästa gång"));
    assert!(page.body.contains("Bekräftat av"), "{}", page.body);
    assert!(page.body.contains("Nytt sår på vänster fot."));
}

/// A case the parties decided not to enroll and then closed: its FHIR `Task` is rejected, with
/// the reason the proposal gave as `statusReason`.
async fn a_closed_ej_inskriven_task_says_why(db: TestDb) {
    let app = app(db);
    let callers = callers(&app).await;
    let id = create_draft(&app, &callers[0], Track::PrimaryCare).await;
    let reason = json!({"reason": "Personen tar sig till vårdcentralen."});
    for (caller, code, body) in [
        (0, "skicka", json!({})),
        (1, "kvittera", json!({})),
        (1, "paborja-bedomning", json!({})),
        (1, "foresla-ej-inskriven", reason),
        (0, "bekrafta-beslut", json!({})),
        (0, "avsluta", json!({})),
    ] {
        let (status, answer) = api_step(&app, &callers, caller, &id, code, body).await;
        assert_eq!(status, StatusCode::OK, "{code}: {answer}");
    }
    let (status, task) = api(
        &app,
        Method::GET,
        &format!("/fhir/r4/Task/{id}"),
        Some(&callers[1].token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert_eq!(task["status"], "rejected", "{task}");
    assert_eq!(
        task["statusReason"]["text"],
        "Personen tar sig till vårdcentralen."
    );
    assert_eq!(task["businessStatus"]["coding"][0]["code"], "avslutad");
}

/// The next page's path from a `Link: <path>; rel="next"` header.
fn next_link(headers: &axum::http::HeaderMap) -> Option<String> {
    let link = headers.get("link")?.to_str().unwrap();
    assert!(link.ends_with("; rel=\"next\""), "{link}");
    Some(link.split(['<', '>']).nth(1).unwrap().to_owned())
}

/// The API and FHIR lists come a page at a time: following `next` gives every case once, the
/// total is counted over all pages, and a wrong page size or cursor is named.
async fn lists_come_a_page_at_a_time(db: TestDb) {
    let app = app(db);
    let token = api_token(&app, "sjukskoterska").await;
    let mut path = Some("/api/v1/requests?limit=7&order=newest".to_owned());
    let (mut ids, mut pages, mut total) = (Vec::new(), 0, 0);
    while let Some(current) = path {
        let (status, headers, list) =
            api_with_headers(&app, Method::GET, &current, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{current}: {list}");
        total = headers["x-total-count"].to_str().unwrap().parse().unwrap();
        let list = list.as_array().unwrap();
        assert!(list.len() <= 7);
        ids.extend(list.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        pages += 1;
        path = next_link(&headers);
        assert!(path.as_ref().is_none_or(|p| p.contains("order=newest")));
    }
    assert!(pages > 2, "the demo unit has more than two pages of 7");
    assert_eq!(ids.len(), total);
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), total, "no case on two pages");

    let (_, headers, skickad) = api_with_headers(
        &app,
        Method::GET,
        "/api/v1/requests?state=skickad&limit=200",
        Some(&token),
        None,
    )
    .await;
    let skickad = skickad.as_array().unwrap();
    assert!(skickad.iter().all(|c| c["state"] == "skickad"));
    assert_eq!(
        headers["x-total-count"].to_str().unwrap(),
        skickad.len().to_string()
    );

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("after=2~2026-01-01~x", "after"),
        ("state=klar", "state"),
        ("deadline=igar", "deadline"),
    ] {
        let (status, body) = api(
            &app,
            Method::GET,
            &format!("/api/v1/requests?{query}"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body.to_string().contains(field), "{query}: {body}");
    }

    let mut path = Some("/fhir/r4/ServiceRequest?_count=5".to_owned());
    let mut resources = 0;
    while let Some(current) = path {
        let (status, bundle) = api(&app, Method::GET, &current, Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{current}: {bundle}");
        resources += bundle["entry"].as_array().unwrap().len();
        path = bundle["link"]
            .as_array()
            .and_then(|links| links.iter().find(|l| l["relation"] == "next"))
            .map(|l| l["url"].as_str().unwrap().to_owned());
        if path.is_none() {
            assert!(bundle["total"].is_number());
        }
    }
    let drafts = ids.len() - resources;
    assert!(
        resources > 5 && drafts < ids.len(),
        "{resources} of {}",
        ids.len()
    );
    let (status, outcome) = api(
        &app,
        Method::GET,
        "/fhir/r4/ServiceRequest?_count=0",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(outcome["issue"][0]["expression"][0], "_count");
}
