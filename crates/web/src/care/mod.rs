//! The care after the decision on the case page: what each party sees and may do once the
//! person is enrolled.
//!
//! `planning.rs`: the joint planning with the person; `sip.rs`: the SIP panel and its use case;
//! `seven_day_plan.rs`: track 3's seven-day plan panel and its use case; `rehab/`: the
//! rehabilitation process's plan (panel and use cases, comparison, JSON API, Min sida); `plan/`:
//! the medicinsk behandlingsplan (use cases, pages, its PDF text);
//! `fhir.rs`: the plan as `CarePlan`, `CareTeam` and follow-up `Task`s; `closure.rs`: avslut
//! proposed by one party and confirmed or declined by the other.

pub mod closure;
pub mod fhir;
pub mod plan;
pub mod planning;
pub mod rehab;
pub mod seven_day_plan;
pub mod sip;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/begaran/{id}/plan", CaseRead, plan::page::show)
        .post("/begaran/{id}/plan", CaseWrite, plan::page::save)
        .post("/begaran/{id}/plan/signera", CaseWrite, plan::page::sign)
        .post(
            "/begaran/{id}/plan/uppfoljning",
            CaseWrite,
            plan::page::follow_up,
        )
        .get("/begaran/{id}/plan/pdf", CaseRead, plan::page::pdf)
        .get("/begaran/{id}/avslut/bekrafta", CaseWrite, closure::confirm)
        .get("/api/v1/requests/{id}/plan", CaseRead, plan::api::get_plan)
        .put(
            "/api/v1/requests/{id}/plan",
            CaseWrite,
            plan::api::save_plan,
        )
        .post(
            "/api/v1/requests/{id}/plan/signature",
            CaseWrite,
            plan::api::sign_plan,
        )
        .post(
            "/api/v1/requests/{id}/plan/follow-ups",
            CaseWrite,
            plan::api::record_follow_up,
        )
        .get(
            "/begaran/{id}/plan/jamfor",
            CaseRead,
            plan::page::compare_versions,
        )
        .get(
            "/api/v1/requests/{id}/rehab-plan",
            CaseRead,
            rehab::api::get_rehab_plan,
        )
        .post(
            "/api/v1/requests/{id}/rehab-plan",
            CaseWrite,
            rehab::api::save_rehab_plan,
        )
        .post(
            "/api/v1/requests/{id}/rehab-plan/follow-ups",
            CaseWrite,
            rehab::api::record_rehab_follow_up,
        )
        .merge(fhir::routes())
}
