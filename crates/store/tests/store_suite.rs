//! The store suite: every case runs against a real SQLite file and a real PostgreSQL database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use diesel::RunQueryDsl;
use jiff::Timestamp;
use jiff::civil::{Date, date};
use listing_suite::{
    a_unit_of_20_000_cases_lists_in_pages_of_50,
    pages_follow_the_most_pressing_of_several_deadlines,
    reads_are_logged_in_groups_before_they_are_shown,
};
use samsyn_domain::{
    AccessAction, AccessOutcome, Action, CareRequestInput, Completeness, IdentitySource, Party,
    Role, RuleSet, Side, Step, UnitKind,
};
use samsyn_store::access_log::{self, Actor, Filter};
use samsyn_store::case::listing;
use samsyn_store::case::requests as care_requests;
use samsyn_store::case::requests::Transition;
use samsyn_store::users::NewUser;
use samsyn_store::{Store, StoreError, demo, units, users};
use samsyn_testkit::{TestDb, on_both_engines};

const TODAY: Date = date(2026, 11, 20);

fn now() -> Timestamp {
    "2026-11-20T09:00:00Z".parse().unwrap()
}

fn rules() -> RuleSet {
    samsyn_testkit::shipped_rules()
}

/// Today's deadline dates for the lists.
fn horizon() -> listing::Horizon {
    let rules = rules();
    listing::Horizon {
        today: TODAY,
        due_soon_until: samsyn_domain::DeadlineStatus::due_soon_until(TODAY, &rules),
        follow_up_due_soon_until: samsyn_domain::care::follow_up::due_soon_until(
            TODAY,
            &rules.treatment_plan,
        ),
        discharge_plan_days_before: 0,
    }
}

/// The actor's unit's cases, as the first page of a list of up to 500.
fn unit_list(store: &Store, actor: &Actor) -> Vec<care_requests::CareRequest> {
    let horizon = horizon();
    let criteria = listing::Criteria {
        limit: 500,
        ..listing::Criteria::default()
    };
    access_log::LoggedReads::start(store)
        .unwrap()
        .read_logged(|conn| listing::page(conn, actor, &criteria, &horizon, now(), |_| true))
        .unwrap()
        .cases
}

struct World {
    store: Store,
    /// Reads of patient data on the store's readers, logged in groups.
    reads: access_log::LoggedReads,
    doctor: Actor,
    nurse: Actor,
    other_nurse: Actor,
}

fn world(db: &TestDb) -> World {
    let store = Store::open(&db.url).unwrap();
    store
        .transaction(|conn| {
            let orebro = Party::from_code("1880").unwrap();
            let kumla = Party::from_code("1881").unwrap();
            let vc = units::create(
                conn,
                "Vårdcentralen Test",
                UnitKind::HealthCentre,
                Party::Region,
                "019-1",
                now(),
            )?;
            let hsl = units::create(
                conn,
                "Hemsjukvården Örebro",
                UnitKind::MunicipalHealthCare,
                orebro,
                "019-2",
                now(),
            )?;
            let other = units::create(
                conn,
                "Hemsjukvården Kumla",
                UnitKind::MunicipalHealthCare,
                kumla,
                "019-3",
                now(),
            )?;
            let mut actor =
                |username: &str, role: Role, unit_id: &str| -> Result<Actor, StoreError> {
                    let user = users::create(
                        conn,
                        &NewUser {
                            username,
                            display_name: username,
                            role,
                            unit_id,
                            password_hash: Some("hash"),
                            is_demo: false,
                        },
                        now(),
                    )?;
                    Ok(Actor {
                        user_id: user.id,
                        unit_id: unit_id.to_owned(),
                        role,
                        // The doctor signs in with SITHS eID, the nurses with passwords.
                        identity_source: if role == Role::Doctor {
                            IdentitySource::Oidc
                        } else {
                            IdentitySource::Local
                        },
                    })
                };
            Ok(World {
                doctor: actor("doktor", Role::Doctor, &vc.id)?,
                nurse: actor("ssk", Role::Nurse, &hsl.id)?,
                other_nurse: actor("ssk.kumla", Role::Nurse, &other.id)?,
                reads: access_log::LoggedReads::start(&store)?,
                store: store.clone(),
            })
        })
        .unwrap()
}

fn input() -> CareRequestInput {
    CareRequestInput {
        personnummer: "19121212-1212".into(),
        patient_name: "Tolvan Tolvansson".into(),
        home_municipality: "1880".into(),
        situation: "Vill bo kvar hemma.".into(),
        background: "Hjärtsvikt.".into(),
        current_assessment: "Stabil.".into(),
        recommendation: "Viktkontroll.".into(),
        fixed_doctor_name: "Dr A".into(),
        fixed_doctor_phone: "019-602 10 00".into(),
        care_contact_name: "SSK B".into(),
        care_contact_phone: "019-602 10 01".into(),
        health_centre_name: "Vårdcentralen Test".into(),
        health_centre_phone: "019-602 10 02".into(),
        consent: "samtycke".into(),
        consent_given_by: "Personen själv".into(),
        consent_way: "muntligt".into(),
        consent_given_on: "2026-11-02".into(),
        ..Default::default()
    }
}

fn draft(w: &World) -> care_requests::CareRequest {
    let content = input()
        .validate(&rules(), TODAY, Completeness::ReadyToSend)
        .unwrap();
    let receiver = w.nurse.unit_id.clone();
    w.store
        .transaction(|conn| {
            care_requests::create_draft(
                conn,
                &w.doctor,
                &content,
                &receiver,
                "orebro-2025 v1",
                now(),
            )
        })
        .unwrap()
}

/// The actor's entries, newest first (the review itself shows denials first).
fn log_for(store: &Store, actor: &Actor) -> Vec<access_log::LoggedAccess> {
    let mut entries = store
        .transaction(|conn| {
            access_log::search(
                conn,
                &Filter {
                    user_id: Some(actor.user_id.clone()),
                    ..Filter::default()
                },
                &samsyn_store::access_log::PageAt::First,
                100,
            )
            .map(|page| page.entries)
        })
        .unwrap();
    entries.sort_by(|a, b| b.id.cmp(&a.id));
    entries
}

