//! The care after the decision on the case page: what each party sees and may do once the
//! person is enrolled.
//!
//! `planning.rs`: the joint planning with the person; `sip.rs`: the SIP panel and its use case; `plan_work.rs`: the medicinsk
//! behandlingsplan's use cases (versions, signing, follow-ups), shown by `plan_page.rs`;
//! `fhir.rs`: the plan as `CarePlan`, `CareTeam` and follow-up `Task`s; `closure.rs`: avslut
//! proposed by one party and confirmed or declined by the other.

pub mod closure;
pub mod fhir;
pub mod plan_page;
pub mod plan_work;
pub mod planning;
pub mod sip;

use crate::shared::routes::Routes;
use samsyn_domain::RouteGroup::*;

pub fn routes() -> Routes {
    Routes::new()
        .get("/begaran/{id}/plan", CaseRead, plan_page::show)
        .post("/begaran/{id}/plan", CaseWrite, plan_page::save)
        .post("/begaran/{id}/plan/signera", CaseWrite, plan_page::sign)
        .post(
            "/begaran/{id}/plan/uppfoljning",
            CaseWrite,
            plan_page::follow_up,
        )
        .get(
            "/begaran/{id}/plan/jamfor",
            CaseRead,
            plan_page::compare_versions,
        )
        .merge(fhir::routes())
}
