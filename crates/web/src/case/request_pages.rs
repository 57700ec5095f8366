//! Begäran om hälso- och sjukvård i hemmet: inbox, form, page, send and acknowledge.

use crate::AppState;
use crate::case::views::RequestView;
use crate::case::workflow::{self, CareRequestBody};
use crate::case::workflow::{PAGE_SIZE, deadline_filter};
use crate::shared::error::{FieldErrors, WorkflowError};
use crate::shared::layout::workflow_error_page;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::case::consent::ConsentWay;
use samsyn_domain::case::track::{RehabInitiator, may_register_egenvardsbegaran};
use samsyn_domain::{CareRequestInput, CaseState, FieldError, Party, Role, Track, UnitKind};
use samsyn_store::case::listing::{Criteria, Cursor, DeadlineFilter, Order, Urgency};
use samsyn_store::case::requests::EGENVARDSBEGARAN_EVENT;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct InboxQuery {
    /// `1`: only the cases the user has written or acted on ("mina ärenden").
    #[serde(default)]
    mina: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    frist: String,
    #[serde(default)]
    sortering: String,
    /// Where the page starts: the previous page's last case (a cursor, not a page number, so a
    /// case that arrives meanwhile does not shift the pages).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    efter: String,
    /// The number of the page's first row, for "visar 51–100".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fran: Option<u32>,
}

impl InboxQuery {
    fn criteria(&self) -> Criteria {
        Criteria {
            patient_id: None,
            state: CaseState::CODES
                .contains(&self.status.as_str())
                .then(|| self.status.clone()),
            deadline: deadline_filter(&self.frist),
            mine: self.mina == "1",
            order: if self.sortering == "nyast" {
                Order::Newest
            } else {
                Order::Urgency
            },
            after: Cursor::parse(&self.efter),
            limit: PAGE_SIZE,
        }
    }
}

#[derive(Template)]
#[template(path = "case/inbox.html")]
struct InboxPage {
    layout: Layout,
    unit_name: String,
    rows: Vec<RequestView>,
    /// The unit's cases (the user's, for Mina ärenden) before the status and deadline filters.
    total: i64,
    /// The cases that match the filters, over all pages.
    matching: i64,
    /// The numbers of the first and last rows on this page.
    first_row: u32,
    last_row: u32,
    overdue: i64,
    due_today: i64,
    due_soon: i64,
    query: InboxQuery,
    is_receiver_unit: bool,
    may_register_egenvardsbegaran: bool,
    states: Vec<(String, &'static str, i64)>,
    /// The joint survey's reminder for the unit's manager, if its answers are due or late.
    survey_reminder: Option<String>,
    /// What needs the unit now: kvittenser, proposals, follow-ups, unread messages.
    attention: Option<crate::case::case_file::Attention>,
    /// This list with its filters, which the live inbox reloads when something happens.
    self_url: String,
    /// The next page, if there is one.
    next_url: Option<String>,
    /// The first page, when this is a later one.
    first_url: Option<String>,
}

const STATE_FILTERS: [(&str, &str); 12] = [
    ("utkast", "Utkast"),
    ("skickad", "Skickad"),
    ("vidarebefordrad", "Vidarebefordrad"),
    ("kvitterad", "Kvitterad"),
    ("under_bedomning", "Under bedömning"),
    ("beslut_foreslaget", "Beslut föreslaget"),
    ("beslutad", "Beslutad"),
    ("planerad", "Planerad"),
    ("pagaende", "Pågående"),
    ("avslut_foreslaget", "Avslut föreslaget"),
    ("avslutad", "Avslutad"),
    ("aterkallad", "Återkallad"),
];

fn inbox_url(query: &InboxQuery) -> String {
    format!(
        "/inkorg?{}",
        serde_urlencoded::to_string(query).unwrap_or_default()
    )
}

pub async fn inbox(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<InboxQuery>,
) -> Response {
    let criteria = query.criteria();
    let (page, counts) = match workflow::list(&state, &user, criteria.clone(), true).await {
        Ok((page, counts)) => (page, counts.unwrap_or_default()),
        Err(error) => return workflow_error_page(&state, &user, error),
    };
    let rows: Vec<RequestView> = page
        .cases
        .into_iter()
        .map(|r| RequestView::new(&state, r))
        .collect();
    let first_row = if criteria.after.is_some() {
        query.fran.unwrap_or(1).max(1)
    } else {
        1
    };
    let next_url = page.next.map(|cursor| {
        inbox_url(&InboxQuery {
            efter: cursor.encode(),
            fran: Some(first_row.saturating_add(PAGE_SIZE)),
            ..query.clone()
        })
    });
    let first_url = criteria.after.is_some().then(|| {
        inbox_url(&InboxQuery {
            efter: String::new(),
            fran: None,
            ..query.clone()
        })
    });
    let last_row = first_row
        .saturating_add(u32::try_from(rows.len()).unwrap_or(0))
        .saturating_sub(1);
    let urgent = |urgency| counts.matching(None, Some(DeadlineFilter::Is(urgency)));
    let attention = crate::case::case_file::attention(&state, &user).await.ok();
    let self_url = inbox_url(&query);
    let layout = Layout::new(&state, "Begäranden", Some(&user)).await;
    let is_receiver_unit = user.unit.kind.is_municipal();
    let survey_reminder = crate::follow_up::survey::reminder(&state, &user).await;
    render(
        StatusCode::OK,
        &InboxPage {
            layout,
            unit_name: user.unit.name.clone(),
            rows,
            total: counts.total(),
            matching: counts.matching(criteria.state.as_deref(), criteria.deadline),
            first_row,
            last_row,
            overdue: urgent(Urgency::Overdue),
            due_today: urgent(Urgency::DueToday),
            due_soon: urgent(Urgency::DueSoon),
            query,
            is_receiver_unit,
            may_register_egenvardsbegaran: may_register_egenvardsbegaran(
                user.unit.kind,
                user.user.role,
            ),
            states: STATE_FILTERS
                .iter()
                .map(|(c, l)| (c.to_string(), *l, counts.matching(Some(c), None)))
                .collect(),
            survey_reminder,
            attention,
            self_url,
            next_url,
            first_url,
        },
    )
}

/// One input of the request form.
pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub multiline: bool,
    pub input_type: &'static str,
    pub required: bool,
}

