//! The medicinsk behandlingsplan's use cases, shared by the plan page, the JSON API and FHIR:
//! read the plan with its versions and follow-ups, save a party's own parts, sign, and record a
//! follow-up. Each opens the case through the store, which logs the access.

use crate::AppState;
use crate::shared::error::{Outcome, WorkflowError, flatten};
use crate::shared::session::CurrentUser;
use jiff::civil::Date;
use samsyn_domain::care::follow_up::{FollowUp, FollowUpRules};
use samsyn_domain::care::treatment_plan::{self, PlanInput, is_established, may_sign};
use samsyn_domain::{AccessAction, AccessOutcome, CaseRelation, FieldError, Side};
use samsyn_store::DbConnection;
use samsyn_store::access_log::{self, Access, Actor};
use samsyn_store::care::follow_up::{self as follow_ups, StoredFollowUp};
use samsyn_store::care::treatment_plan::{self as plans, StoredPlanVersion};
use samsyn_store::case::requests::{self as care_requests, CareRequest};

/// The case's plan as its parties see it.
pub struct PlanFile {
    pub case: CareRequest,
    pub relation: CaseRelation,
    /// Every version, oldest first.
    pub versions: Vec<StoredPlanVersion>,
    /// Newest first.
    pub follow_ups: Vec<StoredFollowUp>,
    pub follow_up_due: Option<Date>,
}

impl PlanFile {
    /// The version in force: the newest fastställd one.
    pub fn established(&self) -> Option<&StoredPlanVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.established_at.is_some())
    }

    /// The version being written, if the newest is not yet fastställd.
    pub fn draft(&self) -> Option<&StoredPlanVersion> {
        self.versions.last().filter(|v| v.established_at.is_none())
    }
}

/// Why only parties may write: an earlier receiver or a nödåtkomst only reads.
const READ_ONLY: &str = "Din enhet kan bara läsa planen.";
const NOT_OPEN: &str =
    "Planen skrivs från beslutet om inskrivning tills ärendet är avslutat; ärendet är inte där.";
const CONSENT_WITHDRAWN: &str =
    "Personen har återkallat sitt samtycke. Planen delas inte längre mellan parterna i Samsyn.";

/// The plan, read with an access-log entry of `action` (a read, or a print of the PDF).
pub async fn plan_file(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    action: AccessAction,
) -> Result<PlanFile, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<PlanFile> {
                let Some((case, relation)) = care_requests::open(conn, &actor, &id, action, now)?
                else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                let versions = plans::versions(conn, &case.id)?;
                // A print is of the fastställd plan; without one nothing is printed.
                if action == AccessAction::Print
                    && versions.iter().any(|v| v.established_at.is_some())
                {
                    access_log::record(
                        conn,
                        &actor,
                        Access {
                            patient_id: Some(&case.patient.id),
                            action,
                            object_type: "behandlingsplan",
                            object_id: &case.id,
                            outcome: AccessOutcome::Allowed,
                        },
                        now,
                    )?;
                }
                Ok(Ok(PlanFile {
                    versions,
                    follow_ups: follow_ups::of_case(conn, &case.id)?,
                    follow_up_due: follow_ups::due(conn, &case.id)?,
                    case,
                    relation,
                }))
            })
            .await,
    )
}

/// Opens the case for a party writing its plan: a clinical user of one of the two units, while
/// the plan is open and the person's consent allows sharing.
fn open_for_writing(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: jiff::Timestamp,
) -> Outcome<(CareRequest, Side)> {
    let Some((case, relation)) = care_requests::open(conn, actor, id, AccessAction::Update, now)?
    else {
        return Ok(Err(WorkflowError::NotFound));
    };
    let Some(side) = relation.side() else {
        return Ok(Err(WorkflowError::Forbidden(READ_ONLY)));
    };
    if !actor.role.is_clinical() {
        return Ok(Err(WorkflowError::Forbidden(
            "Planen skrivs av vårdpersonal.",
        )));
    }
    if !treatment_plan::is_open(&case.state) {
        return Ok(Err(invalid("plan", NOT_OPEN)));
    }
    if case.consent.as_ref().is_some_and(|c| !c.allows_sharing()) {
        return Ok(Err(invalid("plan", CONSENT_WITHDRAWN)));
    }
    Ok(Ok((case, side)))
}

