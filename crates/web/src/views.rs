//! What pages and the API show of a request: labels, dates and deadline status, computed once.

use crate::AppState;
use jiff::Timestamp;
use samsyn_domain::DeadlineStatus;
use samsyn_store::care_requests::CareRequest;

/// A request as shown in lists and on its page.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: CareRequest,
    pub municipality_name: String,
    pub deadline: Option<DeadlineStatus>,
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
        RequestView {
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

    /// Rank for sorting by urgency: overdue first, then due today, soon, on track, done, drafts.
    pub fn urgency(&self) -> u8 {
        match self.deadline {
            Some(DeadlineStatus::Overdue) => 0,
            Some(DeadlineStatus::DueToday) => 1,
            Some(DeadlineStatus::DueSoon) => 2,
            Some(DeadlineStatus::OnTrack) => 3,
            Some(DeadlineStatus::Met | DeadlineStatus::MetLate) => 4,
            None => 5,
        }
    }
}
