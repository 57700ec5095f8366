//! Report outputs computed from domain results: the measurement as JSON (the documented shape)
//! and CSV (semicolons and a BOM, for Swedish Excel), server-side SVG charts, and the
//! behandlingsplan as PDF.
//!
//! One folder per part of the agreement (`measurement/`, `additional_amount/`,
//! `development_budget/`, `care/`); the files at the top (charts, CSV cells) serve them all.

pub mod additional_amount;
pub mod care;
pub mod chart;
pub mod csv;
pub mod development_budget;
pub mod deviation;
pub mod disagreement;
pub mod follow_up;
pub mod measurement;
pub mod table;
