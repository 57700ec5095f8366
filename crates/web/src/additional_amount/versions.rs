//! The decision cycle of a year's tilläggsbelopp: a stored version's page, its steps, the
//! correction of a decided version, the printable decision document and the payment basis.
//! A decided version is shown from what was stored, never recomputed.

use crate::AppState;
use crate::additional_amount::cycle::{self as cycle, CycleError};
use crate::additional_amount::view::{StatementView, VersionLine, year_of};
use crate::case::views::local_time;
use crate::shared::error::FieldErrors;
use crate::shared::figures::whole_kronor;
use crate::shared::layout::{Layout, XLSX, download, message_page, render};
use crate::shared::session::CurrentUser;
use crate::shared::words::capitalised;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::FieldError;
use samsyn_domain::additional_amount::decision::{
    DecisionRecord, DecisionStatus, Refusal, VersionState, in_force, may_pay_or_correct,
};
use samsyn_reports::additional_amount::{Statement, payment_csv, payment_xlsx, to_xlsx};
use samsyn_store::StoreError;
use samsyn_store::additional_amount::{self as store, StoredVersion, VersionSummary};
use serde::Deserialize;

pub struct EventLine {
    pub status: &'static str,
    pub by: String,
    pub at: String,
    /// The decision's body, date and minutes.
    pub record: Option<String>,
}

#[derive(Template)]
#[template(path = "additional_amount/version.html")]
struct VersionPage {
    layout: Layout,
    id: String,
    year: i16,
    version: i32,
    status: &'static str,
    draft: bool,
    decided: bool,
    in_force: bool,
    reason: String,
    corrects: Option<VersionLine>,
    corrected_by: Option<VersionLine>,
    events: Vec<EventLine>,
    next_step: Option<(&'static str, &'static str)>,
    may_decide: bool,
    problem: String,
    reason_input: String,
    view: StatementView,
}

#[derive(Template)]
#[template(path = "additional_amount/decision.html")]
struct DecisionDocument {
    layout: Layout,
    region: String,
    year: i16,
    version: i32,
    status: &'static str,
    decided: String,
    replaced: String,
    reason: String,
    view: StatementView,
}

fn stored_statement(version: &StoredVersion) -> Result<Statement, StoreError> {
    Statement::from_json(&version.statement)
        .map_err(|_| StoreError::Corrupt("sparad beräkning går inte att läsa".into()))
}

