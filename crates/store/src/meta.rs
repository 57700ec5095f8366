//! Key-value facts about the database itself, e.g. whether it was created in demo mode.

use crate::schema::meta;
use crate::{DbConnection, StoreError};
use diesel::prelude::*;

/// Set once when the demo county is created; the UI shows a DEMO banner while it is set.
pub const DEMO_KEY: &str = "demo_seed";

/// The region the database belongs to, as `länskod;name`: recorded the first time Samsyn uses
/// the database under a rule set, so that another region's rule set is never run on its cases.
const REGION_KEY: &str = "region";

/// The region a database was bound to, when it is not the rule set's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherRegion {
    pub county_code: String,
    pub name: String,
}

/// Binds the database to the region of `county_code` on first use. Afterwards the same region
/// passes (its name may change with a new rule set version) and another is returned.
pub fn bind_region(
    conn: &mut DbConnection,
    county_code: &str,
    name: &str,
) -> Result<Option<OtherRegion>, StoreError> {
    match get(conn, REGION_KEY)? {
        None => {
            set(conn, REGION_KEY, &format!("{county_code};{name}"))?;
            Ok(None)
        }
        Some(recorded) => {
            let (code, recorded_name) = recorded.split_once(';').unwrap_or((&recorded, ""));
            Ok((code != county_code).then(|| OtherRegion {
                county_code: code.to_owned(),
                name: recorded_name.to_owned(),
            }))
        }
    }
}

pub fn get(conn: &mut DbConnection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(meta::table
        .filter(meta::key.eq(key))
        .select(meta::value)
        .first::<String>(conn)
        .optional()?)
}

pub fn set(conn: &mut DbConnection, key: &str, value: &str) -> Result<(), StoreError> {
    let updated = diesel::update(meta::table.filter(meta::key.eq(key)))
        .set(meta::value.eq(value))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(meta::table)
            .values((meta::key.eq(key), meta::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}
