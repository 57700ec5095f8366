use serde_json::{Value, json};

/// One problem, for an `OperationOutcome`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// FHIR issue type: `invalid`, `required`, `not-found`, `forbidden`, `conflict`, `login`,
    /// `processing`, `exception`.
    pub code: &'static str,
    pub diagnostics: String,
    /// FHIRPath of the offending element, when there is one.
    pub expression: Option<String>,
}

/// An `OperationOutcome` listing every issue (severity error).
pub fn operation_outcome(issues: &[Issue]) -> Value {
    json!({
        "resourceType": "OperationOutcome",
        "issue": issues.iter().map(|i| {
            let mut issue = json!({"severity": "error", "code": i.code, "diagnostics": i.diagnostics});
            if let Some(expression) = &i.expression {
                issue["expression"] = json!([expression]);
            }
            issue
        }).collect::<Vec<_>>()
    })
}
