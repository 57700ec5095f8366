//! The deviation use cases: reporting one (linked to a case the user works with, or not),
//! addressed to a unit of the other party; confirming or dismissing Samsyn's proposals; the
//! addressed manager's answer; the reporting unit's conclusion. Each runs in one transaction and
//! is logged by the store.

use crate::AppState;
use crate::shared::error::{Outcome, WorkflowError, flatten};
use crate::shared::session::CurrentUser;
use samsyn_domain::deviation::{
    Answer, Report, ReportInput, Status, Step, Taker, answer_due, required_text,
};
use samsyn_domain::{AccessAction, FieldError};
use samsyn_store::case::requests as care_requests;
use samsyn_store::deviation::{self, NewDeviation, StepRecord, StoredDeviation};
use samsyn_store::units;
use serde::Deserialize;

fn invalid(field: &'static str, message: &str) -> WorkflowError {
    WorkflowError::Invalid(vec![FieldError {
        field,
        message: message.to_owned(),
    }])
}

/// A report as posted.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportForm {
    pub kind: String,
    pub occurred_on: String,
    pub description: String,
    /// The case it concerns, if any.
    pub case_id: String,
    /// The other party's unit it is addressed to.
    pub addressed_unit_id: String,
}

/// Reports a deviation; returns its id.
pub async fn report(
    state: &AppState,
    user: &CurrentUser,
    form: ReportForm,
) -> Result<String, WorkflowError> {
    let today = state.today();
    let parsed = Report::parse(
        &ReportInput {
            kind: &form.kind,
            occurred_on: &form.occurred_on,
            description: &form.description,
        },
        &state.rules.deviation,
        today,
    );
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if let Err(WorkflowError::Invalid(mut found)) = crate::shared::error::check_text(
        "description",
        "Beskrivningen",
        form.description.trim(),
        true,
    ) {
        errors.append(&mut found);
    }
    if form.addressed_unit_id.is_empty() {
        errors.push(FieldError {
            field: "addressed_unit_id",
            message: "Välj den enhet hos den andra parten som avvikelsen gäller.".into(),
        });
    }
    if !errors.is_empty() {
        return Err(WorkflowError::Invalid(errors));
    }
    let report = parsed.map_err(WorkflowError::Invalid)?;
    let due = answer_due(today, &state.rules);
    let actor = user.actor();
    let party = user.unit.party;
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<String> {
                let addressed = match units::get(conn, &form.addressed_unit_id) {
                    Ok(unit) if unit.party != party => unit,
                    Ok(_) | Err(samsyn_store::StoreError::NotFound) => {
                        return Ok(Err(invalid(
                            "addressed_unit_id",
                            "Välj en enhet hos den andra parten; avvikelser inom den egna organisationen rapporteras där.",
                        )));
                    }
                    Err(other) => return Err(other),
                };
                let case_id = form.case_id.trim();
                if !case_id.is_empty() {
                    let works_with = care_requests::open(conn, &actor, case_id, AccessAction::Read, now)?
                        .is_some_and(|(_, relation)| relation.is_in_care());
                    if !works_with {
                        return Ok(Err(invalid(
                            "case_id",
                            "Ärendet finns inte, eller så hör det inte till din enhet.",
                        )));
                    }
                }
                let id = deviation::report(
                    conn,
                    &actor,
                    &NewDeviation {
                        report: &report,
                        case_id: (!case_id.is_empty()).then_some(case_id),
                        addressed_unit_id: &addressed.id,
                        answer_due: due,
                    },
                    now,
                )?;
                Ok(Ok(id))
            })
            .await,
    )
}

/// A step as posted.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StepForm {
    pub version: i64,
    /// `bekrafta`, `avfarda`, `besvara` or `avsluta`.
    pub step: String,
    pub reason: String,
    pub investigation: String,
    pub measures: String,
    pub conclusion: String,
}

