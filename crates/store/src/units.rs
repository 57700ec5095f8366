//! Units (verksamheter): vårdcentraler, clinics, psychiatry and municipal HSL.

use crate::schema::units;
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use samsyn_domain::{Party, UnitKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
    pub party: Party,
    pub phone: String,
    /// HSA-id, when the unit has one.
    pub hsa_id: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = units)]
pub(crate) struct UnitRow {
    id: String,
    name: String,
    kind: String,
    party: String,
    phone: String,
    hsa_id: Option<String>,
}

impl TryFrom<UnitRow> for Unit {
    type Error = StoreError;
    fn try_from(row: UnitRow) -> Result<Unit, StoreError> {
        Ok(Unit {
            kind: UnitKind::from_code(&row.kind)
                .ok_or_else(|| StoreError::Corrupt("unit kind".into()))?,
            party: Party::from_code(&row.party)
                .ok_or_else(|| StoreError::Corrupt("unit party".into()))?,
            id: row.id,
            name: row.name,
            phone: row.phone,
            hsa_id: row.hsa_id,
        })
    }
}

/// Creates a unit. The kind must fit the party (HSL units are municipal, the rest regional).
pub fn create(
    conn: &mut DbConnection,
    name: &str,
    kind: UnitKind,
    party: Party,
    phone: &str,
    now: jiff::Timestamp,
) -> Result<Unit, StoreError> {
    if !kind.fits(party) {
        return Err(StoreError::Corrupt(format!(
            "a {} cannot belong to that party",
            kind.code()
        )));
    }
    let unit = Unit {
        id: new_id(),
        name: name.to_owned(),
        kind,
        party,
        phone: phone.to_owned(),
        hsa_id: None,
    };
    diesel::insert_into(units::table)
        .values((
            units::id.eq(&unit.id),
            units::name.eq(&unit.name),
            units::kind.eq(kind.code()),
            units::party.eq(party.code()),
            units::phone.eq(&unit.phone),
            units::created_at.eq(to_millis(now)),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "enheten"))?;
    Ok(unit)
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Unit, StoreError> {
    units::table
        .find(id)
        .select(UnitRow::as_select())
        .get_result(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

/// The parties of three units in one query, in the order given: what every access check asks
/// of the user's unit and the case's sender and receiver. Three comparisons rather than
/// `eq_any`, which Diesel prepares anew at every use on SQLite.
pub(crate) fn parties_of(
    conn: &mut DbConnection,
    ids: [&str; 3],
) -> Result<[Party; 3], StoreError> {
    let found: Vec<(String, String)> = units::table
        .filter(
            units::id
                .eq(ids[0])
                .or(units::id.eq(ids[1]))
                .or(units::id.eq(ids[2])),
        )
        .select((units::id, units::party))
        .load(conn)?;
    let party_of = |id: &str| {
        let (_, code) = found
            .iter()
            .find(|(unit, _)| unit == id)
            .ok_or(StoreError::NotFound)?;
        Party::from_code(code).ok_or_else(|| StoreError::Corrupt("unit party".into()))
    };
    Ok([party_of(ids[0])?, party_of(ids[1])?, party_of(ids[2])?])
}

/// Other units of the same party, to which a case can be forwarded.
pub fn forward_targets(conn: &mut DbConnection, from: &Unit) -> Result<Vec<Unit>, StoreError> {
    Ok(list(conn)?
        .into_iter()
        .filter(|u| u.party == from.party && u.id != from.id)
        .collect())
}

/// The vårdcentraler a hospital may hand a discharged person's case to (track 3).
pub fn hand_over_targets(conn: &mut DbConnection) -> Result<Vec<Unit>, StoreError> {
    Ok(of_party(conn, Party::Region)?
        .into_iter()
        .filter(|u| u.kind == UnitKind::HealthCentre)
        .collect())
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<Unit>, StoreError> {
    units::table
        .order((units::party.asc(), units::name.asc()))
        .select(UnitRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Unit::try_from)
        .collect()
}

/// The units of one party, by name.
pub fn of_party(conn: &mut DbConnection, party: Party) -> Result<Vec<Unit>, StoreError> {
    units::table
        .filter(units::party.eq(party.code()))
        .order(units::name.asc())
        .select(UnitRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Unit::try_from)
        .collect()
}

/// The municipality's unit of `kind` (home health care, or the rehab team) that receives cases
/// for its residents.
pub fn receiving_unit_for(
    conn: &mut DbConnection,
    party: Party,
    kind: UnitKind,
) -> Result<Unit, StoreError> {
    units::table
        .filter(units::party.eq(party.code()))
        .filter(units::kind.eq(kind.code()))
        .order(units::created_at.asc())
        .select(UnitRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?
        .try_into()
}

/// Records the unit's HSA-id.
pub fn set_hsa_id(conn: &mut DbConnection, unit_id: &str, hsa_id: &str) -> Result<(), StoreError> {
    diesel::update(units::table.find(unit_id))
        .set(units::hsa_id.eq(Some(hsa_id)))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "HSA-id"))?;
    Ok(())
}

/// What an administrator may change on a unit; its kind and party stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDetails {
    pub name: String,
    /// Already checked with `samsyn_domain::HsaId`; one unit per HSA-id.
    pub hsa_id: Option<String>,
    pub phone: String,
}

/// Changes the unit if it still has the details the administrator saw (`Conflict` otherwise, so
/// two administrators cannot overwrite each other).
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    seen: &UnitDetails,
    new: &UnitDetails,
) -> Result<(), StoreError> {
    let mut query = diesel::update(units::table)
        .filter(units::id.eq(id))
        .filter(units::name.eq(&seen.name))
        .filter(units::phone.eq(&seen.phone))
        .into_boxed();
    query = match &seen.hsa_id {
        Some(hsa_id) => query.filter(units::hsa_id.eq(hsa_id)),
        None => query.filter(units::hsa_id.is_null()),
    };
    let updated = query
        .set((
            units::name.eq(&new.name),
            units::hsa_id.eq(&new.hsa_id),
            units::phone.eq(&new.phone),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "enheten"))?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// The address that gets an e-mail when a request reaches the unit, if the unit asked for one.
pub fn notice_address(
    conn: &mut DbConnection,
    unit_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(units::table
        .find(unit_id)
        .select(units::notice_email)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Sets (or with `None` clears) the unit's notice address.
pub fn set_notice_address(
    conn: &mut DbConnection,
    unit_id: &str,
    address: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(units::table.find(unit_id))
        .set(units::notice_email.eq(address))
        .execute(conn)?;
    Ok(())
}
