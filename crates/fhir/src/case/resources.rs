//! `ServiceRequest` (the request) and `Task` (its workflow status), and reading a
//! `ServiceRequest` posted by another system.

use crate::{HSA_ID, Issue, PERSONNUMMER, SAMORDNINGSNUMMER, SAMSYN, ext, extension};
use jiff::Timestamp;
use samsyn_domain::case::consent::Consent;
use samsyn_domain::{
    CareRequestInput, CaseState, DecisionOutcome, MunicipalityCode, PersonId, Track, TrackDetails,
};
use serde_json::{Value, json};

/// A unit as FHIR references it.
#[derive(Debug, Clone)]
pub struct UnitRef {
    pub hsa_id: Option<String>,
    pub name: String,
}

/// What the mapping needs of a case.
#[derive(Debug, Clone)]
pub struct CaseForFhir {
    pub id: String,
    pub version: i64,
    pub state: CaseState,
    pub track: TrackDetails,
    pub person_id: PersonId,
    /// The rule set's `Identifier.system` for reservnummer, for a person who has one.
    pub reserve_number_system: String,
    pub patient_name: String,
    pub home_municipality: MunicipalityCode,
    pub sender: UnitRef,
    pub receiver: UnitRef,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub text: CareRequestInput,
    /// Why the case was withdrawn or not enrolled, for `Task.statusReason`.
    pub status_reason: Option<String>,
    /// Samtycke or the basis for sending without it, and when a consent was withdrawn.
    pub consent: Option<Consent>,
    pub consent_withdrawn_at: Option<Timestamp>,
    /// Skyddad identitet: every resource is labelled restricted.
    pub protected_identity: bool,
}

const CONTACT_ROLES: [(&str, &str, &str); 4] = [
    (
        "fast-lakarkontakt",
        "fixed_doctor_name",
        "fixed_doctor_phone",
    ),
    ("ansvarig-ordinator", "prescriber_name", "prescriber_phone"),
    (
        "fast-vardkontakt",
        "care_contact_name",
        "care_contact_phone",
    ),
    ("vardcentral", "health_centre_name", "health_centre_phone"),
];

pub(crate) fn unit_reference(unit: &UnitRef) -> Value {
    match &unit.hsa_id {
        Some(hsa) => json!({"identifier": {"system": HSA_ID, "value": hsa}, "display": unit.name}),
        None => json!({"display": unit.name}),
    }
}

pub(crate) fn subject_of(case: &CaseForFhir) -> Value {
    let system = match case.person_id {
        PersonId::Personnummer(number) if number.is_coordination_number() => SAMORDNINGSNUMMER,
        PersonId::Personnummer(_) => PERSONNUMMER,
        PersonId::Reserve(_) => case.reserve_number_system.as_str(),
    };
    json!({"identifier": {"system": system, "value": case.person_id.expose()}, "display": case.patient_name})
}

/// The restricted confidentiality label a protected person's resources carry.
const RESTRICTED: &str = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

pub(crate) fn meta_for(case: &CaseForFhir) -> Value {
    let mut meta =
        json!({"versionId": case.version.to_string(), "lastUpdated": case.updated_at.to_string()});
    if case.protected_identity {
        meta["security"] = json!([{"system": RESTRICTED, "code": "R", "display": "restricted"}]);
    }
    meta
}

fn field<'a>(text: &'a CareRequestInput, name: &str) -> &'a str {
    match name {
        "fixed_doctor_name" => &text.fixed_doctor_name,
        "fixed_doctor_phone" => &text.fixed_doctor_phone,
        "prescriber_name" => &text.prescriber_name,
        "prescriber_phone" => &text.prescriber_phone,
        "care_contact_name" => &text.care_contact_name,
        "care_contact_phone" => &text.care_contact_phone,
        "health_centre_name" => &text.health_centre_name,
        _ => &text.health_centre_phone,
    }
}

