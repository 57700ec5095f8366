//! An oenighet as the case page and the ladder page show it: who carries the responsibility
//! meanwhile, each step with who was asked and what it came to, the local managers' deadline
//! (marked when passed), the county report and the group's guidance, and what this user may do
//! next.

use crate::AppState;
use crate::case::views::local_time;
use crate::disagreement::work::takes_ladder_steps;
use samsyn_domain::disagreement::{Level, Outcome};
use samsyn_domain::{CaseState, DecisionOutcome, Role, Side};
use samsyn_store::case::requests::CareRequest;
use samsyn_store::disagreement::record::StoredDisagreement;

/// One step of the ladder.
pub struct RungView {
    pub level: String,
    pub region_manager: String,
    pub municipality_manager: String,
    pub raised_on: String,
    /// What it came to, by which party and when; empty while open.
    pub outcome: String,
    pub confirmed: String,
}

/// The report to the county group and the group's work with it.
pub struct CountyView {
    pub description: String,
    pub interpretations: String,
    pub cause: String,
    pub identity_attached: bool,
    pub reported: String,
    pub guidance: String,
    pub proposal: String,
    pub guidance_by: String,
    pub reported_to_committee_on: String,
}

/// What the user may do on the current step.
#[derive(Default)]
pub struct NextSteps {
    pub record: bool,
    /// (code, label) of the outcomes the step may record.
    pub outcomes: Vec<(&'static str, &'static str)>,
    pub confirm: bool,
    /// Said when the user's party recorded an agreement the other has not confirmed.
    pub waiting: bool,
    /// (code, label) of the levels the question may be raised to.
    pub escalate_to: Vec<(&'static str, String)>,
    pub report_to_county: bool,
    /// Why a county report is not offered to this user though the ladder allows it.
    pub county_needs_manager: bool,
}

pub struct DisagreementView {
    pub id: String,
    pub version: i64,
    pub description: String,
    pub interim_arrangement: String,
    /// Who carries the responsibility for the care until it is resolved, or that it passed.
    pub responsibility: String,
    pub opened: String,
    pub resolved: Option<String>,
    pub level: String,
    pub rungs: Vec<RungView>,
    pub local_due: String,
    pub local_overdue: bool,
    pub county: Option<CountyView>,
    pub next: NextSteps,
}

fn party(side: Side) -> &'static str {
    match side {
        Side::Sender => "regionen",
        Side::Receiver => "kommunen",
    }
}

impl DisagreementView {
    pub fn new(
        state: &AppState,
        case: &CareRequest,
        stored: &StoredDisagreement,
        side: Option<Side>,
        role: Role,
    ) -> DisagreementView {
        let today = state.today();
        let steps = &state.rules.disagreement;
        let ladder = stored.ladder.as_ref();
        let resolved = stored.resolved_at.map(|at| local_time(state, at));
        let agreement = ladder
            .and_then(|l| l.rungs().last())
            .and_then(|r| match &r.outcome {
                Some((_, _, Outcome::Agreed { who_does_what })) => Some(who_does_what.clone()),
                _ => None,
            });
        let responsibility = match (&resolved, agreement) {
            (Some(_), Some(agreed)) => {
                format!("Oenigheten är löst. Ansvaret gäller enligt överenskommelsen: {agreed}")
            }
            (Some(_), None) => "Oenigheten är löst.".to_owned(),
            (None, _) => match case.state {
                CaseState::Decided(_, _, DecisionOutcome::Disagreement) => format!(
                    "{} har kvar ansvaret för personens hälso- och sjukvård tills oenigheten är löst. Ansvaret går inte över till {} dessförinnan.",
                    case.sender_unit_name, case.receiver_unit_name
                ),
                _ => "Ansvaret fortsätter som det är beslutat tills oenigheten är löst.".to_owned(),
            },
        };
        let rungs = ladder
            .map(|l| {
                l.rungs()
                    .iter()
                    .map(|r| RungView {
                        level: steps.label(r.level),
                        region_manager: r.region_manager.clone(),
                        municipality_manager: r.municipality_manager.clone(),
                        raised_on: r.raised_on.to_string(),
                        outcome: r
                            .outcome
                            .as_ref()
                            .map(|(by, on, o)| {
                                let said = match o {
                                    Outcome::Agreed { who_does_what } => {
                                        format!("Överens: {who_does_what}")
                                    }
                                    Outcome::NotAgreed { why } => format!("Inte överens: {why}"),
                                    Outcome::NoCostsInvolved => {
                                        "Inga kostnader ingår; frågan går vidare i chefslinjen"
                                            .to_owned()
                                    }
                                };
                                format!("{said} (registrerat av {} {on})", party(*by))
                            })
                            .unwrap_or_default(),
                        confirmed: r
                            .confirmed
                            .map(|(by, on)| format!("Bekräftat av {} {on}", party(by)))
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (local_due, local_overdue) = match ladder {
            Some(l) => {
                let due = l.local_due(&state.rules);
                let open_locally = l.level() == Level::Local
                    && l.rungs().last().is_some_and(|r| r.outcome.is_none());
                (due.to_string(), open_locally && today > due)
            }
            None => (String::new(), false),
        };
        let mut next = NextSteps::default();
        if let (Some(l), Some(side), None) = (ladder, side, &resolved)
            && takes_ladder_steps(role)
            && let Some(current) = l.rungs().last()
        {
            match &current.outcome {
                None => {
                    next.record = true;
                    next.outcomes = vec![
                        ("overens", "Överens (skriv vem som gör vad)"),
                        ("inte-overens", "Inte överens (skriv varför)"),
                    ];
                    if current.level == Level::EconomicMandate {
                        next.outcomes
                            .push(("inga-kostnader", "Inga kostnader ingår"));
                    }
                }
                Some((by, _, Outcome::Agreed { .. })) if current.confirmed.is_none() => {
                    next.confirm = *by != side;
                    next.waiting = *by == side;
                }
                Some(_) => {
                    for level in l.next_levels(steps) {
                        if level == Level::County {
                            next.report_to_county = role == Role::UnitManager;
                            next.county_needs_manager = role != Role::UnitManager;
                        } else {
                            next.escalate_to.push((level.code(), steps.label(level)));
                        }
                    }
                }
            }
        }
        DisagreementView {
            id: stored.id.clone(),
            version: stored.version,
            description: stored.description.clone(),
            interim_arrangement: stored.interim_arrangement.clone(),
            responsibility,
            opened: format!(
                "{} {}",
                stored.opened_by,
                local_time(state, stored.opened_at)
            ),
            resolved,
            level: ladder.map_or_else(
                || "Registrerad före trappan".to_owned(),
                |l| steps.label(l.level()),
            ),
            rungs,
            local_due,
            local_overdue,
            county: stored.county.as_ref().map(|c| CountyView {
                description: c.report.description.clone(),
                interpretations: c.report.interpretations.clone(),
                cause: c.report.cause.clone(),
                identity_attached: c.identity_attached,
                reported: format!("{} {}", c.reported_by, local_time(state, c.reported_at)),
                guidance: c.guidance.clone(),
                proposal: c.proposal.clone(),
                guidance_by: match (&c.guidance_by, c.guidance_at) {
                    (Some(by), Some(at)) => format!("{by} {}", local_time(state, at)),
                    _ => String::new(),
                },
                reported_to_committee_on: c
                    .reported_to_committee_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            }),
            next,
        }
    }
}
