//! The case page (ärendet): status and deadlines, the steps the user may take, the track's
//! criteria, both parties' assessments, the home check, decisions and the timeline.

use crate::AppState;
use crate::care::closure::ClosureView;
use crate::care::planning::PlanningView;
use crate::care::rehab::panel::{
    self as rehab_panel, RehabFollowUpForm, RehabPlanContext, RehabPlanForm, RehabPlanView,
};
use crate::care::seven_day_plan::{self as seven_day_panel, SevenDayPlanForm, SevenDayPlanView};
use crate::care::sip::{self as sip_panel, SipForm, SipView};
use crate::case::case_file::{self as casework, ActionItemInput, CaseFile, HomeCheckInput};
use crate::case::request_pages::{done, edit_form};
use crate::case::track_form::{Posted, TrackPanel};
use crate::case::views::{RequestView, local_time};
use crate::case::workflow::{self, StepInput};
use crate::shared::error::{FieldErrors, WorkflowError};
use crate::shared::layout::workflow_error_page;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::case::consent::Consent;
use samsyn_domain::case::decision::InterventionKind;
use samsyn_domain::case::rules::EnrollmentRules;
use samsyn_domain::{Action, DecisionOutcome, FieldError, Side};
use samsyn_store::case::requests::EGENVARDSBEGARAN_EVENT;
use serde::Deserialize;

/// A button for one step, with what the step's form needs.
pub struct StepButton {
    pub code: &'static str,
    pub label: &'static str,
    pub needs_note: bool,
    pub is_forward: bool,
    pub is_hand_over: bool,
}

pub struct MessageView {
    pub who: String,
    pub at: String,
    pub body: String,
    pub attachments: Vec<(String, String, String)>,
    pub read_by: String,
}

pub struct TimelineRow {
    pub at: String,
    pub who: String,
    pub what: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "case/case.html")]
