//! The real server process for the tests that stop, kill and restart it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use samsyn_store::{Store, demo};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    /// Known once the server says where it listens (`wait_until_listening`).
    pub port: u16,
    /// The server's error output, kept to say why it did not start.
    stderr: tempfile::NamedTempFile,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `samsyn serve --no-demo` on the database with the extra flags, and waits until it
/// accepts connections.
pub fn start(url: &str, extra: &[&str]) -> Server {
    let mut server = spawn(url, extra);
    wait_until_listening(&mut server);
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
    let mut server = spawn_serving(url, extra);
    wait_until_listening(&mut server);
    server
}

/// The server binds port 0 and says which port it got: a port picked free beforehand could be
/// taken by another program's connection before the server binds it.
fn spawn_serving(url: &str, extra: &[&str]) -> Server {
    let stderr = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .env("SAMSYN_DATABASE_URL", url)
        .stdout(Stdio::piped())
        .stderr(stderr.reopen().unwrap())
        .spawn()
        .unwrap();
    Server {
        child,
        port: 0,
        stderr,
    }
}

/// Waits until the server says where it listens (a minute at most), and reads on from its output
/// so that it never blocks writing. Fails with the server's error output if it stopped instead.
pub fn wait_until_listening(server: &mut Server) {
    const LISTENING: &str = "Samsyn kör på http://";
    let stdout = server.child.stdout.take().expect("the server's output");
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut port_tx = Some(port_tx);
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(address) = line.strip_prefix(LISTENING)
                && let Some(tx) = port_tx.take()
            {
                let port = address.rsplit(':').next().and_then(|p| p.parse().ok());
                let _ = tx.send(port);
            }
        }
    });
    match port_rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Some(port)) => server.port = port,
        outcome => {
            let status = server.child.try_wait().ok().flatten();
            let errors = std::fs::read_to_string(server.stderr.path()).unwrap_or_default();
            panic!("the server did not start ({outcome:?}, exit {status:?}): {errors}");
        }
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
