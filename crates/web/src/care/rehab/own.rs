//! The person's rehabiliteringsplaner on Min sida, in plain words: her goals, what is done and
//! by whom, who follows up and when. Every view is recorded (`own_page_views`).

use crate::AppState;
use samsyn_domain::PersonId;
use samsyn_domain::care::rehab_plan::Performer;
use samsyn_store::care::own_plans;
use samsyn_store::person_sessions::PersonSession;

/// One plan as Min sida shows it.
pub struct OwnRehabView {
    pub team: String,
    pub version: i64,
    pub facts: Vec<(&'static str, String)>,
}

/// Her rehabiliteringsplaner, the latest version of each.
pub async fn rehab_plans(state: &AppState, person: &PersonSession) -> Vec<OwnRehabView> {
    let id = PersonId::from(person.personnummer);
    let now = state.clock.now();
    let found = state
        .db(move |conn| own_plans::rehab_for_person(conn, &id, now))
        .await;
    let plans = match found {
        Ok(plans) => plans,
        Err(error) => {
            tracing::error!(%error, "own rehabilitation plans could not be read");
            return Vec::new();
        }
    };
    plans
        .into_iter()
        .map(|own| {
            let p = own.plan.plan;
            let who = match p.performer {
                Performer::Professional => {
                    "Arbetsterapeut eller fysioterapeut från rehabteamet.".to_owned()
                }
                Performer::Delegated => format!(
                    "{}, som rehabteamet har lärt upp och följer.",
                    p.delegated_to
                ),
                Performer::SelfCare => {
                    "Du själv, som egenvård, med stöd av rehabteamet.".to_owned()
                }
            };
            OwnRehabView {
                version: own.plan.version,
                facts: vec![
                    ("Dina mål", p.goals),
                    ("Det här gör vi", p.interventions),
                    ("Vem gör det", who),
                    ("Vem följer upp planen", p.prescriber),
                    (
                        "Nästa uppföljning",
                        own.next_follow_up.map_or_else(
                            || "Rehabteamet bestämmer dagen tillsammans med dig.".to_owned(),
                            |d| d.to_string(),
                        ),
                    ),
                ],
                team: own.team,
            }
        })
        .collect()
}
