//! The case page's panel for track 3's seven-day plan: the hospital records it (and with it the
//! day it became available, on the track's facts); both parties read whether it came in time and
//! how long it covers, until the vårdcentral's behandlingsplan is fastställd.

use crate::AppState;
use crate::case::views::local_time;
use crate::case::workflow::open_at_version;
use crate::shared::error::{Outcome, WorkflowError, flatten};
use crate::shared::session::CurrentUser;
use samsyn_domain::care::seven_day_plan::{SevenDayPlan, SevenDayPlanInput, covers_until};
use samsyn_domain::{Side, TrackDetails};
use samsyn_store::care::seven_day_plan::{self, StoredSevenDayPlan};
use samsyn_store::case::requests::{self as care_requests, CareRequest};
use serde::Deserialize;

/// The form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SevenDayPlanForm {
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub seven_day_available_on: String,
    #[serde(default)]
    pub seven_day_medication: String,
    #[serde(default)]
    pub seven_day_checks: String,
    #[serde(default)]
    pub seven_day_rehabilitation: String,
    #[serde(default)]
    pub seven_day_mobile_team: String,
    #[serde(default)]
    pub seven_day_npo: String,
}

/// Records the hospital's plan and the day it became available.
pub async fn record(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: SevenDayPlanForm,
) -> Result<(), WorkflowError> {
    let input = SevenDayPlanInput {
        available_on: &form.seven_day_available_on,
        medication: &form.seven_day_medication,
        checks: &form.seven_day_checks,
        rehabilitation: &form.seven_day_rehabilitation,
        mobile_team: &form.seven_day_mobile_team,
        readable_in_npo: &form.seven_day_npo,
    };
    let plan = SevenDayPlan::parse(&input, state.today()).map_err(WorkflowError::Invalid)?;
    let actor = user.actor();
    let now = state.clock.now();
    let version = form.version;
    flatten(
        state
            .db(move |conn| -> Outcome<()> {
                let (case, side) = match open_at_version(conn, &actor, &id, version, now)? {
                    Ok(found) => found,
                    Err(refused) => return Ok(Err(refused)),
                };
                let TrackDetails::Discharge {
                    colour,
                    discharge_date,
                    ..
                } = case.track
                else {
                    return Ok(Err(WorkflowError::Forbidden(
                        "Sjudagarsplanen hör till spår 3, utskrivning från slutenvården.",
                    )));
                };
                if side != Side::Sender {
                    return Ok(Err(WorkflowError::Forbidden(
                        "Sjudagarsplanen görs av slutenvården som skriver ut personen.",
                    )));
                }
                seven_day_plan::record(conn, &actor, &case.id, &plan, now)?;
                let details = TrackDetails::Discharge {
                    colour,
                    discharge_date,
                    plan_available_on: Some(plan.available_on),
                };
                care_requests::update_track_details(
                    conn,
                    &actor,
                    &case,
                    case.version,
                    &details,
                    now,
                )?;
                Ok(Ok(()))
            })
            .await,
    )
}

/// What the panel shows.
pub struct SevenDayPlanView {
    pub shown: bool,
    pub can_record: bool,
    /// The plan's facts as (label, text), once recorded.
    pub facts: Vec<(&'static str, String)>,
    /// "Kom i tid" or "Kom efter utskrivningsdagen", and the deadline.
    pub timeliness: String,
    pub late: bool,
    pub typed: SevenDayPlanForm,
}

impl SevenDayPlanView {
    pub fn new(
        state: &AppState,
        case: &CareRequest,
        side: Option<Side>,
        replaced: bool,
        stored: Option<&StoredSevenDayPlan>,
        typed: SevenDayPlanForm,
    ) -> Self {
        let TrackDetails::Discharge { discharge_date, .. } = case.track else {
            return SevenDayPlanView {
                shown: false,
                can_record: false,
                facts: Vec::new(),
                timeliness: String::new(),
                late: false,
                typed,
            };
        };
        let due = case.track.discharge_plan_due(&state.rules);
        let none = |text: &str| {
            if text.is_empty() {
                "Inga".to_owned()
            } else {
                text.to_owned()
            }
        };
        let facts = stored
            .map(|s| {
                let p = &s.plan;
                vec![
                    ("Tillgänglig från", p.available_on.to_string()),
                    ("Läkemedel", p.medication.clone()),
                    ("Kontroller", p.checks.clone()),
                    ("Rehabilitering", none(&p.rehabilitation)),
                    ("Mobilt team", none(&p.mobile_team)),
                    (
                        "Går att läsa i NPÖ",
                        if p.readable_in_npo { "Ja" } else { "Nej" }.to_owned(),
                    ),
                    (
                        "Gäller",
                        if replaced {
                            "Ersatt av vårdcentralens fastställda behandlingsplan".to_owned()
                        } else {
                            format!(
                                "Till och med {} eller tills vårdcentralens behandlingsplan är fastställd",
                                covers_until(discharge_date, &state.rules.discharge)
                            )
                        },
                    ),
                    (
                        "Registrerad av",
                        format!(
                            "{}, {} {}",
                            s.user_name,
                            s.unit_name,
                            local_time(state, s.recorded_at)
                        ),
                    ),
                ]
            })
            .unwrap_or_default();
        let late = match (stored, due) {
            (Some(s), Some(due)) => !s.plan.in_time(due),
            (None, Some(due)) => due < state.today(),
            _ => false,
        };
        let timeliness = match (stored, due) {
            (Some(_), Some(due)) if late => format!("Kom efter tidsgränsen {due}."),
            (Some(_), Some(due)) => format!("Kom i tid (senast {due})."),
            (None, Some(due)) => format!("Ska finnas hos nästa vårdgivare senast {due}."),
            _ => String::new(),
        };
        SevenDayPlanView {
            shown: true,
            can_record: side == Some(Side::Sender)
                && !matches!(
                    case.state,
                    samsyn_domain::CaseState::Closed(..) | samsyn_domain::CaseState::Withdrawn(..)
                ),
            facts,
            timeliness,
            late,
            typed,
        }
    }
}