struct CasePage {
    layout: Layout,
    view: RequestView,
    file: CaseFile,
    track: TrackPanel,
    steps: Vec<StepButton>,
    decision_steps: Vec<StepButton>,
    timeline: Vec<TimelineRow>,
    assessments: Vec<(String, String, String)>,
    messages: Vec<MessageView>,
    instruments: Vec<(String, String)>,
    can_work: bool,
    is_receiver: bool,
    notice: &'static str,
    problem: String,
    problems: Vec<String>,
    errors: FieldErrors,
    joint_planning_due: String,
    /// Track 3: who handed the region's part over to the vårdcentral, from which unit and when.
    handed_over: Option<String>,
    age: i32,
    /// Nödåtkomst to the person: (who, opened, lasted until, reason).
    emergency: Vec<(String, String, String, String)>,
    consent: ConsentView,
    protected_hidden: &'static str,
    closure: ClosureView,
    planning: PlanningView,
    sip: SipView,
    seven_day: SevenDayPlanView,
    rehab_plan: RehabPlanView,
    /// The plan panel: the plan's state in a line, and whether the plan is written now.
    plan_summary: String,
    plan_open: bool,
    proposed_decision: Option<ProposedDecision>,
    /// The rule set's enrollment section: the vårdnivåer to choose from and name.
    enrollment: EnrollmentRules,
    /// A decision as the user typed it, shown again beside its errors.
    decision_typed: StepInput,
    intervention_kinds: Vec<(&'static str, &'static str)>,
    /// Oenighet: may be registered now (both parties are assessing or one proposed).
    can_disagree: bool,
    /// On a case in care with no open oenighet: either party may raise one.
    can_raise_disagreement: bool,
    disagreements: Vec<crate::disagreement::view::DisagreementView>,
    local_days: u32,
    /// The oenighet form's fields: (name, label, hint, multi-line).
    disagreement_fields: [(&'static str, &'static str, &'static str, bool); 4],
    periods: Periods,
}

/// The rule set's periods as the page says them.
struct Periods {
    /// Gemensam planering: "en vecka" from the decision.
    joint_planning: String,
    /// The hospital's plan at discharge covers this many days, in words ("sju").
    plan_days: String,
    /// Specialised care's doctor responsibility after discharge: "sju dagar".
    doctor_responsibility: String,
}

impl Periods {
    fn of(rules: &samsyn_domain::RuleSet) -> Periods {
        use crate::shared::words::{days, number, period};
        Periods {
            joint_planning: period(rules.joint_planning.calendar_days_after_enrollment),
            plan_days: number(rules.discharge.plan_covers_days),
            doctor_responsibility: days(rules.discharge.doctor_responsibility_days),
        }
    }
}

impl CasePage {
    /// A decision's vårdnivå as the rule set names it; a code no longer listed as stored.
    fn care_level(&self, code: &str) -> String {
        self.enrollment.care_level(code).unwrap_or(code).to_owned()
    }
}

/// The decision one party has proposed, as the other party reads it before confirming.
pub struct ProposedDecision {
    pub outcome: &'static str,
    pub enrolls: bool,
    pub proposed: String,
    pub care_level: String,
    pub start_date: String,
    pub responsible_units: String,
    pub interventions: String,
    /// Punktinsatser or samordnad vård, as the label says it.
    pub kind: &'static str,
    /// For punktinsatser, "Ja" or "Nej"; empty otherwise.
    pub shared: &'static str,
    pub reason: String,
    /// The user's party may confirm it (it did not propose it).
    pub can_confirm: bool,
}

impl ProposedDecision {
    fn new(state: &AppState, file: &CaseFile) -> Option<Self> {
        let outcome = file.case.state.proposed_outcome()?;
        let decision = file
            .decisions
            .iter()
            .rev()
            .find(|d| d.confirmed.is_none() && d.record.outcome == outcome)?;
        Some(ProposedDecision {
            outcome: outcome.label(),
            enrolls: outcome == DecisionOutcome::Enrolled,
            proposed: format!(
                "{}, {} {}",
                decision.user_name,
                decision.unit_name,
                local_time(state, decision.at)
            ),
            care_level: decision.record.care_level.clone(),
            start_date: decision
                .record
                .start_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            responsible_units: decision.record.responsible_units.clone(),
            interventions: decision.record.interventions.clone(),
            kind: decision.record.intervention_kind.map_or("", |k| k.label()),
            shared: match decision.record.shared_responsibility {
                Some(true) => "Ja",
                Some(false) => "Nej",
                None => "",
            },
            reason: decision.record.reason.clone(),
            can_confirm: file.actions.contains(&Action::ConfirmDecision),
        })
    }
}

/// Samtycke as the case page states it.
pub struct ConsentView {
    /// What allows the exchange, in one sentence; empty in a draft without one.
    pub summary: String,
    /// When and by whom a withdrawal was recorded, and what the person said.
    pub withdrawn: Option<(String, String, String)>,
    /// Whether the user may record a withdrawal now.
    pub can_withdraw: bool,
}

impl ConsentView {
    fn new(state: &AppState, file: &CaseFile) -> Self {
        let Some(recorded) = &file.case.consent else {
            return ConsentView {
                summary: String::new(),
                withdrawn: None,
                can_withdraw: false,
            };
        };
        let summary = match &recorded.consent {
            Consent::Given {
                given_by,
                way,
                given_on,
            } => format!(
                "Samtycke lämnat {} {given_on} av {given_by}.",
                way.label().to_lowercase()
            ),
            Consent::Basis { reason, judged_by } => {
                format!("Skickad utan samtycke. Grund: {reason} Bedömt av {judged_by}.")
            }
        };
        let withdrawn = recorded.withdrawal.as_ref().map(|w| {
            (
                local_time(state, w.at),
                w.recorded_by_name.clone(),
                w.note.clone(),
            )
        });
        ConsentView {
            can_withdraw: recorded.may_be_withdrawn() && file.side.is_some(),
            summary,
            withdrawn,
        }
    }
}

fn state_label(code: &str) -> &'static str {
    match code {
        "utkast" => "utkast",
        "skickad" => "skickad",
        "vidarebefordrad" => "vidarebefordrad",
        "kvitterad" => "kvitterad",
        "under_bedomning" => "under bedömning",
        "beslut_foreslaget" => "beslut föreslaget",
        "beslutad" => "beslutad",
        "planerad" => "planerad",
        "pagaende" => "pågående",
        "avslut_foreslaget" => "avslut föreslaget",
        "avslutad" => "avslutad",
        "aterkallad" => "återkallad",
        _ => "",
    }
}

fn event_label(kind: &str, to: Option<&str>) -> String {
    match (Action::from_code(kind), to) {
        (Some(action), Some(to)) => format!("{} → {}", action.label(), state_label(to)),
        _ => match kind {
            "skapad" => "Begäran skapad".to_owned(),
            EGENVARDSBEGARAN_EVENT => "Egenvårdsbegäran registrerad av teamet".to_owned(),
            "andrad" => "Utkastet ändrat".to_owned(),
            "spar" => "Kriterier och spåruppgifter registrerade".to_owned(),
            "bedomning" => "Bedömning registrerad".to_owned(),
            "hemkontroll" => "Kontroll av kompetens och utrustning i hemmet".to_owned(),
            "atgard" => "Åtgärd registrerad".to_owned(),
            "atgard_klar" => "Åtgärd klar".to_owned(),
            "samtycke_aterkallat" => "Samtycket återkallat".to_owned(),
            other => other.to_owned(),
        },
    }
}

/// What went wrong with an attempted change, shown on the case page.
pub struct Problem {
    status: StatusCode,
    message: String,
    list: Vec<String>,
    errors: Vec<FieldError>,
    /// A proposal to end the care as the user typed it, shown again beside its errors.
    step_typed: StepInput,
    /// A SIP as the user typed it, shown again beside its errors.
    sip_typed: SipForm,
    /// Track 3's seven-day plan as the user typed it.
    seven_day_typed: SevenDayPlanForm,
    /// The rehabilitation plan as the user typed it; `None` shows the latest version.
    rehab_typed: Option<RehabPlanForm>,
    /// A follow-up of the rehabilitation plan as the user typed it.
    rehab_follow_up_typed: RehabFollowUpForm,
}

fn problem_from(error: WorkflowError) -> Result<Problem, WorkflowError> {
    let (status, message, list, errors) = match error {
        WorkflowError::Transition(e) => (StatusCode::CONFLICT, e.to_string(), Vec::new(), Vec::new()),
        WorkflowError::Conflict => (
            StatusCode::CONFLICT,
            "Någon annan har ändrat ärendet medan du hade det öppet. Här är den senaste versionen; gör om det du ville."
                .to_owned(),
            Vec::new(),
            Vec::new(),
        ),
        WorkflowError::Blocked(list) => (
            StatusCode::CONFLICT,
            "Beslut om inskrivning kan inte registreras ännu:".to_owned(),
            list,
            Vec::new(),
        ),
        WorkflowError::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Uppgifterna behöver rättas:".to_owned(),
            errors.iter().map(|e| e.message.clone()).collect(),
            errors,
        ),
        other => return Err(other),
    };
    Ok(Problem {
        status,
        message,
        list,
        errors,
        step_typed: StepInput::default(),
        sip_typed: SipForm::default(),
        seven_day_typed: SevenDayPlanForm::default(),
        rehab_typed: None,
        rehab_follow_up_typed: RehabFollowUpForm::default(),
    })
}

