//! Oenighet (*Principer för samverkan och ekonomisk reglering* §10): each disagreement on a case
//! (`record.rs`: the row of `disagreements`, what is done meanwhile, the report to the county
//! group and its guidance) and its ladder's steps (`ladder.rs`).

pub mod ladder;
pub mod record;
