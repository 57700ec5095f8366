//! The request and its case (begäran, ärende): *Hälso- och sjukvård i hemmet primärvårdsnivå* §3
//! — the four ways in, kvittens, the joint assessment and the decision. Pages, JSON API, FHIR,
//! and the use cases they share.

pub mod api;
pub mod case_file;
mod case_page;
pub mod fhir;
mod request_pages;
mod track_form;
pub mod views;
pub mod workflow;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post, put};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inkorg", get(request_pages::inbox))
        .route("/begaran/ny", get(request_pages::new_form))
        .route("/begaran", post(request_pages::create))
        .route(
            "/begaran/{id}",
            get(case_page::show).post(request_pages::update),
        )
        .route("/begaran/{id}/steg/{step}", post(case_page::step))
        .route("/begaran/{id}/bedomning", post(case_page::assessment))
        .route("/begaran/{id}/spar", post(case_page::track))
        .route("/begaran/{id}/hemkontroll", post(case_page::home_check))
        .route(
            "/begaran/{id}/atgard/{item}",
            post(case_page::complete_action_item),
        )
        .route(
            "/begaran/{id}/meddelande",
            post(case_page::message).layer(axum::extract::DefaultBodyLimit::max(
                case_file::MAX_ATTACHMENT_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/begaran/{id}/bilaga/{attachment}",
            get(case_page::attachment),
        )
        .route("/att-gora", get(request_pages::attention))
        .route(
            "/api/v1/requests",
            get(api::list_requests).post(api::create_request),
        )
        .route(
            "/api/v1/requests/{id}",
            get(api::get_request).put(api::update_request),
        )
        .route("/api/v1/requests/{id}/steps/{step}", post(api::take_step))
        .route("/api/v1/requests/{id}/case-file", get(api::case_file))
        .route(
            "/api/v1/requests/{id}/assessments",
            post(api::add_assessment),
        )
        .route("/api/v1/requests/{id}/track", put(api::update_track))
        .route("/api/v1/requests/{id}/home-check", post(api::home_check))
        .nest("/fhir/r4", fhir::routes())
}
