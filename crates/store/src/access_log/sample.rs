//! Stickprov: drawing a reproducible random sample of a party's log for review, and keeping the
//! reviewer's finding on each item.

use crate::access_log::chain::COLUMNS;
use crate::access_log::search::{Filter, LoggedAccess, Row, Scope, matching, resolve};
use crate::schema::{access_log, access_log_sample_items, access_log_samples, patients, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::log_review::{ReviewFinding, SampleKind, draw_sample};
use samsyn_domain::{Party, PersonId};

/// The accesses a patient item shows at most; a patient with more is reviewed through the
/// filtered log.
pub const ACCESSES_PER_PATIENT: i64 = 200;

/// What to draw: from which party's log, what kind of item, which days, how many, which seed.
#[derive(Debug, Clone)]
pub struct SampleRequest {
    pub party: Party,
    pub kind: SampleKind,
    pub first_day: Date,
    pub last_day: Date,
    /// The start of the first day and the end of the last, in the region's time zone.
    pub from: Timestamp,
    pub until: Timestamp,
    pub size: usize,
    pub seed: u64,
}

/// A drawn sample, as the list of samples shows it.
#[derive(Debug, Clone)]
pub struct SampleSummary {
    pub id: String,
    pub kind: SampleKind,
    pub first_day: Date,
    pub last_day: Date,
    pub requested_size: i32,
    pub population: i32,
    pub seed: String,
    pub drawn_by: String,
    pub drawn_at: Timestamp,
    pub items: i64,
    pub reviewed: i64,
    pub follow_ups: i64,
}

/// One sampled item and what the reviewer found.
#[derive(Debug, Clone)]
pub struct SampleItem {
    pub position: i32,
    pub subject: SampleSubject,
    pub finding: Option<ReviewFinding>,
    pub note: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<Timestamp>,
}

/// What was drawn: one access, or one patient with the accesses to them in the period.
#[derive(Debug, Clone)]
pub enum SampleSubject {
    Access(Box<LoggedAccess>),
    Patient {
        person_id: PersonId,
        name: String,
        accesses: Vec<LoggedAccess>,
    },
}

/// Draws the sample and stores it with its items, in one transaction with the caller's log
/// entry. Only entries about a patient count, and not the reviewers' own searches; patients are
/// the party's own, whom its reviewer may name. Returns the sample's id.
pub fn draw(
    conn: &mut DbConnection,
    request: &SampleRequest,
    drawn_by: &str,
    now: Timestamp,
) -> Result<String, StoreError> {
    let scope = Scope::of(conn, request.party)?;
    let filter = Filter {
        from: Some(request.from),
        until: Some(request.until),
        ..Filter::default()
    };
    let reviewed = matching(&filter, Some(&scope))
        .filter(access_log::patient_id.is_not_null())
        .filter(access_log::object_type.ne(REVIEW_OBJECT));
    let population: Vec<(Option<String>, Option<String>)> = match request.kind {
        SampleKind::Accesses => reviewed
            .select(access_log::id)
            .order((access_log::at.asc(), access_log::id.asc()))
            .load::<String>(conn)?
            .into_iter()
            .map(|id| (Some(id), None))
            .collect(),
        SampleKind::Patients => {
            let known = scope.known();
            let mut ids: Vec<String> = reviewed
                .select(access_log::patient_id.assume_not_null())
                .distinct()
                .load::<String>(conn)?
                .into_iter()
                .filter(|id| known.contains(id))
                .collect();
            ids.sort_unstable();
            ids.into_iter().map(|id| (None, Some(id))).collect()
        }
    };
    let id = new_id();
    diesel::insert_into(access_log_samples::table)
        .values((
            access_log_samples::id.eq(&id),
            access_log_samples::party.eq(request.party.code()),
            access_log_samples::kind.eq(request.kind.code()),
            access_log_samples::first_day.eq(request.first_day.to_string()),
            access_log_samples::last_day.eq(request.last_day.to_string()),
            access_log_samples::requested_size.eq(count(request.size)?),
            access_log_samples::population.eq(count(population.len())?),
            access_log_samples::seed.eq(request.seed.to_string()),
            access_log_samples::drawn_by.eq(drawn_by),
            access_log_samples::drawn_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    for (position, drawn) in draw_sample(population.len(), request.size, request.seed)
        .into_iter()
        .enumerate()
    {
        let (entry_id, patient_id) = &population[drawn];
        diesel::insert_into(access_log_sample_items::table)
            .values((
                access_log_sample_items::sample_id.eq(&id),
                access_log_sample_items::position.eq(count(position + 1)?),
                access_log_sample_items::entry_id.eq(entry_id),
                access_log_sample_items::patient_id.eq(patient_id),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// The object type of the log entries a review writes; a sample never draws them.
pub const REVIEW_OBJECT: &str = "atkomstlogg";

fn count(n: usize) -> Result<i32, StoreError> {
    i32::try_from(n).map_err(|_| StoreError::Corrupt("sample too large".into()))
}

type SampleRow = (
    String,
    String,
    String,
    String,
    i32,
    i32,
    String,
    String,
    i64,
);

/// The party's samples, newest first, with how far their review has come.
pub fn list(conn: &mut DbConnection, party: Party) -> Result<Vec<SampleSummary>, StoreError> {
    let rows: Vec<SampleRow> = access_log_samples::table
        .inner_join(users::table.on(users::id.eq(access_log_samples::drawn_by)))
        .filter(access_log_samples::party.eq(party.code()))
        .order(access_log_samples::drawn_at.desc())
        .select((
            access_log_samples::id,
            access_log_samples::kind,
            access_log_samples::first_day,
            access_log_samples::last_day,
            access_log_samples::requested_size,
            access_log_samples::population,
            access_log_samples::seed,
            users::display_name,
            access_log_samples::drawn_at,
        ))
        .load(conn)?;
    let progress: Vec<(String, Option<String>)> = access_log_sample_items::table
        .inner_join(
            access_log_samples::table
                .on(access_log_samples::id.eq(access_log_sample_items::sample_id)),
        )
        .filter(access_log_samples::party.eq(party.code()))
        .select((
            access_log_sample_items::sample_id,
            access_log_sample_items::finding,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(id, kind, first_day, last_day, requested_size, population, seed, drawn_by, at)| {
                let of_this = progress.iter().filter(|(s, _)| *s == id);
                let items = of_this.clone().count() as i64;
                let reviewed = of_this.clone().filter(|(_, f)| f.is_some()).count() as i64;
                let follow_ups = of_this
                    .filter(|(_, f)| f.as_deref() == Some(ReviewFinding::FollowUp.code()))
                    .count() as i64;
                Ok(SampleSummary {
                    kind: SampleKind::from_code(&kind)
                        .ok_or_else(|| StoreError::Corrupt("sample kind".into()))?,
                    first_day: parse_day(&first_day)?,
                    last_day: parse_day(&last_day)?,
                    requested_size,
                    population,
                    seed,
                    drawn_by,
                    drawn_at: from_millis(at)?,
                    items,
                    reviewed,
                    follow_ups,
                    id,
                })
            },
        )
        .collect()
}

fn parse_day(text: &str) -> Result<Date, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt("sample day".into()))
}

type ItemRow = (
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<i64>,
);

/// One of the party's samples, or `None` when the party has no such sample.
pub fn find(
    conn: &mut DbConnection,
    party: Party,
    id: &str,
) -> Result<Option<SampleSummary>, StoreError> {
    Ok(list(conn, party)?.into_iter().find(|s| s.id == id))
}

/// The items of the party's sample (as `find` gave it), in drawn order. `from`/`until` bound
/// the accesses a patient item shows (the sample's days).
pub fn items(
    conn: &mut DbConnection,
    party: Party,
    sample: &SampleSummary,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<SampleItem>, StoreError> {
    let id = sample.id.as_str();
    let scope = Scope::of(conn, party)?;
    let known = scope.known();
    let rows: Vec<ItemRow> = access_log_sample_items::table
        .left_join(
            users::table.on(users::id
                .nullable()
                .eq(access_log_sample_items::reviewed_by)),
        )
        .filter(access_log_sample_items::sample_id.eq(id))
        .order(access_log_sample_items::position.asc())
        .select((
            access_log_sample_items::position,
            access_log_sample_items::entry_id,
            access_log_sample_items::patient_id,
            access_log_sample_items::finding,
            access_log_sample_items::note,
            users::display_name.nullable(),
            access_log_sample_items::reviewed_at,
        ))
        .load(conn)?;
    let mut items = Vec::with_capacity(rows.len());
    for (position, entry_id, patient_id, finding, note, reviewed_by, reviewed_at) in rows {
        let subject = match (entry_id, patient_id) {
            (Some(entry_id), _) => {
                let row: Vec<Row> = access_log::table
                    .filter(access_log::id.eq(entry_id))
                    .select(COLUMNS)
                    .load(conn)?;
                let entry = resolve(conn, row, Some(&known))?
                    .pop()
                    .ok_or_else(|| StoreError::Corrupt("sampled entry".into()))?;
                SampleSubject::Access(Box::new(entry))
            }
            (None, Some(patient_id)) => {
                let patient = crate::patients::from_row(
                    patients::table
                        .filter(patients::id.eq(&patient_id))
                        .select(crate::patients::COLUMNS)
                        .first::<crate::patients::Row>(conn)?,
                )?;
                let filter = Filter {
                    patient_id: Some(patient_id),
                    from: Some(from),
                    until: Some(until),
                    ..Filter::default()
                };
                let rows: Vec<Row> = matching(&filter, None)
                    .filter(access_log::object_type.ne(REVIEW_OBJECT))
                    .select(COLUMNS)
                    .order((access_log::at.asc(), access_log::id.asc()))
                    .limit(ACCESSES_PER_PATIENT)
                    .load(conn)?;
                SampleSubject::Patient {
                    person_id: patient.person_id,
                    name: patient.name,
                    accesses: resolve(conn, rows, Some(&known))?,
                }
            }
            (None, None) => return Err(StoreError::Corrupt("sample item".into())),
        };
        items.push(SampleItem {
            position,
            subject,
            finding: finding
                .map(|f| {
                    ReviewFinding::from_code(&f)
                        .ok_or_else(|| StoreError::Corrupt("finding".into()))
                })
                .transpose()?,
            note,
            reviewed_by,
            reviewed_at: reviewed_at.map(from_millis).transpose()?,
        });
    }
    Ok(items)
}

/// A reviewer's finding and note on one item, by a user at a moment.
#[derive(Debug, Clone, Copy)]
pub struct Review<'a> {
    pub finding: ReviewFinding,
    pub note: &'a str,
    pub reviewer: &'a str,
    pub at: Timestamp,
}

/// Records the reviewer's finding and note on one item of the party's sample. False when the
/// party has no such item.
pub fn mark(
    conn: &mut DbConnection,
    party: Party,
    sample_id: &str,
    position: i32,
    review: &Review<'_>,
) -> Result<bool, StoreError> {
    let of_party = access_log_samples::table
        .filter(access_log_samples::id.eq(sample_id))
        .filter(access_log_samples::party.eq(party.code()))
        .select(access_log_samples::id);
    let changed = diesel::update(
        access_log_sample_items::table
            .filter(access_log_sample_items::sample_id.eq_any(of_party))
            .filter(access_log_sample_items::position.eq(position)),
    )
    .set((
        access_log_sample_items::finding.eq(review.finding.code()),
        access_log_sample_items::note.eq(review.note),
        access_log_sample_items::reviewed_by.eq(review.reviewer),
        access_log_sample_items::reviewed_at.eq(to_millis(review.at)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
