//! Tänk om: change the tilläggsbelopp's parameters in the browser and see each municipality's
//! amount beside the calculation; save a named scenario to discuss it, and see a saved one beside
//! the decision in force. A scenario is never a decision.

use crate::AppState;
use crate::additional_amount::cycle;
use crate::additional_amount::data::calculation_data;
use crate::additional_amount::view::{reason, years};
use crate::shared::figures::{kronor, number, whole_kronor};
use crate::shared::layout::{Layout, message_page, render};
use crate::shared::session::CurrentUser;
use crate::shared::words::capitalised;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use samsyn_domain::RuleSet;
use samsyn_domain::additional_amount::rules::{DistanceMeasure, PotKey};
use samsyn_domain::additional_amount::scenario::{
    Scenario, ScenarioFile, differences, percent_change,
};
use samsyn_reports::additional_amount::{Statement, scenario_statement};
use samsyn_store::StoreError;
use samsyn_store::additional_amount as store;
use std::collections::BTreeMap;

pub struct Problem {
    pub field: String,
    pub message: String,
}

pub struct PotInput {
    pub name: String,
    pub label: String,
    pub amount: String,
    pub rule_amount: String,
    pub key: &'static str,
}

pub struct DistanceInput {
    pub code: String,
    pub town: String,
    pub computed: bool,
    pub choice: String,
}

pub struct Line {
    pub name: String,
    pub baseline: String,
    pub scenario: String,
    pub kronor: String,
    pub percent: String,
}

