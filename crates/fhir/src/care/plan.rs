//! The medicinsk behandlingsplan as FHIR (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.4,
//! §3.1.6): a `CarePlan` per case whose `meta.versionId` is the plan's version, with each of the
//! five parts a `note` whose author is the party that wrote it; a `CareTeam` of both parties'
//! fixed contacts with the samordningsansvarig marked; and each follow-up a `Task` based on the
//! plan, the next one `requested` until it is done.

use crate::case::resources::{CaseForFhir, meta_for, subject_of, unit_reference};
use crate::{SAMSYN, ext};
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::care::follow_up::{FollowUp, FollowUpRules};
use samsyn_domain::care::treatment_plan::{PlanContent, PlanItem};
use samsyn_domain::{CaseState, Side};
use serde_json::{Value, json};

/// One version of the plan, as the mapping needs it.
#[derive(Debug, Clone)]
pub struct PlanVersionForFhir {
    pub number: i64,
    pub content: PlanContent,
    pub changed_at: Timestamp,
    pub established_at: Option<Timestamp>,
    /// (side, who, unit) per signature.
    pub signatures: Vec<(Side, String, String)>,
}

/// A recorded follow-up, as the mapping needs it.
#[derive(Debug, Clone)]
pub struct FollowUpForFhir {
    pub follow_up: FollowUp,
    pub recorded_at: Timestamp,
    pub recorded_by: String,
}

/// The case's plan: every version, the follow-ups and the next one's date.
#[derive(Debug, Clone)]
pub struct PlanForFhir {
    pub versions: Vec<PlanVersionForFhir>,
    pub follow_ups: Vec<FollowUpForFhir>,
    pub next_follow_up: Option<Date>,
}

impl PlanForFhir {
    /// The version a read without a version shows: the one in force, else the newest draft.
    pub fn current(&self) -> Option<&PlanVersionForFhir> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.established_at.is_some())
            .or(self.versions.last())
    }
}

fn party(side: Option<Side>) -> &'static str {
    match side {
        Some(Side::Sender) => "Regionen",
        Some(Side::Receiver) => "Kommunen",
        None => "Regionen och kommunen",
    }
}

/// `CarePlan.status`: a draft until fastställd, then active until the case is closed.
fn status(version: &PlanVersionForFhir, state: &CaseState) -> &'static str {
    match (version.established_at, state) {
        (None, _) => "draft",
        (Some(_), CaseState::Closed(..)) => "completed",
        (Some(_), _) => "active",
    }
}

/// The `CarePlan` of `version` (the current one when `None`); `None` when the case has no plan
/// or no such version.
pub fn care_plan(
    case: &CaseForFhir,
    plan: &PlanForFhir,
    version: Option<i64>,
    rules: &FollowUpRules,
) -> Option<Value> {
    let v = match version {
        Some(number) => plan.versions.iter().find(|v| v.number == number)?,
        None => plan.current()?,
    };
    let c = &v.content;
    let mut meta = meta_for(case);
    meta["versionId"] = json!(v.number.to_string());
    meta["lastUpdated"] = json!(v.changed_at.to_string());
    let notes: Vec<Value> = PlanItem::ALL
        .into_iter()
        .filter(|item| {
            !matches!(
                item,
                PlanItem::RegionDoctor
                    | PlanItem::RegionCareContact
                    | PlanItem::MunicipalityCareContact
            )
        })
        .filter_map(|item| {
            let text = item.shown(c, rules);
            (!text.is_empty()).then(|| {
                json!({"authorString": party(item.owner()), "text": format!("{}: {}", item.label(), text)})
            })
        })
        .collect();
    let mut resource = json!({
        "resourceType": "CarePlan",
        "id": case.id,
        "meta": meta,
        "identifier": [{"system": format!("{SAMSYN}/behandlingsplan"), "value": case.id}],
        "status": status(v, &case.state),
        "intent": "plan",
        "category": [{"text": "Medicinsk behandlingsplan"}],
        "title": "Medicinsk behandlingsplan",
        "subject": subject_of(case),
        "basedOn": [{"reference": format!("ServiceRequest/{}", case.id)}],
        "careTeam": [{"reference": format!("CareTeam/{}", case.id)}],
        "author": unit_reference(&case.sender),
        "contributor": [unit_reference(&case.sender), unit_reference(&case.receiver)],
        "created": v.changed_at.to_string(),
    });
    if let Some(at) = v.established_at {
        resource["period"] = json!({"start": at.to_string()});
    }
    if !notes.is_empty() {
        resource["note"] = json!(notes);
    }
    let signed: Vec<Value> = v
        .signatures
        .iter()
        .map(|(side, who, unit)| {
            json!({"url": ext("signatur"), "valueString": format!("{}: {who}, {unit}", party(Some(*side)))})
        })
        .collect();
    if !signed.is_empty() {
        resource["extension"] = json!(signed);
    }
    if let Some(frequency) = rules.frequency(&c.frequency) {
        let mut detail = json!({
            "kind": "Task",
            "code": {"text": "Uppföljning av behandlingsplanen"},
            "status": "scheduled",
            "description": format!("{}. {}", frequency.label, c.follow_up),
        });
        if let Some(next) = plan.next_follow_up.or(c.first_follow_up) {
            detail["scheduledString"] = json!(format!("{}, nästa {next}", frequency.label));
        }
        let outcomes: Vec<Value> = plan
            .follow_ups
            .iter()
            .enumerate()
            .map(|(newest_first, _)| {
                json!({"reference": format!("Task/{}", follow_up_id(&case.id, plan.follow_ups.len() - newest_first))})
            })
            .collect();
        let mut activity = json!({"detail": detail});
        if !outcomes.is_empty() {
            activity["outcomeReference"] = json!(outcomes);
        }
        resource["activity"] = json!([activity]);
    }
    Some(resource)
}

