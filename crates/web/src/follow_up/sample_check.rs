//! `/uppfoljning/stickprov`: Hälsoval's sample check of medical treatment plans. A draw picks up
//! to the rule set's number of plans per municipality among those fastställda in a period, by a
//! recorded seed; each plan is then reviewed against the checklist. The plan is shown without the
//! person's name or personnummer, and every read and review is an access-log entry against the
//! case's patient.

use super::{field, year_of};
use crate::AppState;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::{Date, date};
use samsyn_domain::care::treatment_plan::{PlanContent, PlanItem};
use samsyn_domain::follow_up::sample_check::{self, parse_review};
use samsyn_domain::{AccessAction, FieldError};
use samsyn_store::StoreError;
use samsyn_store::follow_up::sample_check::{self as stored, NewSampleCheck, SampleCheck};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct SampleQuery {
    #[serde(default)]
    ar: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    klart: String,
}

/// One checkpoint of a review form: code, label, the answer given or suggested, and whether
/// Samsyn suggested it from the plan.
pub struct PointView {
    pub code: String,
    pub label: String,
    pub answer: String,
    pub suggested: bool,
}

/// The drawn plan under review.
pub struct PlanView {
    pub position: i32,
    pub municipality: String,
    pub case_id: String,
    pub items: Vec<(String, String)>,
    pub points: Vec<PointView>,
    pub note: String,
    pub reviewed: bool,
    /// The review read, in milliseconds, or empty: the save is refused if it changed meanwhile.
    pub reviewed_at: String,
}

#[derive(Template)]
#[template(path = "follow_up/sample_check.html")]
struct SamplePage {
    layout: Layout,
    year: i16,
    notice: &'static str,
    errors: FieldErrors,
    checks: Vec<SampleCheck>,
    open: Option<SampleCheck>,
    plan: Option<PlanView>,
    from: String,
    to: String,
    seed: String,
    per_party: u32,
    sees_sample_check: bool,
    municipality_names: Vec<(String, String)>,
}

impl SamplePage {
    fn municipality(&self, code: &str) -> String {
        self.municipality_names
            .iter()
            .find(|(c, _)| c == code)
            .map_or(code.to_owned(), |(_, n)| n.clone())
    }
}

