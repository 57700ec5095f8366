//! Reading the access log for a reviewer, with names resolved: filtered, counted and paged in
//! the query, denials first.

use crate::access_log::chain::COLUMNS;
use crate::db::MultiBackend;
use crate::schema::{access_log, care_requests, case_events, patients, units, users};
use crate::{DbConnection, StoreError, from_millis, to_millis};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use jiff::Timestamp;
use samsyn_domain::{
    AccessAction, AccessOutcome, Action, CaseState, IdentitySource, Party, PersonId,
};
use std::collections::HashMap;
use std::collections::HashSet;

/// A logged access, with names resolved for the reviewer.
#[derive(Debug, Clone)]
pub struct LoggedAccess {
    pub id: String,
    pub at: Timestamp,
    pub username: String,
    pub user_name: String,
    pub unit_name: String,
    /// Who the patient is, when the reviewer may know: `None` for an entry without a patient and
    /// for another party's patient.
    pub patient: Option<(PersonId, String)>,
    pub patient_id: Option<String>,
    /// The person has skyddad identitet, so every file that names them says so.
    pub patient_protected: bool,
    pub action: AccessAction,
    pub object_type: String,
    pub object_id: String,
    pub outcome: AccessOutcome,
    pub identity_source: IdentitySource,
    /// For an entry made by nödåtkomst: the reason written when the person's cases were opened.
    pub emergency_reason: Option<String>,
}

/// Which entries to show. All filters combine.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The reviewer's party: accesses made by its staff, and every access (other parties' staff
    /// and denied attempts included) to the patients of cases it is party to. Only those
    /// patients are named; the rest are shown without identity.
    pub party: Option<Party>,
    pub patient_id: Option<String>,
    pub user_id: Option<String>,
    pub unit_id: Option<String>,
    /// From this moment on.
    pub from: Option<Timestamp>,
    /// Before this moment.
    pub until: Option<Timestamp>,
    pub action: Option<AccessAction>,
    pub outcome: Option<AccessOutcome>,
}

/// One page of matching entries, how many match in all, and where the pages beside it start.
#[derive(Debug, Clone)]
pub struct Page {
    pub entries: Vec<LoggedAccess>,
    pub total: i64,
    pub denied: i64,
    /// The page after this one starts after this entry.
    pub next: Option<Position>,
    /// The page before this one ends before this entry.
    pub previous: Option<Position>,
}

/// An entry's place in the review's order (nödåtkomst first, then denials, then newest first),
/// so that a page starts from it by the index instead of counting past every entry before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    emergency: bool,
    denied: bool,
    at: i64,
    id: String,
}

impl Position {
    /// The form a link carries: `emergency~denied~millis~id`.
    pub fn encode(&self) -> String {
        format!(
            "{}~{}~{}~{}",
            u8::from(self.emergency),
            u8::from(self.denied),
            self.at,
            self.id
        )
    }

    /// A position from a link; `None` when it is not one this module wrote.
    pub fn parse(text: &str) -> Option<Position> {
        let mut parts = text.splitn(4, '~');
        let flag = |part: Option<&str>| match part? {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        let emergency = flag(parts.next())?;
        let denied = flag(parts.next())?;
        let at: i64 = parts.next()?.parse().ok()?;
        let id = parts.next()?;
        crate::looks_like_id(id).then(|| Position {
            emergency,
            denied,
            at,
            id: id.to_owned(),
        })
    }

    fn of(row: &Row, emergency: bool) -> Position {
        Position {
            emergency,
            denied: row.7 == AccessOutcome::Denied.code(),
            at: row.1,
            id: row.0.clone(),
        }
    }
}

/// Which page to read: the first, the one after an entry, or the one before an entry.
#[derive(Debug, Clone, Default)]
pub enum PageAt {
    #[default]
    First,
    After(Position),
    Before(Position),
}

/// What a party's reviewer may see: accesses from its units, and accesses to its patients.
pub(crate) struct Scope {
    unit_ids: Vec<String>,
    patient_ids: Vec<String>,
}

impl Scope {
    pub(crate) fn of(conn: &mut DbConnection, party: Party) -> Result<Self, StoreError> {
        let unit_ids: Vec<String> = units::table
            .filter(units::party.eq(party.code()))
            .select(units::id)
            .load(conn)?;
        let patient_ids = patients_in_care_of(conn, &unit_ids)?;
        Ok(Scope {
            unit_ids,
            patient_ids,
        })
    }

