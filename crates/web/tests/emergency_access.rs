//! Nödåtkomst through the real router on both engines: it needs a reason and a valid
//! personnummer, opens the person's cases read-only for the rule set's time and then closes,
//! the parties see it on the case, and it is listed first, with its reason, in the log review of
//! both parties to the case and of the clinician's own.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use axum::http::StatusCode;
use common::{Browser, app, csrf_in, send_request_as_doctor};
use samsyn_domain::{Party, Role};
use samsyn_store::access_log::{self, Filter};
use samsyn_store::users::{self, NewUser};
use samsyn_store::{emergency_access, units};
use samsyn_testkit::{TestDb, on_both_engines_async};

const REASON: &str =
    "Personen söker akut hos oss med andnöd; hemsjukvården i Örebro går inte att nå.";

async fn emergency_access_needs_a_reason_expires_and_is_reviewed_first(db: TestDb) {
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let case_id = send_request_as_doctor(&mut doctor).await;
    let case_page = format!("/begaran/{case_id}");

    // Kumla's nurse has no relation to Örebro's case.
    let mut kumla = Browser::new(&app);
    kumla.login("sjukskoterska.kumla").await;
    assert_eq!(kumla.get(&case_page).await.status, StatusCode::NOT_FOUND);
    let form = kumla.get("/nodatkomst").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("gäller i 4 timmar"),
        "the rule set's time"
    );
    let csrf = csrf_in(&form.body);

    // No reason, and a malformed personnummer: field messages, nothing opened.
    let refused = kumla
        .post_form(
            "/nodatkomst",
            &[
                ("csrf_token", &csrf),
                ("personnummer", "19121212-1213"),
                ("skal", "akut"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Skäl: skriv varför"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("kontrollsiffra"));
    let no_reason = kumla
        .post_form(
            "/nodatkomst",
            &[
                ("csrf_token", &csrf),
                ("personnummer", "191212121212"),
                ("skal", "  "),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Skäl: skriv varför"));
    let stored = app
        .store
        .transaction(|conn| {
            let patient = samsyn_store::patients::find_by_person_id(
                conn,
                &samsyn_domain::PersonId::from_stored("191212121212").unwrap(),
            )?
            .unwrap();
            emergency_access::of_patient(conn, &patient.id)
        })
        .unwrap();
    assert!(stored.is_empty(), "nothing opened without a reason");
    assert_eq!(kumla.get(&case_page).await.status, StatusCode::NOT_FOUND);

    // An economist may not use it at all.
    let mut economist = Browser::new(&app);
    economist.login("ekonom").await;
    let economist_form = economist.get("/nodatkomst").await;
    assert_eq!(economist_form.status, StatusCode::FORBIDDEN);

    // With a reason: the person's cases open, to read and not to write.
    let opened = kumla
        .post_form(
            "/nodatkomst",
            &[
                ("csrf_token", &csrf),
                ("personnummer", "19121212-1212"),
                ("skal", REASON),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert!(opened.body.contains("Nödåtkomst till Tolvan Tolvansson"));
    assert!(opened.body.contains(&case_page));
    let read = kumla.get(&case_page).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains("Du läser ärendet med nödåtkomst"));
    let csrf = csrf_in(&read.body);
    let write = kumla
        .post_form(
            &format!("{case_page}/bedomning"),
            &[
                ("csrf_token", &csrf),
                ("version", "1"),
                ("assessment", "Ingen"),
            ],
        )
        .await;
    assert!(
        matches!(write.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{}",
        write.status
    );

    // The parties see who opened it, when and why.
    let sender_view = doctor.get(&case_page).await;
    assert!(
        sender_view
            .body
            .contains("Nödåtkomst till personens ärenden")
    );
    assert!(sender_view.body.contains(REASON));
    assert!(sender_view.body.contains("Hemsjukvården Kumla"));

    // Listed first, with the reason, in the review of the region (sender), of Örebro
    // (receiver) and of Kumla (the clinician's own party).
    let kumla_party = app
        .store
        .transaction(|conn| {
            let nurse = users::credentials_by_username(conn, "sjukskoterska.kumla")?
                .unwrap()
                .user;
            Ok(units::get(conn, &nurse.unit_id)?.party)
        })
        .unwrap();
    let orebro = samsyn_domain::MunicipalityCode::parse("1880").unwrap();
    for party in [Party::Region, Party::Municipality(orebro), kumla_party] {
        let page = app
            .store
            .transaction(|conn| {
                access_log::search(
                    conn,
                    &Filter {
                        party: Some(party),
                        ..Filter::default()
                    },
                    &samsyn_store::access_log::PageAt::First,
                    5,
                )
            })
            .unwrap();
        let first = &page.entries[0];
        assert_eq!(first.emergency_reason.as_deref(), Some(REASON), "{party:?}");
        assert_eq!(first.username, "sjukskoterska.kumla");
    }
    let mut reviewer = Browser::new(&app);
    reviewer.login("logggranskare").await;
    let review = reviewer.get("/logg").await;
    let first_row = review
        .body
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(first_row.contains("Nödåtkomst."), "{first_row}");
    assert!(first_row.contains(REASON));

    // After the rule set's four hours it has ended: the case is not found again.
    app.clock
        .advance(jiff::SignedDuration::from_mins(4 * 60 + 1));
    kumla.login("sjukskoterska.kumla").await;
    assert_eq!(kumla.get(&case_page).await.status, StatusCode::NOT_FOUND);
}

async fn a_region_reviewer_sees_the_same(db: TestDb) {
    // A second party's reviewer, made for this test, at the vårdcentral that sent the case.
    let app = app(db);
    let mut doctor = Browser::new(&app);
    doctor.login("lakare").await;
    let case_id = send_request_as_doctor(&mut doctor).await;
    let now = common::NOW.parse().unwrap();
    app.store
        .transaction(|conn| {
            let doctor = users::credentials_by_username(conn, "lakare")?
                .unwrap()
                .user;
            users::create(
                conn,
                &NewUser {
                    username: "granskare.region",
                    display_name: "Regionens granskare",
                    role: Role::AuditReviewer,
                    unit_id: &doctor.unit_id,
                    password_hash: Some(
                        &samsyn_web::shared::auth::hash_password("samsyn-demo").unwrap(),
                    ),
                    is_demo: false,
                },
                now,
            )
        })
        .unwrap();
    let mut kumla = Browser::new(&app);
    kumla.login("sjukskoterska.kumla").await;
    let form = kumla.get("/nodatkomst").await;
    let csrf = csrf_in(&form.body);
    kumla
        .post_form(
            "/nodatkomst",
            &[
                ("csrf_token", &csrf),
                ("personnummer", "191212121212"),
                ("skal", REASON),
            ],
        )
        .await;
    assert_eq!(
        kumla.get(&format!("/begaran/{case_id}")).await.status,
        StatusCode::OK
    );
    let mut region = Browser::new(&app);
    region.login("granskare.region").await;
    let review = region.get("/logg").await;
    assert_eq!(review.status, StatusCode::OK);
    let first_row = review
        .body
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(first_row.contains("Nödåtkomst."), "{first_row}");
    assert!(
        first_row.contains("Tolvansson"),
        "the region's own patient is named"
    );
}

on_both_engines_async!(
    emergency_access_needs_a_reason_expires_and_is_reviewed_first,
    a_region_reviewer_sees_the_same
);