/// Opens the case as `actor` and takes one step through the domain's state machine.
fn take_step(
    w: &World,
    actor: &Actor,
    id: &str,
    action: Action,
    rules: &RuleSet,
) -> Result<care_requests::CareRequest, StoreError> {
    w.store.transaction(|conn| {
        let (current, relation) =
            care_requests::open(conn, actor, id, AccessAction::Update, now())?
                .ok_or(StoreError::NotFound)?;
        let step = Step {
            side: relation.side().ok_or(StoreError::NotFound)?,
            role: actor.role,
            now: now(),
            today: TODAY,
            user_id: &actor.user_id,
            rules,
            track: current.track.track(),
            parties: current.parties(),
        };
        let next = current
            .state
            .apply(action, &step)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let transition = Transition {
            action,
            today: TODAY,
            next: &next,
            new_unit: None,
            note: "",
            rule_set: &rules.reference(),
            planning_due: None,
        };
        care_requests::save_transition(conn, actor, &current, current.version, &transition, now())
    })
}

fn migrations_run_once(db: TestDb) {
    let store = Store::open(&db.url).unwrap();
    assert_eq!(store.migrate().unwrap(), 0, "a second run applies nothing");
    assert!(store.is_ready(std::time::Duration::from_secs(1)));
}

/// The first region to use a database keeps it: the same county passes under a new name, another
/// is returned as the region the database belongs to.
fn a_database_is_bound_to_its_first_region(db: TestDb) {
    use samsyn_store::meta::{OtherRegion, bind_region};
    let store = Store::open(&db.url).unwrap();
    let bind = |code: &str, name: &str| {
        store
            .transaction(|conn| bind_region(conn, code, name))
            .unwrap()
    };
    assert_eq!(bind("18", "Region Örebro län"), None);
    assert_eq!(bind("18", "Region Örebro län (ny version)"), None);
    assert_eq!(
        bind("99", "Region Exempel"),
        Some(OtherRegion {
            county_code: "18".into(),
            name: "Region Örebro län".into()
        })
    );
}

fn duplicate_username_is_refused(db: TestDb) {
    let w = world(&db);
    let result = w.store.transaction(|conn| {
        users::create(
            conn,
            &NewUser {
                username: "doktor",
                display_name: "x",
                role: Role::Doctor,
                unit_id: &w.doctor.unit_id,
                password_hash: Some("h"),
                is_demo: false,
            },
            now(),
        )
    });
    assert!(matches!(
        result,
        Err(StoreError::Duplicate("användarnamnet"))
    ));
}

fn request_lifecycle_is_stored_and_logged(db: TestDb) {
    let w = world(&db);
    let rules = rules();
    let request = draft(&w);
    assert_eq!(request.state.code(), "utkast");
    assert_eq!(request.patient.person_id.expose(), "191212121212");

    // The receiver does not see a draft: NotFound, and the denial is logged.
    let denied = w.store.transaction(|conn| {
        care_requests::open(conn, &w.nurse, &request.id, AccessAction::Read, now())
    });
    assert!(matches!(denied, Ok(None)));

    let sent = take_step(&w, &w.doctor, &request.id, Action::Send, &rules).unwrap();
    assert_eq!(
        sent.state.due(),
        Some(date(2026, 11, 23)),
        "Friday + 1 working day = Monday"
    );

    let inbox = unit_list(&w.store, &w.nurse);
    assert_eq!(inbox.len(), 1);

    let acknowledged = take_step(&w, &w.nurse, &request.id, Action::Acknowledge, &rules).unwrap();
    assert_eq!(acknowledged.state.code(), "kvitterad");
    assert_eq!(acknowledged.acknowledged_by_name.as_deref(), Some("ssk"));
    assert_eq!(acknowledged.version, 3);

    let nurse_log = log_for(&w.store, &w.nurse);
    let outcomes: Vec<(AccessAction, AccessOutcome)> = nurse_log
        .iter()
        .rev()
        .map(|e| (e.action, e.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            (AccessAction::Read, AccessOutcome::Denied),
            (AccessAction::List, AccessOutcome::Allowed),
            (AccessAction::Read, AccessOutcome::Allowed),
            (AccessAction::Update, AccessOutcome::Allowed),
        ]
    );
    assert!(
        nurse_log
            .iter()
            .all(|e| e.patient.as_ref().map(|p| p.1.as_str()) == Some("Tolvan Tolvansson"))
    );

    // Another municipality's nurse gets NotFound, logged as a denial with the patient.
    let other = w.store.transaction(|conn| {
        care_requests::open(conn, &w.other_nurse, &request.id, AccessAction::Read, now())
    });
    assert!(matches!(other, Ok(None)));
    let other_log = log_for(&w.store, &w.other_nurse);
    assert_eq!(other_log.len(), 1);
    assert_eq!(other_log[0].outcome, AccessOutcome::Denied);
    assert!(other_log[0].patient.is_some());
}

fn stale_version_is_a_conflict(db: TestDb) {
    let w = world(&db);
    let rules = rules();
    let request = draft(&w);
    let next = request
        .state
        .apply(
            Action::Send,
            &Step {
                side: Side::Sender,
                role: Role::Doctor,
                now: now(),
                today: TODAY,
                user_id: "x",
                rules: &rules,
                track: request.track.track(),
                parties: request.parties(),
            },
        )
        .unwrap();
    let transition = Transition {
        action: Action::Send,
        today: TODAY,
        next: &next,
        new_unit: None,
        note: "",
        rule_set: "orebro-2025 v1",
        planning_due: None,
    };
    w.store
        .transaction(|conn| {
            care_requests::save_transition(conn, &w.doctor, &request, 1, &transition, now())
        })
        .unwrap();
    let stale = w.store.transaction(|conn| {
        care_requests::save_transition(conn, &w.doctor, &request, 1, &transition, now())
    });
    assert!(matches!(stale, Err(StoreError::Conflict)));
}

fn failed_transaction_writes_nothing(db: TestDb) {
    let w = world(&db);
    let content = input()
        .validate(&rules(), TODAY, Completeness::Draft)
        .unwrap();
    let result: Result<(), StoreError> = w.store.transaction(|conn| {
        care_requests::create_draft(conn, &w.doctor, &content, &w.nurse.unit_id, "r", now())?;
        Err(StoreError::Conflict)
    });
    assert!(result.is_err());
    let listed = unit_list(&w.store, &w.doctor);
    assert!(
        listed.is_empty(),
        "the draft and its patient were rolled back"
    );
    assert!(
        log_for(&w.store, &w.doctor).len() == listed.len(),
        "no access-log entry survived either"
    );
}

