//! Utvecklingsbudget: a year's joint development items with each party's cost and decision, the
//! per-party cost table with its exports, and the forms that add an item and record a decision.

use crate::AppState;
use crate::additional_amount::data::input_data;
use crate::shared::figures::{YearQuery, kronor, number, whole_kronor};
use crate::shared::layout::{Layout, XLSX, download, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::Party;
use samsyn_domain::development_budget::{
    BudgetItem, CostSplit, Financing, MunicipalKey, PartyDecision, percent, split, status,
};
use samsyn_reports::development_budget::{cost_table, parties, population_key, to_csv, to_xlsx};
use samsyn_store::StoreError;
use samsyn_store::development_budget::{self as store, StoredItem};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    #[serde(default)]
    ar: String,
    #[serde(default)]
    titel: String,
    #[serde(default)]
    belopp: String,
    #[serde(default)]
    finansiering: String,
    #[serde(default)]
    regionens_andel: String,
    #[serde(default)]
    fordelning: String,
}

pub struct ItemLine {
    pub id: String,
    pub title: String,
    pub amount: String,
    pub financing: &'static str,
    pub split: String,
    pub status: String,
}

pub struct CostRow {
    pub party: String,
    pub costs: Vec<String>,
    pub total: String,
}

#[derive(Template)]
#[template(path = "development_budget/budget.html")]
struct BudgetPage {
    layout: Layout,
    year: i16,
    years: Vec<i16>,
    items: Vec<ItemLine>,
    titles: Vec<String>,
    rows: Vec<CostRow>,
    totals: Vec<String>,
    total: String,
    population: String,
    cost_problem: String,
    may_change: bool,
    problems: Vec<(String, String)>,
    form: ItemForm,
}

fn split_text(item: &BudgetItem) -> String {
    format!(
        "Regionen {} %, kommunerna {} % {}",
        item.region_percent
            .normalize()
            .to_string()
            .replace('.', ","),
        (rust_decimal::Decimal::ONE_HUNDRED - item.region_percent)
            .normalize()
            .to_string()
            .replace('.', ","),
        item.municipal_key.label()
    )
}

/// The population key for `year` and the year it counts.
async fn population(
    state: &AppState,
    year: i16,
) -> (BTreeMap<samsyn_domain::MunicipalityCode, u64>, String) {
    match state
        .db({
            let rules = state.rules.clone();
            move |c| input_data(c, &rules)
        })
        .await
    {
        Ok(data) => {
            let (key, used) = population_key(&state.rules, &data.population, year);
            let text = used.map_or("ingen befolkningsuppgift".to_owned(), |y| {
                format!("invånare 31 dec {y}, {}", data.population_source)
            });
            (key, text)
        }
        Err(_) => (BTreeMap::new(), "befolkningen kunde inte läsas".to_owned()),
    }
}

/// Every item split between the parties, or why the costs cannot be shown: a municipality
/// without population, or an item that cannot be divided.
fn costs(
    state: &AppState,
    items: &[StoredItem],
    key: &BTreeMap<samsyn_domain::MunicipalityCode, u64>,
) -> Result<Vec<(BudgetItem, CostSplit)>, String> {
    if let Some(m) = state
        .rules
        .municipalities
        .iter()
        .find(|m| !key.contains_key(&m.code))
    {
        return Err(format!(
            "Kostnaden per part kan inte räknas: befolkningsunderlaget saknar {}. Importera en befolkningsfil med alla kommuner under Tilläggsbelopp → Indata och potter.",
            m.name
        ));
    }
    items
        .iter()
        .map(|s| {
            split(&s.item, key)
                .map(|c| (s.item.clone(), c))
                .map_err(|e| format!("{}: kostnaden kan inte fördelas ({e}).", s.item.title))
        })
        .collect()
}

