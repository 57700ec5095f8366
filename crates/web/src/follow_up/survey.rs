//! The joint survey of each vårdcentral and its municipality. `/enkat` is the pair's own page:
//! staff of the vårdcentral or of the municipality fill it in, one side asks the other to agree,
//! and the other side's agreement submits it; reminders show before the due date and "försenad"
//! after. `/uppfoljning/enkat` is Hälsoval's compilation of all pairs (and where Hälsoval adds the
//! year's pairs), read by everyone who follows up.

use super::report::municipality_name;
use super::{YearQuery, year_of};
use crate::AppState;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use crate::shared::words::capitalised;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::follow_up::survey::{
    self, AnswerInput, PairSide, SurveyContent, SurveyInput, SurveyStatus, SurveyStep, Timeliness,
};
use samsyn_domain::{FieldError, Party, Role, UnitKind};
use samsyn_reports::table::Table;
use samsyn_store::StoreError;
use samsyn_store::follow_up::survey::{self as stored, Pair, StoredResponse};
use serde::Deserialize;

/// The side of the pair the user's unit is on, if any.
fn side_of(user: &CurrentUser, pair: &Pair) -> Option<PairSide> {
    if user.unit.id == pair.health_centre_unit_id {
        return Some(PairSide::Region);
    }
    match &user.unit.party {
        Party::Municipality(code) if code.as_str() == pair.municipality => {
            Some(PairSide::Municipality)
        }
        _ => None,
    }
}

fn timeliness_of(state: &AppState, year: i16, response: Option<&StoredResponse>) -> Timeliness {
    let rules = &state.rules.follow_up.survey;
    let submitted = response
        .and_then(|r| r.submitted_at)
        .map(|at| at.to_zoned(state.time_zone.clone()).date());
    survey::timeliness(
        survey::due_on(rules, year),
        rules.reminder_days,
        state.today(),
        submitted,
    )
}

/// A pair's answer in one variant, as a list row.
pub struct PairRow {
    pub pair_id: String,
    pub name: String,
    pub variant: String,
    pub variant_label: String,
    pub status: &'static str,
    pub timeliness: Timeliness,
}

fn rows_of(
    state: &AppState,
    year: i16,
    pairs: &[Pair],
    responses: &[StoredResponse],
) -> Vec<PairRow> {
    let rules = &state.rules.follow_up.survey;
    pairs
        .iter()
        .flat_map(|pair| {
            rules.variants.iter().map(move |variant| {
                let response = responses
                    .iter()
                    .find(|r| r.pair_id == pair.id && r.variant == variant.code);
                let timeliness = timeliness_of(state, year, response);
                PairRow {
                    pair_id: pair.id.clone(),
                    name: format!(
                        "{} – {}",
                        pair.health_centre,
                        municipality_name(&state.rules, &pair.municipality)
                    ),
                    variant: variant.code.clone(),
                    variant_label: variant.label.clone(),
                    status: response.map_or("Inte påbörjad", |r| r.status.label()),
                    timeliness,
                }
            })
        })
        .collect()
}

/// The inbox's reminder for a manager or coordinator whose unit is in a pair: how many of the
/// year's answers are not submitted though due within the reminder days or overdue, or `None`.
pub async fn reminder(state: &AppState, user: &CurrentUser) -> Option<String> {
    if !matches!(user.user.role, Role::UnitManager | Role::Coordinator) {
        return None;
    }
    let year = state.today().year();
    let rows = own_rows(state, user, year).await.ok()?;
    let waiting = |t: Timeliness| rows.iter().filter(|r| r.timeliness == t).count();
    let (overdue, soon) = (waiting(Timeliness::Overdue), waiting(Timeliness::Reminder));
    let due = survey::due_on(&state.rules.follow_up.survey, year);
    match (overdue, soon) {
        (0, 0) => None,
        (0, n) => Some(format!(
            "Påminnelse: {n} av era enkäter om samverkan mellan vårdcentral och kommun är inte inskickade. Sista dag är {due}."
        )),
        (n, _) => Some(format!(
            "{n} av era enkäter om samverkan mellan vårdcentral och kommun är försenade: sista dag var {due}."
        )),
    }
}

