use serde_json::{Value, json};

fn search_params() -> Value {
    json!([
        {"name": "patient", "definition": "http://hl7.org/fhir/SearchParameter/clinical-patient", "type": "reference",
         "documentation": "Bara med modifieraren :identifier (patient:identifier=http://electronichealth.se/identifier/personnummer|ÅÅÅÅMMDDNNNN, eller samordningsnummer); Samsyn exponerar inga Patient-resurser."},
        {"name": "status", "type": "token", "documentation": "Resursens status"},
        {"name": "_count", "type": "number",
         "documentation": "Antal ärenden per sida, 1–200 (50 om det utelämnas). Nästa sida finns i Bundle.link med relation next; en sökning på patient ger alla personens ärenden på en sida."}
    ])
}

fn task_search_params() -> Value {
    let mut params = search_params();
    if let Some(list) = params.as_array_mut() {
        list.push(json!({"name": "code", "type": "token",
            "documentation": "code=uppfoljning ger behandlingsplanernas uppföljningar i stället för ärendenas arbetsflöde."}));
    }
    params
}

/// Exactly what Samsyn supports: read and search of `ServiceRequest` and `Task`, create of
/// `ServiceRequest` (which creates its `Task`), and read and search of the plan's `CarePlan`
/// (with its versions) and `CareTeam`.
pub fn capability_statement(date: &str, version: &str) -> Value {
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "Samsyn",
        "kind": "instance",
        "software": {"name": "Samsyn", "version": version},
        "implementation": {"description": "Samsyn – samverkan om hälso- och sjukvård i hemmet"},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "rest": [{
            "mode": "server",
            "documentation": "Autentisering: Authorization: Bearer <token> från POST /api/v1/session. Samma behörighet och åtkomstloggning som i webbgränssnittet.",
            "security": {"cors": false, "description": "Bearer-token per användare och enhet."},
            "resource": [
                {
                    "type": "ServiceRequest",
                    "interaction": [{"code": "read"}, {"code": "search-type"}, {"code": "create"}],
                    "searchParam": search_params()
                },
                {
                    "type": "Task",
                    "interaction": [{"code": "read"}, {"code": "search-type"}],
                    "searchParam": task_search_params()
                },
                {
                    "type": "CarePlan",
                    "documentation": "Medicinsk behandlingsplan, en per ärende. meta.versionId är planens version; tidigare versioner läses med _history.",
                    "versioning": "versioned",
                    "readHistory": true,
                    "interaction": [{"code": "read"}, {"code": "vread"}, {"code": "search-type"}],
                    "searchParam": search_params()
                },
                {
                    "type": "CareTeam",
                    "documentation": "Båda parternas fasta kontakter ur behandlingsplanen, med samordningsansvarig.",
                    "interaction": [{"code": "read"}, {"code": "search-type"}],
                    "searchParam": search_params()
                }
            ]
        }]
    })
}
