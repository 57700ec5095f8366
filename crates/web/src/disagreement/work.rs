//! The oenighet's use cases: opening it (with the decision step, or on a case in care), the
//! ladder's steps by the parties' managers, the report to the county group, and the group's
//! guidance. Each runs in one transaction after the case was opened and logged.

use crate::AppState;
use crate::shared::error::{Outcome, WorkflowError, flatten};
use crate::shared::session::CurrentUser;
use jiff::civil::Date;
use samsyn_domain::disagreement::county_report::CountyReport;
use samsyn_domain::disagreement::rules::DisagreementRules;
use samsyn_domain::disagreement::{Ladder, LadderError, Level, Outcome as StepOutcome};
use samsyn_domain::{AccessAction, CaseState, FieldError, Role, Side};
use samsyn_store::case::requests::{self as care_requests, CareRequest};
use samsyn_store::case::work as case_work;
use samsyn_store::disagreement::record::{self, StoredDisagreement};
use samsyn_store::{DbConnection, StoreError};
use serde::Deserialize;

fn error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// What opening an oenighet is given, as typed.
pub struct Opening<'a> {
    pub reason: &'a str,
    pub region_manager: &'a str,
    pub municipality_manager: &'a str,
    pub interim_arrangement: &'a str,
}

/// What opening an oenighet needs: what it is about, the nearest line manager of each party
/// and how the person's needs are met meanwhile; every missing part is named.
pub fn opening(input: &Opening<'_>, today: Date) -> Result<Ladder, Vec<FieldError>> {
    let mut errors = Vec::new();
    if input.reason.trim().is_empty() {
        errors.push(error("reason", "Beskriv vad parterna är oeniga om."));
    }
    if input.region_manager.trim().is_empty() {
        errors.push(error(
            "region_manager",
            "Ange regionens närmaste linjechef, som ska lösa oenigheten.",
        ));
    }
    if input.municipality_manager.trim().is_empty() {
        errors.push(error(
            "municipality_manager",
            "Ange kommunens närmaste linjechef, som ska lösa oenigheten.",
        ));
    }
    if input.interim_arrangement.trim().is_empty() {
        errors.push(error(
            "interim_arrangement",
            "Beskriv hur personens behov tillgodoses medan parterna är oeniga.",
        ));
    }
    for (field, label, value) in [
        ("reason", "Beskrivningen", &input.reason),
        ("region_manager", "Chefens namn", &input.region_manager),
        (
            "municipality_manager",
            "Chefens namn",
            &input.municipality_manager,
        ),
        (
            "interim_arrangement",
            "Beskrivningen",
            &input.interim_arrangement,
        ),
    ] {
        if let Err(WorkflowError::Invalid(mut found)) =
            crate::shared::error::check_text(field, label, value.trim(), true)
        {
            errors.append(&mut found);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ladder::open(input.region_manager, input.municipality_manager, today)
        .map_err(|e| vec![error("region_manager", e.to_string())])
}

/// Whether the case has an oenighet not yet resolved.
pub fn unresolved(conn: &mut DbConnection, case_id: &str) -> Result<bool, StoreError> {
    Ok(record::of_case(conn, case_id)?
        .iter()
        .any(|d| d.resolved_at.is_none()))
}

/// Whether both parties have recorded an assessment: an oenighet is about two assessments.
pub fn both_assessed(conn: &mut DbConnection, case: &CareRequest) -> Result<bool, StoreError> {
    let assessments = case_work::assessments(conn, &case.id)?;
    Ok([Side::Sender, Side::Receiver]
        .iter()
        .all(|side| assessments.iter().any(|a| a.side == *side)))
}

/// A case in care, where either party may raise an oenighet about who does what.
pub fn in_care(state: &CaseState) -> bool {
    matches!(
        state,
        CaseState::Decided(_, _, samsyn_domain::DecisionOutcome::Enrolled)
            | CaseState::Planned(..)
            | CaseState::Ongoing(..)
            | CaseState::ClosureProposed(..)
    )
}

/// Whether the role takes the ladder's steps: the managers the question goes to, and the
/// coordinators who record for them.
pub fn takes_ladder_steps(role: Role) -> bool {
    matches!(role, Role::UnitManager | Role::Coordinator)
}

/// A step on the ladder as posted.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LadderForm {
    /// The oenighet's version the user last saw.
    pub version: i64,
    /// `oppna`, `registrera`, `bekrafta`, `avvisa`, `lyft` or `anmal-lan`.
    pub step: String,
    /// `overens`, `inte-overens` or `inga-kostnader`.
    pub outcome: String,
    /// Who does what, or why they did not agree.
    pub text: String,
    /// The level to raise the question to.
    pub level: String,
    pub region_manager: String,
    pub municipality_manager: String,
    /// The county report's (a), (b) and (c).
    pub description: String,
    pub interpretations: String,
    pub cause: String,
    /// `ja` to attach the person's identity to the county report.
    pub attach_identity: String,
    /// Opening on a case in care: what it is about and what is done meanwhile.
    pub reason: String,
    pub interim_arrangement: String,
}

/// Takes one step of the oenighet on the case; returns the notice's code.
pub async fn take_step(
    state: &AppState,
    user: &CurrentUser,
    case_id: String,
    form: LadderForm,
) -> Result<&'static str, WorkflowError> {
    let actor = user.actor();
    let today = state.today();
    let now = state.clock.now();
    let steps = state.rules.disagreement.clone();
    flatten(
        state
            .db(move |conn| -> Outcome<&'static str> {
                let Some((case, relation)) =
                    care_requests::open(conn, &actor, &case_id, AccessAction::Update, now)?
                else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                let Some(side) = relation.side() else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                if form.step == "oppna" {
                    return open_in_care(conn, &actor, &case, &form, today, now);
                }
                if !takes_ladder_steps(actor.role) {
                    return Ok(Err(WorkflowError::Invalid(vec![error(
                        "step",
                        "Stegen i trappan registreras av en enhetschef eller samordnare hos någon av parterna.",
                    )])));
                }
                let Some(current) = record::of_case(conn, &case.id)?
                    .into_iter()
                    .rev()
                    .find(|d| d.ladder.is_some())
                else {
                    return Ok(Err(WorkflowError::Invalid(vec![error(
                        "step",
                        "Ärendet har ingen oenighet att ta ett steg i.",
                    )])));
                };
                if current.version != form.version {
                    return Ok(Err(WorkflowError::Conflict));
                }
                let mut ladder = current.ladder.clone().ok_or(StoreError::NotFound)?;
                let taken = Taken {
                    side,
                    today,
                    now,
                };
                step_on(conn, &actor, &current, &mut ladder, &steps, &form, taken)
            })
            .await,
    )
}

