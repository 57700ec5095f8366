//! The tilläggsbelopp's inputs as the database holds them: the newest imported version of each
//! input (else the shipped public data) and the pot amounts entered as decisions.

use samsyn_domain::additional_amount_inputs::{parse_growth, parse_places, parse_population};
use samsyn_domain::additional_amount_rules::DecidedPot;
use samsyn_reports::additional_amount::{EnteredPot, InputData};
use samsyn_store::additional_amount::{self as store, InputKind};
use samsyn_store::{DbConnection, StoreError};

fn corrupt(kind: InputKind) -> StoreError {
    StoreError::Corrupt(format!("importerad {} går inte att läsa", kind.code()))
}

/// The data a calculation reads now.
pub fn input_data(conn: &mut DbConnection) -> Result<InputData, StoreError> {
    let mut data = InputData::shipped();
    for input in store::current_inputs(conn)? {
        let source = format!(
            "{}, importerad {} av {}",
            input.reference(),
            input.imported_at.strftime("%Y-%m-%d"),
            input.imported_by
        );
        match input.kind {
            InputKind::Population => {
                data.population = parse_population(&input.filename, &input.content)
                    .map_err(|_| corrupt(input.kind))?;
                data.population_source = source;
            }
            InputKind::Places => {
                data.places = parse_places(&input.filename, &input.content)
                    .map_err(|_| corrupt(input.kind))?;
                data.places_source = source;
            }
            InputKind::Growth => {
                data.growth = parse_growth(&input.filename, &input.content)
                    .map_err(|_| corrupt(input.kind))?;
                data.growth_source = Some(source);
            }
        }
    }
    data.pot_decisions = store::pot_decisions(conn)?
        .into_iter()
        .map(|d| EnteredPot {
            year: d.year,
            pot: d.pot,
            decided: DecidedPot {
                amount: d.amount,
                source: format!(
                    "Beslut inmatat av {} {}{}",
                    d.decided_by,
                    d.decided_at.strftime("%Y-%m-%d"),
                    if d.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", d.note)
                    }
                ),
            },
        })
        .collect();
    Ok(data)
}