fn access_log_refuses_update_and_delete(db: TestDb) {
    let w = world(&db);
    draft(&w);
    for statement in [
        "UPDATE access_log SET outcome = 'denied'",
        "DELETE FROM access_log",
    ] {
        let result = w
            .store
            .transaction(|conn| Ok(diesel::sql_query(statement).execute(conn)?));
        assert!(result.is_err(), "{statement} must fail");
    }
    assert_eq!(
        log_for(&w.store, &w.doctor).len(),
        2,
        "the person and the case were created"
    );
}

fn admin_log_is_append_only(db: TestDb) {
    let w = world(&db);
    let change = samsyn_store::admin_log::AdminChange {
        at: now(),
        actor: "administrator".into(),
        party: Party::Region,
        action: "inaktiverade".into(),
        subject: "användare ssk".into(),
        detail: String::new(),
    };
    w.store
        .transaction(|conn| samsyn_store::admin_log::record(conn, &change))
        .unwrap();
    for statement in [
        "UPDATE admin_log SET actor = 'någon annan'",
        "DELETE FROM admin_log",
    ] {
        let result = w
            .store
            .transaction(|conn| Ok(diesel::sql_query(statement).execute(conn)?));
        assert!(result.is_err(), "{statement} must fail");
    }
    let kept = w
        .store
        .transaction(|conn| samsyn_store::admin_log::recent(conn, Party::Region, 10))
        .unwrap();
    assert_eq!(kept, vec![change]);
}

/// The demo's log (nödåtkomst, denials, many entries in one moment) read a page at a time
/// forward and then back again is the log read in one go, in the review's order.
fn the_log_review_pages_by_position_both_ways(db: TestDb) {
    use samsyn_store::access_log::{PageAt, Position};
    let store = Store::open(&db.url).unwrap();
    demo::create(&store, &rules(), demo::DEFAULT_SEED, "hash", now(), TODAY).unwrap();
    let everything = Filter::default();
    let page = |at: &PageAt, limit| {
        store
            .transaction(|conn| access_log::search(conn, &everything, at, limit))
            .unwrap()
    };
    let whole = page(&PageAt::First, 1_000_000);
    let ids = |entries: &[access_log::LoggedAccess]| -> Vec<String> {
        entries.iter().map(|e| e.id.clone()).collect()
    };
    let all = ids(&whole.entries);
    assert_eq!(all.len() as i64, whole.total);
    assert!(whole.next.is_none() && whole.previous.is_none());
    assert!(
        whole.entries[0].emergency_reason.is_some(),
        "nödåtkomst comes first"
    );
    assert!(
        whole
            .entries
            .iter()
            .any(|e| e.emergency_reason.is_none()
                && e.outcome == samsyn_domain::AccessOutcome::Denied)
    );
    let limit = 47;
    let mut forward = Vec::new();
    let mut pages = Vec::new();
    let mut at = PageAt::First;
    loop {
        let found = page(&at, limit);
        assert!(found.entries.len() as i64 <= limit);
        assert_eq!(found.total, whole.total);
        assert_eq!(found.previous.is_some(), !pages.is_empty());
        forward.extend(ids(&found.entries));
        pages.push(ids(&found.entries));
        match found.next {
            Some(next) => {
                let link = Position::parse(&next.encode()).unwrap();
                assert_eq!(link, next, "a position survives its link");
                at = PageAt::After(link);
            }
            None => break,
        }
    }
    assert_eq!(
        forward, all,
        "forward pages hold every entry once, in order"
    );
    assert!(pages.len() > 3, "{} pages", pages.len());
    let last = page(&PageAt::After(Position::parse("0~0~0~0").unwrap()), limit);
    assert!(last.entries.is_empty() && last.next.is_none());
    let mut backward = pages.last().cloned().unwrap();
    let mut before = {
        let found = page(&at, limit);
        found.previous.unwrap()
    };
    for expected in pages.iter().rev().skip(1) {
        let found = page(&PageAt::Before(before.clone()), limit);
        assert_eq!(
            &ids(&found.entries),
            expected,
            "a page back is the page before"
        );
        assert!(found.next.is_some());
        backward.splice(0..0, ids(&found.entries));
        match found.previous {
            Some(previous) => before = previous,
            None => break,
        }
    }
    assert_eq!(
        backward, all,
        "backward pages hold every entry once, in order"
    );
    assert!(Position::parse("2~0~1~x").is_none() && Position::parse("1~0~x~id").is_none());
}

