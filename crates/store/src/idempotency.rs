//! Idempotency-Key on creates: a client that lost the answer to a create sends it again with the
//! same key and gets what the first call created, instead of a second case. The key is claimed
//! in the create's own transaction, so a crash leaves either both or neither, and a concurrent
//! retry waits for the first call and then replays it.

use crate::schema::idempotency_keys;
use crate::{DbConnection, StoreError, to_millis};
use diesel::prelude::*;
use jiff::{Timestamp, ToSpan};

/// How long a key is remembered.
pub const KEPT_HOURS: i64 = 24;

/// What a claimed key means for the create.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// First use: go on and create, then `complete`.
    New,
    /// Used before for the same request: the case it created.
    Replay(String),
    /// Used before for another request: the client reuses keys, which is its error.
    OtherRequest,
}

/// Claims `key` for the user's request with this `fingerprint` (a hash of what is created), and
/// forgets keys older than a day.
pub fn claim(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    fingerprint: &str,
    now: Timestamp,
) -> Result<Claim, StoreError> {
    let forgotten = now
        .checked_sub(KEPT_HOURS.hours())
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    diesel::delete(
        idempotency_keys::table.filter(idempotency_keys::created_at.lt(to_millis(forgotten))),
    )
    .execute(conn)?;
    // A concurrent claim of the same key waits here until the first transaction ends.
    let insert = || {
        diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::user_id.eq(user_id),
                idempotency_keys::key.eq(key),
                idempotency_keys::fingerprint.eq(fingerprint),
                idempotency_keys::created_at.eq(to_millis(now)),
            ))
            .on_conflict((idempotency_keys::user_id, idempotency_keys::key))
            .do_nothing()
    };
    // Diesel writes ON CONFLICT for each engine, not for the two together.
    let inserted = match conn {
        DbConnection::Sqlite(c) => insert().execute(c)?,
        DbConnection::Postgres(c) => insert().execute(c)?,
    };
    if inserted == 1 {
        return Ok(Claim::New);
    }
    let (stored, case_id): (String, Option<String>) = idempotency_keys::table
        .find((user_id, key))
        .select((idempotency_keys::fingerprint, idempotency_keys::case_id))
        .get_result(conn)?;
    Ok(match case_id {
        Some(case_id) if stored == fingerprint => Claim::Replay(case_id),
        _ => Claim::OtherRequest,
    })
}

/// Records the case the claimed key created.
pub fn complete(
    conn: &mut DbConnection,
    user_id: &str,
    key: &str,
    case_id: &str,
) -> Result<(), StoreError> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set(idempotency_keys::case_id.eq(case_id))
        .execute(conn)?;
    Ok(())
}
