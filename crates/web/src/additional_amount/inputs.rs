//! Indata och potter: import a new version of an input (population, central towns and hospitals,
//! growth figures) all or nothing with line-precise errors, and enter a pot amount as a decision.
//! Both take effect in the next calculation; decided versions keep what they were decided on.

use crate::AppState;
use crate::additional_amount::data::input_data;
use crate::shared::figures::{kronor, number};
use crate::shared::layout::{Layout, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::additional_amount::inputs::{
    GROWTH_HEADER, PLACES_HEADER, POPULATION_HEADER, ROAD_HEADER, parse_growth, parse_places,
    parse_population, parse_road_table,
};
use samsyn_domain::measurement::RowError;
use samsyn_domain::text;
use samsyn_store::additional_amount::{self as store, InputKind, NewPotDecision};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Files larger than this are not an input of a county's calculation.
const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

pub struct InputLine {
    pub kind: &'static str,
    pub source: String,
    pub header: &'static str,
}

pub struct DecisionLine {
    pub year: i16,
    pub pot: String,
    pub amount: String,
    pub note: String,
    pub by: String,
}

pub struct PotOption {
    pub name: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "additional_amount/inputs.html")]
struct InputsPage {
    layout: Layout,
    inputs: Vec<InputLine>,
    decisions: Vec<DecisionLine>,
    pots: Vec<PotOption>,
    overrides: Vec<OverrideLine>,
    /// A pot is shared by distance: only then are road distances and exceptions offered.
    has_distance: bool,
    municipalities: Vec<(String, String)>,
    may_change: bool,
    notice: String,
    import_errors: Vec<String>,
    problems: Vec<(String, String)>,
    form: PotForm,
}