fn invalid(field: &'static str, message: &str) -> WorkflowError {
    WorkflowError::Invalid(vec![FieldError {
        field,
        message: message.to_owned(),
    }])
}

/// The newest version's last change in milliseconds, which a form carries so that a save or a
/// signature over someone else's newer change is refused; 0 before the first version.
pub fn seen_marker(versions: &[StoredPlanVersion]) -> i64 {
    versions
        .last()
        .map(|v| v.changed_at.as_millisecond())
        .unwrap_or(0)
}

/// The case opened for writing with its plan's versions; with `seen`, refused as a conflict when
/// the newest version changed since the user's page was made.
fn open_plan(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    seen: Option<i64>,
    now: jiff::Timestamp,
) -> Outcome<(CareRequest, Side, Vec<StoredPlanVersion>)> {
    let (case, side) = match open_for_writing(conn, actor, id, now)? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    let versions = plans::versions(conn, &case.id)?;
    if seen.is_some_and(|seen| seen != seen_marker(&versions)) {
        return Ok(Err(WorkflowError::Conflict));
    }
    Ok(Ok((case, side, versions)))
}

/// Saves the user's party's items into the draft (a new version when the plan in force is
/// fastställd). Returns the version's number.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    seen: i64,
    input: PlanForm,
) -> Result<i64, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    let today = state.today();
    let rules = state.rules.clone();
    flatten(
        state
            .db(move |conn| -> Outcome<i64> {
                let (case, side, versions) = match open_plan(conn, &actor, &id, Some(seen), now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                let edit = match input.as_input().parse(side, &rules.treatment_plan, today) {
                    Ok(edit) => edit,
                    Err(errors) => return Ok(Err(WorkflowError::Invalid(errors))),
                };
                let latest = versions.last();
                let base = latest.map(|v| v.content.clone()).unwrap_or_default();
                let content = base.with_edit(side, &edit);
                Ok(Ok(plans::save_draft(
                    conn, &actor, &case.id, latest, &content, now,
                )?))
            })
            .await,
    )
}

/// Signs the draft for the user's party; returns whether it became fastställd.
pub async fn sign(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    seen: i64,
) -> Result<bool, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    let rules = state.rules.clone();
    flatten(
        state
            .db(move |conn| -> Outcome<bool> {
                let (case, side, versions) = match open_plan(conn, &actor, &id, Some(seen), now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                let Some(version) = versions.last() else {
                    return Ok(Err(invalid(
                        "plan",
                        "Det finns ingen plan att signera ännu.",
                    )));
                };
                let rules = &rules.treatment_plan;
                let other = match side {
                    Side::Sender => Side::Receiver,
                    Side::Receiver => Side::Sender,
                };
                if let Err(refusal) = may_sign(
                    &version.content,
                    side,
                    actor.role,
                    version.signed_by(side).is_some(),
                    version.established_at.is_some(),
                    rules,
                ) {
                    return Ok(Err(invalid("plan", &refusal.message())));
                }
                let (region, municipality) = match side {
                    Side::Sender => (true, version.signed_by(other).is_some()),
                    Side::Receiver => (version.signed_by(other).is_some(), true),
                };
                let establishes = is_established(&version.content, region, municipality, rules);
                plans::sign(conn, &actor, &case.id, version, side, establishes, now)?;
                Ok(Ok(establishes))
            })
            .await,
    )
}

