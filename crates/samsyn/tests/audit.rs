//! `samsyn audit verify` and `samsyn audit head` through the real binary, on a demo database
//! whose access log is then tampered with as someone with the file in hand would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::RunQueryDsl;
use std::process::Command;

fn samsyn(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(args)
        .env("SAMSYN_DATABASE_URL", url)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn verify_names_the_first_broken_link_and_head_prints_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("samsyn.db").display());
    let demo = samsyn(&url, &["demo"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));

    let clean = samsyn(&url, &["audit", "verify"]);
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    assert!(
        text(&clean.stdout).contains("obruten"),
        "{}",
        text(&clean.stdout)
    );
    let head = text(&samsyn(&url, &["audit", "head"]).stdout);
    let (seq, hash) = head.trim().split_once(' ').unwrap();
    assert!(
        seq.parse::<i64>().unwrap() > 5,
        "the demo logs its work: {head}"
    );
    assert_eq!(hash.len(), 64);

    let store = samsyn_store::Store::open(&url).unwrap();
    store
        .transaction(|conn| {
            for statement in [
                "DROP TRIGGER access_log_no_delete",
                "DELETE FROM access_log WHERE id = (SELECT entry_id FROM access_log_chain WHERE seq = 5)",
            ] {
                diesel::sql_query(statement).execute(conn)?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let broken = samsyn(&url, &["audit", "verify"]);
    assert!(!broken.status.success());
    assert!(
        text(&broken.stderr).contains("post 5: posten är borttagen"),
        "{}",
        text(&broken.stderr)
    );
}

#[test]
fn audit_show_is_a_logged_read_by_a_named_reviewer() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("samsyn.db").display());
    assert!(samsyn(&url, &["demo"]).status.success());

    let nobody = samsyn(
        &url,
        &[
            "audit",
            "show",
            "--reviewer",
            "ekonom",
            "--user",
            "sjukskoterska",
        ],
    );
    assert!(!nobody.status.success());
    assert!(
        text(&nobody.stderr).contains("--reviewer: ekonom är inte en aktiv logggranskare"),
        "{}",
        text(&nobody.stderr)
    );

    let shown = samsyn(
        &url,
        &[
            "audit",
            "show",
            "--reviewer",
            "logggranskare",
            "--user",
            "sjukskoterska.kumla",
        ],
    );
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let listing = text(&shown.stdout);
    assert!(listing.contains("denied"), "{listing}");
    assert!(listing.contains("varav 1 nekade"), "{listing}");

    let own = samsyn(
        &url,
        &[
            "audit",
            "show",
            "--reviewer",
            "logggranskare",
            "--user",
            "logggranskare",
        ],
    );
    let own = text(&own.stdout);
    assert!(
        own.contains("atkomstlogg samsyn audit show; användare sjukskoterska.kumla"),
        "the earlier show is in the log: {own}"
    );
}
