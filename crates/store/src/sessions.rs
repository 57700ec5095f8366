//! Server-side sessions. Only a SHA-256 hash of the session token is stored, so a copy of the
//! database does not let anyone take over a session.

use crate::schema::sessions;
use crate::{DbConnection, StoreError, from_millis, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::IdentitySource;

#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user_id: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// How the user signed in; every access-log entry of the session carries it.
    pub identity_source: IdentitySource,
}

pub fn create(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: &str,
    source: IdentitySource,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::identity_source.eq(source.code()),
            sessions::created_at.eq(to_millis(now)),
            sessions::last_seen_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, token_hash: &str) -> Result<Option<Session>, StoreError> {
    sessions::table
        .find(token_hash)
        .select(SESSION_COLUMNS)
        .get_result::<SessionRow>(conn)
        .optional()?
        .map(session_from)
        .transpose()
}

pub(crate) type SessionRow = (String, String, i64, i64, String);

pub(crate) const SESSION_COLUMNS: (
    sessions::token_hash,
    sessions::user_id,
    sessions::created_at,
    sessions::last_seen_at,
    sessions::identity_source,
) = (
    sessions::token_hash,
    sessions::user_id,
    sessions::created_at,
    sessions::last_seen_at,
    sessions::identity_source,
);

pub(crate) fn session_from(
    (token_hash, user_id, created, seen, source): SessionRow,
) -> Result<Session, StoreError> {
    Ok(Session {
        token_hash,
        user_id,
        created_at: from_millis(created)?,
        last_seen_at: from_millis(seen)?,
        identity_source: IdentitySource::from_code(&source)
            .ok_or_else(|| StoreError::Corrupt("session identity source".into()))?,
    })
}

pub fn touch(conn: &mut DbConnection, token_hash: &str, now: Timestamp) -> Result<(), StoreError> {
    diesel::update(sessions::table.find(token_hash))
        .set(sessions::last_seen_at.eq(to_millis(now)))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, token_hash: &str) -> Result<(), StoreError> {
    diesel::delete(sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

pub fn delete_for_user(conn: &mut DbConnection, user_id: &str) -> Result<(), StoreError> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}

/// Ends every session of the user but `keep` (the one that changed the password).
pub fn delete_others(conn: &mut DbConnection, user_id: &str, keep: &str) -> Result<(), StoreError> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(conn)?;
    Ok(())
}

/// Removes sessions idle since before `idle_cutoff` or created before `absolute_cutoff`.
pub fn delete_expired(
    conn: &mut DbConnection,
    idle_cutoff: Timestamp,
    absolute_cutoff: Timestamp,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .lt(to_millis(idle_cutoff))
                .or(sessions::created_at.lt(to_millis(absolute_cutoff))),
        ),
    )
    .execute(conn)?)
}
