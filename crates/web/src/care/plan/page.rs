//! The plan page (`/begaran/{id}/plan`): the medicinsk behandlingsplan in force, the draft being
//! written with who has signed and what is missing, the form for the user's party's own items,
//! the follow-ups, every version, and the comparison of two versions.

use crate::AppState;
use crate::care::plan::work::{self, FollowUpForm, PlanForm, seen_marker};
use crate::case::views::local_time;
use crate::shared::error::{FieldErrors, WorkflowError};
use crate::shared::layout::{Layout, done_at, render, workflow_error_page};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::care::follow_up::{FollowUpOutcome, FollowUpStatus, status};
use samsyn_domain::care::treatment_plan::{self, PlanContent, PlanItem, compare, signing_role};
use samsyn_domain::{AccessAction, FieldError, Side, TrackDetails};
use samsyn_store::care::treatment_plan::StoredPlanVersion;
use serde::Deserialize;

/// One version as the page shows it.
pub struct VersionView {
    pub number: i64,
    /// "Fastställd 2026-11-20 10:00", "Utkast" or "Ersatt av version 3".
    pub status: String,
    pub changed: String,
    /// "Regionen: Lena Lind, Vårdcentralen Lindhöjden 2026-11-20 10:00", one per signature.
    pub signatures: Vec<String>,
    /// (label, text, whose item) in the plan's order.
    pub items: Vec<(&'static str, String, &'static str)>,
}

fn party_label(side: Option<Side>) -> &'static str {
    match side {
        Some(Side::Sender) => "Regionen",
        Some(Side::Receiver) => "Kommunen",
        None => "Gemensamt",
    }
}

impl VersionView {
    fn new(state: &AppState, v: &StoredPlanVersion, newer_established: Option<i64>) -> Self {
        let rules = &state.rules.treatment_plan;
        VersionView {
            number: v.number,
            status: match (v.established_at, newer_established) {
                (Some(_), Some(newer)) => format!("Ersatt av version {newer}"),
                (Some(at), None) => format!("Fastställd {}", local_time(state, at)),
                (None, _) => "Utkast".into(),
            },
            changed: format!(
                "{}, {} {}",
                v.changed_by.0,
                v.changed_by.1,
                local_time(state, v.changed_at)
            ),
            signatures: v
                .signatures
                .iter()
                .map(|s| {
                    format!(
                        "{}: {}, {} {}",
                        party_label(Some(s.side)),
                        s.user_name,
                        s.unit_name,
                        local_time(state, s.at)
                    )
                })
                .collect(),
            items: PlanItem::ALL
                .into_iter()
                .map(|item| {
                    (
                        item.label(),
                        item.shown(&v.content, rules),
                        party_label(item.owner()),
                    )
                })
                .collect(),
        }
    }
}

/// The form's values: what the user typed, or the draft's (else the plan in force's) content.
pub struct Typed {
    pub form: PlanForm,
}

