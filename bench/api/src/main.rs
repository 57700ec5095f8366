//! `bench/api`: Samsyn's HTTP API under a fixed-rate load. For each engine it builds the demo
//! county, fills it to county or national scale, starts the release binary on it, and runs list,
//! case read, case write and FHIR search at each rate, printing p50/p99 and throughput as the
//! rows of bench/README.md's table.

mod dataset;
mod load;
mod server;

use anyhow::{Context, Result};
use clap::Parser;
use dataset::{Dataset, Scale};
use diesel::{Connection, PgConnection, RunQueryDsl};
use load::{Call, Figures};
use reqwest::Method;
use samsyn_store::{Store, demo};
use server::Server;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[derive(Parser)]
struct Args {
    /// How much data the load meets.
    #[arg(long, value_enum, default_value = "county")]
    scale: Scale,
    /// Engines to run on: sqlite, postgres or both.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    engines: Vec<String>,
    /// Requests per second, one run each.
    #[arg(long, value_delimiter = ',', default_value = "250,500,1000")]
    rates: Vec<u32>,
    /// Routes to load, by the first words of their name (`list`, `case`, `case read`, `FHIR`);
    /// all by default.
    #[arg(long, value_delimiter = ',')]
    routes: Vec<String>,
    /// Seconds each run lasts.
    #[arg(long, default_value_t = 10)]
    seconds: u32,
    /// A PostgreSQL cluster's admin URL; the bench creates and drops its own database there.
    #[arg(long, env = "SAMSYN_BENCH_POSTGRES_URL")]
    postgres: Option<String>,
    /// The release binary under load.
    #[arg(long, default_value = "target/release/samsyn")]
    samsyn: PathBuf,
    #[arg(long, default_value_t = 18_180)]
    port: u16,
    /// Where the SQLite database and the server logs go, kept after the run to be looked into;
    /// by default a temporary directory that goes with the run.
    #[arg(long)]
    keep_in: Option<PathBuf>,
    /// Build the data and stop, without starting the server.
    #[arg(long)]
    build_only: bool,
}

/// The rule set the demo county is built under, as `samsyn serve` ships it, with its data files.
fn rules() -> Result<samsyn_domain::RuleSet> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let text = std::fs::read_to_string(dir.join("orebro-2025.toml"))?;
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).map_err(|e| e.to_string());
    Ok(samsyn_domain::RuleSet::load(&text, &read)?)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let temporary = tempfile::tempdir()?;
    let work = match &args.keep_in {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => temporary.path().to_owned(),
    };
    println!(
        "| engine | scale | cases in the unit | route | rate req/s | p50 ms | p99 ms | max ms | answered req/s | failed |"
    );
    println!("|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for engine in &args.engines {
        let url =
            match engine.as_str() {
                "sqlite" => format!("sqlite://{}", work.join("bench.db").display()),
                "postgres" => fresh_postgres_database(args.postgres.as_deref().context(
                    "--postgres (or SAMSYN_BENCH_POSTGRES_URL) is needed for postgres",
                )?)?,
                other => anyhow::bail!("unknown engine {other}: use sqlite or postgres"),
            };
        let started = Instant::now();
        let data = build(&url, args.scale)?;
        eprintln!(
            "{engine}: {} cases, {} in the nurse's unit, built in {:.0} s",
            args.scale.cases(),
            data.cases_in_nurse_unit,
            started.elapsed().as_secs_f64()
        );
        if engine == "postgres" {
            let vacuumed = Instant::now();
            vacuum(&url)?;
            eprintln!(
                "{engine}: vacuumed and analysed in {:.0} s",
                vacuumed.elapsed().as_secs_f64()
            );
        }
        if args.build_only {
            continue;
        }
        let log = work.join(format!("{engine}.log"));
        let server = Server::start(&args.samsyn, &url, args.port, &log).await?;
        let figures = load_all(&server, &data, &args).await;
        server.stop()?;
        for (route, figures) in figures? {
            for f in figures {
                println!(
                    "| {engine} | {:?} | {} | {route} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {} |",
                    args.scale,
                    data.cases_in_nurse_unit,
                    f.rate,
                    ms(f.p50),
                    ms(f.p99),
                    ms(f.max),
                    f.throughput,
                    f.failed
                );
            }
        }
    }
    Ok(())
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A new database `samsyn_bench` in the cluster, dropped first if a run left one.
fn fresh_postgres_database(admin_url: &str) -> Result<String> {
    let mut admin = PgConnection::establish(admin_url).context("connecting to PostgreSQL")?;
    diesel::sql_query("DROP DATABASE IF EXISTS samsyn_bench WITH (FORCE)").execute(&mut admin)?;
    diesel::sql_query("CREATE DATABASE samsyn_bench").execute(&mut admin)?;
    let (cluster, _) = admin_url
        .rsplit_once('/')
        .context("the PostgreSQL URL names no database")?;
    Ok(format!("{cluster}/samsyn_bench"))
}

