//! `samsyn user` through the real binary on a demo database: the password policy, changing a
//! password with the current one (or an operator's reset), every session ended, and one account
//! whatever the username's case.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn samsyn(url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_samsyn"));
    command
        .args(args)
        .env("SAMSYN_DATABASE_URL", url)
        .env_remove("SAMSYN_PASSWORD")
        .env_remove("SAMSYN_CURRENT_PASSWORD");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn passwords_are_changed_with_the_current_one_and_sessions_end() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("samsyn.db").display());
    assert!(samsyn(&url, &["demo"], &[]).status.success());
    let store = samsyn_store::Store::open(&url).unwrap();
    let now = jiff::Timestamp::now();
    let user_id = store
        .transaction(|conn| samsyn_store::users::credentials_by_username(conn, "lakare"))
        .unwrap()
        .unwrap()
        .user
        .id;
    store
        .transaction(|conn| {
            samsyn_store::sessions::create(
                conn,
                "en-session",
                &user_id,
                samsyn_domain::IdentitySource::Local,
                now,
            )
        })
        .unwrap();
    drop(store);

    let new = "ekorre kompass vinbär tunnel";
    let wrong = samsyn(
        &url,
        &["user", "password", "lakare"],
        &[("SAMSYN_CURRENT_PASSWORD", "fel"), ("SAMSYN_PASSWORD", new)],
    );
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("det nuvarande lösenordet stämmer inte"));
    let weak = samsyn(
        &url,
        &["user", "password", "lakare"],
        &[
            ("SAMSYN_CURRENT_PASSWORD", "samsyn-demo"),
            ("SAMSYN_PASSWORD", "            "),
        ],
    );
    assert!(!weak.status.success());
    assert!(
        stderr(&weak).contains("bara mellanslag"),
        "{}",
        stderr(&weak)
    );
    let store = samsyn_store::Store::open(&url).unwrap();
    assert!(
        store
            .transaction(|conn| samsyn_store::sessions::get(conn, "en-session"))
            .unwrap()
            .is_some(),
        "a refused change ends nothing"
    );
    drop(store);

    let changed = samsyn(
        &url,
        &["user", "password", "lakare"],
        &[
            ("SAMSYN_CURRENT_PASSWORD", "samsyn-demo"),
            ("SAMSYN_PASSWORD", new),
        ],
    );
    assert!(changed.status.success(), "{}", stderr(&changed));
    let store = samsyn_store::Store::open(&url).unwrap();
    assert!(
        store
            .transaction(|conn| samsyn_store::sessions::get(conn, "en-session"))
            .unwrap()
            .is_none(),
        "every session has ended"
    );
    drop(store);
    let again = samsyn(
        &url,
        &["user", "password", "lakare"],
        &[
            ("SAMSYN_CURRENT_PASSWORD", "samsyn-demo"),
            ("SAMSYN_PASSWORD", "annan lång fras med ord"),
        ],
    );
    assert!(!again.status.success(), "the old password is gone");
    let reset = samsyn(
        &url,
        &["user", "password", "lakare", "--reset"],
        &[("SAMSYN_PASSWORD", "annan lång fras med ord")],
    );
    assert!(reset.status.success(), "{}", stderr(&reset));
}

