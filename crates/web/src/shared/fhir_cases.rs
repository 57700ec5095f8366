//! What the FHIR resources of cases share: a case made ready for the mapping, the read of one
//! case and the search by patient, each opening cases through the store so that every access is
//! checked and logged. The resources themselves are the parts' (`case/fhir.rs`, `care/fhir.rs`).

use crate::AppState;
use crate::shared::error::{WorkflowError, fhir, from_workflow, outcome};
use crate::shared::session::CurrentUser;
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::{AccessAction, PersonId, RuleSet};
use samsyn_fhir::{CaseForFhir, Issue, UnitRef};
use samsyn_store::case::listing::{self, Criteria, Cursor};
use samsyn_store::case::requests::{self as care_requests, CareRequest};
use samsyn_store::{DbConnection, StoreError, units};
use serde::Deserialize;
use serde_json::Value;

pub(crate) fn for_fhir(
    conn: &mut DbConnection,
    case: CareRequest,
    reserve_number_system: String,
) -> Result<CaseForFhir, StoreError> {
    let unit = |conn: &mut DbConnection, id: &str| {
        units::get(conn, id).map(|u| UnitRef {
            hsa_id: u.hsa_id,
            name: u.name,
        })
    };
    Ok(CaseForFhir {
        sender: unit(conn, &case.sender_unit_id)?,
        receiver: unit(conn, &case.receiver_unit_id)?,
        status_reason: care_requests::status_reason(conn, &case.id)?,
        id: case.id,
        version: case.version,
        state: case.state,
        track: case.track,
        protected_identity: case.patient.protected_identity,
        person_id: case.patient.person_id,
        reserve_number_system,
        patient_name: case.patient.name,
        home_municipality: case.patient.home_municipality,
        created_at: case.created_at,
        updated_at: case.updated_at,
        text: case.text,
        consent_withdrawn_at: case
            .consent
            .as_ref()
            .and_then(|c| c.withdrawal.as_ref())
            .map(|w| w.at),
        consent: case.consent.map(|c| c.consent),
    })
}

/// Makes a resource of one case the user may read: `None` when the case has none of that kind.
pub(crate) type Render =
    fn(&mut DbConnection, CaseForFhir, &RuleSet) -> Result<Option<Value>, StoreError>;