fn demo_county_is_deterministic(db: TestDb) {
    let store = Store::open(&db.url).unwrap();
    let logins = demo::create(&store, &rules(), demo::DEFAULT_SEED, "hash", now(), TODAY).unwrap();
    assert!(
        logins
            .iter()
            .any(|l| l.username == "lakare" && l.role == Role::Doctor)
    );
    for role in Role::ALL {
        assert!(
            logins.iter().any(|l| l.role == role),
            "a demo user with role {}",
            role.label()
        );
    }
    assert_eq!(
        store
            .transaction(samsyn_store::case::list_entries::out_of_step)
            .unwrap(),
        0,
        "every write of the demo keeps the case list in step with its cases"
    );
    let (migrations, drop_counting) = match store.engine() {
        samsyn_store::Engine::Sqlite => (
            [
                include_str!("../migrations/sqlite/2026-12-15-100000_case_list_entries/up.sql"),
                include_str!("../migrations/sqlite/2026-12-17-100000_case_list_counts/up.sql"),
            ],
            "",
        ),
        samsyn_store::Engine::Postgres => (
            [
                include_str!("../migrations/postgres/2026-12-15-100000_case_list_entries/up.sql"),
                include_str!("../migrations/postgres/2026-12-17-100000_case_list_counts/up.sql"),
            ],
            "DROP FUNCTION case_list_counts_apply();",
        ),
    };
    let refilled = store
        .transaction(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute(&format!(
                "DROP TABLE case_list_entries; {drop_counting} DROP TABLE case_list_counts; {}",
                migrations.concat()
            ))?;
            samsyn_store::case::list_entries::out_of_step(conn)
        })
        .unwrap();
    assert_eq!(
        refilled, 0,
        "the case list's migrations fill it and its counters from the cases already there"
    );
    let again = demo::create(&store, &rules(), demo::DEFAULT_SEED, "hash", now(), TODAY);
    assert!(
        matches!(again, Err(StoreError::Duplicate(_))),
        "demo data goes only into an empty database"
    );

    let second = samsyn_testkit::sqlite();
    let other = Store::open(&second.url).unwrap();
    demo::create(&other, &rules(), demo::DEFAULT_SEED, "hash", now(), TODAY).unwrap();
    #[derive(diesel::QueryableByName, PartialEq, Debug)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        personnummer: String,
    }
    let numbers = |s: &Store| {
        s.transaction(|conn| {
            Ok(
                diesel::sql_query("SELECT personnummer FROM patients ORDER BY personnummer")
                    .load::<Row>(conn)?,
            )
        })
        .unwrap()
    };
    let first = numbers(&store);
    assert_eq!(
        first.len(),
        300 + 23 + 2,
        "300 persons, 8 on each of three tracks (one of them also on track 1), and 2 who phoned the rehab team"
    );
    assert_eq!(first, numbers(&other));

    let states = |s: &Store| {
        s.transaction(|conn| {
            #[derive(diesel::QueryableByName)]
            struct State {
                #[diesel(sql_type = diesel::sql_types::Text)]
                state: String,
                #[diesel(sql_type = diesel::sql_types::Text)]
                track: String,
            }
            Ok(diesel::sql_query("SELECT state, track FROM care_requests").load::<State>(conn)?)
        })
        .unwrap()
        .into_iter()
        .map(|s| (s.track, s.state))
        .collect::<Vec<_>>()
    };
    let all = states(&store);
    for state in ["utkast", "skickad", "kvitterad"] {
        assert!(
            all.iter().filter(|(_, s)| s == state).count() >= 10,
            "demo has requests in state {state}"
        );
    }
    // Every track in every state from sent to closed (the database keeps a proposed decision
    // as under_bedomning and a proposed avslut as pagaende, with the proposal beside them).
    for track in [
        "primarvard",
        "specialiserad",
        "utskrivning",
        "rehabilitering",
    ] {
        for state in [
            "skickad",
            "under_bedomning",
            "planerad",
            "pagaende",
            "avslutad",
        ] {
            assert!(
                all.iter().any(|(t, s)| t == track && s == state),
                "demo has a {track} case in state {state}"
            );
        }
    }
    // The rehab team's own egenvårdsbegäran: one to decide, one in care.
    let own: Vec<String> = store
        .transaction(|conn| {
            #[derive(diesel::QueryableByName)]
            struct State {
                #[diesel(sql_type = diesel::sql_types::Text)]
                state: String,
            }
            Ok(diesel::sql_query(
                "SELECT state FROM care_requests WHERE sender_unit_id = receiver_unit_id ORDER BY state",
            )
            .load::<State>(conn)?)
        })
        .unwrap()
        .into_iter()
        .map(|s| s.state)
        .collect();
    assert_eq!(own, ["pagaende", "under_bedomning"]);
}

fn measurement_import_is_all_or_nothing_and_holds_no_personnummer(db: TestDb) {
    use samsyn_domain::measurement::{Period, measure};
    use samsyn_store::measurement::pseudonym::PseudonymKey;
    use samsyn_store::measurement::{self, FileKind, ImportOutcome};
    let store = Store::open(&db.url).unwrap();
    let rules = rules();
    let files = samsyn_store::demo::measurement_files::reproducing(
        rules.data.published_measurement("2025-10").unwrap(),
        &rules.reserve_number,
    );
    let key = PseudonymKey::new(&[1u8; 32]).unwrap();
    let persons = measurement::PersonReading {
        key: &key,
        reserve: &rules.reserve_number,
        today: TODAY,
    };
    let import = |kind, name: &str, text: &str| {
        store
            .transaction(|conn| measurement::import_file(conn, kind, name, text, &persons, now()))
            .unwrap()
    };
    let first = import(FileKind::Activities, "aktiviteter.csv", &files.activities).unwrap();
    assert!(matches!(first, ImportOutcome::Imported { rows } if rows > 3947));
    assert_eq!(
        import(FileKind::Activities, "samma.csv", &files.activities).unwrap(),
        ImportOutcome::AlreadyImported
    );
    let bad = format!(
        "{}1880;191212121212;2025-10-01;DT021;XS919;abc;N\n",
        files.activities
    );
    let errors = import(FileKind::Activities, "trasig.csv", &bad).unwrap_err();
    assert_eq!(errors[0].file, "trasig.csv");
    assert!(errors[0].line > 1);
    assert_eq!(
        store.transaction(measurement::files).unwrap().len(),
        1,
        "the bad file stored nothing"
    );
    import(
        FileKind::Enrollments,
        "inskrivningar.csv",
        &files.enrollments,
    )
    .unwrap();

    let period = Period::month("2025-10").unwrap();
    let activities = store
        .transaction(|conn| measurement::activities_in(conn, period))
        .unwrap();
    let enrollments = store
        .transaction(|conn| measurement::enrollments_overlapping(conn, period))
        .unwrap();
    let result = measure(period, &activities, &enrollments, &rules.measurement);
    assert_eq!(
        result
            .municipalities
            .iter()
            .map(|m| m.patients)
            .sum::<u64>(),
        3947
    );

    #[derive(diesel::QueryableByName)]
    struct Cell {
        #[diesel(sql_type = diesel::sql_types::Text)]
        text: String,
    }
    let stored: Vec<String> = store
        .transaction(|conn| {
            let mut all = Vec::new();
            for query in [
                "SELECT person || ';' || municipality || ';' || day || ';' || code AS text FROM measurement_activities",
                "SELECT person || ';' || enrolled_from AS text FROM measurement_enrollments",
                "SELECT filename || ';' || sha256 AS text FROM measurement_files",
                "SELECT person || ';' || category AS text FROM measurement_assessments",
            ] {
                all.extend(diesel::sql_query(query).load::<Cell>(conn)?.into_iter().map(|c| c.text));
            }
            Ok(all)
        })
        .unwrap();
    let numbers: Vec<&str> = files
        .activities
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').nth(1))
        .collect();
    assert!(numbers.len() > 3947);
    let haystack = stored.join("\n");
    for number in numbers.iter().step_by(7) {
        assert!(
            !haystack.contains(number),
            "a personnummer is stored in a measurement table"
        );
    }

    // The month's result is stored when refreshed after an import, and is used only under the
    // rule set and the files it was computed from.
    use samsyn_store::measurement::results;
    let stored = |rules: &samsyn_domain::RuleSet| {
        store
            .transaction(|conn| results::stored(conn, period, rules))
            .unwrap()
    };
    assert_eq!(stored(&rules), None, "nothing stored before a refresh");
    store
        .transaction(|conn| results::refresh(conn, &rules, now()))
        .unwrap();
    assert_eq!(stored(&rules), Some(result.clone()));
    let next_version = samsyn_domain::RuleSet {
        version: rules.version + 1,
        ..rules.clone()
    };
    assert_eq!(stored(&next_version), None, "another rule set's result");
    let one_more = format!(
        "{}1880;201701012393;2025-10-01;;ordinärt;N\n",
        files.enrollments
    );
    import(FileKind::Enrollments, "fler-inskrivningar.csv", &one_more).unwrap();
    assert_eq!(stored(&rules), None, "the files changed since");
    assert_eq!(
        store
            .transaction(|conn| results::measured(conn, period, &rules))
            .unwrap(),
        result,
        "measured again from the stored rows"
    );
}

