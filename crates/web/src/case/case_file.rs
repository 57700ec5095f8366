//! The joint work on a case, shared by pages and API: the track's recorded facts, each party's
//! assessment, the municipality's home check with its action items, and the whole case file.

use crate::AppState;
use crate::case::workflow::{enrollment_blockers, in_assessment, open_at_version};
use crate::shared::error::{Outcome, WorkflowError, check_text, flatten};
use crate::shared::session::CurrentUser;
use samsyn_domain::{
    AccessAction, Action, CaseRelation, CaseState, FieldError, Side, TrackDetails,
};
use samsyn_store::care::closure::{self, StoredClosure};
use samsyn_store::care::follow_up::StoredFollowUp;
use samsyn_store::care::planning::{self, StoredPlanning};
use samsyn_store::care::rehab_plan::{self, StoredRehabPlan};
use samsyn_store::care::seven_day_plan::{self, StoredSevenDayPlan};
use samsyn_store::care::sip::{self, StoredSip};
use samsyn_store::care::treatment_plan::{self, StoredPlanVersion};
use samsyn_store::case::consent::RecordedConsent;
use samsyn_store::case::messages::{self, Message, NewAttachment};
use samsyn_store::case::requests::{self as care_requests, CareRequest, CaseEvent};
use samsyn_store::case::work::{self as case_work, ActionItem, Assessment, Decision, HomeCheck};
use samsyn_store::emergency_access::{self, EmergencyAccess};
use samsyn_store::units::{self, Unit};

fn invalid(field: &'static str, message: &str) -> WorkflowError {
    WorkflowError::Invalid(vec![FieldError {
        field,
        message: message.to_owned(),
    }])
}

const NOT_NOW: &str =
    "Det går bara medan ärendet bedöms (kvitterat, under bedömning eller vid oenighet).";
const NOT_OPEN: &str = "Ärendet är avslutat eller återkallat.";
/// Why nothing more passes between the parties once the person has withdrawn consent.
const CONSENT_WITHDRAWN: &str = "Personen har återkallat sitt samtycke. Inga fler uppgifter om personen lämnas mellan regionen och kommunen i ärendet, utom det lagen kräver; det tas per telefon och dokumenteras i journalen.";

/// Everything the case page shows, read in one transaction.
pub struct CaseFile {
    pub case: CareRequest,
    /// The side the user's unit acts for; `None` for an earlier receiver, who only reads.
    pub side: Option<Side>,
    pub events: Vec<CaseEvent>,
    pub assessments: Vec<Assessment>,
    pub decisions: Vec<Decision>,
    pub home_checks: Vec<HomeCheck>,
    pub action_items: Vec<ActionItem>,
    pub disagreements: Vec<samsyn_store::disagreement::record::StoredDisagreement>,
    /// Units of the receiver's party the case may be forwarded to.
    pub forward_targets: Vec<Unit>,
    /// The vårdcentraler a discharged person's case may be handed over to (track 3); empty
    /// unless the user is offered the handover.
    pub hand_over_targets: Vec<Unit>,
    /// Why a decision to enroll cannot be recorded yet (empty when it can).
    pub blockers: Vec<String>,
    /// The steps this user may take now.
    pub actions: Vec<Action>,
    pub messages: Vec<Message>,
    /// How the user relates to the case: `Emergency` when she reads it by nödåtkomst.
    pub relation: CaseRelation,
    /// Every nödåtkomst to the case's person, newest first: the parties see who, when and why.
    pub emergency: Vec<EmergencyAccess>,
    /// Proposals to end the care, oldest first, with their answers.
    pub closures: Vec<StoredClosure>,
    /// The joint planning with the person, once recorded.
    pub planning: Option<StoredPlanning>,
    /// The medicinsk behandlingsplan's versions, oldest first.
    pub plan_versions: Vec<StoredPlanVersion>,
    /// SIPs held for the person in this case, newest first.
    pub sips: Vec<StoredSip>,
    /// Track 3: the hospital's plan for the first seven days, once recorded.
    pub seven_day_plan: Option<StoredSevenDayPlan>,
    /// Rehabilitation: the rehabiliteringsplan's versions, oldest first.
    pub rehab_plans: Vec<StoredRehabPlan>,
    /// Rehabilitation: the prescriber's follow-ups, newest first.
    pub rehab_follow_ups: Vec<StoredFollowUp>,
}