/// `ServiceRequest.status` of a case in `state`.
pub fn service_request_status(state: &CaseState) -> &'static str {
    match state {
        CaseState::Draft => "draft",
        CaseState::Withdrawn(..) => "revoked",
        CaseState::Closed(..) | CaseState::Decided(_, _, DecisionOutcome::NotEnrolled) => {
            "completed"
        }
        _ => "active",
    }
}

/// `Task.status` of a case in `state`.
pub fn task_status(state: &CaseState) -> &'static str {
    match state {
        CaseState::Draft => "draft",
        CaseState::Sent(_) | CaseState::Forwarded(_) => "requested",
        CaseState::Acknowledged(..) => "received",
        CaseState::UnderAssessment(..)
        | CaseState::DecisionProposed(..)
        | CaseState::Ongoing(..)
        | CaseState::ClosureProposed(..) => "in-progress",
        CaseState::Decided(_, _, DecisionOutcome::Enrolled) | CaseState::Planned(..) => "accepted",
        CaseState::Decided(_, _, DecisionOutcome::NotEnrolled) => "rejected",
        CaseState::Decided(_, _, DecisionOutcome::Disagreement) => "on-hold",
        CaseState::Closed(..) => "completed",
        CaseState::Withdrawn(..) => "cancelled",
    }
}

/// The request as a `ServiceRequest`. Empty fields of a draft are left out, as FHIR requires.
pub fn service_request(case: &CaseForFhir) -> Value {
    let track = case.track.track();
    let status = service_request_status(&case.state);
    let t = &case.text;
    let sbar = [
        ("situation", &t.situation),
        ("bakgrund", &t.background),
        ("aktuellt", &t.current_assessment),
        ("rekommendation", &t.recommendation),
    ];
    let mut extensions = vec![json!({"url": ext("hemkommun"), "valueCoding": {
        "system": format!("{SAMSYN}/CodeSystem/kommunkod"), "code": case.home_municipality.to_string()}})];
    let sbar: Vec<Value> = sbar
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| json!({"url": k, "valueString": v}))
        .collect();
    if !sbar.is_empty() {
        extensions.push(json!({"url": ext("sbar"), "extension": sbar}));
    }
    // Empty where the reader may not see them (`protected_identity::contact_shown`).
    if !t.patient_address.is_empty() {
        extensions.push(json!({"url": ext("patientadress"), "valueAddress": {"use": "home", "text": t.patient_address}}));
    }
    if !t.patient_phone.is_empty() {
        extensions.push(json!({"url": ext("patienttelefon"), "valueContactPoint": {"system": "phone", "value": t.patient_phone}}));
    }
    for (role, name, phone) in CONTACT_ROLES {
        let (name, phone) = (field(t, name), field(t, phone));
        if !name.is_empty() {
            let mut detail = json!({"name": name});
            if !phone.is_empty() {
                detail["telecom"] = json!([{"system": "phone", "value": phone}]);
            }
            extensions.push(json!({"url": ext("kontakt"), "extension": [
                {"url": "roll", "valueCode": role},
                {"url": "kontakt", "valueContactDetail": detail}
            ]}));
        }
    }
    match &case.track {
        TrackDetails::Discharge {
            colour,
            discharge_date,
            ..
        } => {
            extensions.push(json!({"url": ext("visam"), "valueCode": colour.code()}));
            extensions.push(
                json!({"url": ext("utskrivningsdatum"), "valueDate": discharge_date.to_string()}),
            );
        }
        TrackDetails::SpecializedCare { psychiatric, .. } => {
            extensions.push(json!({"url": ext("psykiatrisk-lakemedelshantering"), "valueBoolean": psychiatric.is_some()}));
        }
        TrackDetails::Rehabilitation { initiated_by } => {
            extensions
                .push(json!({"url": ext("rehab-initierad-av"), "valueCode": initiated_by.code()}));
        }
        TrackDetails::PrimaryCare { .. } => {}
    }
    let mut resource = json!({
        "resourceType": "ServiceRequest",
        "id": case.id,
        "meta": meta_for(case),
        "extension": extensions,
        "identifier": [{"system": format!("{SAMSYN}/arende"), "value": case.id}],
        "status": status,
        "intent": "order",
        "category": [{"coding": [{"system": format!("{SAMSYN}/CodeSystem/spar"), "code": track.code(), "display": track.label()}]}],
        "code": {"text": "Begäran om hälso- och sjukvård i hemmet"},
        "subject": subject_of(case),
        "authoredOn": case.created_at.to_string(),
        "requester": unit_reference(&case.sender),
        "performer": [unit_reference(&case.receiver)],
    });
    if !t.situation.is_empty() {
        resource["reasonCode"] = json!([{"text": t.situation}]);
    }
    if let Some(consent) = &case.consent {
        resource["contained"] = json!([crate::case::consent::resource(
            consent,
            case.consent_withdrawn_at,
            subject_of(case)
        )]);
        resource["supportingInfo"] =
            json!([{"reference": format!("#{}", crate::case::consent::CONTAINED_ID)}]);
    }
    resource
}