pub struct FormSection {
    pub legend: &'static str,
    pub fields: Vec<FormField>,
}

#[derive(Template)]
#[template(path = "case/request_form.html")]
struct RequestFormPage {
    layout: Layout,
    heading: &'static str,
    /// The rehab team registers a person's own request: no track to choose, no consent to pass
    /// information between principals, nothing to save as a draft.
    egenvardsbegaran: bool,
    /// Why the user got this form rather than the one she asked for.
    notice: Option<&'static str>,
    action: String,
    version: i64,
    personnummer: FormField,
    patient_name: FormField,
    home_municipality: FormField,
    municipalities: Vec<(String, String)>,
    sections: Vec<FormSection>,
    errors: Vec<FieldError>,
    min_age: i32,
    /// The rule set has the psychiatric sub-process (spår 2's läkemedelshantering).
    psychiatric_offered: bool,
    input: CareRequestInput,
    /// The tracks the user's unit may send; the form asks for one first.
    tracks: Vec<(String, &'static str)>,
    /// The chosen track: the form then asks only for that track's fields.
    chosen: Option<Track>,
    /// A new request may go back to the choice of track.
    may_change_track: bool,
    initiators: Vec<(String, &'static str)>,
    track_error: Option<String>,
    visam_error: Option<String>,
    discharge_error: Option<String>,
    rehab_error: Option<String>,
    patient_address: FormField,
    patient_phone: FormField,
    consent_error: Option<String>,
    consent_way_error: Option<String>,
    consent_ways: Vec<(&'static str, &'static str)>,
    consent_given: Vec<FormField>,
    consent_basis: Vec<FormField>,
}

fn field(
    input: &CareRequestInput,
    errors: &FieldErrors,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
) -> FormField {
    let value = match name {
        "personnummer" => &input.personnummer,
        "patient_name" => &input.patient_name,
        "home_municipality" => &input.home_municipality,
        "situation" => &input.situation,
        "background" => &input.background,
        "current_assessment" => &input.current_assessment,
        "recommendation" => &input.recommendation,
        "fixed_doctor_name" => &input.fixed_doctor_name,
        "fixed_doctor_phone" => &input.fixed_doctor_phone,
        "prescriber_name" => &input.prescriber_name,
        "prescriber_phone" => &input.prescriber_phone,
        "care_contact_name" => &input.care_contact_name,
        "care_contact_phone" => &input.care_contact_phone,
        "health_centre_name" => &input.health_centre_name,
        "patient_address" => &input.patient_address,
        "patient_phone" => &input.patient_phone,
        "consent_given_by" => &input.consent_given_by,
        "consent_given_on" => &input.consent_given_on,
        "consent_basis" => &input.consent_basis,
        "consent_judged_by" => &input.consent_judged_by,
        _ => &input.health_centre_phone,
    };
    FormField {
        name,
        label,
        hint,
        value: value.clone(),
        error: errors.field(name).map(str::to_owned),
        multiline: matches!(
            name,
            "situation" | "background" | "current_assessment" | "recommendation" | "consent_basis"
        ),
        input_type: if name.ends_with("_phone") {
            "tel"
        } else if name.ends_with("_on") {
            "date"
        } else {
            "text"
        },
        required: !name.starts_with("prescriber")
            && !name.starts_with("consent")
            && !name.starts_with("patient_"),
    }
}

/// What the request form writes.
#[derive(Clone, Copy)]
enum FormTarget<'a> {
    /// A new request from a region unit (or municipal staff entering the person's own).
    New,
    /// A draft, by id and the version the user opened.
    Draft(&'a str, i64),
    /// The rehab team's registration of an egenvårdsbegäran.
    Egenvardsbegaran,
    /// Anyone else who opens the registration: the ordinary request to the rehab team, started
    /// by the person, with a word on why.
    RequestForEgenvardsbegaran,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    input: &CareRequestInput,
    errors: Vec<FieldError>,
    target: FormTarget<'_>,
) -> Response {
    let errors = FieldErrors(errors);
    let f = |name, label, hint| field(input, &errors, name, label, hint);
    let mut sections = vec![
        FormSection {
            legend: "Aktuell information enligt SBAR",
            fields: vec![
                f(
                    "situation",
                    "S – Situation",
                    "Personens upplevda behov. Närstående kan företräda personen.",
                ),
                f(
                    "background",
                    "B – Bakgrund",
                    "Fakta om personens hälsotillstånd.",
                ),
                f(
                    "current_assessment",
                    "A – Aktuellt",
                    "Sammanfattning av läkarens bedömning.",
                ),
                f(
                    "recommendation",
                    "R – Rekommendation",
                    "Rekommenderade insatser och målet med kommunal hälso- och sjukvård.",
                ),
            ],
        },
        FormSection {
            legend: "Kontaktuppgifter",
            fields: vec![
                f("fixed_doctor_name", "Fast läkarkontakt", ""),
                f("fixed_doctor_phone", "Telefon till fast läkarkontakt", ""),
                f(
                    "prescriber_name",
                    "Ansvarig ordinator (om annan än fast läkarkontakt)",
                    "Frivilligt.",
                ),
                f(
                    "prescriber_phone",
                    "Telefon till ansvarig ordinator",
                    "Frivilligt.",
                ),
                f("care_contact_name", "Fast vårdkontakt", ""),
                f("care_contact_phone", "Telefon till fast vårdkontakt", ""),
                f("health_centre_name", "Vårdcentral", ""),
                f("health_centre_phone", "Telefon till vårdcentralen", ""),
            ],
        },
    ];
    let egenvardsbegaran = matches!(target, FormTarget::Egenvardsbegaran);
    if egenvardsbegaran {
        // The team is both parties' contact; there is no referrer's contact to give.
        sections.truncate(1);
    }
    let notice = matches!(target, FormTarget::RequestForEgenvardsbegaran)
        .then_some(workflow::EGENVARDSBEGARAN_REFUSAL);
    let (heading, action, version) = match target {
        FormTarget::Draft(id, version) => ("Ändra utkast", format!("/begaran/{id}"), version),
        FormTarget::New | FormTarget::RequestForEgenvardsbegaran => (
            "Ny begäran om hälso- och sjukvård i hemmet",
            "/begaran".to_owned(),
            0,
        ),
        FormTarget::Egenvardsbegaran => (
            "Registrera egenvårdsbegäran",
            EGENVARDSBEGARAN_PATH.to_owned(),
            0,
        ),
    };
    let allowed: Vec<Track> = if egenvardsbegaran {
        vec![Track::Rehabilitation]
    } else {
        state.rules.tracks.sendable_by(user.unit.kind)
    };
    let chosen = Track::from_code(&input.track).filter(|t| allowed.contains(t));
    let mut municipalities: Vec<(String, String)> = state
        .rules
        .municipalities
        .iter()
        .map(|m| (m.code.to_string(), m.name.clone()))
        .collect();
    municipalities.sort_by_key(|a| swedish_order(&a.1));
    let layout = Layout::new(state, heading, Some(user)).await;
    render(
        errors.status(),
        &RequestFormPage {
            layout,
            heading,
            chosen,
            may_change_track: matches!(target, FormTarget::New) && allowed.len() > 1,
            egenvardsbegaran,
            notice,
            action,
            version,
            personnummer: f(
                "personnummer",
                "Personnummer eller reservnummer",
                "ÅÅÅÅMMDD-NNNN. Samordningsnummer går också bra. Saknar personen båda: regionens reservnummer.",
            ),
            patient_name: f("patient_name", "Namn", "För- och efternamn."),
            patient_address: f(
                "patient_address",
                "Adress",
                "Där vården ges: gatuadress, postnummer och ort.",
            ),
            patient_phone: f("patient_phone", "Personens telefon", ""),
            home_municipality: f(
                "home_municipality",
                "Hemkommun",
                "Begäran skickas till hemkommunens hälso- och sjukvård.",
            ),
            municipalities,
            sections,
            track_error: errors.field("track").map(str::to_owned),
            visam_error: errors.field("visam_colour").map(str::to_owned),
            discharge_error: errors.field("discharge_date").map(str::to_owned),
            rehab_error: errors.field("rehab_initiator").map(str::to_owned),
            consent_error: errors.field("consent").map(str::to_owned),
            consent_way_error: errors.field("consent_way").map(str::to_owned),
            consent_ways: ConsentWay::ALL
                .iter()
                .map(|way| (way.code(), way.label()))
                .collect(),
            consent_given: vec![
                f(
                    "consent_given_by",
                    "Vem lämnade samtycket",
                    "Personen själv, eller företrädarens namn och roll.",
                ),
                f("consent_given_on", "Datum för samtycket", "ÅÅÅÅ-MM-DD."),
            ],
            consent_basis: vec![
                f(
                    "consent_basis",
                    "Grund för att skicka utan samtycke",
                    "Till exempel att personen inte kan uttrycka sin vilja. Minst tio tecken.",
                ),
                f(
                    "consent_judged_by",
                    "Vem bedömde det",
                    "Namn och yrke på den som gjorde bedömningen.",
                ),
            ],
            errors: errors.0,
            min_age: state.rules.enrollment.minimum_age,
            psychiatric_offered: state.rules.psychiatric_medication.offered(),
            input: input.clone(),
            tracks: allowed
                .iter()
                .map(|t| (t.code().to_owned(), t.label()))
                .collect(),
            initiators: RehabInitiator::ALL
                .iter()
                .map(|i| (i.code().to_owned(), i.label()))
                .collect(),
        },
    )
}

/// `?spar=` on the new-request form: the track chosen in its first step.
#[derive(Deserialize, Default)]
pub struct NewFormQuery {
    #[serde(default)]
    spar: String,
}

/// `GET /begaran/ny`: first the track (only those the unit may send; none to choose when there
/// is one), then that track's form. The unit's own details are filled in only where they are
/// the request's: a vårdcentral's name and telephone, and its doctor as the fast läkarkontakt.
pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<NewFormQuery>,
) -> Response {
    let allowed: Vec<Track> = state.rules.tracks.sendable_by(user.unit.kind);
    let track = match allowed.as_slice() {
        [] => {
            return crate::shared::layout::message_page(
                &state,
                Some(&user),
                // Not an access refusal: the unit's kind sends no track, and the page says so.
                StatusCode::OK,
                "Din enhet skickar inte begäranden",
                "Begäranden om hälso- och sjukvård i hemmet skickas till er. En person som själv kontaktar rehabteamet registreras som egenvårdsbegäran under Begäranden.",
            );
        }
        [only] => only.code().to_owned(),
        _ => query.spar,
    };
    let from_health_centre = user.unit.kind == UnitKind::HealthCentre;
    let own_doctor = from_health_centre && user.user.role == Role::Doctor;
    let input = CareRequestInput {
        track,
        fixed_doctor_name: if own_doctor {
            user.user.display_name.clone()
        } else {
            String::new()
        },
        fixed_doctor_phone: if own_doctor {
            user.unit.phone.clone()
        } else {
            String::new()
        },
        health_centre_name: if from_health_centre {
            user.unit.name.clone()
        } else {
            String::new()
        },
        health_centre_phone: if from_health_centre {
            user.unit.phone.clone()
        } else {
            String::new()
        },
        consent_given_on: state.today().to_string(),
        ..CareRequestInput::default()
    };
    form_page(&state, &user, &input, Vec::new(), FormTarget::New).await
}

/// A municipality's name as Swedish sorts it: å, ä, ö after z.
fn swedish_order(name: &str) -> Vec<u32> {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' => u32::from('z') + 1,
            'ä' => u32::from('z') + 2,
            'ö' => u32::from('z') + 3,
            other => u32::from(other),
        })
        .collect()
}

