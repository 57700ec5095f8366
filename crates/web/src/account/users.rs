//! Användare: the administrator's list of her party's accounts, with the unlock, disable and
//! enable steps. Disabling ends the account's sessions; unlocking forgets its failed sign-ins.

use crate::AppState;
use crate::shared::auth::LoginThrottle;
use crate::shared::error::FieldErrors;
use crate::shared::layout::{Layout, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::{FieldError, Role};
use samsyn_store::admin_log::{self, AdminChange};
use samsyn_store::units::Unit;
use samsyn_store::users::User;
use samsyn_store::{StoreError, units, users};
use serde::Deserialize;

pub struct AccountRow {
    pub user: User,
    pub locked: bool,
}

#[derive(Template)]
#[template(path = "account/users.html")]
struct UsersPage {
    layout: Layout,
    party_name: String,
    accounts: Vec<AccountRow>,
    changes: Vec<ChangeRow>,
    /// The party's units, for a new account.
    units: Vec<Unit>,
    roles: [Role; 12],
    form: NewUserForm,
    errors: FieldErrors,
}

/// The *Nytt konto* form as sent, kept to show again with its problems.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub anvandarnamn: String,
    #[serde(default)]
    pub namn: String,
    #[serde(default)]
    pub roll: String,
    #[serde(default)]
    pub enhet: String,
    #[serde(default)]
    pub hsa_id: String,
    /// `e-legitimation` or `losenord`.
    #[serde(default)]
    pub inloggning: String,
    #[serde(default)]
    pub losenord: String,
}

pub struct ChangeRow {
    pub at: String,
    pub change: AdminChange,
}

/// The administration log entries the page shows, newest first.
const CHANGES_SHOWN: i64 = 50;

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Response {
    let form = NewUserForm {
        inloggning: "e-legitimation".into(),
        ..NewUserForm::default()
    };
    show(&state, &user, form, Vec::new()).await
}

/// The page, with the new-account form as sent and its problems (422 when there are any).
pub(super) async fn show(
    state: &AppState,
    user: &CurrentUser,
    form: NewUserForm,
    errors: Vec<FieldError>,
) -> Response {
    let party = user.unit.party;
    let (throttle, now) = (state.throttle, state.clock.now());
    // The party's units, their accounts, the newest administration-log entries and the locked
    // accounts, read once.
    let read = state
        .db(move |conn| {
            let units = units::of_party(conn, party)?;
            let accounts: Vec<User> = users::list(conn)?
                .into_iter()
                .filter(|u| units.iter().any(|unit| unit.id == u.unit_id))
                .collect();
            let changes = admin_log::recent(conn, party, CHANGES_SHOWN)?;
            let locked = throttle.locked(conn, now)?;
            Ok((units, accounts, changes, locked))
        })
        .await;
    let (units, accounts, changes, locked) = match read {
        Ok(read) => read,
        Err(error) => return unavailable(state, user, error),
    };
    let changes = changes
        .into_iter()
        .map(|change| ChangeRow {
            at: crate::case::views::local_time(state, change.at),
            change,
        })
        .collect();
    let accounts = accounts
        .into_iter()
        .map(|account| AccountRow {
            locked: LoginThrottle::is_among(&locked, &account.username),
            user: account,
        })
        .collect();
    let layout = Layout::build(state, "Användare", Some(user));
    let errors = FieldErrors(errors);
    render(
        errors.status(),
        &UsersPage {
            layout,
            party_name: state.rules.party_name(user.unit.party),
            accounts,
            changes,
            units,
            roles: Role::ALL,
            form,
            errors,
        },
    )
}

/// What a step came to, decided in the same transaction as the change.
enum StepOutcome {
    Done,
    NotOurs,
    OwnAccount,
    UnknownStep,
    /// Sign-in through the provider needs the HSA-id it names the person by.
    NoHsaId,
}

/// `las-upp`, `inaktivera`, `aktivera` or `endast-e-legitimation` (the password removed: sign-in
/// only through the identity provider) on one account of the administrator's party. The party
/// check and the change are one transaction.
pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, step)): Path<(String, String)>,
) -> Response {
    let party = user.unit.party;
    let admin_id = user.user.id.clone();
    let admin_name = user.user.username.clone();
    let account_id = id.clone();
    let step_name = step.clone();
    let now = state.clock.now();
    let throttle = state.throttle;
    let outcome = state
        .db(move |conn| {
            let account = match users::get(conn, &account_id) {
                Ok(account) => account,
                Err(StoreError::NotFound) => return Ok(StepOutcome::NotOurs),
                Err(error) => return Err(error),
            };
            if units::get(conn, &account.unit_id)?.party != party {
                return Ok(StepOutcome::NotOurs);
            }
            let (outcome, action) = match step_name.as_str() {
                "las-upp" => {
                    throttle.record_success(conn, &account.username)?;
                    (StepOutcome::Done, "låste upp")
                }
                "inaktivera" if account.id == admin_id => return Ok(StepOutcome::OwnAccount),
                "inaktivera" => {
                    users::disable(conn, &account.username, None)?;
                    (StepOutcome::Done, "inaktiverade")
                }
                "aktivera" => {
                    users::enable(conn, &account.id)?;
                    (StepOutcome::Done, "aktiverade")
                }
                "endast-e-legitimation" if account.hsa_id.is_none() => {
                    return Ok(StepOutcome::NoHsaId);
                }
                "endast-e-legitimation" => {
                    users::sign_in_only_through_provider(conn, &account.id)?;
                    (
                        StepOutcome::Done,
                        "tog bort lösenordet; bara e-legitimation för",
                    )
                }
                _ => return Ok(StepOutcome::UnknownStep),
            };
            admin_log::record(
                conn,
                &AdminChange {
                    at: now,
                    actor: admin_name,
                    party,
                    action: action.to_owned(),
                    subject: format!("användare {}", account.username),
                    detail: String::new(),
                },
            )?;
            Ok(outcome)
        })
        .await;
    let refusal = |status, heading: &str, text: &str| {
        message_page(&state, Some(&user), status, heading, text)
    };
    match outcome {
        Ok(StepOutcome::Done) => {}
        Ok(StepOutcome::NotOurs) => {
            return refusal(
                StatusCode::NOT_FOUND,
                "Kontot finns inte",
                "Det finns inget sådant konto hos din organisation.",
            );
        }
        Ok(StepOutcome::OwnAccount) => {
            return refusal(
                StatusCode::CONFLICT,
                "Du kan inte inaktivera ditt eget konto",
                "Be en annan administratör om det.",
            );
        }
        Ok(StepOutcome::NoHsaId) => {
            return refusal(
                StatusCode::CONFLICT,
                "Kontot saknar HSA-id",
                "Inloggning med e-legitimation kräver att kontot har personens HSA-id. Lägg till det först.",
            );
        }
        Ok(StepOutcome::UnknownStep) => {
            return refusal(
                StatusCode::NOT_FOUND,
                "Steget finns inte",
                "Välj lås upp, inaktivera eller aktivera i listan över användare.",
            );
        }
        Err(error) => return unavailable(&state, &user, error),
    }
    Redirect::to(&format!("/admin/anvandare#konto-{id}")).into_response()
}

/// The accounts could not be read or changed: logged, and a plain page.
pub(super) fn unavailable(
    state: &AppState,
    user: &CurrentUser,
    error: impl std::fmt::Display,
) -> Response {
    tracing::error!(%error, "accounts could not be read or changed");
    message_page(
        state,
        Some(user),
        StatusCode::SERVICE_UNAVAILABLE,
        "Kontona kunde inte hämtas",
        "Försök igen om en stund.",
    )
}
