//! Uppföljning av överenskommelsen (*Principer för samverkan och ekonomisk reglering* §12;
//! *Implementering och uppföljning av Överenskommelse för hälso- och sjukvård i hemmet*,
//! 2026-05-12): the yearly follow-up plan in four parts, the survey each vårdcentral and its
//! municipality answer together, indicators computed from the cases, the sample check of
//! medical treatment plans, and the yearly report made from all of them.

pub mod indicators;
pub mod plan;
pub mod rules;
pub mod sample_check;
pub mod survey;

use crate::FieldError;

fn field(name: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: name,
        message: message.into(),
    }
}