    /// The patients this party may name.
    pub(crate) fn known(&self) -> HashSet<String> {
        self.patient_ids.iter().cloned().collect()
    }
}

pub(crate) type Boxed = access_log::BoxedQuery<'static, MultiBackend>;

/// The entries matching `filter` within `scope`, as a query still to be counted or selected.
pub(crate) fn matching(filter: &Filter, scope: Option<&Scope>) -> Boxed {
    let mut query = access_log::table.into_boxed();
    if let Some(scope) = scope {
        query = query.filter(
            access_log::unit_id
                .eq_any(scope.unit_ids.clone())
                .or(access_log::patient_id
                    .assume_not_null()
                    .eq_any(cases_in_care_of(scope.unit_ids.clone()))),
        );
    }
    if let Some(patient_id) = &filter.patient_id {
        query = query.filter(access_log::patient_id.eq(patient_id.clone()));
    }
    if let Some(user_id) = &filter.user_id {
        query = query.filter(access_log::user_id.eq(user_id.clone()));
    }
    if let Some(unit_id) = &filter.unit_id {
        query = query.filter(access_log::unit_id.eq(unit_id.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(access_log::at.ge(to_millis(from)));
    }
    if let Some(until) = filter.until {
        query = query.filter(access_log::at.lt(to_millis(until)));
    }
    if let Some(action) = filter.action {
        query = query.filter(access_log::action.eq(action.code()));
    }
    if let Some(outcome) = filter.outcome {
        query = query.filter(access_log::outcome.eq(outcome.code()));
    }
    query
}

/// An entry's columns as `chain::COLUMNS` selects them.
pub(crate) type Row = (
    String,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

type Condition = Box<dyn BoxableExpression<access_log::table, MultiBackend, SqlType = Bool>>;

/// The entries on the far side of `from` in the review's order: after it (`later`) or before.
fn beyond(from: &Position, later: bool) -> Condition {
    let emergency = |flag: bool| -> Condition {
        if flag {
            Box::new(access_log::emergency_access_id.is_not_null())
        } else {
            Box::new(access_log::emergency_access_id.is_null())
        }
    };
    let outcome = |denied: bool| {
        let outcome = if denied {
            AccessOutcome::Denied
        } else {
            AccessOutcome::Allowed
        };
        access_log::outcome.eq(outcome.code())
    };
    let (at, id) = (from.at, from.id.clone());
    let in_time: Condition = if later {
        Box::new(
            access_log::at
                .lt(at)
                .or(access_log::at.eq(at).and(access_log::id.lt(id))),
        )
    } else {
        Box::new(
            access_log::at
                .gt(at)
                .or(access_log::at.eq(at).and(access_log::id.gt(id))),
        )
    };
    // The order is descending in each flag: past a flag that is set lie the entries without it.
    let mut same_emergency: Condition = Box::new(outcome(from.denied).and(in_time));
    if from.denied == later {
        same_emergency = Box::new(same_emergency.or(outcome(!from.denied)));
    }
    let mut all: Condition = Box::new(emergency(from.emergency).and(same_emergency));
    if from.emergency == later {
        all = Box::new(all.or(emergency(!from.emergency)));
    }
    all
}

/// A page of at most `limit` entries at `at`, in the review's order: nödåtkomst first, then
/// denials, then newest first.
pub fn search(
    conn: &mut DbConnection,
    filter: &Filter,
    at: &PageAt,
    limit: i64,
) -> Result<Page, StoreError> {
    let limit = limit.max(1);
    let scope = filter
        .party
        .map(|party| Scope::of(conn, party))
        .transpose()?;
    let total: i64 = matching(filter, scope.as_ref()).count().get_result(conn)?;
    let denied: i64 = matching(filter, scope.as_ref())
        .filter(access_log::outcome.eq(AccessOutcome::Denied.code()))
        .count()
        .get_result(conn)?;
    let mut query = matching(filter, scope.as_ref())
        .select((COLUMNS, access_log::emergency_access_id.is_not_null()));
    let backwards = matches!(at, PageAt::Before(_));
    match at {
        PageAt::First => {}
        PageAt::After(from) => query = query.filter(beyond(from, true)),
        PageAt::Before(from) => query = query.filter(beyond(from, false)),
    }
    query = if backwards {
        query.order((
            access_log::emergency_access_id.is_not_null().asc(),
            access_log::outcome.asc(),
            access_log::at.asc(),
            access_log::id.asc(),
        ))
    } else {
        query.order((
            access_log::emergency_access_id.is_not_null().desc(),
            access_log::outcome.desc(),
            access_log::at.desc(),
            access_log::id.desc(),
        ))
    };
    let mut rows: Vec<(Row, bool)> = query.limit(limit + 1).load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    if backwards {
        rows.reverse();
    }
    let first = rows.first().map(|(row, e)| Position::of(row, *e));
    let last = rows.last().map(|(row, e)| Position::of(row, *e));
    let (next, previous) = match at {
        PageAt::First => (last.filter(|_| more), None),
        PageAt::After(_) => (last.filter(|_| more), first),
        PageAt::Before(_) => (last, first.filter(|_| more)),
    };
    let known = scope.as_ref().map(Scope::known);
    Ok(Page {
        entries: resolve(
            conn,
            rows.into_iter().map(|(row, _)| row).collect(),
            known.as_ref(),
        )?,
        total,
        denied,
        next,
        previous,
    })
}

/// Entries with user, unit and patient names; a patient outside `known` (when given) stays
/// unnamed.
pub(crate) fn resolve(
    conn: &mut DbConnection,
    rows: Vec<Row>,
    known: Option<&HashSet<String>>,
) -> Result<Vec<LoggedAccess>, StoreError> {
    let may_name = |patient_id: &String| known.is_none_or(|k| k.contains(patient_id));
    // Each id once, and patients in chunks: SQLite binds at most 32 766 parameters.
    let user_ids: Vec<&String> = rows
        .iter()
        .map(|r| &r.2)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
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
    let patient_ids: Vec<&String> = rows
        .iter()
        .filter_map(|r| r.4.as_ref())
        .filter(|id| may_name(id))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut patients: HashMap<String, crate::patients::Patient> = HashMap::new();
    for chunk in patient_ids.chunks(10_000) {
        for row in patients::table
            .filter(patients::id.eq_any(chunk))
            .select(crate::patients::COLUMNS)
            .load::<crate::patients::Row>(conn)?
        {
            let patient = crate::patients::from_row(row)?;
            patients.insert(patient.id.clone(), patient);
        }
    }

    let opening_ids: Vec<&String> = rows
        .iter()
        .filter_map(|r| r.10.as_ref())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let reasons: HashMap<String, String> = if opening_ids.is_empty() {
        HashMap::new()
    } else {
        crate::emergency_access::by_ids(conn, &opening_ids)?
            .into_iter()
            .map(|o| (o.id, o.reason))
            .collect()
    };
    rows.into_iter()
        .map(
            |(
                id,
                at,
                user_id,
                unit_id,
                patient_id,
                action,
                object_type,
                object_id,
                outcome,
                identity_source,
                emergency_access_id,
            )| {
                let (username, user_name) = user_names.get(&user_id).cloned().unwrap_or_default();
                let emergency_reason = emergency_access_id
                    .as_ref()
                    .map(|id| reasons.get(id).cloned().unwrap_or_default());
                Ok(LoggedAccess {
                    id,
                    at: from_millis(at)?,
                    username,
                    user_name,
                    unit_name: unit_names.get(&unit_id).cloned().unwrap_or_default(),
                    patient: patient_id
                        .as_ref()
                        .and_then(|id| patients.get(id))
                        .map(|p| (p.person_id, p.name.clone())),
                    patient_protected: patient_id
                        .as_ref()
                        .and_then(|id| patients.get(id))
                        .is_some_and(|p| p.protected_identity),
                    patient_id,
                    action: AccessAction::from_code(&action)
                        .ok_or_else(|| StoreError::Corrupt("action".into()))?,
                    object_type,
                    object_id,
                    outcome: AccessOutcome::from_code(&outcome)
                        .ok_or_else(|| StoreError::Corrupt("outcome".into()))?,
                    identity_source: IdentitySource::from_code(&identity_source)
                        .ok_or_else(|| StoreError::Corrupt("identity source".into()))?,
                    emergency_reason,
                })
            },
        )
        .collect()
}

/// The patients of the cases these units are party to, as a subquery: as sender, as receiver
/// of a sent case, or as a receiver that forwarded it (the rule of the case lists,
/// `case::requests::load`, written for many units). Bound by the units only, so a party with
/// any number of patients stays within SQLite's parameter limit.
#[diesel::dsl::auto_type(no_type_alias)]
fn cases_in_care_of(unit_ids: Vec<String>) -> _ {
    let forward: &'static str = Action::Forward.code();
    let draft: &'static str = CaseState::Draft.code();
    let forwarders: Vec<String> = unit_ids.clone();
    let senders: Vec<String> = unit_ids.clone();
    care_requests::table
        .filter(
            care_requests::sender_unit_id
                .eq_any(senders)
                .or(care_requests::receiver_unit_id
                    .eq_any(unit_ids)
                    .and(care_requests::state.ne(draft)))
                .or(care_requests::id.eq_any(
                    case_events::table
                        .filter(case_events::unit_id.eq_any(forwarders))
                        .filter(case_events::kind.eq(forward))
                        .select(case_events::case_id),
                )),
        )
        .select(care_requests::patient_id)
}

/// The patients of the cases these units are party to, each once.
fn patients_in_care_of(
    conn: &mut DbConnection,
    unit_ids: &[String],
) -> Result<Vec<String>, StoreError> {
    Ok(cases_in_care_of(unit_ids.to_vec()).distinct().load(conn)?)
}