/// Takes a step on a deviation the user's party is part of; returns the notice's code.
pub async fn take_step(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: StepForm,
) -> Result<&'static str, WorkflowError> {
    let chosen = match form.step.as_str() {
        "bekrafta" => Some((Step::Confirm, "bekraftad")),
        "avfarda" => Some((Step::Dismiss, "avfardad")),
        "besvara" => Some((Step::Answer, "besvarad")),
        "avsluta" => Some((Step::Close, "avslutad")),
        _ => None,
    };
    for (field, value) in [
        ("reason", &form.reason),
        ("investigation", &form.investigation),
        ("measures", &form.measures),
        ("conclusion", &form.conclusion),
    ] {
        crate::shared::error::check_text(field, "Texten", value.trim(), true)?;
    }
    let actor = user.actor();
    let party = user.unit.party;
    let unit_id = user.unit.id.clone();
    let today = state.today();
    let rules = state.rules.clone();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<&'static str> {
                let Some(found) = deviation::open(conn, &actor, &id, &party, now)? else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                // Only a party to the deviation learns what the step lacks.
                let Some((step, notice)) = chosen else {
                    return Ok(Err(invalid(
                        "step",
                        "Välj vad du vill göra med avvikelsen.",
                    )));
                };
                if found.version != form.version {
                    return Ok(Err(WorkflowError::Conflict));
                }
                let taker = Taker {
                    role: actor.role,
                    at_addressed_unit: found.addressed_unit_id == unit_id,
                    at_reporting_unit: found.reporting_unit_id == unit_id,
                };
                let next = match found.status.apply(step, taker) {
                    Ok(next) => next,
                    Err(e) => return Ok(Err(invalid("step", &e.to_string()))),
                };
                let answer;
                let text;
                let record = match step {
                    Step::Confirm => StepRecord::Confirmed {
                        answer_due: answer_due(today, &rules),
                    },
                    Step::Dismiss => {
                        text = match required_text(
                            &form.reason,
                            "reason",
                            "Skriv varför det inte är en avvikelse.",
                        ) {
                            Ok(text) => text,
                            Err(errors) => return Ok(Err(WorkflowError::Invalid(errors))),
                        };
                        StepRecord::Dismissed { reason: &text }
                    }
                    Step::Answer => {
                        answer = match Answer::parse(&form.investigation, &form.measures) {
                            Ok(answer) => answer,
                            Err(errors) => return Ok(Err(WorkflowError::Invalid(errors))),
                        };
                        StepRecord::Answered(&answer)
                    }
                    Step::Close => {
                        text = match required_text(
                            &form.conclusion,
                            "conclusion",
                            "Skriv er slutsats av svaret.",
                        ) {
                            Ok(text) => text,
                            Err(errors) => return Ok(Err(WorkflowError::Invalid(errors))),
                        };
                        StepRecord::Closed { conclusion: &text }
                    }
                };
                deviation::record_step(conn, &actor, &found, next, &record, now)?;
                Ok(Ok(notice))
            })
            .await,
    )
}

/// The party's deviations, after Samsyn has proposed what it found since it last looked.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<StoredDeviation>, WorkflowError> {
    let actor = user.actor();
    let party = user.unit.party;
    let rules = state.rules.clone();
    let today = state.today();
    let now = state.clock.now();
    Ok(state
        .db(move |conn| {
            samsyn_store::deviation::detection::propose_new(conn, &rules, today, now)?;
            deviation::of_party(conn, &actor, &party, now)
        })
        .await?)
}

/// One deviation the user's party is part of; a third party gets "not found".
pub async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<StoredDeviation, WorkflowError> {
    let actor = user.actor();
    let party = user.unit.party;
    let now = state.clock.now();
    state
        .db(move |conn| deviation::open(conn, &actor, &id, &party, now))
        .await?
        .ok_or(WorkflowError::NotFound)
}

/// Whether the deviation waits for something from this user's unit, and what.
pub fn waiting_for(deviation: &StoredDeviation, unit_id: &str) -> Option<&'static str> {
    match deviation.status {
        Status::Proposed if deviation.addressed_unit_id == unit_id => {
            Some("Bekräfta eller avfärda")
        }
        Status::Reported if deviation.addressed_unit_id == unit_id => Some("Besvara"),
        Status::Answered if deviation.reporting_unit_id == unit_id => Some("Avsluta"),
        _ => None,
    }
}