/// Where the rehab team registers an egenvårdsbegäran.
pub const EGENVARDSBEGARAN_PATH: &str = "/begaran/egenvardsbegaran";

/// The rehab team's form for a person's own request, taken by telephone: the person and her
/// home municipality (the team's own) filled in where known, the need and the goal to write.
pub async fn egenvardsbegaran_form(State(state): State<AppState>, user: CurrentUser) -> Response {
    if !may_register_egenvardsbegaran(user.unit.kind, user.user.role) {
        let input = CareRequestInput {
            track: Track::Rehabilitation.code().to_owned(),
            rehab_initiator: RehabInitiator::SelfReferral.code().to_owned(),
            consent_given_on: state.today().to_string(),
            ..CareRequestInput::default()
        };
        let target = FormTarget::RequestForEgenvardsbegaran;
        return form_page(&state, &user, &input, Vec::new(), target).await;
    }
    let input = CareRequestInput {
        home_municipality: match user.unit.party {
            Party::Municipality(code) => code.to_string(),
            Party::Region => String::new(),
        },
        ..CareRequestInput::default()
    };
    form_page(
        &state,
        &user,
        &input,
        Vec::new(),
        FormTarget::Egenvardsbegaran,
    )
    .await
}

pub async fn register_egenvardsbegaran(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CareRequestBody>,
) -> Response {
    let (input, _, _) = form.into_input();
    match workflow::register_egenvardsbegaran(&state, &user, input.clone()).await {
        Ok(request) => done(&request.id, EGENVARDSBEGARAN_EVENT),
        Err(WorkflowError::Invalid(errors)) => {
            form_page(&state, &user, &input, errors, FormTarget::Egenvardsbegaran).await
        }
        Err(error) => workflow_error_page(&state, &user, error),
    }
}

