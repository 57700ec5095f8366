//! Crash and restore drills on both engines, against the real server process:
//! - writers create requests through the HTTP API while the server is killed with SIGKILL;
//!   after a restart every write that was answered 201 is there, each with its access-log
//!   entry, and the access log's chain is unbroken;
//! - a backup taken with `samsyn backup` while the writers write is restored with
//!   `samsyn restore` into a fresh database, passes `samsyn verify`, and holds every write
//!   answered before the backup began.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use diesel::RunQueryDsl;
use samsyn_store::Store;
use samsyn_testkit::{TestDb, on_both_engines};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WRITERS: usize = 4;

fn samsyn(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(args)
        .env("SAMSYN_DATABASE_URL", url)
        .output()
        .unwrap()
}

/// Writers that create requests until told to stop or the server is gone; each id answered 201
/// is recorded with the moment (the count of acknowledged writes before it).
struct Load {
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<String>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

fn writers(port: u16, token: &str, first: usize) -> Load {
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let threads = (0..WRITERS)
        .map(|w| {
            let (stop, acknowledged, token) =
                (stop.clone(), acknowledged.clone(), token.to_owned());
            std::thread::spawn(move || {
                let mut n = first + w;
                while !stop.load(Ordering::SeqCst) {
                    let answer = server::json(
                        port,
                        "POST",
                        "/api/v1/requests",
                        Some(&token),
                        Some(&samsyn_testkit::request_body(n)),
                    );
                    match answer {
                        Some((201, created)) => acknowledged
                            .lock()
                            .unwrap()
                            .push(created["id"].as_str().unwrap().to_owned()),
                        Some((status, body)) => panic!("write {n} answered {status}: {body}"),
                        None => break,
                    }
                    n += WRITERS;
                }
            })
        })
        .collect();
    Load {
        stop,
        acknowledged,
        threads,
    }
}

impl Load {
    fn count(&self) -> usize {
        self.acknowledged.lock().unwrap().len()
    }

    fn wait_for(&self, at_least: usize) {
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while self.count() < at_least {
            assert!(std::time::Instant::now() < deadline, "the writers stalled");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn finish(self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        for thread in self.threads {
            thread.join().unwrap();
        }
        Arc::try_unwrap(self.acknowledged)
            .unwrap()
            .into_inner()
            .unwrap()
    }
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

fn ids(url: &str, query: &str) -> std::collections::HashSet<String> {
    Store::open(url)
        .unwrap()
        .transaction(|conn| Ok(diesel::sql_query(query).load::<Id>(conn)?))
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect()
}

fn stored_requests(url: &str) -> std::collections::HashSet<String> {
    ids(url, "SELECT id FROM care_requests")
}

fn logged_creations(url: &str) -> std::collections::HashSet<String> {
    ids(
        url,
        &format!(
            "SELECT object_id AS id FROM access_log WHERE action = '{}' AND outcome = '{}'",
            samsyn_domain::AccessAction::Create.code(),
            samsyn_domain::AccessOutcome::Allowed.code()
        ),
    )
}

fn sigkill_loses_no_acknowledged_write(db: TestDb) {
    server::demo_county(&db.url);
    let mut first = server::start(&db.url, &[]);
    let load = writers(first.port, &server::token(first.port, "lakare"), 0);
    load.wait_for(40);
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let acknowledged = load.finish();
    assert!(acknowledged.len() >= 40);

    // The restarted server answers, and everything acknowledged is stored and logged.
    let again = server::start(&db.url, &[]);
    assert_eq!(
        server::json(again.port, "GET", "/readyz", None, None).map(|(s, _)| s),
        Some(200)
    );
    drop(again);
    let stored = stored_requests(&db.url);
    let logged = logged_creations(&db.url);
    for id in &acknowledged {
        assert!(stored.contains(id), "acknowledged request {id} is lost");
        assert!(logged.contains(id), "request {id} has no access-log entry");
    }
    let verify = samsyn(&db.url, &["verify"]);
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
}

fn a_backup_under_load_restores_and_verifies(db: TestDb) {
    server::demo_county(&db.url);
    let running = server::start(&db.url, &[]);
    let load = writers(
        running.port,
        &server::token(running.port, "lakare"),
        500_000,
    );
    load.wait_for(10);
    let before: Vec<String> = load.acknowledged.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("samsyn.backup");
    let backup = samsyn(&db.url, &["backup", "--out", copy.to_str().unwrap()]);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let after_backup = load.count();
    load.wait_for(after_backup + 10);
    let written = load.finish();
    drop(running);
    assert!(
        written.len() > before.len(),
        "the writers wrote during the backup"
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the backup is readable by others: {mode:o}"
        );
    }

    let fresh = if db.url.starts_with("sqlite://") {
        samsyn_testkit::sqlite()
    } else {
        samsyn_testkit::postgres()
    };
    let restored = samsyn(&fresh.url, &["restore", "--from", copy.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&restored.stdout).into_owned();
    assert!(
        restored.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(report.contains("Alla kontroller godkända."), "{report}");
    assert!(report.contains("ok  Åtkomstloggens kedja"), "{report}");
    let stored = stored_requests(&fresh.url);
    for id in &before {
        assert!(
            stored.contains(id),
            "request {id}, written before the backup, is not in it"
        );
    }
    let logged = logged_creations(&fresh.url);
    assert!(
        stored
            .iter()
            .filter(|id| written.contains(*id))
            .all(|id| logged.contains(id))
    );

    // A restore over a database with data needs --force.
    let again = samsyn(&fresh.url, &["restore", "--from", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
}

on_both_engines!(
    sigkill_loses_no_acknowledged_write,
    a_backup_under_load_restores_and_verifies,
);
