//! Accounts through the real router on both engines: one account whatever the username's case,
//! changing one's own password (old one required, policy applied, other sessions ended), and the
//! administrator's unlock, disable and enable.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{Browser, app, csrf_in};
use samsyn_store::users::{self, NewUser};
use samsyn_store::{StoreError, units};
use samsyn_testkit::{TestDb, on_both_engines_async};

async fn sign_in_with(browser: &mut Browser<'_>, username: &str, password: &str) -> u16 {
    let page = browser.get("/logga-in").await;
    let csrf = csrf_in(&page.body);
    browser
        .post_form(
            "/logga-in",
            &[
                ("csrf_token", &csrf),
                ("username", username),
                ("password", password),
            ],
        )
        .await
        .status
        .as_u16()
}

async fn a_username_is_one_account_whatever_its_case(db: TestDb) {
    let app = app(db);
    let unit_id = app.store.transaction(units::list).unwrap()[0].id.clone();
    for spelling in ["LAKARE", " Lakare "] {
        let again = app.store.transaction(|conn| {
            users::create(
                conn,
                &NewUser {
                    username: spelling,
                    display_name: "Dubblett",
                    role: samsyn_domain::Role::Doctor,
                    unit_id: &unit_id,
                    password_hash: Some("-"),
                    is_demo: false,
                },
                common::NOW.parse().unwrap(),
            )
        });
        assert!(
            matches!(again, Err(StoreError::Duplicate(_))),
            "{spelling:?} is the existing lakare"
        );
    }
    let mut doctor = Browser::new(&app);
    assert_eq!(
        sign_in_with(&mut doctor, " LAKARE ", samsyn_store::demo::DEMO_PASSWORD).await,
        303
    );
    assert_eq!(doctor.get("/inkorg").await.status, 200);
}