#[derive(Template)]
#[template(path = "follow_up/survey_list.html")]
struct ListPage {
    layout: Layout,
    year: i16,
    due: String,
    rows: Vec<PairRow>,
    reminder: bool,
}

/// A question as the form shows it, numbered through the questionnaire.
pub struct QuestionView {
    pub code: String,
    pub number: usize,
    pub text: String,
    pub score: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "follow_up/survey_form.html")]
struct FormPage {
    layout: Layout,
    year: i16,
    notice: &'static str,
    errors: FieldErrors,
    pair_id: String,
    pair_name: String,
    variant: String,
    variant_label: String,
    due: String,
    timeliness: &'static str,
    status: &'static str,
    /// What the other side is waiting for, or what this side is.
    waiting: String,
    scale: Vec<String>,
    /// (area label, its questions).
    areas: Vec<(String, Vec<QuestionView>)>,
    content: SurveyContent,
    version: String,
    editable: bool,
    may_ask: bool,
    may_agree: bool,
}

#[derive(Deserialize, Default)]
pub struct SurveyQuery {
    #[serde(default)]
    ar: String,
    #[serde(default)]
    par: String,
    #[serde(default)]
    variant: String,
    #[serde(default)]
    klart: String,
}

/// A refusal inside the group: the pair or variant named is not one the user's unit answers.
fn unprocessable(state: &AppState, user: &CurrentUser, message: &str) -> Response {
    crate::shared::layout::message_page(
        state,
        Some(user),
        StatusCode::UNPROCESSABLE_ENTITY,
        "Enkäten kan inte visas",
        message,
    )
}

const NOT_IN_PAIR: &str =
    "Er enhet ingår inte i paret. Enkäten fylls i av vårdcentralen och kommunen i paret.";

/// The pair and its answer in `variant`; a refusal page when there is no such pair.
async fn pair_and_response(
    state: &AppState,
    user: &CurrentUser,
    pair_id: String,
    variant: String,
) -> Result<(Pair, Option<StoredResponse>), Response> {
    state
        .db(move |conn| {
            let pair = stored::pair(conn, &pair_id)?;
            let response = stored::response(conn, &pair.id, &variant)?;
            Ok((pair, response))
        })
        .await
        .map_err(|error| match error {
            StoreError::NotFound => unprocessable(
                state,
                user,
                "Paret finns inte. Välj ett av era par i listan.",
            ),
            other => super::failed(state, user, other),
        })
}

/// The user's pairs and their answers, or one pair's form.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<SurveyQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    if query.par.is_empty() {
        return list(&state, &user, year).await;
    }
    let notice = match query.klart.as_str() {
        "sparad" => "Enkäten är sparad.",
        "begard" => "Den andra parten i paret ombeds nu att godkänna enkäten.",
        "tillbaka" => "Enkäten är tillbaka som utkast.",
        "inskickad" => "Enkäten är godkänd av båda och inskickad till Hälsoval.",
        _ => "",
    };
    form(
        &state,
        &user,
        query.par,
        query.variant,
        notice,
        Vec::new(),
        None,
    )
    .await
}

/// The year's answers of the pairs the user's unit is in.
async fn own_rows(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
) -> Result<Vec<PairRow>, StoreError> {
    let (pairs, responses) = state
        .db(move |conn| Ok((stored::pairs(conn, year)?, stored::responses(conn, year)?)))
        .await?;
    let mine: Vec<Pair> = pairs
        .into_iter()
        .filter(|p| side_of(user, p).is_some())
        .collect();
    Ok(rows_of(state, year, &mine, &responses))
}

async fn list(state: &AppState, user: &CurrentUser, year: i16) -> Response {
    let rows = match own_rows(state, user, year).await {
        Ok(rows) => rows,
        Err(error) => return super::failed(state, user, error),
    };
    let reminder = rows.iter().any(|r| r.timeliness.needs_reminder());
    render(
        StatusCode::OK,
        &ListPage {
            layout: Layout::new(state, &format!("Enkät {year}"), Some(user)).await,
            year,
            due: survey::due_on(&state.rules.follow_up.survey, year).to_string(),
            rows,
            reminder,
        },
    )
}

