//! The request workflow's use cases, shared by the HTML pages and the JSON API.
//!
//! Each use case runs in one database transaction. Domain refusals that come after an allowed
//! read are returned as `Ok(Err(..))` from the transaction, so the read's access-log entry is
//! committed while nothing else is written.

use crate::AppState;
use crate::session::CurrentUser;
use samsyn_domain::{
    CareRequestInput, Completeness, FieldError, Party, RequestState, Side, TransitionError,
    UnitKind,
};
use samsyn_store::care_requests::{self, CareRequest};
use samsyn_store::{StoreError, units};
use serde::Deserialize;
use utoipa::ToSchema;

/// Why a use case did not go through.
#[derive(Debug)]
pub enum WorkflowError {
    /// Missing, or not visible to the user's unit (the two are indistinguishable on purpose).
    NotFound,
    /// The user's unit or role may not do this at all (no patient data involved).
    Forbidden(&'static str),
    Invalid(Vec<FieldError>),
    Transition(TransitionError),
    /// Someone else changed the request since the user loaded it.
    Conflict,
    Store(StoreError),
}

impl From<StoreError> for WorkflowError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict => WorkflowError::Conflict,
            StoreError::NotFound => WorkflowError::NotFound,
            other => WorkflowError::Store(other),
        }
    }
}

/// A submitted request, from the form or the JSON API: a new request, or new content for a draft. With `send: true` it is sent at once and
/// every field required for sending must be filled in.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CareRequestBody {
    pub personnummer: String,
    pub patient_name: String,
    pub home_municipality: String,
    pub situation: String,
    pub background: String,
    pub current_assessment: String,
    pub recommendation: String,
    pub fixed_doctor_name: String,
    pub fixed_doctor_phone: String,
    pub prescriber_name: String,
    pub prescriber_phone: String,
    pub care_contact_name: String,
    pub care_contact_phone: String,
    pub health_centre_name: String,
    pub health_centre_phone: String,
    pub send: bool,
    /// Required when updating a draft.
    pub version: i64,
}

impl CareRequestBody {
    pub fn into_input(self) -> (CareRequestInput, bool, i64) {
        (
            CareRequestInput {
                personnummer: self.personnummer,
                patient_name: self.patient_name,
                home_municipality: self.home_municipality,
                situation: self.situation,
                background: self.background,
                current_assessment: self.current_assessment,
                recommendation: self.recommendation,
                fixed_doctor_name: self.fixed_doctor_name,
                fixed_doctor_phone: self.fixed_doctor_phone,
                prescriber_name: self.prescriber_name,
                prescriber_phone: self.prescriber_phone,
                care_contact_name: self.care_contact_name,
                care_contact_phone: self.care_contact_phone,
                health_centre_name: self.health_centre_name,
                health_centre_phone: self.health_centre_phone,
            },
            self.send,
            self.version,
        )
    }
}

type Outcome<T> = Result<Result<T, WorkflowError>, StoreError>;

fn flatten<T>(result: Outcome<T>) -> Result<T, WorkflowError> {
    result.map_err(WorkflowError::from)?
}

/// Opens the request in the version the user last saw, and lets the domain decide the next state.
/// `Ok(Err(..))` when it is not visible, has changed since, or the step is refused.
fn open_for_transition(
    conn: &mut samsyn_store::DbConnection,
    actor: &samsyn_store::access_log::Actor,
    id: &str,
    version: i64,
    now: jiff::Timestamp,
    decide: impl FnOnce(&RequestState, Side) -> Result<RequestState, TransitionError>,
) -> Outcome<(CareRequest, RequestState)> {
    let Some((request, side)) = care_requests::open(conn, actor, id, now)? else {
        return Ok(Err(WorkflowError::NotFound));
    };
    if request.version != version {
        return Ok(Err(WorkflowError::Conflict));
    }
    Ok(decide(&request.state, side)
        .map(|next| (request, next))
        .map_err(WorkflowError::Transition))
}

/// Requests the user's unit has sent or received.
pub async fn list(state: &AppState, user: &CurrentUser) -> Result<Vec<CareRequest>, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    Ok(state
        .db(move |conn| care_requests::list_for_unit(conn, &actor, now))
        .await?)
}

/// One request, if the user's unit is party to it.
pub async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<(CareRequest, Side), WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    state
        .db(move |conn| care_requests::open(conn, &actor, &id, now))
        .await?
        .ok_or(WorkflowError::NotFound)
}