fn failure(state: &AppState, user: &CurrentUser, error: &StoreError) -> Response {
    match error {
        StoreError::NotFound => message_page(
            state,
            Some(user),
            StatusCode::NOT_FOUND,
            "Versionen finns inte",
            "Gå tillbaka till tilläggsbeloppet och välj en version i listan.",
        ),
        _ => {
            tracing::error!(%error, "tilläggsbelopp: lagringen misslyckades");
            message_page(
                state,
                Some(user),
                StatusCode::INTERNAL_SERVER_ERROR,
                "Något gick fel",
                "Ändringen sparades inte. Försök igen om en stund.",
            )
        }
    }
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    status: StatusCode,
    problem: String,
    reason_input: String,
) -> Response {
    let (version, statement, all) = match load(state, id).await {
        Ok(found) => found,
        Err(error) => return failure(state, user, &error),
    };
    let force = in_force(&states(&all));
    let s = &version.summary;
    let line = |id: &str| {
        all.iter()
            .find(|v| v.id == id)
            .map(|v| VersionLine::new(state, v, force))
    };
    let corrected_by = all
        .iter()
        .find(|v| v.corrects.as_deref() == Some(s.id.as_str()))
        .map(|v| VersionLine::new(state, v, force));
    let layout = Layout::new(
        state,
        &format!("Tilläggsbelopp {} – version {}", s.year, s.version),
        Some(user),
    )
    .await;
    render(
        status,
        &VersionPage {
            layout,
            id: s.id.clone(),
            year: s.year,
            version: s.version,
            status: s.status.label(),
            draft: s.status == DecisionStatus::Draft,
            decided: s.status.is_decided(),
            in_force: force.is_some_and(|f| f.version == s.version),
            reason: s.reason.clone().unwrap_or_default(),
            corrects: s.corrects.as_deref().and_then(line),
            corrected_by,
            events: version
                .events
                .iter()
                .map(|e| EventLine {
                    status: e.status.label(),
                    by: e.by.clone(),
                    at: local_time(state, e.at),
                    record: e
                        .record
                        .as_ref()
                        .map(|r| format!("{}, {}, {}", r.body, r.decided_on, r.minutes)),
                })
                .collect(),
            next_step: s.status.next().map(|n| (n.code(), n.step_label())),
            may_decide: user.user.role.records_economic_decisions(),
            problem,
            reason_input,
            view: StatementView::new(state, &statement),
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    show(
        &state,
        &user,
        id,
        StatusCode::OK,
        String::new(),
        String::new(),
    )
    .await
}

/// What to do after a write: go to the version, or show why it was refused.
async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    result: Result<String, CycleError>,
    reason_input: String,
) -> Response {
    let problem = match result {
        Ok(target) => {
            return Redirect::to(&format!("/tillagg/versioner/{target}")).into_response();
        }
        Err(CycleError::Store(StoreError::Refused(refusal))) => refusal.to_string(),
        Err(CycleError::Store(StoreError::Conflict)) => StoreError::Conflict.to_string(),
        Err(CycleError::Calculation(text)) => capitalised(&text),
        Err(CycleError::Store(error)) => return failure(state, user, &error),
    };
    show(state, user, id, StatusCode::CONFLICT, problem, reason_input).await
}

#[derive(Deserialize)]
pub struct YearForm {
    #[serde(default)]
    ar: String,
}

/// Skapa utkast: stores the year's calculation from the current inputs as its first version.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<YearForm>,
) -> Response {
    let year = year_of(&state, &form.ar).await;
    let text = match cycle::create_draft(&state, &user, year).await {
        Ok(id) => return Redirect::to(&format!("/tillagg/versioner/{id}")).into_response(),
        Err(CycleError::Store(StoreError::Refused(refusal))) => refusal.to_string(),
        Err(CycleError::Calculation(text)) => format!("{}.", capitalised(&text)),
        Err(CycleError::Store(error)) => return failure(&state, &user, &error),
    };
    message_page(
        &state,
        Some(&user),
        StatusCode::CONFLICT,
        "Utkastet skapades inte",
        &text,
    )
}

/// The step as the confirmation page sends it; the decision's three fields only for beslutat.
#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    till: String,
    #[serde(default)]
    organ: String,
    #[serde(default)]
    beslutsdatum: String,
    #[serde(default)]
    protokoll: String,
}

#[derive(Template)]
#[template(path = "additional_amount/confirm_step.html")]
struct ConfirmStepPage {
    layout: Layout,
    id: String,
    year: i16,
    version: i32,
    step: DecisionStatus,
    total: String,
    form: StepForm,
    errors: FieldErrors,
}

/// The confirmation of a step that cannot be undone: what will happen, and for a decision who
/// made it, when, and where it is minuted.
async fn confirm_page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: StepForm,
    errors: Vec<FieldError>,
) -> Response {
    let (version, statement, _) = match load(state, id).await {
        Ok(found) => found,
        Err(error) => return failure(state, user, &error),
    };
    let s = &version.summary;
    let Some(step) = DecisionStatus::parse(&form.till).filter(|t| s.status.next() == Some(*t))
    else {
        return Redirect::to(&format!("/tillagg/versioner/{}", s.id)).into_response();
    };
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &ConfirmStepPage {
            layout: Layout::build(
                state,
                &format!("Bekräfta: {}", step.step_label()),
                Some(user),
            ),
            id: s.id.clone(),
            year: s.year,
            version: s.version,
            step,
            total: whole_kronor(statement.paid),
            form,
            errors,
        },
    )
}

/// `GET /tillagg/versioner/{id}/steg?till=…`: the confirmation page.
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(form): Query<StepForm>,
) -> Response {
    confirm_page(&state, &user, id, form, Vec::new()).await
}

pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<StepForm>,
) -> Response {
    let Some(to) = DecisionStatus::parse(&form.till) else {
        return show(
            &state,
            &user,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Välj ett steg i beslutsgången.".into(),
            String::new(),
        )
        .await;
    };
    let record = if to == DecisionStatus::Decided {
        match DecisionRecord::parse(
            &form.organ,
            &form.beslutsdatum,
            &form.protokoll,
            state.today(),
        ) {
            Ok(record) => Some(record),
            Err(errors) => return confirm_page(&state, &user, id, form, errors).await,
        }
    } else {
        None
    };
    let result = cycle::advance(&state, &user, &id, to, record)
        .await
        .map(|()| id.clone());
    after(&state, &user, id, result, String::new()).await
}

