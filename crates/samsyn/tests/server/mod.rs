//! The real server process for the tests that stop, kill and restart it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use samsyn_store::{Store, demo};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `samsyn serve --no-demo` on the database with the extra flags, and waits until it
/// accepts connections.
pub fn start(url: &str, extra: &[&str]) -> Server {
    let server = spawn(url, extra);
    wait_until_listening(&server);
    server
}

/// Starts the server without waiting for it.
pub fn spawn(url: &str, extra: &[&str]) -> Server {
    let mut args = vec!["--no-demo"];
    args.extend_from_slice(extra);
    spawn_serving(url, &args)
}

/// Starts `samsyn serve` as an operator would, building the demo county in an empty SQLite
/// database, and waits until it accepts connections.
pub fn start_with_demo(url: &str, extra: &[&str]) -> Server {
    let server = spawn_serving(url, extra);
    wait_until_listening(&server);
    server
}

fn spawn_serving(url: &str, extra: &[&str]) -> Server {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(["serve", "--bind", &bind])
        .args(extra)
        .env("SAMSYN_DATABASE_URL", url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Server { child, port }
}

/// Waits until the server accepts connections (a minute at most).
pub fn wait_until_listening(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", server.port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One HTTP/1.1 exchange on a fresh connection: the status code.
pub fn exchange(port: u16, request: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    stream.write_all(request).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    status_of(&answer)
}

/// `GET path` on a fresh connection: the whole answer as text.
pub fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of an HTTP answer.
pub fn status_of(answer: &[u8]) -> Option<u16> {
    String::from_utf8_lossy(answer)
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

/// One JSON exchange on a fresh connection: status and body, or `None` when the server is gone.
pub fn json(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Option<(u16, serde_json::Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let status = status_of(&answer)?;
    let text = String::from_utf8_lossy(&answer);
    let payload = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Some((
        status,
        serde_json::from_str(payload).unwrap_or(serde_json::Value::Null),
    ))
}

/// The demo county in the database, as `samsyn serve` builds it without `--no-demo`.
pub fn demo_county(url: &str) {
    let store = Store::open(url).unwrap();
    let rules = samsyn_testkit::shipped_rules();
    let hash = samsyn_web::shared::auth::hash_password(demo::DEMO_PASSWORD).unwrap();
    let now = jiff::Timestamp::now();
    let today = now
        .to_zoned(jiff::tz::TimeZone::get("Europe/Stockholm").unwrap())
        .date();
    demo::create(&store, &rules, demo::DEFAULT_SEED, &hash, now, today).unwrap();
}

/// An API token for a demo user.
pub fn token(port: u16, username: &str) -> String {
    let body = format!(
        r#"{{"username":"{username}","password":"{}"}}"#,
        demo::DEMO_PASSWORD
    );
    let (status, answer) = json(port, "POST", "/api/v1/session", None, Some(&body)).unwrap();
    assert_eq!(status, 200, "{answer}");
    answer["token"].as_str().unwrap().to_owned()
}
