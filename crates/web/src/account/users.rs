//! Användare: the administrator's list of her party's accounts, with the unlock, disable and
//! enable steps. Disabling ends the account's sessions; unlocking forgets its failed sign-ins.

use crate::AppState;
use crate::shared::layout::{Layout, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_store::users::User;
use samsyn_store::{StoreError, units, users};

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
}

/// The accounts of the units of the administrator's party.
async fn accounts_of_party(state: &AppState, user: &CurrentUser) -> Result<Vec<User>, StoreError> {
    let party = user.unit.party;
    state
        .db(move |conn| {
            let own_units: Vec<String> = units::list(conn)?
                .into_iter()
                .filter(|u| u.party == party)
                .map(|u| u.id)
                .collect();
            Ok(users::list(conn)?
                .into_iter()
                .filter(|u| own_units.contains(&u.unit_id))
                .collect())
        })
        .await
}

pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Response {
    let accounts = match accounts_of_party(&state, &user).await {
        Ok(accounts) => accounts,
        Err(error) => return unavailable(&state, &user, error),
    };
    let now = state.clock.now();
    let accounts = accounts
        .into_iter()
        .map(|account| AccountRow {
            locked: state.throttle.is_locked(&account.username, now),
            user: account,
        })
        .collect();
    let layout = Layout::build(&state, "Användare", Some(&user));
    render(
        StatusCode::OK,
        &UsersPage {
            layout,
            party_name: state.rules.party_name(user.unit.party),
            accounts,
        },
    )
}

/// `las-upp`, `inaktivera` or `aktivera` on one account of the administrator's party.
pub async fn step(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, step)): Path<(String, String)>,
) -> Response {
    let accounts = match accounts_of_party(&state, &user).await {
        Ok(accounts) => accounts,
        Err(error) => return unavailable(&state, &user, error),
    };
    let Some(account) = accounts.into_iter().find(|a| a.id == id) else {
        return message_page(
            &state,
            Some(&user),
            StatusCode::NOT_FOUND,
            "Kontot finns inte",
            "Det finns inget sådant konto hos din organisation.",
        );
    };
    let done = match step.as_str() {
        "las-upp" => {
            state.throttle.unlock(&account.username);
            Ok(())
        }
        "inaktivera" if account.id == user.user.id => {
            return message_page(
                &state,
                Some(&user),
                StatusCode::CONFLICT,
                "Du kan inte inaktivera ditt eget konto",
                "Be en annan administratör om det.",
            );
        }
        "inaktivera" => {
            let username = account.username.clone();
            state
                .db(move |conn| users::disable(conn, &username, None))
                .await
        }
        "aktivera" => {
            let user_id = account.id.clone();
            state.db(move |conn| users::enable(conn, &user_id)).await
        }
        _ => {
            return message_page(
                &state,
                Some(&user),
                StatusCode::NOT_FOUND,
                "Steget finns inte",
                "Välj lås upp, inaktivera eller aktivera i listan över användare.",
            );
        }
    };
    match done {
        Ok(()) => {
            tracing::info!(admin = %user.user.id, account = %account.id, %step, "account changed");
            Redirect::to(&format!("/admin/anvandare#konto-{}", account.id)).into_response()
        }
        Err(error) => unavailable(&state, &user, error),
    }
}

fn unavailable(state: &AppState, user: &CurrentUser, error: StoreError) -> Response {
    tracing::error!(%error, "accounts could not be read or changed");
    message_page(
        state,
        Some(user),
        StatusCode::SERVICE_UNAVAILABLE,
        "Kontona kunde inte hämtas",
        "Försök igen om en stund.",
    )
}