async fn form(
    state: &AppState,
    user: &CurrentUser,
    pair_id: String,
    variant: String,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: Option<SurveyContent>,
) -> Response {
    let rules = &state.rules.follow_up.survey;
    let Some(variant_rules) = rules.variant(&variant) else {
        return unprocessable(state, user, "Välj enkätens variant.");
    };
    let (pair, response) = match pair_and_response(state, user, pair_id, variant.clone()).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let Some(side) = side_of(user, &pair) else {
        return unprocessable(state, user, NOT_IN_PAIR);
    };
    let status = response.as_ref().map_or(SurveyStatus::Draft, |r| r.status);
    let drafting = response.as_ref().map_or(side, |r| r.drafting_side);
    let content = typed.unwrap_or_else(|| {
        response
            .as_ref()
            .map(|r| r.content.clone())
            .unwrap_or_default()
    });
    let mut number = 0;
    let areas = rules
        .areas
        .iter()
        .map(|area| {
            let questions = rules
                .questions_of(&variant)
                .into_iter()
                .filter(|q| q.area == area.code)
                .map(|q| {
                    number += 1;
                    let answer = content.answers.get(&q.code).cloned().unwrap_or_default();
                    QuestionView {
                        code: q.code.clone(),
                        number,
                        text: q.text.clone(),
                        score: answer.score.map(|s| s.to_string()).unwrap_or_default(),
                        comment: answer.comment,
                    }
                })
                .collect();
            (area.label.clone(), questions)
        })
        .collect();
    let other = match side {
        PairSide::Region => PairSide::Municipality,
        PairSide::Municipality => PairSide::Region,
    };
    let waiting = match status {
        SurveyStatus::AwaitingAgreement if drafting == side => {
            format!("Väntar på att {} godkänner.", other.label())
        }
        SurveyStatus::AwaitingAgreement => format!(
            "{} ber er godkänna enkäten. Godkänn och skicka in, eller ändra och skicka tillbaka.",
            capitalised(drafting.label())
        ),
        _ => String::new(),
    };
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &FormPage {
            layout: Layout::new(state, "Enkät: samverkan vårdcentral och kommun", Some(user)).await,
            year: pair.year,
            notice,
            errors,
            pair_name: format!(
                "{} – {}",
                pair.health_centre,
                municipality_name(&state.rules, &pair.municipality)
            ),
            pair_id: pair.id.clone(),
            variant_label: variant_rules.label.clone(),
            variant,
            due: survey::due_on(rules, pair.year).to_string(),
            timeliness: timeliness_of(state, pair.year, response.as_ref()).label(),
            status: status.label(),
            waiting,
            scale: rules.scale.clone(),
            areas,
            content,
            version: response
                .as_ref()
                .map(|r| r.version.to_string())
                .unwrap_or_default(),
            editable: status != SurveyStatus::Submitted
                && !(status == SurveyStatus::AwaitingAgreement && drafting == side),
            may_ask: status == SurveyStatus::Draft,
            may_agree: status == SurveyStatus::AwaitingAgreement && drafting != side,
        },
    )
}

