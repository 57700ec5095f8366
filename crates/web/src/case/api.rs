//! The requests over the JSON API under `/api/v1/requests`: the same use cases as the pages.

use crate::AppState;
use crate::case::case_file as casework;
use crate::case::views::RequestView;
use crate::case::workflow::{self, CareRequestBody, StepInput};
use crate::shared::error::{ApiError, ApiJson};
use crate::shared::idempotency::{self, Retry};
use crate::shared::session::CurrentUser;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use samsyn_domain::Action;
use samsyn_domain::case::consent::Consent;
use samsyn_store::case::consent::RecordedConsent;
use samsyn_store::case::listing::{Criteria, Cursor, Order};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// This part's paths in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_requests,
    create_request,
    register_self_referral,
    get_request,
    update_request,
    take_step,
    case_file,
    add_assessment,
    withdraw_consent,
    update_track,
    home_check
))]
pub struct Paths;

/// Begäran om hälso- och sjukvård i hemmet.
#[derive(Serialize, ToSchema)]
pub struct CareRequestDto {
    pub id: String,
    /// `utkast`, `skickad`, `vidarebefordrad`, `kvitterad`, `under_bedomning`, `beslut_foreslaget`, `beslutad`,
    /// `planerad`, `pagaende`, `avslut_foreslaget`, `avslutad` or `aterkallad`.
    pub state: String,
    /// Personnummer (`ÅÅÅÅMMDDNNNN`) or reservnummer, as registered.
    pub personnummer: String,
    pub patient_name: String,
    /// SCB municipality code of the person's home municipality.
    pub home_municipality: String,
    /// Skyddad identitet: the address and telephone are then given only to the staff working
    /// the case, never in a list.
    pub protected_identity: bool,
    /// Where the care is given; absent where it is not to be shown.
    pub patient_address: Option<String>,
    pub patient_phone: Option<String>,
    /// `primarvard`, `specialiserad`, `utskrivning` or `rehabilitering`.
    pub track: String,
    /// What has been recorded for the track (criteria, SIP, ViSam facts).
    #[schema(value_type = Object)]
    pub track_details: serde_json::Value,
    pub sender_unit_id: String,
    pub sender_unit_name: String,
    pub receiver_unit_id: String,
    pub receiver_unit_name: String,
    pub situation: String,
    pub background: String,
    pub current_assessment: String,
    pub recommendation: String,
    pub fixed_doctor_name: String,
    pub fixed_doctor_phone: String,
    pub prescriber_name: String,
    pub prescriber_phone: String,
    pub care_contact_name: String,
    pub care_contact_phone: String,
    pub health_centre_name: String,
    pub health_centre_phone: String,
    pub created_by: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub sent_by: Option<String>,
    /// Last day (local date) for the municipality's acknowledgement.
    pub acknowledgement_due: Option<String>,
    /// `forsenad`, `idag`, `snart`, `i_tid`, `kvitterad` or `kvitterad_sent`.
    pub deadline_status: Option<String>,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<String>,
    /// The rule set that fixed the deadline, e.g. `orebro-2025 v1`.
    pub rule_set: String,
    /// Samtycke, or the basis for sending without it; absent in a draft not yet given one.
    pub consent: Option<ConsentDto>,
    /// Send back on writes; a stale version answers 409.
    pub version: i64,
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

impl CareRequestDto {
    fn from_view(view: RequestView) -> Self {
        let deadline_status = view.deadline.map(|d| d.code().to_owned());
        let r = view.request;
        let t = r.text;
        CareRequestDto {
            id: r.id,
            state: r.state.code().to_owned(),
            personnummer: t.personnummer,
            patient_name: t.patient_name,
            home_municipality: t.home_municipality,
            protected_identity: r.patient.protected_identity,
            patient_address: non_empty(t.patient_address),
            patient_phone: non_empty(t.patient_phone),
            track: r.track.track().code().to_owned(),
            track_details: serde_json::to_value(&r.track).unwrap_or_default(),
            sender_unit_id: r.sender_unit_id,
            sender_unit_name: r.sender_unit_name,
            receiver_unit_id: r.receiver_unit_id,
            receiver_unit_name: r.receiver_unit_name,
            situation: t.situation,
            background: t.background,
            current_assessment: t.current_assessment,
            recommendation: t.recommendation,
            fixed_doctor_name: t.fixed_doctor_name,
            fixed_doctor_phone: t.fixed_doctor_phone,
            prescriber_name: t.prescriber_name,
            prescriber_phone: t.prescriber_phone,
            care_contact_name: t.care_contact_name,
            care_contact_phone: t.care_contact_phone,
            health_centre_name: t.health_centre_name,
            health_centre_phone: t.health_centre_phone,
            created_by: r.created_by_name,
            created_at: r.created_at.to_string(),
            sent_at: non_empty(view.sent_at),
            sent_by: r.sent_by_name,
            acknowledgement_due: non_empty(view.due),
            deadline_status,
            acknowledged_at: non_empty(view.acknowledged_at),
            acknowledged_by: r.acknowledged_by_name,
            rule_set: r.rule_set,
            consent: r.consent.map(ConsentDto::from),
            version: r.version,
        }
    }
}

/// Samtycke as recorded on a case.
#[derive(Serialize, ToSchema)]
pub struct ConsentDto {
    /// `samtycke`, or `grund` when sent without consent on a recorded basis.
    pub kind: String,
    pub given_by: Option<String>,
    /// `muntligt`, `skriftligt` or `digitalt`.
    pub way: Option<String>,
    pub given_on: Option<String>,
    pub basis: Option<String>,
    pub judged_by: Option<String>,
    /// When the person withdrew consent; from then on nothing more passes between the parties.
    pub withdrawn_at: Option<String>,
    pub withdrawal_note: Option<String>,
}

impl From<RecordedConsent> for ConsentDto {
    fn from(recorded: RecordedConsent) -> Self {
        let mut dto = ConsentDto {
            kind: recorded.consent.code().to_owned(),
            given_by: None,
            way: None,
            given_on: None,
            basis: None,
            judged_by: None,
            withdrawn_at: recorded.withdrawal.as_ref().map(|w| w.at.to_string()),
            withdrawal_note: recorded.withdrawal.map(|w| w.note),
        };
        match recorded.consent {
            Consent::Given {
                given_by,
                way,
                given_on,
            } => {
                dto.given_by = Some(given_by);
                dto.way = Some(way.code().to_owned());
                dto.given_on = Some(given_on.to_string());
            }
            Consent::Basis { reason, judged_by } => {
                dto.basis = Some(reason);
                dto.judged_by = Some(judged_by);
            }
        }
        dto
    }
}

/// Which cases `GET /api/v1/requests` lists, and where the page starts.
#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListParams {
    /// Cases a page, 1–200; 50 when left out.
    pub limit: Option<u32>,
    /// The `after` of the previous page's `Link: rel="next"`; left out for the first page.
    pub after: Option<String>,
    /// Only cases in this state (`skickad`, `kvitterad`, `beslut_foreslaget`, …).
    pub state: Option<String>,
    /// Only cases whose next open deadline is `forsenad`, `idag`, `snart` or `i_tid`, or whose
    /// kvittens was `kvitterad` (in time) or `kvitterad_sent` (late).
    pub deadline: Option<String>,
    /// `true`: only cases the caller has written or taken a step on.
    pub mine: bool,
    /// `newest` for newest first; otherwise the most pressing deadline first.
    pub order: Option<String>,
}