async fn case_page(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    notice: &'static str,
    problem: Option<Problem>,
) -> Response {
    let file = match casework::case_file(state, user, id, true).await {
        Ok(file) => file,
        Err(error) => return workflow_error_page(state, user, error),
    };
    let today = state.today();
    let button = |a: &Action| StepButton {
        code: a.code(),
        label: a.label(),
        needs_note: *a == Action::Withdraw,
        is_forward: *a == Action::Forward,
        is_hand_over: *a == Action::HandOver,
    };
    let steps = file
        .actions
        .iter()
        .filter(|a| {
            !matches!(
                a,
                Action::ProposeDecision(_)
                    | Action::Decide(_)
                    | Action::ConfirmDecision
                    | Action::Disagree
                    | Action::Plan
                    | Action::ProposeClosure
                    | Action::ConfirmClosure
                    | Action::DeclineClosure
                    | Action::CloseRehabilitation
            )
        })
        .map(button)
        .collect();
    let decision_steps = file
        .actions
        .iter()
        .filter(|a| {
            matches!(
                a,
                Action::ProposeDecision(_) | Action::Decide(_) | Action::ConfirmDecision
            )
        })
        .map(button)
        .collect();
    let timeline = file
        .events
        .iter()
        .map(|e| TimelineRow {
            at: local_time(state, e.at),
            who: format!("{}, {}", e.user_name, e.unit_name),
            what: event_label(&e.kind, e.to_state.as_deref()),
            note: e.note.clone(),
        })
        .collect();
    let assessments = file
        .assessments
        .iter()
        .map(|a| {
            let party = if a.side == Side::Sender {
                "Avsändaren"
            } else {
                "Mottagaren"
            };
            (
                format!("{party}: {}, {}", a.user_name, a.unit_name),
                local_time(state, a.at),
                a.text.clone(),
            )
        })
        .collect();
    let messages = file
        .messages
        .iter()
        .map(|m| MessageView {
            who: format!("{}, {}", m.user_name, m.unit_name),
            at: local_time(state, m.at),
            body: m.body.clone(),
            attachments: m
                .attachments
                .iter()
                .map(|a| {
                    (
                        a.id.clone(),
                        a.filename.clone(),
                        format!("{} kB", (a.size_bytes + 1023) / 1024),
                    )
                })
                .collect(),
            read_by: m
                .read_by
                .iter()
                .map(|(unit, at)| format!("{unit} {}", local_time(state, *at)))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let handed_over = file
        .events
        .iter()
        .rfind(|e| e.kind == Action::HandOver.code())
        .map(|e| {
            format!(
                "från {} av {}, {}",
                e.unit_name,
                e.user_name,
                local_time(state, e.at)
            )
        });
    let joint_planning_due = file
        .decisions
        .iter()
        .rev()
        .find(|d| d.record.outcome == DecisionOutcome::Enrolled)
        .and_then(|d| d.record.joint_planning_due)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let age = file.case.patient.person_id.age_on(today);
    let can_work = workflow::in_assessment(&file.case.state) && file.side.is_some();
    let is_receiver = file.side == Some(Side::Receiver);
    let layout = Layout::new(state, "Ärende", Some(user)).await;
    let problem = problem.unwrap_or(Problem {
        status: StatusCode::OK,
        message: String::new(),
        list: Vec::new(),
        errors: Vec::new(),
        step_typed: StepInput::default(),
        sip_typed: SipForm::default(),
        seven_day_typed: SevenDayPlanForm::default(),
        rehab_typed: None,
        rehab_follow_up_typed: RehabFollowUpForm::default(),
    });
    let seven_day = SevenDayPlanView::new(
        state,
        &file.case,
        file.side,
        file.plan_versions
            .iter()
            .any(|v| v.established_at.is_some()),
        file.seven_day_plan.as_ref(),
        problem.seven_day_typed.clone(),
    );
    let sip = SipView::new(
        state,
        &file.case.state,
        file.side.is_some() && user.user.role.is_clinical(),
        &file.sips,
        problem.sip_typed.clone(),
    );
    let rehab_plan = RehabPlanView::new(
        state,
        RehabPlanContext {
            case: &file.case,
            side: file.side,
            role: user.user.role,
            versions: &file.rehab_plans,
            follow_ups: &file.rehab_follow_ups,
        },
        problem.rehab_typed.clone(),
        problem.rehab_follow_up_typed.clone(),
    );
    let closure = ClosureView::new(
        state,
        &file.case.state,
        file.side,
        &file.actions,
        &file.closures,
        file.case.track.track() == samsyn_domain::Track::Rehabilitation,
        (
            problem.step_typed.closure_reason.clone(),
            problem.step_typed.next_contact.clone(),
            problem.step_typed.handover.clone(),
        ),
    );
    render(
        problem.status,
        &CasePage {
            layout,
            emergency: file
                .emergency
                .iter()
                .map(|e| {
                    (
                        format!("{}, {}", e.user_name, e.unit_name),
                        local_time(state, e.opened_at),
                        local_time(state, e.expires_at),
                        e.reason.clone(),
                    )
                })
                .collect(),
            consent: ConsentView::new(state, &file),
            closure,
            proposed_decision: ProposedDecision::new(state, &file),
            enrollment: state.rules.enrollment.clone(),
            decision_typed: problem.step_typed,
            intervention_kinds: InterventionKind::ALL
                .map(|k| (k.code(), k.label()))
                .to_vec(),
            can_disagree: file.actions.contains(&Action::Disagree),
            can_raise_disagreement: file.side.is_some()
                && user.user.role.is_clinical()
                && crate::disagreement::work::in_care(&file.case.state),
            disagreements: file
                .disagreements
                .iter()
                .rev()
                .map(|d| {
                    crate::disagreement::view::DisagreementView::new(
                        state,
                        &file.case,
                        d,
                        file.side,
                        user.user.role,
                    )
                })
                .collect(),
            local_days: state.rules.disagreement.local_working_days,
            disagreement_fields: [
                ("reason", "Vad är parterna oeniga om?", "", true),
                (
                    "region_manager",
                    "Regionens närmaste linjechef",
                    "Namn och befattning: enhetschef eller motsvarande.",
                    false,
                ),
                (
                    "municipality_manager",
                    "Kommunens närmaste linjechef",
                    "Namn och befattning: enhetschef eller motsvarande.",
                    false,
                ),
                (
                    "interim_arrangement",
                    "Hur tillgodoses personens behov under tiden?",
                    "Vem gör vad tills oenigheten är löst.",
                    true,
                ),
            ],
            planning: PlanningView::new(
                state,
                &file.actions,
                file.case.planning_due,
                file.planning.as_ref(),
            ),
            sip,
            seven_day,
            rehab_plan,
            plan_summary: crate::care::plan::page::summary(&file.plan_versions),
            // The rehabilitation process has its rehabiliteringsplan instead.
            plan_open: samsyn_domain::care::treatment_plan::is_open(&file.case.state)
                && file.case.track.track() != samsyn_domain::Track::Rehabilitation,
            protected_hidden: samsyn_domain::protected_identity::HIDDEN,
            view: RequestView::new(state, file.case.clone()),
            track: TrackPanel::new(&file.case.track, &state.rules, today),
            file,
            steps,
            decision_steps,
            timeline,
            assessments,
            messages,
            instruments: state
                .rules
                .instruments
                .iter()
                .map(|i| (i.id.clone(), format!("{} ({}–{})", i.name, i.min, i.max)))
                .collect(),
            can_work,
            is_receiver,
            notice,
            problem: problem.message,
            problems: problem.list,
            errors: FieldErrors(problem.errors),
            joint_planning_due,
            handed_over,
            age,
            periods: Periods::of(&state.rules),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    klart: String,
    #[serde(default)]
    andra: String,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Response {
    if query.andra == "1" {
        return edit_form(&state, &user, id).await;
    }
    let notice = match query.klart.as_str() {
        "skickad" => "Begäran är skickad till kommunen.",
        "sparad" => "Utkastet är sparat. Det syns bara för din enhet tills du skickar det.",
        "kvittera" => "Begäran är kvitterad. Avsändaren ser nu att ni har tagit emot den.",
        "skicka" => "Begäran är skickad till kommunen.",
        "vidarebefordra" => "Ärendet är vidarebefordrat.",
        "aterkalla" => "Begäran är återkallad.",
        "paborja-bedomning" => "Den gemensamma bedömningen har börjat.",
        "foresla-inskriven" => {
            "Beslutsförslaget är registrerat: inskriven. Beslutet är fattat när den andra parten har bekräftat det."
        }
        "foresla-ej-inskriven" => {
            "Beslutsförslaget är registrerat: ej inskriven. Beslutet är fattat när den andra parten har bekräftat det."
        }
        "bekrafta-beslut" => "Beslutet är fattat av båda parter.",
        "besluta-inskriven" => {
            "Beslutet är fattat: inskriven. Planera rehabiliteringen tillsammans med personen; sista dagen står under Gemensam planering."
        }
        "besluta-ej-inskriven" => "Beslutet är fattat: ej inskriven.",
        "lamna-over-till-vardcentral" => {
            "Ärendet är överlämnat till vårdcentralen. Vårdcentralen skriver nu regionens del av behandlingsplanen; sjukhuset kan fortfarande läsa ärendet."
        }
        EGENVARDSBEGARAN_EVENT => {
            "Egenvårdsbegäran är registrerad och mottagen av teamet. Bedömningen kan börja."
        }
        "besluta-oenighet" => {
            "Oenigheten är registrerad. De namngivna cheferna löser den på lokal nivå; ansvaret går över först när den är löst."
        }
        "planera" => "Den gemensamma planeringen är registrerad.",
        "starta" => "Insatserna har startat.",
        "avsluta" => "Ärendet är avslutat.",
        "foresla-avslut" => {
            "Avslut är föreslaget. Den andra parten bekräftar eller avböjer; vården fortsätter tills dess."
        }
        "bekrafta-avslut" => "Båda parter har bekräftat avslutet. Ärendet är avslutat.",
        "avboj-avslut" => "Avslutet är avböjt. Vården fortsätter.",
        "avsluta-rehabilitering" => {
            "Rehabiliteringen är avslutad. Ärendet är avslutat och remittenten ser skälet."
        }
        "bedomning" => "Bedömningen är registrerad.",
        "spar" => "Uppgifterna för spåret är sparade.",
        "hemkontroll" => "Kontrollen av hemmet är registrerad.",
        "atgard" => "Åtgärden är markerad som klar.",
        "sip" => "SIP:en är registrerad.",
        "rehabplan" => "Rehabiliteringsplanen är sparad som en ny version.",
        "rehabuppfoljning" => {
            "Uppföljningen är registrerad. Nästa uppföljning följer planens frekvens."
        }
        "sjudagarsplan" => {
            "Sjudagarsplanen är registrerad och dagen den blev tillgänglig står i spårets uppgifter."
        }
        "meddelande" => "Meddelandet är skickat. Båda enheterna ser det i ärendet.",
        "samtycke" => {
            "Återkallelsen är registrerad. Inga fler uppgifter om personen lämnas mellan parterna i ärendet."
        }
        _ => "",
    };
    case_page(&state, &user, id, notice, None).await
}

async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    result: Result<(), WorkflowError>,
    what: &str,
) -> Response {
    after_keeping(state, user, id, result, what, StepInput::default()).await
}

/// As [`after`], keeping what the user typed into a step's form (a decision, a proposal to end
/// the care) for the form shown again.
async fn after_keeping(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    result: Result<(), WorkflowError>,
    what: &str,
    step_typed: StepInput,
) -> Response {
    match result {
        Ok(()) => done(&id, what),
        Err(error) => match problem_from(error) {
            Ok(problem) => {
                let problem = Problem {
                    step_typed,
                    ..problem
                };
                case_page(state, user, id, "", Some(problem)).await
            }
            Err(other) => workflow_error_page(state, user, other),
        },
    }
}

/// Records a SIP; on errors the form comes back as typed.
pub async fn sip(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<SipForm>,
) -> Response {
    match sip_panel::record(&state, &user, id.clone(), form.clone()).await {
        Ok(()) => done(&id, "sip"),
        Err(error) => match problem_from(error) {
            Ok(problem) => {
                let problem = Problem {
                    sip_typed: form,
                    ..problem
                };
                case_page(&state, &user, id, "", Some(problem)).await
            }
            Err(other) => workflow_error_page(&state, &user, other),
        },
    }
}

/// Records track 3's seven-day plan; on errors the form comes back as typed.
pub async fn seven_day_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<SevenDayPlanForm>,
) -> Response {
    match seven_day_panel::record(&state, &user, id.clone(), form.clone()).await {
        Ok(()) => done(&id, "sjudagarsplan"),
        Err(error) => match problem_from(error) {
            Ok(problem) => {
                let problem = Problem {
                    seven_day_typed: form,
                    ..problem
                };
                case_page(&state, &user, id, "", Some(problem)).await
            }
            Err(other) => workflow_error_page(&state, &user, other),
        },
    }
}

/// Saves a version of the rehabilitation plan; on errors the form comes back as typed.
pub async fn rehab_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RehabPlanForm>,
) -> Response {
    match rehab_panel::record(&state, &user, id.clone(), form.clone()).await {
        Ok(_) => done(&id, "rehabplan"),
        Err(error) => match problem_from(error) {
            Ok(problem) => {
                let problem = Problem {
                    rehab_typed: Some(form),
                    ..problem
                };
                case_page(&state, &user, id, "", Some(problem)).await
            }
            Err(other) => workflow_error_page(&state, &user, other),
        },
    }
}

/// Records the prescriber's follow-up of the rehabilitation plan.
pub async fn rehab_follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RehabFollowUpForm>,
) -> Response {
    match rehab_panel::record_follow_up(&state, &user, id.clone(), form.clone()).await {
        Ok(_) => done(&id, "rehabuppfoljning"),
        Err(error) => match problem_from(error) {
            Ok(problem) => {
                let problem = Problem {
                    rehab_follow_up_typed: form,
                    ..problem
                };
                case_page(&state, &user, id, "", Some(problem)).await
            }
            Err(other) => workflow_error_page(&state, &user, other),
        },
    }
}

pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, code)): Path<(String, String)>,
    Form(input): Form<StepInput>,
) -> Response {
    let Some(action) = Action::from_code(&code) else {
        return workflow_error_page(&state, &user, WorkflowError::NotFound);
    };
    let typed = input.clone();
    let result = workflow::step(&state, &user, id.clone(), action, input)
        .await
        .map(|_| ());
    after_keeping(&state, &user, id, result, code.as_str(), typed).await
}

