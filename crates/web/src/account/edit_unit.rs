//! Ändra enhet: the administrator changes a unit of her party (name, HSA-id, telephone, the
//! address for the e-mail notice of a new request). Its kind
//! stays, since cases are routed by it. The change matches on what she saw, so two administrators
//! cannot overwrite each other, and it is logged.

use crate::AppState;
use crate::account::fields;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::{FieldError, HsaId, Party};
use samsyn_store::admin_log::{self, AdminChange};
use samsyn_store::units::{self, Unit, UnitDetails};
use samsyn_store::{DbConnection, StoreError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/edit_unit.html")]
struct EditUnitPage {
    layout: Layout,
    unit: Unit,
    form: UnitForm,
    errors: FieldErrors,
}

/// The form as sent, or as the unit stands; `tidigare_*` is what the administrator saw.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    namn: String,
    #[serde(default)]
    hsa_id: String,
    #[serde(default)]
    telefon: String,
    /// The e-mail address for the notice of a new request; empty: none.
    #[serde(default)]
    avisering: String,
    #[serde(default)]
    tidigare_namn: String,
    #[serde(default)]
    tidigare_hsa_id: String,
    #[serde(default)]
    tidigare_telefon: String,
}

/// The party's units, and the one asked for if it is among them.
fn of_party(
    conn: &mut DbConnection,
    party: Party,
    id: &str,
) -> Result<Option<(Unit, Vec<Unit>)>, StoreError> {
    let all = units::of_party(conn, party)?;
    Ok(all
        .iter()
        .find(|u| u.id == id)
        .cloned()
        .map(|unit| (unit, all)))
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: Option<UnitForm>,
    errors: Vec<FieldError>,
) -> Response {
    let party = user.unit.party;
    let found = state
        .db(move |conn| {
            let Some((unit, _)) = of_party(conn, party, &id)? else {
                return Ok(None);
            };
            let address = units::notice_address(conn, &unit.id)?;
            Ok(Some((unit, address)))
        })
        .await;
    let (unit, address) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return not_ours(state, user),
        Err(error) => return unavailable(state, user, error),
    };
    let form = form.unwrap_or_else(|| {
        let hsa_id = unit.hsa_id.clone().unwrap_or_default();
        UnitForm {
            namn: unit.name.clone(),
            hsa_id: hsa_id.clone(),
            telefon: unit.phone.clone(),
            avisering: address.unwrap_or_default(),
            tidigare_namn: unit.name.clone(),
            tidigare_hsa_id: hsa_id,
            tidigare_telefon: unit.phone.clone(),
        }
    });
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &EditUnitPage {
            layout: Layout::build(state, "Ändra enhet", Some(user)),
            unit,
            form,
            errors,
        },
    )
}

/// `GET /admin/enheter/{id}`.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    show(&state, &user, id, None, Vec::new()).await
}

/// `POST /admin/enheter/{id}`: saves the change, or shows the form again with its problems.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<UnitForm>,
) -> Response {
    let name = fields::name(&form.namn, "skriv enhetens namn.");
    let hsa_id = fields::optional_hsa_id(&form.hsa_id);
    let phone = form.telefon.trim().to_owned();
    let phone_problem = samsyn_domain::text::problem(
        "Telefon",
        &phone,
        samsyn_domain::text::SHORT_TEXT_CHARS,
        false,
    )
    .map(|message| FieldError {
        field: "telefon",
        message,
    });
    let address = crate::shared::mail::notice_address(&form.avisering);
    let (name, hsa_id, address) = match (name, hsa_id, phone_problem, address) {
        (Ok(name), Ok(hsa_id), None, Ok(address)) => (name, hsa_id, address),
        (name, hsa_id, phone_problem, address) => {
            let errors = [name.err(), hsa_id.err(), phone_problem, address.err()]
                .into_iter()
                .flatten()
                .collect();
            return show(&state, &user, id, Some(form), errors).await;
        }
    };
    let seen = UnitDetails {
        name: form.tidigare_namn.clone(),
        hsa_id: Some(form.tidigare_hsa_id.clone()).filter(|h| !h.is_empty()),
        phone: form.tidigare_telefon.clone(),
    };
    let new = UnitDetails {
        name,
        hsa_id: hsa_id.as_ref().map(|h| HsaId::as_str(h).to_owned()),
        phone,
    };
    let party = user.unit.party;
    let admin_name = user.user.username.clone();
    let now = state.clock.now();
    let unit_id = id.clone();
    let saved = state
        .db(move |conn| {
            let Some((unit, _)) = of_party(conn, party, &unit_id)? else {
                return Ok(Err(None));
            };
            let others = units::list(conn)?;
            let others = others.iter().filter(|u| u.id != unit.id);
            if others.clone().any(|u| u.name == new.name) {
                return Ok(Err(Some(FieldError {
                    field: "namn",
                    message: "Namn: det finns redan en enhet med det namnet.".into(),
                })));
            }
            if new.hsa_id.is_some() && others.clone().any(|u| u.hsa_id == new.hsa_id) {
                return Ok(Err(Some(fields::hsa_id_taken("en annan enhet"))));
            }
            units::update(conn, &unit.id, &seen, &new)?;
            units::set_notice_address(conn, &unit.id, address.as_deref())?;
            admin_log::record(
                conn,
                &AdminChange {
                    at: now,
                    actor: admin_name,
                    party,
                    action: "ändrade".into(),
                    subject: format!("enhet {}", unit.name),
                    detail: format!(
                        "{}, HSA-id {}, telefon {}, avisering {}",
                        new.name,
                        new.hsa_id.as_deref().unwrap_or("–"),
                        new.phone,
                        address.as_deref().unwrap_or("–")
                    ),
                },
            )?;
            Ok(Ok(()))
        })
        .await;
    match saved {
        Ok(Ok(())) => Redirect::to(&format!("/admin/enheter#enhet-{id}")).into_response(),
        Ok(Err(Some(problem))) => show(&state, &user, id, Some(form), vec![problem]).await,
        Ok(Err(None)) => not_ours(&state, &user),
        Err(StoreError::Conflict) => message_page(
            &state,
            Some(&user),
            StatusCode::CONFLICT,
            "Enheten har ändrats under tiden",
            "Någon annan ändrade enheten medan du skrev. Öppna den igen och gör din ändring på nytt.",
        ),
        Err(error) => unavailable(&state, &user, error),
    }
}

fn not_ours(state: &AppState, user: &CurrentUser) -> Response {
    super::not_ours(
        state,
        user,
        "Enheten finns inte",
        "Det finns ingen sådan enhet hos din organisation.",
    )
}

fn unavailable(state: &AppState, user: &CurrentUser, error: StoreError) -> Response {
    super::unavailable(state, user, error, "Enheten kunde inte sparas")
}
