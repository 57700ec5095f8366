//! Hemsjukvårdsmätning's stored files, pseudonymised: *Principer för samverkan och ekonomisk
//! reglering* §12.4.
//!
//! Measurement data: imported files (recognised by content hash) and their pseudonymised rows.
//! Imports are all or nothing: the caller parses first, and the rows are written in one transaction.

pub mod files;
mod person_keys;
pub mod pseudonym;
pub mod results;

use crate::measurement::pseudonym::Pseudonym;
use crate::schema::{
    measurement_activities, measurement_assessments, measurement_enrollments, measurement_files,
};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::MunicipalityCode;
use samsyn_domain::measurement::{
    Activity, Category, Enrollment, Housing, ManualAssessment, Period,
};

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        rows: usize,
    },
    /// The same content was imported before; nothing was written, so nothing counts twice.
    AlreadyImported,
}

/// An imported file.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub kind: String,
    pub filename: String,
    pub sha256: String,
    pub rows: i64,
    pub imported_at: Timestamp,
}

const CHUNK: usize = 500;

/// Runs a batch insert on the concrete engine: Diesel's multi-backend cannot batch, but the
/// query is still written once.
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $values:expr) => {
        match $conn {
            DbConnection::Sqlite(c) => diesel::insert_into($table).values($values).execute(c),
            DbConnection::Postgres(c) => diesel::insert_into($table).values($values).execute(c),
        }
    };
}

fn register(
    conn: &mut DbConnection,
    kind: &str,
    filename: &str,
    sha256: &str,
    rows: usize,
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    let known: i64 = measurement_files::table
        .filter(measurement_files::sha256.eq(sha256))
        .count()
        .get_result(conn)?;
    if known > 0 {
        return Ok(None);
    }
    let id = new_id();
    diesel::insert_into(measurement_files::table)
        .values((
            measurement_files::id.eq(&id),
            measurement_files::kind.eq(kind),
            measurement_files::filename.eq(filename),
            measurement_files::sha256.eq(sha256),
            measurement_files::row_count.eq(rows as i64),
            measurement_files::imported_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(Some(id))
}

pub fn import_activities(
    conn: &mut DbConnection,
    filename: &str,
    sha256: &str,
    rows: &[Activity<Pseudonym>],
    now: Timestamp,
) -> Result<ImportOutcome, StoreError> {
    let Some(file_id) = register(conn, "aktiviteter", filename, sha256, rows.len(), now)? else {
        return Ok(ImportOutcome::AlreadyImported);
    };
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<_> = chunk
            .iter()
            .map(|a| {
                (
                    measurement_activities::id.eq(new_id()),
                    measurement_activities::file_id.eq(file_id.clone()),
                    measurement_activities::municipality.eq(a.municipality.to_string()),
                    measurement_activities::person.eq(a.person.hex()),
                    measurement_activities::birth_year.eq(i32::from(a.person.birth_year)),
                    measurement_activities::day.eq(a.date.to_string()),
                    measurement_activities::code.eq(a.code.clone()),
                    measurement_activities::profession.eq(a.profession.clone()),
                    measurement_activities::minutes.eq(a.minutes.map(|m| m as i32)),
                    measurement_activities::delegated.eq(a.delegated),
                )
            })
            .collect();
        batch_insert!(conn, measurement_activities::table, values)?;
    }
    Ok(ImportOutcome::Imported { rows: rows.len() })
}

pub fn import_enrollments(
    conn: &mut DbConnection,
    filename: &str,
    sha256: &str,
    rows: &[Enrollment<Pseudonym>],
    now: Timestamp,
) -> Result<ImportOutcome, StoreError> {
    let Some(file_id) = register(conn, "inskrivningar", filename, sha256, rows.len(), now)? else {
        return Ok(ImportOutcome::AlreadyImported);
    };
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<_> = chunk
            .iter()
            .map(|e| {
                (
                    measurement_enrollments::id.eq(new_id()),
                    measurement_enrollments::file_id.eq(file_id.clone()),
                    measurement_enrollments::municipality.eq(e.municipality.to_string()),
                    measurement_enrollments::person.eq(e.person.hex()),
                    measurement_enrollments::birth_year.eq(i32::from(e.person.birth_year)),
                    measurement_enrollments::enrolled_from.eq(e.from.to_string()),
                    measurement_enrollments::enrolled_to.eq(e.to.map(|d| d.to_string())),
                    measurement_enrollments::housing.eq(match e.housing {
                        Housing::Ordinary => "ordinart",
                        Housing::Special => "sarskilt",
                    }),
                    measurement_enrollments::palliative.eq(e.palliative),
                )
            })
            .collect();
        batch_insert!(conn, measurement_enrollments::table, values)?;
    }
    Ok(ImportOutcome::Imported { rows: rows.len() })
}

