//! Patients (personer), identified by personnummer or, for a person without one, reservnummer
//! (both in the `personnummer` column).

use crate::access_log::{self, Access, Actor};
use crate::schema::{patient_versions, patients};
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use samsyn_domain::{AccessAction, AccessOutcome, MunicipalityCode, PersonId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patient {
    pub id: String,
    pub person_id: PersonId,
    pub name: String,
    pub home_municipality: MunicipalityCode,
    /// Skyddad identitet: the address and telephone its cases state are shown only to the staff
    /// working each case.
    pub protected_identity: bool,
}

pub(crate) type Row = (String, String, String, String, bool);

pub(crate) const COLUMNS: (
    patients::id,
    patients::personnummer,
    patients::name,
    patients::home_municipality,
    patients::protected_identity,
) = (
    patients::id,
    patients::personnummer,
    patients::name,
    patients::home_municipality,
    patients::protected_identity,
);

pub(crate) fn from_row(
    (id, number, name, home, protected_identity): Row,
) -> Result<Patient, StoreError> {
    let person_id =
        PersonId::from_stored(&number).ok_or_else(|| StoreError::Corrupt("personnummer".into()))?;
    Ok(Patient {
        id,
        person_id,
        name,
        home_municipality: MunicipalityCode::parse(&home)
            .ok_or_else(|| StoreError::Corrupt("home municipality".into()))?,
        protected_identity,
    })
}

pub fn find_by_person_id(
    conn: &mut DbConnection,
    number: &PersonId,
) -> Result<Option<Patient>, StoreError> {
    patients::table
        .filter(patients::personnummer.eq(number.expose()))
        .select(COLUMNS)
        .get_result::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

fn find_with_version(
    conn: &mut DbConnection,
    number: &PersonId,
) -> Result<Option<(Patient, i64)>, StoreError> {
    patients::table
        .filter(patients::personnummer.eq(number.expose()))
        .select((COLUMNS, patients::version))
        .get_result::<(Row, i64)>(conn)
        .optional()?
        .map(|(row, version)| from_row(row).map(|p| (p, version)))
        .transpose()
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Patient, StoreError> {
    from_row(
        patients::table
            .find(id)
            .select(COLUMNS)
            .get_result::<Row>(conn)
            .optional()?
            .ok_or(StoreError::NotFound)?,
    )
}

fn log(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    action: AccessAction,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    access_log::record(
        conn,
        actor,
        Access {
            patient_id: Some(id),
            action,
            object_type: "person",
            object_id: id,
            outcome: AccessOutcome::Allowed,
        },
        now,
    )
}

/// Records one version of the person's registered data with who wrote it.
fn add_version(
    conn: &mut DbConnection,
    actor: &Actor,
    patient: &Patient,
    version: i64,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(patient_versions::table)
        .values((
            patient_versions::patient_id.eq(&patient.id),
            patient_versions::version.eq(version),
            patient_versions::name.eq(&patient.name),
            patient_versions::home_municipality.eq(patient.home_municipality.as_str()),
            patient_versions::changed_at.eq(to_millis(now)),
            patient_versions::changed_by.eq(Some(&actor.user_id)),
            patient_versions::changed_by_unit.eq(Some(&actor.unit_id)),
        ))
        .execute(conn)?;
    Ok(())
}

/// One version of a person's registered data (personuppgifter), newest first in [`versions`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientVersion {
    pub version: i64,
    pub name: String,
    pub home_municipality: String,
    pub changed_at: i64,
    pub changed_by: Option<String>,
    pub changed_by_unit: Option<String>,
}

/// The versions of a person's registered data, newest first.
pub fn versions(
    conn: &mut DbConnection,
    patient_id: &str,
) -> Result<Vec<PatientVersion>, StoreError> {
    Ok(patient_versions::table
        .filter(patient_versions::patient_id.eq(patient_id))
        .order(patient_versions::version.desc())
        .select((
            patient_versions::version,
            patient_versions::name,
            patient_versions::home_municipality,
            patient_versions::changed_at,
            patient_versions::changed_by,
            patient_versions::changed_by_unit,
        ))
        .load::<(i64, String, String, i64, Option<String>, Option<String>)>(conn)?
        .into_iter()
        .map(
            |(version, name, home_municipality, changed_at, changed_by, changed_by_unit)| {
                PatientVersion {
                    version,
                    name,
                    home_municipality,
                    changed_at,
                    changed_by,
                    changed_by_unit,
                }
            },
        )
        .collect())
}

/// Finds the patient by personnummer (or reservnummer) or creates them. A request that states another name or
/// home municipality adds a version of the person's registered data (who, when); it never
/// changes a case, which keeps the data its own request stated (`case_patients`). Creating or
/// changing the person is logged, so every party to the person's cases sees it in its review.
pub fn upsert(
    conn: &mut DbConnection,
    actor: &Actor,
    number: &PersonId,
    name: &str,
    home: MunicipalityCode,
    now: jiff::Timestamp,
) -> Result<Patient, StoreError> {
    if let Some(found) = find_with_version(conn, number)? {
        return keep_up_to_date(conn, actor, found, name, home, now);
    }
    let patient = Patient {
        id: new_id(),
        person_id: *number,
        name: name.to_owned(),
        home_municipality: home,
        protected_identity: false,
    };
    // Two requests for a new person at once: the second insert waits for the first and then
    // does nothing, instead of failing on the unique personnummer (and, on PostgreSQL, aborting
    // its whole transaction); it then takes the person the first one created.
    let insert = || {
        diesel::insert_into(patients::table)
            .values((
                patients::id.eq(&patient.id),
                patients::personnummer.eq(number.expose()),
                patients::name.eq(name),
                patients::home_municipality.eq(home.as_str()),
                patients::created_at.eq(to_millis(now)),
                patients::version.eq(1i64),
            ))
            .on_conflict(patients::personnummer)
            .do_nothing()
    };
    // Diesel writes ON CONFLICT for each engine, not for the two together.
    let inserted = match conn {
        DbConnection::Sqlite(c) => insert().execute(c)?,
        DbConnection::Postgres(c) => insert().execute(c)?,
    };
    if inserted == 0 {
        let found = find_with_version(conn, number)?.ok_or(StoreError::Conflict)?;
        return keep_up_to_date(conn, actor, found, name, home, now);
    }
    add_version(conn, actor, &patient, 1, now)?;
    log(conn, actor, &patient.id, AccessAction::Create, now)?;
    Ok(patient)
}

/// The registered person, with the name and home municipality a new request states written as
/// a new version when they differ.
fn keep_up_to_date(
    conn: &mut DbConnection,
    actor: &Actor,
    (existing, version): (Patient, i64),
    name: &str,
    home: MunicipalityCode,
    now: jiff::Timestamp,
) -> Result<Patient, StoreError> {
    if existing.name == name && existing.home_municipality == home {
        return Ok(existing);
    }
    let updated = diesel::update(
        patients::table
            .filter(patients::id.eq(&existing.id))
            .filter(patients::version.eq(version)),
    )
    .set((
        patients::name.eq(name),
        patients::home_municipality.eq(home.as_str()),
        patients::version.eq(version + 1),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    let changed = Patient {
        name: name.to_owned(),
        home_municipality: home,
        ..existing
    };
    add_version(conn, actor, &changed, version + 1, now)?;
    log(conn, actor, &changed.id, AccessAction::Update, now)?;
    Ok(changed)
}

/// Marks the person as having skyddad identitet, as a request states; logged as an update of the
/// person. A request never removes the mark.
pub fn mark_protected(
    conn: &mut DbConnection,
    actor: &Actor,
    patient: &Patient,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    if patient.protected_identity {
        return Ok(());
    }
    diesel::update(patients::table.find(&patient.id))
        .set(patients::protected_identity.eq(true))
        .execute(conn)?;
    log(conn, actor, &patient.id, AccessAction::Update, now)
}