/// The case's workflow status as a `Task`.
pub fn task(case: &CaseForFhir) -> Value {
    // A case closed after the parties decided ej inskriven was declined, not carried out.
    let closed_not_enrolled =
        matches!(case.state, CaseState::Closed(..)) && case.status_reason.is_some();
    let status = if closed_not_enrolled {
        "rejected"
    } else {
        task_status(&case.state)
    };
    let mut task = json!({
        "resourceType": "Task",
        "id": case.id,
        "meta": meta_for(case),
        "identifier": [{"system": format!("{SAMSYN}/arende"), "value": case.id}],
        "status": status,
        "businessStatus": {"coding": [{"system": format!("{SAMSYN}/CodeSystem/arendestatus"),
            "code": case.state.code(), "display": case.state.label()}]},
        "intent": "order",
        "focus": {"reference": format!("ServiceRequest/{}", case.id)},
        "for": subject_of(case),
        "authoredOn": case.created_at.to_string(),
        "lastModified": case.updated_at.to_string(),
        "requester": unit_reference(&case.sender),
        "owner": unit_reference(&case.receiver),
    });
    let reason_applies = matches!(status, "rejected" | "cancelled")
        || matches!(
            case.state,
            CaseState::Decided(_, _, DecisionOutcome::Disagreement)
        );
    if let (true, Some(reason)) = (reason_applies, &case.status_reason) {
        task["statusReason"] = json!({"text": reason});
    }
    task
}

/// A search result `Bundle`.
/// A search result. With `next` (the next page's URL) it is one page of several and carries a
/// `next` link instead of a total.
pub fn searchset(resources: Vec<Value>, next: Option<&str>) -> Value {
    let mut bundle = json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": resources.iter().map(|r| json!({"resource": r, "search": {"mode": "match"}})).collect::<Vec<_>>(),
    });
    match next {
        Some(url) => bundle["link"] = json!([{"relation": "next", "url": url}]),
        None => bundle["total"] = json!(resources.len()),
    }
    bundle
}

fn issue(code: &'static str, diagnostics: &str, expression: &str) -> Issue {
    Issue {
        code,
        diagnostics: diagnostics.to_owned(),
        expression: Some(expression.to_owned()),
    }
}

fn extensions<'a>(resource: &'a Value, name: &str) -> Vec<&'a Value> {
    let url = ext(name);
    resource["extension"]
        .as_array()
        .map(|list| list.iter().filter(|e| e["url"] == url.as_str()).collect())
        .unwrap_or_default()
}

fn sub<'a>(extension: &'a Value, url: &str) -> Option<&'a Value> {
    extension["extension"]
        .as_array()?
        .iter()
        .find(|e| e["url"] == url)
}

