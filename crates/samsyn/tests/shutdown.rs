//! The real server process stops as a service manager expects, on both engines: on SIGTERM it
//! stops accepting, finishes the request in flight and exits 0; a client that never finishes its
//! headers is disconnected after the header timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use samsyn_testkit::{TestDb, on_both_engines};
use server::{Server, status_of};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

fn start(db: &TestDb) -> Server {
    server::start(
        &db.url,
        &["--drain-seconds", "15", "--header-timeout-seconds", "2"],
    )
}

fn sigterm_finishes_the_request_in_flight_and_exits(db: TestDb) {
    let mut server = start(&db);
    let body = br#"{"username":"ingen.alls","password":"fel-losenord"}"#;
    let (first, rest) = body.split_at(20);
    let mut client = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        client,
        "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    client.write_all(first).unwrap();
    client.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());

    // The listener closes at once: new connections are refused while the old one is served.
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", server.port)).is_ok() {
        assert!(
            Instant::now() < deadline,
            "still accepting connections after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the process exited with a request in flight"
    );

    client.write_all(rest).unwrap();
    let mut answer = Vec::new();
    client.read_to_end(&mut answer).unwrap();
    assert_eq!(
        status_of(&answer),
        Some(401),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the process did not exit after its last request"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
}

fn a_client_that_never_finishes_its_headers_is_disconnected(db: TestDb) {
    let server = start(&db);
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = slow.read_to_end(&mut answer);
    assert!(
        read.is_ok(),
        "the connection was still open after {:?}",
        started.elapsed()
    );
    assert_ne!(status_of(&answer), Some(200));

    // A kept-alive connection that goes quiet after its request is closed the same way.
    let mut idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buffer = [0u8; 4096];
    let first = idle.read(&mut buffer).unwrap();
    assert_eq!(status_of(&buffer[..first]), Some(200));
    let mut rest = Vec::new();
    assert!(
        idle.read_to_end(&mut rest).is_ok(),
        "the idle connection was not closed"
    );
}

on_both_engines!(
    sigterm_finishes_the_request_in_flight_and_exits,
    a_client_that_never_finishes_its_headers_is_disconnected,
);
