//! Each measured month's result per municipality, stored when the measurement's files are
//! imported, so that the tilläggsbelopp and the yearly follow-up read counts instead of measuring
//! the stored rows again. A result names the rule set (id and version) and the files it was
//! computed from, and is used only while both are still the ones in force; otherwise the month is
//! measured again from its rows.

use super::{activities_in, activity_files_in, enrollments_overlapping, files, periods};
use crate::schema::{measurement_result_municipalities as by_municipality, measurement_results};
use crate::{DbConnection, StoreError, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::measurement::{Measurement, MunicipalityResult, Period, measure};
use samsyn_domain::{MunicipalityCode, RuleSet};
use std::collections::BTreeMap;

/// The rule set as a stored result names it: `id@version`.
fn rule_set_label(rules: &RuleSet) -> String {
    format!("{}@{}", rules.id, rules.version)
}

/// The files a month's result rests on: its activity files and every enrollment file, by hash.
fn files_of(conn: &mut DbConnection, period: Period) -> Result<String, StoreError> {
    let mut hashes: Vec<String> = activity_files_in(conn, period)?
        .into_iter()
        .chain(
            files(conn)?
                .into_iter()
                .filter(|f| f.kind == "inskrivningar"),
        )
        .map(|f| f.sha256)
        .collect();
    hashes.sort_unstable();
    Ok(hashes.join(","))
}

/// Measures every month that has activities under `rules` and stores the results, replacing
/// what was stored. Run after an import, in its transaction.
pub fn refresh(conn: &mut DbConnection, rules: &RuleSet, now: Timestamp) -> Result<(), StoreError> {
    for label in periods(conn)? {
        let Some(period) = Period::month(&label) else {
            continue;
        };
        let activities = activities_in(conn, period)?;
        let enrollments = enrollments_overlapping(conn, period)?;
        let measured = measure(period, &activities, &enrollments, &rules.measurement);
        let files = files_of(conn, period)?;
        save(conn, &label, &measured, &rule_set_label(rules), &files, now)?;
    }
    Ok(())
}

fn save(
    conn: &mut DbConnection,
    label: &str,
    measured: &Measurement,
    rule_set: &str,
    files: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    diesel::delete(by_municipality::table.filter(by_municipality::period.eq(label)))
        .execute(conn)?;
    diesel::delete(measurement_results::table.find(label)).execute(conn)?;
    let unknown_codes = serde_json::to_string(&measured.unknown_codes)
        .map_err(|e| StoreError::Corrupt(format!("unknown codes: {e}")))?;
    diesel::insert_into(measurement_results::table)
        .values((
            measurement_results::period.eq(label),
            measurement_results::rule_set.eq(rule_set),
            measurement_results::files.eq(files),
            measurement_results::computed_at.eq(to_millis(now)),
            measurement_results::persons_in_several_municipalities
                .eq(count(measured.persons_in_several_municipalities)),
            measurement_results::unknown_codes.eq(unknown_codes),
        ))
        .execute(conn)?;
    for m in &measured.municipalities {
        let c = m.categories.map(count);
        diesel::insert_into(by_municipality::table)
            .values((
                by_municipality::period.eq(label),
                by_municipality::municipality.eq(m.code.to_string()),
                by_municipality::patients.eq(count(m.patients)),
                by_municipality::category_1.eq(c[0]),
                by_municipality::category_2a.eq(c[1]),
                by_municipality::category_2b.eq(c[2]),
                by_municipality::category_3.eq(c[3]),
                by_municipality::category_4.eq(c[4]),
                by_municipality::category_5.eq(c[5]),
                by_municipality::nurse_minutes.eq(count(m.nurse_minutes)),
                by_municipality::rehab_minutes.eq(count(m.rehab_minutes)),
                by_municipality::delegated_activities.eq(count(m.delegated_activities)),
                by_municipality::excluded_special_housing.eq(count(m.excluded_special_housing)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The month's stored result, if it was computed under `rules` from the files stored now.
pub fn stored(
    conn: &mut DbConnection,
    period: Period,
    rules: &RuleSet,
) -> Result<Option<Measurement>, StoreError> {
    let label = period.label();
    let Some((rule_set, files, several, unknown)) = measurement_results::table
        .find(&label)
        .select((
            measurement_results::rule_set,
            measurement_results::files,
            measurement_results::persons_in_several_municipalities,
            measurement_results::unknown_codes,
        ))
        .get_result::<(String, String, i64, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if rule_set != rule_set_label(rules) || files != files_of(conn, period)? {
        return Ok(None);
    }
    let corrupt = |what: &str| StoreError::Corrupt(format!("measurement result: {what}"));
    let rows = by_municipality::table
        .filter(by_municipality::period.eq(&label))
        .order(by_municipality::municipality)
        .select((
            by_municipality::municipality,
            by_municipality::patients,
            (
                by_municipality::category_1,
                by_municipality::category_2a,
                by_municipality::category_2b,
                by_municipality::category_3,
                by_municipality::category_4,
                by_municipality::category_5,
            ),
            by_municipality::nurse_minutes,
            by_municipality::rehab_minutes,
            by_municipality::delegated_activities,
            by_municipality::excluded_special_housing,
        ))
        .load::<(
            String,
            i64,
            (i64, i64, i64, i64, i64, i64),
            i64,
            i64,
            i64,
            i64,
        )>(conn)?;
    let count = |n: i64| u64::try_from(n).map_err(|_| corrupt("a negative count"));
    let mut municipalities = Vec::with_capacity(rows.len());
    for (code, patients, (c1, c2a, c2b, c3, c4, c5), nurse, rehab, delegated, excluded) in rows {
        let mut counted = [0u64; 6];
        for (slot, n) in counted.iter_mut().zip([c1, c2a, c2b, c3, c4, c5]) {
            *slot = count(n)?;
        }
        municipalities.push(MunicipalityResult {
            code: MunicipalityCode::parse(&code).ok_or_else(|| corrupt("municipality"))?,
            patients: count(patients)?,
            categories: counted,
            nurse_minutes: count(nurse)?,
            rehab_minutes: count(rehab)?,
            delegated_activities: count(delegated)?,
            excluded_special_housing: count(excluded)?,
            manual: false,
        });
    }
    let unknown_codes: BTreeMap<String, u64> =
        serde_json::from_str(&unknown).map_err(|_| corrupt("unknown codes"))?;
    Ok(Some(Measurement {
        period,
        municipalities,
        persons_in_several_municipalities: count(several)?,
        unknown_codes,
    }))
}

/// The month's result: the stored one while it holds, else measured again from the stored rows.
pub fn measured(
    conn: &mut DbConnection,
    period: Period,
    rules: &RuleSet,
) -> Result<Measurement, StoreError> {
    if let Some(stored) = stored(conn, period, rules)? {
        return Ok(stored);
    }
    let activities = activities_in(conn, period)?;
    let enrollments = enrollments_overlapping(conn, period)?;
    Ok(measure(
        period,
        &activities,
        &enrollments,
        &rules.measurement,
    ))
}
