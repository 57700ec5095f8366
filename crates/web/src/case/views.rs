//! What pages and the API show of a request: labels, dates and deadline status, computed once.

use crate::AppState;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::{CaseState, DeadlineStatus, DecisionOutcome};
use samsyn_store::case::requests::CareRequest;

/// The case's most pressing deadline: acknowledgement, joint planning, the discharge plan, or the
/// plan's next follow-up.
#[derive(Debug, Clone)]
pub struct NextDeadline {
    pub what: &'static str,
    pub date: Date,
    pub status: DeadlineStatus,
}

/// A request as shown in lists and on its page.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: CareRequest,
    pub municipality_name: String,
    /// Against the acknowledgement deadline.
    pub deadline: Option<DeadlineStatus>,
    /// Against whichever deadline comes first of those still open.
    pub next: Option<NextDeadline>,
    pub due: String,
    pub sent_at: String,
    pub acknowledged_at: String,
    pub created_at: String,
}

pub fn local_time(state: &AppState, at: Timestamp) -> String {
    at.to_zoned(state.time_zone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

impl RequestView {
    pub fn new(state: &AppState, request: CareRequest) -> Self {
        let today = state.today();
        let deadline = request.state.dispatch().map(|d| {
            let acknowledged_on = request
                .state
                .receipt()
                .map(|r| state.local_date(r.acknowledged_at));
            DeadlineStatus::of(d.due, today, acknowledged_on, &state.rules)
        });
        let sent_at = request
            .state
            .dispatch()
            .map(|d| local_time(state, d.sent_at))
            .unwrap_or_default();
        let acknowledged_at = request
            .state
            .receipt()
            .map(|r| local_time(state, r.acknowledged_at))
            .unwrap_or_default();
        let rules = &state.rules;
        let open = |date: Date, done: Option<Date>| DeadlineStatus::of(date, today, done, rules);
        let mut candidates: Vec<NextDeadline> = Vec::new();
        if let (Some(d), true) = (
            request.state.dispatch(),
            request.state.awaits_acknowledgement(),
        ) {
            candidates.push(NextDeadline {
                what: "Kvittens",
                date: d.due,
                status: open(d.due, None),
            });
        }
        if let (CaseState::Decided(_, _, DecisionOutcome::Enrolled), Some(date)) =
            (&request.state, request.planning_due)
        {
            candidates.push(NextDeadline {
                what: "Gemensam planering",
                date,
                status: open(date, None),
            });
        }
        let active = !matches!(
            request.state,
            CaseState::Draft | CaseState::Closed(..) | CaseState::Withdrawn(..)
        );
        if let (
            true,
            Some(date),
            samsyn_domain::TrackDetails::Discharge {
                plan_available_on: None,
                ..
            },
        ) = (
            active,
            request.track.discharge_plan_due(rules),
            &request.track,
        ) {
            candidates.push(NextDeadline {
                what: "Behandlingsplan",
                date,
                status: open(date, None),
            });
        }
        if let (true, Some(date)) = (
            samsyn_domain::care::treatment_plan::is_open(&request.state),
            request.follow_up_due,
        ) {
            use samsyn_domain::care::follow_up::{FollowUpStatus, status};
            candidates.push(NextDeadline {
                what: "Uppföljning",
                date,
                status: match status(date, today, &rules.treatment_plan) {
                    FollowUpStatus::Overdue => DeadlineStatus::Overdue,
                    FollowUpStatus::Due if date == today => DeadlineStatus::DueToday,
                    FollowUpStatus::Due => DeadlineStatus::DueSoon,
                    FollowUpStatus::Later => DeadlineStatus::OnTrack,
                },
            });
        }
        // Only what is still open: a kvittens once given is no longer a deadline.
        let next = candidates
            .into_iter()
            .min_by_key(|n| (urgency(Some(n.status)), n.date));
        RequestView {
            next,
            municipality_name: state
                .rules
                .municipality(request.patient.home_municipality)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            deadline,
            due: request
                .state
                .due()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            sent_at,
            acknowledged_at,
            created_at: local_time(state, request.created_at),
            request,
        }
    }

    pub fn deadline_code(&self) -> &'static str {
        self.deadline.map(|d| d.code()).unwrap_or("")
    }

    pub fn deadline_label(&self) -> &'static str {
        self.deadline.map(|d| d.label()).unwrap_or("")
    }

    pub fn next_code(&self) -> &'static str {
        self.next.as_ref().map(|n| n.status.code()).unwrap_or("")
    }

    /// Whether the inbox's deadline filter `code` matches: the next open deadline's status, or
    /// for "kvitterad i tid / för sent" how the kvittens went.
    pub fn matches_deadline_filter(&self, code: &str) -> bool {
        match code {
            "" => true,
            "kvitterad" | "kvitterad_sent" => self.deadline_code() == code,
            _ => self.next_code() == code,
        }
    }

    /// Rank for sorting by urgency: overdue first, then due today, soon, on track, done, drafts.
    pub fn urgency(&self) -> u8 {
        urgency(self.next.as_ref().map(|n| n.status))
    }
}

fn urgency(status: Option<DeadlineStatus>) -> u8 {
    match status {
        Some(DeadlineStatus::Overdue) => 0,
        Some(DeadlineStatus::DueToday) => 1,
        Some(DeadlineStatus::DueSoon) => 2,
        Some(DeadlineStatus::OnTrack) => 3,
        Some(DeadlineStatus::Met | DeadlineStatus::MetLate) => 4,
        None => 5,
    }
}