/// Saves the pair's answer and takes the chosen step.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form_fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = |name: &str| {
        form_fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let (pair_id, variant) = (get("par").to_owned(), get("variant").to_owned());
    let step = match get("step") {
        "spara" => SurveyStep::Save,
        "begar" => SurveyStep::AskAgreement,
        "tillbaka" => SurveyStep::SendBack,
        "godkann" => SurveyStep::AgreeAndSubmit,
        _ => {
            return unprocessable(
                &state,
                &user,
                "Välj att spara, be om godkännande, skicka tillbaka eller godkänna.",
            );
        }
    };
    let rules = state.rules.follow_up.survey.clone();
    if rules.variant(&variant).is_none() {
        return unprocessable(&state, &user, "Välj enkätens variant.");
    }
    let (pair, response) =
        match pair_and_response(&state, &user, pair_id.clone(), variant.clone()).await {
            Ok(found) => found,
            Err(page) => return page,
        };
    let Some(side) = side_of(&user, &pair) else {
        return unprocessable(&state, &user, NOT_IN_PAIR);
    };
    let answers: Vec<AnswerInput<'_>> = rules
        .questions_of(&variant)
        .into_iter()
        .map(|q| AnswerInput {
            question: &q.code,
            score: form_fields
                .iter()
                .find(|(k, _)| k.strip_prefix("score_") == Some(q.code.as_str()))
                .map_or("", |(_, v)| v.as_str()),
            comment: form_fields
                .iter()
                .find(|(k, _)| k.strip_prefix("comment_") == Some(q.code.as_str()))
                .map_or("", |(_, v)| v.as_str()),
        })
        .collect();
    let input = SurveyInput {
        answers,
        strengths: get("strengths"),
        improvements: get("improvements"),
        challenges: get("challenges"),
        region_participants: get("region_participants"),
        municipality_participants: get("municipality_participants"),
    };
    let parsed = input.parse(&rules, &variant);
    let status = response.as_ref().map_or(SurveyStatus::Draft, |r| r.status);
    let drafting = response.as_ref().map_or(side, |r| r.drafting_side);
    let content = match parsed {
        // Agreeing submits what the other side asked to have agreed, never what this form holds.
        Ok(_) if step == SurveyStep::AgreeAndSubmit => response
            .as_ref()
            .map(|r| r.content.clone())
            .unwrap_or_default(),
        Ok(content) => content,
        Err(errors) => {
            let typed = input.as_typed(&rules, &variant);
            return form(&state, &user, pair_id, variant, "", errors, Some(typed)).await;
        }
    };
    let next = match survey::next_status(status, step, side, drafting) {
        Ok(next) => next,
        Err(message) => {
            let errors = vec![FieldError {
                field: "step",
                message: message.to_owned(),
            }];
            return form(&state, &user, pair_id, variant, "", errors, Some(content)).await;
        }
    };
    if matches!(step, SurveyStep::AskAgreement | SurveyStep::AgreeAndSubmit) {
        let missing = survey::missing_for_agreement(&content, &rules, &variant);
        if !missing.is_empty() {
            return form(&state, &user, pair_id, variant, "", missing, Some(content)).await;
        }
    }
    let expected = match (&response, get("version").parse::<i64>()) {
        (None, _) => None,
        (Some(_), Ok(v)) => Some(v),
        (Some(_), Err(_)) => {
            return super::failed(&state, &user, StoreError::Conflict);
        }
    };
    let user_id = user.user.id.clone();
    let now = state.clock.now();
    let year = pair.year;
    let questionnaire = rules.version.clone();
    let (pair_for_save, variant_for_save) = (pair_id.clone(), variant.clone());
    let saved = state
        .db(move |conn| {
            stored::save(
                conn,
                year,
                &stored::Save {
                    pair_id: &pair_for_save,
                    variant: &variant_for_save,
                    questionnaire: &questionnaire,
                    content: &content,
                    status: next,
                    side,
                    user_id: &user_id,
                    expected_version: expected,
                },
                now,
            )
        })
        .await;
    let done = match step {
        SurveyStep::Save
            if next == SurveyStatus::Draft && status == SurveyStatus::AwaitingAgreement =>
        {
            "tillbaka"
        }
        SurveyStep::Save => "sparad",
        SurveyStep::AskAgreement => "begard",
        SurveyStep::SendBack => "tillbaka",
        SurveyStep::AgreeAndSubmit => "inskickad",
    };
    match saved {
        Ok(()) => Redirect::to(&format!(
            "/enkat?ar={year}&par={pair_id}&variant={variant}&klart={done}"
        ))
        .into_response(),
        Err(error) => super::failed(&state, &user, error),
    }
}

#[derive(Template)]
#[template(path = "follow_up/survey_compilation.html")]
struct CompilationPage {
    layout: Layout,
    year: i16,
    notice: &'static str,
    errors: FieldErrors,
    due: String,
    rows: Vec<PairRow>,
    answered: usize,
    expected: usize,
    tables: Vec<Table>,
    is_health_choice: bool,
    sees_sample_check: bool,
    health_centres: Vec<(String, String)>,
    municipalities: Vec<(String, String)>,
}

