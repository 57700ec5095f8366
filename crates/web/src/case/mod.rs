//! The request and its case (begäran, ärende): *Hälso- och sjukvård i hemmet primärvårdsnivå* §3
//! — the four ways in, kvittens, the joint assessment and the decision. Pages, JSON API, FHIR,
//! and the use cases they share.

pub mod api;
pub mod case_file;
mod case_page;
mod emergency;
pub mod fhir;
pub mod live;
mod request_pages;
mod track_form;
pub mod views;
pub mod workflow;

use crate::shared::routes::Routes;
use axum::http::Method;
use axum::routing::post;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/inkorg", CaseList, request_pages::inbox)
        .get("/nodatkomst", EmergencyAccess, emergency::form)
        .post("/nodatkomst", EmergencyAccess, emergency::open)
        .get("/att-gora", CaseList, request_pages::attention)
        .get("/inkorg/handelser", CaseList, live::events)
        .get("/begaran/ny", CaseCreate, request_pages::new_form)
        .post("/begaran", CaseCreate, request_pages::create)
        .get(
            request_pages::EGENVARDSBEGARAN_PATH,
            CaseCreate,
            request_pages::egenvardsbegaran_form,
        )
        .post(
            request_pages::EGENVARDSBEGARAN_PATH,
            CaseCreate,
            request_pages::register_egenvardsbegaran,
        )
        .get("/begaran/{id}", CaseRead, case_page::show)
        .post("/begaran/{id}", CaseWrite, request_pages::update)
        .post("/begaran/{id}/steg/{step}", CaseWrite, case_page::step)
        .post("/begaran/{id}/bedomning", CaseWrite, case_page::assessment)
        .post("/begaran/{id}/spar", CaseWrite, case_page::track)
        .post("/begaran/{id}/sip", CaseWrite, case_page::sip)
        .post("/begaran/{id}/rehabplan", CaseWrite, case_page::rehab_plan)
        .get(
            "/begaran/{id}/rehabplan/jamfor",
            CaseRead,
            crate::care::rehab::compare::compare_versions,
        )
        .post(
            "/begaran/{id}/rehabplan/uppfoljning",
            CaseWrite,
            case_page::rehab_follow_up,
        )
        .post(
            "/begaran/{id}/sjudagarsplan",
            CaseWrite,
            case_page::seven_day_plan,
        )
        .post(
            "/begaran/{id}/hemkontroll",
            CaseWrite,
            case_page::home_check,
        )
        .post(
            "/begaran/{id}/samtycke/aterkalla",
            CaseWrite,
            case_page::withdraw_consent,
        )
        .post(
            "/begaran/{id}/atgard/{item}",
            CaseWrite,
            case_page::complete_action_item,
        )
        .with(
            Method::POST,
            "/begaran/{id}/meddelande",
            CaseWrite,
            post(case_page::message).layer(axum::extract::DefaultBodyLimit::max(
                case_file::MAX_ATTACHMENT_BYTES + 64 * 1024,
            )),
        )
        .get(
            "/begaran/{id}/bilaga/{attachment}",
            CaseRead,
            case_page::attachment,
        )
        .get("/api/v1/requests", CaseList, api::list_requests)
        .post("/api/v1/requests", CaseCreate, api::create_request)
        .post(
            "/api/v1/self-referrals",
            CaseCreate,
            api::register_self_referral,
        )
        .get("/api/v1/requests/{id}", CaseRead, api::get_request)
        .put("/api/v1/requests/{id}", CaseWrite, api::update_request)
        .post(
            "/api/v1/requests/{id}/steps/{step}",
            CaseWrite,
            api::take_step,
        )
        .get("/api/v1/requests/{id}/case-file", CaseRead, api::case_file)
        .post(
            "/api/v1/requests/{id}/assessments",
            CaseWrite,
            api::add_assessment,
        )
        .post(
            "/api/v1/requests/{id}/consent/withdrawal",
            CaseWrite,
            api::withdraw_consent,
        )
        .put("/api/v1/requests/{id}/track", CaseWrite, api::update_track)
        .post(
            "/api/v1/requests/{id}/home-check",
            CaseWrite,
            api::home_check,
        )
        .merge(fhir::routes())
}