#[derive(Template)]
#[template(path = "additional_amount/simulation.html")]
struct SimulationPage {
    layout: Layout,
    year: i16,
    years: Vec<i16>,
    growth: String,
    rule_growth: String,
    threshold: String,
    rule_threshold: String,
    measure: String,
    rule_measure: &'static str,
    pots: Vec<PotInput>,
    /// The keys a pot may be divided by: (code, label).
    keys: Vec<(&'static str, String)>,
    /// The rule set has a pot for distance: only then are the distance rule's fields shown.
    has_distance: bool,
    distance: Vec<DistanceInput>,
    problems: Vec<Problem>,
    lines: Vec<Line>,
    county: Option<Line>,
    name: String,
    saved: Vec<SavedLine>,
}

pub struct SavedLine {
    pub id: String,
    pub name: String,
    pub created: String,
}

fn signed(amount: Decimal) -> String {
    let text = kronor(amount.abs());
    if amount.is_sign_negative() {
        format!("−{text}")
    } else if amount.is_zero() {
        text
    } else {
        format!("+{text}")
    }
}

fn line(name: String, baseline: Decimal, scenario: Decimal, percent: Option<Decimal>) -> Line {
    Line {
        name,
        baseline: kronor(baseline),
        scenario: kronor(scenario),
        kronor: signed(scenario - baseline),
        percent: percent.map_or("–".to_owned(), |p| {
            format!(
                "{}{p:.1} %",
                if p.is_sign_positive() && !p.is_zero() {
                    "+"
                } else {
                    ""
                }
            )
            .replace('.', ",")
            .replace('-', "−")
        }),
    }
}

/// The scenario the form describes, the form's fields as typed, and what is wrong with them.
struct FormReading {
    scenario: Scenario,
    growth: String,
    threshold: String,
    measure: String,
    pots: Vec<PotInput>,
    distance: Vec<DistanceInput>,
    problems: Vec<Problem>,
}

fn read_form(
    form: &BTreeMap<String, String>,
    rules: &RuleSet,
    baseline: &Statement,
) -> FormReading {
    let rule_set = rules;
    let rules = &rules.additional_amount;
    let value = |name: &str| {
        form.get(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut scenario = Scenario::default();
    let growth = value("tillvaxt");
    if !growth.is_empty() {
        match number(&growth) {
            Some(g) if g > Decimal::ZERO => scenario.growth = Some(g),
            _ => problems.push(Problem {
                field: "tillvaxt".into(),
                message: "Skatteunderlagets utveckling: skriv en faktor, t.ex. 1,036844498".into(),
            }),
        }
    }
    let threshold = value("troskel");
    if !threshold.is_empty() {
        match number(&threshold) {
            Some(km) if !km.is_sign_negative() => scenario.threshold_km = Some(km),
            _ => problems.push(Problem {
                field: "troskel".into(),
                message: "Avståndsgräns: skriv ett antal kilometer, t.ex. 35".into(),
            }),
        }
    }
    let measure = value("matt");
    scenario.distance_measure =
        DistanceMeasure::parse(&measure).filter(|m| *m != rules.distance_measure);
    let mut pots = Vec::new();
    for rule in &rules.pots {
        let field = format!("belopp_{}", rule.name);
        let amount = value(&field);
        if !amount.is_empty() {
            match number(&amount) {
                Some(a) if !a.is_sign_negative() && a.fract().is_zero() => {
                    scenario.pot_amounts.insert(rule.name.clone(), a);
                }
                _ => problems.push(Problem {
                    field: field.clone(),
                    message: format!("{}: skriv ett belopp i hela kronor", rule.label),
                }),
            }
        }
        let key = PotKey::parse(&value(&format!("nyckel_{}", rule.name))).unwrap_or(rule.key);
        if key != rule.key {
            scenario.pot_keys.insert(rule.name.clone(), key);
        }
        pots.push(PotInput {
            name: rule.name.clone(),
            label: rule.label.clone(),
            amount,
            rule_amount: baseline
                .pots
                .iter()
                .find(|p| p.name == rule.name)
                .map_or("–".to_owned(), |p| whole_kronor(p.amount)),
            key: key.code(),
        });
    }
    let mut distance = Vec::new();
    for d in &baseline.distance {
        let choice = value(&format!("avstand_{}", d.code));
        if let (Some(code), Some(eligible)) = (
            samsyn_domain::MunicipalityCode::parse(&d.code),
            match choice.as_str() {
                "med" => Some(true),
                "utan" => Some(false),
                _ => None,
            },
        ) {
            scenario.distance.insert(code, eligible);
        }
        distance.push(DistanceInput {
            code: d.code.clone(),
            town: crate::additional_amount::view::municipality_and_town(rule_set, &d.code, &d.town),
            // By the distance alone, at the scenario's threshold when it sets one.
            computed: match d.km.as_deref().and_then(|km| km.parse::<Decimal>().ok()) {
                Some(km) => km > scenario.threshold_km.unwrap_or(rules.distance_threshold_km),
                None => d.eligible && d.override_reason.is_none(),
            },
            choice,
        });
    }
    FormReading {
        scenario,
        growth,
        threshold,
        measure,
        pots,
        distance,
        problems,
    }
}

/// Each municipality's baseline beside the scenario, and the county's line.
fn compare(rules: &RuleSet, baseline: &Statement, scenario: &Statement) -> (Vec<Line>, Line) {
    let codes: Vec<_> = rules.municipalities.iter().map(|m| m.code).collect();
    let lines = differences(&baseline.totals(), &scenario.totals(), &codes)
        .iter()
        .zip(&rules.municipalities)
        .map(|(d, m)| line(m.name.clone(), d.baseline, d.scenario, d.percent()))
        .collect();
    let (before, after) = (Decimal::from(baseline.paid), Decimal::from(scenario.paid));
    (
        lines,
        line("Länet".into(), before, after, percent_change(before, after)),
    )
}

fn cannot_compute(state: &AppState, user: &CurrentUser, year: i16, error: &str) -> Response {
    message_page(
        state,
        Some(user),
        StatusCode::UNPROCESSABLE_ENTITY,
        &format!("Tilläggsbelopp {year} kan inte beräknas"),
        error,
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(form): Query<BTreeMap<String, String>>,
) -> Response {
    simulation(state, user, form, false).await
}

pub async fn page_post(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> Response {
    simulation(state, user, form, false).await
}

/// Spara scenario: the same form, with a name; stored and shown beside the decision.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> Response {
    simulation(state, user, form, true).await
}

async fn simulation(
    state: AppState,
    user: CurrentUser,
    form: BTreeMap<String, String>,
    save: bool,
) -> Response {
    let all_years = years(&state).await;
    let year = form
        .get("ar")
        .and_then(|y| y.parse().ok())
        .filter(|y| all_years.contains(y))
        .or_else(|| all_years.last().copied())
        .unwrap_or(state.rules.additional_amount.base_year);
    let data = match cycle::data(&state).await {
        Ok(d) => d,
        Err(error) => return cannot_compute(&state, &user, year, &reason(error)),
    };
    let baseline = match cycle::compute(&state, year, &data) {
        Ok(s) => s,
        Err(error) => return cannot_compute(&state, &user, year, &reason(error)),
    };
    let mut reading = read_form(&form, &state.rules, &baseline);
    let name = form
        .get("namn")
        .map(|n| n.trim().to_owned())
        .unwrap_or_default();
    if save && name.is_empty() {
        reading.problems.push(Problem {
            field: "namn".into(),
            message: "Namn: skriv ett namn på scenariot, t.ex. \"Tröskel 30 km\"".into(),
        });
    }
    if let Some(message) =
        samsyn_domain::text::problem("Namn", &name, samsyn_domain::text::SHORT_TEXT_CHARS, false)
    {
        reading.problems.push(Problem {
            field: "namn".into(),
            message,
        });
    }
    if save && reading.scenario == Scenario::default() {
        reading.problems.push(Problem {
            field: "tillvaxt".into(),
            message: "Scenariot ändrar ingenting: ändra minst en parameter innan du sparar".into(),
        });
    }
    let (mut lines, mut county) = (Vec::new(), None);
    if reading.problems.is_empty() && reading.scenario != Scenario::default() {
        let label = if name.is_empty() { "osparat" } else { &name };
        match scenario_statement(&state.rules, year, &data, &reading.scenario, label) {
            Ok(simulated) => {
                let (l, c) = compare(&state.rules, &baseline, &simulated);
                lines = l;
                county = Some(c);
            }
            Err(error) => reading.problems.push(Problem {
                field: "tillvaxt".into(),
                message: format!("Scenariot går inte att räkna: {error}"),
            }),
        }
    }
    if save && reading.problems.is_empty() {
        let parameters = serde_json::to_string(&reading.scenario.to_file()).unwrap_or_default();
        let (user_id, now, stored_name) = (user.user.id.clone(), state.clock.now(), name.clone());
        match state
            .db(move |c| store::save_scenario(c, year, &stored_name, &parameters, &user_id, now))
            .await
        {
            Ok(id) => return Redirect::to(&format!("/tillagg/scenarier/{id}")).into_response(),
            Err(StoreError::Duplicate(_)) => reading.problems.push(Problem {
                field: "namn".into(),
                message: format!(
                    "Namn: det finns redan ett scenario för {year} som heter \"{name}\""
                ),
            }),
            Err(error) => {
                tracing::error!(%error, "scenariot sparades inte");
                return cannot_compute(&state, &user, year, "Scenariot sparades inte.");
            }
        }
    }
    let saved = state
        .db(move |c| store::scenarios_of(c, year))
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|s| SavedLine {
            id: s.id,
            name: s.name,
            created: format!("{} av {}", state.local_date(s.created_at), s.created_by),
        })
        .collect();
    let rules = &state.rules.additional_amount;
    let layout = Layout::new(
        &state,
        &format!("Tänk om: tilläggsbelopp {year}"),
        Some(&user),
    )
    .await;
    render(
        if reading.problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &SimulationPage {
            layout,
            keys: PotKey::ALL
                .iter()
                .map(|k| (k.code(), capitalised(k.label())))
                .collect(),
            has_distance: rules.has_distance_pot(),
            year,
            years: all_years,
            growth: reading.growth,
            rule_growth: rules
                .growth
                .get(&year)
                .map_or("–".to_owned(), |g| g.factor.to_string().replace('.', ",")),
            threshold: reading.threshold,
            rule_threshold: rules.distance_threshold_km.to_string().replace('.', ","),
            measure: reading.measure,
            rule_measure: measure_label(rules.distance_measure),
            pots: reading.pots,
            distance: reading.distance,
            problems: reading.problems,
            lines,
            county,
            name,
            saved,
        },
    )
}

#[derive(Template)]
#[template(path = "additional_amount/scenario.html")]
struct ScenarioPage {
    layout: Layout,
    year: i16,
    name: String,
    created: String,
    parameters: Vec<String>,
    against: String,
    baseline_label: &'static str,
    lines: Vec<Line>,
    county: Line,
}

fn measure_label(measure: DistanceMeasure) -> &'static str {
    match measure {
        DistanceMeasure::StraightLine => "fågelvägen",
        DistanceMeasure::Road => "längs väg (importerad tabell)",
    }
}

/// What a scenario changes, in words.
fn describe(scenario: &Scenario, rules: &RuleSet) -> Vec<String> {
    let label = |pot: &str| rules.additional_amount.label(pot).to_owned();
    let mut out = Vec::new();
    if let Some(g) = scenario.growth {
        out.push(format!(
            "Skatteunderlagets utveckling: {}",
            g.to_string().replace('.', ",")
        ));
    }
    if let Some(measure) = scenario.distance_measure {
        out.push(format!("Avståndet mäts {}", measure_label(measure)));
    }
    if let Some(km) = scenario.threshold_km {
        out.push(format!(
            "Avståndsgräns: {} km",
            km.to_string().replace('.', ",")
        ));
    }
    for (pot, amount) in &scenario.pot_amounts {
        out.push(format!("{}: {}", label(pot), kronor(*amount)));
    }
    for (pot, key) in &scenario.pot_keys {
        out.push(format!("{}: fördelas efter {}", label(pot), key.label()));
    }
    for (code, eligible) in &scenario.distance {
        let name = rules
            .municipality(*code)
            .map_or(code.to_string(), |m| m.name.clone());
        out.push(format!(
            "{name} {} i kompensationen för avstånd",
            if *eligible { "ingår" } else { "ingår inte" }
        ));
    }
    out
}

/// A saved scenario beside the decision in force for its year (or, before there is one, beside
/// the current calculation, and the page says so).
pub async fn saved(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let rules = state.rules.clone();
    let loaded = state
        .db(move |c| {
            let scenario = store::scenario(c, &id)?;
            let decided = store::decision_in_force(c, scenario.year)?;
            Ok((scenario, decided, calculation_data(c, &rules)?))
        })
        .await;
    let (saved, decided, data) = match loaded {
        Ok(found) => found,
        Err(StoreError::NotFound) => {
            return message_page(
                &state,
                Some(&user),
                StatusCode::NOT_FOUND,
                "Scenariot finns inte",
                "Gå till Tänk om och välj ett sparat scenario.",
            );
        }
        Err(error) => return cannot_compute(&state, &user, 0, &error.to_string()),
    };
    let year = saved.year;
    let scenario = serde_json::from_str::<ScenarioFile>(&saved.parameters)
        .map_err(|e| e.to_string())
        .and_then(|f| Scenario::from_file(&f, &state.rules.additional_amount));
    let scenario = match scenario {
        Ok(s) => s,
        Err(error) => return cannot_compute(&state, &user, year, &error),
    };
    let baseline_label = if decided.is_some() {
        "Beslutat"
    } else {
        "Beräknat"
    };
    let (baseline, against) = match decided
        .as_ref()
        .map(|v| Statement::from_json(&v.statement).map(|s| (s, v.summary.version)))
    {
        Some(Ok((s, version))) => (s, format!("beslutet (version {version})")),
        Some(Err(error)) => return cannot_compute(&state, &user, year, &error),
        None => match cycle::compute(&state, year, &data).map_err(reason) {
            Ok(s) => (
                s,
                "beräkningen ur dagens indata – året har inget beslut ännu".to_owned(),
            ),
            Err(error) => return cannot_compute(&state, &user, year, &error),
        },
    };
    let simulated = match scenario_statement(&state.rules, year, &data, &scenario, &saved.name) {
        Ok(s) => s,
        Err(error) => return cannot_compute(&state, &user, year, &error.to_string()),
    };
    let (lines, county) = compare(&state.rules, &baseline, &simulated);
    let layout = Layout::new(
        &state,
        &format!("Scenario {}: tilläggsbelopp {year}", saved.name),
        Some(&user),
    )
    .await;
    render(
        StatusCode::OK,
        &ScenarioPage {
            layout,
            year,
            parameters: describe(&scenario, &state.rules),
            name: saved.name,
            created: format!(
                "{} av {}",
                crate::case::views::local_time(&state, saved.created_at),
                saved.created_by
            ),
            against,
            baseline_label,
            lines,
            county,
        },
    )
}
