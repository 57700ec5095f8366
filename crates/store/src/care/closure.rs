//! Avslut by both parties: each proposal with its content, and the other party's answer.

use crate::access_log::Actor;
use crate::schema::{closure_proposals, units, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::care::closure::ClosureProposal;

/// How the other party answered a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Bekräftat: the case is closed.
    Confirmed,
    /// Avböjt: the care goes on.
    Declined,
}

impl Answer {
    /// Stable code in storage and the API.
    pub fn code(self) -> &'static str {
        match self {
            Answer::Confirmed => "bekraftat",
            Answer::Declined => "avbojt",
        }
    }

    fn from_code(code: &str) -> Option<Answer> {
        [Answer::Confirmed, Answer::Declined]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// A stored answer: what, when, by whom.
#[derive(Debug, Clone)]
pub struct Answered {
    pub answer: Answer,
    pub at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
    pub note: String,
}

/// A stored proposal, with its answer once there is one.
#[derive(Debug, Clone)]
pub struct StoredClosure {
    pub proposal: ClosureProposal,
    pub at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
    pub answered: Option<Answered>,
}

/// Stores a proposal; the caller stores the step to *avslut föreslaget*.
pub fn propose(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    proposal: &ClosureProposal,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(closure_proposals::table)
        .values((
            closure_proposals::id.eq(new_id()),
            closure_proposals::case_id.eq(case_id),
            closure_proposals::proposed_at.eq(to_millis(now)),
            closure_proposals::proposed_by.eq(&actor.user_id),
            closure_proposals::unit_id.eq(&actor.unit_id),
            closure_proposals::reason.eq(&proposal.reason),
            closure_proposals::next_contact.eq(&proposal.next_contact),
            closure_proposals::handover.eq(&proposal.handover),
        ))
        .execute(conn)?;
    Ok(())
}

/// Answers the case's waiting proposal; the caller stores the step to *avslutad* or back to
/// *pågående*. A case without a waiting proposal is corrupt: the state said there was one.
pub fn answer(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    answer: Answer,
    note: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let waiting: String = closure_proposals::table
        .filter(closure_proposals::case_id.eq(case_id))
        .filter(closure_proposals::answer.is_null())
        .select(closure_proposals::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::Corrupt("closure proposal".into()))?;
    diesel::update(closure_proposals::table.find(&waiting))
        .set((
            closure_proposals::answer.eq(answer.code()),
            closure_proposals::answered_at.eq(to_millis(now)),
            closure_proposals::answered_by.eq(&actor.user_id),
            closure_proposals::answered_unit_id.eq(&actor.unit_id),
            closure_proposals::answer_note.eq(note),
        ))
        .execute(conn)?;
    Ok(())
}

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
);

/// The case's proposals, oldest first, with who proposed and answered.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> Result<Vec<StoredClosure>, StoreError> {
    let rows: Vec<(Row, String, String)> = closure_proposals::table
        .inner_join(users::table.on(users::id.eq(closure_proposals::proposed_by)))
        .inner_join(units::table.on(units::id.eq(closure_proposals::unit_id)))
        .filter(closure_proposals::case_id.eq(case_id))
        .order(closure_proposals::proposed_at.asc())
        .select((
            (
                closure_proposals::proposed_at,
                closure_proposals::reason,
                closure_proposals::next_contact,
                closure_proposals::handover,
                closure_proposals::answer,
                closure_proposals::answered_at,
                closure_proposals::answered_by,
                closure_proposals::answered_unit_id,
                closure_proposals::answer_note,
            ),
            users::display_name,
            units::name,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, user_name, unit_name)| {
            let (at, reason, next_contact, handover, answer, answered_at, by, unit, note) = row;
            let answered = match (answer, answered_at, by, unit) {
                (Some(code), Some(at), Some(by), Some(unit)) => {
                    let (user_name, unit_name) = crate::users::signature(conn, &by, &unit)?;
                    Some(Answered {
                        answer: Answer::from_code(&code)
                            .ok_or_else(|| StoreError::Corrupt("closure answer".into()))?,
                        at: from_millis(at)?,
                        user_name,
                        unit_name,
                        note,
                    })
                }
                _ => None,
            };
            Ok(StoredClosure {
                proposal: ClosureProposal {
                    reason,
                    next_contact,
                    handover,
                },
                at: from_millis(at)?,
                user_name,
                unit_name,
                answered,
            })
        })
        .collect()
}
