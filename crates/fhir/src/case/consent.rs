//! Samtycke as a FHIR `Consent`, contained in the request's `ServiceRequest` and named by its
//! `supportingInfo`, so a receiving system sees on what the information was passed on.
//!
//! A given consent is an opt-in (`OPTIN`) performed by the one who gave it; a request sent on a
//! recorded basis carries Samsyn's `grund` rule with the basis and who judged it. A withdrawn
//! consent is `inactive`, with the moment it was withdrawn.

use crate::{SAMSYN, ext, extension};
use jiff::Timestamp;
use samsyn_domain::CareRequestInput;
use samsyn_domain::case::consent::Consent;
use serde_json::{Value, json};

/// The contained resource's local id, referenced as `#samtycke`.
pub const CONTAINED_ID: &str = "samtycke";

/// The consent as a contained `Consent` about `patient` (a FHIR reference to the person).
pub fn resource(consent: &Consent, withdrawn_at: Option<Timestamp>, patient: Value) -> Value {
    let mut resource = json!({
        "resourceType": "Consent",
        "id": CONTAINED_ID,
        "status": if withdrawn_at.is_some() { "inactive" } else { "active" },
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
            "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0",
            "display": "Patient Consent"}]}],
        "patient": patient,
        "provision": {"type": "permit"},
    });
    let mut extensions = Vec::new();
    match consent {
        Consent::Given {
            given_by,
            way,
            given_on,
        } => {
            resource["dateTime"] = json!(given_on.to_string());
            resource["performer"] = json!([{"display": given_by}]);
            resource["policyRule"] = json!({"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]});
            extensions.push(json!({"url": ext("samtycke-satt"), "valueCode": way.code()}));
        }
        Consent::Basis { reason, judged_by } => {
            resource["policyRule"] = json!({
                "coding": [{"system": format!("{SAMSYN}/CodeSystem/samtycke"), "code": "grund",
                    "display": "Skickad utan samtycke på angiven grund"}],
                "text": reason,
            });
            extensions.push(json!({"url": ext("samtycke-bedomd-av"), "valueString": judged_by}));
        }
    }
    if let Some(at) = withdrawn_at {
        extensions
            .push(json!({"url": ext("samtycke-aterkallat"), "valueDateTime": at.to_string()}));
    }
    resource["extension"] = json!(extensions);
    resource
}

/// Reads the contained `Consent` of a posted `ServiceRequest` into the request's fields; a
/// request without one gets none, and the domain refuses to send it.
pub fn read_into(service_request: &Value, input: &mut CareRequestInput) {
    let Some(consent) = service_request["contained"].as_array().and_then(|list| {
        list.iter()
            .find(|r| r["resourceType"] == "Consent" && r["status"] == "active")
    }) else {
        return;
    };
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    if consent["policyRule"]["coding"][0]["code"] == "grund" {
        input.consent = "grund".into();
        input.consent_basis = text(&consent["policyRule"]["text"]);
        input.consent_judged_by = extension(consent, "samtycke-bedomd-av")
            .map_or_else(String::new, |e| text(&e["valueString"]));
    } else {
        input.consent = "samtycke".into();
        input.consent_given_by = text(&consent["performer"][0]["display"]);
        input.consent_given_on = text(&consent["dateTime"]);
        input.consent_way =
            extension(consent, "samtycke-satt").map_or_else(String::new, |e| text(&e["valueCode"]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use samsyn_domain::case::consent::ConsentWay;

    #[test]
    fn a_consent_reads_back_into_the_same_fields() {
        let given = Consent::Given {
            given_by: "Personen själv".into(),
            way: ConsentWay::Written,
            given_on: date(2026, 11, 20),
        };
        let basis = Consent::Basis {
            reason: "Personen kan inte uttrycka sin vilja.".into(),
            judged_by: "Dr A".into(),
        };
        for consent in [given, basis] {
            let contained = resource(&consent, None, json!({"display": "Tolvan"}));
            let request = json!({"contained": [contained]});
            let mut input = CareRequestInput::default();
            read_into(&request, &mut input);
            assert_eq!(
                Consent::from_input(&input.consent_input(), date(2026, 11, 23)),
                Ok(Some(consent))
            );
        }
    }

    #[test]
    fn a_withdrawn_consent_is_inactive_and_does_not_count_when_posted() {
        let given = Consent::Given {
            given_by: "Personen själv".into(),
            way: ConsentWay::Oral,
            given_on: date(2026, 11, 20),
        };
        let withdrawn = resource(&given, Some(Timestamp::UNIX_EPOCH), json!({}));
        assert_eq!(withdrawn["status"], "inactive");
        let mut input = CareRequestInput::default();
        read_into(&json!({"contained": [withdrawn]}), &mut input);
        assert!(input.consent.is_empty());
    }
}
