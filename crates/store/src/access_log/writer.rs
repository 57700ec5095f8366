//! The access log's group commit for reads. A read on a reader connection hands its entries to
//! one writer thread, which links the entries of every read waiting at that moment into the
//! chain in one transaction: one commit (one disk sync, one turn of PostgreSQL's head lock) for
//! many reads, instead of one each. The read waits for that commit before it shows anything.

use crate::access_log::chain::StoredEntry;
use crate::access_log::record::Logged;
use crate::access_log::record::write_entries;
use crate::{DbConnection, Store, StoreError};
use std::sync::mpsc;

/// At most this many entries a statement, within the limits on bound values of both engines
/// (eleven a row).
const ROWS_A_STATEMENT: usize = 1_000;

/// One read's entries, and where to say whether they were committed.
struct Waiting {
    entries: Vec<StoredEntry>,
    committed: mpsc::SyncSender<Result<(), Failure>>,
}

/// Why a group was not committed, as each read in it is told.
#[derive(Debug, Clone, Copy)]
enum Failure {
    Unavailable,
    Refused,
}

/// Reads of patient data whose accesses are logged in groups: a read runs on one of the store's
/// readers, and what it found is given back once its entries are committed. Dropping it ends the
/// writer thread and waits for it, so the thread's connections close with it.
pub struct LoggedReads {
    store: Store,
    waiting: Option<mpsc::Sender<Waiting>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for LoggedReads {
    fn drop(&mut self) {
        self.waiting = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl LoggedReads {
    /// Starts the writer thread on `store`.
    pub fn start(store: &Store) -> Result<LoggedReads, StoreError> {
        let (waiting, groups) = mpsc::channel();
        let writer = store.clone();
        let thread = std::thread::Builder::new()
            .name("samsyn-access-log".into())
            .spawn(move || commit_groups(&writer, &groups))
            .map_err(|e| StoreError::Connect(format!("åtkomstloggens skrivare: {e}")))?;
        Ok(LoggedReads {
            store: store.clone(),
            waiting: Some(waiting),
            thread: Some(thread),
        })
    }

    /// Runs the read `f` in one read transaction, has its accesses logged together with other
    /// reads' (group commit), and gives what it found only once they are.
    pub fn read_logged<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<Logged<T>, StoreError>,
    ) -> Result<T, StoreError> {
        let (value, entries) = self.store.read(f)?.into_parts();
        self.write(entries)?;
        Ok(value)
    }

    /// Returns once the entries are committed, or says why they were not.
    fn write(&self, entries: Vec<StoredEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        let (committed, answer) = mpsc::sync_channel(1);
        self.waiting
            .as_ref()
            .ok_or(StoreError::Unavailable)?
            .send(Waiting { entries, committed })
            .map_err(|_| StoreError::Unavailable)?;
        match answer.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(Failure::Refused)) => Err(StoreError::AccessLogRefused),
            Ok(Err(Failure::Unavailable)) | Err(_) => Err(StoreError::Unavailable),
        }
    }
}

/// Takes what waits, commits it as one group, answers each read, and waits for more.
fn commit_groups(store: &Store, groups: &mpsc::Receiver<Waiting>) {
    while let Ok(first) = groups.recv() {
        let mut group = vec![first];
        group.extend(groups.try_iter());
        let entries: Vec<StoredEntry> = group
            .iter_mut()
            .flat_map(|waiting| std::mem::take(&mut waiting.entries))
            .collect();
        let outcome = commit(store, &entries);
        for waiting in group {
            // A read that stopped waiting has nothing to show; its entries stay logged.
            let _ = waiting.committed.send(outcome);
        }
    }
}

fn commit(store: &Store, entries: &[StoredEntry]) -> Result<(), Failure> {
    store
        .transaction(|conn| {
            entries
                .chunks(ROWS_A_STATEMENT)
                .try_for_each(|rows| write_entries(conn, rows))
        })
        .map_err(|error| match error {
            StoreError::Unavailable => Failure::Unavailable,
            _ => Failure::Refused,
        })
}