/// Räkna om: a draft takes the current inputs; anything else is refused with the reason.
pub async fn recompute(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let result = cycle::recompute(&state, &id).await.map(|()| id.clone());
    after(&state, &user, id, result, String::new()).await
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    skal: String,
}

/// Rätta: a new draft from the current inputs, with the reason; the decided version stays.
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CorrectionForm>,
) -> Response {
    let result = cycle::correct(&state, &user, &id, &form.skal).await;
    after(&state, &user, id, result, form.skal).await
}

/// A version with its statement, and its year's versions (whose states decide what it may do).
async fn load(
    state: &AppState,
    id: String,
) -> Result<(StoredVersion, Statement, Vec<VersionSummary>), StoreError> {
    let (version, all) = state
        .db(move |c| {
            let version = store::version(c, &id)?;
            let all = store::versions_of(c, version.summary.year)?;
            Ok((version, all))
        })
        .await?;
    let statement = stored_statement(&version)?;
    Ok((version, statement, all))
}

fn states(all: &[VersionSummary]) -> Vec<VersionState> {
    all.iter().map(VersionSummary::state).collect()
}

/// Beslutsdokumentet: printable, with the table, the totals, the provenance and the rule version.
pub async fn decision_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let (version, statement, all) = match load(&state, id).await {
        Ok(found) => found,
        Err(error) => return failure(&state, &user, &error),
    };
    let s = &version.summary;
    let replaced = match may_pay_or_correct(&states(&all), s.state()) {
        Err(refusal @ Refusal::Replaced { .. }) => refusal.to_string(),
        _ => String::new(),
    };
    let decided = version
        .events
        .iter()
        .find(|e| e.status == DecisionStatus::Decided)
        .map(|e| format!("Beslutat {} av {}", local_time(&state, e.at), e.by))
        .unwrap_or_else(|| format!("{} – inte beslutat", s.status.label()));
    let layout = Layout::new(
        &state,
        &format!("Beslut om tilläggsbelopp {}", s.year),
        Some(&user),
    )
    .await;
    render(
        StatusCode::OK,
        &DecisionDocument {
            layout,
            region: state.rules.region_name.clone(),
            year: s.year,
            version: s.version,
            status: s.status.label(),
            decided,
            replaced,
            reason: s.reason.clone().unwrap_or_default(),
            view: StatementView::new(&state, &statement).expanded(),
        },
    )
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    match load(&state, id).await {
        Ok((v, s, _)) => match to_xlsx(&s) {
            Ok(bytes) => download(
                XLSX,
                &format!(
                    "tillaggsbelopp-{}-version-{}.xlsx",
                    v.summary.year, v.summary.version
                ),
                bytes,
            ),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(error) => failure(&state, &user, &error),
    }
}

/// Utbetalningsunderlaget per kommun, only from a decided version.
pub async fn payment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, format)): Path<(String, String)>,
) -> Response {
    let (version, statement, all) = match load(&state, id.clone()).await {
        Ok(found) => found,
        Err(error) => return failure(&state, &user, &error),
    };
    let s = &version.summary;
    if let Err(refusal) = may_pay_or_correct(&states(&all), s.state()) {
        let text = match refusal {
            Refusal::NothingToCorrect => format!(
                "Version {} är inte beslutad. Utbetalningsunderlag tas bara fram ur ett beslut.",
                s.version
            ),
            other => other.to_string(),
        };
        return show(&state, &user, id, StatusCode::CONFLICT, text, String::new()).await;
    }
    let label = format!(
        "Tilläggsbelopp {} version {} ({}), regler {}, totalt {}",
        s.year,
        s.version,
        s.status.label().to_lowercase(),
        statement.rules,
        whole_kronor(statement.paid)
    );
    let name = format!("utbetalningsunderlag-{}-version-{}", s.year, s.version);
    match format.as_str() {
        "csv" => download(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            payment_csv(&statement, &label),
        ),
        "xlsx" => match payment_xlsx(&statement, &label) {
            Ok(bytes) => download(XLSX, &format!("{name}.xlsx"), bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