#[path = "store_suite/listing_suite.rs"]
mod listing_suite;

on_both_engines!(
    a_unit_of_20_000_cases_lists_in_pages_of_50,
    pages_follow_the_most_pressing_of_several_deadlines,
    reads_are_logged_in_groups_before_they_are_shown,
    admin_log_is_append_only,
    development_items_are_decided_once_per_party,
    decided_additional_amount_is_locked_and_corrected_by_a_new_version,
    scenarios_pot_decisions_and_inputs_are_kept,
    measurement_import_is_all_or_nothing_and_holds_no_personnummer,
    migrations_run_once,
    a_database_is_bound_to_its_first_region,
    duplicate_username_is_refused,
    request_lifecycle_is_stored_and_logged,
    stale_version_is_a_conflict,
    failed_transaction_writes_nothing,
    access_log_refuses_update_and_delete,
    tampering_with_the_access_log_is_found,
    demo_county_is_deterministic,
    the_log_review_pages_by_position_both_ways,
    own_plans_show_her_fastställd_plan_and_record_each_view,
    a_disagreement_ladder_is_stored_step_by_step,
    a_deviation_is_seen_by_its_two_parties_and_detected_once,
);

/// A deviation between the region and Örebro is opened by them and by no third party; a step
/// at a stale version is refused; Samsyn proposes a late kvittens once however often it looks.
fn a_deviation_is_seen_by_its_two_parties_and_detected_once(db: TestDb) {
    use samsyn_domain::deviation::{Answer, Report, Status};
    use samsyn_store::deviation::{self, NewDeviation, StepRecord, detection};
    let w = world(&db);
    let case = draft(&w);
    take_step(&w, &w.doctor, &case.id, Action::Send, &rules()).unwrap();
    let report = Report {
        kind: "plan-saknas".into(),
        occurred_on: date(2026, 11, 19),
        description: "Planen fanns inte vid första besöket.".into(),
    };
    let orebro = Party::from_code("1880").unwrap();
    let kumla = Party::from_code("1881").unwrap();
    let (opened, hidden, listed) = w
        .store
        .transaction(|conn| {
            let id = deviation::report(
                conn,
                &w.nurse,
                &NewDeviation {
                    report: &report,
                    case_id: Some(&case.id),
                    addressed_unit_id: &w.doctor.unit_id,
                    answer_due: date(2026, 12, 4),
                },
                now(),
            )?;
            let opened = deviation::open(conn, &w.doctor, &id, &Party::Region, now())?;
            let hidden = deviation::open(conn, &w.other_nurse, &id, &kumla, now())?;
            let listed = deviation::of_party(conn, &w.nurse, &orebro, now())?;
            Ok((opened, hidden, listed))
        })
        .unwrap();
    let opened = opened.expect("the addressed party opens it");
    assert!(hidden.is_none(), "a third party does not");
    assert_eq!(listed.len(), 1);
    assert_eq!(opened.status, Status::Reported);
    assert_eq!(opened.reporting_unit, "Hemsjukvården Örebro");
    let answer = Answer::parse("Planen skrevs dagen efter.", "Rutinen ses över.").unwrap();
    let answered = w.store.transaction(|conn| {
        deviation::record_step(
            conn,
            &w.doctor,
            &opened,
            Status::Answered,
            &StepRecord::Answered(&answer),
            now(),
        )?;
        let stale = deviation::record_step(
            conn,
            &w.doctor,
            &opened,
            Status::Answered,
            &StepRecord::Answered(&answer),
            now(),
        );
        assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
        deviation::open(conn, &w.nurse, &opened.id, &orebro, now())
    });
    let answered = answered.unwrap().unwrap();
    assert_eq!(answered.answered_by.as_deref(), Some("doktor"));
    assert_eq!(answered.measures, "Rutinen ses över.");
    assert!(
        log_for(&w.store, &w.doctor)
            .iter()
            .any(|e| e.object_type == deviation::OBJECT_TYPE),
        "reading a deviation is logged"
    );

    let later = date(2026, 11, 30);
    let (first, second, year) = w
        .store
        .transaction(|conn| {
            let first = detection::propose_new(conn, &rules(), later, now())?;
            let second = detection::propose_new(conn, &rules(), later, now())?;
            let year = deviation::reported_between(
                conn,
                "2026-01-01T00:00:00Z".parse().unwrap(),
                "2027-01-01T00:00:00Z".parse().unwrap(),
            )?;
            Ok((first, second, year))
        })
        .unwrap();
    assert_eq!(first, 1, "the unacknowledged case's kvittens is late");
    assert_eq!(second, 0, "proposed once");
    let proposed = year.iter().find(|d| d.detected).unwrap();
    assert_eq!(proposed.status, Status::Proposed);
    assert_eq!(proposed.kind, "kvittens-sen");
    assert_eq!(proposed.addressed_unit_id, w.nurse.unit_id);
    assert_eq!(year.len(), 2);
}

