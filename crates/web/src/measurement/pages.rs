//! Hemsjukvårdsmätning: the report page and its CSV export. Pseudonymised, aggregated data:
//! no patient is shown, so no access-log entries; restricted to the roles that follow up.

use crate::AppState;
use crate::shared::layout::{Layout, XLSX, download, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use samsyn_domain::MunicipalityCode;
use samsyn_domain::measurement::{
    Category, Measurement, Period, exact_duplicates, measure, with_manual_assessments,
};
use samsyn_reports::measurement::{rows, share, shares_off_100, to_csv};
use samsyn_store::measurement;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

pub struct Row {
    pub name: String,
    pub cost_per_patient: String,
    pub cost_per_inhabitant: String,
    /// KVÅ or manual assessment.
    pub source: &'static str,
    /// Enrolled in ordinary housing aged 65+, as a share of the inhabitants 65+.
    pub enrolled_65: String,
    pub patients: u64,
    pub counts: Vec<(u64, String)>,
    pub nurse_hours_per_patient: String,
    pub rehab_hours_per_patient: String,
    pub delegated: u64,
    /// The municipality took part in this period's measurement (a partial one, such as 2022's,
    /// did not measure every municipality).
    pub measured: bool,
}

#[derive(Template)]
#[template(path = "measurement/report.html")]
struct MeasurementPage {
    layout: Layout,
    period: String,
    periods: Vec<String>,
    categories: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    county: Row,
    chart: String,
    chart_elderly: String,
    chart_hours: String,
    /// Exact duplicate activity rows per municipality (counted, but worth a look).
    duplicates: Vec<(String, u64)>,
    /// Municipalities whose rounded category shares do not sum to 100,0 %, with their sum.
    shares_off: Vec<(String, String)>,
    unknown_codes: Vec<(String, u64)>,
    several_municipalities: u64,
    without_data: Vec<String>,
    published: String,
    rules: String,
    population_year: String,
    /// The region's published category-4 history, where it ships one.
    history: Option<HistoryView>,
    /// Municipalities this period did not measure.
    unmeasured: usize,
    cost_note: String,
}

/// The category-4 development table: published rows beside this measurement's counts.
struct HistoryView {
    base_year: i16,
    outcome_year: i16,
    shift_percent: String,
    source: String,
    /// Name, base outcome, projection, projection with shift, outcome, and this measurement.
    rows: Vec<(String, u64, u64, u64, u64, String)>,
    county: Option<(u64, u64, u64, u64)>,
    measured_in_base_year: u64,
    extrapolated: String,
}

fn per_patient(minutes: u64, patients: u64) -> String {
    if patients == 0 {
        return "–".into();
    }
    let tenths = (minutes * 10 + 30 * patients) / (60 * patients);
    format!("{},{}", tenths / 10, tenths % 10)
}

/// The measurement, enrolled 65+ per municipality, and exact duplicate rows per municipality.
type Loaded = (
    Measurement,
    std::collections::BTreeMap<String, u64>,
    std::collections::BTreeMap<samsyn_domain::MunicipalityCode, u64>,
);

async fn load(state: &AppState, period: Period) -> Result<Loaded, samsyn_store::StoreError> {
    let rules = state.rules.clone();
    state
        .db(move |conn| {
            let activities = measurement::activities_in(conn, period)?;
            let enrollments = measurement::enrollments_overlapping(conn, period)?;
            let elderly = measurement::enrolled_65_plus(conn, period)?;
            let manual = measurement::assessments_for(conn, period)?;
            let measured = measure(period, &activities, &enrollments, &rules.measurement);
            let duplicates = exact_duplicates(&activities);
            Ok((
                with_manual_assessments(measured, &manual),
                elderly,
                duplicates,
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
    // Without data yet, the latest published measurement (or none): the page then says so.
    let fallback = state
        .rules
        .data
        .published_measurements
        .last()
        .map(|m| m.period.clone())
        .unwrap_or_default();
    let period = Period::month(&label).or_else(|| Period::month(&fallback));
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
    let (period, periods) = period_of(&state, &query).await;
    let (result, elderly, duplicates) = match load(&state, period).await {
        Ok(loaded) => loaded,
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
    let year = period.first.year() - 1;
    let mut population_year = None;
    let (mut elderly_enrolled, mut elderly_inhabitants) = (0u64, 0u64);
    let mut missing_cost: Vec<String> = Vec::new();
    let (mut elderly_bars, mut hour_bars) = (Vec::new(), Vec::new());
    for (code, name, r) in &table {
        let enrolled = elderly.get(code).copied().unwrap_or(0);
        let inhabitants = MunicipalityCode::parse(code)
            .and_then(|code| state.rules.data.aged_65_plus(code, year));
        population_year = population_year.or(inhabitants.map(|(y, _)| y));
        let inhabitants = inhabitants.map(|(_, n)| n).unwrap_or(0);
        elderly_enrolled += enrolled;
        elderly_inhabitants += inhabitants;
        if inhabitants > 0 {
            elderly_bars.push((
                name.clone(),
                vec![enrolled as f64 * 100.0 / inhabitants as f64],
            ));
        }
        if r.patients > 0 {
            let per_patient = |minutes: u64| minutes as f64 / 60.0 / r.patients as f64;
            hour_bars.push((
                name.clone(),
                vec![per_patient(r.nurse_minutes), per_patient(r.rehab_minutes)],
            ));
        }
        for (total, c) in county_counts.iter_mut().zip(r.categories) {
            *total += c;
        }
        patients += r.patients;
        nurse += r.nurse_minutes;
        rehab += r.rehab_minutes;
        delegated += r.delegated_activities;
        let hourly = state.rules.measurement.costs.hourly(code);
        let cost = hourly.map(|h| {
            samsyn_domain::Sek::new(
                h.amount() * rust_decimal::Decimal::from(r.nurse_minutes + r.rehab_minutes)
                    / rust_decimal::Decimal::from(60),
            )
        });
        let inhabitants_total = MunicipalityCode::parse(code)
            .and_then(|code| state.rules.data.inhabitants(code, year))
            .map(|(_, n)| n)
            .unwrap_or(0);
        let per = |n: u64| match cost {
            Some(c) if n > 0 => {
                samsyn_domain::Sek::new(c.amount() / rust_decimal::Decimal::from(n))
                    .round_to_krona()
                    .to_string()
            }
            _ => "–".to_owned(),
        };
        if cost.is_none() {
            missing_cost.push(name.clone());
        }
        out.push(Row {
            cost_per_patient: per(r.patients),
            cost_per_inhabitant: per(inhabitants_total),
            name: name.clone(),
            source: if r.manual {
                "Manuell bedömning"
            } else {
                "KVÅ"
            },
            enrolled_65: share(enrolled, inhabitants),
            patients: r.patients,
            counts: r
                .categories
                .iter()
                .map(|c| (*c, share(*c, r.patients)))
                .collect(),
            nurse_hours_per_patient: per_patient(r.nurse_minutes, r.patients),
            rehab_hours_per_patient: per_patient(r.rehab_minutes, r.patients),
            delegated: r.delegated_activities,
            measured: r.patients > 0,
        });
    }
    let county = Row {
        cost_per_patient: "–".into(),
        cost_per_inhabitant: "–".into(),
        name: "Länet".into(),
        source: "",
        enrolled_65: share(elderly_enrolled, elderly_inhabitants),
        patients,
        counts: county_counts
            .iter()
            .map(|c| (*c, share(*c, patients)))
            .collect(),
        nurse_hours_per_patient: per_patient(nurse, patients),
        rehab_hours_per_patient: per_patient(rehab, patients),
        delegated,
        measured: true,
    };
    let series: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
    let chart_rows: Vec<(String, Vec<u64>)> = table
        .iter()
        .map(|(_, name, r)| (name.clone(), r.categories.to_vec()))
        .collect();
    let chart = samsyn_reports::chart::stacked_shares(
        "kategorier",
        "Andel patienter per kategori och kommun",
        "Staplade andelar av kategorierna 1, 2a, 2b, 3, 4 och 5 per kommun; siffrorna finns i tabellen ovan.",
        &series,
        &chart_rows,
    );
    let chart_elderly = samsyn_reports::chart::bars(
        "andel65",
        "Inskrivna 65+ i ordinärt boende, andel av invånare 65+ per kommun",
        "En stapel per kommun med andelen i procent utskriven; siffrorna finns i tabellen ovan.",
        &["Andel"],
        "%",
        &elderly_bars,
    );
    let chart_hours = samsyn_reports::chart::bars(
        "timmar",
        "Timmar per patient under perioden, sjuksköterska och rehabilitering, per kommun",
        "Två staplar per kommun, SSK och rehab, med timmarna utskrivna; siffrorna finns i tabellen ovan.",
        &["SSK", "Rehab"],
        "timmar",
        &hour_bars,
    );
    let duplicates = duplicates
        .into_iter()
        .filter_map(|(code, n)| state.rules.municipality(code).map(|m| (m.name.clone(), n)))
        .collect();
    let shares_off = table
        .iter()
        .filter_map(|(_, name, r)| shares_off_100(&r.categories).map(|sum| (name.clone(), sum)))
        .collect();
    let without_data = table
        .iter()
        .filter(|(_, _, r)| r.patients == 0 && r.delegated_activities == 0)
        .map(|(_, n, _)| n.clone())
        .collect();
    let published = match state.rules.data.published_measurement(&period.label()) {
        Some(published) => {
            let differing: Vec<String> = published
                .counts
                .iter()
                .filter(|(code, counts)| {
                    table
                        .iter()
                        .find(|(c, _, _)| *c == code.as_str())
                        .map(|(_, _, r)| r.categories)
                        != Some(**counts)
                })
                .filter_map(|(code, _)| state.rules.municipality(*code).map(|m| m.name.clone()))
                .collect();
            if differing.is_empty() {
                format!(
                    "Stämmer exakt med det publicerade utfallet för {} ({}), för alla kommuner och kategorier.",
                    period.label(),
                    published.source
                )
            } else {
                format!(
                    "Skiljer sig från det publicerade utfallet för {} ({}) i: {}.",
                    period.label(),
                    published.source,
                    differing.join(", ")
                )
            }
        }
        None => String::new(),
    };
    let unmeasured = out.iter().filter(|r| !r.measured).count();
    let history = state.rules.data.category4_history.as_ref().map(|h| {
        let county: Vec<MunicipalityCode> =
            state.rules.municipalities.iter().map(|m| m.code).collect();
        HistoryView {
            base_year: h.base_year,
            outcome_year: h.outcome_year,
            shift_percent: h.shift_percent.clone(),
            source: h.source.clone(),
            rows: h
                .rows
                .iter()
                .map(|r| {
                    let now = table
                        .iter()
                        .find(|(c, _, _)| r.municipality.is_some_and(|m| *c == m.as_str()))
                        .map(|(_, _, m)| m.count(Category::Four).to_string())
                        .unwrap_or_default();
                    (
                        r.name.clone(),
                        r.base_outcome,
                        r.projection,
                        r.projection_with_shift,
                        r.outcome,
                        now,
                    )
                })
                .collect(),
            county: h.county.as_ref().map(|c| {
                (
                    c.base_outcome,
                    c.projection,
                    c.projection_with_shift,
                    c.outcome,
                )
            }),
            measured_in_base_year: h.rows.iter().map(|r| r.base_outcome).sum(),
            extrapolated: samsyn_reports::measurement::category4::extrapolated(
                &state.rules.data,
                &county,
            )
            .unwrap_or_default(),
        }
    });
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
            chart_elderly,
            chart_hours,
            duplicates,
            shares_off,
            unknown_codes: result.unknown_codes.into_iter().collect(),
            several_municipalities: result.persons_in_several_municipalities,
            without_data,
            published,
            rules: state.rules.display_name(),
            population_year: population_year.map(|y| y.to_string()).unwrap_or_default(),
            history,
            unmeasured,
            cost_note: if missing_cost.is_empty() {
                String::new()
            } else {
                format!(
                    "Kostnaden kan inte beräknas för {} kommuner: regelverket anger ingen årsarbetarkostnad eller årsarbetstid för dem.",
                    missing_cost.len()
                )
            },
        },
    )
}

pub async fn export_csv(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let (period, _) = period_of(&state, &query).await;
    match load(&state, period).await {
        Ok((result, _, _)) => download(
            "text/csv; charset=utf-8",
            &format!("matning-{}.csv", period.label()),
            to_csv(&result, &state.rules),
        ),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct LookupForm {
    #[serde(default)]
    personnummer: String,
}

#[derive(Template)]
#[template(path = "measurement/lookup.html")]
struct LookupPage {
    layout: Layout,
    personnummer: String,
    problem: String,
    searched: bool,
    rows: samsyn_store::measurement::PersonRows,
}

/// Åter-identifiering för rättelse: only administrators, and every lookup is logged.
pub async fn lookup_form(State(state): State<AppState>, user: CurrentUser) -> Response {
    lookup(state, user, None).await
}

pub async fn lookup_search(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<LookupForm>,
) -> Response {
    lookup(state, user, Some(form.personnummer)).await
}

async fn lookup(state: AppState, user: CurrentUser, personnummer: Option<String>) -> Response {
    let layout = Layout::new(&state, "Återidentifiering i mätdata", Some(&user)).await;
    let mut page = LookupPage {
        layout,
        personnummer: String::new(),
        problem: String::new(),
        searched: false,
        rows: Default::default(),
    };
    let Some(text) = personnummer else {
        return render(StatusCode::OK, &page);
    };
    page.personnummer = text.clone();
    let number =
        match samsyn_domain::PersonId::parse(&text, &state.rules.reserve_number, state.today()) {
            Ok(number) => number,
            Err(e) => {
                page.problem = e.to_string();
                return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
        };
    let Some(key) = state.pseudonym_key.clone() else {
        page.problem = "Ingen pseudonymnyckel är konfigurerad (SAMSYN_PSEUDONYM_KEY).".into();
        return render(StatusCode::SERVICE_UNAVAILABLE, &page);
    };
    let pseudonym = key.pseudonym(&number).hex();
    let actor = user.actor();
    let now = state.clock.now();
    let found = state
        .db(move |conn| {
            let patient = samsyn_store::patients::find_by_person_id(conn, &number)?;
            let access = samsyn_store::access_log::Access {
                patient_id: patient.as_ref().map(|p| p.id.as_str()),
                action: samsyn_domain::AccessAction::Read,
                object_type: "matdata",
                object_id: &pseudonym,
                outcome: samsyn_domain::AccessOutcome::Allowed,
            };
            samsyn_store::access_log::record(conn, &actor, access, now)?;
            measurement::rows_for_person(conn, &pseudonym)
        })
        .await;
    match found {
        Ok(rows) => {
            page.rows = rows;
            page.searched = true;
            render(StatusCode::OK, &page)
        }
        Err(error) => {
            tracing::error!(%error, "lookup failed");
            message_page(
                &state,
                Some(&user),
                StatusCode::INTERNAL_SERVER_ERROR,
                "Något gick fel",
                "Försök igen om en stund.",
            )
        }
    }
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let (period, _) = period_of(&state, &query).await;
    let files = state.db(measurement::files).await.unwrap_or_default();
    let inputs: Vec<samsyn_reports::measurement::Input> = files
        .into_iter()
        .map(|f| samsyn_reports::measurement::Input {
            file: f.filename,
            sha256: f.sha256,
        })
        .collect();
    let workbook = match load(&state, period).await {
        Ok((result, _, _)) => samsyn_reports::measurement::to_xlsx(&result, &state.rules, &inputs),
        Err(error) => Err(error.to_string()),
    };
    match workbook {
        Ok(bytes) => download(XLSX, &format!("matning-{}.xlsx", period.label()), bytes),
        Err(error) => {
            tracing::error!(%error, "xlsx export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