impl Typed {
    fn from_content(c: &PlanContent) -> Self {
        Typed {
            form: PlanForm {
                region_doctor_name: c.region_doctor.name.clone(),
                region_doctor_phone: c.region_doctor.phone.clone(),
                region_care_name: c.region_care_contact.name.clone(),
                region_care_phone: c.region_care_contact.phone.clone(),
                municipality_care_name: c.municipality_care_contact.name.clone(),
                municipality_care_phone: c.municipality_care_contact.phone.clone(),
                coordinator: c
                    .coordinator
                    .map(|s| s.code().to_owned())
                    .unwrap_or_default(),
                prognosis: c.prognosis.clone(),
                deterioration: c.deterioration.clone(),
                point_interventions: c.point_interventions.clone(),
                shared_responsibility: match c.shared_responsibility {
                    Some(true) => "ja".into(),
                    Some(false) => "nej".into(),
                    None => String::new(),
                },
                action_plan: c.action_plan.clone(),
                follow_up: c.follow_up.clone(),
                frequency: c.frequency.clone(),
                first_follow_up: c.first_follow_up.map(|d| d.to_string()).unwrap_or_default(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "care/treatment_plan.html")]
struct PlanPage {
    layout: Layout,
    case_id: String,
    person: String,
    notice: &'static str,
    errors: FieldErrors,
    /// The user's party: "regionens" or "kommunens"; empty when the user only reads.
    own: &'static str,
    is_region: bool,
    can_write: bool,
    /// The user may sign the draft now; otherwise `sign_blocked` says why not, if it applies.
    can_sign: bool,
    sign_blocked: String,
    seen: i64,
    established: Option<VersionView>,
    draft: Option<VersionView>,
    /// Items the draft still lacks.
    missing: Vec<&'static str>,
    typed: PlanForm,
    frequencies: Vec<(String, String)>,
    versions: Vec<VersionView>,
    next_follow_up: String,
    /// `forsenad`, `snart` or empty, for the deadline style.
    follow_up_code: &'static str,
    follow_up_state: &'static str,
    can_follow_up: bool,
    follow_ups: Vec<(String, String, String, String, String)>,
    outcomes: Vec<(&'static str, &'static str)>,
    follow_up_typed: FollowUpForm,
    /// Track 2, psychiatric medication handling: the responsibilities agreed at the SIP, as
    /// (party, [(responsibility, done)]), part of the plan (§3.2.1).
    responsibilities: Vec<(&'static str, Vec<(String, bool)>)>,
}

/// The SIP's two responsibility lists with what each party has marked done; empty unless the
/// case hands over psychiatric medication handling.
fn sip_responsibilities(
    details: &TrackDetails,
    rules: &samsyn_domain::RuleSet,
) -> Vec<(&'static str, Vec<(String, bool)>)> {
    let TrackDetails::SpecializedCare {
        psychiatric: Some(p),
        ..
    } = details
    else {
        return Vec::new();
    };
    let list = |texts: &[String], done: &[String]| {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), done.contains(&i.to_string())))
            .collect()
    };
    let psych = &rules.psychiatric_medication;
    vec![
        (
            "Psykiatrins ansvar",
            list(&psych.region_responsibilities, &p.region_done),
        ),
        (
            "Kommunens ansvar",
            list(&psych.municipality_responsibilities, &p.municipality_done),
        ),
    ]
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    #[serde(default)]
    klart: String,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<PlanQuery>,
) -> Response {
    let notice = match query.klart.as_str() {
        "sparad" => "Planen är sparad. Den andra partens signatur behövs innan den är fastställd.",
        "signerad" => "Din part har signerat. Planen fastställs när den andra parten har signerat.",
        "faststalld" => "Båda parter har signerat. Planen är fastställd.",
        "uppfoljning" => "Uppföljningen är registrerad och nästa uppföljning är satt.",
        _ => "",
    };
    page(&state, &user, id, notice, Vec::new(), None, None).await
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    notice: &'static str,
    errors: Vec<FieldError>,
    typed: Option<PlanForm>,
    follow_up_typed: Option<FollowUpForm>,
) -> Response {
    let file = match work::plan_file(state, user, id, AccessAction::Read).await {
        Ok(file) => file,
        Err(error) => return workflow_error_page(state, user, error),
    };
    let rules = &state.rules.treatment_plan;
    let side = file.relation.side();
    let open = treatment_plan::is_open(&file.case.state);
    let can_write = side.is_some() && user.user.role.is_clinical() && open;
    let latest_established = file.established().map(|v| v.number);
    let versions: Vec<VersionView> = file
        .versions
        .iter()
        .map(|v| {
            let newer = file
                .versions
                .iter()
                .filter(|o| o.number > v.number && o.established_at.is_some())
                .map(|o| o.number)
                .next();
            VersionView::new(state, v, newer)
        })
        .collect();
    let draft = file.draft();
    let (can_sign, sign_blocked) = match (draft, side) {
        (Some(d), Some(side)) if can_write => {
            match treatment_plan::may_sign(
                &d.content,
                side,
                user.user.role,
                d.signed_by(side).is_some(),
                false,
                rules,
            ) {
                Ok(()) => (true, String::new()),
                Err(refusal) => (false, refusal.message()),
            }
        }
        _ => (false, String::new()),
    };
    let base = draft.or(file.established());
    let typed = typed.unwrap_or_else(|| {
        base.map(|v| Typed::from_content(&v.content).form)
            .unwrap_or_default()
    });
    let today = state.today();
    let (follow_up_code, follow_up_state) =
        match file.follow_up_due.map(|d| status(d, today, rules)) {
            Some(FollowUpStatus::Overdue) => ("forsenad", "Försenad"),
            Some(FollowUpStatus::Due) => ("snart", "Dags"),
            _ => ("", ""),
        };
    let layout = Layout::new(state, "Medicinsk behandlingsplan", Some(user)).await;
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &PlanPage {
            layout,
            errors,
            case_id: file.case.id.clone(),
            person: file.case.patient.name.clone(),
            notice,
            own: match side {
                Some(Side::Sender) if can_write => "regionens",
                Some(Side::Receiver) if can_write => "kommunens",
                _ => "",
            },
            is_region: side == Some(Side::Sender),
            can_write,
            can_sign,
            sign_blocked: if side.is_some_and(|s| signing_role(s) != user.user.role) {
                String::new()
            } else {
                sign_blocked
            },
            seen: seen_marker(&file.versions),
            established: latest_established.and_then(|n| {
                versions
                    .iter()
                    .position(|v| v.number == n)
                    .map(|i| VersionView::new(state, &file.versions[i], None))
            }),
            draft: draft.map(|d| VersionView::new(state, d, None)),
            missing: draft
                .map(|d| d.content.missing(rules).iter().map(|i| i.label()).collect())
                .unwrap_or_default(),
            typed,
            frequencies: rules
                .frequencies
                .iter()
                .map(|f| (f.code.clone(), f.label.clone()))
                .collect(),
            versions,
            next_follow_up: file
                .follow_up_due
                .map(|d| d.to_string())
                .unwrap_or_default(),
            follow_up_code,
            follow_up_state,
            can_follow_up: can_write && file.established().is_some(),
            follow_ups: file
                .follow_ups
                .iter()
                .map(|f| {
                    (
                        f.follow_up.held_on.to_string(),
                        f.follow_up.checked.clone(),
                        f.follow_up.outcome.label().to_owned(),
                        f.follow_up.next_due.to_string(),
                        format!(
                            "{}, {} (plan version {})",
                            f.user_name, f.unit_name, f.plan_version
                        ),
                    )
                })
                .collect(),
            responsibilities: sip_responsibilities(&file.case.track, &state.rules),
            outcomes: FollowUpOutcome::ALL
                .iter()
                .map(|o| (o.code(), o.label()))
                .collect(),
            follow_up_typed: follow_up_typed.unwrap_or_default(),
        },
    )
}

