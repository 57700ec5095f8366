//! What every part of the web shell uses and no part of the agreement owns: sign-in sessions and
//! passwords, CSRF and security headers, errors, the page frame, the routes with their access groups, serving them (limits and drain), assets, the clock, how the
//! economy pages write amounts, and how pages say the rule set's periods.

pub mod assets;
pub mod auth;
pub mod cite;
pub mod clock;
pub mod csrf;
pub mod error;
pub mod fhir_cases;
pub mod figures;
pub mod headers;
pub mod idempotency;
pub mod input_hygiene;
pub mod layout;
pub mod mail;
pub mod password_policy;
pub mod routes;
pub mod server;
pub mod session;
pub mod unavailable;
pub mod words;
