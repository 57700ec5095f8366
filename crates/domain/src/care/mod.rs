//! The care after the decision (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.4–3.1.7):
//! what the parties do together once a person is enrolled. The case's state machine keeps the
//! steps; this folder holds what the steps record.
//!
//! `planning.rs`: the joint planning with the person; `closure.rs`: avslut by both parties.

pub mod closure;
pub mod planning;
