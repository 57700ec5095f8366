//! The care after the decision on the case page: what each party sees and may do once the
//! person is enrolled.
//!
//! `planning.rs`: the joint planning with the person; `closure.rs`: avslut proposed by one party
//! and confirmed or declined by the other.

pub mod closure;
pub mod planning;