#[derive(Deserialize)]
pub struct AssessmentForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    assessment: String,
}

pub async fn assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<AssessmentForm>,
) -> Response {
    let result =
        casework::record_assessment(&state, &user, id.clone(), form.version, form.assessment).await;
    after(&state, &user, id, result, "bedomning").await
}

pub async fn track(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let posted = Posted(pairs);
    let current = match workflow::open(&state, &user, id.clone()).await {
        Ok((case, _)) => case,
        Err(error) => return workflow_error_page(&state, &user, error),
    };
    let result = match posted.details(&current.track, &state.rules) {
        Ok(details) => casework::update_track(&state, &user, id.clone(), posted.version(), details)
            .await
            .map(|_| ()),
        Err(errors) => Err(WorkflowError::Invalid(errors)),
    };
    after(&state, &user, id, result, "spar").await
}

#[derive(Deserialize)]
pub struct HomeCheckForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    competence_ok: String,
    #[serde(default)]
    equipment_ok: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    action_description: String,
    #[serde(default)]
    action_owner: String,
    #[serde(default)]
    action_due: String,
}

pub async fn home_check(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<HomeCheckForm>,
) -> Response {
    let input = HomeCheckInput {
        competence_ok: form.competence_ok == "ja",
        equipment_ok: form.equipment_ok == "ja",
        note: form.note,
        action: Some(ActionItemInput {
            description: form.action_description,
            owner: form.action_owner,
            due: form.action_due,
        }),
    };
    let result = casework::record_home_check(&state, &user, id.clone(), form.version, input).await;
    after(&state, &user, id, result, "hemkontroll").await
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i64,
}

