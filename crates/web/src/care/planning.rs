//! The case page's *Gemensam planering* panel: the form that records the planning with the
//! person (the step to *planerad*), and the planning once recorded.

use crate::AppState;
use crate::case::views::local_time;
use samsyn_domain::Action;
use samsyn_domain::care::planning::PlanningForm;
use samsyn_store::care::planning::StoredPlanning;

/// The recorded planning, as the page states it.
pub struct PlanningFacts {
    pub held: String,
    pub form: &'static str,
    pub region_participants: String,
    pub municipality_participants: String,
    /// "Ja", or "Nej: <why>".
    pub person: String,
    pub relatives: &'static str,
    pub recorded: String,
}

/// What the panel shows this user.
pub struct PlanningView {
    /// The user may record the planning now.
    pub can_record: bool,
    /// The forms a planning may take, as (code, label).
    pub forms: Vec<(&'static str, &'static str)>,
    /// When the planning must be held at the latest, if the decision set it.
    pub due: String,
    pub recorded: Option<PlanningFacts>,
}

impl PlanningView {
    pub fn new(
        state: &AppState,
        actions: &[Action],
        due: Option<jiff::civil::Date>,
        stored: Option<&StoredPlanning>,
    ) -> Self {
        PlanningView {
            can_record: actions.contains(&Action::Plan),
            forms: PlanningForm::ALL
                .iter()
                .map(|f| (f.code(), f.label()))
                .collect(),
            due: due.map(|d| d.to_string()).unwrap_or_default(),
            recorded: stored.map(|s| {
                let p = &s.planning;
                PlanningFacts {
                    held: p.held_on.to_string(),
                    form: p.form.label(),
                    region_participants: p.region_participants.clone(),
                    municipality_participants: p.municipality_participants.clone(),
                    person: if p.person_took_part {
                        "Ja".into()
                    } else {
                        format!("Nej: {}", p.absence_reason)
                    },
                    relatives: if p.relatives_took_part { "Ja" } else { "Nej" },
                    recorded: format!(
                        "{}, {} {}",
                        s.user_name,
                        s.unit_name,
                        local_time(state, s.recorded_at)
                    ),
                }
            }),
        }
    }

    pub fn is_shown(&self) -> bool {
        self.can_record || self.recorded.is_some()
    }
}
