//! Connections, the pool and migrations. The engine is chosen from the database URL's scheme.

use crate::StoreError;
use diesel::r2d2::{CustomizeConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection to either engine; every query in this crate is written against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// The database engine in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// Where the database is. `Debug` hides the password of a PostgreSQL URL.
#[derive(Clone)]
pub struct DatabaseUrl {
    engine: Engine,
    target: String,
}

impl DatabaseUrl {
    /// `sqlite://path/to/file.db` (relative or absolute) or `postgres://…` / `postgresql://…`.
    pub fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StoreError::UnsupportedUrl(
                    "sqlite:// saknar filnamn".into(),
                ));
            }
            Ok(DatabaseUrl {
                engine: Engine::Sqlite,
                target: path.to_owned(),
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl {
                engine: Engine::Postgres,
                target: url.to_owned(),
            })
        } else {
            Err(StoreError::UnsupportedUrl(
                "använd sqlite://FIL eller postgres://ANVÄNDARE@VÄRD/DATABAS".into(),
            ))
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self.engine {
            Engine::Sqlite => format!("sqlite://{}", self.target),
            Engine::Postgres => redact_password(&self.target),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// The advisory-lock key that serialises migrations between processes ("SamsynMi").
const MIGRATION_LOCK: i64 = 0x5361_6d73_796e_4d69;

struct Manager {
    url: DatabaseUrl,
    /// What libpq is given: the URL with Samsyn's defaults (see `libpq_url`).
    postgres_target: String,
}

/// How long a caller waits for the database before the store says it is unavailable, so that a
/// database outage answers quickly instead of holding requests (and blocking threads) for r2d2's
/// default 30 s.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    pub checkout_timeout: std::time::Duration,
    pub sqlite_synchronous: SqliteSynchronous,
    /// Apply pending migrations at open (the server and most commands); `verify` and `backup`
    /// look at a database as it is.
    pub migrate: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            checkout_timeout: std::time::Duration::from_secs(3),
            sqlite_synchronous: SqliteSynchronous::Full,
            migrate: true,
        }
    }
}

/// SQLite's `synchronous` setting. `Full` syncs the write-ahead log at every commit, so an
/// acknowledged write survives a power cut; `Normal` syncs only at checkpoints, faster, but the
/// last commits before a power cut (not a process crash) may be lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSynchronous {
    Full,
    Normal,
}

impl SqliteSynchronous {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSynchronous::Full => "FULL",
            SqliteSynchronous::Normal => "NORMAL",
        }
    }
}

/// The libpq connection string with Samsyn's defaults for what the URL leaves out: a connect
/// timeout within the checkout timeout, and no GSSAPI encryption (Samsyn does not use Kerberos,
/// and libpq's GSSAPI probe aborted CLI runs at process exit with `k5_mutex_lock`).
fn libpq_url(url: &str, checkout_timeout: std::time::Duration) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let has = |key: &str| {
        query
            .split('&')
            .any(|pair| pair.split('=').next() == Some(key))
    };
    let mut extra = Vec::new();
    if !has("gssencmode") {
        extra.push("gssencmode=disable".to_owned());
    }
    if !has("connect_timeout") {
        // libpq counts whole seconds, and 1 is its minimum.
        extra.push(format!(
            "connect_timeout={}",
            checkout_timeout.as_secs().max(1)
        ));
    }
    if extra.is_empty() {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{}", extra.join("&"))
}

/// How long a connection back in the pool counts as alive without a check. Checking every
/// checkout cost a round trip each, four in every request; a connection that was working a
/// moment ago is trusted, as PgBouncer trusts its server connections (`server_check_delay`). If
/// the database went away in that moment, the request is answered 503, and Diesel marks the
/// connection broken (libpq no longer knows its transaction state), so it is not reused.
const TRUSTED_AFTER_USE: std::time::Duration = std::time::Duration::from_secs(1);

