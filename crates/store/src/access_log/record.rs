//! Writing one access-log entry, and its link in the hash chain: the only write there is.

use crate::access_log::chain::{self, StoredEntry};
use crate::schema::access_log;
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::{AccessAction, AccessOutcome, IdentitySource};

/// Who is acting: one user working for one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub unit_id: String,
    pub role: samsyn_domain::Role,
    /// How the user signed in to the session this is done in.
    pub identity_source: IdentitySource,
}

/// One access to patient data, about to be logged.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    pub patient_id: Option<&'a str>,
    pub action: AccessAction,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub outcome: AccessOutcome,
}

pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    access: Access<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    write(conn, actor, access, None, now)
}

/// An access made under a nödåtkomst opening: the entry names the opening, and with it the
/// reason.
pub fn record_in_emergency(
    conn: &mut DbConnection,
    actor: &Actor,
    access: Access<'_>,
    opening_id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    write(conn, actor, access, Some(opening_id), now)
}

/// Several accesses by one actor at one moment (the cases on a page of a list): one statement
/// for the entries and one for their links, instead of a round of each per entry.
pub fn record_all(
    conn: &mut DbConnection,
    actor: &Actor,
    accesses: &[Access<'_>],
    now: Timestamp,
) -> Result<(), StoreError> {
    let entries: Vec<StoredEntry> = accesses
        .iter()
        .map(|access| entry(actor, *access, None, now))
        .collect();
    write_entries(conn, &entries)
}

/// What a read found, with the accesses it made, not yet logged. A read on a reader connection
/// hands it to [`crate::access_log::LoggedReads`], which shows the value only once the store's log
/// writer has committed the entries; a read inside a caller's own transaction logs them there
/// with [`Logged::record`]. The fields are private, so the value cannot be had unlogged.
#[must_use = "what a read found may be shown only once its accesses are logged"]
pub struct Logged<T> {
    value: T,
    entries: Vec<StoredEntry>,
}

impl<T> Logged<T> {
    pub(crate) fn new(value: T) -> Logged<T> {
        Logged {
            value,
            entries: Vec::new(),
        }
    }

    /// Adds an access by `actor` at `now`.
    pub(crate) fn add(&mut self, actor: &Actor, access: Access<'_>, now: Timestamp) {
        self.add_in(actor, access, None, now);
    }

    /// Adds an access by `actor` at `now`, made under the nödåtkomst opening `emergency`, if
    /// any.
    pub(crate) fn add_in(
        &mut self,
        actor: &Actor,
        access: Access<'_>,
        emergency: Option<&str>,
        now: Timestamp,
    ) {
        self.entries.push(entry(actor, access, emergency, now));
    }

    /// The same accesses, with what the read found made into `U`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Logged<U> {
        Logged {
            value: f(self.value),
            entries: self.entries,
        }
    }

    /// Logs the accesses in the caller's transaction and gives what the read found.
    pub fn record(self, conn: &mut DbConnection) -> Result<T, StoreError> {
        write_entries(conn, &self.entries)?;
        Ok(self.value)
    }

    pub(crate) fn into_parts(self) -> (T, Vec<StoredEntry>) {
        (self.value, self.entries)
    }
}

/// The entries' rows and their links, in one statement each.
pub(crate) fn write_entries(
    conn: &mut DbConnection,
    entries: &[StoredEntry],
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    insert(conn, entries)?;
    chain::link(conn, entries)
}

fn write(
    conn: &mut DbConnection,
    actor: &Actor,
    access: Access<'_>,
    emergency_access_id: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    write_entries(conn, &[entry(actor, access, emergency_access_id, now)])
}

fn entry(
    actor: &Actor,
    access: Access<'_>,
    emergency_access_id: Option<&str>,
    now: Timestamp,
) -> StoredEntry {
    StoredEntry {
        id: new_id(),
        at: to_millis(now),
        user_id: actor.user_id.clone(),
        unit_id: actor.unit_id.clone(),
        patient_id: access.patient_id.map(str::to_owned),
        action: access.action.code().to_owned(),
        object_type: access.object_type.to_owned(),
        object_id: access.object_id.to_owned(),
        outcome: access.outcome.code().to_owned(),
        identity_source: actor.identity_source.code().to_owned(),
        emergency_access_id: emergency_access_id.map(str::to_owned),
    }
}

/// The entries' rows, in one statement.
fn insert(conn: &mut DbConnection, entries: &[StoredEntry]) -> Result<(), StoreError> {
    let rows: Vec<_> = entries
        .iter()
        .map(|entry| {
            (
                access_log::id.eq(&entry.id),
                access_log::at.eq(entry.at),
                access_log::user_id.eq(&entry.user_id),
                access_log::unit_id.eq(&entry.unit_id),
                access_log::patient_id.eq(&entry.patient_id),
                access_log::action.eq(&entry.action),
                access_log::object_type.eq(&entry.object_type),
                access_log::object_id.eq(&entry.object_id),
                access_log::outcome.eq(&entry.outcome),
                access_log::identity_source.eq(&entry.identity_source),
                access_log::emergency_access_id.eq(&entry.emergency_access_id),
            )
        })
        .collect();
    // One entry alone (a single read's) as a one-row insert, which Diesel keeps prepared; more as
    // a many-row insert, which Diesel writes for each engine, not for the two together.
    if let [row] = rows.as_slice() {
        diesel::insert_into(access_log::table)
            .values(*row)
            .execute(conn)?;
        return Ok(());
    }
    let insert = || diesel::insert_into(access_log::table).values(&rows);
    match conn {
        DbConnection::Sqlite(c) => insert().execute(c)?,
        DbConnection::Postgres(c) => insert().execute(c)?,
    };
    Ok(())
}
