//! Several Samsyn processes on one PostgreSQL database: started at the same moment on an empty
//! database, one migrates under the advisory lock while the other waits, both come up ready, and
//! the database ends with every migration applied once; a request sent through one process
//! reloads the receiving unit's inbox open on the other; failed sign-ins counted by one process
//! throttle the next attempt on the other.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

/// Opens the inbox's event stream as the session of `token`, and returns once it is listening.
fn open_inbox_events(port: u16, token: &str) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /inkorg/handelser HTTP/1.1\r\nHost: x\r\nCookie: samsyn_session={token}\r\n\r\n"
    )
    .unwrap();
    let head = read_until(&mut stream, "\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    stream
}

/// Reads until `needle` has come, for ten seconds at most; everything read.
fn read_until(stream: &mut TcpStream, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while !seen.contains(needle) {
        assert!(
            Instant::now() < deadline,
            "waited for {needle:?}, got {seen:?}"
        );
        stream
            .set_read_timeout(Some(deadline.saturating_duration_since(Instant::now())))
            .unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => panic!("the stream ended before {needle:?}: {seen:?}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
            Err(error) => panic!("waited for {needle:?}: {error}, got {seen:?}"),
        }
    }
    seen
}

#[test]
fn two_processes_on_one_postgresql_share_migrations_inboxes_and_the_throttle() {
    let db = samsyn_testkit::postgres();
    let mut first = server::spawn(&db.url, &[]);
    let mut second = server::spawn(&db.url, &[]);
    server::wait_until_listening(&mut first);
    server::wait_until_listening(&mut second);
    for server in [&first, &second] {
        let ready = b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        assert_eq!(server::exchange(server.port, ready), Some(200));
    }

    server::demo_county(&db.url);
    let mut inbox = open_inbox_events(second.port, &server::token(second.port, "sjukskoterska"));
    let mut request: serde_json::Value =
        serde_json::from_str(&samsyn_testkit::request_body(1)).unwrap();
    request["send"] = true.into();
    let sent = server::json(
        first.port,
        "POST",
        "/api/v1/requests",
        Some(&server::token(first.port, "lakare")),
        Some(&request.to_string()),
    );
    assert_eq!(sent.map(|(status, _)| status), Some(201));
    read_until(&mut inbox, "event: arende");
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
