//! The request and its case (begäran, ärende) as stored: *Hälso- och sjukvård i hemmet
//! primärvårdsnivå* §3 — the requests with their timeline, the joint work on a case
//! (assessments, decisions, home checks, action items) and the case messages.

pub mod changes;
pub mod consent;
pub mod list_entries;
pub mod listing;
pub mod messages;
pub mod requests;
mod sql;
pub mod work;
