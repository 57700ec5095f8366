//! Changed cases announced to every Samsyn process on the same PostgreSQL database (NOTIFY and
//! LISTEN), so that an inbox open on one process reloads when a case changes on another. Only
//! unit ids and the announcing process travel, never patient data. SQLite has one process, which
//! tells its own inboxes without the database.

use crate::{DbConnection, Store, StoreError};
use diesel::sql_types::Text;
use diesel::{PgConnection, RunQueryDsl};

const CHANNEL: &str = "samsyn_case_changes";

/// A change to a case: the process that made it and the two units it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseChange {
    pub origin: String,
    pub units: [String; 2],
}

impl CaseChange {
    fn payload(&self) -> String {
        format!("{} {} {}", self.origin, self.units[0], self.units[1])
    }

    fn parse(payload: &str) -> Option<CaseChange> {
        let mut parts = payload.split(' ');
        let change = CaseChange {
            origin: parts.next()?.to_owned(),
            units: [parts.next()?.to_owned(), parts.next()?.to_owned()],
        };
        parts.next().is_none().then_some(change)
    }
}

/// Tells the processes listening on PostgreSQL; delivered when the transaction commits. Nothing
/// to do on SQLite.
pub fn announce(conn: &mut DbConnection, change: &CaseChange) -> Result<(), StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(CHANNEL)
            .bind::<Text, _>(change.payload())
            .execute(pg)?;
    }
    Ok(())
}

/// A PostgreSQL connection that listens for announced changes.
pub struct ChangeListener {
    conn: PgConnection,
}

impl Store {
    /// Starts listening on a connection of its own; `None` on SQLite, where there is nothing to
    /// hear.
    pub fn listen_for_case_changes(&self) -> Option<Result<ChangeListener, StoreError>> {
        self.dedicated_postgres_connection().map(|connected| {
            let mut conn = connected?;
            diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
            Ok(ChangeListener { conn })
        })
    }
}

impl ChangeListener {
    /// The changes that arrived since the last call, without waiting. An error means the
    /// connection is lost; listen again.
    pub fn arrived(&mut self) -> Result<Vec<CaseChange>, StoreError> {
        let mut changes = Vec::new();
        for notification in self.conn.notifications_iter() {
            if let Some(change) = CaseChange::parse(&notification?.payload) {
                changes.push(change);
            }
        }
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_survives_its_payload() {
        let change = CaseChange {
            origin: "p1".into(),
            units: ["u1".into(), "u2".into()],
        };
        assert_eq!(CaseChange::parse(&change.payload()), Some(change));
        assert_eq!(CaseChange::parse("p1 u1"), None);
        assert_eq!(CaseChange::parse("p1 u1 u2 u3"), None);
    }
}