#[test]
fn a_new_account_meets_the_policy_and_is_one_whatever_its_case() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("samsyn.db").display());
    assert!(samsyn(&url, &["demo"], &[]).status.success());
    let add = |username: &str, password: &str| {
        samsyn(
            &url,
            &[
                "user",
                "add",
                "--username",
                username,
                "--name",
                "Ny\u{202e}Användare",
                "--role",
                "sjukskoterska",
                "--unit",
                "Hemsjukvården Örebro",
            ],
            &[("SAMSYN_PASSWORD", password)],
        )
    };
    let blank = add("ny.anvandare", "            ");
    assert!(!blank.status.success());
    assert!(stderr(&blank).contains("bara mellanslag"));
    let twin = add("LAKARE", "ekorre kompass vinbär tunnel");
    assert!(!twin.status.success());
    assert!(stderr(&twin).contains("finns redan"), "{}", stderr(&twin));
    let made = add(" Ny.Anvandare ", "ekorre kompass vinbär tunnel");
    assert!(made.status.success(), "{}", stderr(&made));
    let store = samsyn_store::Store::open(&url).unwrap();
    let user = store
        .transaction(|conn| samsyn_store::users::credentials_by_username(conn, "ny.anvandare"))
        .unwrap()
        .unwrap()
        .user;
    assert_eq!(user.username, "ny.anvandare");
    assert_eq!(user.display_name, "NyAnvändare", "no direction override");
    let orebro = store
        .transaction(|conn| samsyn_store::units::get(conn, &user.unit_id))
        .unwrap()
        .party;
    let logged: Vec<_> = store
        .transaction(|conn| samsyn_store::admin_log::recent(conn, orebro, 10))
        .unwrap()
        .into_iter()
        .filter(|change| change.actor == "kommandoraden")
        .collect();
    assert_eq!(
        logged.len(),
        1,
        "only the account that was made: {logged:?}"
    );
    assert_eq!(logged[0].actor, "kommandoraden");
    assert_eq!(logged[0].action, "skapade");
    assert_eq!(logged[0].subject, "användare ny.anvandare");
    assert_eq!(logged[0].detail, "Sjuksköterska, Hemsjukvården Örebro");
}

#[test]
fn a_user_is_given_a_well_formed_hsa_id_of_her_own() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("samsyn.db").display());
    assert!(samsyn(&url, &["demo"], &[]).status.success());
    let add = |username: &str, hsa_id: &str| {
        samsyn(
            &url,
            &[
                "user",
                "add",
                "--username",
                username,
                "--name",
                "Med HSA-id",
                "--role",
                "sjukskoterska",
                "--unit",
                "Hemsjukvården Örebro",
                "--hsa-id",
                hsa_id,
            ],
            &[("SAMSYN_PASSWORD", "ekorre kompass vinbär tunnel")],
        )
    };
    let malformed = add("hsa.ett", "SE2321000016");
    assert!(!malformed.status.success());
    assert!(stderr(&malformed).contains("--hsa-id: HSA-id ska skrivas som SE"));
    assert!(add("hsa.ett", "se2321000016-15cq").status.success());
    let twice = add("hsa.tva", "SE2321000016-15CQ");
    assert!(!twice.status.success(), "one account per HSA-id");
    assert!(stderr(&twice).contains("HSA-id"), "{}", stderr(&twice));
    let listed = String::from_utf8_lossy(&samsyn(&url, &["user", "list"], &[]).stdout).into_owned();
    let line = listed.lines().find(|l| l.starts_with("hsa.ett")).unwrap();
    assert!(line.contains("SE2321000016-15CQ"), "{line}");
    assert!(
        !listed.lines().any(|l| l.starts_with("hsa.tva")),
        "the refused account was not half made"
    );
}

#[test]
fn an_sso_account_has_no_password_and_needs_an_hsa_id() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("samsyn.db").display());
    assert!(samsyn(&url, &["demo"], &[]).status.success());
    let base = [
        "user",
        "add",
        "--username",
        "siths.ssk",
        "--name",
        "Siri Siths",
        "--role",
        "sjukskoterska",
        "--unit",
        "Hemsjukvården Örebro",
        "--sso",
    ];
    let without_hsa = samsyn(&url, &base, &[]);
    assert!(!without_hsa.status.success());
    assert!(stderr(&without_hsa).contains("behöver --hsa-id"));
    let mut with_hsa = base.to_vec();
    with_hsa.extend(["--hsa-id", "SE2321000164-SSO1"]);
    // No password is asked for: standard input is empty and the command still succeeds.
    let made = samsyn(&url, &with_hsa, &[]);
    assert!(made.status.success(), "{}", stderr(&made));
    let listed = String::from_utf8_lossy(&samsyn(&url, &["user", "list"], &[]).stdout).into_owned();
    let line = listed.lines().find(|l| l.starts_with("siths.ssk")).unwrap();
    assert!(line.contains("E-legitimation (SSO)"), "{line}");
    let store = samsyn_store::Store::open(&url).unwrap();
    let credentials = store
        .transaction(|conn| samsyn_store::users::credentials_by_username(conn, "siths.ssk"))
        .unwrap()
        .unwrap();
    assert_eq!(credentials.password_hash, None);
    assert_eq!(
        credentials.user.identity_source,
        samsyn_domain::IdentitySource::Oidc
    );
}
