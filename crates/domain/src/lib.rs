//! Samsyn's pure domain: the agreement's concepts as types and rules.
//!
//! Architecture invariant: this crate does no I/O, reads no clock and knows no database.
//! Callers pass in the current time and the loaded rule set.

pub mod access;
pub mod additional_amount;
pub mod additional_amount_decision;
pub mod additional_amount_inputs;
pub mod additional_amount_rules;
pub mod additional_amount_scenario;
pub mod additional_amount_year;
pub mod allocation;
pub mod calendar;
pub mod care_request;
pub mod case;
pub mod development_budget;
pub mod distance;
pub mod measurement;
pub mod money;
pub mod party;
pub mod personnummer;
pub mod role;
pub mod rules;
#[cfg(test)]
mod shipped_data;
pub mod track;
pub mod unit;

pub use access::{AccessAction, AccessOutcome};
pub use calendar::WorkingDayCalendar;
pub use care_request::{
    CareRequestContent, CareRequestInput, Completeness, DeadlineStatus, FieldError,
};
pub use case::{
    Action, CaseState, DecisionOutcome, Dispatch, Receipt, Side, Step, TransitionError,
};
pub use money::Sek;
pub use party::{MunicipalityCode, Party};
pub use personnummer::{Personnummer, PersonnummerError};
pub use role::Role;
pub use rules::{RuleSet, RuleSetError};
pub use track::{Track, TrackDetails};
pub use unit::UnitKind;
