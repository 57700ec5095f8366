//! The care after the decision, stored: what the steps after enrollment record. The case's state
//! and timeline stay in `case/`; the caller stores the step in the same transaction.
//!
//! `planning.rs`: the joint planning with the person; `treatment_plan.rs`: the medicinsk
//! behandlingsplan's versions and signatures; `follow_up.rs`: the follow-ups and what is due; `sip.rs`: the SIPs; `seven_day_plan.rs`: track 3's hospital plan; `rehab_plan.rs`: the rehabilitation plan's versions and follow-ups; `own_plans.rs`: a person's own plans on Min sida, each view recorded;
//! `closure.rs`: avslut proposed by one party and answered by the other.

pub mod closure;
pub mod follow_up;
pub mod own_plans;
pub mod planning;
pub mod rehab_plan;
pub mod seven_day_plan;
pub mod sip;
pub mod treatment_plan;
