//! The router's routes, each declared with its group of the access matrix (docs/SECURITY.md), and
//! the gate that applies the group's rule before the handler reads anything, the body included.
//!
//! Declaring a route without a group is impossible here, and the list of routes is what the
//! access-matrix test walks, so a new route cannot escape the matrix.

use crate::AppState;
use crate::shared::error::{ApiError, WorkflowError, from_workflow};
use crate::shared::layout::workflow_error_page;
use crate::shared::session::{CurrentUser, Unauthenticated};
use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use samsyn_domain::{AccessAction, AccessOutcome, CaseRelation, RouteGroup, Verdict, need_to_know};
use samsyn_store::access_log::{self, Access};
use samsyn_store::case::requests as care_requests;

/// One route: method, path as declared (with `{param}`), and its access group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    pub path: String,
    pub group: RouteGroup,
}

/// Routes being declared: the axum router and the list of what it holds.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }
}

impl Routes {
    pub fn new() -> Self {
        Routes::default()
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &str,
        group: RouteGroup,
        handler: H,
    ) -> Self {
        self.with(Method::GET, path, group, get(handler))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &str,
        group: RouteGroup,
        handler: H,
    ) -> Self {
        self.with(Method::POST, path, group, post(handler))
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &str,
        group: RouteGroup,
        handler: H,
    ) -> Self {
        self.with(Method::PUT, path, group, put(handler))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &str,
        group: RouteGroup,
        handler: H,
    ) -> Self {
        self.with(Method::DELETE, path, group, delete(handler))
    }