/// The whole case. `mark_read`: the user is shown the messages, so they are read for the unit.
pub async fn case_file(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    mark_read: bool,
) -> Result<CaseFile, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    let today = state.today();
    let rules = state.rules.clone();
    let role = user.user.role;
    flatten(
        state
            .db(move |conn| {
                let Some((case, relation)) =
                    care_requests::open(conn, &actor, &id, AccessAction::Read, now)?
                else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                let receiver = units::get(conn, &case.receiver_unit_id)?;
                // Reading by nödåtkomst marks nothing read for a unit outside the case.
                let mark_read = mark_read && relation != CaseRelation::Emergency;
                let actions = relation
                    .side()
                    .map(|side| {
                        case.state
                            .actions_for(side, role, case.track.track(), case.parties())
                    })
                    .unwrap_or_default();
                Ok(Ok(CaseFile {
                    relation,
                    emergency: emergency_access::of_patient(conn, &case.patient.id)?,
                    messages: messages::read_all(conn, &actor, &case, mark_read, now)?,
                    events: care_requests::events(conn, &case.id)?,
                    assessments: case_work::assessments(conn, &case.id)?,
                    decisions: case_work::decisions(conn, &case.id)?,
                    home_checks: case_work::home_checks(conn, &case.id)?,
                    action_items: case_work::action_items(conn, &case.id)?,
                    disagreements: samsyn_store::disagreement::record::of_case(conn, &case.id)?,
                    closures: closure::of_case(conn, &case.id)?,
                    planning: planning::of_case(conn, &case.id)?,
                    plan_versions: treatment_plan::versions(conn, &case.id)?,
                    sips: sip::of_case(conn, &case.id)?,
                    seven_day_plan: seven_day_plan::of_case(conn, &case.id)?,
                    rehab_plans: rehab_plan::versions(conn, &case.id)?,
                    rehab_follow_ups: rehab_plan::follow_ups(conn, &case.id)?,
                    forward_targets: units::forward_targets(conn, &receiver)?,
                    // Looked up only for the user who is offered the handover.
                    hand_over_targets: if actions.contains(&Action::HandOver) {
                        units::hand_over_targets(conn)?
                    } else {
                        Vec::new()
                    },
                    blockers: enrollment_blockers(conn, &case, today, &rules)?,
                    actions,
                    case,
                    side: relation.side(),
                }))
            })
            .await,
    )
}

/// Records the user's party's assessment (bedömning).
pub async fn record_assessment(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
    text: String,
) -> Result<(), WorkflowError> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(invalid("assessment", "Skriv bedömningen."));
    }
    check_text("assessment", "Bedömningen", &text, true)?;
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<()> {
                let (case, side) = match open_at_version(conn, &actor, &id, version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                if !in_assessment(&case.state) {
                    return Ok(Err(invalid("assessment", NOT_NOW)));
                }
                case_work::record_assessment(conn, &actor, &case, side, &text, now)?;
                Ok(Ok(()))
            })
            .await,
    )
}

/// Stores what has been recorded for the case's track (criteria, risk, SIP, ViSam facts).
pub async fn update_track(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
    details: TrackDetails,
) -> Result<CareRequest, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| {
                let (case, _) = match open_at_version(conn, &actor, &id, version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                // Criteria are recorded while the case is open; ViSam facts such as the day the
                // 7-day plan became available may come after the decision.
                if matches!(case.state, CaseState::Closed(..) | CaseState::Withdrawn(..)) {
                    return Ok(Err(invalid("track", NOT_OPEN)));
                }
                if !case.track.same_process(&details) {
                    return Ok(Err(invalid(
                        "track",
                        "Ett ärende kan inte byta spår eller delprocess (läkemedelshantering från psykiatrin).",
                    )));
                }
                Ok(Ok(care_requests::update_track_details(
                    conn, &actor, &case, version, &details, now,
                )?))
            })
            .await,
    )
}

/// The municipality's check of competence and equipment in the home. When something is missing
/// an action item with an owner and a due date must come with it.
pub struct HomeCheckInput {
    pub competence_ok: bool,
    pub equipment_ok: bool,
    pub note: String,
    pub action: Option<ActionItemInput>,
}

