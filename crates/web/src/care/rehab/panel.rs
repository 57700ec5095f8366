//! The case page's *Rehabiliteringsplan* panel in the rehabilitation process: the rehab team's
//! arbetsterapeut or fysioterapeut writes the plan (each saving a new version) and, as prescriber,
//! records its follow-ups at the plan's frequency; the referrer reads both.

use crate::AppState;
use crate::care::plan::work::parse_follow_up;
use crate::case::views::local_time;
use crate::case::workflow::{field_error, open_at_version};
use crate::shared::error::{Outcome, WorkflowError, flatten};
use crate::shared::session::CurrentUser;
use samsyn_domain::care::follow_up::{FollowUpOutcome, FollowUpRules, FollowUpStatus, status};
use samsyn_domain::care::rehab_plan::{self, Performer, RehabPlan, RehabPlanInput};
use samsyn_domain::care::treatment_plan::is_open;
use samsyn_domain::{CaseState, Role, Side, Track};
use samsyn_store::care::follow_up::StoredFollowUp;
use samsyn_store::care::rehab_plan::{self as store, StoredRehabPlan};
use samsyn_store::case::requests::CareRequest;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The plan form as posted (and as the API takes it).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct RehabPlanForm {
    /// The case version the user last saw.
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub rehab_goals: String,
    #[serde(default)]
    pub rehab_interventions: String,
    /// `rehabprofessionen`, `overlatet` or `egenvard`.
    #[serde(default)]
    pub rehab_performer: String,
    #[serde(default)]
    pub rehab_delegated_to: String,
    #[serde(default)]
    pub rehab_team: String,
    /// `ja` or `nej`.
    #[serde(default)]
    pub rehab_person_took_part: String,
    #[serde(default)]
    pub rehab_absence_reason: String,
    #[serde(default)]
    pub rehab_prescriber: String,
    /// A frequency code from the rule set, e.g. `1-manad`.
    #[serde(default)]
    pub rehab_frequency: String,
    /// `ÅÅÅÅ-MM-DD`, today or later.
    #[serde(default)]
    pub rehab_first_follow_up: String,
}

/// The follow-up form as posted (and as the API takes it).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct RehabFollowUpForm {
    /// The case version the user last saw.
    #[serde(default)]
    pub version: i64,
    /// `ÅÅÅÅ-MM-DD`, not in the future.
    #[serde(default)]
    pub follow_up_date: String,
    #[serde(default)]
    pub follow_up_checked: String,
    /// `fortsatt`, `revidera` or `avslut`.
    #[serde(default)]
    pub follow_up_outcome: String,
}

/// Opens the case for the rehab team's professions, on the rehabilitation track while the
/// person is enrolled.
fn open_for_rehab_team(
    conn: &mut samsyn_store::DbConnection,
    user: &samsyn_store::access_log::Actor,
    id: &str,
    version: i64,
    now: jiff::Timestamp,
) -> Outcome<CareRequest> {
    let (case, side) = match open_at_version(conn, user, id, version, now)? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    if case.track.track() != Track::Rehabilitation {
        return Ok(Err(WorkflowError::Forbidden(
            "Rehabiliteringsplanen hör till rehabiliteringsprocessen.",
        )));
    }
    if !rehab_plan::may_write(side, user.role) {
        return Ok(Err(WorkflowError::Forbidden(
            "Rehabiliteringsplanen skrivs och följs upp av rehabteamets arbetsterapeut eller fysioterapeut.",
        )));
    }
    if !is_open(&case.state) {
        return Ok(Err(WorkflowError::Forbidden(
            "Rehabiliteringsplanen skrivs när personen är inskriven och innan ärendet är avslutat.",
        )));
    }
    Ok(Ok(case))
}

/// Saves the plan as a new version.
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: RehabPlanForm,
) -> Result<i64, WorkflowError> {
    let input = RehabPlanInput {
        goals: &form.rehab_goals,
        interventions: &form.rehab_interventions,
        performer: &form.rehab_performer,
        delegated_to: &form.rehab_delegated_to,
        team: &form.rehab_team,
        person_took_part: &form.rehab_person_took_part,
        absence_reason: &form.rehab_absence_reason,
        prescriber: &form.rehab_prescriber,
        frequency: &form.rehab_frequency,
        first_follow_up: &form.rehab_first_follow_up,
    };
    let plan = RehabPlan::parse(&input, &state.rules.treatment_plan, state.today())
        .map_err(WorkflowError::Invalid)?;
    let actor = user.actor();
    let now = state.clock.now();
    let version = form.version;
    flatten(
        state
            .db(move |conn| -> Outcome<i64> {
                let case = match open_for_rehab_team(conn, &actor, &id, version, now)? {
                    Ok(case) => case,
                    Err(refused) => return Ok(Err(refused)),
                };
                Ok(Ok(store::save(conn, &actor, &case.id, &plan, now)?))
            })
            .await,
    )
}