/// A pooled connection, with when it came back to the pool.
pub(crate) struct Pooled {
    conn: DbConnection,
    returned_at: std::time::Instant,
}

impl diesel::r2d2::ManageConnection for Manager {
    type Connection = Pooled;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Pooled, Self::Error> {
        let connection = match self.url.engine {
            Engine::Sqlite => {
                SqliteConnection::establish(&self.url.target).map(DbConnection::Sqlite)
            }
            Engine::Postgres => {
                PgConnection::establish(&self.postgres_target).map(DbConnection::Postgres)
            }
        };
        connection
            .map(|conn| Pooled {
                conn,
                returned_at: std::time::Instant::now(),
            })
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    /// A ping at checkout, unless the connection was in use within `TRUSTED_AFTER_USE`.
    fn is_valid(&self, conn: &mut Pooled) -> Result<(), Self::Error> {
        use diesel::r2d2::R2D2Connection;
        if conn.returned_at.elapsed() < TRUSTED_AFTER_USE {
            return Ok(());
        }
        conn.conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    /// A connection that lost the database, or whose transaction could not be rolled back, is
    /// not reused.
    fn has_broken(&self, conn: &mut Pooled) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.returned_at = std::time::Instant::now();
        conn.conn.is_broken()
    }
}

/// Each SQLite connection's page cache. SQLite's default of 2 MB held too little of a county's
/// case list and log indexes, and a list page then spent a third of its time copying pages
/// from the operating system's cache.
const SQLITE_CACHE_KIB: u32 = 32 * 1024;

/// How much of the SQLite file each connection reads through a memory map. A reader's page
/// cache is emptied whenever another connection has committed, which the access log's writer
/// does many times a second; without the map every read then copied its pages from the
/// operating system again, one system call each. The map is read-only: SQLite still writes
/// through its own calls.
const SQLITE_MMAP_BYTES: u64 = 1 << 30;

#[derive(Debug)]
struct SqlitePragmas {
    synchronous: SqliteSynchronous,
    /// A reader's connection refuses writes, so a read that tries one fails in tests instead of
    /// queueing behind the writer in production.
    query_only: bool,
}

impl CustomizeConnection<Pooled, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut Pooled) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(sqlite) = &mut conn.conn {
            use diesel::connection::SimpleConnection;
            sqlite
                .batch_execute(&format!(
                    "PRAGMA busy_timeout = 10000; PRAGMA synchronous = {}; PRAGMA foreign_keys = ON; \
                     PRAGMA cache_size = -{SQLITE_CACHE_KIB}; PRAGMA mmap_size = {SQLITE_MMAP_BYTES}; \
                     PRAGMA query_only = {};",
                    self.synchronous.pragma(),
                    self.query_only
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// The SQLite file holds patient data: it is created readable and writable by its owner only,
/// and tightened if it is not. SQLite gives its `-wal` and `-shm` files the database file's
/// permissions; existing ones are tightened too.
fn owner_only(target: &str) -> Result<(), StoreError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    if target.starts_with("file:") || target == ":memory:" {
        return Ok(());
    }
    let refused = |e: std::io::Error| StoreError::Connect(format!("databasfilen: {e}"));
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(target)
        .map_err(refused)?;
    for path in [
        target.to_owned(),
        format!("{target}-wal"),
        format!("{target}-shm"),
    ] {
        if let Ok(metadata) = std::fs::metadata(&path)
            && metadata.permissions().mode() & 0o077 != 0
        {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .map_err(refused)?;
        }
    }
    Ok(())
}

/// SQLite readers: enough to keep both cores busy while one waits for the disk.
const SQLITE_READERS: u32 = 4;

/// A pooled handle to the database. Cheap to clone; methods block, so async callers use
/// `spawn_blocking`.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    /// SQLite's readers beside its one writer (WAL lets them read while it writes); on
    /// PostgreSQL every pooled connection reads and writes.
    readers: Option<Pool<Manager>>,
    engine: Engine,
    /// The SQLite file, or the PostgreSQL URL as given.
    target: String,
}

impl Store {
    /// Connects and runs pending migrations, so a start on an empty database just works.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, StoreOptions::default())
    }