/// Who takes a step on the ladder, and when.
struct Taken {
    side: Side,
    today: Date,
    now: jiff::Timestamp,
}

fn step_on(
    conn: &mut DbConnection,
    actor: &samsyn_store::access_log::Actor,
    current: &StoredDisagreement,
    ladder: &mut Ladder,
    steps: &DisagreementRules,
    form: &LadderForm,
    taken: Taken,
) -> Outcome<&'static str> {
    let Taken { side, today, now } = taken;
    let refused = |e: LadderError, field: &'static str| {
        Ok(Err(WorkflowError::Invalid(vec![error(
            field,
            e.to_string(),
        )])))
    };
    let level = ladder.level();
    let (what, notice) = match form.step.as_str() {
        "registrera" => {
            let Some(outcome) = StepOutcome::from_parts(&form.outcome, form.text.trim()) else {
                return Ok(Err(WorkflowError::Invalid(vec![error(
                    "outcome",
                    "Välj vad nivån kom fram till.",
                )])));
            };
            let said = match &outcome {
                StepOutcome::Agreed { .. } => "överens",
                StepOutcome::NotAgreed { .. } => "inte överens",
                StepOutcome::NoCostsInvolved => "inga kostnader ingår",
            };
            if let Err(e) = ladder.record(side, today, outcome) {
                return refused(e, "text");
            }
            (
                format!("{}: {said}", steps.label(level)),
                "oenighet-registrerad",
            )
        }
        "bekrafta" => {
            if let Err(e) = ladder.confirm(side, today) {
                return refused(e, "step");
            }
            (
                "Överenskommelsen bekräftad av båda parter; oenigheten är löst".to_owned(),
                "oenighet-lost",
            )
        }
        "avvisa" => {
            if let Err(e) = ladder.reject_agreement(side) {
                return refused(e, "step");
            }
            (
                format!("{}: överenskommelsen inte bekräftad", steps.label(level)),
                "oenighet-avvisad",
            )
        }
        "lyft" => {
            let Some(to) = Level::from_code(&form.level).filter(|l| *l != Level::County) else {
                return Ok(Err(WorkflowError::Invalid(vec![error(
                    "level",
                    "Välj nivån frågan lyfts till.",
                )])));
            };
            if let Err(e) = ladder.escalate(
                to,
                &form.region_manager,
                &form.municipality_manager,
                today,
                steps,
            ) {
                let field = if e == LadderError::ManagersMissing {
                    "region_manager"
                } else {
                    "level"
                };
                return refused(e, field);
            }
            (
                format!(
                    "Lyft till {}: {} och {}",
                    steps.label(to),
                    form.region_manager.trim(),
                    form.municipality_manager.trim()
                ),
                "oenighet-lyft",
            )
        }
        "anmal-lan" => {
            let report = match CountyReport::parse(
                ladder,
                steps,
                actor.role,
                &form.description,
                &form.interpretations,
                &form.cause,
            ) {
                Ok(report) => report,
                Err(errors) => return Ok(Err(WorkflowError::Invalid(errors))),
            };
            let last = ladder.rungs().last().cloned().ok_or(StoreError::NotFound)?;
            if let Err(e) = ladder.escalate(
                Level::County,
                &last.region_manager,
                &last.municipality_manager,
                today,
                steps,
            ) {
                return refused(e, "level");
            }
            record::report_to_county(
                conn,
                actor,
                current,
                ladder,
                &report,
                form.attach_identity == "ja",
                now,
            )?;
            return Ok(Ok("oenighet-anmald"));
        }
        _ => {
            return Ok(Err(WorkflowError::Invalid(vec![error(
                "step",
                "Okänt steg.",
            )])));
        }
    };
    record::save_ladder(conn, actor, current, ladder, &what, now)?;
    Ok(Ok(notice))
}

