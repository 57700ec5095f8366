//! Sessions of persons signed in to their own pages (Min sida). Kept apart from staff sessions:
//! a person's token is never looked up as a staff session, so it cannot open a staff page.

use crate::schema::person_sessions;
use crate::{DbConnection, StoreError, from_millis, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::Personnummer;

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct PersonSession {
    pub personnummer: Personnummer,
    pub display_name: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

pub fn create(
    conn: &mut DbConnection,
    token_hash: &str,
    personnummer: &Personnummer,
    display_name: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(person_sessions::table)
        .values((
            person_sessions::token_hash.eq(token_hash),
            person_sessions::personnummer.eq(personnummer.expose()),
            person_sessions::display_name.eq(display_name),
            person_sessions::created_at.eq(to_millis(now)),
            person_sessions::last_seen_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, token_hash: &str) -> Result<Option<PersonSession>, StoreError> {
    let row = person_sessions::table
        .find(token_hash)
        .select((
            person_sessions::personnummer,
            person_sessions::display_name,
            person_sessions::created_at,
            person_sessions::last_seen_at,
        ))
        .get_result::<(String, String, i64, i64)>(conn)
        .optional()?;
    row.map(|(personnummer, display_name, created, seen)| {
        Ok(PersonSession {
            personnummer: Personnummer::parse(&personnummer, jiff::civil::date(9999, 12, 31))
                .map_err(|_| StoreError::Corrupt("person session".into()))?,
            display_name,
            created_at: from_millis(created)?,
            last_seen_at: from_millis(seen)?,
        })
    })
    .transpose()
}

pub fn touch(conn: &mut DbConnection, token_hash: &str, now: Timestamp) -> Result<(), StoreError> {
    diesel::update(person_sessions::table.find(token_hash))
        .set(person_sessions::last_seen_at.eq(to_millis(now)))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, token_hash: &str) -> Result<(), StoreError> {
    diesel::delete(person_sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

/// Removes sessions idle since before `idle_cutoff` or created before `absolute_cutoff`.
pub fn delete_expired(
    conn: &mut DbConnection,
    idle_cutoff: Timestamp,
    absolute_cutoff: Timestamp,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        person_sessions::table.filter(
            person_sessions::last_seen_at
                .lt(to_millis(idle_cutoff))
                .or(person_sessions::created_at.lt(to_millis(absolute_cutoff))),
        ),
    )
    .execute(conn)?)
}