/// Writes a new request from a region unit; with `send`, sends it at once.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: CareRequestInput,
    send: bool,
) -> Result<CareRequest, WorkflowError> {
    if user.unit.kind == UnitKind::MunicipalHealthCare
        || !RequestState::may_send(Side::Sender, user.user.role)
    {
        return Err(WorkflowError::Forbidden(
            "Bara regionens vårdpersonal kan skriva en begäran.",
        ));
    }
    let today = state.today();
    let completeness = if send {
        Completeness::ReadyToSend
    } else {
        Completeness::Draft
    };
    let content = input
        .validate(&state.rules, today, completeness)
        .map_err(WorkflowError::Invalid)?;
    let actor = user.actor();
    let rules = state.rules.clone();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| {
                let receiver = units::receiving_unit_for(
                    conn,
                    Party::Municipality(content.home_municipality),
                )?;
                let draft = care_requests::create_draft(
                    conn,
                    &actor,
                    &content,
                    &receiver.id,
                    &rules.reference(),
                    now,
                )?;
                if !send {
                    return Ok(Ok(draft));
                }
                let sent = draft
                    .state
                    .send(Side::Sender, actor.role, now, today, &rules)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(Ok(care_requests::save_transition(
                    conn,
                    &actor,
                    &draft,
                    draft.version,
                    &sent,
                    now,
                )?))
            })
            .await,
    )
}

/// Saves new content into a draft; with `send`, also sends it.
pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
    input: CareRequestInput,
    send: bool,
) -> Result<CareRequest, WorkflowError> {
    let today = state.today();
    let completeness = if send {
        Completeness::ReadyToSend
    } else {
        Completeness::Draft
    };
    let content = input
        .validate(&state.rules, today, completeness)
        .map_err(WorkflowError::Invalid)?;
    let actor = user.actor();
    let rules = state.rules.clone();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| {
                let decide =
                    |state: &RequestState, side| state.send(side, actor.role, now, today, &rules);
                let (request, next) =
                    match open_for_transition(conn, &actor, &id, version, now, decide)? {
                        Ok(found) => found,
                        Err(refused) => return Ok(Err(refused)),
                    };
                let receiver = units::receiving_unit_for(
                    conn,
                    Party::Municipality(content.home_municipality),
                )?;
                let saved = care_requests::update_draft(
                    conn,
                    &actor,
                    &request,
                    version,
                    &content,
                    &receiver.id,
                    now,
                )?;
                if !send {
                    return Ok(Ok(saved));
                }
                Ok(Ok(care_requests::save_transition(
                    conn,
                    &actor,
                    &saved,
                    saved.version,
                    &next,
                    now,
                )?))
            })
            .await,
    )
}

/// utkast → skickad, after checking that the content is complete.
pub async fn send(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
) -> Result<CareRequest, WorkflowError> {
    let actor = user.actor();
    let rules = state.rules.clone();
    let now = state.clock.now();
    let today = state.today();
    flatten(
        state
            .db(move |conn| {
                let decide =
                    |state: &RequestState, side| state.send(side, actor.role, now, today, &rules);
                let (request, next) =
                    match open_for_transition(conn, &actor, &id, version, now, decide)? {
                        Ok(found) => found,
                        Err(refused) => return Ok(Err(refused)),
                    };
                if let Err(errors) = request
                    .text
                    .validate(&rules, today, Completeness::ReadyToSend)
                {
                    return Ok(Err(WorkflowError::Invalid(errors)));
                }
                Ok(Ok(care_requests::save_transition(
                    conn, &actor, &request, version, &next, now,
                )?))
            })
            .await,
    )
}

/// skickad → kvitterad, by the receiving municipality.
pub async fn acknowledge(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    version: i64,
) -> Result<CareRequest, WorkflowError> {
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| {
                let decide = |state: &RequestState, side| {
                    state.acknowledge(side, actor.role, now, &actor.user_id)
                };
                let (request, next) =
                    match open_for_transition(conn, &actor, &id, version, now, decide)? {
                        Ok(found) => found,
                        Err(refused) => return Ok(Err(refused)),
                    };
                Ok(Ok(care_requests::save_transition(
                    conn, &actor, &request, version, &next, now,
                )?))
            })
            .await,
    )
}

/// The access log as a log reviewer of the user's party may see it: accesses made from that
/// party's units, optionally for one patient or one user. Bad filter input gives a Swedish message.
pub async fn search_access_log(
    state: &AppState,
    user: &CurrentUser,
    personnummer: &str,
    username: &str,
) -> Result<Vec<samsyn_store::access_log::LoggedAccess>, String> {
    use samsyn_store::access_log::{self, Filter};
    let patient = if personnummer.trim().is_empty() {
        None
    } else {
        Some(
            samsyn_domain::Personnummer::parse(personnummer, state.today())
                .map_err(|e| e.to_string())?,
        )
    };
    let username = username.trim().to_owned();
    let party = user.unit.party;
    state
        .db(move |conn| {
            let mut filter = Filter {
                party: Some(party),
                limit: 500,
                ..Filter::default()
            };
            if let Some(number) = patient {
                match samsyn_store::patients::find_by_personnummer(conn, &number)? {
                    Some(p) => filter.patient_id = Some(p.id),
                    None => return Ok(Vec::new()),
                }
            }
            if !username.is_empty() {
                match samsyn_store::users::credentials_by_username(conn, &username)? {
                    Some(c) => filter.user_id = Some(c.user.id),
                    None => return Ok(Vec::new()),
                }
            }
            access_log::search(conn, &filter)
        })
        .await
        .map_err(|error| {
            tracing::error!(%error, "access log search failed");
            "Loggen kunde inte hämtas just nu.".to_owned()
        })
}
