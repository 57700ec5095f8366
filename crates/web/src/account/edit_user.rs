//! Ändra konto: the administrator changes an account of her party (name, role, unit, HSA-id).
//! The change matches on the account's version, so two administrators cannot overwrite each
//! other; a new role or unit ends the account's sessions; the change is logged.

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
use samsyn_domain::{FieldError, HsaId, IdentitySource, Party, Role};
use samsyn_store::admin_log::{self, AdminChange};
use samsyn_store::units::{self, Unit};
use samsyn_store::users::{self, Profile, User};
use samsyn_store::{DbConnection, StoreError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account/edit_user.html")]
struct EditPage {
    layout: Layout,
    account: User,
    units: Vec<Unit>,
    roles: [Role; 12],
    form: EditForm,
    errors: FieldErrors,
}

/// The form as sent, or as the account stands.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    namn: String,
    #[serde(default)]
    roll: String,
    #[serde(default)]
    enhet: String,
    #[serde(default)]
    hsa_id: String,
    #[serde(default)]
    version: i64,
}

/// The account and the party's units, if the account is of the administrator's party.
fn of_party(
    conn: &mut DbConnection,
    party: Party,
    id: &str,
) -> Result<Option<(User, Vec<Unit>)>, StoreError> {
    let account = match users::get(conn, id) {
        Ok(account) => account,
        Err(StoreError::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    let units = units::of_party(conn, party)?;
    Ok(units
        .iter()
        .any(|u| u.id == account.unit_id)
        .then_some((account, units)))
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    form: Option<EditForm>,
    errors: Vec<FieldError>,
) -> Response {
    let party = user.unit.party;
    let found = state.db(move |conn| of_party(conn, party, &id)).await;
    let (account, units) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return not_ours(state, user),
        Err(error) => return unavailable(state, user, error),
    };
    let form = form.unwrap_or_else(|| EditForm {
        namn: account.display_name.clone(),
        roll: account.role.code().to_owned(),
        enhet: account.unit_id.clone(),
        hsa_id: account.hsa_id.clone().unwrap_or_default(),
        version: account.version,
    });
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &EditPage {
            layout: Layout::build(state, "Ändra konto", Some(user)),
            account,
            units,
            roles: Role::ALL,
            form,
            errors,
        },
    )
}

/// `GET /admin/anvandare/{id}`.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    show(&state, &user, id, None, Vec::new()).await
}

/// `POST /admin/anvandare/{id}`: saves the change, or shows the form again with its problems.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> Response {
    let name = fields::name(&form.namn, "skriv personens namn.");
    let role = fields::role(&form.roll);
    let hsa_id = fields::optional_hsa_id(&form.hsa_id);
    let (name, role, hsa_id) = match (name, role, hsa_id) {
        (Ok(name), Ok(role), Ok(hsa_id)) => (name, role, hsa_id),
        (name, role, hsa_id) => {
            let errors = [name.err(), role.err(), hsa_id.err()]
                .into_iter()
                .flatten()
                .collect();
            return show(&state, &user, id, Some(form), errors).await;
        }
    };
    let party = user.unit.party;
    let admin_name = user.user.username.clone();
    let now = state.clock.now();
    let account_id = id.clone();
    let unit_id = form.enhet.clone();
    let version = form.version;
    let rules = state.rules.disagreement.clone();
    let saved = state
        .db(move |conn| {
            let Some((account, units)) = of_party(conn, party, &account_id)? else {
                return Ok(Err(None));
            };
            let Some(unit) = units.iter().find(|u| u.id == unit_id) else {
                return Ok(Err(Some(FieldError {
                    field: "enhet",
                    message: "Enhet: välj en av din organisations enheter.".into(),
                })));
            };
            if account.identity_source == IdentitySource::Oidc && hsa_id.is_none() {
                return Ok(Err(Some(FieldError {
                    field: "hsa_id",
                    message: "HSA-id: kontot loggar in med e-legitimation och behöver sitt HSA-id."
                        .into(),
                })));
            }
            if let Some(full) =
                fields::county_group_room(conn, &rules, role, party, Some(&account.id))?
            {
                return Ok(Err(Some(full)));
            }
            users::update_profile(
                conn,
                &account.id,
                version,
                &Profile {
                    display_name: &name,
                    role,
                    unit_id: &unit.id,
                    hsa_id: hsa_id.as_ref().map(HsaId::as_str),
                },
            )?;
            admin_log::record(
                conn,
                &AdminChange {
                    at: now,
                    actor: admin_name,
                    party,
                    action: "ändrade".into(),
                    subject: format!("användare {}", account.username),
                    detail: format!(
                        "{name}, {}, {}, HSA-id {}",
                        role.label(),
                        unit.name,
                        hsa_id.as_ref().map_or("–", HsaId::as_str)
                    ),
                },
            )?;
            Ok(Ok(()))
        })
        .await;
    match saved {
        Ok(Ok(())) => Redirect::to(&format!("/admin/anvandare#konto-{id}")).into_response(),
        Ok(Err(Some(problem))) => show(&state, &user, id, Some(form), vec![problem]).await,
        Ok(Err(None)) => not_ours(&state, &user),
        Err(StoreError::Duplicate(_)) => {
            let problem = fields::hsa_id_taken("ett annat konto");
            show(&state, &user, id, Some(form), vec![problem]).await
        }
        Err(StoreError::Conflict) => message_page(
            &state,
            Some(&user),
            StatusCode::CONFLICT,
            "Kontot har ändrats under tiden",
            "Någon annan ändrade kontot medan du skrev. Öppna det igen och gör din ändring på nytt.",
        ),
        Err(error) => unavailable(&state, &user, error),
    }
}

fn not_ours(state: &AppState, user: &CurrentUser) -> Response {
    super::not_ours(
        state,
        user,
        "Kontot finns inte",
        "Det finns inget sådant konto hos din organisation.",
    )
}

fn unavailable(state: &AppState, user: &CurrentUser, error: StoreError) -> Response {
    super::unavailable(state, user, error, "Kontot kunde inte sparas")
}
