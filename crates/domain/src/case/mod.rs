//! The request and its case (begäran, ärende): *Hälso- och sjukvård i hemmet primärvårdsnivå*
//! §3 (the four ways in, kvittens, joint assessment and decision). This folder holds the
//! request, the tracks with their criteria, what a decision to enroll says, the state machine
//! and their rule sections.
//!
//! This file is the case's state machine: utkast → skickad → kvitterad → under bedömning →
//! beslut föreslaget (by one party) → beslutad (inskriven | ej inskriven, when the other party
//! confirms; oenighet when either says the parties disagree) → planerad → pågående → avslut föreslaget →
//! avslutad (the other party confirms the proposal), with the side states återkallad (withdrawn by the sender)
//! and vidarebefordrad (forwarded to another unit of the same party). In the rehabilitation
//! process the rehabilitation professional judges when it ends (§3.4), so the receiving rehab
//! team's arbetsterapeut or fysioterapeut closes it without a proposal; an egenvårdsbegäran the
//! team registers itself has no second party, so the team also decides alone. Each state carries
//! exactly the facts that exist in it: a sent case has its dispatch, an acknowledged one its receipt.

pub mod consent;
pub mod decision;
pub mod request;
pub mod rules;
pub mod track;
pub mod track_kind;
pub mod track_rules;

use crate::case::request::acknowledgement_due;
use crate::case::track::Track;
use crate::{Role, RuleSet};
use jiff::Timestamp;
use jiff::civil::Date;

/// When the case was sent to its current receiver, and when that receiver must acknowledge it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatch {
    pub sent_at: Timestamp,
    pub due: Date,
}

/// Kvittens: who at the receiving unit acknowledged the case, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub acknowledged_at: Timestamp,
    pub acknowledged_by: String,
}

/// The outcome of the joint decision (beslut).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionOutcome {
    /// Inskriven i kommunal hälso- och sjukvård.
    Enrolled,
    /// Ej inskriven, with a reason.
    NotEnrolled,
    /// Oenighet — the parties disagree; the disagreement procedure applies and responsibility
    /// passes only when it is resolved.
    Disagreement,
}

impl DecisionOutcome {
    pub const ALL: [DecisionOutcome; 3] = [
        DecisionOutcome::Enrolled,
        DecisionOutcome::NotEnrolled,
        DecisionOutcome::Disagreement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DecisionOutcome::Enrolled => "inskriven",
            DecisionOutcome::NotEnrolled => "ej_inskriven",
            DecisionOutcome::Disagreement => "oenighet",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        DecisionOutcome::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionOutcome::Enrolled => "Inskriven",
            DecisionOutcome::NotEnrolled => "Ej inskriven",
            DecisionOutcome::Disagreement => "Oenighet",
        }
    }
}

/// The case's state (status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseState {
    /// Utkast — only the sending unit sees it.
    Draft,
    /// Skickad — waiting for the receiver's acknowledgement.
    Sent(Dispatch),
    /// Vidarebefordrad — sent on to another unit of the same party, which must acknowledge it.
    Forwarded(Dispatch),
    /// Kvitterad.
    Acknowledged(Dispatch, Receipt),
    /// Under bedömning — the joint assessment.
    UnderAssessment(Dispatch, Receipt),
    /// Beslut föreslaget — one party has proposed the decision; the other confirms it or says the
    /// parties disagree.
    DecisionProposed(Dispatch, Receipt, DecisionOutcome, Side),
    /// Beslutad.
    Decided(Dispatch, Receipt, DecisionOutcome),
    /// Planerad — joint planning with the person is done.
    Planned(Dispatch, Receipt),
    /// Pågående — care is being given.
    Ongoing(Dispatch, Receipt),
    /// Avslut föreslaget — one party has proposed ending the care; the other confirms or
    /// declines. Care goes on until it is confirmed.
    ClosureProposed(Dispatch, Receipt, Side),
    /// Avslutad.
    Closed(Dispatch, Receipt),
    /// Återkallad by the sender before a decision.
    Withdrawn(Dispatch, Option<Receipt>),
}

