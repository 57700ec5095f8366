//! Patients (personer), identified by personnummer.

use crate::schema::patients;
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use samsyn_domain::{MunicipalityCode, Personnummer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patient {
    pub id: String,
    pub personnummer: Personnummer,
    pub name: String,
    pub home_municipality: MunicipalityCode,
}

pub(crate) type Row = (String, String, String, String);

pub(crate) const COLUMNS: (
    patients::id,
    patients::personnummer,
    patients::name,
    patients::home_municipality,
) = (
    patients::id,
    patients::personnummer,
    patients::name,
    patients::home_municipality,
);

pub(crate) fn from_row((id, number, name, home): Row) -> Result<Patient, StoreError> {
    // Stored numbers were validated on the way in; a far-future `today` only relaxes the
    // "not born in the future" check, which cannot fail for stored data anyway.
    let personnummer = Personnummer::parse(&number, jiff::civil::date(9999, 12, 31))
        .map_err(|_| StoreError::Corrupt("personnummer".into()))?;
    Ok(Patient {
        id,
        personnummer,
        name,
        home_municipality: MunicipalityCode::parse(&home)
            .ok_or_else(|| StoreError::Corrupt("home municipality".into()))?,
    })
}

pub fn find_by_personnummer(
    conn: &mut DbConnection,
    number: &Personnummer,
) -> Result<Option<Patient>, StoreError> {
    patients::table
        .filter(patients::personnummer.eq(number.expose()))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Patient, StoreError> {
    from_row(
        patients::table
            .find(id)
            .select(COLUMNS)
            .first::<Row>(conn)
            .optional()?
            .ok_or(StoreError::NotFound)?,
    )
}

/// Finds the patient by personnummer or creates them; keeps name and home municipality current.
pub fn upsert(
    conn: &mut DbConnection,
    number: &Personnummer,
    name: &str,
    home: MunicipalityCode,
    now: jiff::Timestamp,
) -> Result<Patient, StoreError> {
    if let Some(existing) = find_by_personnummer(conn, number)? {
        if existing.name != name || existing.home_municipality != home {
            diesel::update(patients::table.find(&existing.id))
                .set((
                    patients::name.eq(name),
                    patients::home_municipality.eq(home.as_str()),
                    patients::version.eq(patients::version + 1),
                ))
                .execute(conn)?;
        }
        return Ok(Patient {
            name: name.to_owned(),
            home_municipality: home,
            ..existing
        });
    }
    let patient = Patient {
        id: new_id(),
        personnummer: *number,
        name: name.to_owned(),
        home_municipality: home,
    };
    diesel::insert_into(patients::table)
        .values((
            patients::id.eq(&patient.id),
            patients::personnummer.eq(number.expose()),
            patients::name.eq(name),
            patients::home_municipality.eq(home.as_str()),
            patients::created_at.eq(to_millis(now)),
            patients::version.eq(1i64),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "personen"))?;
    Ok(patient)
}