/// Records the prescriber's follow-up of the latest version; the next follows its frequency.
pub async fn record_follow_up(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: RehabFollowUpForm,
) -> Result<jiff::civil::Date, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    let today = state.today();
    let rules = state.rules.clone();
    flatten(
        state
            .db(move |conn| -> Outcome<jiff::civil::Date> {
                let case = match open_for_rehab_team(conn, &actor, &id, form.version, now)? {
                    Ok(case) => case,
                    Err(refused) => return Ok(Err(refused)),
                };
                let Some(plan) = store::versions(conn, &case.id)?.pop() else {
                    return Ok(Err(field_error(
                        "follow_up_date",
                        "Skriv rehabiliteringsplanen först; uppföljningen görs enligt den.",
                    )));
                };
                let follow_up = match parse_follow_up(
                    &rules.treatment_plan,
                    &plan.plan.frequency,
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
                store::record_follow_up(conn, &actor, &case.id, &plan.id, &follow_up, now)?;
                Ok(Ok(follow_up.next_due))
            })
            .await,
    )
}

/// How the rule set names the plan's follow-up frequency; a code it no longer lists as stored.
pub fn frequency_label(rules: &FollowUpRules, plan: &RehabPlan) -> String {
    rules
        .frequency(&plan.frequency)
        .map_or_else(|| plan.frequency.clone(), |f| f.label.clone())
}

/// One version as the panel lists it.
pub struct VersionView {
    pub version: i64,
    pub facts: Vec<(&'static str, String)>,
}

/// What the panel shows this user.
pub struct RehabPlanView {
    pub shown: bool,
    pub can_write: bool,
    pub can_follow_up: bool,
    pub current: Option<VersionView>,
    /// Earlier versions, newest first.
    pub earlier: Vec<VersionView>,
    /// (held on, version, what was checked, outcome, next, who).
    pub follow_ups: Vec<(String, i64, String, String, String, String)>,
    pub follow_up_code: &'static str,
    pub follow_up_state: &'static str,
    pub performers: Vec<(&'static str, &'static str)>,
    pub frequencies: Vec<(String, String)>,
    pub outcomes: Vec<(&'static str, &'static str)>,
    pub typed: RehabPlanForm,
    pub follow_up_typed: RehabFollowUpForm,
}

/// What the user sees and may do with the case's rehabilitation plan.
pub struct RehabPlanContext<'a> {
    pub case: &'a CareRequest,
    pub side: Option<Side>,
    pub role: Role,
    pub versions: &'a [StoredRehabPlan],
    pub follow_ups: &'a [StoredFollowUp],
}

impl RehabPlanView {
    pub fn new(
        state: &AppState,
        context: RehabPlanContext<'_>,
        typed: Option<RehabPlanForm>,
        follow_up_typed: RehabFollowUpForm,
    ) -> Self {
        let RehabPlanContext {
            case,
            side,
            role,
            versions,
            follow_ups,
        } = context;
        let rules = &state.rules.treatment_plan;
        let enrolled = is_open(&case.state) || matches!(case.state, CaseState::Closed(..));
        let shown = case.track.track() == Track::Rehabilitation && enrolled;
        let can_write = shown
            && is_open(&case.state)
            && side.is_some_and(|side| rehab_plan::may_write(side, role));
        let view = |stored: &StoredRehabPlan| {
            let mut facts = stored
                .plan
                .parts(&frequency_label(rules, &stored.plan))
                .to_vec();
            facts.push((
                "Skriven av",
                format!(
                    "{}, {} {}",
                    stored.user_name,
                    stored.unit_name,
                    local_time(state, stored.recorded_at)
                ),
            ));
            VersionView {
                version: stored.version,
                facts,
            }
        };
        let latest = versions.last();
        let typed = typed.unwrap_or_else(|| {
            latest.map_or_else(RehabPlanForm::default, |s| {
                let p = &s.plan;
                RehabPlanForm {
                    version: case.version,
                    rehab_goals: p.goals.clone(),
                    rehab_interventions: p.interventions.clone(),
                    rehab_performer: p.performer.code().to_owned(),
                    rehab_delegated_to: p.delegated_to.clone(),
                    rehab_team: p.team.clone(),
                    rehab_person_took_part: if p.person_took_part { "ja" } else { "nej" }
                        .to_owned(),
                    rehab_absence_reason: p.absence_reason.clone(),
                    rehab_prescriber: p.prescriber.clone(),
                    rehab_frequency: p.frequency.clone(),
                    rehab_first_follow_up: String::new(),
                }
            })
        });
        let (follow_up_code, follow_up_state) = match case
            .follow_up_due
            .filter(|_| is_open(&case.state))
            .map(|d| status(d, state.today(), rules))
        {
            Some(FollowUpStatus::Overdue) => ("forsenad", "Försenad"),
            Some(FollowUpStatus::Due) => ("snart", "Dags"),
            _ => ("", ""),
        };
        RehabPlanView {
            shown,
            can_write,
            can_follow_up: can_write && latest.is_some(),
            current: latest.map(view),
            earlier: versions.iter().rev().skip(1).map(view).collect(),
            follow_ups: follow_ups
                .iter()
                .map(|f| {
                    (
                        f.follow_up.held_on.to_string(),
                        f.plan_version,
                        f.follow_up.checked.clone(),
                        f.follow_up.outcome.label().to_owned(),
                        f.follow_up.next_due.to_string(),
                        format!("{}, {}", f.user_name, f.unit_name),
                    )
                })
                .collect(),
            follow_up_code,
            follow_up_state,
            performers: Performer::ALL.map(|p| (p.code(), p.label())).to_vec(),
            frequencies: rules
                .frequencies
                .iter()
                .map(|f| (f.code.clone(), f.label.clone()))
                .collect(),
            outcomes: FollowUpOutcome::ALL.map(|o| (o.code(), o.label())).to_vec(),
            typed,
            follow_up_typed,
        }
    }
}
