//! The care after the decision (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.4–3.1.7):
//! what the parties do together once a person is enrolled. The case's state machine keeps the
//! steps; this folder holds what the steps record.
//!
//! `planning.rs`: the joint planning with the person; `treatment_plan.rs`: the medicinsk
//! behandlingsplan in versions signed by both parties; `follow_up.rs`: the follow-ups at the
//! plan's frequency; `sip.rs`: a SIP on any track; `seven_day_plan.rs`:
//! track 3's hospital plan for the first seven days; `rehab_plan.rs`: the rehabilitation
//! process's plan by the rehab team; `closure.rs`: avslut by both parties.

pub mod closure;
pub mod follow_up;
pub mod planning;
pub mod rehab_plan;
pub mod seven_day_plan;
pub mod sip;
pub mod treatment_plan;