fn date(text: &str) -> Result<Date, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt("measurement date".into()))
}

fn municipality(text: &str) -> Result<MunicipalityCode, StoreError> {
    MunicipalityCode::parse(text).ok_or_else(|| StoreError::Corrupt("municipality".into()))
}

type ActivityRow = (String, String, String, String, String, Option<i32>, bool);

/// The period's activities, persons as their pseudonym text.
pub fn activities_in(
    conn: &mut DbConnection,
    period: Period,
) -> Result<Vec<Activity<String>>, StoreError> {
    measurement_activities::table
        .filter(measurement_activities::day.ge(period.first.to_string()))
        .filter(measurement_activities::day.le(period.last.to_string()))
        .select((
            measurement_activities::municipality,
            measurement_activities::person,
            measurement_activities::day,
            measurement_activities::code,
            measurement_activities::profession,
            measurement_activities::minutes,
            measurement_activities::delegated,
        ))
        .load::<ActivityRow>(conn)?
        .into_iter()
        .map(|(m, person, day, code, profession, minutes, delegated)| {
            Ok(Activity {
                municipality: municipality(&m)?,
                person,
                date: date(&day)?,
                code,
                profession,
                minutes: minutes.map(|m| m.max(0) as u32),
                delegated,
            })
        })
        .collect()
}

type EnrollmentRow = (String, String, String, Option<String>, String, bool);

/// Enrollment rows overlapping the period.
pub fn enrollments_overlapping(
    conn: &mut DbConnection,
    period: Period,
) -> Result<Vec<Enrollment<String>>, StoreError> {
    measurement_enrollments::table
        .filter(measurement_enrollments::enrolled_from.le(period.last.to_string()))
        .select((
            measurement_enrollments::municipality,
            measurement_enrollments::person,
            measurement_enrollments::enrolled_from,
            measurement_enrollments::enrolled_to,
            measurement_enrollments::housing,
            measurement_enrollments::palliative,
        ))
        .load::<EnrollmentRow>(conn)?
        .into_iter()
        .map(|(m, person, from, to, housing, palliative)| {
            Ok(Enrollment {
                municipality: municipality(&m)?,
                person,
                from: date(&from)?,
                to: to.as_deref().map(date).transpose()?,
                housing: if housing == "sarskilt" {
                    Housing::Special
                } else {
                    Housing::Ordinary
                },
                palliative,
            })
        })
        .filter(|e: &Result<Enrollment<String>, StoreError>| {
            e.as_ref().map_or(true, |e| period.overlaps(e.from, e.to))
        })
        .collect()
}

/// Every imported file, newest first.
pub fn files(conn: &mut DbConnection) -> Result<Vec<ImportedFile>, StoreError> {
    files_where(conn, None)
}

/// The activity files with rows in the period: what identifies a measurement's data.
pub fn activity_files_in(
    conn: &mut DbConnection,
    period: Period,
) -> Result<Vec<ImportedFile>, StoreError> {
    let ids: Vec<String> = measurement_activities::table
        .filter(measurement_activities::day.ge(period.first.to_string()))
        .filter(measurement_activities::day.le(period.last.to_string()))
        .select(measurement_activities::file_id)
        .distinct()
        .load(conn)?;
    files_where(conn, Some(ids))
}

fn files_where(
    conn: &mut DbConnection,
    ids: Option<Vec<String>>,
) -> Result<Vec<ImportedFile>, StoreError> {
    let mut query = measurement_files::table.into_boxed();
    if let Some(ids) = ids {
        query = query.filter(measurement_files::id.eq_any(ids));
    }
    query
        .order(measurement_files::imported_at.desc())
        .select((
            measurement_files::kind,
            measurement_files::filename,
            measurement_files::sha256,
            measurement_files::row_count,
            measurement_files::imported_at,
        ))
        .load::<(String, String, String, i64, i64)>(conn)?
        .into_iter()
        .map(|(kind, filename, sha256, rows, at)| {
            Ok(ImportedFile {
                kind,
                filename,
                sha256,
                rows,
                imported_at: from_millis(at)?,
            })
        })
        .collect()
}

