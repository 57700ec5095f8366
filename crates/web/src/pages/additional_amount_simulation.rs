//! Tänk om: change the tilläggsbelopp's parameters in the browser and see each municipality's
//! amount beside the rule set's calculation. Nothing is stored and nothing here is a decision.

use super::additional_amount::{WHO_MAY_VIEW, kronor, years};
use super::measurement::may_view;
use super::{Layout, forbidden, message_page, render};
use crate::AppState;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rust_decimal::Decimal;
use samsyn_domain::additional_amount_rules::PotKey;
use samsyn_domain::additional_amount_scenario::{Scenario, differences};
use samsyn_domain::additional_amount_year::{Inputs, calculate};
use samsyn_reports::additional_amount::shipped_inputs;
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
#[template(path = "additional_amount_simulation.html")]
struct SimulationPage {
    layout: Layout,
    year: i16,
    years: Vec<i16>,
    growth: String,
    rule_growth: String,
    threshold: String,
    rule_threshold: String,
    pots: Vec<PotInput>,
    distance: Vec<DistanceInput>,
    problems: Vec<Problem>,
    lines: Vec<Line>,
    county: Option<Line>,
}

/// A decimal as people type it: comma or point, spaces between thousands.
fn number(text: &str) -> Option<Decimal> {
    text.replace([' ', '\u{a0}'], "")
        .replace(',', ".")
        .parse()
        .ok()
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

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(form): Query<BTreeMap<String, String>>,
) -> Response {
    if !may_view(user.user.role) {
        return forbidden(&state, &user, WHO_MAY_VIEW);
    }
    let all_years = years(&state);
    let year = form
        .get("ar")
        .and_then(|y| y.parse().ok())
        .filter(|y| all_years.contains(y))
        .or_else(|| all_years.last().copied())
        .unwrap_or(state.rules.additional_amount.base_year);
    let rules = &state.rules.additional_amount;
    let inputs = shipped_inputs(&state.rules, year);
    let baseline = match calculate(rules, year, &inputs) {
        Ok(c) => c,
        Err(error) => {
            return message_page(
                &state,
                Some(&user),
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Tilläggsbelopp {year} kan inte beräknas"),
                &error.to_string(),
            );
        }
    };
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
    let mut pots = Vec::new();
    for (i, rule) in rules.pots.iter().enumerate() {
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
        let key = match value(&format!("nyckel_{}", rule.name)).as_str() {
            "andel_65_plus" => PotKey::Elderly,
            "kategori_4" => PotKey::CategoryFour,
            _ => rule.key,
        };
        if key != rule.key {
            scenario.pot_keys.insert(rule.name.clone(), key);
        }
        pots.push(PotInput {
            name: rule.name.clone(),
            label: rule.label.clone(),
            amount,
            rule_amount: kronor(baseline.result.pots[i].amount),
            key: key.code(),
        });
    }
    let mut distance = Vec::new();
    for e in &baseline.distance {
        let choice = value(&format!("avstand_{}", e.municipality));
        match choice.as_str() {
            "med" => {
                scenario.distance.insert(e.municipality, true);
            }
            "utan" => {
                scenario.distance.insert(e.municipality, false);
            }
            _ => {}
        }
        distance.push(DistanceInput {
            code: e.municipality.to_string(),
            town: e.town.clone(),
            computed: e.computed,
            choice,
        });
    }
    let (mut lines, mut county) = (Vec::new(), None);
    if problems.is_empty() && scenario != Scenario::default() {
        let inputs = Inputs {
            overrides: scenario.overrides(),
            ..inputs
        };
        match calculate(&scenario.apply(rules, year), year, &inputs) {
            Ok(simulated) => {
                let codes: Vec<_> = state.rules.municipalities.iter().map(|m| m.code).collect();
                for (d, m) in differences(&baseline.result, &simulated.result, &codes)
                    .iter()
                    .zip(&state.rules.municipalities)
                {
                    lines.push(line(m.name.clone(), d.baseline, d.scenario, d.percent()));
                }
                let (before, after) = (baseline.result.paid(), simulated.result.paid());
                let percent = (!before.is_zero())
                    .then(|| ((after - before) * Decimal::ONE_HUNDRED / before).round_dp(1));
                county = Some(line("Länet".into(), before, after, percent));
            }
            Err(error) => problems.push(Problem {
                field: "tillvaxt".into(),
                message: format!("Scenariot går inte att räkna: {error}"),
            }),
        }
    }
    let layout = Layout::new(
        &state,
        &format!("Tänk om: tilläggsbelopp {year}"),
        Some(&user),
    )
    .await;
    render(
        if problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &SimulationPage {
            layout,
            year,
            years: all_years,
            growth,
            rule_growth: rules
                .growth
                .get(&year)
                .map_or("–".to_owned(), |g| g.factor.to_string().replace('.', ",")),
            threshold,
            rule_threshold: rules.distance_threshold_km.to_string().replace('.', ","),
            pots,
            distance,
            problems,
            lines,
            county,
        },
    )
}
