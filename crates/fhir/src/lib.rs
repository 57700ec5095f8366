//! The FHIR R4 subset Samsyn exposes under `/fhir/r4`, built as JSON values by hand, and the mapping
//! between a case and its `ServiceRequest` (the request) and `Task` (its workflow status), and
//! the plan after the decision as `CarePlan`, `CareTeam` and follow-up `Task`s.
//!
//! No I/O: the web shell loads cases, calls these functions and serialises the result.

mod capability;
mod care;
mod case;
mod outcome;

pub use capability::capability_statement;
pub use care::plan::{
    FollowUpForFhir, PlanForFhir, PlanVersionForFhir, care_plan, care_team, case_of_follow_up,
    follow_up_tasks, next_follow_up_id,
};
pub use case::resources::{
    CaseForFhir, UnitRef, expression_for, parse_service_request, searchset, service_request,
    service_request_status, task, task_status,
};
pub use outcome::{Issue, operation_outcome};

/// Identifier systems.
pub const PERSONNUMMER: &str = "http://electronichealth.se/identifier/personnummer";
pub const SAMORDNINGSNUMMER: &str = "http://electronichealth.se/identifier/samordningsnummer";
pub const HSA_ID: &str = "urn:oid:1.2.752.29.4.19";
/// Samsyn's own definitions (code systems and extensions).
pub const SAMSYN: &str = "https://samsyn.se/fhir";
/// The URL of one of Samsyn's extensions.
pub(crate) fn ext(name: &str) -> String {
    format!("{SAMSYN}/StructureDefinition/{name}")
}

/// The first of Samsyn's extensions named `name` on a resource (or an element).
pub(crate) fn extension<'a>(
    resource: &'a serde_json::Value,
    name: &str,
) -> Option<&'a serde_json::Value> {
    let url = ext(name);
    resource["extension"]
        .as_array()?
        .iter()
        .find(|e| e["url"] == url.as_str())
}

/// The media type of every FHIR response.
pub const FHIR_JSON: &str = "application/fhir+json";