/// An oenighet's ladder goes into the store and comes back the same, each step with who was
/// asked, what it came to and the confirmation; a later save replaces it whole.
fn a_disagreement_ladder_is_stored_step_by_step(db: TestDb) {
    use samsyn_domain::disagreement::{Ladder, Level, Outcome};
    use samsyn_store::disagreement::{ladder, record};
    let w = world(&db);
    let case = draft(&w);
    let on = date(2026, 11, 2);
    let mut climbed = Ladder::open("Enhetschef VC", "Enhetschef HSL", on).unwrap();
    climbed
        .record(
            Side::Sender,
            on,
            Outcome::NotAgreed {
                why: "Olika tolkning av samordningsbehovet.".into(),
            },
        )
        .unwrap();
    climbed
        .escalate(
            Level::EconomicMandate,
            "Verksamhetschef VC",
            "Områdeschef",
            on,
            &rules().disagreement,
        )
        .unwrap();
    climbed
        .record(Side::Receiver, date(2026, 11, 4), Outcome::NoCostsInvolved)
        .unwrap();
    climbed
        .escalate(
            Level::ManagementLine,
            "Primärvårdschef",
            "Socialchef",
            on,
            &rules().disagreement,
        )
        .unwrap();
    climbed
        .record(
            Side::Receiver,
            on,
            Outcome::Agreed {
                who_does_what: "Kommunen ger injektionerna.".into(),
            },
        )
        .unwrap();
    climbed.confirm(Side::Sender, date(2026, 11, 9)).unwrap();
    let stored = w
        .store
        .transaction(|conn| {
            let id = record::open(
                conn,
                &w.doctor,
                &case.id,
                "Vem ger injektionerna?",
                "Vårdcentralen ger injektionerna tills oenigheten är löst.",
                &Ladder::open("Enhetschef VC", "Enhetschef HSL", on).unwrap(),
                now(),
            )?;
            let opened = record::get(conn, &id)?;
            record::save_ladder(conn, &w.doctor, &opened, &climbed, "Steg", now())?;
            let stale = record::save_ladder(conn, &w.doctor, &opened, &climbed, "Steg", now());
            assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
            let first = ladder::load(conn, &id)?;
            let resolved = record::get(conn, &id)?;
            ladder::save(conn, &id, &Ladder::open("A", "B", on).unwrap())?;
            let replaced = ladder::load(conn, &id)?;
            let none = ladder::load(conn, "no-such-disagreement")?;
            Ok((first, replaced, none, resolved))
        })
        .unwrap();
    assert!(
        stored.3.resolved_at.is_some(),
        "a resolved ladder resolves it"
    );
    assert_eq!(stored.3.version, 1);
    assert!(stored.3.interim_arrangement.starts_with("Vårdcentralen"));
    assert_eq!(stored.0.as_ref(), Some(&climbed));
    assert!(stored.0.unwrap().is_resolved());
    assert_eq!(stored.1.map(|l| l.rungs().len()), Some(1));
    assert_eq!(stored.2, None);
}

/// Min sida: the demo's invånare sees her fastställd behandlingsplan, only hers, and every view
/// and print is recorded.
fn own_plans_show_her_fastställd_plan_and_record_each_view(db: TestDb) {
    use samsyn_domain::{AccessAction, PersonId};
    use samsyn_store::care::own_plans;
    let store = Store::open(&db.url).unwrap();
    demo::create(&store, &rules(), demo::DEFAULT_SEED, "hash", now(), TODAY).unwrap();
    let ingrid = PersonId::parse("20030606-2381", &rules().reserve_number, TODAY).unwrap();
    let views = |store: &Store| -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        store
            .transaction(|conn| {
                Ok(
                    diesel::sql_query("SELECT COUNT(*) AS n FROM own_page_views")
                        .get_result::<Count>(conn)?,
                )
            })
            .unwrap()
            .n
    };
    let plans = store
        .transaction(|conn| own_plans::for_person(conn, &ingrid, None, AccessAction::Read, now()))
        .unwrap();
    assert_eq!(plans.len(), 1);
    assert!(plans[0].version.established_at.is_some());
    assert_eq!(views(&store), 1);
    let printed = store
        .transaction(|conn| {
            own_plans::for_person(
                conn,
                &ingrid,
                Some(&plans[0].case_id),
                AccessAction::Print,
                now(),
            )
        })
        .unwrap();
    assert_eq!(printed.len(), 1);
    assert_eq!(views(&store), 2);
    let someone_elses = store
        .transaction(|conn| {
            own_plans::for_person(
                conn,
                &ingrid,
                Some("finns-inte"),
                AccessAction::Print,
                now(),
            )
        })
        .unwrap();
    assert!(someone_elses.is_empty());
    assert_eq!(views(&store), 2);

    // Her rehabilitation too: the latest version of the rehab team's plan, recorded as viewed.
    let rehab = store
        .transaction(|conn| own_plans::rehab_for_person(conn, &ingrid, now()))
        .unwrap();
    assert_eq!(rehab.len(), 1);
    assert_eq!(rehab[0].plan.version, 2);
    assert_eq!(rehab[0].team, "Rehabteamet Örebro");
    assert_eq!(views(&store), 3);
}

