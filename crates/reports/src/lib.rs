//! Report outputs computed from domain results: the measurement as JSON (the documented shape)
//! and CSV (semicolons and a BOM, for Swedish Excel), and server-side SVG charts.

pub mod additional_amount;
pub mod category4;
pub mod chart;
pub mod csv;
pub mod development_budget;
pub mod measurement;
pub mod population;