/// Records a follow-up of the plan in force; the next follows its frequency.
pub async fn record_follow_up(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: FollowUpForm,
) -> Result<Date, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    let today = state.today();
    let rules = state.rules.clone();
    flatten(
        state
            .db(move |conn| -> Outcome<Date> {
                let (case, _, versions) = match open_plan(conn, &actor, &id, None, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                let Some(plan) = versions.iter().rev().find(|v| v.established_at.is_some())
                else {
                    return Ok(Err(invalid(
                        "follow_up_date",
                        "Planen är inte fastställd än. Uppföljningen görs enligt en plan som båda parter har signerat.",
                    )));
                };
                let follow_up = match parse_follow_up(
                    &rules.treatment_plan,
                    &plan.content.frequency,
                    [
                        &form.follow_up_date,
                        &form.follow_up_checked,
                        &form.follow_up_outcome,
                    ],
                    today,
                ) {
                    Ok(f) => f,
                    Err(refused) => return Ok(Err(refused)),
                };
                follow_ups::record(conn, &actor, &case.id, &plan.id, &follow_up, now)?;
                Ok(Ok(follow_up.next_due))
            })
            .await,
    )
}

/// Checks a follow-up form's (date, what was checked, outcome) against the plan's frequency,
/// which gives the next date; a frequency the rule set no longer has asks for a new version.
pub(crate) fn parse_follow_up(
    rules: &FollowUpRules,
    frequency: &str,
    [held_on, checked, outcome]: [&str; 3],
    today: Date,
) -> Result<FollowUp, WorkflowError> {
    let Some(frequency) = rules.frequency(frequency) else {
        return Err(invalid(
            "follow_up_date",
            "Planens uppföljningsfrekvens finns inte längre i regelverket. Skriv en ny version av planen.",
        ));
    };
    FollowUp::parse(held_on, checked, outcome, frequency, today).map_err(WorkflowError::Invalid)
}

/// The plan form as posted (and as the API takes it).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct PlanForm {
    #[serde(default)]
    pub region_doctor_name: String,
    #[serde(default)]
    pub region_doctor_phone: String,
    #[serde(default)]
    pub region_care_name: String,
    #[serde(default)]
    pub region_care_phone: String,
    #[serde(default)]
    pub municipality_care_name: String,
    #[serde(default)]
    pub municipality_care_phone: String,
    /// `avsandare` or `mottagare`: whose care contact is samordningsansvarig.
    #[serde(default)]
    pub coordinator: String,
    #[serde(default)]
    pub prognosis: String,
    #[serde(default)]
    pub deterioration: String,
    #[serde(default)]
    pub point_interventions: String,
    /// `ja` or `nej`.
    #[serde(default)]
    pub shared_responsibility: String,
    #[serde(default)]
    pub action_plan: String,
    #[serde(default)]
    pub follow_up: String,
    /// A code of the rule set's follow-up frequencies.
    #[serde(default)]
    pub frequency: String,
    /// ÅÅÅÅ-MM-DD.
    #[serde(default)]
    pub first_follow_up: String,
}

impl PlanForm {
    fn as_input(&self) -> PlanInput<'_> {
        PlanInput {
            region_doctor_name: &self.region_doctor_name,
            region_doctor_phone: &self.region_doctor_phone,
            region_care_name: &self.region_care_name,
            region_care_phone: &self.region_care_phone,
            municipality_care_name: &self.municipality_care_name,
            municipality_care_phone: &self.municipality_care_phone,
            coordinator: &self.coordinator,
            prognosis: &self.prognosis,
            deterioration: &self.deterioration,
            point_interventions: &self.point_interventions,
            shared_responsibility: &self.shared_responsibility,
            action_plan: &self.action_plan,
            follow_up: &self.follow_up,
            frequency: &self.frequency,
            first_follow_up: &self.first_follow_up,
        }
    }
}

/// The follow-up form as posted.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct FollowUpForm {
    /// ÅÅÅÅ-MM-DD.
    #[serde(default)]
    pub follow_up_date: String,
    #[serde(default)]
    pub follow_up_checked: String,
    /// `fortsatt`, `revidera` or `avslut`.
    #[serde(default)]
    pub follow_up_outcome: String,
}