/// What Samsyn can tell from the plan itself; the reviewer confirms or corrects it.
fn suggestion(code: &str, content: &PlanContent, rules: &samsyn_domain::RuleSet) -> Option<bool> {
    let missing = content.missing(&rules.treatment_plan);
    let written = |items: &[PlanItem]| items.iter().all(|item| !missing.contains(item));
    match code {
        "fem-delar" => Some(written(&[
            PlanItem::Prognosis,
            PlanItem::Deterioration,
            PlanItem::PointInterventions,
            PlanItem::ActionPlan,
            PlanItem::FollowUp,
        ])),
        "fasta-kontakter" => Some(written(&[
            PlanItem::RegionDoctor,
            PlanItem::RegionCareContact,
            PlanItem::MunicipalityCareContact,
        ])),
        "samordningsansvarig" => Some(written(&[PlanItem::Coordinator])),
        "frekvens" => Some(written(&[PlanItem::Frequency])),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
    open_id: String,
    plan_position: Option<i32>,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: Option<(Vec<(String, String)>, String)>,
) -> Response {
    let rules = state.rules.clone();
    let now = state.clock.now();
    let viewer = user.clone();
    let loaded = state
        .db(move |conn| {
            let checks = stored::of_year(conn, year)?;
            let open = if open_id.is_empty() {
                None
            } else {
                Some(stored::get(conn, &open_id)?)
            };
            let plan = match (&open, plan_position) {
                (Some(check), Some(position)) => {
                    let item = check
                        .items
                        .iter()
                        .find(|i| i.position == position)
                        .ok_or(StoreError::NotFound)?
                        .clone();
                    let version =
                        samsyn_store::care::treatment_plan::versions(conn, &item.case_id)?
                            .into_iter()
                            .find(|v| v.id == item.plan_id)
                            .ok_or(StoreError::NotFound)?;
                    stored::log_plan_access(
                        conn,
                        &viewer.actor(),
                        &item.case_id,
                        AccessAction::Read,
                        now,
                    )?;
                    Some((item, version.content))
                }
                _ => None,
            };
            Ok((checks, open, plan))
        })
        .await;
    let (checks, open, plan) = match loaded {
        Ok(found) => found,
        Err(error) => return super::failed(state, user, error),
    };
    let plan = plan.map(|(item, content)| {
        let (answers, note) = typed.clone().unwrap_or_else(|| {
            let given = item.review.as_ref();
            (
                given
                    .map(|r| {
                        r.findings
                            .iter()
                            .map(|(c, ok)| (c.clone(), if *ok { "ja" } else { "nej" }.to_owned()))
                            .collect()
                    })
                    .unwrap_or_default(),
                given.map(|r| r.note.clone()).unwrap_or_default(),
            )
        });
        PlanView {
            position: item.position,
            municipality: item.municipality.clone(),
            case_id: item.case_id.clone(),
            items: PlanItem::ALL
                .into_iter()
                .map(|i| {
                    (
                        i.label().to_owned(),
                        i.shown(&content, &rules.treatment_plan),
                    )
                })
                .collect(),
            points: rules
                .follow_up
                .sample_check
                .checklist
                .iter()
                .map(|p| {
                    let given = answers
                        .iter()
                        .find(|(c, _)| *c == p.code)
                        .map(|(_, a)| a.clone());
                    let suggested = suggestion(&p.code, &content, &rules);
                    PointView {
                        code: p.code.clone(),
                        label: p.label.clone(),
                        suggested: given.is_none() && suggested.is_some(),
                        answer: given.unwrap_or_else(|| match suggested {
                            Some(true) => "ja".into(),
                            Some(false) => "nej".into(),
                            None => String::new(),
                        }),
                    }
                })
                .collect(),
            note,
            reviewed: item.review.is_some(),
            reviewed_at: item
                .reviewed_at
                .map(|at| at.as_millisecond().to_string())
                .unwrap_or_default(),
        }
    });
    let end = super::report::as_of(year, state.today());
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &SamplePage {
            layout: Layout::new(state, &format!("Stickprov {year}"), Some(user)).await,
            year,
            notice,
            errors,
            checks,
            open,
            plan,
            from: date(year, 1, 1).to_string(),
            to: end.to_string(),
            seed: (state.clock.now().as_millisecond().unsigned_abs() % 1_000_000).to_string(),
            per_party: state.rules.follow_up.sample_check.plans_per_party,
            sees_sample_check: true,
            municipality_names: state
                .rules
                .municipalities
                .iter()
                .map(|m| (m.code.to_string(), m.name.clone()))
                .collect(),
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SampleQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let notice = match query.klart.as_str() {
        "dragen" => "Stickprovet är draget. Granska varje plan mot checklistan.",
        "granskad" => "Granskningen är sparad.",
        _ => "",
    };
    show(
        &state,
        &user,
        year,
        query.id,
        query.plan.parse().ok(),
        notice,
        Vec::new(),
        None,
    )
    .await
}

/// Draws a sample (`action=dra`) or records a review (`action=granska`).
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let get = |name: &str| super::value(&form, name);
    let year = year_of(&state, &get("ar"));
    match get("action").as_str() {
        "dra" => {
            draw(
                &state,
                &user,
                year,
                &get("from"),
                &get("to"),
                &get("seed"),
                &get("per_party"),
            )
            .await
        }
        "granska" => {
            let answers: Vec<(String, String)> = form
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("point_").map(|c| (c.to_owned(), v.clone())))
                .collect();
            let reviewed_before = get("reviewed")
                .parse::<i64>()
                .ok()
                .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok());
            let item = (get("id"), get("position"), reviewed_before);
            review(&state, &user, year, item, answers, get("note")).await
        }
        _ => {
            let errors = vec![field(
                "action",
                "Välj att dra ett stickprov eller att spara en granskning.",
            )];
            show(&state, &user, year, String::new(), None, "", errors, None).await
        }
    }
}

