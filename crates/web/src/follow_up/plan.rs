//! `/uppfoljning`: the year's follow-up plan, the table of the follow-up report (område ·
//! mätmetod · ansvarig · klart senast · genomfört · kommentar), with chefsgruppen's decision.
//! Chefsgruppen edits it until the year's report is final; everyone else who follows up reads it.

use super::report::{plan_of, starting_plan};
use super::{YearQuery, field, year_of};
use crate::AppState;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::follow_up::plan::{MethodInput, PlannedMethod};
use samsyn_domain::{FieldError, Role};
use samsyn_store::follow_up::plan::{self, FollowUpYear};

/// A method row as the page shows and the form sends it.
#[derive(Debug, Clone, Default)]
pub struct MethodRow {
    pub part: String,
    pub label: String,
    pub responsible: String,
    pub due_on: String,
    pub done: String,
    pub comment: String,
}

impl MethodRow {
    fn of(method: &PlannedMethod) -> MethodRow {
        MethodRow {
            part: method.part.to_string(),
            label: method.label.clone(),
            responsible: method.responsible.clone(),
            due_on: method.due_on.to_string(),
            done: match method.done {
                Some(true) => "ja",
                Some(false) => "nej",
                None => "",
            }
            .into(),
            comment: method.comment.clone(),
        }
    }

    fn is_blank(&self) -> bool {
        self.label.trim().is_empty()
            && self.responsible.trim().is_empty()
            && self.comment.trim().is_empty()
    }
}

#[derive(Template)]
#[template(path = "follow_up/plan.html")]
struct PlanPage {
    layout: Layout,
    year: i16,
    notice: &'static str,
    errors: FieldErrors,
    /// (number, label) of the four parts.
    parts: Vec<(u8, String)>,
    rows: Vec<MethodRow>,
    /// The part's label per row, for reading.
    row_parts: Vec<String>,
    record: FollowUpYear,
    started: bool,
    /// Where the year's plan was published, when the region ships it.
    published_in: Option<String>,
    may_edit: bool,
    decision_on: String,
    decision_text: String,
    sees_sample_check: bool,
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: Option<Vec<MethodRow>>,
) -> Response {
    let rules = state.rules.clone();
    let loaded = state
        .db(move |conn| Ok((plan::year(conn, year)?, plan_of(conn, &rules, year)?)))
        .await;
    let (record, methods) = match loaded {
        Ok(found) => found,
        Err(error) => return super::failed(state, user, error),
    };
    let started = record.is_some();
    let record = record.unwrap_or(FollowUpYear {
        year,
        ..FollowUpYear::default()
    });
    let may_edit = user.user.role == Role::ChiefsGroup && !record.is_final();
    let mut rows = typed.unwrap_or_else(|| methods.iter().map(MethodRow::of).collect());
    if may_edit {
        rows.extend([MethodRow::default(), MethodRow::default()]);
    }
    let follow_up = &state.rules.follow_up;
    let row_parts = rows
        .iter()
        .map(|r| {
            r.part
                .parse()
                .map(|p| format!("{p}. {}", follow_up.part_label(p)))
                .unwrap_or_default()
        })
        .collect();
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &PlanPage {
            layout: Layout::new(state, &format!("Uppföljning {year}"), Some(user)).await,
            year,
            notice,
            errors,
            parts: follow_up
                .parts
                .iter()
                .map(|p| (p.number, p.label.clone()))
                .collect(),
            rows,
            row_parts,
            decision_on: record
                .plan_decided_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            decision_text: record.plan_decision.clone(),
            record,
            started,
            published_in: state
                .rules
                .data
                .follow_up_plan(year)
                .map(|p| p.source.clone()),
            may_edit,
            sees_sample_check: user.user.role == Role::HealthChoice,
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let notice = match query.klart.as_str() {
        "plan" => "Planen är sparad.",
        "beslut" => "Chefsgruppens beslut är registrerat.",
        _ => "",
    };
    show(&state, &user, year, notice, Vec::new(), None).await
}

/// Reads the posted rows (`part`, `label`, … repeated in order) and the year and version.
fn posted(form: &[(String, String)]) -> (String, String, Vec<MethodRow>) {
    let (mut year, mut version, mut rows) = (String::new(), String::new(), Vec::new());
    for (key, value) in form {
        let value = value.clone();
        match key.as_str() {
            "ar" => year = value,
            "version" => version = value,
            "part" => rows.push(MethodRow {
                part: value,
                ..MethodRow::default()
            }),
            _ => {
                if let Some(row) = rows.last_mut() {
                    match key.as_str() {
                        "label" => row.label = value,
                        "responsible" => row.responsible = value,
                        "due_on" => row.due_on = value,
                        "done" => row.done = value,
                        "comment" => row.comment = value,
                        _ => {}
                    }
                }
            }
        }
    }
    (year, version, rows)
}

/// Starts the year from its starting plan when it has not been started, then checks the version.
fn started_version(
    conn: &mut samsyn_store::DbConnection,
    rules: &samsyn_domain::RuleSet,
    year: i16,
    by: &str,
    now: jiff::Timestamp,
) -> Result<i64, samsyn_store::StoreError> {
    let record = plan::start(conn, year, &starting_plan(rules, year), Some(by), now)?;
    Ok(record.version)
}

pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let (year_text, version, rows) = posted(&form);
    let year = year_of(&state, &year_text);
    let rows: Vec<MethodRow> = rows.into_iter().filter(|r| !r.is_blank()).collect();
    let mut errors = Vec::new();
    let mut methods = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let input = MethodInput {
            part: &row.part,
            label: &row.label,
            responsible: &row.responsible,
            due_on: &row.due_on,
            done: &row.done,
            comment: &row.comment,
        };
        match input.parse() {
            Ok(method) => methods.push(method),
            Err(found) => errors.extend(found.into_iter().map(|e| FieldError {
                field: e.field,
                message: format!("Rad {}: {}", n + 1, e.message),
            })),
        }
    }
    if rows.is_empty() {
        errors.push(field("label", "Planen behöver minst en metod."));
    }
    let Ok(expected) = version.parse::<i64>() else {
        errors.push(field("version", "Ladda om sidan och försök igen."));
        return show(&state, &user, year, "", errors, Some(rows)).await;
    };
    if !errors.is_empty() {
        return show(&state, &user, year, "", errors, Some(rows)).await;
    }
    let rules = state.rules.clone();
    let by = user.user.id.clone();
    let now = state.clock.now();
    let saved = state
        .db(move |conn| {
            let current = started_version(conn, &rules, year, &by, now)?;
            if current != expected {
                return Err(samsyn_store::StoreError::Conflict);
            }
            plan::save_methods(conn, year, &methods, &by, current, now)
        })
        .await;
    match saved {
        Ok(()) => Redirect::to(&format!("/uppfoljning?ar={year}&klart=plan")).into_response(),
        Err(error) => super::failed(&state, &user, error),
    }
}

pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let get = |name: &str| super::value(&form, name);
    let year = year_of(&state, &get("ar"));
    let mut errors = Vec::new();
    let decided_on = get("decided_on").parse::<jiff::civil::Date>().ok();
    if decided_on.is_none() {
        errors.push(field(
            "decided_on",
            "Ange när chefsgruppen beslutade planen som ÅÅÅÅ-MM-DD.",
        ));
    }
    let decision = get("decision");
    if decision.is_empty() {
        errors.push(field(
            "decision",
            "Skriv var beslutet finns, t.ex. protokollets datum och paragraf.",
        ));
    }
    let expected = get("version").parse::<i64>().ok();
    if expected.is_none() {
        errors.push(field("version", "Ladda om sidan och försök igen."));
    }
    let (Some(decided_on), Some(expected), true) = (decided_on, expected, errors.is_empty()) else {
        return show(&state, &user, year, "", errors, None).await;
    };
    let rules = state.rules.clone();
    let by = user.user.id.clone();
    let now = state.clock.now();
    let saved = state
        .db(move |conn| {
            let current = started_version(conn, &rules, year, &by, now)?;
            if current != expected {
                return Err(samsyn_store::StoreError::Conflict);
            }
            plan::record_decision(conn, year, decided_on, &decision, &by, current)
        })
        .await;
    match saved {
        Ok(()) => Redirect::to(&format!("/uppfoljning?ar={year}&klart=beslut")).into_response(),
        Err(error) => super::failed(&state, &user, error),
    }
}