/// The `CareTeam`: both parties' fixed contacts, the coordinator's role saying so.
pub fn care_team(case: &CaseForFhir, plan: &PlanForFhir) -> Option<Value> {
    let c = &plan.current()?.content;
    let member = |name: &str, phone: &str, role: &str, unit: Value, coordinates: bool| {
        let role = if coordinates {
            format!("{role}, samordningsansvarig")
        } else {
            role.to_owned()
        };
        let mut participant = json!({
            "role": [{"text": role}],
            "member": {"display": name},
            "onBehalfOf": unit,
        });
        if !phone.is_empty() {
            participant["member"]["display"] = json!(format!("{name}, tel. {phone}"));
        }
        participant
    };
    let participants: Vec<Value> = [
        (&c.region_doctor, "Fast läkarkontakt", &case.sender, false),
        (
            &c.region_care_contact,
            "Fast vårdkontakt",
            &case.sender,
            c.coordinator == Some(Side::Sender),
        ),
        (
            &c.municipality_care_contact,
            "Fast vårdkontakt",
            &case.receiver,
            c.coordinator == Some(Side::Receiver),
        ),
    ]
    .into_iter()
    .filter(|(contact, ..)| !contact.name.is_empty())
    .map(|(contact, role, unit, coordinates)| {
        member(
            &contact.name,
            &contact.phone,
            role,
            unit_reference(unit),
            coordinates,
        )
    })
    .collect();
    let mut resource = json!({
        "resourceType": "CareTeam",
        "id": case.id,
        "meta": meta_for(case),
        "status": if matches!(case.state, CaseState::Closed(..)) { "inactive" } else { "active" },
        "name": "Vårdteam för hälso- och sjukvård i hemmet",
        "subject": subject_of(case),
        "managingOrganization": [unit_reference(&case.sender), unit_reference(&case.receiver)],
    });
    if !participants.is_empty() {
        resource["participant"] = json!(participants);
    }
    Some(resource)
}

/// The plan's follow-ups as `Task`s: each recorded one `completed`, and the next `requested`.
pub fn follow_up_tasks(case: &CaseForFhir, plan: &PlanForFhir) -> Vec<Value> {
    let task = |id: String, status: &str| {
        json!({
            "resourceType": "Task",
            "id": id,
            "meta": meta_for(case),
            "status": status,
            "intent": "plan",
            "code": {"text": "Uppföljning av behandlingsplanen"},
            "basedOn": [{"reference": format!("CarePlan/{}", case.id)}],
            "for": subject_of(case),
            "owner": unit_reference(&case.receiver),
        })
    };
    let count = plan.follow_ups.len();
    let mut tasks: Vec<Value> = plan
        .follow_ups
        .iter()
        .enumerate()
        .map(|(newest_first, f)| {
            let mut done = task(follow_up_id(&case.id, count - newest_first), "completed");
            done["executionPeriod"] = json!({"start": f.follow_up.held_on.to_string()});
            done["authoredOn"] = json!(f.recorded_at.to_string());
            done["note"] = json!([{"authorString": f.recorded_by, "text": f.follow_up.checked}]);
            done["output"] =
                json!([{"type": {"text": "Utfall"}, "valueString": f.follow_up.outcome.label()}]);
            done
        })
        .collect();
    if let (Some(next), false) = (
        plan.next_follow_up,
        matches!(case.state, CaseState::Closed(..)),
    ) {
        let mut planned = task(next_follow_up_id(&case.id), "requested");
        planned["restriction"] = json!({"period": {"end": next.to_string()}});
        tasks.push(planned);
    }
    tasks
}

/// The id of a case's next follow-up `Task`. Every follow-up `Task` id starts with its case's
/// id and `-uppfoljning`, so that access to it is decided by the case.
pub fn next_follow_up_id(case_id: &str) -> String {
    format!("{case_id}{FOLLOW_UP}")
}

/// The `number`th recorded follow-up's `Task` id, counting from 1 in the order they were held.
fn follow_up_id(case_id: &str, number: usize) -> String {
    format!("{case_id}{FOLLOW_UP}-{number}")
}

const FOLLOW_UP: &str = "-uppfoljning";

/// The case a follow-up `Task` id belongs to, if it is one.
pub fn case_of_follow_up(task_id: &str) -> Option<&str> {
    task_id.split_once(FOLLOW_UP).map(|(case, _)| case)
}
