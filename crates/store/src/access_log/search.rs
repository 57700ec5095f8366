//! Reading the access log for a reviewer, with names resolved.

use crate::schema::{access_log, care_requests, case_events, patients, units, users};
use crate::{DbConnection, StoreError, from_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::{AccessAction, AccessOutcome, Action, CaseState, Party, Personnummer};
use std::collections::HashMap;
use std::collections::HashSet;

/// A logged access, with names resolved for the reviewer.
#[derive(Debug, Clone)]
pub struct LoggedAccess {
    pub at: Timestamp,
    pub username: String,
    pub user_name: String,
    pub unit_name: String,
    /// Who the patient is, when the reviewer may know: `None` for an entry without a patient and
    /// for another party's patient.
    pub patient: Option<(Personnummer, String)>,
    pub patient_id: Option<String>,
    pub action: AccessAction,
    pub object_type: String,
    pub object_id: String,
    pub outcome: AccessOutcome,
}

/// Which entries to show. All filters combine; `limit` caps the newest entries returned.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub patient_id: Option<String>,
    pub user_id: Option<String>,
    /// The reviewer's party: accesses made by its staff, and every access (other parties' staff
    /// and denied attempts included) to the patients of cases it is party to. Only those
    /// patients are named; the rest are shown without identity.
    pub party: Option<Party>,
    pub limit: i64,
}

type Row = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
);

pub fn search(conn: &mut DbConnection, filter: &Filter) -> Result<Vec<LoggedAccess>, StoreError> {
    let mut query = access_log::table
        .select((
            access_log::at,
            access_log::user_id,
            access_log::unit_id,
            access_log::patient_id,
            access_log::action,
            access_log::object_type,
            access_log::object_id,
            access_log::outcome,
        ))
        .order((access_log::at.desc(), access_log::id.desc()))
        .limit(filter.limit.max(1))
        .into_boxed();
    if let Some(patient_id) = &filter.patient_id {
        query = query.filter(access_log::patient_id.eq(patient_id.clone()));
    }
    if let Some(user_id) = &filter.user_id {
        query = query.filter(access_log::user_id.eq(user_id.clone()));
    }
    let mut known: Option<HashSet<String>> = None;
    if let Some(party) = filter.party {
        let unit_ids: Vec<String> = units::table
            .filter(units::party.eq(party.code()))
            .select(units::id)
            .load(conn)?;
        let patient_ids = patients_in_care_of(conn, &unit_ids)?;
        query = query.filter(
            access_log::unit_id
                .eq_any(unit_ids)
                .or(access_log::patient_id.eq_any(patient_ids.clone())),
        );
        known = Some(patient_ids.into_iter().collect());
    }
    let rows: Vec<Row> = query.load(conn)?;
    let may_name = |patient_id: &String| known.as_ref().is_none_or(|k| k.contains(patient_id));

    let user_ids: Vec<&String> = rows.iter().map(|r| &r.1).collect();
    let user_names: HashMap<String, (String, String)> = users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::username, users::display_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, username, name)| (id, (username, name)))
        .collect();
    let unit_names: HashMap<String, String> = units::table
        .select((units::id, units::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let patient_ids: Vec<&String> = rows.iter().filter_map(|r| r.3.as_ref()).collect();
    let patients: HashMap<String, crate::patients::Patient> = patients::table
        .filter(patients::id.eq_any(patient_ids))
        .select(crate::patients::COLUMNS)
        .load::<crate::patients::Row>(conn)?
        .into_iter()
        .map(|row| crate::patients::from_row(row).map(|p| (p.id.clone(), p)))
        .collect::<Result<_, _>>()?;

    rows.into_iter()
        .map(
            |(at, user_id, unit_id, patient_id, action, object_type, object_id, outcome)| {
                let (username, user_name) = user_names.get(&user_id).cloned().unwrap_or_default();
                Ok(LoggedAccess {
                    at: from_millis(at)?,
                    username,
                    user_name,
                    unit_name: unit_names.get(&unit_id).cloned().unwrap_or_default(),
                    patient: patient_id
                        .as_ref()
                        .filter(|id| may_name(id))
                        .and_then(|id| patients.get(id))
                        .map(|p| (p.personnummer, p.name.clone())),
                    patient_id,
                    action: AccessAction::from_code(&action)
                        .ok_or_else(|| StoreError::Corrupt("action".into()))?,
                    object_type,
                    object_id,
                    outcome: AccessOutcome::from_code(&outcome)
                        .ok_or_else(|| StoreError::Corrupt("outcome".into()))?,
                })
            },
        )
        .collect()
}

/// The patients of the cases these units are party to: as sender, as receiver of a sent case,
/// or as a receiver that forwarded it. The same rule as the unit filter of the case lists
/// (`case::requests::load`), written for many units.
fn patients_in_care_of(
    conn: &mut DbConnection,
    unit_ids: &[String],
) -> Result<Vec<String>, StoreError> {
    let forwarded_by = case_events::table
        .filter(case_events::unit_id.eq_any(unit_ids.to_vec()))
        .filter(case_events::kind.eq(Action::Forward.code()))
        .select(case_events::case_id);
    Ok(care_requests::table
        .filter(
            care_requests::sender_unit_id
                .eq_any(unit_ids.to_vec())
                .or(care_requests::receiver_unit_id
                    .eq_any(unit_ids.to_vec())
                    .and(care_requests::state.ne(CaseState::Draft.code())))
                .or(care_requests::id.eq_any(forwarded_by)),
        )
        .select(care_requests::patient_id)
        .distinct()
        .load(conn)?)
}