async fn changing_the_password_needs_the_old_one_and_ends_other_sessions(db: TestDb) {
    let app = app(db);
    let mut here = Browser::new(&app);
    here.login("sjukskoterska").await;
    let mut elsewhere = Browser::new(&app);
    elsewhere.login("sjukskoterska").await;
    assert_eq!(elsewhere.get("/inkorg").await.status, 200);

    let form = here.get("/konto/losenord").await;
    assert_eq!(form.status, 200);
    let csrf = csrf_in(&form.body);
    let new = "ekorre kompass vinbär tunnel";
    for (current, next, again, message) in [
        (
            "fel-lösenord",
            new,
            new,
            "Det nuvarande lösenordet stämmer inte.",
        ),
        (
            samsyn_store::demo::DEMO_PASSWORD,
            "password1234",
            "password1234",
            "för lätt att gissa",
        ),
        (
            samsyn_store::demo::DEMO_PASSWORD,
            "            ",
            "            ",
            "bara mellanslag",
        ),
        (
            samsyn_store::demo::DEMO_PASSWORD,
            new,
            "något annat",
            "Lösenorden är inte likadana.",
        ),
    ] {
        let refused = here
            .post_form(
                "/konto/losenord",
                &[
                    ("csrf_token", &csrf),
                    ("nuvarande", current),
                    ("nytt", next),
                    ("upprepa", again),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{message}");
        assert!(refused.body.contains(message), "{message}");
    }
    assert_eq!(
        elsewhere.get("/inkorg").await.status,
        200,
        "a refused change ends nothing"
    );

    let changed = here
        .post_form(
            "/konto/losenord",
            &[
                ("csrf_token", &csrf),
                ("nuvarande", samsyn_store::demo::DEMO_PASSWORD),
                ("nytt", new),
                ("upprepa", new),
            ],
        )
        .await;
    assert_eq!(changed.status, 303);
    assert_eq!(changed.location(), "/konto/losenord?klart=1");
    assert!(
        here.get(changed.location())
            .await
            .body
            .contains("Lösenordet är bytt.")
    );
    assert_eq!(
        here.get("/inkorg").await.status,
        200,
        "this session goes on"
    );
    assert_eq!(
        elsewhere.get("/inkorg").await.status,
        303,
        "every other session has ended"
    );
    let mut later = Browser::new(&app);
    assert_eq!(
        sign_in_with(
            &mut later,
            "sjukskoterska",
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        401,
        "the old password no longer works"
    );
    assert_eq!(sign_in_with(&mut later, "sjukskoterska", new).await, 303);

    // Guessing the current password from a session is throttled like signing in.
    let csrf = csrf_in(&later.get("/konto/losenord").await.body);
    let other = "vattenfall pelargon ridå";
    for _ in 0..5 {
        let wrong = later
            .post_form(
                "/konto/losenord",
                &[
                    ("csrf_token", &csrf),
                    ("nuvarande", "gissning"),
                    ("nytt", other),
                    ("upprepa", other),
                ],
            )
            .await;
        assert!(
            wrong
                .body
                .contains("Det nuvarande lösenordet stämmer inte.")
        );
    }
    let blocked = later
        .post_form(
            "/konto/losenord",
            &[
                ("csrf_token", &csrf),
                ("nuvarande", new),
                ("nytt", other),
                ("upprepa", other),
            ],
        )
        .await;
    assert_eq!(blocked.status, 422);
    assert!(blocked.body.contains("För många felaktiga försök."));
}

async fn the_administrator_unlocks_disables_and_enables_her_partys_accounts(db: TestDb) {
    let app = app(db);
    let mut guesser = Browser::new(&app);
    for _ in 0..5 {
        sign_in_with(&mut guesser, "sjukskoterska", "fel lösenord").await;
    }
    assert_ne!(
        sign_in_with(
            &mut guesser,
            "sjukskoterska",
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        303,
        "locked for the address that failed"
    );

    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let start = admin.get("/").await;
    assert_eq!(start.location(), "/admin/anvandare", "her start page");
    let list = admin.get("/admin/anvandare").await;
    assert_eq!(list.status, 200);
    let nurse_id = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "sjukskoterska"))
        .unwrap()
        .unwrap()
        .user
        .id;
    let row = list
        .body
        .split(&format!("id=\"konto-{nurse_id}\""))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains("Låst"), "{row}");
    assert!(
        !list.body.contains("sjukskoterska.kumla"),
        "only her own party's accounts"
    );
    let csrf = csrf_in(&list.body);
    let unlocked = admin
        .post_form(
            &format!("/admin/anvandare/{nurse_id}/las-upp"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(unlocked.status, 303);
    assert_eq!(
        sign_in_with(
            &mut guesser,
            "sjukskoterska",
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        303,
        "unlocked"
    );
    assert_eq!(guesser.get("/inkorg").await.status, 200);

    let disabled = admin
        .post_form(
            &format!("/admin/anvandare/{nurse_id}/inaktivera"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(disabled.status, 303);
    assert_eq!(
        guesser.get("/inkorg").await.status,
        303,
        "her session ended"
    );
    let mut nurse = Browser::new(&app);
    assert_eq!(
        sign_in_with(
            &mut nurse,
            "sjukskoterska",
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        401,
        "a disabled account cannot sign in"
    );
    assert!(
        admin
            .get("/admin/anvandare")
            .await
            .body
            .contains("Inaktiverat")
    );
    let enabled = admin
        .post_form(
            &format!("/admin/anvandare/{nurse_id}/aktivera"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(enabled.status, 303);
    assert_eq!(
        sign_in_with(
            &mut nurse,
            "sjukskoterska",
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        303
    );

    let kumla_id = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "sjukskoterska.kumla"))
        .unwrap()
        .unwrap()
        .user
        .id;
    let foreign = admin
        .post_form(
            &format!("/admin/anvandare/{kumla_id}/inaktivera"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(foreign.status, 404, "another party's account");
    let admin_id = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "administrator"))
        .unwrap()
        .unwrap()
        .user
        .id;
    let own = admin
        .post_form(
            &format!("/admin/anvandare/{admin_id}/inaktivera"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(own.status, 409);

    // Every change is in the administration log, shown to the party's administrators.
    let page = admin.get("/admin/anvandare").await;
    let log = page.body.split("Administrationslogg").nth(2).unwrap();
    for action in ["låste upp", "inaktiverade", "aktiverade"] {
        assert!(
            log.contains(&format!(
                "<td>administrator</td><td>{action}</td><td>användare sjukskoterska</td>"
            )),
            "{action} is logged"
        );
    }
    assert_eq!(
        log.matches("<td>användare sjukskoterska</td>").count(),
        3,
        "refused steps change and log nothing"
    );
    assert!(
        !log.contains("sjukskoterska.kumla"),
        "another party's accounts are not in this party's log"
    );
}

/// `POST /api/v1/session` from `peer`, which may say who it forwards for.
async fn sign_in_from(
    app: &common::App,
    peer: &str,
    forwarded_for: Option<&str>,
    password: &str,
) -> u16 {
    use tower::ServiceExt;
    let mut request = axum::http::Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            serde_json::json!({"username": "lakare", "password": password}).to_string(),
        ))
        .unwrap();
    if let Some(client) = forwarded_for {
        request
            .headers_mut()
            .insert("x-forwarded-for", client.parse().unwrap());
    }
    let address = std::net::SocketAddr::new(peer.parse().unwrap(), 40000);
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(address));
    app.router
        .clone()
        .oneshot(request)
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn behind_the_trusted_proxy_each_client_is_throttled_alone(db: TestDb) {
    let app = app(db);
    // The test server trusts 10.0.0.1 as its proxy.
    for _ in 0..5 {
        assert_eq!(
            sign_in_from(&app, "10.0.0.1", Some("198.51.100.7, 192.0.2.1"), "fel").await,
            401
        );
    }
    assert_eq!(
        sign_in_from(
            &app,
            "10.0.0.1",
            Some("192.0.2.1"),
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        429,
        "the failing client (the proxy's own entry, not the spoofable first one) is turned away"
    );
    assert_eq!(
        sign_in_from(
            &app,
            "10.0.0.1",
            Some("192.0.2.2"),
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        200,
        "another client behind the same proxy signs in"
    );
    let right = samsyn_store::demo::DEMO_PASSWORD;
    for _ in 0..5 {
        sign_in_from(&app, "::ffff:10.0.0.1", Some("192.0.2.8"), "fel").await;
    }
    assert_eq!(
        sign_in_from(&app, "10.0.0.1", Some("192.0.2.8"), right).await,
        429,
        "the proxy seen through a dual-stack socket is still the proxy: the client failed"
    );
    assert_eq!(
        sign_in_from(&app, "10.0.0.1", Some("192.0.2.10"), right).await,
        200
    );
    for _ in 0..5 {
        sign_in_from(&app, "10.0.0.1", Some("192.0.2.5, unknown"), "fel").await;
    }
    assert_eq!(
        sign_in_from(&app, "10.0.0.1", Some("192.0.2.6, unknown"), right).await,
        429,
        "an unusable last entry counts as the proxy, never the client's own earlier claim"
    );
    assert_eq!(
        sign_in_from(&app, "10.0.0.1", Some("192.0.2.11"), right).await,
        200
    );
    for _ in 0..5 {
        sign_in_from(&app, "203.0.113.9", Some("192.0.2.3"), "fel").await;
    }
    assert_eq!(
        sign_in_from(
            &app,
            "203.0.113.9",
            Some("192.0.2.4"),
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        429,
        "a peer that is not the proxy is counted as itself, whatever it forwards"
    );
}

async fn the_administrator_moves_an_account_to_e_identification_only(db: TestDb) {
    let app = app(db);
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    assert_eq!(nurse.get("/inkorg").await.status, 200);
    let (nurse_id, unit_id) = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "sjukskoterska"))
        .unwrap()
        .map(|c| (c.user.id, c.user.unit_id))
        .unwrap();
    // An account without an HSA-id cannot be moved: the provider could never name it.
    let now = "2026-11-20T09:00:00Z".parse().unwrap();
    let without = app
        .store
        .transaction(|conn| {
            users::create(
                conn,
                &NewUser {
                    username: "utan.hsa",
                    display_name: "Utan HSA-id",
                    role: samsyn_domain::Role::Nurse,
                    unit_id: &unit_id,
                    password_hash: Some("-"),
                    is_demo: false,
                },
                now,
            )
        })
        .unwrap();
    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let list = admin.get("/admin/anvandare").await;
    let row = list
        .body
        .split(&format!("id=\"konto-{nurse_id}\""))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains("Lösenord"), "{row}");
    assert!(row.contains("Bara e-legitimation"), "{row}");
    let csrf = csrf_in(&list.body);
    let refused = admin
        .post_form(
            &format!("/admin/anvandare/{}/endast-e-legitimation", without.id),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("Kontot saknar HSA-id"));

    let moved = admin
        .post_form(
            &format!("/admin/anvandare/{nurse_id}/endast-e-legitimation"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(moved.status, 303);
    // Her password session has ended, and the password no longer signs in.
    assert!(
        nurse
            .get("/inkorg")
            .await
            .location()
            .starts_with("/logga-in")
    );
    assert_ne!(
        sign_in_with(
            &mut nurse,
            "sjukskoterska",
            samsyn_store::demo::DEMO_PASSWORD
        )
        .await,
        303
    );
    let after = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "sjukskoterska"))
        .unwrap()
        .unwrap();
    assert_eq!(after.password_hash, None);
    assert_eq!(
        after.user.identity_source,
        samsyn_domain::IdentitySource::Oidc
    );
    let list = admin.get("/admin/anvandare").await;
    assert!(
        list.body
            .contains("tog bort lösenordet; bara e-legitimation för")
    );
}

async fn post_new_account(
    admin: &mut Browser<'_>,
    csrf: &str,
    fields: &[(&str, &str)],
) -> common::Response {
    let mut all = vec![("csrf_token", csrf)];
    all.extend_from_slice(fields);
    admin.post_form("/admin/anvandare", &all).await
}

async fn the_administrator_adds_accounts_of_her_party(db: TestDb) {
    let app = app(db);
    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let page = admin.get("/admin/anvandare").await;
    let csrf = csrf_in(&page.body);
    let (orebro_unit, kumla_unit) = app
        .store
        .transaction(|conn| {
            let list = units::list(conn)?;
            let find = |name: &str| list.iter().find(|u| u.name == name).unwrap().id.clone();
            Ok((find("Hemsjukvården Örebro"), find("Hemsjukvården Kumla")))
        })
        .unwrap();
    // E-identification without an HSA-id, a malformed one, and another party's unit: refused
    // field by field, nothing stored.
    let refused = post_new_account(
        &mut admin,
        &csrf,
        &[
            ("anvandarnamn", "ny.ssk"),
            ("namn", "Nina Ny"),
            ("roll", "sjukskoterska"),
            ("enhet", &kumla_unit),
            ("hsa_id", ""),
            ("inloggning", "e-legitimation"),
        ],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("HSA-id: inloggning med e-legitimation kräver")
    );
    let other_party = post_new_account(
        &mut admin,
        &csrf,
        &[
            ("anvandarnamn", "ny.ssk"),
            ("namn", "Nina Ny"),
            ("roll", "sjukskoterska"),
            ("enhet", &kumla_unit),
            ("hsa_id", "SE2120001967-NY01"),
            ("inloggning", "e-legitimation"),
        ],
    )
    .await;
    assert_eq!(other_party.status, 422);
    assert!(
        other_party
            .body
            .contains("Enhet: välj en av din organisations enheter.")
    );
    let weak = post_new_account(
        &mut admin,
        &csrf,
        &[
            ("anvandarnamn", "ny.lokal"),
            ("namn", "Lena Lokal"),
            ("roll", "enhetschef"),
            ("enhet", &orebro_unit),
            ("inloggning", "losenord"),
            ("losenord", "password1234"),
        ],
    )
    .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("Första lösenord:"));
    let none = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "ny.ssk"))
        .unwrap();
    assert!(none.is_none());

    // A valid e-identification account: made, with its HSA-id and no password, and logged.
    let made = post_new_account(
        &mut admin,
        &csrf,
        &[
            ("anvandarnamn", "Ny.SSK"),
            ("namn", "Nina Ny"),
            ("roll", "sjukskoterska"),
            ("enhet", &orebro_unit),
            ("hsa_id", "se2120001967-ny01"),
            ("inloggning", "e-legitimation"),
        ],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let account = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "ny.ssk"))
        .unwrap()
        .unwrap();
    assert_eq!(account.password_hash, None);
    assert_eq!(account.user.hsa_id.as_deref(), Some("SE2120001967-NY01"));
    let list = admin.get("/admin/anvandare").await;
    assert!(
        list.body.contains("användare ny.ssk"),
        "in the administration log"
    );

    // The same HSA-id again is refused, and the second account is not half made.
    let twice = post_new_account(
        &mut admin,
        &csrf,
        &[
            ("anvandarnamn", "ny.tva"),
            ("namn", "Nina Två"),
            ("roll", "sjukskoterska"),
            ("enhet", &orebro_unit),
            ("hsa_id", "SE2120001967-NY01"),
            ("inloggning", "e-legitimation"),
        ],
    )
    .await;
    assert_eq!(twice.status, 422);
    assert!(
        twice
            .body
            .contains("ett annat konto har redan det HSA-id:t")
    );
    assert!(
        app.store
            .transaction(|conn| users::credentials_by_username(conn, "ny.tva"))
            .unwrap()
            .is_none()
    );
}

async fn the_administrator_adds_a_unit_of_her_party(db: TestDb) {
    let app = app(db);
    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let page = admin.get("/admin/enheter").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Hemsjukvården Örebro"));
    assert!(
        !page.body.contains("Hemsjukvården Kumla"),
        "only her own party's units"
    );
    assert!(
        !page.body.contains("value=\"vardcentral\""),
        "a municipality has no vårdcentral"
    );
    let csrf = csrf_in(&page.body);
    let refused = admin
        .post_form(
            "/admin/enheter",
            &[
                ("csrf_token", &csrf),
                ("namn", "Nattpatrullen Örebro"),
                ("typ", "vardcentral"),
                ("hsa_id", "SE2120001967"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Typ: välj en av de enhetstyper"));
    assert!(refused.body.contains("HSA-id: HSA-id ska skrivas som SE"));
    let made = admin
        .post_form(
            "/admin/enheter",
            &[
                ("csrf_token", &csrf),
                ("namn", "Nattpatrullen Örebro"),
                ("typ", "kommunal_hsl"),
                ("hsa_id", "SE2120001967-NATT"),
                ("telefon", "019-21 10 00"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let list = admin.get("/admin/enheter").await;
    assert!(list.body.contains("Nattpatrullen Örebro"));
    assert!(list.body.contains("SE2120001967-NATT"));
    let taken = admin
        .post_form(
            "/admin/enheter",
            &[
                ("csrf_token", &csrf),
                ("namn", "Dubbletten"),
                ("typ", "kommunal_hsl"),
                ("hsa_id", "SE2120001967-NATT"),
            ],
        )
        .await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("en annan enhet har redan det HSA-id:t"));
    let units = app.store.transaction(units::list).unwrap();
    assert!(
        !units.iter().any(|u| u.name == "Dubbletten"),
        "not half made"
    );
    let users_page = admin.get("/admin/anvandare").await;
    assert!(
        users_page.body.contains("enhet Nattpatrullen Örebro"),
        "logged"
    );
}

async fn the_administrator_changes_an_account(db: TestDb) {
    let app = app(db);
    let mut nurse = Browser::new(&app);
    nurse.login("sjukskoterska").await;
    let (nurse_id, version) = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "sjukskoterska"))
        .unwrap()
        .map(|c| (c.user.id, c.user.version))
        .unwrap();
    let rehab = app
        .store
        .transaction(units::list)
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Rehabteamet Örebro")
        .unwrap()
        .id;
    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let page = admin.get(&format!("/admin/anvandare/{nurse_id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ändra konto: sjukskoterska"));
    let csrf = csrf_in(&page.body);
    let version = version.to_string();
    let bad = admin
        .post_form(
            &format!("/admin/anvandare/{nurse_id}"),
            &[
                ("csrf_token", &csrf),
                ("version", &version),
                ("namn", ""),
                ("roll", "sjukskoterska"),
                ("enhet", &rehab),
                ("hsa_id", "SE99"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Namn: skriv personens namn."));
    assert!(bad.body.contains("HSA-id: HSA-id ska skrivas som SE"));
    let saved = admin
        .post_form(
            &format!("/admin/anvandare/{nurse_id}"),
            &[
                ("csrf_token", &csrf),
                ("version", &version),
                ("namn", "Sara Sjöberg-Lind"),
                ("roll", "arbetsterapeut"),
                ("enhet", &rehab),
                ("hsa_id", "SE9999999999-P0900"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let account = app
        .store
        .transaction(|conn| users::get(conn, &nurse_id))
        .unwrap();
    assert_eq!(account.display_name, "Sara Sjöberg-Lind");
    assert_eq!(account.role, samsyn_domain::Role::OccupationalTherapist);
    assert_eq!(account.unit_id, rehab);
    // A new role and unit end her sessions, and the change is logged.
    assert!(
        nurse
            .get("/inkorg")
            .await
            .location()
            .starts_with("/logga-in")
    );
    let list = admin.get("/admin/anvandare").await;
    assert!(
        list.body
            .contains("Sara Sjöberg-Lind, Arbetsterapeut, Rehabteamet Örebro")
    );
    // A second save from the same, now stale, form is a conflict, not an overwrite.
    let stale = admin
        .post_form(
            &format!("/admin/anvandare/{nurse_id}"),
            &[
                ("csrf_token", &csrf),
                ("version", &version),
                ("namn", "Gammal"),
                ("roll", "sjukskoterska"),
                ("enhet", &rehab),
                ("hsa_id", ""),
            ],
        )
        .await;
    assert_eq!(stale.status, 409);
    // Another party's account is not hers to open.
    let kumla_id = app
        .store
        .transaction(|conn| users::credentials_by_username(conn, "sjukskoterska.kumla"))
        .unwrap()
        .unwrap()
        .user
        .id;
    assert_eq!(
        admin
            .get(&format!("/admin/anvandare/{kumla_id}"))
            .await
            .status,
        404
    );
}

async fn the_administrator_changes_a_unit_of_her_party(db: TestDb) {
    let app = app(db);
    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let all = app.store.transaction(units::list).unwrap();
    let orebro = all
        .iter()
        .find(|u| u.name == "Hemsjukvården Örebro")
        .unwrap()
        .clone();
    let kumla = all
        .iter()
        .find(|u| u.name == "Hemsjukvården Kumla")
        .unwrap();
    assert_eq!(
        admin
            .get(&format!("/admin/enheter/{}", kumla.id))
            .await
            .status,
        404,
        "another party's unit"
    );
    let path = format!("/admin/enheter/{}", orebro.id);
    let page = admin.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ändra enhet: Hemsjukvården Örebro"));
    let csrf = csrf_in(&page.body);
    let old_hsa = orebro.hsa_id.clone().unwrap();
    let seen = [
        ("csrf_token", csrf.as_str()),
        ("tidigare_namn", "Hemsjukvården Örebro"),
        ("tidigare_hsa_id", old_hsa.as_str()),
        ("tidigare_telefon", orebro.phone.as_str()),
    ];
    let mut taken = seen.to_vec();
    taken.extend([
        ("namn", "Hemsjukvården Kumla"),
        ("hsa_id", old_hsa.as_str()),
    ]);
    let refused = admin.post_form(&path, &taken).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Namn: det finns redan en enhet med det namnet.")
    );
    let mut change = seen.to_vec();
    change.extend([
        ("namn", "Hälso- och sjukvården Örebro"),
        ("hsa_id", "SE2120001967-HSLO"),
        ("telefon", "019-21 00 00"),
    ]);
    let saved = admin.post_form(&path, &change).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let list = admin.get("/admin/enheter").await;
    assert!(list.body.contains("Hälso- och sjukvården Örebro"));
    assert!(list.body.contains("SE2120001967-HSLO"));
    // The same form again was made against what the unit no longer is.
    let stale = admin.post_form(&path, &change).await;
    assert_eq!(stale.status, 409);
    let users_page = admin.get("/admin/anvandare").await;
    assert!(
        users_page.body.contains("enhet Hemsjukvården Örebro"),
        "logged"
    );
}

/// The county group has the rule set's number of members from the municipalities (the demo has
/// one): the administrator adds up to it and no more.
async fn the_county_group_keeps_its_size_from_the_rule_set(db: TestDb) {
    let app = app(db);
    let mut admin = Browser::new(&app);
    admin.login("administrator").await;
    let page = admin.get("/admin/anvandare").await;
    let csrf = csrf_in(&page.body);
    let orebro_unit = app
        .store
        .transaction(|conn| {
            Ok(units::list(conn)?
                .into_iter()
                .find(|u| u.name == "Hemsjukvården Örebro")
                .unwrap()
                .id)
        })
        .unwrap();
    for n in 2..=5 {
        let username = format!("lansgrupp.{n}");
        let hsa_id = format!("SE9999999999-L{n:04}");
        let answer = post_new_account(
            &mut admin,
            &csrf,
            &[
                ("anvandarnamn", &username),
                ("namn", "Ledamot"),
                ("roll", "lansgrupp"),
                ("enhet", &orebro_unit),
                ("hsa_id", &hsa_id),
                ("inloggning", "e-legitimation"),
            ],
        )
        .await;
        if n <= 4 {
            assert_eq!(answer.status, 303, "member {n}: {}", answer.body);
        } else {
            assert_eq!(answer.status, 422, "a fifth municipal member");
            assert!(
                answer
                    .body
                    .contains("länsgruppen har redan 4 ledamöter från kommunerna")
            );
        }
    }
}

on_both_engines_async!(
    the_county_group_keeps_its_size_from_the_rule_set,
    the_administrator_changes_a_unit_of_her_party,
    the_administrator_changes_an_account,
    the_administrator_adds_a_unit_of_her_party,
    the_administrator_adds_accounts_of_her_party,
    the_administrator_moves_an_account_to_e_identification_only,
    behind_the_trusted_proxy_each_client_is_throttled_alone,
    a_username_is_one_account_whatever_its_case,
    changing_the_password_needs_the_old_one_and_ends_other_sessions,
    the_administrator_unlocks_disables_and_enables_her_partys_accounts
);