impl ListParams {
    /// The store's criteria, or the field that is wrong.
    fn criteria(&self) -> Result<Criteria, ApiError> {
        let invalid = |field: &'static str, message: &str| {
            ApiError::from(workflow::field_error(field, message))
        };
        let limit = self.limit.unwrap_or(workflow::PAGE_SIZE);
        if !(1..=200).contains(&limit) {
            return Err(invalid("limit", "limit ska vara mellan 1 och 200."));
        }
        let after = match self.after.as_deref() {
            None | Some("") => None,
            Some(text) => Some(Cursor::parse(text).ok_or_else(|| {
                invalid(
                    "after",
                    "after är inte ett värde från en tidigare sidas länk.",
                )
            })?),
        };
        let state = match self.state.as_deref() {
            None | Some("") => None,
            Some(code) if samsyn_domain::CaseState::CODES.contains(&code) => Some(code.to_owned()),
            Some(_) => return Err(invalid("state", "Okänd status.")),
        };
        let deadline = match self.deadline.as_deref() {
            None | Some("") => None,
            Some(code) => Some(
                workflow::deadline_filter(code)
                    .ok_or_else(|| invalid("deadline", "Okänd frist."))?,
            ),
        };
        let order = match self.order.as_deref() {
            None | Some("") | Some("deadline") => Order::Urgency,
            Some("newest") => Order::Newest,
            Some(_) => return Err(invalid("order", "order ska vara deadline eller newest.")),
        };
        Ok(Criteria {
            patient_id: None,
            state,
            deadline,
            mine: self.mine,
            order,
            after,
            limit,
        })
    }

    /// The query of the page after `cursor`, with the same filters.
    fn next(&self, limit: u32, cursor: &Cursor) -> String {
        let mut pairs = vec![("limit", limit.to_string()), ("after", cursor.encode())];
        for (key, value) in [
            ("state", &self.state),
            ("deadline", &self.deadline),
            ("order", &self.order),
        ] {
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                pairs.push((key, value.clone()));
            }
        }
        if self.mine {
            pairs.push(("mine", "true".to_owned()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// A page of the unit's cases, the most pressing deadline first. The next page is in the
/// `Link` header (`rel="next"`, absent on the last page); `X-Total-Count` says how many cases
/// match the filters over all pages.
#[utoipa::path(tag = "begaran", get, path = "/api/v1/requests", params(ListParams),
    responses((status = 200, body = Vec<CareRequestDto>,
               headers(("Link" = String, description = "rel=\"next\": the next page"),
                       ("X-Total-Count" = i64, description = "matching cases over all pages"))),
              (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let criteria = params.criteria()?;
    let (page, counts) = workflow::list(&state, &user, criteria.clone(), true).await?;
    let total = counts
        .map(|c| c.matching(criteria.state.as_deref(), criteria.deadline))
        .unwrap_or(0);
    let body: Vec<CareRequestDto> = page
        .cases
        .into_iter()
        .map(|r| CareRequestDto::from_view(RequestView::new(&state, r)))
        .collect();
    let mut response = Json(body).into_response();
    let headers = response.headers_mut();
    if let Some(cursor) = &page.next {
        let link = format!(
            "</api/v1/requests?{}>; rel=\"next\"",
            params.next(criteria.limit, cursor)
        );
        if let Ok(value) = HeaderValue::from_str(&link) {
            headers.insert(header::LINK, value);
        }
    }
    headers.insert("x-total-count", HeaderValue::from(total));
    Ok(response)
}

/// Writes a request (a draft, or sent with `send: true`). With an `Idempotency-Key` header a
/// retry of the same body within 24 hours gets the case the first call created (201,
/// `Idempotent-Replayed: true`) instead of a second one; the key with another body is refused.
#[utoipa::path(tag = "begaran", post, path = "/api/v1/requests", request_body = workflow::CareRequestBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters, new for each request")),
    responses((status = 201, body = CareRequestDto), (status = 422, body = crate::shared::error::ErrorEnvelope),
              (status = 403, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn create_request(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CareRequestBody>,
) -> Result<Response, ApiError> {
    let (input, send, _) = body.into_input();
    let retry = Retry::from_headers(&headers, "/api/v1/requests", &input, send)?;
    let created = workflow::create(&state, &user, input, send, retry).await?;
    let replayed = created.replayed;
    let mut response = (
        StatusCode::CREATED,
        Json(CareRequestDto::from_view(RequestView::new(
            &state,
            created.case,
        ))),
    )
        .into_response();
    if replayed {
        response
            .headers_mut()
            .insert(idempotency::REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// Egenvårdsbegäran: the rehab team registers a request the person made to it herself. The
/// track is rehabilitation and the initiator the person, whatever the body says; `send`,
/// `version` and the consent fields are not read.
#[utoipa::path(tag = "begaran", post, path = "/api/v1/self-referrals", request_body = workflow::CareRequestBody,
    responses((status = 201, body = CareRequestDto), (status = 422, body = crate::shared::error::ErrorEnvelope),
              (status = 403, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn register_self_referral(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CareRequestBody>,
) -> Result<(StatusCode, Json<CareRequestDto>), ApiError> {
    let (input, _, _) = body.into_input();
    let request = workflow::register_egenvardsbegaran(&state, &user, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CareRequestDto::from_view(RequestView::new(&state, request))),
    ))
}

#[utoipa::path(tag = "begaran", get, path = "/api/v1/requests/{id}",
    params(("id" = String, Path, description = "Request id")),
    responses((status = 200, body = CareRequestDto), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CareRequestDto>, ApiError> {
    let (request, _) = workflow::open(&state, &user, id).await?;
    Ok(Json(CareRequestDto::from_view(RequestView::new(
        &state, request,
    ))))
}

#[utoipa::path(tag = "begaran", put, path = "/api/v1/requests/{id}", request_body = workflow::CareRequestBody,
    params(("id" = String, Path, description = "Request id")),
    responses((status = 200, body = CareRequestDto), (status = 409, body = crate::shared::error::ErrorEnvelope),
              (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn update_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CareRequestBody>,
) -> Result<Json<CareRequestDto>, ApiError> {
    let (input, send, version) = body.into_input();
    let request = workflow::update(&state, &user, id, version, input, send).await?;
    Ok(Json(CareRequestDto::from_view(RequestView::new(
        &state, request,
    ))))
}

#[utoipa::path(tag = "begaran", post, path = "/api/v1/requests/{id}/steps/{step}", request_body = StepInput,
    params(("id" = String, Path, description = "Case id"),
           ("step" = String, Path, description = "skicka, kvittera, vidarebefordra, aterkalla, paborja-bedomning, foresla-inskriven (care_level from the rule set, start_date, responsible_units, interventions, intervention_kind punktinsats|samordnad, shared_responsibility ja|nej for punktinsats), foresla-ej-inskriven (reason), bekrafta-beslut (by the other party), besluta-oenighet (reason), planera, starta, avsluta (ej inskriven), foresla-avslut (closure_reason, next_contact, handover), bekrafta-avslut (by the other party), avboj-avslut (note), avsluta-rehabilitering (the rehab team's arbetsterapeut or fysioterapeut alone; closure_reason, next_contact, handover), besluta-inskriven / besluta-ej-inskriven (the rehab team alone, on an egenvårdsbegäran it registered; the decision fields) or lamna-over-till-vardcentral (track 3, the hospital; hand_over_to: a vårdcentral's unit id)")),
    responses((status = 200, body = CareRequestDto), (status = 409, body = crate::shared::error::ErrorEnvelope),
              (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn take_step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, step)): Path<(String, String)>,
    ApiJson(body): ApiJson<StepInput>,
) -> Result<Json<CareRequestDto>, ApiError> {
    let action = Action::from_code(&step).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_step",
            "Det steget finns inte.",
        )
    })?;
    let case = workflow::step(&state, &user, id, action, body).await?;
    Ok(Json(CareRequestDto::from_view(RequestView::new(
        &state, case,
    ))))
}

/// One entry of the case's timeline.
#[derive(Serialize, ToSchema)]
pub struct EventDto {
    pub at: String,
    pub user_name: String,
    pub unit_name: String,
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentDto {
    /// `avsandare` or `mottagare`.
    pub side: String,
    pub at: String,
    pub user_name: String,
    pub unit_name: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionDto {
    pub at: String,
    pub user_name: String,
    pub outcome: String,
    /// The vårdnivå's code in the rule set (`[enrollment] care_levels`).
    pub care_level: String,
    pub start_date: Option<String>,
    pub responsible_units: String,
    /// `punktinsats` or `samordnad`; absent for other outcomes.
    pub intervention_kind: Option<String>,
    /// The insatser that pass to the municipality.
    pub interventions: String,
    /// For punktinsatser: whether the parties share the responsibility.
    pub shared_responsibility: Option<bool>,
    pub reason: String,
    pub joint_planning_due: Option<String>,
    /// When the other party confirmed the proposed decision; absent while it is a proposal, and
    /// for oenighet.
    pub confirmed_at: Option<String>,
    /// Who confirmed it, and at which unit.
    pub confirmed_by: Option<String>,
}

/// A proposal to end the care (avslut), and how the other party answered it.
#[derive(Serialize, ToSchema)]
pub struct ClosureDto {
    pub at: String,
    pub user_name: String,
    pub unit_name: String,
    pub reason: String,
    /// Where the person turns next time, as they were told.
    pub next_contact: String,
    /// Information passed on to a following form of care; empty when none.
    pub handover: String,
    /// `bekraftat` or `avbojt`; absent while the proposal waits.
    pub answer: Option<String>,
    pub answered_at: Option<String>,
    pub answered_by: Option<String>,
    pub answer_note: Option<String>,
}

/// Gemensam planering with the person, as recorded with the step to `planerad`.
#[derive(Serialize, ToSchema)]
pub struct PlanningDto {
    /// `ÅÅÅÅ-MM-DD`.
    pub held_on: String,
    /// `hemma`, `digitalt` or `mottagning`.
    pub form: String,
    pub region_participants: String,
    pub municipality_participants: String,
    pub person_took_part: bool,
    pub relatives_took_part: bool,
    /// Why the person did not take part; empty when they did.
    pub absence_reason: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// The whole case: the request, its timeline and the joint work.
#[derive(Serialize, ToSchema)]
pub struct CaseFileDto {
    pub case: CareRequestDto,
    pub events: Vec<EventDto>,
    pub assessments: Vec<AssessmentDto>,
    pub decisions: Vec<DecisionDto>,
    /// Proposals to end the care, oldest first.
    pub closures: Vec<ClosureDto>,
    /// The joint planning with the person, once recorded.
    pub joint_planning: Option<PlanningDto>,
    /// Why a decision to enroll cannot be recorded yet.
    pub enrollment_blockers: Vec<String>,
    /// Step codes this user may take now.
    pub allowed_steps: Vec<String>,
}

#[utoipa::path(tag = "begaran", get, path = "/api/v1/requests/{id}/case-file",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CaseFileDto), (status = 404, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn case_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CaseFileDto>, ApiError> {
    let file = casework::case_file(&state, &user, id, false).await?;
    let at = |t: jiff::Timestamp| t.to_string();
    Ok(Json(CaseFileDto {
        events: file
            .events
            .into_iter()
            .map(|e| EventDto {
                at: at(e.at),
                user_name: e.user_name,
                unit_name: e.unit_name,
                kind: e.kind,
                from_state: e.from_state,
                to_state: e.to_state,
                note: e.note,
            })
            .collect(),
        assessments: file
            .assessments
            .into_iter()
            .map(|a| AssessmentDto {
                side: a.side.code().into(),
                at: at(a.at),
                user_name: a.user_name,
                unit_name: a.unit_name,
                text: a.text,
            })
            .collect(),
        decisions: file
            .decisions
            .into_iter()
            .map(|d| DecisionDto {
                at: at(d.at),
                user_name: d.user_name,
                outcome: d.record.outcome.code().into(),
                care_level: d.record.care_level,
                start_date: d.record.start_date.map(|x| x.to_string()),
                responsible_units: d.record.responsible_units,
                intervention_kind: d.record.intervention_kind.map(|k| k.code().into()),
                interventions: d.record.interventions,
                shared_responsibility: d.record.shared_responsibility,
                reason: d.record.reason,
                joint_planning_due: d.record.joint_planning_due.map(|x| x.to_string()),
                confirmed_at: d.confirmed.as_ref().map(|c| at(c.0)),
                confirmed_by: d.confirmed.map(|c| format!("{}, {}", c.1, c.2)),
            })
            .collect(),
        joint_planning: file.planning.map(|s| PlanningDto {
            held_on: s.planning.held_on.to_string(),
            form: s.planning.form.code().into(),
            region_participants: s.planning.region_participants,
            municipality_participants: s.planning.municipality_participants,
            person_took_part: s.planning.person_took_part,
            relatives_took_part: s.planning.relatives_took_part,
            absence_reason: s.planning.absence_reason,
            recorded_at: at(s.recorded_at),
            recorded_by: format!("{}, {}", s.user_name, s.unit_name),
        }),
        closures: file
            .closures
            .into_iter()
            .map(|c| ClosureDto {
                at: at(c.at),
                user_name: c.user_name,
                unit_name: c.unit_name,
                reason: c.proposal.reason,
                next_contact: c.proposal.next_contact,
                handover: c.proposal.handover,
                answer: c.answered.as_ref().map(|a| a.answer.code().to_owned()),
                answered_at: c.answered.as_ref().map(|a| at(a.at)),
                answered_by: c
                    .answered
                    .as_ref()
                    .map(|a| format!("{}, {}", a.user_name, a.unit_name)),
                answer_note: c.answered.map(|a| a.note),
            })
            .collect(),
        enrollment_blockers: file.blockers,
        allowed_steps: file.actions.iter().map(|a| a.code().to_owned()).collect(),
        case: CareRequestDto::from_view(RequestView::new(&state, file.case)),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AssessmentBody {
    pub version: i64,
    pub text: String,
}

#[utoipa::path(tag = "begaran", post, path = "/api/v1/requests/{id}/assessments", request_body = AssessmentBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 204), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssessmentBody>,
) -> Result<StatusCode, ApiError> {
    casework::record_assessment(&state, &user, id, body.version, body.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct WithdrawalBody {
    pub version: i64,
    /// How and to whom the person withdrew consent.
    pub note: String,
}

#[utoipa::path(tag = "begaran", post, path = "/api/v1/requests/{id}/consent/withdrawal", request_body = WithdrawalBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 204), (status = 422, body = crate::shared::error::ErrorEnvelope), (status = 409, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WithdrawalBody>,
) -> Result<StatusCode, ApiError> {
    casework::withdraw_consent(&state, &user, id, body.version, body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct TrackBody {
    pub version: i64,
    /// The track's facts, e.g. `{"PrimaryCare": {"coordination_need": true, "risk": {"instrument": "cfs",
    /// "date": "2026-11-20", "score": 6}, "safe_at_home": true, "digital_care_insufficient": true,
    /// "exception": null}}`.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[utoipa::path(tag = "begaran", put, path = "/api/v1/requests/{id}/track", request_body = TrackBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = CareRequestDto), (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn update_track(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TrackBody>,
) -> Result<Json<CareRequestDto>, ApiError> {
    let details: samsyn_domain::TrackDetails =
        serde_json::from_value(body.details).map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "details har inte spårets form; se dokumentationen.",
            )
        })?;
    let case = casework::update_track(&state, &user, id, body.version, details).await?;
    Ok(Json(CareRequestDto::from_view(RequestView::new(
        &state, case,
    ))))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct HomeCheckBody {
    pub version: i64,
    pub competence_ok: bool,
    pub equipment_ok: bool,
    pub note: String,
    /// Required when competence or equipment is missing.
    pub action_description: String,
    pub action_owner: String,
    /// `ÅÅÅÅ-MM-DD`.
    pub action_due: String,
}

#[utoipa::path(tag = "begaran", post, path = "/api/v1/requests/{id}/home-check", request_body = HomeCheckBody,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 204), (status = 422, body = crate::shared::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn home_check(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HomeCheckBody>,
) -> Result<StatusCode, ApiError> {
    let input = casework::HomeCheckInput {
        competence_ok: body.competence_ok,
        equipment_ok: body.equipment_ok,
        note: body.note,
        action: Some(casework::ActionItemInput {
            description: body.action_description,
            owner: body.action_owner,
            due: body.action_due,
        }),
    };
    casework::record_home_check(&state, &user, id, body.version, input).await?;
    Ok(StatusCode::NO_CONTENT)
}