/// A warmed database, as one in service is: a bulk fill leaves PostgreSQL's visibility map and
/// statistics behind (autovacuum would catch up while the load runs and skew it), so the bench
/// vacuums and analyses before it measures.
fn vacuum(url: &str) -> Result<()> {
    let mut conn = PgConnection::establish(url).context("connecting to PostgreSQL")?;
    diesel::sql_query("VACUUM (ANALYZE)").execute(&mut conn)?;
    Ok(())
}

/// The demo county as `samsyn serve` builds it, filled to `scale`.
fn build(url: &str, scale: Scale) -> Result<Dataset> {
    let store = Store::open(url)?;
    let rules = rules()?;
    let hash = samsyn_web::shared::auth::hash_password(demo::DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!(e))?;
    let now = jiff::Timestamp::now();
    let today = now
        .to_zoned(jiff::tz::TimeZone::get("Europe/Stockholm")?)
        .date();
    demo::create(&store, &rules, demo::DEFAULT_SEED, &hash, now, today)?;
    dataset::fill(&store, &rules, scale, today, now)
}

/// Each rate is first run this long, unmeasured, so that the figures are the steady state at the
/// rate. The step up to a rate is slow for about a quarter of a second while connections and
/// threads open; in a 10-second run at 1 000 req/s that step alone was over 1 % of the requests,
/// so p99 measured the step instead of the rate (bench/README.md).
const WARM_UP_SECONDS: u32 = 2;

type Scenario = (&'static str, Arc<dyn Fn(usize) -> Call + Send + Sync>);

/// Every route at every rate, each rate after a warm-up at it.
async fn load_all(
    server: &Server,
    data: &Dataset,
    args: &Args,
) -> Result<Vec<(&'static str, Vec<Figures>)>> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(2_000)
        .build()?;
    let nurse = server.sign_in(&client, "sjukskoterska").await?;
    let doctor = server.sign_in(&client, "lakare").await?;
    let mut results = Vec::new();
    let chosen = |route: &str| {
        args.routes.is_empty()
            || args
                .routes
                .iter()
                .any(|r| route.starts_with(&format!("{r} ")))
    };
    for (route, call) in scenarios(data, &nurse, &doctor)
        .into_iter()
        .filter(|(route, _)| chosen(route))
    {
        let mut figures = Vec::new();
        for &rate in &args.rates {
            load::run(&client, &server.base, rate, WARM_UP_SECONDS, call.clone()).await;
            load::settle(&client, &server.base).await;
            let run = load::run(&client, &server.base, rate, args.seconds, call.clone()).await;
            load::settle(&client, &server.base).await;
            // Past its knee a route only queues; higher rates would tell nothing more and leave a
            // backlog for the next route.
            let saturated = run.failed > 0 || run.p99 > std::time::Duration::from_secs(1);
            figures.push(run);
            if saturated {
                break;
            }
        }
        results.push((route, figures));
    }
    Ok(results)
}

fn scenarios(data: &Dataset, nurse: &str, doctor: &str) -> Vec<Scenario> {
    let cases = Arc::new(data.nurse_case_ids.clone());
    let persons = Arc::new(data.nurse_persons.clone());
    let (nurse, doctor) = (nurse.to_owned(), doctor.to_owned());
    let get = |path: String, token: &str| Call {
        method: Method::GET,
        path,
        token: token.to_owned(),
        body: None,
        key: None,
    };
    let list_token = nurse.clone();
    let read_token = nurse.clone();
    let create_counter = std::sync::atomic::AtomicUsize::new(0);
    vec![
        (
            "list (GET /api/v1/requests, first page of 50)",
            Arc::new(move |_| get("/api/v1/requests?limit=50".to_owned(), &list_token)),
        ),
        (
            "case read (GET /api/v1/requests/{id})",
            Arc::new(move |k| {
                let id = &cases[k.wrapping_mul(7_919) % cases.len().max(1)];
                get(format!("/api/v1/requests/{id}"), &read_token)
            }),
        ),
        (
            "case write (POST /api/v1/requests, a draft)",
            Arc::new(move |_| {
                let n = create_counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Call {
                    method: Method::POST,
                    path: "/api/v1/requests".to_owned(),
                    token: doctor.clone(),
                    body: Some(samsyn_testkit::request_body(600_000 + n % 300_000)),
                    key: Some(format!("bench-{n}")),
                }
            }),
        ),
        (
            "FHIR search (ServiceRequest?patient=…&_count=50)",
            Arc::new(move |k| {
                let person = &persons[k.wrapping_mul(7_919) % persons.len().max(1)];
                get(
                    format!("/fhir/r4/ServiceRequest?patient={person}&_count=50"),
                    &nurse,
                )
            }),
        ),
    ]
}
