//! Hemsjukvårdsmätning: the report page and its CSV export. Pseudonymised, aggregated data:
//! no patient is shown, so no access-log entries; restricted to the roles that follow up.

use super::{Layout, message_page, render};
use crate::AppState;
use crate::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use samsyn_domain::Role;
use samsyn_domain::measurement::{Category, Measurement, Period, measure};
use samsyn_reports::measurement::{rows, share, to_csv};
use samsyn_store::{demo_measurement, measurement};
use serde::Deserialize;

pub fn may_view(role: Role) -> bool {
    matches!(
        role,
        Role::Economist | Role::UnitManager | Role::Coordinator | Role::Administrator
    )
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

pub struct Row {
    pub name: String,
    pub patients: u64,
    pub counts: Vec<(u64, String)>,
    pub nurse_hours_per_patient: String,
    pub rehab_hours_per_patient: String,
    pub delegated: u64,
}

#[derive(Template)]
#[template(path = "measurement.html")]
struct MeasurementPage {
    layout: Layout,
    period: String,
    periods: Vec<String>,
    categories: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    county: Row,
    chart: String,
    unknown_codes: Vec<(String, u64)>,
    several_municipalities: u64,
    without_data: Vec<String>,
    published: String,
    rules: String,
}

fn per_patient(minutes: u64, patients: u64) -> String {
    if patients == 0 {
        return "–".into();
    }
    let tenths = (minutes * 10 + 30 * patients) / (60 * patients);
    format!("{},{}", tenths / 10, tenths % 10)
}

async fn load(state: &AppState, period: Period) -> Result<Measurement, samsyn_store::StoreError> {
    let rules = state.rules.clone();
    state
        .db(move |conn| {
            let activities = measurement::activities_in(conn, period)?;
            let enrollments = measurement::enrollments_overlapping(conn, period)?;
            Ok(measure(
                period,
                &activities,
                &enrollments,
                &rules.measurement,
            ))
        })
        .await
}

/// The period asked for, or the newest with data.
async fn period_of(state: &AppState, query: &PeriodQuery) -> (Period, Vec<String>) {
    let periods = state.db(measurement::periods).await.unwrap_or_default();
    let label = if query.period.is_empty() {
        periods.first().cloned().unwrap_or_default()
    } else {
        query.period.clone()
    };
    let period = Period::month(&label).or_else(|| Period::month("2025-10"));
    (
        period.unwrap_or(Period {
            first: jiff::civil::Date::MIN,
            last: jiff::civil::Date::MIN,
        }),
        periods,
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    if !may_view(user.user.role) {
        return message_page(
            &state,
            Some(&user),
            StatusCode::FORBIDDEN,
            "Inte tillåtet",
            "Mätningen visas för ekonomer, enhetschefer, samordnare och administratörer.",
        );
    }
    let (period, periods) = period_of(&state, &query).await;
    let result = match load(&state, period).await {
        Ok(result) => result,
        Err(error) => {
            tracing::error!(%error, "measurement failed");
            return message_page(
                &state,
                Some(&user),
                StatusCode::INTERNAL_SERVER_ERROR,
                "Något gick fel",
                "Försök igen om en stund.",
            );
        }
    };
    let table = rows(&result, &state.rules);
    let mut county_counts = [0u64; 6];
    let (mut patients, mut nurse, mut rehab, mut delegated) = (0, 0, 0, 0);
    let mut out = Vec::new();
    for (_, name, r) in &table {
        for (total, c) in county_counts.iter_mut().zip(r.categories) {
            *total += c;
        }
        patients += r.patients;
        nurse += r.nurse_minutes;
        rehab += r.rehab_minutes;
        delegated += r.delegated_activities;
        out.push(Row {
            name: name.clone(),
            patients: r.patients,
            counts: r
                .categories
                .iter()
                .map(|c| (*c, share(*c, r.patients)))
                .collect(),
            nurse_hours_per_patient: per_patient(r.nurse_minutes, r.patients),
            rehab_hours_per_patient: per_patient(r.rehab_minutes, r.patients),
            delegated: r.delegated_activities,
        });
    }
    let county = Row {
        name: "Länet".into(),
        patients,
        counts: county_counts
            .iter()
            .map(|c| (*c, share(*c, patients)))
            .collect(),
        nurse_hours_per_patient: per_patient(nurse, patients),
        rehab_hours_per_patient: per_patient(rehab, patients),
        delegated,
    };
    let series: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
    let chart_rows: Vec<(String, Vec<u64>)> = table
        .iter()
        .map(|(_, name, r)| (name.clone(), r.categories.to_vec()))
        .collect();
    let chart = samsyn_reports::chart::stacked_shares(
        "Andel patienter per kategori och kommun",
        "Staplade andelar av kategorierna 1, 2a, 2b, 3, 4 och 5 per kommun; siffrorna finns i tabellen ovan.",
        &series,
        &chart_rows,
    );
    let without_data = table
        .iter()
        .filter(|(_, _, r)| r.patients == 0 && r.delegated_activities == 0)
        .map(|(_, n, _)| n.clone())
        .collect();
    let published = if period.label() == "2025-10" {
        let differing: Vec<String> = demo_measurement::published_2025()
            .into_iter()
            .filter(|(code, counts)| {
                table
                    .iter()
                    .find(|(c, _, _)| *c == code.as_str())
                    .map(|(_, _, r)| r.categories)
                    != Some(*counts)
            })
            .filter_map(|(code, _)| state.rules.municipality(code).map(|m| m.name.clone()))
            .collect();
        if differing.is_empty() {
            "Stämmer exakt med det publicerade utfallet för oktober 2025, för alla kommuner och kategorier.".to_owned()
        } else {
            format!(
                "Skiljer sig från det publicerade utfallet för oktober 2025 i: {}.",
                differing.join(", ")
            )
        }
    } else {
        String::new()
    };
    let layout = Layout::new(&state, "Hemsjukvårdsmätning", Some(&user)).await;
    render(
        StatusCode::OK,
        &MeasurementPage {
            layout,
            period: period.label(),
            periods,
            categories: Category::ALL
                .iter()
                .map(|c| (c.code(), c.label()))
                .collect(),
            rows: out,
            county,
            chart,
            unknown_codes: result.unknown_codes.into_iter().collect(),
            several_municipalities: result.persons_in_several_municipalities,
            without_data,
            published,
            rules: state.rules.reference(),
        },
    )
}

pub async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    if !may_view(user.user.role) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let (period, _) = period_of(&state, &query).await;
    match load(&state, period).await {
        Ok(result) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"matning-{}.csv\"", period.label()),
                ),
            ],
            to_csv(&result, &state.rules),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
