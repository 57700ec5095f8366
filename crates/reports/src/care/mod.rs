//! The care after the decision as documents: the fastställd medicinsk behandlingsplan as a PDF
//! to hand to the person at the planning meeting (`plan_pdf.rs`).

pub mod plan_pdf;