#[derive(Deserialize)]
pub struct WithdrawalForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    withdrawal_note: String,
}

/// Records that the person has withdrawn consent.
pub async fn withdraw_consent(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<WithdrawalForm>,
) -> Response {
    let result = casework::withdraw_consent(
        &state,
        &user,
        id.clone(),
        form.version,
        form.withdrawal_note,
    )
    .await;
    after(&state, &user, id, result, "samtycke").await
}

pub async fn complete_action_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, item)): Path<(String, String)>,
    Form(form): Form<VersionForm>,
) -> Response {
    let result =
        casework::complete_action_item(&state, &user, id.clone(), form.version, item).await;
    after(&state, &user, id, result, "atgard").await
}

/// Posts a message, with an optional attachment (a multipart form).
pub async fn message(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let mut body = String::new();
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                let error = WorkflowError::Invalid(vec![FieldError {
                    field: "attachment",
                    message: "Bilagan kunde inte tas emot. Den får vara högst 5 MB.".into(),
                }]);
                return after(&state, &user, id, Err(error), "meddelande").await;
            }
        };
        match field.name() {
            Some("message") => body = field.text().await.unwrap_or_default(),
            Some("attachment") => {
                let filename = field.file_name().unwrap_or_default().to_owned();
                let content_type = field.content_type().unwrap_or_default().to_owned();
                let bytes = match field.bytes().await {
                    Ok(bytes) => bytes.to_vec(),
                    Err(_) => {
                        let error = WorkflowError::Invalid(vec![FieldError {
                            field: "attachment",
                            message: "Bilagan kunde inte tas emot. Den får vara högst 5 MB.".into(),
                        }]);
                        return after(&state, &user, id, Err(error), "meddelande").await;
                    }
                };
                if !filename.is_empty() || !bytes.is_empty() {
                    file = Some((filename, content_type, bytes));
                }
            }
            _ => {}
        }
    }
    let attachment = match file
        .map(|(name, kind, bytes)| casework::check_attachment(&name, &kind, bytes))
        .transpose()
    {
        Ok(attachment) => attachment,
        Err(error) => return after(&state, &user, id, Err(error), "meddelande").await,
    };
    let result = casework::post_message(&state, &user, id.clone(), body, attachment).await;
    after(&state, &user, id, result, "meddelande").await
}

/// Downloads an attachment (logged as an export of patient data).
pub async fn attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, attachment_id)): Path<(String, String)>,
) -> Response {
    match casework::attachment(&state, &user, id, attachment_id).await {
        Ok((filename, content_type, bytes)) => {
            crate::shared::layout::download(&content_type, &filename, bytes)
        }
        Err(error) => workflow_error_page(&state, &user, error),
    }
}
