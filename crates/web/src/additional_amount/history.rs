//! Historik: each year's pots and municipal amounts — the decision in force where there is one,
//! else the calculation from today's inputs, marked as such — as tables and charts.

use crate::AppState;
use crate::additional_amount::cycle;
use crate::additional_amount::view::years;
use crate::shared::figures::whole_kronor;
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_reports::additional_amount::Statement;
use samsyn_reports::chart;
use samsyn_store::additional_amount as store;

pub struct YearLine {
    pub year: i16,
    pub status: String,
    pub pots: Vec<String>,
    pub total: String,
}

pub struct MunicipalityLine {
    pub name: String,
    pub totals: Vec<String>,
}

#[derive(Template)]
#[template(path = "additional_amount/history.html")]
struct HistoryPage {
    layout: Layout,
    problems: Vec<String>,
    pot_labels: Vec<String>,
    years: Vec<YearLine>,
    year_labels: Vec<i16>,
    municipalities: Vec<MunicipalityLine>,
    pot_chart: String,
    municipality_chart: String,
}

fn millions(kronor: i64) -> f64 {
    kronor as f64 / 1_000_000.0
}

pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Response {
    let decided = state.db(store::in_force).await.unwrap_or_default();
    let data = cycle::data(&state).await;
    let mut statements: Vec<(Statement, String)> = Vec::new();
    let mut problems = Vec::new();
    for year in years(&state).await {
        match decided.iter().find(|v| v.summary.year == year) {
            Some(v) => match Statement::from_json(&v.statement) {
                Ok(s) => statements.push((
                    s,
                    format!(
                        "{}, version {}",
                        v.summary.status.label(),
                        v.summary.version
                    ),
                )),
                Err(_) => problems.push(format!(
                    "Beslutet för {year} (version {}) går inte att läsa och visas inte.",
                    v.summary.version
                )),
            },
            None => {
                if let Some(s) = data
                    .as_ref()
                    .ok()
                    .and_then(|d| cycle::compute(&state, year, d).ok())
                {
                    statements.push((s, "Beräknat, inget beslut".to_owned()));
                }
            }
        }
    }
    let pot_labels: Vec<String> = state
        .rules
        .additional_amount
        .pots
        .iter()
        .map(|p| p.label.clone())
        .collect();
    let pot_amount = |s: &Statement, i: usize| {
        state
            .rules
            .additional_amount
            .pots
            .get(i)
            .and_then(|rule| s.pots.iter().find(|p| p.name == rule.name))
            .map_or(0, |p| p.amount)
    };
    let years_lines = statements
        .iter()
        .map(|(s, status)| YearLine {
            year: s.year,
            status: status.clone(),
            pots: (0..pot_labels.len())
                .map(|i| whole_kronor(pot_amount(s, i)))
                .collect(),
            total: whole_kronor(s.paid),
        })
        .collect();
    let municipalities = state
        .rules
        .municipalities
        .iter()
        .map(|m| MunicipalityLine {
            name: m.name.clone(),
            totals: statements
                .iter()
                .map(|(s, _)| {
                    s.municipalities
                        .iter()
                        .find(|t| t.code == m.code.as_str())
                        .map_or("–".to_owned(), |t| whole_kronor(t.total))
                })
                .collect(),
        })
        .collect();
    let labels: Vec<&str> = pot_labels.iter().map(String::as_str).collect();
    let pot_chart = chart::bars(
        "potter",
        "Potterna per år, miljoner kronor",
        "Varje års potter i miljoner kronor; beloppen står också i tabellen.",
        &labels,
        "mnkr",
        &statements
            .iter()
            .map(|(s, _)| {
                (
                    s.year.to_string(),
                    (0..labels.len())
                        .map(|i| millions(pot_amount(s, i)))
                        .collect(),
                )
            })
            .collect::<Vec<_>>(),
    );
    let year_names: Vec<String> = statements.iter().map(|(s, _)| s.year.to_string()).collect();
    let municipality_chart = chart::bars(
        "kommuner",
        "Tilläggsbelopp per kommun och år, miljoner kronor",
        "Varje kommuns tilläggsbelopp per år i miljoner kronor; beloppen står också i tabellen.",
        &year_names.iter().map(String::as_str).collect::<Vec<_>>(),
        "mnkr",
        &state
            .rules
            .municipalities
            .iter()
            .map(|m| {
                (
                    m.name.clone(),
                    statements
                        .iter()
                        .map(|(s, _)| {
                            millions(
                                s.municipalities
                                    .iter()
                                    .find(|t| t.code == m.code.as_str())
                                    .map_or(0, |t| t.total),
                            )
                        })
                        .collect(),
                )
            })
            .collect::<Vec<_>>(),
    );
    let layout = Layout::new(&state, "Tilläggsbeloppets historik", Some(&user)).await;
    render(
        StatusCode::OK,
        &HistoryPage {
            layout,
            problems,
            year_labels: statements.iter().map(|(s, _)| s.year).collect(),
            pot_labels,
            years: years_lines,
            municipalities,
            pot_chart,
            municipality_chart,
        },
    )
}
