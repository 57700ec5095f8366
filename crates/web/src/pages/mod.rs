//! Server-rendered Swedish pages.

mod additional_amount;
mod additional_amount_history;
mod additional_amount_inputs;
mod additional_amount_simulation;
mod additional_amount_versions;
mod audit;
mod case;
mod development_budget;
mod login;
mod measurement;
mod requests;
mod track_form;

use crate::AppState;
use crate::session::CurrentUser;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use samsyn_domain::Role;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/logga-in", get(login::form).post(login::submit))
        .route("/logga-ut", post(login::logout))
        .route("/inkorg", get(requests::inbox))
        .route("/begaran/ny", get(requests::new_form))
        .route("/begaran", post(requests::create))
        .route("/begaran/{id}", get(case::show).post(requests::update))
        .route("/begaran/{id}/steg/{step}", post(case::step))
        .route("/begaran/{id}/bedomning", post(case::assessment))
        .route("/begaran/{id}/spar", post(case::track))
        .route("/begaran/{id}/hemkontroll", post(case::home_check))
        .route(
            "/begaran/{id}/atgard/{item}",
            post(case::complete_action_item),
        )
        .route(
            "/begaran/{id}/meddelande",
            post(case::message).layer(axum::extract::DefaultBodyLimit::max(
                crate::casework::MAX_ATTACHMENT_BYTES + 64 * 1024,
            )),
        )
        .route("/begaran/{id}/bilaga/{attachment}", get(case::attachment))
        .route("/att-gora", get(attention))
        .route("/logg", get(audit::page).post(audit::search))
        .route("/matning", get(measurement::page))
        .route("/tillagg", get(additional_amount::page))
        .route(
            "/tillagg/simulera",
            get(additional_amount_simulation::page).post(additional_amount_simulation::page_post),
        )
        .route(
            "/tillagg/scenarier",
            post(additional_amount_simulation::save),
        )
        .route(
            "/tillagg/scenarier/{id}",
            get(additional_amount_simulation::saved),
        )
        .route("/tillagg/historik", get(additional_amount_history::page))
        .route(
            "/utvecklingsbudget",
            get(development_budget::page).post(development_budget::add),
        )
        .route(
            "/utvecklingsbudget/export/{format}",
            get(development_budget::export),
        )
        .route("/utvecklingsbudget/{id}", get(development_budget::item))
        .route(
            "/utvecklingsbudget/{id}/beslut",
            post(development_budget::decide),
        )
        .route("/tillagg/underlag", get(additional_amount_inputs::page))
        .route(
            "/tillagg/underlag/import",
            post(additional_amount_inputs::import),
        )
        .route(
            "/tillagg/underlag/pott",
            post(additional_amount_inputs::decide_pot),
        )
        .route(
            "/tillagg/underlag/avstand",
            post(additional_amount_inputs::record_override),
        )
        .route(
            "/tillagg/versioner",
            post(additional_amount_versions::create),
        )
        .route(
            "/tillagg/versioner/{id}",
            get(additional_amount_versions::page),
        )
        .route(
            "/tillagg/versioner/{id}/steg",
            post(additional_amount_versions::step),
        )
        .route(
            "/tillagg/versioner/{id}/rakna-om",
            post(additional_amount_versions::recompute),
        )
        .route(
            "/tillagg/versioner/{id}/rattelse",
            post(additional_amount_versions::correct),
        )
        .route(
            "/tillagg/versioner/{id}/beslut",
            get(additional_amount_versions::decision_document),
        )
        .route(
            "/tillagg/versioner/{id}/export.xlsx",
            get(additional_amount_versions::export_xlsx),
        )
        .route(
            "/tillagg/versioner/{id}/utbetalning/{format}",
            get(additional_amount_versions::payment),
        )
        .route("/tillagg/export.csv", get(additional_amount::export_csv))
        .route("/tillagg/export.xlsx", get(additional_amount::export_xlsx))
        .route("/matning/export.csv", get(measurement::export_csv))
        .route("/matning/export.xlsx", get(measurement::export_xlsx))
        .route(
            "/matning/sok",
            get(measurement::lookup_form).post(measurement::lookup_search),
        )
}

/// The signed-in user as the page header shows them.
pub struct UserView {
    pub name: String,
    pub role: &'static str,
    pub unit: String,
    pub can_write: bool,
    pub can_review_log: bool,
    pub can_view_measurement: bool,
}

/// What every page's frame needs.
pub struct Layout {
    pub title: String,
    pub user: Option<UserView>,
    pub csrf: String,
    pub demo: bool,
    pub rules: String,
}

impl Layout {
    pub async fn new(state: &AppState, title: &str, user: Option<&CurrentUser>) -> Layout {
        Layout::build(state, title, user)
    }

    pub fn build(state: &AppState, title: &str, user: Option<&CurrentUser>) -> Layout {
        Layout {
            title: title.to_owned(),
            user: user.map(|u| UserView {
                name: u.user.display_name.clone(),
                role: u.user.role.label(),
                unit: u.unit.name.clone(),
                can_write: u.user.role.is_clinical(),
                can_review_log: u.user.role == Role::AuditReviewer,
                can_view_measurement: u.user.role.sees_economy(),
            }),
            csrf: user.map(|u| u.csrf_token.clone()).unwrap_or_default(),
            demo: state.demo,
            rules: state.rules.reference(),
        }
    }
}

/// Renders a template into a response with the given status.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sidan kunde inte visas.").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    layout: Layout,
    heading: String,
    text: String,
}

/// A plain page with a heading and a sentence, for errors and confirmations, inside the
/// usual frame (DEMO banner, and the menu when someone is signed in).
pub fn message_page(
    state: &AppState,
    user: Option<&CurrentUser>,
    status: StatusCode,
    heading: &str,
    text: &str,
) -> Response {
    let layout = Layout::build(state, heading, user);
    render(
        status,
        &MessagePage {
            layout,
            heading: heading.to_owned(),
            text: text.to_owned(),
        },
    )
}

/// 403 with the usual frame: who may see the page instead.
pub fn forbidden(state: &AppState, user: &CurrentUser, who_may: &str) -> Response {
    message_page(
        state,
        Some(user),
        StatusCode::FORBIDDEN,
        "Inte tillåtet",
        who_may,
    )
}

/// A file to save: its content type and the name the browser offers.
pub fn download(content_type: &str, filename: &str, body: impl Into<axum::body::Body>) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// Content type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn not_found(State(state): State<AppState>, user: Option<CurrentUser>) -> Response {
    message_page(
        &state,
        user.as_ref(),
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
        "Kontrollera adressen, eller gå till startsidan.",
    )
}

/// The header badge: what needs the unit's attention. Polled by htmx; plain text otherwise.
async fn attention(State(state): State<AppState>, user: CurrentUser) -> Response {
    let (to_acknowledge, unread) = crate::casework::attention(&state, &user)
        .await
        .unwrap_or((0, 0));
    let total = to_acknowledge + unread;
    let text = format!("{to_acknowledge} att kvittera, {unread} olästa meddelanden");
    let badge = format!(
        "<span class=\"badge{}\" title=\"{text}\"><span aria-hidden=\"true\">{total}</span><span class=\"visually-hidden\">{text}</span></span>",
        if total > 0 { " active" } else { "" }
    );
    (
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        badge,
    )
        .into_response()
}

async fn home(user: Option<CurrentUser>) -> Redirect {
    match user {
        Some(_) => Redirect::to("/inkorg"),
        None => Redirect::to("/logga-in"),
    }
}