fn year_from(state: &AppState, text: &str) -> i16 {
    text.trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2200).contains(y))
        .unwrap_or_else(|| state.today().year())
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_from(&state, &query.ar);
    show(
        &state,
        &user,
        year,
        StatusCode::OK,
        Vec::new(),
        ItemForm::default(),
    )
    .await
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
    status_code: StatusCode,
    problems: Vec<(String, String)>,
    form: ItemForm,
) -> Response {
    let loaded = state
        .db(move |c| {
            let items = store::items_of(c, year)?;
            let mut decided = Vec::new();
            for item in &items {
                decided.push(store::decisions_on(c, &item.id)?);
            }
            Ok((items, decided, store::years(c)?))
        })
        .await;
    let Ok((items, decided, mut years)) = loaded else {
        return message_page(
            state,
            Some(user),
            StatusCode::INTERNAL_SERVER_ERROR,
            "Något gick fel",
            "Utvecklingsbudgeten kunde inte läsas. Försök igen om en stund.",
        );
    };
    let this_year = state.today().year();
    years.extend([year, this_year, this_year + 1]);
    years.sort_unstable();
    years.dedup();
    let (key, population) = population(state, year).await;
    let all_parties = parties(&state.rules);
    let lines = items
        .iter()
        .zip(&decided)
        .map(|(s, decisions)| {
            let by_party: BTreeMap<String, PartyDecision> = decisions
                .iter()
                .map(|d| (d.party.code(), d.decision))
                .collect();
            ItemLine {
                id: s.id.clone(),
                title: s.item.title.clone(),
                amount: kronor(s.item.amount),
                financing: s.item.financing.label(),
                split: split_text(&s.item),
                status: status(&all_parties, &by_party).text(),
            }
        })
        .collect();
    let (table, cost_problem) = match costs(state, &items, &key) {
        Ok(split) => (cost_table(&state.rules, &split), String::new()),
        Err(problem) => (cost_table(&state.rules, &[]), problem),
    };
    let defaults = &state.rules.development_budget;
    let form = ItemForm {
        regionens_andel: if form.regionens_andel.is_empty() {
            defaults.region_percent.to_string()
        } else {
            form.regionens_andel
        },
        fordelning: if form.fordelning.is_empty() {
            defaults.municipal_key.code().to_owned()
        } else {
            form.fordelning
        },
        ..form
    };
    let layout = Layout::new(state, &format!("Utvecklingsbudget {year}"), Some(user)).await;
    render(
        status_code,
        &BudgetPage {
            layout,
            year,
            years,
            items: lines,
            titles: table.items.clone(),
            rows: table
                .rows
                .iter()
                .map(|(party, costs, total)| CostRow {
                    party: party.clone(),
                    costs: costs.iter().map(|c| whole_kronor(*c)).collect(),
                    total: whole_kronor(*total),
                })
                .collect(),
            totals: table.totals.iter().map(|t| whole_kronor(*t)).collect(),
            total: whole_kronor(table.total),
            population,
            cost_problem,
            may_change: user.user.role.records_economic_decisions(),
            problems,
            form,
        },
    )
}

pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<ItemForm>,
) -> Response {
    let year = year_from(&state, &form.ar);
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: &str| {
        problems.push((field.to_owned(), message.to_owned()));
    };
    let title = form.titel.trim().to_owned();
    if title.is_empty() {
        problem("titel", "Insats: skriv vad insatsen gäller");
    } else if let Some(message) = samsyn_domain::text::problem(
        "Insats",
        &title,
        samsyn_domain::text::SHORT_TEXT_CHARS,
        false,
    ) {
        problem("titel", &message);
    }
    let amount =
        number(&form.belopp).filter(|a| *a > rust_decimal::Decimal::ZERO && a.fract().is_zero());
    if amount.is_none() {
        problem(
            "belopp",
            "Belopp: skriv beloppet i hela kronor, t.ex. 1 200 000",
        );
    }
    let financing = Financing::parse(&form.finansiering);
    if financing.is_none() {
        problem(
            "finansiering",
            "Finansiering: välj statliga stimulansmedel eller lokalt politiskt beslut",
        );
    }
    let region_percent = percent(&form.regionens_andel);
    if region_percent.is_none() {
        problem(
            "regionens_andel",
            "Regionens andel: skriv en procentsats mellan 0 och 100, t.ex. 50",
        );
    }
    let municipal_key = MunicipalKey::parse(&form.fordelning);
    if municipal_key.is_none() {
        problem(
            "fordelning",
            "Kommunernas fördelning: välj efter befolkning eller lika delar",
        );
    }
    let (Some(amount), Some(financing), Some(region_percent), Some(municipal_key), true) = (
        amount,
        financing,
        region_percent,
        municipal_key,
        problems.is_empty(),
    ) else {
        return show(
            &state,
            &user,
            year,
            StatusCode::UNPROCESSABLE_ENTITY,
            problems,
            form,
        )
        .await;
    };
    let item = BudgetItem {
        year,
        title,
        amount,
        financing,
        region_percent,
        municipal_key,
    };
    let (user_id, now) = (user.user.id.clone(), state.clock.now());
    match state
        .db(move |c| store::add_item(c, &item, &user_id, now))
        .await
    {
        Ok(id) => Redirect::to(&format!("/utvecklingsbudget/{id}")).into_response(),
        Err(error) => {
            tracing::error!(%error, "insatsen sparades inte");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn export(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(format): Path<String>,
    Query(query): Query<YearQuery>,
) -> Response {
    let year = year_from(&state, &query.ar);
    let Ok(items) = state.db(move |c| store::items_of(c, year)).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let (key, _) = population(&state, year).await;
    let Ok(split) = costs(&state, &items, &key) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let table = cost_table(&state.rules, &split);
    let name = format!("utvecklingsbudget-{year}");
    match format.as_str() {
        "csv" => download(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            to_csv(&table),
        ),
        "xlsx" => match to_xlsx(&table, year) {
            Ok(bytes) => download(XLSX, &format!("{name}.xlsx"), bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

pub struct PartyLine {
    pub code: String,
    pub name: String,
    pub cost: String,
    pub decision: String,
    pub note: String,
    pub recorded: String,
    pub decided: bool,
}

#[derive(Template)]
#[template(path = "development_budget/item.html")]
struct ItemPage {
    layout: Layout,
    id: String,
    year: i16,
    title: String,
    amount: String,
    financing: &'static str,
    split: String,
    status: String,
    population: String,
    cost_problem: String,
    created: String,
    parties: Vec<PartyLine>,
    all_decided: bool,
    may_change: bool,
    problem_field: &'static str,
    problem: String,
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    part: String,
    #[serde(default)]
    beslut: String,
    #[serde(default)]
    anteckning: String,
}

pub async fn item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    show_item(&state, &user, id, StatusCode::OK, ("", String::new())).await
}

async fn show_item(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    status_code: StatusCode,
    (problem_field, problem): (&'static str, String),
) -> Response {
    let loaded = state
        .db(move |c| Ok((store::item(c, &id)?, store::decisions_on(c, &id)?)))
        .await;
    let (stored, decisions) = match loaded {
        Ok(found) => found,
        Err(StoreError::NotFound) => {
            return message_page(
                state,
                Some(user),
                StatusCode::NOT_FOUND,
                "Insatsen finns inte",
                "Gå till utvecklingsbudgeten och välj en insats i listan.",
            );
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let (key, population) = population(state, stored.item.year).await;
    let one = std::slice::from_ref(&stored);
    let (split, cost_problem) = match costs(state, one, &key) {
        Ok(mut all) => (all.pop().map(|(_, c)| c), String::new()),
        Err(problem) => (None, problem),
    };
    let all = parties(&state.rules);
    let by_party: BTreeMap<String, PartyDecision> = decisions
        .iter()
        .map(|d| (d.party.code(), d.decision))
        .collect();
    let lines = all
        .iter()
        .map(|party| {
            let decision = decisions.iter().find(|d| d.party == *party);
            PartyLine {
                code: party.code(),
                name: state.rules.party_name(*party),
                cost: split
                    .as_ref()
                    .map_or("–".to_owned(), |s| kronor(s.of(*party))),
                decision: decision.map_or("Inte beslutat".to_owned(), |d| {
                    d.decision.label().to_owned()
                }),
                note: decision.map(|d| d.note.clone()).unwrap_or_default(),
                recorded: decision
                    .map(|d| format!("{} {}", d.recorded_by, state.local_date(d.recorded_at)))
                    .unwrap_or_default(),
                decided: decision.is_some(),
            }
        })
        .collect();
    let layout = Layout::new(state, &stored.item.title, Some(user)).await;
    render(
        status_code,
        &ItemPage {
            layout,
            id: stored.id.clone(),
            year: stored.item.year,
            title: stored.item.title.clone(),
            amount: kronor(stored.item.amount),
            financing: stored.item.financing.label(),
            split: split_text(&stored.item),
            status: status(&all, &by_party).text(),
            population,
            cost_problem,
            all_decided: decisions.len() >= all.len(),
            created: format!(
                "{} av {}",
                state.local_date(stored.created_at),
                stored.created_by
            ),
            parties: lines,
            may_change: user.user.role.records_economic_decisions(),
            problem_field,
            problem,
        },
    )
}

pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    let party = Party::from_code(&form.part).filter(|p| parties(&state.rules).contains(p));
    let decision = PartyDecision::parse(&form.beslut);
    let note_problem = samsyn_domain::text::problem(
        "Protokoll",
        form.anteckning.trim(),
        samsyn_domain::text::SHORT_TEXT_CHARS,
        false,
    );
    let problem = match (party, decision, form.anteckning.trim().is_empty()) {
        (None, _, _) => ("part", "Part: välj vilken part som har beslutat."),
        (_, None, _) => ("beslut", "Beslut: välj ja eller nej."),
        (_, _, true) => (
            "anteckning",
            "Protokoll: skriv var beslutet finns, t.ex. \"KS 2026-12-01 § 3\".",
        ),
        _ => match &note_problem {
            Some(message) => ("anteckning", message.as_str()),
            None => ("", ""),
        },
    };
    let (Some(party), Some(decision), ("", _)) = (party, decision, problem) else {
        return show_item(
            &state,
            &user,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            (problem.0, problem.1.to_owned()),
        )
        .await;
    };
    let (target, user_id, now, note) = (
        id.clone(),
        user.user.id.clone(),
        state.clock.now(),
        form.anteckning,
    );
    match state
        .db(move |c| store::decide(c, &target, party, decision, &note, &user_id, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/utvecklingsbudget/{id}")).into_response(),
        Err(StoreError::Duplicate(_)) => {
            let name = state.rules.party_name(party);
            show_item(
                &state,
                &user,
                id,
                StatusCode::CONFLICT,
                (
                    "part",
                    format!(
                        "{name} har redan beslutat om insatsen. Ett beslut registreras en gång."
                    ),
                ),
            )
            .await
        }
        Err(StoreError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "beslutet sparades inte");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
