//! Key-value facts about the database itself, e.g. whether it was created in demo mode.

use crate::schema::meta;
use crate::{DbConnection, StoreError};
use diesel::prelude::*;

/// Set once when the demo county is created; the UI shows a DEMO banner while it is set.
pub const DEMO_KEY: &str = "demo_seed";

pub fn get(conn: &mut DbConnection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(meta::table
        .filter(meta::key.eq(key))
        .select(meta::value)
        .first::<String>(conn)
        .optional()?)
}

pub fn set(conn: &mut DbConnection, key: &str, value: &str) -> Result<(), StoreError> {
    let updated = diesel::update(meta::table.filter(meta::key.eq(key)))
        .set(meta::value.eq(value))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(meta::table)
            .values((meta::key.eq(key), meta::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}
