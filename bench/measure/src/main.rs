//! `bench/measure`: times the measurement on generated files of 1 M, 10 M (and, given time and
//! disk, 50 M) activity rows in one streaming pass (parse, check, pseudonymise once per person,
//! classify), reports rows per second and peak memory, and compares with DuckDB computing the
//! same categories in SQL over the same files.
//!
//! Usage: `cargo run --release -p samsyn-bench-measure -- [ROWS…]` (see bench/README.md).

use jiff::ToSpan;
use jiff::civil::date;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use samsyn_domain::Personnummer;
use samsyn_domain::RuleSet;
use samsyn_domain::measurement::{Category, Period};
use samsyn_store::measurement::files::{MeasuredFile, MeasuredKind, measure_files};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const MUNICIPALITIES: [&str; 12] = [
    "1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883", "1884", "1885",
];
const CODES: [&str; 6] = ["DT021", "DR014", "QB001", "PB001", "DT021", "QB002"];
const PROFESSIONS: [&str; 5] = ["XS919", "XS919", "XS910", "XS918", "XS921"];

/// Writes the two files for `rows` activity rows: about ten activities per person.
fn generate(dir: &Path, rows: usize) -> std::io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(rows as u64);
    let persons = (rows / 10).max(1);
    let numbers: Vec<String> = (0..persons)
        .map(|n| {
            let birth = date(1925, 1, 1).saturating_add(((n / 20) % 29_000) as i64 * 1.day());
            Personnummer::from_parts(birth, 980 + (n % 20) as u16, false)
                .map(|p| p.expose())
                .unwrap_or_default()
        })
        .collect();
    let mut activities = std::io::BufWriter::new(std::fs::File::create(
        dir.join(format!("aktiviteter-{rows}.csv")),
    )?);
    writeln!(
        activities,
        "kommunkod;personnummer;datum;kva_kod;yrkeskod;minuter;delegerad"
    )?;
    for _ in 0..rows {
        let person = rng.random_range(0..persons);
        let municipality = MUNICIPALITIES[person % 12];
        let day = rng.random_range(1..=31);
        let code = CODES[rng.random_range(0..CODES.len())];
        let profession = PROFESSIONS[rng.random_range(0..PROFESSIONS.len())];
        let minutes = rng.random_range(5..90);
        let delegated = if profession == "XS921" || rng.random_range(0..10) == 0 {
            "J"
        } else {
            "N"
        };
        writeln!(
            activities,
            "{municipality};{};2025-10-{day:02};{code};{profession};{minutes};{delegated}",
            numbers[person]
        )?;
    }
    let mut enrollments = std::io::BufWriter::new(std::fs::File::create(
        dir.join(format!("inskrivningar-{rows}.csv")),
    )?);
    writeln!(
        enrollments,
        "kommunkod;personnummer;inskriven_from;inskriven_tom;boende;palliativ"
    )?;
    for (person, number) in numbers.iter().enumerate().filter(|(p, _)| p % 3 != 0) {
        let housing = if person % 17 == 0 {
            "särskilt"
        } else {
            "ordinärt"
        };
        let palliative = if person % 29 == 0 { "J" } else { "N" };
        writeln!(
            enrollments,
            "{};{number};2025-06-01;;{housing};{palliative}",
            MUNICIPALITIES[person % 12]
        )?;
    }
    Ok(())
}

fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

type Table = BTreeMap<String, BTreeMap<String, u64>>;

fn run(dir: &Path, rows: usize, python: &str) -> Result<(), String> {
    let rules = RuleSet::from_toml(include_str!("../../../rules/orebro-2025.toml"))
        .map_err(|e| e.to_string())?;
    let activities_path = dir.join(format!("aktiviteter-{rows}.csv"));
    let enrollments_path = dir.join(format!("inskrivningar-{rows}.csv"));
    if !activities_path.exists() {
        generate(dir, rows).map_err(|e| e.to_string())?;
    }
    let today = date(2026, 11, 23);
    let period = Period::month("2025-10").ok_or("period")?;
    let started = Instant::now();
    // Every core: the files cut into blocks of lines, each checked and classified.
    let open = |path: &Path, kind| {
        std::fs::File::open(path).map(|reader| MeasuredFile {
            name: path.display().to_string(),
            kind,
            reader,
        })
    };
    let files = vec![
        open(&activities_path, MeasuredKind::Activities).map_err(|e| e.to_string())?,
        open(&enrollments_path, MeasuredKind::Enrollments).map_err(|e| e.to_string())?,
    ];
    let measured = measure_files(&rules, period, today, files).map_err(|e| e.to_string())?;
    if !measured.errors.is_empty() {
        return Err(format!("{} errors", measured.errors.len()));
    }
    let result = measured.measurement;
    let total = started.elapsed().as_secs_f64();
    let ours: Table = result
        .municipalities
        .iter()
        .map(|m| {
            let counts = Category::ALL
                .iter()
                .map(|c| (c.code().to_owned(), m.count(*c)))
                .filter(|(_, n)| *n > 0)
                .collect();
            (m.code.to_string(), counts)
        })
        .collect();
    let memory = peak_memory_mb();
    let duck = Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("duckdb_categories.py"))
        .arg(&activities_path)
        .arg(&enrollments_path)
        .output()
        .map_err(|e| format!("DuckDB: {e}"))?;
    if !duck.status.success() {
        return Err(format!(
            "DuckDB failed: {}",
            String::from_utf8_lossy(&duck.stderr)
        ));
    }
    let duck: serde_json::Value =
        serde_json::from_slice(&duck.stdout).map_err(|e| e.to_string())?;
    let theirs: Table = serde_json::from_value(duck["table"].clone()).map_err(|e| e.to_string())?;
    let duck_seconds = duck["seconds"].as_f64().unwrap_or(f64::NAN);
    println!(
        "| {:>10} | {:>7.2} | {:>8.2} | {:>8.0} | {:>8.2} | {:>5.2} | {} |",
        rows,
        total,
        rows as f64 / total / 1e6,
        memory,
        duck_seconds,
        total / duck_seconds,
        if ours == theirs { "equal" } else { "DIFFERENT" }
    );
    if ours != theirs {
        return Err(format!(
            "tables differ:\nsamsyn {ours:?}\nduckdb {theirs:?}"
        ));
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = if args.is_empty() {
        vec![1_000_000, 10_000_000]
    } else {
        args.iter()
            .filter_map(|a| a.replace('_', "").parse().ok())
            .collect()
    };
    let dir =
        std::env::var("SAMSYN_BENCH_DIR").unwrap_or_else(|_| "target/bench-measure".to_owned());
    let python = std::env::var("SAMSYN_BENCH_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let dir = Path::new(&dir);
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("{e}");
        std::process::exit(1);
    }
    println!(
        "| rows | Samsyn s (every core) | M rows/s | peak MB | DuckDB s (two cores) | ratio | tables |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---|");
    for rows in sizes {
        if let Err(e) = run(dir, rows, &python) {
            eprintln!("{rows} rows: {e}");
            std::process::exit(1);
        }
    }
}