pub struct ActionItemInput {
    pub description: String,
    pub owner: String,
    pub due: String,
}

fn parse_action_item(input: &ActionItemInput) -> Result<jiff::civil::Date, WorkflowError> {
    let mut errors = Vec::new();
    if input.description.trim().is_empty() {
        errors.push(FieldError {
            field: "action_description",
            message: "Beskriv vad som ska åtgärdas.".into(),
        });
    }
    if input.owner.trim().is_empty() {
        errors.push(FieldError {
            field: "action_owner",
            message: "Ange vem som ansvarar för åtgärden.".into(),
        });
    }
    for (field, label, value) in [
        ("action_description", "Åtgärden", &input.description),
        ("action_owner", "Ansvarig", &input.owner),
    ] {
        if let Err(WorkflowError::Invalid(problems)) = check_text(field, label, value.trim(), false)
        {
            errors.extend(problems);
        }
    }
    let due = input.due.trim().parse::<jiff::civil::Date>().ok();
    if due.is_none() {
        errors.push(FieldError {
            field: "action_due",
            message: "Ange när åtgärden ska vara klar, ÅÅÅÅ-MM-DD.".into(),
        });
    }
    match due {
        Some(due) if errors.is_empty() => Ok(due),
        _ => Err(WorkflowError::Invalid(errors)),
    }
}

pub async fn record_home_check(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
    input: HomeCheckInput,
) -> Result<(), WorkflowError> {
    let missing = !(input.competence_ok && input.equipment_ok);
    let action = match (&input.action, missing) {
        (Some(action), _) if !action.description.trim().is_empty() || missing => {
            Some((parse_action_item(action)?, action))
        }
        (None, true) => {
            return Err(invalid(
                "action_description",
                "Något saknas i hemmet: registrera en åtgärd med ansvarig och datum.",
            ));
        }
        _ => None,
    };
    let action = action.map(|(due, a)| {
        (
            due,
            a.description.trim().to_owned(),
            a.owner.trim().to_owned(),
        )
    });
    let actor = user.actor();
    let now = state.clock.now();
    let note = input.note.trim().to_owned();
    check_text("note", "Anteckningen", &note, true)?;
    flatten(
        state
            .db(move |conn| -> Outcome<()> {
                let (case, side) = match open_at_version(conn, &actor, &id, version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                if side != Side::Receiver {
                    return Ok(Err(WorkflowError::Forbidden(
                        "Kontrollen av hemmet görs av kommunen.",
                    )));
                }
                if !in_assessment(&case.state) {
                    return Ok(Err(invalid("competence_ok", NOT_NOW)));
                }
                case_work::record_home_check(
                    conn,
                    &actor,
                    &case,
                    input.competence_ok,
                    input.equipment_ok,
                    &note,
                    now,
                )?;
                if let Some((due, description, owner)) = action {
                    case_work::add_action_item(
                        conn,
                        &actor,
                        &case,
                        &description,
                        &owner,
                        &actor.unit_id,
                        due,
                        now,
                    )?;
                }
                Ok(Ok(()))
            })
            .await,
    )
}

pub async fn complete_action_item(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
    item_id: String,
) -> Result<(), WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<()> {
                let (case, _) = match open_at_version(conn, &actor, &id, version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                if matches!(case.state, CaseState::Closed(..) | CaseState::Withdrawn(..)) {
                    return Ok(Err(invalid("action_item", NOT_OPEN)));
                }
                case_work::complete_action_item(conn, &actor, &case, &item_id, now)?;
                Ok(Ok(()))
            })
            .await,
    )
}

/// Records that the person has withdrawn consent; the note says how and to whom.
pub async fn withdraw_consent(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
    note: String,
) -> Result<(), WorkflowError> {
    let note = note.trim().to_owned();
    if note.is_empty() {
        return Err(invalid(
            "withdrawal_note",
            "Ange hur och till vem personen återkallade samtycket.",
        ));
    }
    check_text("withdrawal_note", "Anteckningen", &note, true)?;
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<()> {
                let (case, _) = match open_at_version(conn, &actor, &id, version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                if !case
                    .consent
                    .as_ref()
                    .is_some_and(RecordedConsent::may_be_withdrawn)
                {
                    return Ok(Err(invalid(
                        "withdrawal_note",
                        "Ärendet har inget gällande samtycke att återkalla.",
                    )));
                }
                case_work::withdraw_consent(conn, &actor, &case, &note, now)?;
                Ok(Ok(()))
            })
            .await,
    )
}

