//! Samsyn's persistence: one repository API over SQLite (embedded default) and PostgreSQL.
//!
//! Every query is written once with Diesel against [`db::DbConnection`], a `MultiConnection`
//! over both engines. Nothing above this crate knows SQL.
//!
//! Architecture invariant: the access log is only ever inserted into; there is no function here
//! that updates or deletes it, and the migrations install triggers that refuse both.

pub mod access_log;
pub mod additional_amount;
pub mod care_requests;
pub mod case_work;
pub mod db;
pub mod demo;
pub mod demo_measurement;
pub mod development_budget;
mod error;
pub mod measurement;
pub mod messages;
pub mod meta;
pub mod patients;
pub mod pseudonym;
mod schema;
pub mod sessions;
pub mod units;
pub mod users;

pub use db::{DbConnection, Engine, Store};
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