    /// As [`Store::open`], with the caller's waiting limits.
    pub fn open_with(url: &str, options: StoreOptions) -> Result<Store, StoreError> {
        let url = DatabaseUrl::parse(url)?;
        let engine = url.engine;
        if engine == Engine::Sqlite {
            owner_only(&url.target)?;
            // WAL lets readers work while one connection writes. It is a property of the file,
            // so set it once, before the pool opens connections in parallel.
            use diesel::connection::SimpleConnection;
            let mut first = SqliteConnection::establish(&url.target)
                .map_err(|e| StoreError::Connect(e.to_string()))?;
            first.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")?;
        }
        // SQLite allows one writer at a time, and a read transaction that later writes can fail
        // with SQLITE_BUSY_SNAPSHOT, which busy_timeout does not retry. One pooled connection
        // serialises the server's transactions instead; each is a few milliseconds.
        let size = match engine {
            Engine::Sqlite => 1,
            Engine::Postgres => 8,
        };
        let pool_of = |size: u32, query_only: bool| {
            Pool::builder()
                .max_size(size)
                .min_idle(Some(1))
                .connection_timeout(options.checkout_timeout)
                .connection_customizer(Box::new(SqlitePragmas {
                    synchronous: options.sqlite_synchronous,
                    query_only,
                }))
                .build(Manager {
                    postgres_target: libpq_url(&url.target, options.checkout_timeout),
                    url: url.clone(),
                })
                .map_err(|e| StoreError::Connect(format!("{} ({})", e, url.redacted())))
        };
        let pool = pool_of(size, false)?;
        let readers = match engine {
            Engine::Sqlite => Some(pool_of(SQLITE_READERS, true)?),
            Engine::Postgres => None,
        };
        let store = Store {
            pool,
            readers,
            engine,
            target: url.target,
        };
        if options.migrate {
            store.migrate()?;
        }
        Ok(store)
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A connection within the checkout timeout, or `Unavailable`.
    fn conn(&self) -> Result<PooledConnection<Manager>, StoreError> {
        self.pool.get().map_err(|_| StoreError::Unavailable)
    }

    /// Runs `f` on a connection outside a transaction, for what may not run in one (VACUUM,
    /// some PRAGMAs).
    pub(crate) fn without_transaction<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        f(&mut self.conn()?.conn)
    }

