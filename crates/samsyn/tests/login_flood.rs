//! The login flood from the attack report, against the real server process: 300 sign-in attempts
//! with distinct 1 MB usernames, without an account, must leave the server's resident memory
//! within 20 MB of what it was before, and every attempt must be refused. A memory figure, not a
//! timing: the server may take as long as it likes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

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
    let server = server::start(&url, &[]);
    let (port, pid) = (server.port, server.child.id());
    // Warm up the paths a refused sign-in takes, so the baseline includes them.
    let attempt = |n: usize| {
        let username = format!("{n:06}{}", "x".repeat(1024 * 1024 - 6));
        let body = format!("{{\"username\":\"{username}\",\"password\":\"fel\"}}");
        let request = format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        server::exchange(port, request.as_bytes())
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
