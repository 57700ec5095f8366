//! The decision cycle's use cases, shared by the pages and the API: store the year's calculation
//! from the current inputs as a draft, recompute a draft, correct a decided version, take a step.
//! The rules (what may change when) are the domain's, enforced by the store.

use crate::AppState;
use crate::additional_amount::data::calculation_data;
use crate::shared::session::CurrentUser;
use samsyn_domain::additional_amount::decision::{DecisionRecord, DecisionStatus};
use samsyn_reports::additional_amount::{InputData, Statement, statement};
use samsyn_store::StoreError;
use samsyn_store::additional_amount::{self as store, NewVersion};

/// Why a use case did not happen.
#[derive(Debug)]
pub enum CycleError {
    /// The year cannot be computed (a missing growth figure, say); the text says why.
    Calculation(String),
    Store(StoreError),
}

impl From<StoreError> for CycleError {
    fn from(error: StoreError) -> CycleError {
        CycleError::Store(error)
    }
}

/// Payment years the pages and the API accept.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i16> = 2000..=2200;

/// The data every calculation reads, loaded once per request.
pub async fn data(state: &AppState) -> Result<InputData, CycleError> {
    let rules = state.rules.clone();
    Ok(state.db(move |c| calculation_data(c, &rules)).await?)
}

/// `year`'s calculation from `data`.
pub fn compute(state: &AppState, year: i16, data: &InputData) -> Result<Statement, CycleError> {
    if !PLAUSIBLE_YEARS.contains(&year) {
        return Err(CycleError::Calculation(format!(
            "{year} är inget betalningsår som går att beräkna"
        )));
    }
    statement(&state.rules, year, data).map_err(|e| CycleError::Calculation(e.to_string()))
}

/// The year's calculation from the current inputs.
pub async fn current(state: &AppState, year: i16) -> Result<Statement, CycleError> {
    compute(state, year, &data(state).await?)
}

async fn year_of_version(state: &AppState, id: &str) -> Result<i16, CycleError> {
    let id = id.to_owned();
    Ok(state
        .db(move |c| store::version(c, &id))
        .await?
        .summary
        .year)
}

/// Skapa utkast: returns the new version's id.
pub async fn create_draft(
    state: &AppState,
    user: &CurrentUser,
    year: i16,
) -> Result<String, CycleError> {
    let statement = current(state, year).await?;
    let (user_id, now) = (user.user.id.clone(), state.clock.now());
    Ok(state
        .db(move |c| {
            store::create_draft(
                c,
                &NewVersion {
                    year,
                    rules: &statement.rules,
                    statement: &statement.to_json(),
                    user_id: &user_id,
                },
                now,
            )
        })
        .await?)
}

/// Räkna om: only a draft takes the current inputs.
pub async fn recompute(state: &AppState, id: &str) -> Result<(), CycleError> {
    let statement = current(state, year_of_version(state, id).await?).await?;
    let (target, now) = (id.to_owned(), state.clock.now());
    Ok(state
        .db(move |c| store::recompute(c, &target, &statement.to_json(), &statement.rules, now))
        .await?)
}

/// Rätta: a new draft from the current inputs with the reason; returns its id.
pub async fn correct(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    reason: &str,
) -> Result<String, CycleError> {
    let year = year_of_version(state, id).await?;
    let statement = current(state, year).await?;
    let (target, user_id, now, reason) = (
        id.to_owned(),
        user.user.id.clone(),
        state.clock.now(),
        reason.to_owned(),
    );
    Ok(state
        .db(move |c| {
            store::correct(
                c,
                &target,
                &reason,
                &NewVersion {
                    year,
                    rules: &statement.rules,
                    statement: &statement.to_json(),
                    user_id: &user_id,
                },
                now,
            )
        })
        .await?)
}

/// One step forward in the cycle.
pub async fn advance(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    to: DecisionStatus,
    decision: Option<DecisionRecord>,
) -> Result<(), CycleError> {
    let (target, user_id, now) = (id.to_owned(), user.user.id.clone(), state.clock.now());
    Ok(state
        .db(move |c| store::advance(c, &target, to, &user_id, decision.as_ref(), now))
        .await?)
}