fn decided_additional_amount_is_locked_and_corrected_by_a_new_version(db: TestDb) {
    use samsyn_domain::additional_amount::decision::{DecisionStatus, Refusal};
    use samsyn_store::additional_amount::{self as aa, NewVersion};
    let w = world(&db);
    let user = w.doctor.user_id.clone();
    let new = |statement: &'static str| NewVersion {
        year: 2026,
        rules: "orebro-2025@1",
        statement,
        user_id: &user,
    };
    let id = w
        .store
        .transaction(|c| aa::create_draft(c, &new(r#"{"total":1}"#), now()))
        .unwrap();
    let again = w
        .store
        .transaction(|c| aa::create_draft(c, &new(r#"{"total":1}"#), now()));
    assert!(matches!(
        again,
        Err(StoreError::Refused(Refusal::OpenVersionExists {
            version: 1
        }))
    ));
    w.store
        .transaction(|c| aa::recompute(c, &id, r#"{"total":2}"#, "orebro-2025@1", now()))
        .unwrap();
    for to in [DecisionStatus::Presented, DecisionStatus::Decided] {
        w.store
            .transaction(|c| aa::advance(c, &id, to, &user, None, now()))
            .unwrap();
    }
    let refused = w
        .store
        .transaction(|c| aa::recompute(c, &id, r#"{"total":3}"#, "orebro-2025@1", now()))
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("är beslutad och kan inte ändras"),
        "{refused}"
    );
    for statement in [
        "UPDATE additional_amount_versions SET statement = '{}'",
        "UPDATE additional_amount_versions SET status = 'utkast'",
        "DELETE FROM additional_amount_versions",
        "UPDATE additional_amount_events SET at = 0",
        "DELETE FROM additional_amount_events",
    ] {
        let result = w
            .store
            .transaction(|conn| Ok(diesel::sql_query(statement).execute(conn)?));
        assert!(
            result.is_err(),
            "{statement} must be refused by the database"
        );
    }
    w.store
        .transaction(|c| aa::advance(c, &id, DecisionStatus::PaymentBasis, &user, None, now()))
        .unwrap();
    let no_reason = w
        .store
        .transaction(|c| aa::correct(c, &id, " ", &new(r#"{"total":4}"#), now()));
    assert!(matches!(
        no_reason,
        Err(StoreError::Refused(Refusal::ReasonMissing))
    ));
    let fixed = w
        .store
        .transaction(|c| aa::correct(c, &id, "Fel befolkningsår", &new(r#"{"total":4}"#), now()))
        .unwrap();
    let (old, correction, versions) = w
        .store
        .transaction(|c| {
            Ok((
                aa::version(c, &id)?,
                aa::version(c, &fixed)?,
                aa::versions_of(c, 2026)?,
            ))
        })
        .unwrap();
    assert_eq!(
        old.statement, r#"{"total":2}"#,
        "the decided statement is unchanged"
    );
    assert_eq!(old.summary.status, DecisionStatus::PaymentBasis);
    assert_eq!(
        old.events.iter().map(|e| e.status).collect::<Vec<_>>(),
        DecisionStatus::ALL
    );
    assert_eq!(correction.summary.version, 2);
    assert_eq!(correction.summary.corrects.as_deref(), Some(id.as_str()));
    assert_eq!(
        correction.summary.reason.as_deref(),
        Some("Fel befolkningsår")
    );
    assert_eq!(versions.len(), 2);
    let in_force = w.store.transaction(aa::in_force).unwrap();
    assert_eq!(in_force.len(), 1);
    assert_eq!(
        in_force[0].summary.id, id,
        "the correction is not decided yet"
    );
}

fn scenarios_pot_decisions_and_inputs_are_kept(db: TestDb) {
    use samsyn_store::additional_amount::{self as aa, InputKind, NewPotDecision};
    let w = world(&db);
    let user = w.doctor.user_id.clone();
    w.store
        .transaction(|c| {
            aa::save_scenario(
                c,
                2026,
                "Högre tröskel",
                r#"{"threshold_km":"40"}"#,
                &user,
                now(),
            )
        })
        .unwrap();
    let duplicate = w
        .store
        .transaction(|c| aa::save_scenario(c, 2026, " Högre tröskel ", "{}", &user, now()));
    assert!(matches!(duplicate, Err(StoreError::Duplicate(_))));
    let saved = w.store.transaction(|c| aa::scenarios_of(c, 2026)).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].parameters, r#"{"threshold_km":"40"}"#);

    for (amount, at) in [
        ("5490258", now()),
        ("5500000.50", now() + jiff::SignedDuration::from_secs(60)),
    ] {
        w.store
            .transaction(|c| {
                aa::decide_pot(
                    c,
                    &NewPotDecision {
                        year: 2026,
                        pot: "avancerad",
                        amount: amount.parse().unwrap(),
                        note: "Beslut i ledningsgruppen",
                        user_id: &user,
                    },
                    at,
                )
            })
            .unwrap();
    }
    let decisions = w.store.transaction(aa::pot_decisions).unwrap();
    assert_eq!(
        decisions.len(),
        1,
        "the newest decision per pot is in force"
    );
    assert_eq!(decisions[0].amount.to_string(), "5500000.50");

    let import = |content: &'static str, hash: &'static str| {
        w.store.transaction(|c| {
            aa::import_input(
                c,
                InputKind::Growth,
                "utveckling.csv",
                hash,
                content,
                &user,
                now(),
            )
        })
    };
    assert_eq!(import("ar;faktor;kalla\n2027;1.03;SKR\n", "a").unwrap(), 1);
    assert_eq!(
        import("ar;faktor;kalla\n2027;1.03;SKR\n", "a").unwrap(),
        1,
        "same content, same version"
    );
    assert_eq!(import("ar;faktor;kalla\n2027;1.04;SKR\n", "b").unwrap(), 2);
    let ljusnarsberg = samsyn_domain::MunicipalityCode::parse("1864").unwrap();
    let degerfors = samsyn_domain::MunicipalityCode::parse("1862").unwrap();
    for (code, eligible) in [
        (ljusnarsberg, Some(true)),
        (degerfors, Some(false)),
        (ljusnarsberg, None),
    ] {
        w.store
            .transaction(|c| {
                aa::record_override(c, code, eligible, "Regionstyrelsen § 7", &user, now())
            })
            .unwrap();
    }
    let overrides = w.store.transaction(aa::overrides_in_force).unwrap();
    assert_eq!(
        overrides.len(),
        1,
        "Ljusnarsberg is back to the computed distance"
    );
    assert_eq!(overrides[0].municipality, degerfors);
    assert_eq!(overrides[0].eligible, Some(false));
    w.store
        .transaction(|c| {
            aa::import_input(
                c,
                InputKind::RoadDistances,
                "vag.csv",
                "c",
                "kommunkod;sjukhus;km\n",
                &user,
                now(),
            )
        })
        .unwrap();
    let current = w.store.transaction(aa::current_inputs).unwrap();
    assert_eq!(current.len(), 2);
    assert_eq!(current[1].kind, InputKind::RoadDistances);
    assert_eq!(current[0].kind, InputKind::Growth);
    assert_eq!(current[0].version, 2);
    assert!(current[0].content.contains("1.04"));
}

fn development_items_are_decided_once_per_party(db: TestDb) {
    use samsyn_domain::development_budget::{BudgetItem, Financing, MunicipalKey, PartyDecision};
    use samsyn_store::development_budget as budget;
    let w = world(&db);
    let user = w.doctor.user_id.clone();
    let item = BudgetItem {
        year: 2026,
        title: "Gemensam utbildning i palliativ vård".into(),
        amount: rust_decimal::Decimal::from(1_200_000),
        financing: Financing::StateGrant,
        region_percent: "62.5".parse().unwrap(),
        municipal_key: MunicipalKey::Equal,
    };
    let id = w
        .store
        .transaction(|c| budget::add_item(c, &item, &user, now()))
        .unwrap();
    let kumla = Party::from_code("1881").unwrap();
    for party in [Party::Region, kumla] {
        w.store
            .transaction(|c| {
                budget::decide(
                    c,
                    &id,
                    party,
                    PartyDecision::Approved,
                    "KS 2026-12-01 § 3",
                    &user,
                    now(),
                )
            })
            .unwrap();
    }
    let twice = w
        .store
        .transaction(|c| budget::decide(c, &id, kumla, PartyDecision::Declined, "", &user, now()));
    assert!(matches!(twice, Err(StoreError::Duplicate(_))));
    let (stored, decisions, years) = w
        .store
        .transaction(|c| {
            Ok((
                budget::item(c, &id)?,
                budget::decisions_on(c, &id)?,
                budget::years(c)?,
            ))
        })
        .unwrap();
    assert_eq!(stored.item, item);
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[1].party, kumla);
    assert_eq!(years, [2026]);
}

/// The two migration folders must describe the same tables, columns and nullability.
/// The SQLite file holds patient data: it and its `-wal` and `-shm` files are the owner's only,
/// and a file made readable by others is tightened when Samsyn opens it.
#[test]
fn the_sqlite_file_is_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let db = samsyn_testkit::sqlite();
    let path = db.url.trim_start_matches("sqlite://").to_owned();
    let mode = |suffix: &str| {
        std::fs::metadata(format!("{path}{suffix}"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let store = Store::open(&db.url).unwrap();
    store.transaction(units::list).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(mode(suffix), 0o600, "samsyn-test.db{suffix}");
    }
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(&db.url).unwrap();
    assert_eq!(mode(""), 0o600, "tightened when opened");
}

#[test]
fn sqlite_and_postgres_schemas_are_equivalent() {
    let sqlite = Store::open(&samsyn_testkit::sqlite().url).unwrap();
    let pg_db = samsyn_testkit::postgres();
    let postgres = Store::open(&pg_db.url).unwrap();
    assert_eq!(
        sqlite.describe_schema().unwrap(),
        postgres.describe_schema().unwrap()
    );
}

/// A connection in use a moment ago is handed out without a ping. When PostgreSQL has ended it
/// meanwhile (a restart), a read on it is told the database is unavailable, and that connection
/// is dropped: the reads after it get new connections, however recently the dead ones were used.
#[test]
fn a_connection_that_lost_the_database_is_not_reused() {
    let db = samsyn_testkit::postgres();
    let store = Store::open(&db.url).unwrap();
    let read = |store: &Store| store.read(|conn| Ok(diesel::sql_query("SELECT 1").execute(conn)?));
    read(&store).unwrap();
    assert!(db.set_postgres_away(true));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(db.set_postgres_away(false));
    let unavailable = (0..10)
        .take_while(|_| matches!(read(&store), Err(StoreError::Unavailable)))
        .count();
    assert!(
        unavailable < 10,
        "every read after the restart failed: the ended connections were handed out again"
    );
    for _ in 0..5 {
        read(&store).unwrap();
    }
}

/// Tampering with the triggers dropped (one SQL transaction on the file or the database): each
/// kind of change is named by `verify` at its first broken link. Each attempt is rolled back.
fn tampering_with_the_access_log_is_found(db: TestDb) {
    use samsyn_store::access_log::chain::{self, Break};
    let w = world(&db);
    for _ in 0..3 {
        draft(&w);
    }
    let clean = w.store.transaction(chain::verify).unwrap();
    assert_eq!(clean.first_break, None);
    assert!(clean.links >= 3, "{} links", clean.links);
    assert_eq!(clean.head.seq, clean.links);
    #[derive(diesel::QueryableByName)]
    struct Link {
        #[diesel(sql_type = diesel::sql_types::Text)]
        entry_id: String,
    }
    let ids: Vec<String> = w
        .store
        .transaction(|conn| {
            Ok(
                diesel::sql_query("SELECT entry_id FROM access_log_chain ORDER BY seq")
                    .load::<Link>(conn)?,
            )
        })
        .unwrap()
        .into_iter()
        .map(|l| l.entry_id)
        .collect();
    let (first, second) = (&ids[0], &ids[1]);
    let untriggered: &[&str] = match w.store.engine() {
        samsyn_store::Engine::Sqlite => &[
            "DROP TRIGGER access_log_no_update",
            "DROP TRIGGER access_log_no_delete",
            "DROP TRIGGER access_log_chain_no_update",
            "DROP TRIGGER access_log_chain_no_delete",
        ],
        samsyn_store::Engine::Postgres => &[
            "DROP TRIGGER access_log_no_update ON access_log",
            "DROP TRIGGER access_log_chain_no_update ON access_log_chain",
        ],
    };
    let cases: Vec<(Vec<String>, Break)> = vec![
        (
            vec![format!("DELETE FROM access_log WHERE id = '{second}'")],
            Break::Deleted { seq: 2 },
        ),
        (
            vec![format!(
                "UPDATE access_log SET object_id = 'omskriven' WHERE id = '{second}'"
            )],
            Break::Altered { seq: 2 },
        ),
        (
            vec![format!(
                "UPDATE access_log SET identity_source = 'local' WHERE id = '{second}'"
            )],
            Break::Altered { seq: 2 },
        ),
        (
            vec![format!(
                "INSERT INTO access_log (id, at, user_id, unit_id, patient_id, action, object_type, object_id, outcome) \
                 SELECT 'forfalskad', at, user_id, unit_id, patient_id, action, object_type, object_id, outcome FROM access_log WHERE id = '{second}'"
            )],
            Break::Inserted {
                entry_id: "forfalskad".into(),
            },
        ),
        (
            vec![
                "UPDATE access_log_chain SET entry_id = 'byte' WHERE seq = 1".to_owned(),
                format!("UPDATE access_log_chain SET entry_id = '{first}' WHERE seq = 2"),
                format!("UPDATE access_log_chain SET entry_id = '{second}' WHERE seq = 1"),
            ],
            Break::Altered { seq: 1 },
        ),
        (
            vec!["DELETE FROM access_log_chain WHERE seq = 2".to_owned()],
            Break::Missing {
                expected: 2,
                found: 3,
            },
        ),
    ];
    for (tampering, expected) in cases {
        let mut found = None;
        let _rolled_back = w.store.transaction(|conn| {
            for statement in untriggered {
                diesel::sql_query(*statement).execute(conn)?;
            }
            for statement in &tampering {
                diesel::sql_query(statement).execute(conn)?;
            }
            found = Some(chain::verify(conn)?.first_break);
            Err::<(), _>(StoreError::Conflict)
        });
        assert_eq!(found, Some(Some(expected)), "{tampering:?}");
    }
    let after = w.store.transaction(chain::verify).unwrap();
    assert_eq!(after, clean, "every attempt was rolled back");
}