#[derive(Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    seen: i64,
    #[serde(flatten)]
    plan: PlanForm,
}

pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<SaveForm>,
) -> Response {
    match work::save(&state, &user, id.clone(), form.seen, form.plan.clone()).await {
        Ok(_) => done_at(&format!("/begaran/{id}/plan"), "sparad"),
        Err(WorkflowError::Invalid(errors)) => {
            page(&state, &user, id, "", errors, Some(form.plan), None).await
        }
        Err(error) => workflow_error_page(&state, &user, error),
    }
}

#[derive(Deserialize)]
pub struct SignForm {
    #[serde(default)]
    seen: i64,
}

pub async fn sign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<SignForm>,
) -> Response {
    match work::sign(&state, &user, id.clone(), form.seen).await {
        Ok(true) => done_at(&format!("/begaran/{id}/plan"), "faststalld"),
        Ok(false) => done_at(&format!("/begaran/{id}/plan"), "signerad"),
        Err(WorkflowError::Invalid(errors)) => {
            page(&state, &user, id, "", errors, None, None).await
        }
        Err(error) => workflow_error_page(&state, &user, error),
    }
}

pub async fn follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<FollowUpForm>,
) -> Response {
    match work::record_follow_up(&state, &user, id.clone(), form.clone()).await {
        Ok(_) => done_at(&format!("/begaran/{id}/plan"), "uppfoljning#uppfoljning"),
        Err(WorkflowError::Invalid(errors)) => {
            page(&state, &user, id, "", errors, None, Some(form)).await
        }
        Err(error) => workflow_error_page(&state, &user, error),
    }
}

