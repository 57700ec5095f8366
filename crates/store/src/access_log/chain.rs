//! The access log's hash chain. Every entry gets a link: a sequence number and a SHA-256 over the
//! entry's stored fields and the previous link's hash, written in the entry's transaction. The
//! triggers already refuse changes; the chain makes a change made around them visible, and the
//! head (sequence number and hash) can be kept elsewhere to catch a rewritten chain too.

use crate::schema::{access_log, access_log_chain, access_log_head};
use crate::{DbConnection, StoreError};
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Text};
use samsyn_domain::IdentitySource;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The hash before the first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An access-log row as stored: what its link's hash covers.
#[derive(Debug, Clone, Queryable)]
pub struct StoredEntry {
    pub id: String,
    pub at: i64,
    pub user_id: String,
    pub unit_id: String,
    pub patient_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub outcome: String,
    pub identity_source: String,
    /// The nödåtkomst opening the entry was made under.
    pub emergency_access_id: Option<String>,
}

/// An entry's stored fields in their canonical order: what the chain hashes and what a
/// reviewer reads.
pub(crate) const COLUMNS: (
    access_log::id,
    access_log::at,
    access_log::user_id,
    access_log::unit_id,
    access_log::patient_id,
    access_log::action,
    access_log::object_type,
    access_log::object_id,
    access_log::outcome,
    access_log::identity_source,
    access_log::emergency_access_id,
) = (
    access_log::id,
    access_log::at,
    access_log::user_id,
    access_log::unit_id,
    access_log::patient_id,
    access_log::action,
    access_log::object_type,
    access_log::object_id,
    access_log::outcome,
    access_log::identity_source,
    access_log::emergency_access_id,
);

/// The newest link: how many entries the chain holds and the last hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// SHA-256 over the link's number, the entry's fields (each length-prefixed, so no two entries
/// share a text) and the previous hash. The identity source and the emergency opening are
/// hashed only when they are not the columns' defaults, so links written before the columns
/// existed still verify and a change in either direction still breaks the link.
fn link_hash(seq: i64, entry: &StoredEntry, previous: &str) -> String {
    let source = (entry.identity_source != IdentitySource::Local.code())
        .then(|| format!("source={}", entry.identity_source));
    let emergency = entry
        .emergency_access_id
        .as_ref()
        .map(|id| format!("emergency={id}"));
    let fields = [
        seq.to_string(),
        entry.id.clone(),
        entry.at.to_string(),
        entry.user_id.clone(),
        entry.unit_id.clone(),
        entry.patient_id.clone().unwrap_or_default(),
        entry.action.clone(),
        entry.object_type.clone(),
        entry.object_id.clone(),
        entry.outcome.clone(),
    ]
    .into_iter()
    .chain(source)
    .chain(emergency)
    .chain([previous.to_owned()]);
    let mut hasher = Sha256::new();
    for field in fields {
        hasher.update(format!("{}:", field.len()).as_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Links a just-written entry. The head row is updated first, which on PostgreSQL holds its row
/// lock until the transaction ends: concurrent writers queue, so the chain has one order.
pub(crate) fn link(conn: &mut DbConnection, entries: &[StoredEntry]) -> Result<(), StoreError> {
    let mut previous = locked_head(conn)?;
    if previous.seq == 0 {
        let new: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        link_earlier_entries(conn, &new)?;
        previous = head(conn)?;
    }
    append(conn, entries, previous).map(|_| ())
}

/// Takes the head row's lock (on PostgreSQL, held until the transaction ends; on SQLite the
/// transaction already writes alone). Every write that logs takes it, so it is also the lock a
/// writer takes before others that writers share, to take them all in one order.
pub(crate) fn lock_head(conn: &mut DbConnection) -> Result<(), StoreError> {
    locked_head(conn).map(|_| ())
}

/// Takes the head row's lock and reads the head, in one statement.
fn locked_head(conn: &mut DbConnection) -> Result<Head, StoreError> {
    let (seq, hash) = LockHead.get_result::<(i64, String)>(conn)?;
    Ok(Head { seq, hash })
}

/// `UPDATE … RETURNING` on the head row: its lock and its value in one statement. Written out,
/// as `MoveHead` is, because Diesel prepares every statement it builds with `diesel::update`
/// anew at each use (PostgreSQL parses and plans it again), and every write that logs runs both.
#[derive(QueryId)]
struct LockHead;

impl<DB: Backend> QueryFragment<DB> for LockHead {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE access_log_head SET seq = seq WHERE id = 1 RETURNING seq, hash");
        Ok(())
    }
}

impl Query for LockHead {
    type SqlType = (BigInt, Text);
}

impl<Conn> RunQueryDsl<Conn> for LockHead {}

/// Moves the head to the newest link.
#[derive(QueryId)]
struct MoveHead {
    seq: i64,
    hash: String,
}

impl<DB> QueryFragment<DB> for MoveHead
where
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Text>,
    i64: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE access_log_head SET seq = ");
        out.push_bind_param::<BigInt, _>(&self.seq)?;
        out.push_sql(", hash = ");
        out.push_bind_param::<Text, _>(&self.hash)?;
        out.push_sql(" WHERE id = 1");
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for MoveHead {}

/// Appends the entries' links after `previous`, in one statement, and moves the head to the last.
fn append(
    conn: &mut DbConnection,
    entries: &[StoredEntry],
    mut previous: Head,
) -> Result<Head, StoreError> {
    let mut links = Vec::with_capacity(entries.len());
    for entry in entries {
        let seq = previous.seq + 1;
        let hash = link_hash(seq, entry, &previous.hash);
        links.push((
            access_log_chain::seq.eq(seq),
            access_log_chain::entry_id.eq(entry.id.clone()),
            access_log_chain::hash.eq(hash.clone()),
        ));
        previous = Head { seq, hash };
    }
    // One link alone (a single read's) as a one-row insert, which Diesel keeps prepared; more as
    // a many-row insert, which Diesel writes for each engine, not for the two together.
    if let [link] = links.as_slice() {
        diesel::insert_into(access_log_chain::table)
            .values(link.clone())
            .execute(conn)?;
    } else {
        let insert = || diesel::insert_into(access_log_chain::table).values(&links);
        match conn {
            DbConnection::Sqlite(c) => insert().execute(c)?,
            DbConnection::Postgres(c) => insert().execute(c)?,
        };
    }
    MoveHead {
        seq: previous.seq,
        hash: previous.hash.clone(),
    }
    .execute(conn)?;
    Ok(previous)
}

/// The newest link, for `samsyn audit head`.
pub fn head(conn: &mut DbConnection) -> Result<Head, StoreError> {
    let (seq, hash) = access_log_head::table
        .filter(access_log_head::id.eq(1))
        .select((access_log_head::seq, access_log_head::hash))
        .get_result::<(i64, String)>(conn)?;
    Ok(Head { seq, hash })
}

/// Links the entries written before the chain existed, oldest first, at the first write after
/// the upgrade. Only while the chain is still empty: once it has begun, an unlinked entry is an
/// inserted one, and stays reported.
fn link_earlier_entries(conn: &mut DbConnection, except: &[&str]) -> Result<(), StoreError> {
    let entries = access_log::table
        .filter(access_log::id.ne_all(except))
        .select(COLUMNS)
        .order((access_log::at.asc(), access_log::id.asc()))
        .load::<StoredEntry>(conn)?;
    let mut previous = Head {
        seq: 0,
        hash: GENESIS.to_owned(),
    };
    // A bounded number of rows a statement.
    for batch in entries.chunks(500) {
        previous = append(conn, batch, previous)?;
    }
    Ok(())
}

/// The first place where the log and its chain disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// Link `seq` names an entry that is gone.
    Deleted { seq: i64 },
    /// Link `seq`'s hash does not match its entry and the link before.
    Altered { seq: i64 },
    /// The links jump from `expected` to `found`: links were removed or renumbered.
    Missing { expected: i64, found: i64 },
    /// The head row says something else than the last link.
    Head { seq: i64 },
    /// An entry that no link names: written around the chain.
    Inserted { entry_id: String },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Deleted { seq } => write!(f, "post {seq}: posten är borttagen"),
            Break::Altered { seq } => write!(
                f,
                "post {seq}: posten eller ordningen är ändrad (hashen stämmer inte)"
            ),
            Break::Missing { expected, found } => {
                write!(f, "post {expected}: saknas (nästa länk är {found})")
            }
            Break::Head { seq } => write!(f, "huvudet: säger post {seq}, kedjan säger annat"),
            Break::Inserted { entry_id } => {
                write!(
                    f,
                    "post {entry_id} finns i loggen men inte i kedjan (infogad)"
                )
            }
        }
    }
}