async fn draw(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
    from: &str,
    to: &str,
    seed: &str,
    per_party: &str,
) -> Response {
    let mut errors = Vec::new();
    let from = from.parse::<Date>().ok();
    let to = to.parse::<Date>().ok();
    if from.is_none() {
        errors.push(field("from", "Ange periodens första dag som ÅÅÅÅ-MM-DD."));
    }
    if to.is_none() {
        errors.push(field("to", "Ange periodens sista dag som ÅÅÅÅ-MM-DD."));
    }
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.push(field(
            "to",
            "Periodens sista dag kan inte ligga före den första.",
        ));
    }
    let seed = seed.parse::<u64>().ok();
    if seed.is_none() {
        errors.push(field(
            "seed",
            "Fröet ska vara ett heltal; samma frö ger samma urval.",
        ));
    }
    let per_party = per_party
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=100).contains(n));
    if per_party.is_none() {
        errors.push(field(
            "per_party",
            "Ange hur många planer per kommun, 1–100.",
        ));
    }
    let (Some(from), Some(to), Some(seed), Some(per_party), true) =
        (from, to, seed, per_party, errors.is_empty())
    else {
        return show(state, user, year, String::new(), None, "", errors, None).await;
    };
    let rules = state.rules.clone();
    let user_id = user.user.id.clone();
    let now = state.clock.now();
    let created = state
        .db(move |conn| {
            let candidates = stored::candidates(conn, &rules, (from, to))?;
            let drawn = sample_check::draw(&candidates, per_party, seed);
            let checklist: Vec<String> = rules
                .follow_up
                .sample_check
                .checklist
                .iter()
                .map(|p| p.code.clone())
                .collect();
            stored::create(
                conn,
                &NewSampleCheck {
                    year,
                    period: (from, to),
                    seed,
                    per_party,
                    checklist: &checklist,
                    drawn: &drawn,
                    user_id: &user_id,
                },
                now,
            )
        })
        .await;
    match created {
        Ok(id) => Redirect::to(&format!(
            "/uppfoljning/stickprov?ar={year}&id={id}&klart=dragen"
        ))
        .into_response(),
        Err(error) => super::failed(state, user, error),
    }
}

/// Records a review of the drawn plan `(sample id, position, the review read before)`.
async fn review(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
    (id, position, reviewed_before): (String, String, Option<jiff::Timestamp>),
    answers: Vec<(String, String)>,
    note: String,
) -> Response {
    let Ok(position) = position.parse::<i32>() else {
        let errors = vec![field("position", "Välj planen som granskas.")];
        return show(state, user, year, id, None, "", errors, None).await;
    };
    let parsed = parse_review(&state.rules.follow_up.sample_check, &answers, &note);
    let review = match parsed {
        Ok(review) => review,
        Err(errors) => {
            return show(
                state,
                user,
                year,
                id,
                Some(position),
                "",
                errors,
                Some((answers, note)),
            )
            .await;
        }
    };
    let viewer = user.clone();
    let now = state.clock.now();
    let sample_id = id.clone();
    let saved = state
        .db(move |conn| {
            let check = stored::get(conn, &sample_id)?;
            let item = check
                .items
                .iter()
                .find(|i| i.position == position)
                .ok_or(StoreError::NotFound)?;
            stored::log_plan_access(
                conn,
                &viewer.actor(),
                &item.case_id,
                AccessAction::Update,
                now,
            )?;
            stored::review(
                conn,
                &check,
                position,
                &review,
                reviewed_before,
                &viewer.user.id,
                now,
            )?;
            Ok(check.year)
        })
        .await;
    match saved {
        Ok(year) => Redirect::to(&format!(
            "/uppfoljning/stickprov?ar={year}&id={id}&klart=granskad"
        ))
        .into_response(),
        Err(error) => super::failed(state, user, error),
    }
}