    /// Runs the read `f` in one read transaction, on a reader where the engine has them, so
    /// that it does not wait for the one SQLite writer. Not for patient data: that is read
    /// through `access_log::LoggedReads`, which logs it.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match &self.readers {
            Some(readers) => {
                let mut conn = readers.get().map_err(|_| StoreError::Unavailable)?;
                conn.conn.transaction(f)
            }
            // Under PostgreSQL's READ COMMITTED each statement reads its own snapshot, so a
            // transaction around reads would add two round trips and no consistency.
            None => f(&mut self.conn()?.conn),
        }
    }

    /// Runs `f` in one transaction: all of it is written, or nothing.
    pub fn transaction<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.conn()?.conn.transaction(f)
    }

    /// A connection of its own, outside the pool, for PostgreSQL's LISTEN: it stays open for as
    /// long as the process listens. `None` on SQLite.
    pub(crate) fn dedicated_postgres_connection(&self) -> Option<Result<PgConnection, StoreError>> {
        (self.engine == Engine::Postgres).then(|| {
            let url = libpq_url(&self.target, std::time::Duration::from_secs(5));
            PgConnection::establish(&url).map_err(|e| StoreError::Connect(e.to_string()))
        })
    }

    /// The SQLite file's path; `None` on PostgreSQL.
    pub fn sqlite_path(&self) -> Option<&std::path::Path> {
        (self.engine == Engine::Sqlite).then(|| std::path::Path::new(&self.target))
    }

    /// How many migrations this binary has that the database has not run.
    pub fn pending_migrations(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let pending = match &mut conn.conn {
            DbConnection::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConnection::Postgres(c) => c.pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
        };
        pending.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Applies migrations not yet run; returns how many were applied.
    ///
    /// On PostgreSQL several processes may start at once against one database: the first takes
    /// an advisory lock and migrates, the others wait for it and then find nothing to do.
    pub fn migrate(&self) -> Result<usize, StoreError> {
        let mut conn = self.conn()?;
        let applied = match &mut conn.conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConnection::Postgres(c) => {
                use diesel::RunQueryDsl;
                let lock = format!("SELECT pg_advisory_lock({MIGRATION_LOCK})");
                diesel::sql_query(lock).execute(c)?;
                let applied = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.len());
                // The lock belongs to the connection, which goes back to the pool: release it
                // whatever the migrations did.
                let unlock = format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})");
                diesel::sql_query(unlock).execute(c)?;
                applied
            }
        };
        applied.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// True when the database answers a trivial query within `within` (for `/readyz`).
    pub fn is_ready(&self, within: std::time::Duration) -> bool {
        use diesel::r2d2::R2D2Connection;
        self.pool
            .get_timeout(within)
            .map(|mut c| c.conn.ping().is_ok())
            .unwrap_or(false)
    }

    /// Table and column names as the engine reports them, for the schema-equivalence test.
    pub fn describe_schema(&self) -> Result<Vec<(String, String, bool)>, StoreError> {
        #[derive(diesel::QueryableByName)]
        struct Column {
            #[diesel(sql_type = diesel::sql_types::Text)]
            table_name: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            column_name: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            nullable: String,
        }
        let query = match self.engine {
            Engine::Sqlite => {
                "SELECT m.name AS table_name, p.name AS column_name, \
                 CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 'NO' ELSE 'YES' END AS nullable \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name <> '__diesel_schema_migrations'"
            }
            Engine::Postgres => {
                "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                 is_nullable::text AS nullable FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'"
            }
        };
        let mut conn = self.conn()?;
        let mut columns: Vec<(String, String, bool)> = diesel::sql_query(query)
            .load::<Column>(&mut conn.conn)?
            .into_iter()
            .map(|c| (c.table_name, c.column_name, c.nullable == "YES"))
            .collect();
        columns.sort();
        Ok(columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_engine_and_hide_passwords() {
        let pg = DatabaseUrl::parse("postgres://samsyn:hemligt@db.example/samsyn").unwrap();
        assert_eq!(pg.engine(), Engine::Postgres);
        assert_eq!(format!("{pg:?}"), "postgres://samsyn:***@db.example/samsyn");
        assert_eq!(
            DatabaseUrl::parse("sqlite://samsyn.db").unwrap().engine(),
            Engine::Sqlite
        );
        assert!(matches!(
            DatabaseUrl::parse("mysql://x"),
            Err(StoreError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn libpq_gets_a_connect_timeout_and_no_gssapi_unless_the_url_says_otherwise() {
        let three = std::time::Duration::from_secs(3);
        assert_eq!(
            libpq_url("postgres://u@h/db", three),
            "postgres://u@h/db?gssencmode=disable&connect_timeout=3"
        );
        assert_eq!(
            libpq_url(
                "postgres://u@h/db?sslmode=require",
                std::time::Duration::ZERO
            ),
            "postgres://u@h/db?sslmode=require&gssencmode=disable&connect_timeout=1"
        );
        assert_eq!(
            libpq_url(
                "postgres://u@h/db?gssencmode=prefer&connect_timeout=9",
                three
            ),
            "postgres://u@h/db?gssencmode=prefer&connect_timeout=9"
        );
    }
}
