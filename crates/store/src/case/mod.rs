//! The request and its case (begäran, ärende) as stored: *Hälso- och sjukvård i hemmet
//! primärvårdsnivå* §3 — the requests with their timeline, the joint work on a case
//! (assessments, decisions, home checks, action items) and the case messages.

/// Narrows a boxed query on a case-keyed table to the cases `ids`: `= id` for one case (a case
/// read), which both engines keep prepared and PostgreSQL plans once, and `IN` for a page.
macro_rules! for_cases {
    ($query:expr, $column:expr, $ids:expr) => {
        match $ids {
            [one] => $query.filter($column.eq(*one)),
            many => $query.filter($column.eq_any(many)),
        }
    };
}

pub mod changes;
pub mod consent;
pub mod list_entries;
pub mod listing;
pub mod messages;
pub mod requests;
mod sql;
pub mod work;
