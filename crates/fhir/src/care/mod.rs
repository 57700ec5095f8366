//! The care after the decision as FHIR: the medicinsk behandlingsplan (`plan.rs`).

pub mod plan;