/// Raises an oenighet about who does what on a case in care; the care goes on as decided.
fn open_in_care(
    conn: &mut DbConnection,
    actor: &samsyn_store::access_log::Actor,
    case: &CareRequest,
    form: &LadderForm,
    today: Date,
    now: jiff::Timestamp,
) -> Outcome<&'static str> {
    if !in_care(&case.state) {
        return Ok(Err(WorkflowError::Invalid(vec![error(
            "reason",
            "Oenighet om vem som gör vad registreras på ett ärende där personen är inskriven. Före beslutet registreras oenighet i beslutet.",
        )])));
    }
    if unresolved(conn, &case.id)? {
        return Ok(Err(WorkflowError::Invalid(vec![error(
            "reason",
            "Ärendet har redan en oenighet som inte är löst.",
        )])));
    }
    let input = Opening {
        reason: &form.reason,
        region_manager: &form.region_manager,
        municipality_manager: &form.municipality_manager,
        interim_arrangement: &form.interim_arrangement,
    };
    let ladder = match opening(&input, today) {
        Ok(ladder) => ladder,
        Err(errors) => return Ok(Err(WorkflowError::Invalid(errors))),
    };
    let id = record::open(
        conn,
        actor,
        &case.id,
        form.reason.trim(),
        form.interim_arrangement.trim(),
        &ladder,
        now,
    )?;
    let opened = record::get(conn, &id)?;
    record::save_ladder(
        conn,
        actor,
        &opened,
        &ladder,
        &format!("Oenighet om vem som gör vad: {}", form.reason.trim()),
        now,
    )?;
    Ok(Ok("oenighet-oppnad"))
}

/// The county group's guidance on a reported oenighet, as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GuidanceForm {
    pub disagreement_id: String,
    pub version: i64,
    pub guidance: String,
    pub proposal: String,
    /// The day the group reported the case to the arbetsutskott, `ÅÅÅÅ-MM-DD`, or empty.
    pub reported_to_committee_on: String,
}

/// Records the county group's guidance: only on a disagreement reported to county level.
pub async fn record_guidance(
    state: &AppState,
    user: &CurrentUser,
    form: GuidanceForm,
) -> Result<(), WorkflowError> {
    let mut errors = Vec::new();
    if form.guidance.trim().is_empty() {
        errors.push(error(
            "guidance",
            "Skriv gruppens vägledning: hur överenskommelsen ska tolkas och om parterna har gjort medicinska överväganden av vårdbehovet.",
        ));
    }
    let committee = match form.reported_to_committee_on.trim() {
        "" => None,
        text => match text.parse::<Date>() {
            Ok(day) if day <= state.today() => Some(day),
            Ok(_) => {
                errors.push(error(
                    "reported_to_committee_on",
                    "Dagen för anmälan till arbetsutskottet kan inte ligga i framtiden.",
                ));
                None
            }
            Err(_) => {
                errors.push(error(
                    "reported_to_committee_on",
                    "Ange dagen som ÅÅÅÅ-MM-DD, t.ex. 2026-12-01.",
                ));
                None
            }
        },
    };
    for (field, value) in [("guidance", &form.guidance), ("proposal", &form.proposal)] {
        if let Err(WorkflowError::Invalid(mut found)) =
            crate::shared::error::check_text(field, "Texten", value.trim(), true)
        {
            errors.append(&mut found);
        }
    }
    if !errors.is_empty() {
        return Err(WorkflowError::Invalid(errors));
    }
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<()> {
                let current = match record::get(conn, &form.disagreement_id) {
                    Ok(found) if found.county.is_some() => found,
                    Ok(_) | Err(StoreError::NotFound) => return Ok(Err(WorkflowError::NotFound)),
                    Err(other) => return Err(other),
                };
                if current.version != form.version {
                    return Ok(Err(WorkflowError::Conflict));
                }
                record::record_guidance(
                    conn,
                    &actor,
                    &current,
                    form.guidance.trim(),
                    form.proposal.trim(),
                    committee,
                    now,
                )?;
                Ok(Ok(()))
            })
            .await,
    )
}
