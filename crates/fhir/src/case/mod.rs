//! The request and its case as FHIR: a begäran is a `ServiceRequest`, its workflow a `Task`
//! (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.2, the request and its kvittens).

pub mod consent;
pub mod resources;
