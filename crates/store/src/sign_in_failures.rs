//! Failed sign-ins, counted in the database per key (an account or a client address) so that
//! every process serving one database throttles alike. The throttle's rules are the web layer's
//! (`shared::auth::LoginThrottle`); this is only what it counts.

use crate::schema::sign_in_failures;
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use std::collections::HashSet;

/// How many failures `key` has had since `since`.
pub fn count_since(
    conn: &mut DbConnection,
    key: &str,
    since: Timestamp,
) -> Result<i64, StoreError> {
    Ok(sign_in_failures::table
        .filter(sign_in_failures::key.eq(key))
        .filter(sign_in_failures::at.ge(to_millis(since)))
        .count()
        .get_result(conn)?)
}

/// Records one failure under each key, and forgets every failure before `forget_before`.
pub fn record(
    conn: &mut DbConnection,
    keys: &[&str],
    at: Timestamp,
    forget_before: Timestamp,
) -> Result<(), StoreError> {
    diesel::delete(
        sign_in_failures::table.filter(sign_in_failures::at.lt(to_millis(forget_before))),
    )
    .execute(conn)?;
    for key in keys {
        diesel::insert_into(sign_in_failures::table)
            .values((
                sign_in_failures::id.eq(new_id()),
                sign_in_failures::key.eq(key),
                sign_in_failures::at.eq(to_millis(at)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Forgets the key's failures (a successful sign-in, an administrator's unlock).
pub fn forget(conn: &mut DbConnection, key: &str) -> Result<(), StoreError> {
    diesel::delete(sign_in_failures::table.filter(sign_in_failures::key.eq(key))).execute(conn)?;
    Ok(())
}

/// The keys starting with `prefix` that have had at least `failures` since `since` (the table
/// holds only the throttle's window, so this reads little).
pub fn at_least(
    conn: &mut DbConnection,
    prefix: &str,
    failures: i64,
    since: Timestamp,
) -> Result<HashSet<String>, StoreError> {
    let counted: Vec<(String, i64)> = sign_in_failures::table
        .filter(sign_in_failures::key.like(format!("{prefix}%")))
        .filter(sign_in_failures::at.ge(to_millis(since)))
        .group_by(sign_in_failures::key)
        .select((sign_in_failures::key, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counted
        .into_iter()
        .filter(|(_, n)| *n >= failures)
        .map(|(key, _)| key)
        .collect())
}

/// How many failures are kept, all keys together: one window's worth at most.
pub fn kept(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(sign_in_failures::table.count().get_result(conn)?)
}
