//! The ladder page (`/begaran/{id}/oenighet`): every oenighet on the case with its steps, who
//! carries the responsibility meanwhile and how the person's needs are met, and the forms for
//! the step this user may take; on a case in care, the form that raises a new one.

use crate::AppState;
use crate::case::case_file::case_file;
use crate::disagreement::view::DisagreementView;
use crate::disagreement::work::{self, LadderForm, in_care};
use crate::shared::error::{FieldErrors, WorkflowError};
use crate::shared::layout::{Layout, done_at, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use samsyn_domain::FieldError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "disagreement/ladder.html")]
struct LadderPage {
    layout: Layout,
    case_id: String,
    person: String,
    region_hint: String,
    municipality_hint: String,
    notice: &'static str,
    errors: FieldErrors,
    typed: LadderForm,
    disagreements: Vec<DisagreementView>,
    can_open: bool,
    local_days: u32,
}

#[derive(Deserialize, Default)]
pub struct LadderQuery {
    #[serde(default)]
    klart: String,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<LadderQuery>,
) -> Response {
    let notice = match query.klart.as_str() {
        "oenighet-oppnad" => {
            "Oenigheten är registrerad. De namngivna cheferna löser den på lokal nivå; vården fortsätter som beslutat."
        }
        "oenighet-registrerad" => "Nivåns utfall är registrerat.",
        "oenighet-lost" => {
            "Båda parter har bekräftat överenskommelsen. Oenigheten är löst och ansvaret går över enligt den."
        }
        "oenighet-avvisad" => {
            "Överenskommelsen är inte bekräftad. Nivån registrerar ett nytt utfall."
        }
        "oenighet-lyft" => "Frågan är lyft till nästa nivå.",
        "oenighet-anmald" => {
            "Oenigheten är anmäld till länsgruppen. Gruppen ger vägledning; parterna löser frågan."
        }
        _ => "",
    };
    page(&state, &user, id, notice, Vec::new(), LadderForm::default()).await
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: LadderForm,
) -> Response {
    let file = match case_file(state, user, id, false).await {
        Ok(file) => file,
        Err(error) => return workflow_error_page(state, user, error),
    };
    let role = user.user.role;
    let disagreements: Vec<DisagreementView> = file
        .disagreements
        .iter()
        .rev()
        .map(|d| DisagreementView::new(state, &file.case, d, file.side, role))
        .collect();
    let can_open = file.side.is_some()
        && role.is_clinical()
        && in_care(&file.case.state)
        && disagreements.iter().all(|d| d.resolved.is_some());
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &LadderPage {
            layout: Layout::new(state, "Oenighet", Some(user)).await,
            case_id: file.case.id.clone(),
            person: file.case.patient.name.clone(),
            region_hint: format!(
                "Enhetschef eller motsvarande vid {}",
                file.case.sender_unit_name
            ),
            municipality_hint: format!(
                "Enhetschef eller motsvarande vid {}",
                file.case.receiver_unit_name
            ),
            notice,
            errors,
            typed,
            disagreements,
            can_open,
            local_days: state.rules.disagreement.local_working_days,
        },
    )
}

pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<LadderForm>,
) -> Response {
    match work::take_step(&state, &user, id.clone(), form.clone()).await {
        Ok(notice) => done_at(&format!("/begaran/{id}/oenighet"), notice),
        Err(WorkflowError::Invalid(errors)) => page(&state, &user, id, "", errors, form).await,
        Err(error) => workflow_error_page(&state, &user, error),
    }
}
