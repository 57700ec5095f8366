//! Several Samsyn processes on one PostgreSQL database: started at the same moment on an empty
//! database, one migrates under the advisory lock while the other waits, both come up ready, and
//! the database ends with every migration applied once; failed sign-ins counted by one process
//! throttle the next attempt on the other.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use std::process::Command;

#[test]
fn two_processes_started_together_on_an_empty_postgresql_migrate_once() {
    let db = samsyn_testkit::postgres();
    let first = server::spawn(&db.url, &[]);
    let second = server::spawn(&db.url, &[]);
    server::wait_until_listening(&first);
    server::wait_until_listening(&second);
    for server in [&first, &second] {
        let ready = b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        assert_eq!(server::exchange(server.port, ready), Some(200));
    }
    let wrong = r#"{"username":"anna","password":"fel-losenord"}"#;
    for _ in 0..5 {
        let answer = server::json(first.port, "POST", "/api/v1/session", None, Some(wrong));
        assert_eq!(answer.map(|(status, _)| status), Some(401));
    }
    let answer = server::json(second.port, "POST", "/api/v1/session", None, Some(wrong));
    assert_eq!(
        answer.map(|(status, _)| status),
        Some(429),
        "the other process knows of the failures"
    );
    let verified = Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .arg("verify")
        .env("SAMSYN_DATABASE_URL", &db.url)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{report}");
    assert!(report.contains("Alla kontroller godkända."), "{report}");
}