pub(crate) fn done(id: &str, what: &str) -> Response {
    crate::shared::layout::done_at(&format!("/begaran/{id}"), what)
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CareRequestBody>,
) -> Response {
    let (input, send, _) = form.into_input();
    match workflow::create(&state, &user, input.clone(), send, None).await {
        Ok(created) => done(&created.case.id, if send { "skickad" } else { "sparad" }),
        Err(WorkflowError::Invalid(errors)) => {
            form_page(&state, &user, &input, errors, FormTarget::New).await
        }
        Err(error) => workflow_error_page(&state, &user, error),
    }
}

/// Opens a draft in the form again.
pub async fn edit_form(state: &AppState, user: &CurrentUser, id: String) -> Response {
    match workflow::open(state, user, id.clone()).await {
        Ok((request, _)) if request.state == CaseState::Draft => {
            form_page(
                state,
                user,
                &request.text,
                Vec::new(),
                FormTarget::Draft(&id, request.version),
            )
            .await
        }
        Ok(_) => Redirect::to(&format!("/begaran/{id}")).into_response(),
        Err(error) => workflow_error_page(state, user, error),
    }
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<CareRequestBody>,
) -> Response {
    let (input, send, version) = form.into_input();
    match workflow::update(&state, &user, id.clone(), version, input.clone(), send).await {
        Ok(request) => done(&request.id, if send { "skickad" } else { "sparad" }),
        Err(WorkflowError::Invalid(errors)) => {
            form_page(
                &state,
                &user,
                &input,
                errors,
                FormTarget::Draft(&id, version),
            )
            .await
        }
        Err(error) => workflow_error_page(&state, &user, error),
    }
}

/// The header badge: what needs the unit's attention. Polled by htmx; plain text otherwise.
pub(super) async fn attention(State(state): State<AppState>, user: CurrentUser) -> Response {
    let Ok(attention) = crate::case::case_file::attention(&state, &user).await else {
        return (
            [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
            String::new(),
        )
            .into_response();
    };
    let total = attention.total();
    let text = format!(
        "{} att kvittera, {} förslag att besvara, {} uppföljningar att göra, {} olästa meddelanden",
        attention.to_acknowledge, attention.to_confirm, attention.follow_ups, attention.unread
    );
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
