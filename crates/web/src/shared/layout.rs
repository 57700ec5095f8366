//! The frame of every page (header, menu, DEMO banner), rendering, and the plain message,
//! refusal (403, 404, 409) and download responses every part uses.

use crate::AppState;
use crate::shared::error::WorkflowError;
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use samsyn_domain::RouteGroup;
use samsyn_domain::case::track_rules::TrackRules;

/// The signed-in user as the page header shows them.
pub struct UserView {
    pub name: String,
    pub role: &'static str,
    pub unit: String,
    /// The menu: only what the role may open.
    pub nav: Vec<NavLink>,
}

/// One entry of the main menu.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    /// The inbox entry carries the count of what needs the unit's attention.
    pub badge: bool,
}

/// Every menu entry with the route group that admits it, in the order of the work.
const MENU: [(&str, &str, RouteGroup); 16] = [
    ("/inkorg", "Begäranden", RouteGroup::CaseList),
    ("/inkorg?mina=1", "Mina ärenden", RouteGroup::CaseList),
    ("/begaran/ny", "Ny begäran", RouteGroup::CaseCreate),
    ("/avvikelser", "Avvikelser", RouteGroup::Deviations),
    ("/nodatkomst", "Nödåtkomst", RouteGroup::EmergencyAccess),
    ("/lansgrupp", "Länsgruppen", RouteGroup::CountyGroup),
    (
        "/oenighet/sammanstallning",
        "Oenighet per år",
        RouteGroup::Compilations,
    ),
    ("/enkat", "Enkät", RouteGroup::Survey),
    ("/uppfoljning", "Uppföljning", RouteGroup::FollowUp),
    ("/logg", "Åtkomstlogg", RouteGroup::AccessLogReview),
    ("/admin/anvandare", "Användare", RouteGroup::Administration),
    ("/admin/enheter", "Enheter", RouteGroup::Administration),
    (
        "/admin/import",
        "Import från HSA",
        RouteGroup::Administration,
    ),
    ("/tillagg", "Tilläggsbelopp", RouteGroup::Figures),
    ("/matning", "Mätning", RouteGroup::Figures),
    (
        "/utvecklingsbudget",
        "Utvecklingsbudget",
        RouteGroup::Figures,
    ),
];

/// The menu of `user`: the entries their role is admitted to; "Ny begäran" only where the unit
/// may send some track.
fn menu(user: &CurrentUser, tracks: &TrackRules) -> Vec<NavLink> {
    let role = user.user.role;
    let sends_some_track = !tracks.sendable_by(user.unit.kind).is_empty();
    MENU.iter()
        .filter(|(_, _, group)| group.admits(role))
        .filter(|(href, _, _)| *href != "/begaran/ny" || sends_some_track)
        .map(|&(href, label, _)| NavLink {
            href,
            label,
            badge: href == "/inkorg",
        })
        .collect()
}

/// What every page's frame needs.
pub struct Layout {
    pub title: String,
    pub user: Option<UserView>,
    pub csrf: String,
    pub demo: bool,
    pub rules: String,
    /// The rule set is a made-up example region: every page says so.
    pub example_region: Option<String>,
    /// Where in the region's agreement each process is written, for the page's text.
    pub cite: std::sync::Arc<crate::shared::cite::Cite>,
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
                nav: menu(u, &state.rules.tracks),
            }),
            csrf: user.map(|u| u.csrf_token.clone()).unwrap_or_default(),
            demo: state.demo,
            rules: state.rules.display_name(),
            example_region: state.rules.example.then(|| state.rules.region_name.clone()),
            cite: state.cite.clone(),
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
#[template(path = "shared/message.html")]
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

/// A refusal as a page: the message for each reason, with the right status.
pub(crate) fn workflow_error_page(
    state: &AppState,
    user: &CurrentUser,
    error: WorkflowError,
) -> Response {
    let message_page =
        |status, heading: &str, text: &str| message_page(state, Some(user), status, heading, text);
    match error {
        WorkflowError::NotFound => message_page(
            StatusCode::NOT_FOUND,
            "Begäran finns inte",
            "Den finns inte, eller så hör den inte till din enhet.",
        ),
        WorkflowError::Forbidden(message) => {
            message_page(StatusCode::FORBIDDEN, "Inte tillåtet", message)
        }
        WorkflowError::Transition(e) => {
            message_page(StatusCode::CONFLICT, "Det gick inte", &e.to_string())
        }
        WorkflowError::Blocked(_) => message_page(
            StatusCode::CONFLICT,
            "Beslutet kan inte registreras ännu",
            "Alla kriterier är inte uppfyllda. Se ärendet.",
        ),
        WorkflowError::Conflict => message_page(
            StatusCode::CONFLICT,
            "Begäran har ändrats",
            "Någon annan har ändrat begäran. Öppna den igen och gör om det du ville.",
        ),
        WorkflowError::Invalid(_) => message_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Uppgifterna är inte kompletta",
            "Kontrollera formuläret.",
        ),
        WorkflowError::Store(samsyn_store::StoreError::Unavailable) => {
            crate::shared::unavailable::page()
        }
        WorkflowError::Store(error) => {
            tracing::error!(%error, "store error");
            message_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Något gick fel",
                "Försök igen om en stund.",
            )
        }
    }
}

/// Back to `path` after a write, with the notice saying what was done.
pub(crate) fn done_at(path: &str, what: &str) -> Response {
    axum::response::Redirect::to(&format!("{path}?klart={what}")).into_response()
}