/// Reads a posted `ServiceRequest` into the request form's fields. Structural problems are
/// issues here; the content itself is then validated by the domain like any other request.
/// `reserve_number_system` is the rule set's system for a person identified by reservnummer.
pub fn parse_service_request(
    resource: &Value,
    reserve_number_system: &str,
) -> Result<CareRequestInput, Vec<Issue>> {
    let mut issues = Vec::new();
    if resource["resourceType"] != "ServiceRequest" {
        issues.push(issue(
            "invalid",
            "Resursen måste vara en ServiceRequest.",
            "resourceType",
        ));
        return Err(issues);
    }
    if resource["intent"] != "order" {
        issues.push(issue(
            "invalid",
            "intent måste vara \"order\".",
            "ServiceRequest.intent",
        ));
    }
    let system = resource["subject"]["identifier"]["system"]
        .as_str()
        .unwrap_or_default();
    let value = resource["subject"]["identifier"]["value"]
        .as_str()
        .unwrap_or_default();
    let digits_only = PersonId::written_as_personnummer(value);
    if system == reserve_number_system {
        if digits_only {
            issues.push(issue(
                "invalid",
                "subject.identifier.value: ett reservnummer i regionens format väntades, men värdet har formen av ett personnummer.",
                "ServiceRequest.subject.identifier.value",
            ));
        }
    } else if system != PERSONNUMMER && system != SAMORDNINGSNUMMER {
        issues.push(issue(
            "invalid",
            &format!("subject.identifier.system måste vara personnummer eller samordningsnummer (electronichealth.se) eller regionens reservnummer ({reserve_number_system})."),
            "ServiceRequest.subject.identifier.system",
        ));
    } else if !digits_only {
        issues.push(issue(
            "invalid",
            &format!("subject.identifier.value: ett reservnummer ska ha regionens system {reserve_number_system}."),
            "ServiceRequest.subject.identifier.value",
        ));
    }
    let track = resource["category"][0]["coding"][0]["code"]
        .as_str()
        .unwrap_or(Track::PrimaryCare.code());
    let mut input = CareRequestInput {
        personnummer: value.to_owned(),
        patient_name: resource["subject"]["display"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        home_municipality: extension(resource, "hemkommun")
            .and_then(|e| e["valueCoding"]["code"].as_str())
            .unwrap_or_default()
            .to_owned(),
        track: track.to_owned(),
        ..CareRequestInput::default()
    };
    if let Some(sbar) = extension(resource, "sbar") {
        let text = |url| {
            sub(sbar, url)
                .and_then(|e| e["valueString"].as_str())
                .unwrap_or_default()
                .to_owned()
        };
        input.situation = text("situation");
        input.background = text("bakgrund");
        input.current_assessment = text("aktuellt");
        input.recommendation = text("rekommendation");
    }
    for contact in extensions(resource, "kontakt") {
        let role = sub(contact, "roll")
            .and_then(|e| e["valueCode"].as_str())
            .unwrap_or_default();
        let detail = sub(contact, "kontakt").map(|e| &e["valueContactDetail"]);
        let name = detail
            .and_then(|d| d["name"].as_str())
            .unwrap_or_default()
            .to_owned();
        let phone = detail
            .and_then(|d| d["telecom"][0]["value"].as_str())
            .unwrap_or_default()
            .to_owned();
        match role {
            "fast-lakarkontakt" => {
                (input.fixed_doctor_name, input.fixed_doctor_phone) = (name, phone)
            }
            "ansvarig-ordinator" => (input.prescriber_name, input.prescriber_phone) = (name, phone),
            "fast-vardkontakt" => {
                (input.care_contact_name, input.care_contact_phone) = (name, phone)
            }
            "vardcentral" => (input.health_centre_name, input.health_centre_phone) = (name, phone),
            _ => issues.push(issue(
                "invalid",
                "Okänd kontaktroll.",
                "ServiceRequest.extension",
            )),
        }
    }
    if let Some(address) =
        extension(resource, "patientadress").and_then(|e| e["valueAddress"]["text"].as_str())
    {
        input.patient_address = address.to_owned();
    }
    if let Some(phone) =
        extension(resource, "patienttelefon").and_then(|e| e["valueContactPoint"]["value"].as_str())
    {
        input.patient_phone = phone.to_owned();
    }
    let restricted = resource["meta"]["security"]
        .as_array()
        .is_some_and(|labels| {
            labels
                .iter()
                .any(|label| label["system"] == RESTRICTED && label["code"] == "R")
        });
    if restricted {
        input.protected_identity = "ja".into();
    }
    if let Some(colour) = extension(resource, "visam").and_then(|e| e["valueCode"].as_str()) {
        input.visam_colour = colour.to_owned();
    }
    if let Some(date) =
        extension(resource, "utskrivningsdatum").and_then(|e| e["valueDate"].as_str())
    {
        input.discharge_date = date.to_owned();
    }
    if extension(resource, "psykiatrisk-lakemedelshantering")
        .and_then(|e| e["valueBoolean"].as_bool())
        == Some(true)
    {
        input.psychiatric_medication = "ja".into();
    }
    if let Some(code) =
        extension(resource, "rehab-initierad-av").and_then(|e| e["valueCode"].as_str())
    {
        input.rehab_initiator = code.to_owned();
    }
    crate::case::consent::read_into(resource, &mut input);
    if issues.is_empty() {
        Ok(input)
    } else {
        Err(issues)
    }
}

/// The FHIRPath of a request-form field, for `OperationOutcome.issue.expression`.
pub fn expression_for(field: &str) -> &'static str {
    match field {
        "personnummer" => "ServiceRequest.subject.identifier.value",
        "patient_name" => "ServiceRequest.subject.display",
        "home_municipality" => "ServiceRequest.extension('hemkommun')",
        "track" => "ServiceRequest.category",
        "situation" | "background" | "current_assessment" | "recommendation" => {
            "ServiceRequest.extension('sbar')"
        }
        "visam_colour" => "ServiceRequest.extension('visam')",
        "discharge_date" => "ServiceRequest.extension('utskrivningsdatum')",
        "rehab_initiator" => "ServiceRequest.extension('rehab-initierad-av')",
        "patient_address" => "ServiceRequest.extension('patientadress')",
        "patient_phone" => "ServiceRequest.extension('patienttelefon')",
        field if field.starts_with("consent") => "ServiceRequest.contained.ofType(Consent)",
        _ => "ServiceRequest.extension('kontakt')",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use samsyn_domain::case::track::{RehabInitiator, VisamColour};

    const ROL: &str = "urn:oid:1.2.752.74.9.3";

    fn case() -> CaseForFhir {
        CaseForFhir {
            id: "abc".into(),
            version: 2,
            state: CaseState::Draft,
            track: TrackDetails::Discharge {
                colour: VisamColour::Red,
                discharge_date: date(2026, 11, 30),
                plan_available_on: None,
            },
            consent: None,
            consent_withdrawn_at: None,
            protected_identity: true,
            person_id: PersonId::from_stored("191212121212").unwrap(),
            reserve_number_system: ROL.into(),
            patient_name: "Tolvan Tolvansson".into(),
            home_municipality: MunicipalityCode::parse("1880").unwrap(),
            sender: UnitRef {
                hsa_id: Some("SE9999999999-D0001".into()),
                name: "Medicinkliniken".into(),
            },
            receiver: UnitRef {
                hsa_id: None,
                name: "Hemsjukvården Örebro".into(),
            },
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            text: CareRequestInput {
                patient_address: "Storgatan 1, 702 10 Örebro".into(),
                patient_phone: "019-10 10 10".into(),
                situation: "S".into(),
                background: "B".into(),
                current_assessment: "A".into(),
                recommendation: "R".into(),
                fixed_doctor_name: "Dr".into(),
                fixed_doctor_phone: "019-1".into(),
                care_contact_name: "SSK".into(),
                care_contact_phone: "019-2".into(),
                health_centre_name: "VC".into(),
                health_centre_phone: "019-3".into(),
                ..CareRequestInput::default()
            },
            status_reason: None,
        }
    }

    #[test]
    fn a_service_request_reads_back_into_the_same_fields() {
        let resource = service_request(&case());
        let input = parse_service_request(&resource, ROL).unwrap();
        assert_eq!(input.personnummer, "191212121212");
        assert_eq!(input.home_municipality, "1880");
        assert_eq!(input.track, "utskrivning");
        assert_eq!(input.visam_colour, "rott");
        assert_eq!(input.discharge_date, "2026-11-30");
        assert_eq!(
            (input.situation.as_str(), input.recommendation.as_str()),
            ("S", "R")
        );
        assert_eq!(input.care_contact_phone, "019-2");
        assert_eq!(resource["meta"]["security"][0]["code"], "R");
        assert_eq!(
            (
                input.patient_address.as_str(),
                input.patient_phone.as_str(),
                input.protected_identity.as_str()
            ),
            ("Storgatan 1, 702 10 Örebro", "019-10 10 10", "ja")
        );
        assert_eq!(
            RehabInitiator::from_code("egen"),
            Some(RehabInitiator::SelfReferral)
        );
    }

    #[test]
    fn task_status_follows_the_case() {
        let mut c = case();
        assert_eq!(task(&c)["status"], "draft");
        c.state = CaseState::Withdrawn(
            samsyn_domain::Dispatch {
                sent_at: Timestamp::UNIX_EPOCH,
                due: date(2026, 1, 2),
            },
            None,
        );
        c.status_reason = Some("Fel person".into());
        let t = task(&c);
        assert_eq!(t["status"], "cancelled");
        assert_eq!(t["statusReason"]["text"], "Fel person");
        assert_eq!(t["businessStatus"]["coding"][0]["code"], "aterkallad");
        let (d, r) = match c.state {
            CaseState::Withdrawn(d, _) => (
                d,
                samsyn_domain::Receipt {
                    acknowledged_at: Timestamp::UNIX_EPOCH,
                    acknowledged_by: "u".into(),
                },
            ),
            _ => unreachable!(),
        };
        c.state = CaseState::Closed(d, r);
        c.status_reason = Some("Tar sig till mottagningen".into());
        let closed = task(&c);
        assert_eq!(closed["status"], "rejected", "closed after ej inskriven");
        assert_eq!(closed["statusReason"]["text"], "Tar sig till mottagningen");
        c.status_reason = None;
        assert_eq!(task(&c)["status"], "completed");
        assert!(task(&c).get("statusReason").is_none());
    }

    #[test]
    fn structural_problems_are_issues_with_paths() {
        let issues = parse_service_request(
            &json!({"resourceType": "ServiceRequest", "intent": "plan",
            "subject": {"identifier": {"system": "x", "value": "1"}}}),
            ROL,
        )
        .unwrap_err();
        let paths: Vec<_> = issues.iter().filter_map(|i| i.expression.clone()).collect();
        assert_eq!(
            paths,
            [
                "ServiceRequest.intent",
                "ServiceRequest.subject.identifier.system"
            ]
        );
    }

    #[test]
    fn a_reservnummer_carries_the_regions_system_both_ways() {
        let mut c = case();
        c.person_id = PersonId::from_stored("19450829TB1F").unwrap();
        let resource = service_request(&c);
        assert_eq!(resource["subject"]["identifier"]["system"], ROL);
        assert_eq!(resource["subject"]["identifier"]["value"], "19450829TB1F");
        assert_eq!(
            parse_service_request(&resource, ROL).unwrap().personnummer,
            "19450829TB1F"
        );
        let mut mismatched = resource.clone();
        mismatched["subject"]["identifier"]["system"] = json!(PERSONNUMMER);
        let issues = parse_service_request(&mismatched, ROL).unwrap_err();
        assert_eq!(
            issues[0].expression.as_deref(),
            Some("ServiceRequest.subject.identifier.value")
        );
        mismatched["subject"]["identifier"] = json!({"system": ROL, "value": "191212121212"});
        assert_eq!(
            parse_service_request(&mismatched, ROL).unwrap_err().len(),
            1
        );
    }
}
