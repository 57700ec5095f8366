//! The steps of one disagreement's ladder, stored in order and read back into the domain's
//! [`Ladder`]. A change is written as the whole ladder in the caller's transaction, so a step is
//! never half stored.

use crate::schema::disagreement_rungs;
use crate::{DbConnection, StoreError};
use diesel::prelude::*;
use jiff::civil::Date;
use samsyn_domain::Side;
use samsyn_domain::disagreement::{Ladder, Level, Outcome, Rung};

type Row = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Replaces the stored steps of the disagreement with the ladder's.
pub fn save(
    conn: &mut DbConnection,
    disagreement_id: &str,
    ladder: &Ladder,
) -> Result<(), StoreError> {
    diesel::delete(
        disagreement_rungs::table.filter(disagreement_rungs::disagreement_id.eq(disagreement_id)),
    )
    .execute(conn)?;
    for (position, rung) in ladder.rungs().iter().enumerate() {
        let outcome = rung.outcome.as_ref();
        diesel::insert_into(disagreement_rungs::table)
            .values((
                disagreement_rungs::disagreement_id.eq(disagreement_id),
                disagreement_rungs::position.eq(i64::try_from(position).unwrap_or(i64::MAX)),
                disagreement_rungs::level.eq(rung.level.code()),
                disagreement_rungs::region_manager.eq(&rung.region_manager),
                disagreement_rungs::municipality_manager.eq(&rung.municipality_manager),
                disagreement_rungs::raised_on.eq(rung.raised_on.to_string()),
                disagreement_rungs::outcome.eq(outcome.map(|(_, _, o)| o.code())),
                disagreement_rungs::outcome_text.eq(outcome.map_or("", |(_, _, o)| o.text())),
                disagreement_rungs::recorded_by_side.eq(outcome.map(|(side, _, _)| side.code())),
                disagreement_rungs::recorded_on.eq(outcome.map(|(_, on, _)| on.to_string())),
                disagreement_rungs::confirmed_by_side
                    .eq(rung.confirmed.map(|(side, _)| side.code())),
                disagreement_rungs::confirmed_on.eq(rung.confirmed.map(|(_, on)| on.to_string())),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The disagreement's ladder, or `None` when no step is stored (a disagreement from before the
/// ladder).
pub fn load(conn: &mut DbConnection, disagreement_id: &str) -> Result<Option<Ladder>, StoreError> {
    let rows: Vec<Row> = disagreement_rungs::table
        .filter(disagreement_rungs::disagreement_id.eq(disagreement_id))
        .order(disagreement_rungs::position.asc())
        .select((
            disagreement_rungs::level,
            disagreement_rungs::region_manager,
            disagreement_rungs::municipality_manager,
            disagreement_rungs::raised_on,
            disagreement_rungs::outcome,
            disagreement_rungs::outcome_text,
            disagreement_rungs::recorded_by_side,
            disagreement_rungs::recorded_on,
            disagreement_rungs::confirmed_by_side,
            disagreement_rungs::confirmed_on,
        ))
        .load(conn)?;
    let rungs = rows.into_iter().map(rung).collect::<Result<Vec<_>, _>>()?;
    Ok(Ladder::from_rungs(rungs))
}

fn rung(row: Row) -> Result<Rung, StoreError> {
    let (level, region, municipality, raised, outcome, text, by, on, confirmed_by, confirmed_on) =
        row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("disagreement step: {what}"));
    let date = |value: &str| value.parse::<Date>().map_err(|_| corrupt("date"));
    let side = |code: &str| Side::from_code(code).ok_or_else(|| corrupt("side"));
    let outcome = match (outcome, by, on) {
        (Some(code), Some(by), Some(on)) => Some((
            side(&by)?,
            date(&on)?,
            Outcome::from_parts(&code, &text).ok_or_else(|| corrupt("outcome"))?,
        )),
        (None, None, None) => None,
        _ => return Err(corrupt("outcome")),
    };
    let confirmed = match (confirmed_by, confirmed_on) {
        (Some(by), Some(on)) => Some((side(&by)?, date(&on)?)),
        (None, None) => None,
        _ => return Err(corrupt("confirmation")),
    };
    Ok(Rung {
        level: Level::from_code(&level).ok_or_else(|| corrupt("level"))?,
        region_manager: region,
        municipality_manager: municipality,
        raised_on: date(&raised)?,
        outcome,
        confirmed,
    })
}