    /// A route whose method router needs more than a handler (e.g. a larger body limit).
    pub fn with(
        mut self,
        method: Method,
        path: &str,
        group: RouteGroup,
        method_router: MethodRouter<AppState>,
    ) -> Self {
        self.table.push(Route {
            method,
            path: path.to_owned(),
            group,
        });
        self.router = self.router.route(
            path,
            method_router.route_layer(from_fn_with_state(group, gate)),
        );
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    pub fn table(&self) -> &[Route] {
        &self.table
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// Where a request came in, which decides how a refusal is written.
#[derive(Clone, Copy)]
enum Channel {
    Page,
    Api,
    Fhir,
}

fn channel(parts: &Parts) -> Channel {
    let path = parts.uri.path();
    if path.starts_with("/fhir/") {
        Channel::Fhir
    } else if path.starts_with("/api/") {
        Channel::Api
    } else {
        Channel::Page
    }
}

/// The access check of the route's group: the role first, then, for a route about one case,
/// the user's unit's relation to it. A refusal of patient data is an access-log entry. A request
/// without a signed-in user passes on, so the handler answers it as it answers any (sign-in
/// page or 401).
async fn gate(State(group): State<RouteGroup>, request: Request, next: Next) -> Response {
    if group == RouteGroup::Open {
        return next.run(request).await;
    }
    let Some(state) = request.extensions().get::<AppState>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let (mut parts, body) = request.into_parts();
    let user = match CurrentUser::from_request_parts(&mut parts, &state).await {
        Ok(user) => user,
        Err(unavailable @ Unauthenticated::Unavailable(_)) => return unavailable.into_response(),
        Err(_) => return next.run(Request::from_parts(parts, body)).await,
    };
    let case_id = if group.is_about_one_case() {
        RawPathParams::from_request_parts(&mut parts, &state)
            .await
            .ok()
            .and_then(|params| {
                params
                    .iter()
                    .find(|(name, _)| *name == "id")
                    .map(|(_, value)| {
                        // A plan follow-up's `Task` id begins with its case's id.
                        samsyn_fhir::case_of_follow_up(value)
                            .unwrap_or(value)
                            .to_owned()
                    })
            })
    } else {
        None
    };
    match refusal(&state, &user, group, &parts, case_id).await {
        Ok(None) => {
            parts.extensions.insert(user);
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(Some(error)) => match channel(&parts) {
            Channel::Page => workflow_error_page(&state, &user, error),
            Channel::Api => ApiError::from(error).into_response(),
            Channel::Fhir => from_workflow(error),
        },
        Err(error) => match channel(&parts) {
            Channel::Page => workflow_error_page(&state, &user, WorkflowError::Store(error)),
            Channel::Api => ApiError::from(WorkflowError::Store(error)).into_response(),
            Channel::Fhir => from_workflow(WorkflowError::Store(error)),
        },
    }
}

/// Who may use the group's routes, for a refusal by role.
fn who_may(group: RouteGroup) -> &'static str {
    match group {
        RouteGroup::Open | RouteGroup::SignedIn => "",
        RouteGroup::CaseList
        | RouteGroup::CaseCreate
        | RouteGroup::CaseRead
        | RouteGroup::CaseWrite => {
            "Din roll ger inte åtkomst till den här delen av Samsyn. Patientuppgifter visas bara för vårdpersonal med en vårdrelation till ärendet."
        }
        RouteGroup::Figures => {
            "Mätningen, tilläggsbeloppet och utvecklingsbudgeten visas för ekonomer, enhetschefer, samordnare och administratörer."
        }
        RouteGroup::EconomicDecisions => {
            "Utkast, beslut, rättelser, indata och utvecklingsbudgetens beslut förs in av ekonomer och administratörer."
        }
        RouteGroup::Reidentification => {
            "Återidentifiering för rättelser får bara göras av administratörer."
        }
        RouteGroup::AccessLogReview => "Åtkomstloggen visas bara för logggranskare.",
        RouteGroup::Administration => "Konton hanteras av administratörer.",
        RouteGroup::EmergencyAccess => {
            "Nödåtkomst kan bara användas av vårdpersonal (läkare, sjuksköterskor, arbetsterapeuter, fysioterapeuter, samordnare och enhetschefer)."
        }
        RouteGroup::OwnPage => {
            "Min sida är för patienter, inloggade med egen e-legitimation. Logga ut ur Samsyn först."
        }
        RouteGroup::CountyGroup => {
            "Ärenden anmälda till länsgemensam nivå visas för länsgruppens ledamöter."
        }
        RouteGroup::Compilations => {
            "Årssammanställningarna visas för länsgruppen, enhetschefer och samordnare."
        }
        RouteGroup::Deviations | RouteGroup::Deviation => {
            "Avvikelser i samverkan rapporteras och besvaras av personal hos parterna."
        }
        RouteGroup::FollowUp => {
            "Uppföljningen visas för chefsgruppen, Hälsoval, enhetschefer, samordnare och ekonomer."
        }
        RouteGroup::FollowUpDecisions => {
            "Uppföljningsplanen och årsrapporten beslutas av chefsgruppen för samverkan."
        }
        RouteGroup::Survey => {
            "Enkäten besvaras av personal på vårdcentralen och i kommunen som ingår i paret."
        }
        RouteGroup::HealthChoice => "Enkätens par och stickprovet hanteras av Hälsoval.",
    }
}
const HANDED_OVER: &str =
    "Er enhet har lämnat över ärendet. Ni kan läsa det men inte längre skriva i det.";

/// Why the user may not use this route, or `None`. A refusal is logged before it is answered.
async fn refusal(
    state: &AppState,
    user: &CurrentUser,
    group: RouteGroup,
    parts: &Parts,
    case_id: Option<String>,
) -> Result<Option<WorkflowError>, samsyn_store::StoreError> {
    let role = user.user.role;
    let admitted = group.admits(role);
    if admitted && case_id.is_none() {
        return Ok(None);
    }
    if !admitted && !group.holds_patient_data() {
        return Ok(Some(WorkflowError::Forbidden(who_may(group))));
    }
    let actor = user.actor();
    let now = state.clock.now();
    let attempted = attempted_action(group, &parts.method);
    let route = parts.uri.path().to_owned();
    // The check reads on a reader; only a refusal, which is rare, writes (its log entry).
    let looked_up = case_id.clone();
    let reader = actor.clone();
    let (relation, patient) = state
        .read(move |conn| match &looked_up {
            Some(id) => care_requests::relation(conn, &reader, id, now),
            None => Ok((CaseRelation::NoCase, None)),
        })
        .await?;
    let refused = if !admitted {
        WorkflowError::Forbidden(who_may(group))
    } else if need_to_know::verdict(group, role, relation) == Verdict::Refused {
        if relation.is_in_care() {
            WorkflowError::Forbidden(HANDED_OVER)
        } else {
            WorkflowError::NotFound
        }
    } else {
        return Ok(None);
    };
    state
        .db(move |conn| {
            let (object_type, object_id) = match &case_id {
                Some(id) => (care_requests::OBJECT_TYPE, id.as_str()),
                None => ("funktion", route.as_str()),
            };
            access_log::record(
                conn,
                &actor,
                Access {
                    patient_id: patient.as_deref(),
                    action: attempted,
                    object_type,
                    object_id,
                    outcome: AccessOutcome::Denied,
                },
                now,
            )
        })
        .await?;
    Ok(Some(refused))
}

/// What a refused request tried to do, for its access-log entry.
fn attempted_action(group: RouteGroup, method: &Method) -> AccessAction {
    match group {
        RouteGroup::CaseList => AccessAction::List,
        RouteGroup::CaseCreate if method == Method::POST => AccessAction::Create,
        _ if method == Method::GET => AccessAction::Read,
        _ => AccessAction::Update,
    }
}