/// A step someone takes on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Send,
    Forward,
    Acknowledge,
    Withdraw,
    StartAssessment,
    /// Föreslå beslut: inskriven or ej inskriven, for the other party to confirm. Oenighet is
    /// never proposed (it is [`Action::Disagree`]); no state allows proposing it.
    ProposeDecision(DecisionOutcome),
    /// Bekräfta beslutet: the other party agrees, and the decision is made.
    ConfirmDecision,
    /// Besluta: the rehab team decides an egenvårdsbegäran it registered itself, where there is
    /// no other party to confirm (§3.4: the team "bedömer, planerar, genomför och ordinerar").
    Decide(DecisionOutcome),
    /// Oenighet: the parties disagree; the disagreement procedure applies.
    Disagree,
    Plan,
    Start,
    Close,
    /// Föreslå avslut: one party proposes ending the care.
    ProposeClosure,
    /// Bekräfta avslut: the other party confirms, and the case is closed.
    ConfirmClosure,
    /// Avböj avslut: the care goes on (the proposer may take the proposal back the same way).
    DeclineClosure,
    /// Avsluta rehabiliteringen: the rehab team's arbetsterapeut or fysioterapeut ends the
    /// rehabilitation process alone (§3.4: "Rehabiliteringsprofessionen bedömer när insatser ska
    /// avslutas eller personen ska skrivas ut").
    CloseRehabilitation,
    /// Lämna över till vårdcentralen: after a discharge (track 3) the hospital hands the
    /// region's part of the case to the person's vårdcentral, whose plan replaces the
    /// seven-day plan (§3.3). The vårdcentral becomes the sending unit; the hospital keeps
    /// reading the case as an earlier unit. The state does not change.
    HandOver,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::Send,
        Action::Forward,
        Action::Acknowledge,
        Action::Withdraw,
        Action::StartAssessment,
        Action::ProposeDecision(DecisionOutcome::Enrolled),
        Action::ProposeDecision(DecisionOutcome::NotEnrolled),
        Action::ConfirmDecision,
        Action::Decide(DecisionOutcome::Enrolled),
        Action::Decide(DecisionOutcome::NotEnrolled),
        Action::Disagree,
        Action::Plan,
        Action::Start,
        Action::Close,
        Action::ProposeClosure,
        Action::ConfirmClosure,
        Action::DeclineClosure,
        Action::CloseRehabilitation,
        Action::HandOver,
    ];

    /// Stable code used in URLs, forms and the API.
    pub const fn code(self) -> &'static str {
        match self {
            Action::Send => "skicka",
            Action::Forward => "vidarebefordra",
            Action::Acknowledge => "kvittera",
            Action::Withdraw => "aterkalla",
            Action::StartAssessment => "paborja-bedomning",
            Action::ProposeDecision(DecisionOutcome::Enrolled) => "foresla-inskriven",
            Action::ProposeDecision(DecisionOutcome::NotEnrolled) => "foresla-ej-inskriven",
            Action::ProposeDecision(DecisionOutcome::Disagreement)
            | Action::Decide(DecisionOutcome::Disagreement)
            | Action::Disagree => "besluta-oenighet",
            Action::ConfirmDecision => "bekrafta-beslut",
            Action::Decide(DecisionOutcome::Enrolled) => "besluta-inskriven",
            Action::Decide(DecisionOutcome::NotEnrolled) => "besluta-ej-inskriven",
            Action::Plan => "planera",
            Action::Start => "starta",
            Action::Close => "avsluta",
            Action::ProposeClosure => "foresla-avslut",
            Action::ConfirmClosure => "bekrafta-avslut",
            Action::DeclineClosure => "avboj-avslut",
            Action::CloseRehabilitation => "avsluta-rehabilitering",
            Action::HandOver => "lamna-over-till-vardcentral",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The button text.
    pub fn label(self) -> &'static str {
        match self {
            Action::Send => "Skicka begäran",
            Action::Forward => "Vidarebefordra",
            Action::Acknowledge => "Kvittera mottagen begäran",
            Action::Withdraw => "Återkalla begäran",
            Action::StartAssessment => "Påbörja gemensam bedömning",
            Action::ProposeDecision(DecisionOutcome::Enrolled) => "Föreslå beslut: inskriven",
            Action::ProposeDecision(DecisionOutcome::NotEnrolled) => "Föreslå beslut: ej inskriven",
            Action::ProposeDecision(DecisionOutcome::Disagreement)
            | Action::Decide(DecisionOutcome::Disagreement)
            | Action::Disagree => "Besluta: oenighet",
            Action::ConfirmDecision => "Bekräfta beslutet",
            Action::Decide(DecisionOutcome::Enrolled) => "Besluta: inskriven",
            Action::Decide(DecisionOutcome::NotEnrolled) => "Besluta: ej inskriven",
            Action::Plan => "Registrera gemensam planering",
            Action::Start => "Starta insatserna",
            Action::Close => "Avsluta ärendet",
            Action::ProposeClosure => "Föreslå avslut",
            Action::ConfirmClosure => "Bekräfta avslut",
            Action::DeclineClosure => "Avböj avslut: vården fortsätter",
            Action::CloseRehabilitation => "Avsluta rehabiliteringen",
            Action::HandOver => "Lämna över till vårdcentralen",
        }
    }

    /// Passive verb for messages: "Ärendet kan inte *kvitteras* …".
    fn passive(self) -> &'static str {
        match self {
            Action::Send => "skickas",
            Action::Forward => "vidarebefordras",
            Action::Acknowledge => "kvitteras",
            Action::Withdraw => "återkallas",
            Action::StartAssessment => "gå till bedömning",
            Action::ProposeDecision(_) | Action::Decide(_) | Action::Disagree => "beslutas",
            Action::ConfirmDecision => "få beslutet bekräftat",
            Action::Plan => "planeras",
            Action::Start => "startas",
            Action::Close => "avslutas",
            Action::ProposeClosure => "föreslås för avslut",
            Action::ConfirmClosure => "bekräftas som avslutat",
            Action::DeclineClosure => "få avslutet avböjt",
            Action::CloseRehabilitation => "avslutas av rehabiliteringsprofessionen",
            Action::HandOver => "lämnas över till vårdcentralen",
        }
    }

    /// Who may take the step on a case of the track between these parties: which side of the
    /// case, and which roles.
    ///
    /// | step | side | roles |
    /// |---|---|---|
    /// | skicka, återkalla | sender | clinical staff |
    /// | kvittera, vidarebefordra, starta | receiver | nurse, OT, PT, unit manager, coordinator |
    /// | påbörja bedömning, föreslå/bekräfta beslut, oenighet, planera, avsluta | either | clinical staff |
    /// | föreslå, bekräfta, avböja avslut | either; only the other party confirms | clinical staff |
    /// | rehabilitation: föreslå avslut | sender | clinical staff |
    /// | rehabilitation: bekräfta avslut, avsluta rehabiliteringen | receiver | OT, PT |
    /// | the team's own egenvårdsbegäran: besluta | receiver | OT, PT |
    /// | track 3: lämna över till vårdcentralen | sender | clinical staff |
    ///
    /// On the team's own egenvårdsbegäran nothing is proposed, confirmed, disputed or forwarded:
    /// there is no other party, and a forward would make the team a sender.
    pub fn permitted(self, side: Side, role: Role, track: Track, parties: Parties) -> bool {
        let rehabilitation = track == Track::Rehabilitation;
        let rehab_professional = side == Side::Receiver && role.is_rehab_professional();
        let team_alone = parties == Parties::RehabTeamAlone;
        match self {
            Action::Decide(_) => team_alone && rehabilitation && rehab_professional,
            Action::ProposeDecision(_)
            | Action::ConfirmDecision
            | Action::Disagree
            | Action::Forward
                if team_alone =>
            {
                false
            }
            Action::CloseRehabilitation => rehabilitation && rehab_professional,
            Action::HandOver => {
                track == Track::Discharge && side == Side::Sender && role.is_clinical()
            }
            Action::ConfirmClosure if rehabilitation => rehab_professional,
            Action::ProposeClosure if rehabilitation => side == Side::Sender && role.is_clinical(),
            Action::Send | Action::Withdraw => side == Side::Sender && role.is_clinical(),
            Action::Acknowledge | Action::Forward | Action::Start => {
                side == Side::Receiver && role.is_clinical() && role != Role::Doctor
            }
            Action::StartAssessment
            | Action::ProposeDecision(_)
            | Action::ConfirmDecision
            | Action::Disagree
            | Action::Plan
            | Action::Close
            | Action::ProposeClosure
            | Action::ConfirmClosure
            | Action::DeclineClosure => role.is_clinical(),
        }
    }
}

