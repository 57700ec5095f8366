//! The case page's *Avslut* panel: the form to propose ending the care, the waiting proposal
//! with what confirming means, and how earlier proposals were answered.

use crate::AppState;
use crate::case::views::local_time;
use samsyn_domain::{Action, CaseState, Side};
use samsyn_store::care::closure::{Answer, StoredClosure};

/// One proposal as the page shows it.
pub struct ProposalRow {
    pub proposed: String,
    pub reason: String,
    pub next_contact: String,
    pub handover: String,
    /// How it was answered, e.g. "Avböjt av Sara Sjöberg, Hemsjukvården Örebro 2026-11-20 10:00";
    /// empty while it waits.
    pub answered: String,
    pub answer_note: String,
    /// The rehab professional ended the rehabilitation alone: proposed and confirmed at once.
    pub closed_alone: bool,
}

/// What the panel shows this user.
pub struct ClosureView {
    /// The user may propose ending the care now.
    pub can_propose: bool,
    /// The user's party may confirm the waiting proposal.
    pub can_confirm: bool,
    /// The user is the rehab team's arbetsterapeut or fysioterapeut and ends rehabilitation
    /// alone (§3.4); shown when no referrer's proposal waits for them.
    pub can_close_rehabilitation: bool,
    /// The case follows the rehabilitation process.
    pub rehabilitation: bool,
    /// The user's party made the waiting proposal (and may take it back).
    pub waits_for_other: bool,
    /// The waiting proposal, or the one both parties agreed on.
    pub current: Option<ProposalRow>,
    /// Earlier proposals that were declined, oldest first.
    pub declined: Vec<ProposalRow>,
    /// The values the user typed, kept when the form comes back with errors.
    pub typed: (String, String, String),
}

impl ClosureView {
    pub fn new(
        state: &AppState,
        case_state: &CaseState,
        side: Option<Side>,
        actions: &[Action],
        closures: &[StoredClosure],
        rehabilitation: bool,
        typed: (String, String, String),
    ) -> Self {
        let row = |c: &StoredClosure| ProposalRow {
            proposed: format!(
                "{}, {} {}",
                c.user_name,
                c.unit_name,
                local_time(state, c.at)
            ),
            reason: c.proposal.reason.clone(),
            next_contact: c.proposal.next_contact.clone(),
            handover: c.proposal.handover.clone(),
            answered: c.answered.as_ref().map_or_else(String::new, |a| {
                let verb = match a.answer {
                    Answer::Confirmed => "Bekräftat",
                    Answer::Declined => "Avböjt",
                };
                format!(
                    "{verb} av {}, {} {}",
                    a.user_name,
                    a.unit_name,
                    local_time(state, a.at)
                )
            }),
            answer_note: c
                .answered
                .as_ref()
                .map(|a| a.note.clone())
                .unwrap_or_default(),
            closed_alone: rehabilitation
                && c.answered.as_ref().is_some_and(|a| {
                    a.answer == Answer::Confirmed
                        && a.user_name == c.user_name
                        && a.unit_name == c.unit_name
                }),
        };
        let is_current = |c: &&StoredClosure| match &c.answered {
            None => true,
            Some(a) => a.answer == Answer::Confirmed,
        };
        let can_confirm = actions.contains(&Action::ConfirmClosure);
        ClosureView {
            can_propose: actions.contains(&Action::ProposeClosure),
            can_confirm,
            can_close_rehabilitation: actions.contains(&Action::CloseRehabilitation)
                && !can_confirm,
            rehabilitation,
            waits_for_other: side.is_some() && case_state.proposed_by() == side,
            current: closures.iter().rev().find(is_current).map(row),
            declined: closures
                .iter()
                .filter(|c| !is_current(c))
                .map(row)
                .collect(),
            typed,
        }
    }

    /// Whether there is anything to show.
    pub fn is_shown(&self) -> bool {
        self.can_propose
            || self.can_close_rehabilitation
            || self.current.is_some()
            || !self.declined.is_empty()
    }

    /// The step the form below the panel takes, and its button.
    pub fn form_step(&self) -> Action {
        if self.can_close_rehabilitation {
            Action::CloseRehabilitation
        } else {
            Action::ProposeClosure
        }
    }
}

#[derive(askama::Template)]
#[template(path = "care/confirm_closure.html")]
struct ConfirmClosurePage {
    layout: crate::shared::layout::Layout,
    id: String,
    version: i64,
    person: String,
    rehabilitation: bool,
}

/// `GET /begaran/{id}/avslut/bekrafta`: what confirming the other party's avslut does, before it
/// is done; it cannot be undone. A case with no avslut to confirm goes back to its page.
pub async fn confirm(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: crate::shared::session::CurrentUser,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let request = match crate::case::workflow::open(&state, &user, id.clone()).await {
        Ok((request, _)) => request,
        Err(error) => return crate::shared::layout::workflow_error_page(&state, &user, error),
    };
    if !matches!(request.state, CaseState::ClosureProposed(..)) {
        return axum::response::Redirect::to(&format!("/begaran/{id}#avslut")).into_response();
    }
    crate::shared::layout::render(
        axum::http::StatusCode::OK,
        &ConfirmClosurePage {
            layout: crate::shared::layout::Layout::build(&state, "Bekräfta avslut", Some(&user)),
            id,
            version: request.version,
            person: request.patient.name.clone(),
            rehabilitation: request.track.track() == samsyn_domain::Track::Rehabilitation,
        },
    )
}
