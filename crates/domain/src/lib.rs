//! Samsyn's pure domain: the agreement's concepts as types and rules.
//!
//! Architecture invariant: this crate does no I/O, reads no clock and knows no database.
//! Callers pass in the current time and the loaded rule set.
//!
//! One folder per part of the agreement (`case/`, `measurement/`, `additional_amount/`,
//! `development_budget/`); `rules/` composes their rule-set sections; the files at the top are
//! the vocabulary every part shares.

pub mod access;
pub mod additional_amount;
pub mod allocation;
pub mod calendar;
pub mod care;
pub mod case;
pub mod development_budget;
pub mod deviation;
pub mod disagreement;
pub mod emergency_access;
pub mod field_error;
pub mod follow_up;
pub mod hsa_extract;
pub mod hsa_id;
pub mod log_review;
pub mod measurement;
pub mod money;
pub mod need_to_know;
pub mod party;
pub mod person_id;
pub mod personnummer;
pub mod protected_identity;
pub mod reserve_number;
pub mod role;
pub mod rules;
pub mod text;
pub mod unit;

pub use access::{AccessAction, AccessOutcome, IdentitySource};
pub use calendar::WorkingDayCalendar;
pub use case::request::{CareRequestContent, CareRequestInput, Completeness, DeadlineStatus};
pub use case::track::{Track, TrackDetails};
pub use case::{
    Action, CaseState, DecisionOutcome, Dispatch, Parties, Receipt, Side, Step, TransitionError,
};
pub use field_error::FieldError;
pub use hsa_id::HsaId;
pub use money::Sek;
pub use need_to_know::{CaseParties, CaseRelation, RouteGroup, Verdict};
pub use party::{MunicipalityCode, Party};
pub use person_id::{PersonId, PersonIdError};
pub use personnummer::{Personnummer, PersonnummerError};
pub use reserve_number::ReserveNumber;
pub use role::Role;
pub use rules::{RuleSet, RuleSetError};
pub use unit::UnitKind;