/// What `samsyn audit verify` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub links: i64,
    pub head: Head,
    pub first_break: Option<Break>,
}

/// Walks the whole chain in order and names the first broken link.
pub fn verify(conn: &mut DbConnection) -> Result<Verification, StoreError> {
    let mut entries: HashMap<String, StoredEntry> = access_log::table
        .select(COLUMNS)
        .load::<StoredEntry>(conn)?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let links = access_log_chain::table
        .select((
            access_log_chain::seq,
            access_log_chain::entry_id,
            access_log_chain::hash,
        ))
        .order(access_log_chain::seq.asc())
        .load::<(i64, String, String)>(conn)?;
    let head = head(conn)?;
    let mut previous = GENESIS.to_owned();
    let mut first_break = None;
    let mut last = 0;
    for (seq, entry_id, hash) in &links {
        if *seq != last + 1 {
            first_break = Some(Break::Missing {
                expected: last + 1,
                found: *seq,
            });
            break;
        }
        let Some(entry) = entries.remove(entry_id) else {
            first_break = Some(Break::Deleted { seq: *seq });
            break;
        };
        if link_hash(*seq, &entry, &previous) != *hash {
            first_break = Some(Break::Altered { seq: *seq });
            break;
        }
        previous.clone_from(hash);
        last = *seq;
    }
    if first_break.is_none() && (head.seq != last || head.hash != previous) {
        first_break = Some(Break::Head { seq: head.seq });
    }
    if first_break.is_none()
        && let Some(entry_id) = entries.into_keys().min()
    {
        first_break = Some(Break::Inserted { entry_id });
    }
    Ok(Verification {
        links: links.len() as i64,
        head,
        first_break,
    })
}