/// Months that have activity data, newest first (`ÅÅÅÅ-MM`).
pub fn periods(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let days: Vec<String> = measurement_activities::table
        .select(measurement_activities::day)
        .distinct()
        .load(conn)?;
    let mut months: Vec<String> = days.iter().map(|d| d.chars().take(7).collect()).collect();
    months.sort_unstable();
    months.dedup();
    months.reverse();
    Ok(months)
}

/// Which file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Activities,
    Enrollments,
    /// Manual assessments, which belong to one period.
    Assessments(Period),
}

impl FileKind {
    pub fn from_code(code: &str) -> Option<FileKind> {
        match code {
            "aktiviteter" => Some(FileKind::Activities),
            "inskrivningar" => Some(FileKind::Enrollments),
            _ => None,
        }
    }
}

/// How an import reads the persons in a file: whose reservnummer format applies, on which day
/// (no one is born in the future), and the key that turns each identity into a pseudonym.
pub struct PersonReading<'a> {
    pub key: &'a crate::measurement::pseudonym::PseudonymKey,
    pub reserve: &'a samsyn_domain::reserve_number::ReserveNumberRules,
    pub today: Date,
}

/// Parses, pseudonymises and stores one file, all or nothing. `Ok(Err(errors))`: the file has
/// bad rows and nothing was stored.
pub fn import_file(
    conn: &mut DbConnection,
    kind: FileKind,
    filename: &str,
    text: &str,
    persons: &PersonReading,
    now: Timestamp,
) -> Result<Result<ImportOutcome, Vec<samsyn_domain::measurement::RowError>>, StoreError> {
    use sha2::{Digest, Sha256};
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let mut pseudonyms = crate::measurement::pseudonym::PseudonymCache::new(persons.key);
    let (reserve, today) = (persons.reserve, persons.today);
    match kind {
        FileKind::Activities => {
            match samsyn_domain::measurement::parse_activities(filename, text, reserve, today) {
                Err(errors) => Ok(Err(errors)),
                Ok(rows) => {
                    let rows: Vec<Activity<Pseudonym>> = rows
                        .into_iter()
                        .map(|a| a.map_person(|p| pseudonyms.pseudonym(p)))
                        .collect();
                    Ok(Ok(import_activities(conn, filename, &sha256, &rows, now)?))
                }
            }
        }
        FileKind::Assessments(period) => {
            match samsyn_domain::measurement::parse_assessments(filename, text, reserve, today) {
                Err(errors) => Ok(Err(errors)),
                Ok(rows) => {
                    let rows: Vec<ManualAssessment<Pseudonym>> = rows
                        .into_iter()
                        .map(|a| a.map_person(|p| pseudonyms.pseudonym(p)))
                        .collect();
                    Ok(Ok(import_assessments(
                        conn, filename, &sha256, period, &rows, now,
                    )?))
                }
            }
        }
        FileKind::Enrollments => {
            match samsyn_domain::measurement::parse_enrollments(filename, text, reserve, today) {
                Err(errors) => Ok(Err(errors)),
                Ok(rows) => {
                    let rows: Vec<Enrollment<Pseudonym>> = rows
                        .into_iter()
                        .map(|e| e.map_person(|p| pseudonyms.pseudonym(p)))
                        .collect();
                    Ok(Ok(import_enrollments(conn, filename, &sha256, &rows, now)?))
                }
            }
        }
    }
}

/// Distinct persons per municipality, 65 or older in the period's year (by birth year), with an
/// ordinary-housing enrollment overlapping the period.
pub fn enrolled_65_plus(
    conn: &mut DbConnection,
    period: Period,
) -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
    let oldest_birth_year = i32::from(period.first.year()) - 65;
    let rows: Vec<(String, String, String, Option<String>)> = measurement_enrollments::table
        .filter(measurement_enrollments::housing.eq("ordinart"))
        .filter(measurement_enrollments::birth_year.le(oldest_birth_year))
        .filter(measurement_enrollments::enrolled_from.le(period.last.to_string()))
        .select((
            measurement_enrollments::municipality,
            measurement_enrollments::person,
            measurement_enrollments::enrolled_from,
            measurement_enrollments::enrolled_to,
        ))
        .load(conn)?;
    let mut persons: std::collections::BTreeSet<(String, String)> =
        std::collections::BTreeSet::new();
    for (municipality, person, from, to) in rows {
        let overlaps = period.overlaps(date(&from)?, to.as_deref().map(date).transpose()?);
        if overlaps {
            persons.insert((municipality, person));
        }
    }
    let mut counts = std::collections::BTreeMap::new();
    for (municipality, _) in persons {
        *counts.entry(municipality).or_insert(0) += 1;
    }
    Ok(counts)
}