/// Largest attachment accepted, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// File types a message may carry, recognised by their first bytes as well as their declared
/// type, so a renamed executable is not stored as a "PDF".
const ALLOWED_TYPES: [(&str, &[u8], &str); 3] = [
    ("application/pdf", b"%PDF", "pdf"),
    ("image/png", b"\x89PNG", "png"),
    ("image/jpeg", b"\xFF\xD8\xFF", "jpg"),
];

/// Checks an uploaded file's size and type.
pub fn check_attachment(
    filename: &str,
    content_type: &str,
    content: Vec<u8>,
) -> Result<NewAttachment, WorkflowError> {
    if content.len() > MAX_ATTACHMENT_BYTES {
        return Err(invalid("attachment", "Bilagan är större än 5 MB."));
    }
    let declared = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let by_magic = ALLOWED_TYPES
        .iter()
        .find(|(t, magic, _)| *t == declared && content.starts_with(magic))
        .map(|(_, _, extension)| *extension);
    let is_text = declared == "text/plain" && std::str::from_utf8(&content).is_ok();
    let Some(extension) = by_magic.or(is_text.then_some("txt")) else {
        return Err(invalid(
            "attachment",
            "Bilagan måste vara PDF, PNG, JPEG eller vanlig text.",
        ));
    };
    Ok(NewAttachment {
        filename: samsyn_domain::text::attachment_file_name(filename, extension),
        content_type: declared,
        content,
    })
}

/// Posts a message on the case, visible to both units.
pub async fn post_message(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    body: String,
    attachment: Option<NewAttachment>,
) -> Result<(), WorkflowError> {
    let body = body.trim().to_owned();
    if body.is_empty() {
        return Err(invalid("message", "Skriv ett meddelande."));
    }
    check_text("message", "Meddelandet", &body, true)?;
    let actor = user.actor();
    let now = state.clock.now();
    let case = flatten(
        state
            .db(move |conn| -> Outcome<care_requests::CareRequest> {
                let Some((case, _)) =
                    care_requests::open(conn, &actor, &id, AccessAction::Update, now)?
                else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                if case.consent.as_ref().is_some_and(|c| !c.allows_sharing()) {
                    return Ok(Err(invalid("message", CONSENT_WITHDRAWN)));
                }
                messages::post(conn, &actor, &case, &body, attachment, now)?;
                Ok(Ok(case))
            })
            .await,
    )?;
    crate::case::live::changed(state, &case);
    Ok(())
}

/// An attachment of a case the user's unit is party to: (filename, content type, bytes).
pub async fn attachment(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    attachment_id: String,
) -> Result<(String, String, Vec<u8>), WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| {
                let Some((case, _)) =
                    care_requests::open(conn, &actor, &id, AccessAction::Export, now)?
                else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                Ok(Ok(messages::attachment(
                    conn,
                    &actor,
                    &case,
                    &attachment_id,
                    now,
                )?))
            })
            .await,
    )
}

/// What needs the unit's attention.
pub struct Attention {
    pub to_acknowledge: i64,
    /// The other party's proposals to answer (a decision, an avslut).
    pub to_confirm: i64,
    /// Follow-ups of fastställda plans due today or earlier.
    pub follow_ups: i64,
    pub unread: i64,
}

impl Attention {
    pub fn total(&self) -> i64 {
        self.to_acknowledge + self.to_confirm + self.follow_ups + self.unread
    }
}

/// What needs the unit's attention now.
pub async fn attention(state: &AppState, user: &CurrentUser) -> Result<Attention, WorkflowError> {
    let unit_id = user.unit.id.clone();
    let today = state.today();
    Ok(state
        .db(move |conn| {
            Ok(Attention {
                to_acknowledge: care_requests::awaiting_acknowledgement(conn, &unit_id)?,
                to_confirm: care_requests::awaiting_confirmation(conn, &unit_id)?,
                follow_ups: samsyn_store::care::follow_up::due_for_unit(conn, &unit_id, today)?,
                unread: messages::unread_for_unit(conn, &unit_id)?,
            })
        })
        .await?)
}
