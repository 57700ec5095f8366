//! A fixed-rate (open-loop) load: request `k` is due at `start + k / rate` whatever the server
//! did with the ones before, and its latency counts from when it was due, not from when it went
//! out. A server that falls behind therefore shows it in the figures instead of slowing the load
//! down (the coordinated-omission trap of closed-loop load tools).

use reqwest::{Client, Method};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// One request of a scenario.
pub struct Call {
    pub method: Method,
    pub path: String,
    pub token: String,
    pub body: Option<String>,
    /// The header `Idempotency-Key`, for creates.
    pub key: Option<String>,
}

/// What a run at one rate gave.
#[derive(Debug, Clone)]
pub struct Figures {
    pub rate: u32,
    /// Answered with another status, or not at all within the timeout.
    pub failed: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// Answers (of any kind) per second over the run, the wait for the last ones included.
    pub throughput: f64,
}

/// How long a request may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends `rate` requests a second for `seconds`, each made by `call(k)`, and waits for every
/// answer.
pub async fn run(
    client: &Client,
    base: &str,
    rate: u32,
    seconds: u32,
    call: Arc<dyn Fn(usize) -> Call + Send + Sync>,
) -> Figures {
    let total = usize::try_from(rate * seconds).unwrap_or(usize::MAX);
    let interval = Duration::from_secs(1) / rate.max(1);
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..total {
        let due = start + interval * u32::try_from(k).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due).await;
        let request = call(k);
        let client = client.clone();
        let url = format!("{base}{}", request.path);
        tasks.spawn(async move {
            let mut builder = client
                .request(request.method, url)
                .bearer_auth(request.token)
                .timeout(TIMEOUT);
            if let Some(body) = request.body {
                builder = builder
                    .header("Content-Type", "application/json")
                    .body(body);
            }
            if let Some(key) = request.key {
                builder = builder.header("Idempotency-Key", key);
            }
            let ok = match builder.send().await {
                Ok(answer) => {
                    let success = answer.status().is_success();
                    answer.bytes().await.is_ok() && success
                }
                Err(_) => false,
            };
            (ok, due.elapsed())
        });
    }
    let mut latencies = Vec::with_capacity(total);
    let mut ok = 0;
    while let Some(done) = tasks.join_next().await {
        if let Ok((success, latency)) = done {
            ok += usize::from(success);
            latencies.push(latency);
        }
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    Figures {
        rate,
        failed: total - ok,
        p50: at(0.50),
        p99: at(0.99),
        max: latencies.last().copied().unwrap_or_default(),
        throughput: latencies.len() as f64 / elapsed.as_secs_f64(),
    }
}

/// Waits until the server has worked off what an overloaded run left queued: `/readyz` (which
/// needs a database connection) answers 200 within 50 ms three times in a row. The next run then
/// starts on an idle server.
pub async fn settle(client: &Client, base: &str) {
    let mut quick = 0;
    while quick < 3 {
        let started = Instant::now();
        let ready = client
            .get(format!("{base}/readyz"))
            .timeout(TIMEOUT)
            .send()
            .await
            .is_ok_and(|answer| answer.status().is_success());
        quick = if ready && started.elapsed() < Duration::from_millis(50) {
            quick + 1
        } else {
            0
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
