//! The case page's *SIP* panel: the SIPs held for the person, on any track, and the form that
//! records one. A joint planning does not replace a SIP, and the panel says so.

use crate::AppState;
use crate::case::views::local_time;
use crate::shared::error::{Outcome, WorkflowError, flatten};
use crate::shared::session::CurrentUser;
use samsyn_domain::care::sip::{Sip, SipInput};
use samsyn_domain::{AccessAction, CaseState};
use samsyn_store::care::sip::{self, StoredSip};
use samsyn_store::case::requests as care_requests;
use serde::Deserialize;

/// The SIP form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SipForm {
    #[serde(default)]
    pub sip_held_on: String,
    #[serde(default)]
    pub sip_convened_by: String,
    #[serde(default)]
    pub sip_attendees: String,
    #[serde(default)]
    pub sip_consented: String,
    #[serde(default)]
    pub sip_next_follow_up: String,
}

/// Whether a SIP may be recorded on a case in this state: from sending until it is closed.
fn open_for_sip(state: &CaseState) -> bool {
    !matches!(
        state,
        CaseState::Draft | CaseState::Closed(..) | CaseState::Withdrawn(..)
    )
}

/// Records a SIP for the case, by clinical staff of either party.
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: SipForm,
) -> Result<(), WorkflowError> {
    let input = SipInput {
        held_on: &form.sip_held_on,
        convened_by: &form.sip_convened_by,
        participants: &form.sip_attendees,
        consented: &form.sip_consented,
        next_follow_up: &form.sip_next_follow_up,
    };
    let parsed = Sip::parse(&input, state.today()).map_err(WorkflowError::Invalid)?;
    let actor = user.actor();
    let now = state.clock.now();
    flatten(
        state
            .db(move |conn| -> Outcome<()> {
                let Some((case, relation)) =
                    care_requests::open(conn, &actor, &id, AccessAction::Update, now)?
                else {
                    return Ok(Err(WorkflowError::NotFound));
                };
                if relation.side().is_none() || !actor.role.is_clinical() {
                    return Ok(Err(WorkflowError::Forbidden(
                        "SIP registreras av vårdpersonal hos någon av parterna i ärendet.",
                    )));
                }
                if !open_for_sip(&case.state) {
                    return Ok(Err(WorkflowError::Invalid(vec![
                        samsyn_domain::FieldError {
                            field: "sip_held_on",
                            message: "Ärendet är avslutat, återkallat eller inte skickat.".into(),
                        },
                    ])));
                }
                sip::record(conn, &actor, &case.id, &parsed, now)?;
                Ok(Ok(()))
            })
            .await,
    )
}

/// What the panel shows this user.
pub struct SipView {
    pub can_record: bool,
    /// (held, convened by, participants, next follow-up, recorded by) per SIP, newest first.
    pub rows: Vec<(String, String, String, String, String)>,
    pub typed: SipForm,
}

impl SipView {
    pub fn new(
        state: &AppState,
        case_state: &CaseState,
        may_write: bool,
        stored: &[StoredSip],
        typed: SipForm,
    ) -> Self {
        SipView {
            can_record: may_write && open_for_sip(case_state),
            rows: stored
                .iter()
                .map(|s| {
                    (
                        s.sip.held_on.to_string(),
                        s.sip.convened_by.clone(),
                        s.sip.participants.clone(),
                        s.sip
                            .next_follow_up
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "Inte bestämd".into()),
                        format!(
                            "{}, {} {}",
                            s.user_name,
                            s.unit_name,
                            local_time(state, s.recorded_at)
                        ),
                    )
                })
                .collect(),
            typed,
        }
    }

    pub fn is_shown(&self) -> bool {
        self.can_record || !self.rows.is_empty()
    }
}
