//! Länsgruppen's page (`/lansgrupp`): every oenighet reported to county level, described by the
//! report's three parts and its ladder without the person, unless a party attached her identity
//! (then her name is shown and the read is logged); the group's guidance, its proposal for the
//! agreement and the day it reported the case to the chefsgrupp's arbetsutskott.

use crate::AppState;
use crate::case::views::local_time;
use crate::disagreement::work::{self, GuidanceForm};
use crate::shared::error::{FieldErrors, WorkflowError};
use crate::shared::layout::{Layout, done_at, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use samsyn_domain::{AccessAction, AccessOutcome, FieldError, Track};
use samsyn_store::access_log::{self, Access};
use samsyn_store::disagreement::record;
use samsyn_store::{case::requests as care_requests, patients};
use serde::Deserialize;

/// One reported oenighet as the group sees it.
pub struct ReportedView {
    pub id: String,
    pub version: i64,
    pub track: String,
    pub parties: String,
    pub reported: String,
    pub description: String,
    pub interpretations: String,
    pub cause: String,
    /// The person's name, only when a party attached her identity.
    pub person: Option<String>,
    /// Each step below county level: level, managers, what it came to.
    pub steps: Vec<String>,
    pub guidance: String,
    pub proposal: String,
    pub committee: String,
    pub resolved: Option<String>,
}

#[derive(Template)]
#[template(path = "disagreement/county_group.html")]
struct CountyGroupPage {
    layout: Layout,
    notice: &'static str,
    errors: FieldErrors,
    /// The disagreement the errors belong to, and what was typed.
    typed: GuidanceForm,
    reported: Vec<ReportedView>,
    members_per_party: u32,
}

#[derive(Deserialize, Default)]
pub struct CountyQuery {
    #[serde(default)]
    klart: String,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<CountyQuery>,
) -> Response {
    let notice = if query.klart == "vagledning" {
        "Vägledningen är registrerad. Parterna ser den på ärendets sida för oenighet."
    } else {
        ""
    };
    page(&state, &user, notice, Vec::new(), GuidanceForm::default()).await
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: GuidanceForm,
) -> Response {
    let actor = user.actor();
    let now = state.clock.now();
    let rules = state.rules.clone();
    let loaded = state
        .db(move |conn| {
            let mut shown = Vec::new();
            for stored in record::all(conn)? {
                let Some(county) = stored.county.clone() else {
                    continue;
                };
                let facts = record::case_facts(conn, &stored.case_id)?;
                let person = if county.identity_attached {
                    access_log::record(
                        conn,
                        &actor,
                        Access {
                            patient_id: Some(&facts.patient_id),
                            action: AccessAction::Read,
                            object_type: care_requests::OBJECT_TYPE,
                            object_id: &stored.case_id,
                            outcome: AccessOutcome::Allowed,
                        },
                        now,
                    )?;
                    Some(patients::get(conn, &facts.patient_id)?.name)
                } else {
                    None
                };
                shown.push((stored, county, facts, person));
            }
            Ok(shown)
        })
        .await;
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return workflow_error_page(state, user, WorkflowError::from(error)),
    };
    let reported = loaded
        .into_iter()
        .rev()
        .map(|(stored, county, facts, person)| ReportedView {
            id: stored.id.clone(),
            version: stored.version,
            track: Track::from_code(&facts.track)
                .map_or(facts.track.clone(), |t| t.label().to_owned()),
            parties: format!(
                "{} och {}",
                rules.party_name(facts.sender_party),
                rules.party_name(facts.receiver_party)
            ),
            reported: format!(
                "{} {}",
                county.reported_by,
                local_time(state, county.reported_at)
            ),
            description: county.report.description,
            interpretations: county.report.interpretations,
            cause: county.report.cause,
            person,
            steps: stored
                .ladder
                .iter()
                .flat_map(|l| l.rungs())
                .filter(|r| r.level != samsyn_domain::disagreement::Level::County)
                .map(|r| {
                    format!(
                        "{} ({} och {}, {}): {}",
                        rules.disagreement.label(r.level),
                        r.region_manager,
                        r.municipality_manager,
                        r.raised_on,
                        r.outcome.as_ref().map_or("", |(_, _, o)| o.text())
                    )
                })
                .collect(),
            guidance: county.guidance,
            proposal: county.proposal,
            committee: county
                .reported_to_committee_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            resolved: stored.resolved_at.map(|at| local_time(state, at)),
        })
        .collect();
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &CountyGroupPage {
            layout: Layout::new(state, "Länsgruppen", Some(user)).await,
            notice,
            errors,
            typed,
            reported,
            members_per_party: state.rules.disagreement.county_group_members_per_party,
        },
    )
}

pub async fn guidance(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<GuidanceForm>,
) -> Response {
    match work::record_guidance(&state, &user, form.clone()).await {
        Ok(()) => done_at("/lansgrupp", "vagledning"),
        Err(WorkflowError::Invalid(errors)) => page(&state, &user, "", errors, form).await,
        Err(error) => workflow_error_page(&state, &user, error),
    }
}
