//! Enheter: the administrator's units of her own party, with their HSA-ids, and a new unit of a
//! kind that fits the party (municipal kinds for a municipality, the others for the region). The
//! unit and its administration-log entry are one transaction.

use crate::AppState;
use crate::account::fields;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::{FieldError, HsaId, UnitKind};
use samsyn_store::StoreError;
use samsyn_store::admin_log::{self, AdminChange};
use samsyn_store::units::{self, Unit};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/units.html")]
struct UnitsPage {
    layout: Layout,
    party_name: String,
    units: Vec<Unit>,
    /// The kinds a unit of this party may be.
    kinds: Vec<UnitKind>,
    form: NewUnitForm,
    errors: FieldErrors,
}

/// The *Ny enhet* form as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewUnitForm {
    #[serde(default)]
    namn: String,
    #[serde(default)]
    typ: String,
    #[serde(default)]
    hsa_id: String,
    #[serde(default)]
    telefon: String,
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    form: NewUnitForm,
    errors: Vec<FieldError>,
) -> Response {
    let party = user.unit.party;
    let listed = state.db(move |conn| units::of_party(conn, party)).await;
    let Ok(units) = listed else {
        return message_page(
            state,
            Some(user),
            StatusCode::SERVICE_UNAVAILABLE,
            "Enheterna kunde inte hämtas",
            "Försök igen om en stund.",
        );
    };
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &UnitsPage {
            layout: Layout::build(state, "Enheter", Some(user)),
            party_name: state.rules.party_name(party),
            units,
            kinds: UnitKind::ALL
                .into_iter()
                .filter(|k| k.fits(party))
                .collect(),
            form,
            errors,
        },
    )
}

/// `GET /admin/enheter`.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Response {
    show(&state, &user, NewUnitForm::default(), Vec::new()).await
}

/// `POST /admin/enheter`: adds the unit, or shows the page again with the problems.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewUnitForm>,
) -> Response {
    let party = user.unit.party;
    let mut errors = Vec::new();
    let name = fields::name(&form.namn, "skriv enhetens namn.")
        .map_err(|e| errors.push(e))
        .ok();
    let kind = UnitKind::from_code(&form.typ).filter(|k| k.fits(party));
    if kind.is_none() {
        errors.push(FieldError {
            field: "typ",
            message: "Typ: välj en av de enhetstyper som din organisation har.".into(),
        });
    }
    let hsa_id = match HsaId::parse(&form.hsa_id) {
        Ok(id) => Some(id),
        Err(e) => {
            errors.push(FieldError {
                field: "hsa_id",
                message: format!("HSA-id: {e}"),
            });
            None
        }
    };
    let phone = form.telefon.trim().to_owned();
    if let Some(problem) = samsyn_domain::text::problem(
        "Telefon",
        &phone,
        samsyn_domain::text::SHORT_TEXT_CHARS,
        false,
    ) {
        errors.push(FieldError {
            field: "telefon",
            message: problem,
        });
    }
    let (Some(name), Some(kind), Some(hsa_id), true) = (name, kind, hsa_id, errors.is_empty())
    else {
        return show(&state, &user, form, errors).await;
    };
    let admin_name = user.user.username.clone();
    let now = state.clock.now();
    let created = state
        .db(move |conn| {
            let unit = units::create(conn, &name, kind, party, &phone, now)?;
            units::set_hsa_id(conn, &unit.id, hsa_id.as_str())?;
            admin_log::record(
                conn,
                &AdminChange {
                    at: now,
                    actor: admin_name,
                    party,
                    action: "skapade".into(),
                    subject: format!("enhet {}", unit.name),
                    detail: format!("{}, {}", kind.label(), hsa_id.as_str()),
                },
            )?;
            Ok(unit.id)
        })
        .await;
    match created {
        Ok(id) => Redirect::to(&format!("/admin/enheter#enhet-{id}")).into_response(),
        Err(StoreError::Duplicate(what)) => {
            let problem = if what == "HSA-id" {
                fields::hsa_id_taken("en annan enhet")
            } else {
                FieldError {
                    field: "namn",
                    message: "Namn: det finns redan en enhet med det namnet.".into(),
                }
            };
            show(&state, &user, form, vec![problem]).await
        }
        Err(error) => {
            tracing::error!(%error, "unit could not be created");
            message_page(
                &state,
                Some(&user),
                StatusCode::SERVICE_UNAVAILABLE,
                "Enheten kunde inte sparas",
                "Försök igen om en stund.",
            )
        }
    }
}
