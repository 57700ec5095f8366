//! Samsyn's persistence: one repository API over SQLite (embedded default) and PostgreSQL.
//!
//! Every query is written once with Diesel against [`db::DbConnection`], a `MultiConnection`
//! over both engines. Nothing above this crate knows SQL.
//!
//! A lookup by a unique key reads with `get_result`, not `first`: `first` binds `LIMIT 1` as a
//! parameter, and SQLite (3.50, as bundled) plans a bound LIMIT by its value, so it prepares such a
//! statement again at every use; on the session lookup that was a fifth of a case read's time.
//!
//! Architecture invariant: the access log is only ever inserted into; there is no function here
//! that updates or deletes it, and the migrations install triggers that refuse both.
//!
//! One folder per part of the agreement (`case/`, `measurement/`, `additional_amount/`,
//! `development_budget/`), plus `access_log/` and `demo/`; the files at the top are the
//! connection, schema and the records every part shares (units, users, sessions, patients).

pub mod access_log;
pub mod additional_amount;
pub mod admin_log;
pub mod backup;
pub mod care;
pub mod case;
pub mod db;
pub mod demo;
pub mod development_budget;
pub mod deviation;
pub mod disagreement;
pub mod emergency_access;
mod error;
pub mod follow_up;
pub mod hsa_import;
pub mod idempotency;
pub mod measurement;
pub mod meta;
pub mod patients;
pub mod person_sessions;
mod schema;
pub mod sessions;
pub mod sign_in_failures;
pub mod sign_in_flows;
pub mod units;
pub mod users;

pub use db::{DbConnection, Engine, SqliteSynchronous, Store, StoreOptions};
pub use error::StoreError;

/// Milliseconds since the Unix epoch, the portable time column type.
pub(crate) fn to_millis(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn from_millis(ms: i64) -> Result<jiff::Timestamp, StoreError> {
    jiff::Timestamp::from_millisecond(ms)
        .map_err(|_| StoreError::Corrupt("timestamp out of range".into()))
}

/// A new time-ordered id (UUIDv7).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Whether `text` has the form of an id this crate writes, checked before an id from a link
/// reaches a query.
pub(crate) fn looks_like_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}