/// How the acting user relates to the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Works at the sending unit (avsändare).
    Sender,
    /// Works at the receiving unit (mottagare).
    Receiver,
}

impl Side {
    /// Stable code in storage and the API.
    pub fn code(self) -> &'static str {
        match self {
            Side::Sender => "avsandare",
            Side::Receiver => "mottagare",
        }
    }

    pub fn from_code(code: &str) -> Option<Side> {
        [Side::Sender, Side::Receiver]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Who the case is between (parterna).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parties {
    /// A region unit sent it to a municipal unit (or a municipal unit to the rehab team): each
    /// decision and each avslut needs both.
    #[default]
    Both,
    /// An egenvårdsbegäran the person phoned in to the municipal rehab team, which registered it
    /// itself (§3.4: "Det finns inget krav på remiss"; the team "bedömer, planerar, genomför och
    /// ordinerar samt följer upp"). The team is the only party: it decides and ends alone.
    RehabTeamAlone,
}

impl Parties {
    /// A case whose sending and receiving unit are the same was registered by the rehab team
    /// itself; no other case can have that shape (a unit never sends to itself).
    pub fn of(sender_unit_id: &str, receiver_unit_id: &str) -> Parties {
        if sender_unit_id == receiver_unit_id {
            Parties::RehabTeamAlone
        } else {
            Parties::Both
        }
    }
}

/// A step that is not allowed. Shown to users; 409 in the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Ärendet kan inte {action} eftersom det har status {state}.")]
    WrongState {
        action: &'static str,
        state: &'static str,
    },
    #[error("Din roll eller enhet får inte göra detta: {action}.")]
    NotPermitted { action: &'static str },
    #[error("Den andra parten ska bekräfta förslaget: {action}.")]
    OtherPartyConfirms { action: &'static str },
}

/// What a step needs to know besides the state.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub side: Side,
    pub role: Role,
    pub now: Timestamp,
    /// Today's date where deadlines are reckoned.
    pub today: Date,
    pub user_id: &'a str,
    pub rules: &'a RuleSet,
    /// The case's track: the rehabilitation process ends by the rehab professional's judgement.
    pub track: Track,
    pub parties: Parties,
}

impl CaseState {
    pub const CODES: [&'static str; 12] = [
        "utkast",
        "skickad",
        "vidarebefordrad",
        "kvitterad",
        "under_bedomning",
        "beslut_foreslaget",
        "beslutad",
        "planerad",
        "pagaende",
        "avslut_foreslaget",
        "avslutad",
        "aterkallad",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            CaseState::Draft => "utkast",
            CaseState::Sent(_) => "skickad",
            CaseState::Forwarded(_) => "vidarebefordrad",
            CaseState::Acknowledged(..) => "kvitterad",
            CaseState::UnderAssessment(..) => "under_bedomning",
            CaseState::DecisionProposed(..) => "beslut_foreslaget",
            CaseState::Decided(..) => "beslutad",
            CaseState::Planned(..) => "planerad",
            CaseState::Ongoing(..) => "pagaende",
            CaseState::ClosureProposed(..) => "avslut_foreslaget",
            CaseState::Closed(..) => "avslutad",
            CaseState::Withdrawn(..) => "aterkallad",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            CaseState::Draft => "Utkast",
            CaseState::Sent(_) => "Skickad",
            CaseState::Forwarded(_) => "Vidarebefordrad",
            CaseState::Acknowledged(..) => "Kvitterad",
            CaseState::UnderAssessment(..) => "Under bedömning",
            CaseState::DecisionProposed(_, _, DecisionOutcome::NotEnrolled, _) => {
                "Beslut föreslaget: ej inskriven"
            }
            CaseState::DecisionProposed(..) => "Beslut föreslaget: inskriven",
            CaseState::Decided(_, _, DecisionOutcome::Enrolled) => "Beslutad: inskriven",
            CaseState::Decided(_, _, DecisionOutcome::NotEnrolled) => "Beslutad: ej inskriven",
            CaseState::Decided(_, _, DecisionOutcome::Disagreement) => "Beslutad: oenighet",
            CaseState::Planned(..) => "Planerad",
            CaseState::Ongoing(..) => "Pågående",
            CaseState::ClosureProposed(..) => "Avslut föreslaget",
            CaseState::Closed(..) => "Avslutad",
            CaseState::Withdrawn(..) => "Återkallad",
        }
    }

    fn lower_label(&self) -> &'static str {
        match self {
            CaseState::Draft => "utkast",
            CaseState::Sent(_) => "skickad",
            CaseState::Forwarded(_) => "vidarebefordrad",
            CaseState::Acknowledged(..) => "kvitterad",
            CaseState::UnderAssessment(..) => "under bedömning",
            CaseState::DecisionProposed(..) => "med föreslaget beslut",
            CaseState::Decided(..) => "beslutad",
            CaseState::Planned(..) => "planerad",
            CaseState::Ongoing(..) => "pågående",
            CaseState::ClosureProposed(..) => "med föreslaget avslut",
            CaseState::Closed(..) => "avslutad",
            CaseState::Withdrawn(..) => "återkallad",
        }
    }

    /// An egenvårdsbegäran the rehab team registers itself is received the moment it is
    /// registered (by the registrar, with no acknowledgement deadline left) and its assessment
    /// starts; only the team's rehab professional may register it.
    pub fn registered_by_team(step: &Step<'_>) -> Result<CaseState, TransitionError> {
        if step.parties != Parties::RehabTeamAlone
            || step.track != Track::Rehabilitation
            || step.side != Side::Receiver
            || !step.role.is_rehab_professional()
        {
            return Err(TransitionError::NotPermitted {
                action: "Registrera egenvårdsbegäran",
            });
        }
        Ok(CaseState::UnderAssessment(
            Dispatch {
                sent_at: step.now,
                due: step.today,
            },
            Receipt {
                acknowledged_at: step.now,
                acknowledged_by: step.user_id.to_owned(),
            },
        ))
    }

    /// The steps the state allows, whoever takes them. This table is the state machine.
    pub fn allowed_actions(&self) -> &'static [Action] {
        use Action::*;
        use DecisionOutcome::*;
        match self {
            CaseState::Draft => &[Send],
            CaseState::Sent(_) | CaseState::Forwarded(_) => &[Acknowledge, Forward, Withdraw],
            CaseState::Acknowledged(..) => &[StartAssessment, Forward, Withdraw],
            CaseState::UnderAssessment(..) => &[
                ProposeDecision(Enrolled),
                ProposeDecision(NotEnrolled),
                Decide(Enrolled),
                Decide(NotEnrolled),
                Disagree,
                Withdraw,
            ],
            CaseState::DecisionProposed(..) => &[ConfirmDecision, Disagree, Withdraw],
            CaseState::Decided(_, _, Disagreement) => {
                &[ProposeDecision(Enrolled), ProposeDecision(NotEnrolled)]
            }
            CaseState::Decided(_, _, Enrolled) => &[Plan, HandOver],
            CaseState::Decided(_, _, NotEnrolled) => &[Close],
            CaseState::Planned(..) => &[Start, HandOver],
            CaseState::Ongoing(..) => &[ProposeClosure, CloseRehabilitation, HandOver],
            CaseState::ClosureProposed(..) => {
                &[ConfirmClosure, DeclineClosure, CloseRehabilitation]
            }
            CaseState::Closed(..) | CaseState::Withdrawn(..) => &[],
        }
    }

    /// The steps this user may take now on a case of the track between these parties.
    pub fn actions_for(
        &self,
        side: Side,
        role: Role,
        track: Track,
        parties: Parties,
    ) -> Vec<Action> {
        self.allowed_actions()
            .iter()
            .copied()
            .filter(|a| {
                a.permitted(side, role, track, parties) && !self.awaits_other_party(*a, side)
            })
            .collect()
    }

    /// A proposal is confirmed by the party that did not make it.
    fn awaits_other_party(&self, action: Action, side: Side) -> bool {
        match (self, action) {
            (CaseState::ClosureProposed(_, _, by), Action::ConfirmClosure)
            | (CaseState::DecisionProposed(_, _, _, by), Action::ConfirmDecision) => *by == side,
            _ => false,
        }
    }

    /// The party whose proposal waits for the other's answer.
    pub fn proposed_by(&self) -> Option<Side> {
        match self {
            CaseState::ClosureProposed(_, _, by) | CaseState::DecisionProposed(_, _, _, by) => {
                Some(*by)
            }
            _ => None,
        }
    }

    /// Takes a step. Any step outside [`CaseState::allowed_actions`] or outside the role rules is
    /// a typed error; the result is always a state the table allows.
    pub fn apply(&self, action: Action, step: &Step<'_>) -> Result<CaseState, TransitionError> {
        let wrong_state = || TransitionError::WrongState {
            action: action.passive(),
            state: self.lower_label(),
        };
        if !self.allowed_actions().contains(&action) {
            return Err(wrong_state());
        }
        if !action.permitted(step.side, step.role, step.track, step.parties) {
            return Err(TransitionError::NotPermitted {
                action: action.label(),
            });
        }
        if self.awaits_other_party(action, step.side) {
            return Err(TransitionError::OtherPartyConfirms {
                action: action.label(),
            });
        }
        let receipt = || Receipt {
            acknowledged_at: step.now,
            acknowledged_by: step.user_id.to_owned(),
        };
        let dispatch = || Dispatch {
            sent_at: step.now,
            due: acknowledgement_due(step.today, step.rules),
        };
        use CaseState as S;
        let next = match (self.clone(), action) {
            (S::Draft, Action::Send) => S::Sent(dispatch()),
            (S::Sent(d) | S::Forwarded(d), Action::Acknowledge) => S::Acknowledged(d, receipt()),
            (S::Sent(_) | S::Forwarded(_) | S::Acknowledged(..), Action::Forward) => {
                S::Forwarded(dispatch())
            }
            (S::Sent(d) | S::Forwarded(d), Action::Withdraw) => S::Withdrawn(d, None),
            (
                S::Acknowledged(d, r) | S::UnderAssessment(d, r) | S::DecisionProposed(d, r, ..),
                Action::Withdraw,
            ) => S::Withdrawn(d, Some(r)),
            (S::Acknowledged(d, r), Action::StartAssessment) => S::UnderAssessment(d, r),
            (S::UnderAssessment(d, r) | S::Decided(d, r, _), Action::ProposeDecision(outcome)) => {
                S::DecisionProposed(d, r, outcome, step.side)
            }
            (S::DecisionProposed(d, r, outcome, _), Action::ConfirmDecision)
            | (S::UnderAssessment(d, r), Action::Decide(outcome)) => S::Decided(d, r, outcome),
            (S::UnderAssessment(d, r) | S::DecisionProposed(d, r, ..), Action::Disagree) => {
                S::Decided(d, r, DecisionOutcome::Disagreement)
            }
            (S::Decided(d, r, _), Action::Plan) => S::Planned(d, r),
            (S::Planned(d, r), Action::Start) => S::Ongoing(d, r),
            (S::Decided(d, r, _), Action::Close) => S::Closed(d, r),
            (S::Ongoing(d, r), Action::ProposeClosure) => S::ClosureProposed(d, r, step.side),
            (S::ClosureProposed(d, r, _), Action::ConfirmClosure) => S::Closed(d, r),
            (S::ClosureProposed(d, r, _), Action::DeclineClosure) => S::Ongoing(d, r),
            (S::Ongoing(d, r) | S::ClosureProposed(d, r, _), Action::CloseRehabilitation) => {
                S::Closed(d, r)
            }
            (
                state @ (S::Decided(_, _, DecisionOutcome::Enrolled)
                | S::Planned(..)
                | S::Ongoing(..)),
                Action::HandOver,
            ) => state,
            _ => return Err(wrong_state()),
        };
        Ok(next)
    }

    pub fn dispatch(&self) -> Option<&Dispatch> {
        match self {
            CaseState::Draft => None,
            CaseState::Sent(d) | CaseState::Forwarded(d) | CaseState::Withdrawn(d, _) => Some(d),
            CaseState::Acknowledged(d, _)
            | CaseState::UnderAssessment(d, _)
            | CaseState::DecisionProposed(d, ..)
            | CaseState::Decided(d, _, _)
            | CaseState::Planned(d, _)
            | CaseState::Ongoing(d, _)
            | CaseState::ClosureProposed(d, _, _)
            | CaseState::Closed(d, _) => Some(d),
        }
    }

    pub fn receipt(&self) -> Option<&Receipt> {
        match self {
            CaseState::Draft | CaseState::Sent(_) | CaseState::Forwarded(_) => None,
            CaseState::Withdrawn(_, r) => r.as_ref(),
            CaseState::Acknowledged(_, r)
            | CaseState::UnderAssessment(_, r)
            | CaseState::DecisionProposed(_, r, ..)
            | CaseState::Decided(_, r, _)
            | CaseState::Planned(_, r)
            | CaseState::Ongoing(_, r)
            | CaseState::ClosureProposed(_, r, _)
            | CaseState::Closed(_, r) => Some(r),
        }
    }

    pub fn due(&self) -> Option<Date> {
        self.dispatch().map(|d| d.due)
    }

    /// Waiting for the receiver to acknowledge.
    pub fn awaits_acknowledgement(&self) -> bool {
        matches!(self, CaseState::Sent(_) | CaseState::Forwarded(_))
    }

    pub fn outcome(&self) -> Option<DecisionOutcome> {
        match self {
            CaseState::Decided(_, _, outcome) => Some(*outcome),
            _ => None,
        }
    }

    /// The decision one party has proposed and the other has yet to confirm.
    pub fn proposed_outcome(&self) -> Option<DecisionOutcome> {
        match self {
            CaseState::DecisionProposed(_, _, outcome, _) => Some(*outcome),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn rules() -> RuleSet {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap()
    }

    fn step<'a>(side: Side, role: Role, rules: &'a RuleSet) -> Step<'a> {
        on_track(Track::PrimaryCare, side, role, rules)
    }

    fn on_track<'a>(track: Track, side: Side, role: Role, rules: &'a RuleSet) -> Step<'a> {
        Step {
            side,
            role,
            now: Timestamp::UNIX_EPOCH,
            today: date(2025, 4, 17),
            user_id: "u",
            rules,
            track,
            parties: Parties::Both,
        }
    }

    /// The rehab team on an egenvårdsbegäran it registered itself.
    fn team_alone<'a>(role: Role, rules: &'a RuleSet) -> Step<'a> {
        Step {
            parties: Parties::RehabTeamAlone,
            ..on_track(Track::Rehabilitation, Side::Receiver, role, rules)
        }
    }

    #[test]
    fn thursday_before_easter_is_due_the_tuesday_after() {
        let rules = rules();
        let sent = CaseState::Draft
            .apply(Action::Send, &step(Side::Sender, Role::Doctor, &rules))
            .unwrap();
        assert_eq!(sent.due(), Some(date(2025, 4, 22)));
    }

    #[test]
    fn the_whole_way_from_draft_to_closed() {
        let rules = rules();
        let sender = step(Side::Sender, Role::Doctor, &rules);
        let receiver = step(Side::Receiver, Role::Nurse, &rules);
        let mut state = CaseState::Draft;
        for (action, who) in [
            (Action::Send, &sender),
            (Action::Acknowledge, &receiver),
            (Action::StartAssessment, &sender),
            (Action::Disagree, &receiver),
            (Action::ProposeDecision(DecisionOutcome::Enrolled), &sender),
            (Action::ConfirmDecision, &receiver),
            (Action::Plan, &receiver),
            (Action::Start, &receiver),
            (Action::ProposeClosure, &sender),
            (Action::DeclineClosure, &receiver),
            (Action::ProposeClosure, &receiver),
            (Action::ConfirmClosure, &sender),
        ] {
            state = state.apply(action, who).unwrap();
        }
        assert_eq!(state.code(), "avslutad");
        assert_eq!(
            state.receipt().map(|r| r.acknowledged_by.as_str()),
            Some("u")
        );
        assert!(state.allowed_actions().is_empty());
    }

    fn sent_and_acknowledged() -> (Dispatch, Receipt) {
        let d = Dispatch {
            sent_at: Timestamp::UNIX_EPOCH,
            due: date(2026, 1, 2),
        };
        let r = Receipt {
            acknowledged_at: Timestamp::UNIX_EPOCH,
            acknowledged_by: "u".into(),
        };
        (d, r)
    }

    #[test]
    fn one_party_alone_cannot_decide() {
        let rules = rules();
        let (d, r) = sent_and_acknowledged();
        let nurse = step(Side::Receiver, Role::Nurse, &rules);
        let doctor = step(Side::Sender, Role::Doctor, &rules);
        let proposed = CaseState::UnderAssessment(d, r)
            .apply(Action::ProposeDecision(DecisionOutcome::Enrolled), &nurse)
            .unwrap();
        assert_eq!(proposed.label(), "Beslut föreslaget: inskriven");
        assert_eq!(proposed.outcome(), None, "nothing is decided yet");
        assert_eq!(
            proposed.apply(Action::ConfirmDecision, &nurse),
            Err(TransitionError::OtherPartyConfirms {
                action: "Bekräfta beslutet"
            })
        );
        assert_eq!(
            proposed.actions_for(
                Side::Receiver,
                Role::Nurse,
                Track::PrimaryCare,
                Parties::Both
            ),
            [Action::Disagree]
        );
        let decided = proposed.apply(Action::ConfirmDecision, &doctor).unwrap();
        assert_eq!(decided.outcome(), Some(DecisionOutcome::Enrolled));
        let disputed = proposed.apply(Action::Disagree, &doctor).unwrap();
        assert_eq!(disputed.outcome(), Some(DecisionOutcome::Disagreement));
        assert!(
            disputed
                .apply(
                    Action::ProposeDecision(DecisionOutcome::Disagreement),
                    &doctor
                )
                .is_err(),
            "oenighet is never proposed"
        );
    }

    #[test]
    fn one_party_alone_cannot_close_the_care() {
        let rules = rules();
        let (d, r) = sent_and_acknowledged();
        let doctor = step(Side::Sender, Role::Doctor, &rules);
        let nurse = step(Side::Receiver, Role::Nurse, &rules);
        let proposed = CaseState::Ongoing(d, r)
            .apply(Action::ProposeClosure, &doctor)
            .unwrap();
        assert_eq!(proposed.proposed_by(), Some(Side::Sender));
        assert_eq!(
            proposed.apply(Action::ConfirmClosure, &doctor),
            Err(TransitionError::OtherPartyConfirms {
                action: "Bekräfta avslut"
            })
        );
        assert_eq!(
            proposed.actions_for(
                Side::Sender,
                Role::Doctor,
                Track::PrimaryCare,
                Parties::Both
            ),
            [Action::DeclineClosure]
        );
        assert_eq!(
            proposed.actions_for(
                Side::Receiver,
                Role::Nurse,
                Track::PrimaryCare,
                Parties::Both
            ),
            [Action::ConfirmClosure, Action::DeclineClosure]
        );
        assert!(
            proposed
                .apply(
                    Action::ConfirmClosure,
                    &step(Side::Receiver, Role::Economist, &rules)
                )
                .is_err()
        );
        let closed = proposed.apply(Action::ConfirmClosure, &nurse).unwrap();
        assert_eq!(closed.code(), "avslutad");
        let declined = proposed.apply(Action::DeclineClosure, &nurse).unwrap();
        assert_eq!(declined.code(), "pagaende");
    }

    #[test]
    fn the_rehab_professional_closes_rehabilitation() {
        let rules = rules();
        let (d, r) = sent_and_acknowledged();
        let ongoing = CaseState::Ongoing(d, r);
        let therapist = on_track(
            Track::Rehabilitation,
            Side::Receiver,
            Role::OccupationalTherapist,
            &rules,
        );
        for refused in [
            on_track(Track::Rehabilitation, Side::Receiver, Role::Nurse, &rules),
            on_track(
                Track::Rehabilitation,
                Side::Sender,
                Role::Physiotherapist,
                &rules,
            ),
            on_track(
                Track::PrimaryCare,
                Side::Receiver,
                Role::OccupationalTherapist,
                &rules,
            ),
        ] {
            assert_eq!(
                ongoing.apply(Action::CloseRehabilitation, &refused),
                Err(TransitionError::NotPermitted {
                    action: "Avsluta rehabiliteringen"
                })
            );
        }
        let closed = ongoing
            .apply(Action::CloseRehabilitation, &therapist)
            .unwrap();
        assert_eq!(closed.code(), "avslutad");
        assert_eq!(
            ongoing.actions_for(
                Side::Receiver,
                Role::Physiotherapist,
                Track::Rehabilitation,
                Parties::Both
            ),
            [Action::CloseRehabilitation]
        );

        // The referrer may suggest an end; only the rehab professional confirms it.
        let referrer = on_track(Track::Rehabilitation, Side::Sender, Role::Nurse, &rules);
        let proposed = ongoing.apply(Action::ProposeClosure, &referrer).unwrap();
        assert!(
            proposed
                .apply(
                    Action::ConfirmClosure,
                    &on_track(Track::Rehabilitation, Side::Receiver, Role::Nurse, &rules)
                )
                .is_err()
        );
        assert_eq!(
            proposed
                .apply(Action::ConfirmClosure, &therapist)
                .map(|s| s.code()),
            Ok("avslutad")
        );
        assert!(ongoing.apply(Action::ProposeClosure, &therapist).is_err());
    }

    #[test]
    fn the_rehab_team_decides_its_own_egenvardsbegaran_alone() {
        let rules = rules();
        let (d, r) = sent_and_acknowledged();
        let assessing = CaseState::UnderAssessment(d, r);
        let therapist = team_alone(Role::Physiotherapist, &rules);
        assert_eq!(
            assessing.actions_for(
                Side::Receiver,
                Role::Physiotherapist,
                Track::Rehabilitation,
                Parties::RehabTeamAlone
            ),
            [
                Action::Decide(DecisionOutcome::Enrolled),
                Action::Decide(DecisionOutcome::NotEnrolled)
            ],
            "nothing to propose to, dispute with or withdraw"
        );
        for refused in [
            Action::ProposeDecision(DecisionOutcome::Enrolled),
            Action::Disagree,
        ] {
            assert!(assessing.apply(refused, &therapist).is_err());
        }
        assert!(
            assessing
                .apply(
                    Action::Decide(DecisionOutcome::Enrolled),
                    &team_alone(Role::Nurse, &rules)
                )
                .is_err(),
            "the rehab professional decides"
        );
        assert!(
            assessing
                .apply(
                    Action::Decide(DecisionOutcome::Enrolled),
                    &on_track(
                        Track::Rehabilitation,
                        Side::Receiver,
                        Role::Physiotherapist,
                        &rules
                    )
                )
                .is_err(),
            "a sent request is decided jointly"
        );
        assert_eq!(
            CaseState::registered_by_team(&therapist).map(|s| s.code()),
            Ok("under_bedomning")
        );
        assert!(CaseState::registered_by_team(&team_alone(Role::Nurse, &rules)).is_err());
        let decided = assessing
            .apply(Action::Decide(DecisionOutcome::Enrolled), &therapist)
            .unwrap();
        assert_eq!(decided.outcome(), Some(DecisionOutcome::Enrolled));
        let mut state = decided;
        for action in [Action::Plan, Action::Start, Action::CloseRehabilitation] {
            state = state.apply(action, &therapist).unwrap();
        }
        assert_eq!(state.code(), "avslutad");
    }

    #[test]
    fn after_a_discharge_the_hospital_hands_over_to_the_vardcentral() {
        let rules = rules();
        let (d, r) = sent_and_acknowledged();
        let ongoing = CaseState::Ongoing(d, r);
        let hospital = on_track(Track::Discharge, Side::Sender, Role::Doctor, &rules);
        assert_eq!(
            ongoing.apply(Action::HandOver, &hospital),
            Ok(ongoing.clone())
        );
        for refused in [
            on_track(Track::Discharge, Side::Receiver, Role::Nurse, &rules),
            on_track(Track::PrimaryCare, Side::Sender, Role::Doctor, &rules),
            on_track(Track::Discharge, Side::Sender, Role::Economist, &rules),
        ] {
            assert!(ongoing.apply(Action::HandOver, &refused).is_err());
        }
        assert!(
            CaseState::Sent(sent_and_acknowledged().0)
                .apply(Action::HandOver, &hospital)
                .is_err(),
            "only once the person is enrolled"
        );
    }

    #[test]
    fn wrong_side_or_role_is_refused() {
        let rules = rules();
        let sent = CaseState::Draft
            .apply(Action::Send, &step(Side::Sender, Role::Nurse, &rules))
            .unwrap();
        assert_eq!(
            sent.apply(
                Action::Acknowledge,
                &step(Side::Sender, Role::Nurse, &rules)
            ),
            Err(TransitionError::NotPermitted {
                action: "Kvittera mottagen begäran"
            })
        );
        assert!(
            sent.apply(
                Action::Acknowledge,
                &step(Side::Receiver, Role::Economist, &rules)
            )
            .is_err()
        );
        assert!(
            sent.apply(Action::Withdraw, &step(Side::Receiver, Role::Nurse, &rules))
                .is_err()
        );
        let acknowledged = sent
            .apply(
                Action::Acknowledge,
                &step(Side::Receiver, Role::Nurse, &rules),
            )
            .unwrap();
        assert_eq!(
            acknowledged.apply(
                Action::Acknowledge,
                &step(Side::Receiver, Role::Nurse, &rules)
            ),
            Err(TransitionError::WrongState {
                action: "kvitteras",
                state: "kvitterad"
            })
        );
    }

    /// The documented table (docs/CASES.md), state by state.
    #[test]
    fn each_state_allows_exactly_the_documented_steps() {
        let rules = rules();
        let (d, r) = sent_and_acknowledged();
        let table: [(CaseState, &[&str]); 16] = [
            (CaseState::Draft, &["skicka"]),
            (
                CaseState::Sent(d.clone()),
                &["kvittera", "vidarebefordra", "aterkalla"],
            ),
            (
                CaseState::Forwarded(d.clone()),
                &["kvittera", "vidarebefordra", "aterkalla"],
            ),
            (
                CaseState::Acknowledged(d.clone(), r.clone()),
                &["paborja-bedomning", "vidarebefordra", "aterkalla"],
            ),
            (
                CaseState::UnderAssessment(d.clone(), r.clone()),
                &[
                    "foresla-inskriven",
                    "foresla-ej-inskriven",
                    "besluta-inskriven",
                    "besluta-ej-inskriven",
                    "besluta-oenighet",
                    "aterkalla",
                ],
            ),
            (
                CaseState::DecisionProposed(
                    d.clone(),
                    r.clone(),
                    DecisionOutcome::Enrolled,
                    Side::Sender,
                ),
                &["bekrafta-beslut", "besluta-oenighet", "aterkalla"],
            ),
            (
                CaseState::DecisionProposed(
                    d.clone(),
                    r.clone(),
                    DecisionOutcome::NotEnrolled,
                    Side::Receiver,
                ),
                &["bekrafta-beslut", "besluta-oenighet", "aterkalla"],
            ),
            (
                CaseState::Decided(d.clone(), r.clone(), DecisionOutcome::Disagreement),
                &["foresla-inskriven", "foresla-ej-inskriven"],
            ),
            (
                CaseState::Decided(d.clone(), r.clone(), DecisionOutcome::Enrolled),
                &["planera", "lamna-over-till-vardcentral"],
            ),
            (
                CaseState::Decided(d.clone(), r.clone(), DecisionOutcome::NotEnrolled),
                &["avsluta"],
            ),
            (
                CaseState::Planned(d.clone(), r.clone()),
                &["starta", "lamna-over-till-vardcentral"],
            ),
            (
                CaseState::Ongoing(d.clone(), r.clone()),
                &[
                    "foresla-avslut",
                    "avsluta-rehabilitering",
                    "lamna-over-till-vardcentral",
                ],
            ),
            (
                CaseState::ClosureProposed(d.clone(), r.clone(), Side::Sender),
                &["bekrafta-avslut", "avboj-avslut", "avsluta-rehabilitering"],
            ),
            (
                CaseState::ClosureProposed(d.clone(), r.clone(), Side::Receiver),
                &["bekrafta-avslut", "avboj-avslut", "avsluta-rehabilitering"],
            ),
            (CaseState::Closed(d.clone(), r.clone()), &[]),
            (CaseState::Withdrawn(d.clone(), None), &[]),
        ];
        for (state, documented) in table {
            let codes: Vec<&str> = state.allowed_actions().iter().map(|a| a.code()).collect();
            assert_eq!(codes, documented, "{}", state.code());
            for action in Action::ALL {
                let anyone = Track::ALL.into_iter().any(|track| {
                    [Side::Sender, Side::Receiver]
                        .into_iter()
                        .flat_map(|side| Role::ALL.map(|role| (side, role)))
                        .any(|(side, role)| {
                            [Parties::Both, Parties::RehabTeamAlone]
                                .into_iter()
                                .any(|parties| {
                                    let step = Step {
                                        parties,
                                        ..on_track(track, side, role, &rules)
                                    };
                                    state.apply(action, &step).is_ok()
                                })
                        })
                });
                assert_eq!(
                    anyone,
                    documented.contains(&action.code()),
                    "{} {}",
                    state.code(),
                    action.code()
                );
            }
        }
    }

    #[test]
    fn action_codes_round_trip() {
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(action));
        }
        for outcome in DecisionOutcome::ALL {
            assert_eq!(DecisionOutcome::from_code(outcome.code()), Some(outcome));
        }
    }

    fn any_step() -> impl Strategy<Value = (usize, bool, usize)> {
        (0..Action::ALL.len(), any::<bool>(), 0..Role::ALL.len())
    }

    fn any_track() -> impl Strategy<Value = Track> {
        (0..Track::ALL.len()).prop_map(|i| Track::ALL[i])
    }

    proptest! {
        /// Whatever sequence of steps anyone tries, every accepted step is one the table lists
        /// for the state it started from, and every refused step leaves the state unchanged.
        #[test]
        fn no_sequence_leaves_the_table(
            track in any_track(),
            team_alone in any::<bool>(),
            steps in proptest::collection::vec(any_step(), 0..40),
        ) {
            let rules = rules();
            let parties = if team_alone { Parties::RehabTeamAlone } else { Parties::Both };
            let mut state = CaseState::Draft;
            for (action, sender, role) in steps {
                let action = Action::ALL[action];
                let side = if sender { Side::Sender } else { Side::Receiver };
                let role = Role::ALL[role];
                let step = Step { parties, ..on_track(track, side, role, &rules) };
                match state.apply(action, &step) {
                    Ok(next) => {
                        prop_assert!(state.allowed_actions().contains(&action));
                        prop_assert!(action.permitted(side, role, track, parties));
                        if parties == Parties::RehabTeamAlone {
                            prop_assert!(
                                !matches!(action, Action::ProposeDecision(_) | Action::ConfirmDecision),
                                "the team alone never waits for another party"
                            );
                        }
                        prop_assert!(CaseState::CODES.contains(&next.code()));
                        if state.dispatch().is_some() && action != Action::Forward {
                            prop_assert_eq!(state.dispatch(), next.dispatch(), "dispatch is kept");
                        }
                        state = next;
                    }
                    Err(_) => prop_assert!(
                        !state.allowed_actions().contains(&action)
                            || !action.permitted(side, role, track, parties)
                            || state.awaits_other_party(action, side)
                    ),
                }
            }
        }
    }
}
