//! The login flood from the attack report, against the real server process: 300 sign-in attempts
//! with distinct 1 MB usernames, without an account, must leave the server's resident memory
//! within 20 MB of what it was before, and every attempt must be refused. A memory figure, not a
//! timing: the server may take as long as it likes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 exchange on a fresh connection: the status code.
fn exchange(port: u16, request: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    stream.write_all(request).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    text.split(' ').nth(1)?.parse().ok()
}

fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_flood_of_huge_usernames_leaves_memory_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("samsyn.db").display());
    let port = free_port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_samsyn"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("SAMSYN_DATABASE_URL", &url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let health = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let mut ready = false;
    for _ in 0..600 {
        if exchange(port, health) == Some(200) {
            ready = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(ready, "the server did not start");
    let pid = server.0.id();
    // Warm up the paths a refused sign-in takes, so the baseline includes them.
    let attempt = |n: usize| {
        let username = format!("{n:06}{}", "x".repeat(1024 * 1024 - 6));
        let body = format!("{{\"username\":\"{username}\",\"password\":\"fel\"}}");
        let request = format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        exchange(port, request.as_bytes())
    };
    for n in 0..5 {
        attempt(n);
    }
    let before = resident_kib(pid);
    let mut statuses = std::collections::BTreeMap::new();
    for n in 5..305 {
        *statuses.entry(attempt(n)).or_insert(0) += 1;
    }
    let after = resident_kib(pid);
    println!(
        "resident memory: {} MB before, {} MB after 300 × 1 MB usernames; answers {statuses:?}",
        before / 1024,
        after / 1024
    );
    assert!(
        statuses
            .keys()
            .all(|status| matches!(status, Some(400 | 401 | 413 | 422 | 429))),
        "every attempt refused: {statuses:?}"
    );
    assert!(
        after <= before + 20 * 1024,
        "grew from {before} kB to {after} kB"
    );
}
