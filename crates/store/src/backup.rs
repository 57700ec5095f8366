//! Säkerhetskopia and the check after a restore: an online, consistent copy of a SQLite database,
//! and `verify` — migrations current, the engine's own integrity and foreign-key checks, the
//! access log's hash chain unbroken, and each table's row count. PostgreSQL is copied with its
//! own `pg_dump`, which the binary runs.

use crate::StoreError;
use crate::db::{DbConnection, Engine, Store};
use diesel::RunQueryDsl;
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the SQLite database to `out` while the server keeps writing:
    /// `VACUUM INTO` reads one snapshot (WAL lets writers go on) into a file beside `out`, which
    /// is synced and then renamed, so `out` is either absent or whole. The copy is readable by
    /// its owner only. Refuses an `out` that exists.
    pub fn snapshot_sqlite(&self, out: &Path) -> Result<u64, StoreError> {
        if self.engine() != Engine::Sqlite {
            return Err(StoreError::Corrupt(
                "en PostgreSQL-databas kopieras med pg_dump".into(),
            ));
        }
        if out.exists() {
            return Err(StoreError::Duplicate("säkerhetskopians fil"));
        }
        let partial = out.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let io = |e: std::io::Error| StoreError::Connect(format!("säkerhetskopian: {e}"));
        // VACUUM INTO accepts an empty file: made first, owner-only, so the copy never is
        // readable by others, not even for a moment.
        {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&partial)
                .map_err(io)?;
        }
        let path = partial
            .to_str()
            .ok_or_else(|| StoreError::Corrupt("filnamnet är inte UTF-8".into()))?;
        // VACUUM may not run inside a transaction; VACUUM INTO reads one snapshot by itself.
        self.without_transaction(|conn| {
            diesel::sql_query("VACUUM INTO ?")
                .bind::<diesel::sql_types::Text, _>(path)
                .execute(conn)?;
            Ok(())
        })?;
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        std::fs::rename(&partial, out).map_err(io)?;
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(std::fs::metadata(out).map_err(io)?.len())
    }
}

/// One check of `verify`, as a person reads it.
#[derive(Debug, Clone)]
pub struct Check {
    pub what: &'static str,
    pub passed: bool,
    pub detail: String,
}

/// What `verify` found.
#[derive(Debug, Clone)]
pub struct Verification {
    pub checks: Vec<Check>,
    /// Every table with its row count, by name.
    pub row_counts: Vec<(String, i64)>,
}

impl Verification {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    pub fn rows(&self, table: &str) -> Option<i64> {
        self.row_counts
            .iter()
            .find(|(name, _)| name == table)
            .map(|(_, n)| *n)
    }
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The checks to run after any restore (and from monitoring): each says what it found.
pub fn verify(store: &Store) -> Result<Verification, StoreError> {
    let mut checks = Vec::new();
    let pending = store.pending_migrations()?;
    checks.push(Check {
        what: "Migreringar",
        passed: pending == 0,
        detail: if pending == 0 {
            "databasen har alla migreringar som programmet har".into()
        } else {
            format!("{pending} migreringar saknas: kör `samsyn migrate`")
        },
    });
    let engine = store.engine();
    let (integrity, foreign_keys) = store.without_transaction(|conn| {
        Ok((
            integrity(conn, engine)?,
            foreign_key_problems(conn, engine)?,
        ))
    })?;
    checks.push(Check {
        what: "Databasens integritet",
        passed: integrity.is_empty(),
        detail: if integrity.is_empty() {
            match engine {
                Engine::Sqlite => "PRAGMA integrity_check: ok".into(),
                Engine::Postgres => "inga ogiltiga index".into(),
            }
        } else {
            integrity.join("; ")
        },
    });
    checks.push(Check {
        what: "Främmande nycklar",
        passed: foreign_keys.is_empty(),
        detail: if foreign_keys.is_empty() {
            "varje referens pekar på en rad som finns".into()
        } else {
            foreign_keys.join("; ")
        },
    });
    let chain = store.transaction(crate::access_log::chain::verify)?;
    checks.push(Check {
        what: "Åtkomstloggens kedja",
        passed: chain.first_break.is_none(),
        detail: match &chain.first_break {
            None => format!("obruten, {} poster", chain.links),
            Some(first) => format!("bruten vid {first}"),
        },
    });
    let out_of_step = store.transaction(crate::case::list_entries::out_of_step)?;
    checks.push(Check {
        what: "Ärendelistan",
        passed: out_of_step == 0,
        detail: if out_of_step == 0 {
            "i takt med ärendena".into()
        } else {
            format!("{out_of_step} rader skiljer sig från ärendena")
        },
    });
    let mut tables: Vec<String> = store
        .describe_schema()?
        .into_iter()
        .map(|(table, _, _)| table)
        .collect();
    tables.dedup();
    let row_counts = store.transaction(|conn| {
        tables
            .iter()
            .map(|table| {
                let count = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM \"{table}\""))
                    .get_result::<Count>(conn)?;
                Ok((table.clone(), count.n))
            })
            .collect::<Result<Vec<_>, StoreError>>()
    })?;
    Ok(Verification { checks, row_counts })
}

/// The engine's own consistency check: problems found, none when sound.
fn integrity(conn: &mut DbConnection, engine: Engine) -> Result<Vec<String>, StoreError> {
    let query = match engine {
        Engine::Sqlite => "SELECT integrity_check AS line FROM pragma_integrity_check",
        Engine::Postgres => {
            "SELECT 'ogiltigt index ' || c.relname AS line FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid"
        }
    };
    Ok(diesel::sql_query(query)
        .load::<Line>(conn)?
        .into_iter()
        .map(|l| l.line)
        .filter(|line| line != "ok")
        .collect())
}

/// References to rows that do not exist (SQLite), or foreign keys not validated (PostgreSQL,
/// which otherwise enforces them always).
fn foreign_key_problems(
    conn: &mut DbConnection,
    engine: Engine,
) -> Result<Vec<String>, StoreError> {
    let query = match engine {
        Engine::Sqlite => {
            "SELECT \"table\" || ' rad ' || COALESCE(rowid, 0) || ' pekar på en saknad rad i ' || parent AS line \
             FROM pragma_foreign_key_check"
        }
        Engine::Postgres => {
            "SELECT conrelid::regclass::text || ': ' || conname || ' är inte kontrollerad' AS line \
             FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
        }
    };
    Ok(diesel::sql_query(query)
        .load::<Line>(conn)?
        .into_iter()
        .map(|l| l.line)
        .collect())
}
