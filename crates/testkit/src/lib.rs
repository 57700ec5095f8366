//! Test support: real databases for the store and HTTP suites, and the synthetic persons and
//! requests that the drills and the API benchmark send.
//!
//! SQLite tests get a fresh file in a temporary directory. PostgreSQL tests get a fresh database
//! in the throwaway cluster that the README test command starts; its admin URL arrives in
//! `SAMSYN_TEST_POSTGRES_URL`.

use diesel::{Connection, PgConnection, RunQueryDsl};
use samsyn_domain::RuleSet;
use std::path::{Path, PathBuf};

/// The checkout's `rules/` folder, where the shipped rule sets and their data files live.
pub fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

/// A shipped rule set by file name (e.g. `exempel-2026.toml`), with its data files, as
/// `samsyn --rules rules/…` loads it.
pub fn rules_file(name: &str) -> RuleSet {
    let dir = rules_dir();
    let text = std::fs::read_to_string(dir.join(name)).expect("the shipped rule set");
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).map_err(|e| e.to_string());
    RuleSet::load(&text, &read).expect("the shipped rule set loads")
}

/// Region Örebro län's rule set, the one the suites run under, with its data files.
pub fn shipped_rules() -> RuleSet {
    rules_file("orebro-2025.toml")
}

/// The environment variable naming the throwaway PostgreSQL cluster's admin URL.
pub const POSTGRES_URL_VAR: &str = "SAMSYN_TEST_POSTGRES_URL";

/// A database that lives as long as the test: a SQLite file's directory is removed with it, and a
/// PostgreSQL database is dropped (some 16 MB each; hundreds of cases would otherwise fill a CI
/// machine's disk).
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _postgres: Option<PostgresDatabase>,
}

/// A test database in the throwaway cluster, named so that it can be dropped.
struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        // WITH (FORCE) ends connections a pool may still hold; a failure only leaves a database
        // in a cluster the test command removes anyway.
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

impl TestDb {
    /// For a PostgreSQL database: while `away`, the cluster refuses new connections to it and
    /// has ended the ones it had, as in an outage; afterwards it accepts them again. Returns
    /// false (and does nothing) for SQLite.
    pub fn set_postgres_away(&self, away: bool) -> bool {
        let Some(database) = &self._postgres else {
            return false;
        };
        let mut conn = PgConnection::establish(&database.admin_url)
            .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL cluster: {e}"));
        let name = &database.name;
        diesel::sql_query(format!(
            "ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {}",
            !away
        ))
        .execute(&mut conn)
        .unwrap_or_else(|e| panic!("cannot change the test database: {e}"));
        if away {
            diesel::sql_query(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("cannot end the test database's connections: {e}"));
        }
        true
    }
}

/// A new SQLite database file.
pub fn sqlite() -> TestDb {
    let dir =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
    let url = format!("sqlite://{}", dir.path().join("samsyn-test.db").display());
    TestDb {
        url,
        _dir: Some(dir),
        _postgres: None,
    }
}

/// A new, empty PostgreSQL database in the test cluster.
pub fn postgres() -> TestDb {
    let admin = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{POSTGRES_URL_VAR} is not set. The PostgreSQL half of the suites runs from the README \
             test command (./scripts/test), which starts a throwaway PostgreSQL cluster."
        )
    });
    let name = format!("samsyn_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = PgConnection::establish(&admin)
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL cluster: {e}"));
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .unwrap_or_else(|e| panic!("cannot create test database: {e}"));
    let base = admin
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(&admin);
    TestDb {
        url: format!("{base}/{name}"),
        _dir: None,
        _postgres: Some(PostgresDatabase {
            admin_url: admin,
            name,
        }),
    }
}

/// Generates one `#[test]` per engine for each listed function `fn name(db: TestDb)`, in modules
/// `sqlite` and `postgres`, so the output shows which engine each case ran on.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name($crate::postgres()) } )*
        }
    };
}

/// As [`on_both_engines!`], for `async fn name(db: TestDb)`.
#[macro_export]
macro_rules! on_both_engines_async {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { $crate::block_on(super::$name($crate::sqlite())) } )*
        }
        mod postgres {
            $( #[test] fn $name() { $crate::block_on(super::$name($crate::postgres())) } )*
        }
    };
}

/// Runs an async test body on a fresh runtime.
pub fn block_on(future: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("cannot start a test runtime: {e}"))
        .block_on(future)
}

/// A valid personnummer of someone born in 1931 or a few years before, distinct for each `n`
/// below 1 000 000. The birth number stays below 900: the demo county's persons have 900 and
/// above, so a bench that fills the demo county to national scale meets none of them.
pub fn personnummer(n: usize) -> String {
    const PER_DAY: usize = 900;
    const PER_YEAR: usize = PER_DAY * 28 * 12;
    let year = 1931 - n / PER_YEAR;
    let month = 1 + (n / (PER_DAY * 28)) % 12;
    let day = 1 + (n / PER_DAY) % 28;
    let serial = n % PER_DAY;
    let digits = format!("{:02}{month:02}{day:02}{serial:03}", year % 100);
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    format!("{year}{month:02}{day:02}-{serial:03}{check}")
}

/// A complete request to Örebro's home health care from Vårdcentralen Örebro centrum.
pub fn request_body(n: usize) -> String {
    serde_json::json!({
        "personnummer": personnummer(n),
        "patient_name": format!("Drill Person {n}"),
        "home_municipality": "1880",
        "situation": "Vill bo kvar hemma.",
        "background": "Hjärtsvikt.",
        "current_assessment": "Stabil men skör.",
        "recommendation": "Viktkontroll två gånger i veckan.",
        "fixed_doctor_name": "Lena Lind",
        "fixed_doctor_phone": "070-174 06 10",
        "care_contact_name": "Distriktssköterska Berg",
        "care_contact_phone": "070-174 06 11",
        "health_centre_name": "Vårdcentralen Örebro centrum",
        "health_centre_phone": "070-174 06 12",
        "consent": "samtycke",
        "consent_given_by": "Personen själv",
        "consent_way": "muntligt",
        "consent_given_on": "2026-11-02",
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::personnummer;

    #[test]
    fn synthetic_numbers_are_distinct_well_formed_and_below_the_demos_birth_numbers() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..1_000_000 {
            let number = personnummer(n);
            assert!(seen.insert(number.clone()), "{n} repeats {number}");
            if n % 997 == 0 {
                let (date, rest) = number.split_once('-').unwrap();
                assert!(
                    date.len() == 8 && ("1928"..="1931").contains(&&date[..4]),
                    "{number}"
                );
                assert!(rest[..3].parse::<u32>().unwrap() < 900, "{number}");
                let digits: Vec<u32> = number[2..].chars().filter_map(|c| c.to_digit(10)).collect();
                let luhn: u32 = digits
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let d = d * if i % 2 == 0 { 2 } else { 1 };
                        d / 10 + d % 10
                    })
                    .sum();
                assert_eq!(luhn % 10, 0, "{number}");
            }
        }
    }
}