pub struct OverrideLine {
    pub town: String,
    pub eligible: &'static str,
    pub reason: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct PotForm {
    #[serde(default)]
    ar: String,
    #[serde(default)]
    pott: String,
    #[serde(default)]
    belopp: String,
    #[serde(default)]
    anteckning: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    klart: String,
}

fn kind_label(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Population => "Befolkning per kommun och ålder (SCB)",
        InputKind::Places => "Centralorter och sjukhus med koordinater",
        InputKind::Growth => "Skatteunderlagets utveckling per år",
        InputKind::RoadDistances => "Vägavstånd till närmaste sjukhus",
    }
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    status: StatusCode,
    notice: String,
    import_errors: Vec<String>,
    problems: Vec<(String, String)>,
    form: PotForm,
) -> Response {
    let rules = state.rules.clone();
    let loaded = state
        .db(move |c| Ok((input_data(c, &rules)?, store::pot_decisions(c)?)))
        .await;
    let Ok((data, decisions)) = loaded else {
        return crate::shared::layout::message_page(
            state,
            Some(user),
            StatusCode::INTERNAL_SERVER_ERROR,
            "Något gick fel",
            "Indata kunde inte läsas. Försök igen om en stund.",
        );
    };
    let inputs = vec![
        InputLine {
            kind: kind_label(InputKind::Population),
            source: data.population_source.clone(),
            header: POPULATION_HEADER,
        },
        InputLine {
            kind: kind_label(InputKind::Places),
            source: data.places_source.clone(),
            header: PLACES_HEADER,
        },
        InputLine {
            kind: kind_label(InputKind::Growth),
            source: data
                .growth_source
                .clone()
                .unwrap_or_else(|| "regelverkets värden".to_owned()),
            header: GROWTH_HEADER,
        },
        InputLine {
            kind: kind_label(InputKind::RoadDistances),
            source: data.road_source.clone().unwrap_or_else(|| {
                "ingen (regelverket mäter fågelvägen om inget annat anges)".to_owned()
            }),
            header: ROAD_HEADER,
        },
    ];
    let label = |pot: &str| state.rules.additional_amount.label(pot).to_owned();
    let overrides = data
        .overrides
        .iter()
        .map(|(code, o)| OverrideLine {
            town: data
                .places
                .towns
                .get(code)
                .map_or_else(|| code.to_string(), |t| t.name.clone()),
            eligible: if o.eligible { "Ingår" } else { "Ingår inte" },
            reason: o.reason.clone(),
        })
        .collect();
    let layout = Layout::new(state, "Indata och potter för tilläggsbeloppet", Some(user)).await;
    render(
        status,
        &InputsPage {
            layout,
            has_distance: state.rules.additional_amount.has_distance_pot(),
            inputs,
            decisions: decisions
                .iter()
                .map(|d| DecisionLine {
                    year: d.year,
                    pot: label(&d.pot),
                    amount: kronor(d.amount),
                    note: d.note.clone(),
                    by: format!("{} {}", d.decided_by, state.local_date(d.decided_at)),
                })
                .collect(),
            pots: state
                .rules
                .additional_amount
                .pots
                .iter()
                .map(|p| PotOption {
                    name: p.name.clone(),
                    label: p.label.clone(),
                })
                .collect(),
            overrides,
            municipalities: state
                .rules
                .municipalities
                .iter()
                .map(|m| (m.code.to_string(), m.name.clone()))
                .collect(),
            may_change: user.user.role.records_economic_decisions(),
            notice,
            import_errors,
            problems,
            form,
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Response {
    let notice = match done.klart.as_str() {
        "pott" => "Beslutet om potten är sparat. Det gäller från nästa beräkning.".to_owned(),
        "avstand" => {
            "Undantaget från avståndsregeln är sparat. Det gäller från nästa beräkning.".to_owned()
        }
        kind => InputKind::parse(kind).map_or_else(String::new, |k| {
            format!(
                "{} är importerad som ny version. Den gäller från nästa beräkning; beslutade versioner ändras inte.",
                kind_label(k)
            )
        }),
    };
    show(
        &state,
        &user,
        StatusCode::OK,
        notice,
        Vec::new(),
        Vec::new(),
        PotForm::default(),
    )
    .await
}

/// Reads the whole file and checks it with the kind's parser before anything is stored.
fn check(kind: InputKind, filename: &str, text: &str) -> Result<(), Vec<RowError>> {
    match kind {
        InputKind::Population => parse_population(filename, text).map(|_| ()),
        InputKind::Places => parse_places(filename, text).map(|_| ()),
        InputKind::Growth => parse_growth(filename, text).map(|_| ()),
        InputKind::RoadDistances => parse_road_table(filename, text).map(|_| ()),
    }
}

pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let mut kind = None;
    let mut file = None;
    let refuse = |message: String| vec![message];
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("slag") => kind = InputKind::parse(&field.text().await.unwrap_or_default()),
                Some("fil") => {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    match field.bytes().await {
                        Ok(bytes) if bytes.len() <= MAX_INPUT_BYTES => file = Some((name, bytes)),
                        _ => {
                            return show(
                                &state,
                                &user,
                                StatusCode::UNPROCESSABLE_ENTITY,
                                String::new(),
                                refuse(
                                    "Filen kunde inte tas emot. Den får vara högst 2 MB.".into(),
                                ),
                                Vec::new(),
                                PotForm::default(),
                            )
                            .await;
                        }
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                file = None;
                break;
            }
        }
    }
    let problem = match (&kind, &file) {
        (None, _) => Some("Välj vilket slags indata filen innehåller."),
        (_, None) => Some("Välj en fil att importera."),
        (_, Some((_, bytes))) if bytes.is_empty() => Some("Filen är tom."),
        _ => None,
    };
    let (Some(kind), Some((filename, bytes)), None) = (kind, file, problem) else {
        return show(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
            refuse(problem.unwrap_or_default().to_owned()),
            Vec::new(),
            PotForm::default(),
        )
        .await;
    };
    let filename = if filename.is_empty() {
        format!("{}.csv", kind.code())
    } else {
        filename
    };
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return show(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
            refuse(format!(
                "{filename}: filen är inte UTF-8-text. Spara den som CSV UTF-8."
            )),
            Vec::new(),
            PotForm::default(),
        )
        .await;
    };
    if let Err(errors) = check(kind, &filename, &text) {
        return show(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
            errors.iter().map(ToString::to_string).collect(),
            Vec::new(),
            PotForm::default(),
        )
        .await;
    }
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let (user_id, now) = (user.user.id.clone(), state.clock.now());
    match state
        .db(move |c| store::import_input(c, kind, &filename, &sha256, &text, &user_id, now))
        .await
    {
        Ok(_) => Redirect::to(&format!("/tillagg/underlag?klart={}", kind.code())).into_response(),
        Err(error) => {
            tracing::error!(%error, "indata för tilläggsbeloppet sparades inte");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn decide_pot(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<PotForm>,
) -> Response {
    let mut problems = Vec::new();
    let year = form
        .ar
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|y| (2000..=2200).contains(y));
    if year.is_none() {
        problems.push((
            "ar".to_owned(),
            "År: skriv betalningsåret, t.ex. 2027".to_owned(),
        ));
    }
    let pot = state
        .rules
        .additional_amount
        .pots
        .iter()
        .find(|p| p.name == form.pott)
        .map(|p| p.name.clone());
    if pot.is_none() {
        problems.push(("pott".to_owned(), "Pott: välj en pott".to_owned()));
    }
    let amount = number(&form.belopp).filter(|a| !a.is_sign_negative() && a.scale() <= 2);
    if amount.is_none() {
        problems.push((
            "belopp".to_owned(),
            "Belopp: skriv beloppet i kronor, t.ex. 5 490 258".to_owned(),
        ));
    }
    if form.anteckning.trim().is_empty() {
        problems.push((
            "anteckning".to_owned(),
            "Beslut: skriv vem som beslutade och när, t.ex. \"Ledningsgruppen 2026-12-10, § 4\""
                .to_owned(),
        ));
    }
    if let Some(problem) = text::problem(
        "Beslut",
        form.anteckning.trim(),
        text::LONG_TEXT_CHARS,
        true,
    ) {
        problems.push(("anteckning".to_owned(), problem));
    }
    let (Some(year), Some(pot), Some(amount), true) = (year, pot, amount, problems.is_empty())
    else {
        return show(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
            Vec::new(),
            problems,
            form,
        )
        .await;
    };
    let (user_id, now, note) = (user.user.id.clone(), state.clock.now(), form.anteckning);
    match state
        .db(move |c| {
            store::decide_pot(
                c,
                &NewPotDecision {
                    year,
                    pot: &pot,
                    amount,
                    note: &note,
                    user_id: &user_id,
                },
                now,
            )
        })
        .await
    {
        Ok(()) => Redirect::to("/tillagg/underlag?klart=pott").into_response(),
        Err(error) => {
            tracing::error!(%error, "beslut om pott sparades inte");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Deserialize, Default)]
pub struct OverrideForm {
    #[serde(default)]
    kommun: String,
    #[serde(default)]
    ingar: String,
    #[serde(default)]
    skal: String,
}

/// Records an exception to the distance rule with its reason, or returns a municipality to the
/// computed distance.
pub async fn record_override(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::Form(form): axum::Form<OverrideForm>,
) -> Response {
    let code = samsyn_domain::MunicipalityCode::parse(&form.kommun)
        .filter(|c| state.rules.municipality(*c).is_some());
    let eligible = match form.ingar.as_str() {
        "ja" => Some(Some(true)),
        "nej" => Some(Some(false)),
        "berakna" => Some(None),
        _ => None,
    };
    let mut problems = Vec::new();
    if code.is_none() {
        problems.push(("kommun".to_owned(), "Kommun: välj en kommun".to_owned()));
    }
    if eligible.is_none() {
        problems.push((
            "ingar".to_owned(),
            "Ingår: välj ja, nej eller enligt avståndet".to_owned(),
        ));
    }
    if form.skal.trim().is_empty() {
        problems.push((
            "skal".to_owned(),
            "Skäl: skriv varför och vem som beslutade, t.ex. \"Vägavstånd 41 km, samverkansrådet 2026-11-30\"".to_owned(),
        ));
    }
    if let Some(problem) = text::problem("Skäl", form.skal.trim(), text::LONG_TEXT_CHARS, true) {
        problems.push(("skal".to_owned(), problem));
    }
    let (Some(code), Some(eligible), true) = (code, eligible, problems.is_empty()) else {
        return show(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
            Vec::new(),
            problems,
            PotForm::default(),
        )
        .await;
    };
    let (user_id, now, reason) = (user.user.id.clone(), state.clock.now(), form.skal);
    match state
        .db(move |c| store::record_override(c, code, eligible, &reason, &user_id, now))
        .await
    {
        Ok(()) => Redirect::to("/tillagg/underlag?klart=avstand").into_response(),
        Err(error) => {
            tracing::error!(%error, "undantaget sparades inte");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