/// All pairs' answers compiled: Hälsoval's work, readable by all who follow up.
pub async fn compilation(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_of(&state, &query.ar);
    let notice = if query.klart == "par" {
        "Paret är tillagt i årets enkät."
    } else {
        ""
    };
    compilation_page(&state, &user, year, notice, Vec::new()).await
}

async fn compilation_page(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
    notice: &'static str,
    errors: Vec<FieldError>,
) -> Response {
    let rules = state.rules.clone();
    let today = state.today();
    let loaded = state
        .db(move |conn| {
            // A final year shows the survey as the final report has it; otherwise only the
            // survey is compiled, not the whole report.
            let record = samsyn_store::follow_up::plan::year(conn, year)?;
            let survey = match super::report_page::final_report(record.as_ref())? {
                Some(report) => report.survey,
                None => super::report::survey_result(conn, &rules, year, today)?,
            };
            let pairs = stored::pairs(conn, year)?;
            let responses = stored::responses(conn, year)?;
            let units = samsyn_store::units::list(conn)?;
            Ok((survey, pairs, responses, units))
        })
        .await;
    let (survey, pairs, responses, units) = match loaded {
        Ok(found) => found,
        Err(error) => return super::failed(state, user, error),
    };
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &CompilationPage {
            layout: Layout::new(state, &format!("Enkät {year}: sammanställning"), Some(user)).await,
            year,
            notice,
            errors,
            due: survey.due.to_string(),
            rows: rows_of(state, year, &pairs, &responses),
            answered: survey.answered,
            expected: survey.pairs,
            tables: survey.tables(),
            is_health_choice: user.user.role == Role::HealthChoice,
            sees_sample_check: user.user.role == Role::HealthChoice,
            health_centres: units
                .into_iter()
                .filter(|u| u.kind == UnitKind::HealthCentre)
                .map(|u| (u.id, u.name))
                .collect(),
            municipalities: state
                .rules
                .municipalities
                .iter()
                .map(|m| (m.code.to_string(), m.name.clone()))
                .collect(),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct PairForm {
    #[serde(default)]
    ar: String,
    #[serde(default)]
    health_centre: String,
    #[serde(default)]
    municipality: String,
}

/// Hälsoval adds a pair to the year's survey.
pub async fn add_pair(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PairForm>,
) -> Response {
    let year = year_of(&state, &form.ar);
    let mut errors = Vec::new();
    if !state
        .rules
        .municipalities
        .iter()
        .any(|m| m.code.as_str() == form.municipality)
    {
        errors.push(FieldError {
            field: "municipality",
            message: "Välj kommunen i paret.".into(),
        });
    }
    let unit_id = form.health_centre.clone();
    let unit = state
        .db(move |conn| {
            samsyn_store::units::get(conn, &unit_id)
                .map(Some)
                .or_else(|e| match e {
                    StoreError::NotFound => Ok(None),
                    other => Err(other),
                })
        })
        .await;
    match unit {
        Ok(Some(unit)) if unit.kind == UnitKind::HealthCentre => {}
        Ok(_) => errors.push(FieldError {
            field: "health_centre",
            message: "Välj vårdcentralen i paret.".into(),
        }),
        Err(error) => return super::failed(&state, &user, error),
    }
    if !errors.is_empty() {
        return compilation_page(&state, &user, year, "", errors).await;
    }
    let (unit_id, municipality) = (form.health_centre.clone(), form.municipality.clone());
    match state
        .db(move |conn| stored::add_pair(conn, year, &unit_id, &municipality))
        .await
    {
        Ok(_) => Redirect::to(&format!("/uppfoljning/enkat?ar={year}&klart=par")).into_response(),
        Err(StoreError::Duplicate(_)) => {
            let errors = vec![FieldError {
                field: "health_centre",
                message: "Paret finns redan i årets enkät.".into(),
            }];
            compilation_page(&state, &user, year, "", errors).await
        }
        Err(error) => super::failed(&state, &user, error),
    }
}