/// Two versions of a plan side by side; shared by the behandlingsplan and the
/// rehabiliteringsplan.
#[derive(Template)]
#[template(path = "care/plan_compare.html")]
pub(crate) struct ComparePage {
    pub layout: Layout,
    /// Where "back" leads: the plan's page or the case's plan panel.
    pub back: String,
    pub person: String,
    pub before: i64,
    pub after: i64,
    /// (label, before, after, changed)
    pub rows: Vec<(&'static str, String, String, bool)>,
    pub changed: usize,
}

/// The two versions to compare, `?fran=1&till=2`.
#[derive(Deserialize, Default)]
pub struct CompareQuery {
    #[serde(default)]
    pub fran: i64,
    #[serde(default)]
    pub till: i64,
}

/// Two versions side by side, item by item, with what changed marked.
pub async fn compare_versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Response {
    let file = match work::plan_file(&state, &user, id, AccessAction::Read).await {
        Ok(file) => file,
        Err(error) => return workflow_error_page(&state, &user, error),
    };
    let find = |n: i64| file.versions.iter().find(|v| v.number == n);
    let rows: Vec<_> = match (find(query.fran), find(query.till)) {
        (Some(before), Some(after)) => {
            compare(&before.content, &after.content, &state.rules.treatment_plan)
                .into_iter()
                .map(|row| {
                    let changed = row.changed();
                    (row.item.label(), row.before, row.after, changed)
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let layout = Layout::new(&state, "Jämför versioner av planen", Some(&user)).await;
    render(
        StatusCode::OK,
        &ComparePage {
            layout,
            back: format!("/begaran/{}/plan", file.case.id),
            person: file.case.patient.name.clone(),
            before: query.fran,
            after: query.till,
            changed: rows.iter().filter(|r| r.3).count(),
            rows,
        },
    )
}

/// The fastställd plan as a PDF to hand to the person; the print is logged.
pub async fn pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let file = match work::plan_file(&state, &user, id, AccessAction::Print).await {
        Ok(file) => file,
        Err(error) => return workflow_error_page(&state, &user, error),
    };
    let Some(version) = file.established() else {
        return crate::shared::layout::message_page(
            &state,
            Some(&user),
            StatusCode::CONFLICT,
            "Ingen fastställd plan",
            "Planen kan skrivas ut när båda parter har signerat den.",
        );
    };
    let document = crate::care::plan::document::document(
        &file.case.patient.name,
        version,
        file.follow_up_due,
        &state.rules,
        state.today(),
    );
    crate::shared::layout::download(
        "application/pdf",
        &format!("behandlingsplan-version-{}.pdf", version.number),
        samsyn_reports::care::plan_pdf::plan_pdf(&document),
    )
}

/// The plan's state in a line, for the case page's panel.
pub fn summary(versions: &[StoredPlanVersion]) -> String {
    let established = versions.iter().rev().find(|v| v.established_at.is_some());
    let draft = versions.last().filter(|v| v.established_at.is_none());
    match (established, draft) {
        (Some(e), Some(d)) => format!(
            "Version {} gäller. Version {} skrivs och väntar på signaturer.",
            e.number, d.number
        ),
        (Some(e), None) => format!("Version {} är fastställd av båda parter.", e.number),
        (None, Some(d)) => format!(
            "Version {} skrivs och är inte fastställd ännu ({} av 2 signaturer).",
            d.number,
            d.signatures.len()
        ),
        (None, None) => "Ingen plan är påbörjad.".into(),
    }
}