/// Reads one case as the resource `render` makes of it.
pub(crate) async fn read(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    render: Render,
) -> Response {
    let actor = user.actor();
    let now = state.clock.now();
    let rules = state.rules.clone();
    let found = state
        .db(
            move |conn| match care_requests::open(conn, &actor, &id, AccessAction::Read, now)? {
                Some((case, _)) => {
                    let case = for_fhir(conn, case, rules.reserve_number.fhir_system.clone())?;
                    render(conn, case, &rules)
                }
                None => Ok(None),
            },
        )
        .await;
    match found {
        Ok(Some(resource)) => fhir(StatusCode::OK, resource),
        Ok(None) => from_workflow(WorkflowError::NotFound),
        Err(error) => from_workflow(error.into()),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct SearchQuery {
    /// `patient:identifier=system|value` (also accepted as plain `patient`).
    #[serde(default, rename = "patient:identifier")]
    patient_identifier: String,
    #[serde(default)]
    patient: String,
    #[serde(default)]
    status: String,
    /// On `Task`: `uppfoljning` gives the plans' follow-ups.
    #[serde(default)]
    pub code: String,
    /// Cases a page (1–200, 50 when left out); a search for one person returns all of theirs.
    #[serde(default, rename = "_count")]
    count: Option<u32>,
    /// Where the page starts, from the previous page's `next` link.
    #[serde(default, rename = "_after")]
    after: String,
}

/// The most cases one person's search returns in one answer.
const ONE_PERSONS_CASES: u32 = 500;

/// Which resources a search returns: how to render a case's, and what its `status` is (`None`
/// where the search takes no status).
pub(crate) struct Kind {
    /// The resource type searched, for the `next` link.
    pub resource: &'static str,
    pub render: fn(&mut DbConnection, CaseForFhir, &RuleSet) -> Result<Vec<Value>, StoreError>,
    pub status: Option<fn(&samsyn_domain::CaseState) -> &'static str>,
}

/// A search parameter the server cannot use: 400 with an `OperationOutcome` naming it.
fn invalid(parameter: &str, message: &str) -> Response {
    outcome(
        StatusCode::BAD_REQUEST,
        &[Issue {
            code: "invalid",
            diagnostics: message.to_owned(),
            expression: Some(parameter.into()),
        }],
    )
}

pub(crate) async fn search(
    state: &AppState,
    user: &CurrentUser,
    query: SearchQuery,
    kind: Kind,
) -> Response {
    let token = if query.patient_identifier.is_empty() {
        &query.patient
    } else {
        &query.patient_identifier
    };
    let patient = match token.trim() {
        "" => None,
        token => {
            let value = token.rsplit_once('|').map_or(token, |(_, value)| value);
            match PersonId::parse(value, &state.rules.reserve_number, state.today()) {
                Ok(number) => Some(number),
                Err(e) => {
                    return outcome(
                        StatusCode::BAD_REQUEST,
                        &[Issue {
                            code: "invalid",
                            diagnostics: e.to_string(),
                            expression: Some("patient".into()),
                        }],
                    );
                }
            }
        }
    };
    let count = query.count.unwrap_or(crate::case::workflow::PAGE_SIZE);
    if !(1..=200).contains(&count) {
        return invalid("_count", "_count ska vara mellan 1 och 200.");
    }
    let after = match query.after.trim() {
        "" => None,
        text => match Cursor::parse(text) {
            Some(cursor) => Some(cursor),
            None => return invalid("_after", "_after kommer inte från en tidigare sidas länk."),
        },
    };
    let actor = user.actor();
    let now = state.clock.now();
    let horizon = crate::case::workflow::horizon(state);
    let wanted = query.status.trim().to_owned();
    let status_of = kind.status;
    let render = kind.render;
    let rules = state.rules.clone();
    let found = state
        .db(move |conn| {
            let keep = |c: &CareRequest| {
                wanted.is_empty() || status_of.is_some_and(|status| status(&c.state) == wanted)
            };
            let patient_id = match patient {
                Some(number) => match samsyn_store::patients::find_by_person_id(conn, &number)? {
                    Some(p) => Some(p.id),
                    None => return Ok((Vec::new(), None)),
                },
                None => None,
            };
            let criteria = Criteria {
                limit: if patient_id.is_some() {
                    ONE_PERSONS_CASES
                } else {
                    count
                },
                after: after.filter(|_| patient_id.is_none()),
                patient_id,
                ..Criteria::default()
            };
            let page = listing::page(conn, &actor, &criteria, &horizon, now, keep)?.record(conn)?;
            let next = page.next.filter(|_| criteria.patient_id.is_none());
            let mut resources = Vec::new();
            for case in page.cases {
                let case = for_fhir(conn, case, rules.reserve_number.fhir_system.clone())?;
                resources.extend(render(conn, case, &rules)?);
            }
            Ok((resources, next))
        })
        .await;
    match found {
        Ok((resources, next)) => {
            let next = next.map(|cursor| {
                let mut pairs = vec![("_count", count.to_string()), ("_after", cursor.encode())];
                for (key, value) in [("status", &query.status), ("code", &query.code)] {
                    if !value.trim().is_empty() {
                        pairs.push((key, value.trim().to_owned()));
                    }
                }
                format!(
                    "/fhir/r4/{}?{}",
                    kind.resource,
                    serde_urlencoded::to_string(pairs).unwrap_or_default()
                )
            });
            fhir(
                StatusCode::OK,
                samsyn_fhir::searchset(resources, next.as_deref()),
            )
        }
        Err(error) => from_workflow(error.into()),
    }
}
