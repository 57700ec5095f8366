//! Nytt konto: the administrator adds an account at one of her party's units, signing in either
//! through the identity provider (HSA-id required, no password) or with a first password that
//! meets the password policy. The account and its administration-log entry are one transaction.

use crate::AppState;
use crate::account::fields;
use crate::account::users::{self, NewUserForm};
use crate::shared::session::CurrentUser;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::{FieldError, HsaId, Role};
use samsyn_store::admin_log::{self, AdminChange};
use samsyn_store::users::NewUser;
use samsyn_store::{StoreError, units};

/// What the form asks for, checked: every problem at once, each with its field.
struct Checked {
    username: String,
    name: String,
    role: Role,
    unit_id: String,
    hsa_id: Option<HsaId>,
    /// `None` for sign-in through the identity provider.
    password: Option<String>,
}

fn check(form: &NewUserForm) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut error =
        |field: &'static str, message: String| errors.push(FieldError { field, message });
    let username = samsyn_store::users::normalise_username(&form.anvandarnamn);
    let well_formed = username
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if username.is_empty() || username.chars().count() > 64 || !well_formed {
        error(
            "anvandarnamn",
            "Användarnamn: 1–64 tecken, bokstäver, siffror, punkt, bindestreck eller understreck."
                .into(),
        );
    }
    let name = fields::name(&form.namn, "skriv personens namn.")
        .map_err(|e| error(e.field, e.message))
        .ok();
    let role = fields::role(&form.roll)
        .map_err(|e| error(e.field, e.message))
        .ok();
    if form.enhet.trim().is_empty() {
        error(
            "enhet",
            "Enhet: välj en av din organisations enheter.".into(),
        );
    }
    let hsa_id = fields::optional_hsa_id(&form.hsa_id)
        .map_err(|e| error(e.field, e.message))
        .ok()
        .flatten();
    let password = match form.inloggning.as_str() {
        "e-legitimation" => {
            if form.hsa_id.trim().is_empty() {
                error(
                    "hsa_id",
                    "HSA-id: inloggning med e-legitimation kräver personens HSA-id.".into(),
                );
            }
            None
        }
        "losenord" => {
            if let Some(problem) =
                crate::shared::password_policy::new_password_problem(&form.losenord, &username)
            {
                error("losenord", format!("Första lösenord: {problem}"));
            }
            Some(form.losenord.clone())
        }
        _ => {
            error(
                "inloggning",
                "Inloggning: välj e-legitimation eller lösenord.".into(),
            );
            None
        }
    };
    match (name, role, errors.is_empty()) {
        (Some(name), Some(role), true) => Ok(Checked {
            username,
            name,
            role,
            unit_id: form.enhet.trim().to_owned(),
            hsa_id,
            password,
        }),
        _ => Err(errors),
    }
}

/// `POST /admin/anvandare`: adds the account, or shows the page again with the problems.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewUserForm>,
) -> Response {
    let checked = match check(&form) {
        Ok(checked) => checked,
        Err(errors) => return users::show(&state, &user, form, errors).await,
    };
    let hash = match checked.password.clone() {
        Some(password) => {
            match tokio::task::spawn_blocking(move || crate::shared::auth::hash_password(&password))
                .await
            {
                Ok(Ok(hash)) => Some(hash),
                Ok(Err(error)) => return users::unavailable(&state, &user, error),
                Err(error) => return users::unavailable(&state, &user, error),
            }
        }
        None => None,
    };
    let party = user.unit.party;
    let admin_name = user.user.username.clone();
    let now = state.clock.now();
    let rules = state.rules.disagreement.clone();
    let created = state
        .db(move |conn| {
            let unit = match units::get(conn, &checked.unit_id) {
                Ok(unit) if unit.party == party => unit,
                Ok(_) | Err(StoreError::NotFound) => {
                    return Ok(Err(FieldError {
                        field: "enhet",
                        message: "Enhet: välj en av din organisations enheter.".into(),
                    }));
                }
                Err(error) => return Err(error),
            };
            if let Some(full) = fields::county_group_room(conn, &rules, checked.role, party, None)?
            {
                return Ok(Err(full));
            }
            // A taken username or HSA-id fails the insert, and the whole transaction with it.
            let account = samsyn_store::users::create(
                conn,
                &NewUser {
                    username: &checked.username,
                    display_name: &checked.name,
                    role: checked.role,
                    unit_id: &unit.id,
                    password_hash: hash.as_deref(),
                    is_demo: false,
                },
                now,
            )?;
            if let Some(hsa_id) = &checked.hsa_id {
                samsyn_store::users::set_hsa_id(conn, &account.id, hsa_id.as_str())?;
            }
            admin_log::record(
                conn,
                &AdminChange {
                    at: now,
                    actor: admin_name,
                    party,
                    action: "skapade".into(),
                    subject: format!("användare {}", account.username),
                    detail: format!("{}, {}", checked.role.label(), unit.name),
                },
            )?;
            Ok(Ok(account.id))
        })
        .await;
    match created {
        Ok(Ok(id)) => Redirect::to(&format!("/admin/anvandare#konto-{id}")).into_response(),
        Ok(Err(problem)) => users::show(&state, &user, form, vec![problem]).await,
        Err(StoreError::Duplicate(what)) => {
            let problem = if what == "HSA-id" {
                fields::hsa_id_taken("ett annat konto")
            } else {
                FieldError {
                    field: "anvandarnamn",
                    message: "Användarnamn: det finns redan ett konto med det namnet.".into(),
                }
            };
            users::show(&state, &user, form, vec![problem]).await
        }
        Err(error) => users::unavailable(&state, &user, error),
    }
}