pub fn import_assessments(
    conn: &mut DbConnection,
    filename: &str,
    sha256: &str,
    period: Period,
    rows: &[ManualAssessment<Pseudonym>],
    now: Timestamp,
) -> Result<ImportOutcome, StoreError> {
    let Some(file_id) = register(conn, "bedomningar", filename, sha256, rows.len(), now)? else {
        return Ok(ImportOutcome::AlreadyImported);
    };
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<_> = chunk
            .iter()
            .map(|a| {
                (
                    measurement_assessments::id.eq(new_id()),
                    measurement_assessments::file_id.eq(file_id.clone()),
                    measurement_assessments::period.eq(period.label()),
                    measurement_assessments::municipality.eq(a.municipality.to_string()),
                    measurement_assessments::person.eq(a.person.hex()),
                    measurement_assessments::birth_year.eq(i32::from(a.person.birth_year)),
                    measurement_assessments::category.eq(a.category.code()),
                    measurement_assessments::nurse_minutes.eq(a.nurse_minutes as i32),
                    measurement_assessments::rehab_minutes.eq(a.rehab_minutes as i32),
                )
            })
            .collect();
        batch_insert!(conn, measurement_assessments::table, values)?;
    }
    Ok(ImportOutcome::Imported { rows: rows.len() })
}

/// The period's manual assessments.
pub fn assessments_for(
    conn: &mut DbConnection,
    period: Period,
) -> Result<Vec<ManualAssessment<String>>, StoreError> {
    measurement_assessments::table
        .filter(measurement_assessments::period.eq(period.label()))
        .select((
            measurement_assessments::municipality,
            measurement_assessments::person,
            measurement_assessments::category,
            measurement_assessments::nurse_minutes,
            measurement_assessments::rehab_minutes,
        ))
        .load::<(String, String, String, i32, i32)>(conn)?
        .into_iter()
        .map(|(m, person, category, nurse, rehab)| {
            Ok(ManualAssessment {
                municipality: municipality(&m)?,
                person,
                category: Category::from_code(&category)
                    .ok_or_else(|| StoreError::Corrupt("category".into()))?,
                nurse_minutes: nurse.max(0) as u32,
                rehab_minutes: rehab.max(0) as u32,
            })
        })
        .collect()
}

/// Everything stored about one pseudonym, for a data correction.
#[derive(Debug, Clone, Default)]
pub struct PersonRows {
    /// (municipality, day, code, profession, minutes, delegated)
    pub activities: Vec<(String, String, String, String, Option<i32>, bool)>,
    /// (municipality, from, to, housing, palliative)
    pub enrollments: Vec<(String, String, Option<String>, String, bool)>,
    /// (period, municipality, category)
    pub assessments: Vec<(String, String, String)>,
}

/// The rows of one person, found by the pseudonym the caller computed from the personnummer.
/// The caller logs the lookup: this is the only way back from measurement data to a person.
pub fn rows_for_person(conn: &mut DbConnection, pseudonym: &str) -> Result<PersonRows, StoreError> {
    Ok(PersonRows {
        activities: measurement_activities::table
            .filter(measurement_activities::person.eq(pseudonym))
            .order(measurement_activities::day.asc())
            .select((
                measurement_activities::municipality,
                measurement_activities::day,
                measurement_activities::code,
                measurement_activities::profession,
                measurement_activities::minutes,
                measurement_activities::delegated,
            ))
            .load(conn)?,
        enrollments: measurement_enrollments::table
            .filter(measurement_enrollments::person.eq(pseudonym))
            .order(measurement_enrollments::enrolled_from.asc())
            .select((
                measurement_enrollments::municipality,
                measurement_enrollments::enrolled_from,
                measurement_enrollments::enrolled_to,
                measurement_enrollments::housing,
                measurement_enrollments::palliative,
            ))
            .load(conn)?,
        assessments: measurement_assessments::table
            .filter(measurement_assessments::person.eq(pseudonym))
            .select((
                measurement_assessments::period,
                measurement_assessments::municipality,
                measurement_assessments::category,
            ))
            .load(conn)?,
    })
}
