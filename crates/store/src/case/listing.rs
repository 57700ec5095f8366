//! A unit's cases a page at a time: filtered, counted and ordered in the database, with a keyset
//! cursor, so that no query binds more parameters as data grows. Pages read the unit's range of
//! `case_list_entries` (see `list_entries`), which holds each case's open deadlines.
//!
//! The order is the inbox's: the most pressing open deadline first (overdue, due today, due soon,
//! on track, none), then the earliest such deadline, then the newest case. Which days count as
//! "snart" comes from the rule set and today's date, so it is applied when a page is read.

use super::requests::{self, CareRequest};
use super::sql::Sql;
use crate::access_log::{self, Access, Actor};
use crate::{DbConnection, StoreError};
use diesel::RunQueryDsl;
use diesel::sql_types::{BigInt, Integer, Text};
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::{AccessAction, AccessOutcome, CaseState, RouteGroup};

/// The deadline dates a list is seen against, from the rule set and today's date.
#[derive(Debug, Clone, Copy)]
pub struct Horizon {
    pub today: Date,
    /// The last day a kvittens, planning or plan deadline counts as "snart".
    pub due_soon_until: Date,
    /// The last day a follow-up counts as due.
    pub follow_up_due_soon_until: Date,
    /// Track 3: the plan is due this many days before the discharge date.
    pub discharge_plan_days_before: i32,
}

/// How urgent a case's most pressing open deadline is; the list's first sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue = 0,
    DueToday = 1,
    DueSoon = 2,
    OnTrack = 3,
    /// No open deadline.
    None = 5,
}

impl Urgency {
    fn from_rank(rank: i32) -> Option<Urgency> {
        Some(match rank {
            0 => Urgency::Overdue,
            1 => Urgency::DueToday,
            2 => Urgency::DueSoon,
            3 => Urgency::OnTrack,
            5 => Urgency::None,
            _ => return None,
        })
    }
}

/// The inbox's deadline filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineFilter {
    Is(Urgency),
    /// Kvitterad i tid.
    AcknowledgedInTime,
    /// Kvitterad efter sista dag.
    AcknowledgedLate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Most pressing deadline first.
    #[default]
    Urgency,
    /// Newest first.
    Newest,
}

/// Where the next page starts: the last row's sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    urgency: i32,
    next_due: Date,
    created_at: i64,
    id: String,
}

impl Cursor {
    /// The form a link carries: `urgency~date~millis~id`.
    pub fn encode(&self) -> String {
        format!(
            "{}~{}~{}~{}",
            self.urgency, self.next_due, self.created_at, self.id
        )
    }

    /// A cursor from a link; `None` when it is not one this module wrote.
    pub fn parse(text: &str) -> Option<Cursor> {
        let mut parts = text.splitn(4, '~');
        let urgency: i32 = parts.next()?.parse().ok()?;
        Urgency::from_rank(urgency)?;
        let next_due: Date = parts.next()?.parse().ok()?;
        let created_at: i64 = parts.next()?.parse().ok()?;
        let id = parts.next()?;
        crate::looks_like_id(id).then(|| Cursor {
            urgency,
            next_due,
            created_at,
            id: id.to_owned(),
        })
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    pub patient_id: Option<String>,
    /// One of `CaseState::CODES` (proposals included).
    pub state: Option<String>,
    pub deadline: Option<DeadlineFilter>,
    /// Only cases the acting user has written or taken a step on ("mina ärenden").
    pub mine: bool,
    pub order: Order,
    pub after: Option<Cursor>,
    pub limit: u32,
}

/// A page of cases and where the next one starts.
#[derive(Debug)]
pub struct CasePage {
    pub cases: Vec<CareRequest>,
    pub next: Option<Cursor>,
}

/// How many of the unit's cases (of the user's, with `mine`) there are by state, urgency and
/// kvittens, counted in the database, so that any combination of the list's filters can be
/// counted without loading a case.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    groups: Vec<Group>,
}

#[derive(Debug, PartialEq, Eq)]
struct Group {
    state: &'static str,
    urgency: Urgency,
    /// Whether the kvittens came in time; `None` before one.
    in_time: Option<bool>,
    n: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.matching(None, None)
    }

    /// The cases a list with these filters holds over all its pages.
    pub fn matching(&self, state: Option<&str>, deadline: Option<DeadlineFilter>) -> i64 {
        self.groups
            .iter()
            .filter(|g| state.is_none_or(|s| g.state == s))
            .filter(|g| match deadline {
                None => true,
                Some(DeadlineFilter::Is(urgency)) => g.urgency == urgency,
                Some(DeadlineFilter::AcknowledgedInTime) => g.in_time == Some(true),
                Some(DeadlineFilter::AcknowledgedLate) => g.in_time == Some(false),
            })
            .map(|g| g.n)
            .sum()
    }
}

/// The far-away date that stands for "no open deadline", so the order needs no NULL handling.
const NO_DEADLINE: &str = "9999-12-31";

fn quoted(date: Date) -> String {
    format!("'{date}'")
}

/// The unit's entries that `criteria` selects, each with its next deadline and urgency.
fn ranked(sql: &mut Sql, actor: &Actor, criteria: &Criteria, horizon: &Horizon) {
    let least = if sql.postgres { "LEAST" } else { "min" };
    let today = quoted(horizon.today);
    let rank = |column: &str, soon: Date| {
        format!(
            "CASE WHEN {column} IS NULL THEN 5 WHEN {column} < {today} THEN 0 \
             WHEN {column} = {today} THEN 1 WHEN {column} <= {} THEN 2 ELSE 3 END",
            quoted(soon)
        )
    };
    let days = horizon.discharge_plan_days_before;
    let discharge_plan_due = if sql.postgres {
        format!("to_char(e.discharge_on::date - {days}, 'YYYY-MM-DD')")
    } else {
        format!("date(e.discharge_on, '-{days} days')")
    };
    let soon = horizon.due_soon_until;
    sql.push(&format!(
        "SELECT id, created_at, state, acknowledged_on, acknowledgement_due, \
         {least}(COALESCE(due_on, '{NO_DEADLINE}'), COALESCE(d, '{NO_DEADLINE}'), \
                 COALESCE(follow_up_on, '{NO_DEADLINE}')) AS next_due, \
         {least}({}, {}, {}) AS urgency FROM (\
         SELECT e.case_id AS id, e.created_at AS created_at, e.state AS state, \
         e.acknowledged_on AS acknowledged_on, e.acknowledgement_due AS acknowledgement_due, \
         e.due_on AS due_on, e.follow_up_on AS follow_up_on, \
         CASE WHEN e.discharge_on IS NOT NULL THEN {discharge_plan_due} END AS d \
         FROM case_list_entries e WHERE e.unit_id = ",
        rank("due_on", soon),
        rank("d", soon),
        rank("follow_up_on", horizon.follow_up_due_soon_until),
    ));
    sql.bind(&actor.unit_id);
    if let Some(patient) = &criteria.patient_id {
        sql.push(" AND e.patient_id = ").bind(patient);
    }
    if criteria.mine {
        sql.push(" AND e.case_id IN (SELECT ce.case_id FROM case_events ce WHERE ce.user_id = ")
            .bind(&actor.user_id)
            .push(")");
    }
    if let Some(state) = criteria.state.as_deref() {
        sql.push(" AND e.state = ").bind(state);
    }
    sql.push(") AS c");
}

#[derive(diesel::QueryableByName)]
struct Listed {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Integer)]
    urgency: i32,
    #[diesel(sql_type = Text)]
    next_due: String,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
}

/// The query of a page, as `page` runs it.
fn page_query(conn: &DbConnection, actor: &Actor, criteria: &Criteria, horizon: &Horizon) -> Sql {
    let mut sql = Sql::new(conn);
    sql.push("SELECT id, urgency, next_due, created_at FROM (");
    ranked(&mut sql, actor, criteria, horizon);
    sql.push(") AS r WHERE 1 = 1");
    match criteria.deadline {
        Some(DeadlineFilter::Is(urgency)) => {
            sql.push(&format!(" AND urgency = {}", urgency as i32));
        }
        Some(DeadlineFilter::AcknowledgedInTime) => {
            sql.push(" AND acknowledged_on IS NOT NULL AND acknowledged_on <= acknowledgement_due");
        }
        Some(DeadlineFilter::AcknowledgedLate) => {
            sql.push(" AND acknowledged_on IS NOT NULL AND acknowledged_on > acknowledgement_due");
        }
        None => {}
    }
    if let Some(after) = &criteria.after {
        let (u, due, at) = (after.urgency, quoted(after.next_due), after.created_at);
        match criteria.order {
            Order::Urgency => sql
                .push(&format!(
                    " AND (urgency > {u} OR (urgency = {u} AND next_due > {due}) \
                     OR (urgency = {u} AND next_due = {due} AND created_at < {at}) \
                     OR (urgency = {u} AND next_due = {due} AND created_at = {at} AND id > "
                ))
                .bind(&after.id)
                .push("))"),
            Order::Newest => sql
                .push(&format!(
                    " AND (created_at < {at} OR (created_at = {at} AND id > "
                ))
                .bind(&after.id)
                .push("))"),
        };
    }
    sql.push(match criteria.order {
        Order::Urgency => " ORDER BY urgency, next_due, created_at DESC, id",
        Order::Newest => " ORDER BY created_at DESC, id",
    });
    // One row more than the page tells whether there is a next page.
    sql.push(&format!(" LIMIT {}", criteria.limit.clamp(1, MAX_PAGE) + 1));
    sql
}

/// The most cases one page holds.
pub const MAX_PAGE: u32 = 500;

#[derive(diesel::QueryableByName)]
struct SqlitePlanLine {
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(diesel::QueryableByName)]
struct PostgresPlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The engine's plan for a page's query, one line a step, so a test can see that every table is
/// reached through an index. On PostgreSQL sequential scans are switched off for the transaction
/// first: a plan that still scans a table has no index to use.
pub fn explain(
    conn: &mut DbConnection,
    actor: &Actor,
    criteria: &Criteria,
    horizon: &Horizon,
) -> Result<Vec<String>, StoreError> {
    let mut explained = page_query(conn, actor, criteria, horizon);
    if explained.postgres {
        diesel::sql_query("SET LOCAL enable_seqscan = off").execute(conn)?;
        explained.text.insert_str(0, "EXPLAIN ");
        Ok(explained
            .load::<PostgresPlanLine>(conn)?
            .into_iter()
            .map(|l| l.line)
            .collect())
    } else {
        explained.text.insert_str(0, "EXPLAIN QUERY PLAN ");
        Ok(explained
            .load::<SqlitePlanLine>(conn)?
            .into_iter()
            .map(|l| l.detail)
            .collect())
    }
}

/// One page of the unit's cases, of which those `keep` accepts are returned (a filter the database
/// cannot apply, e.g. a FHIR status; the page may then hold fewer). Each case returned is logged
/// as listed, and only those; a search naming a person the unit has no case for is logged as a
/// denied attempt. Staff without care work get no list.
pub fn page(
    conn: &mut DbConnection,
    actor: &Actor,
    criteria: &Criteria,
    horizon: &Horizon,
    now: Timestamp,
    keep: impl Fn(&CareRequest) -> bool,
) -> Result<CasePage, StoreError> {
    if !RouteGroup::CaseList.admits(actor.role)
        || criteria
            .state
            .as_deref()
            .is_some_and(|s| !CaseState::CODES.contains(&s))
    {
        return Ok(CasePage {
            cases: Vec::new(),
            next: None,
        });
    }
    let limit = criteria.limit.clamp(1, MAX_PAGE);
    let sql = page_query(conn, actor, criteria, horizon);
    let mut rows: Vec<Listed> = sql.load(conn)?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = match (more, rows.last()) {
        (true, Some(last)) => Some(Cursor {
            urgency: last.urgency,
            next_due: last
                .next_due
                .parse()
                .map_err(|_| StoreError::Corrupt("next deadline".into()))?,
            created_at: last.created_at,
            id: last.id.clone(),
        }),
        _ => None,
    };
    let ids: Vec<String> = rows.into_iter().map(|r| r.id).collect();
    let mut loaded = requests::load_ids(conn, &ids)?;
    let found = !loaded.is_empty();
    let cases: Vec<CareRequest> = ids
        .iter()
        .filter_map(|id| loaded.remove(id))
        .filter(|case| keep(case))
        .map(CareRequest::listed)
        .collect();
    if let (Some(patient), false, None) = (&criteria.patient_id, found, &criteria.after) {
        access_log::record(
            conn,
            actor,
            Access {
                patient_id: Some(patient),
                action: AccessAction::List,
                object_type: requests::SEARCH_OBJECT_TYPE,
                object_id: "person",
                outcome: AccessOutcome::Denied,
            },
            now,
        )?;
    }
    let listed: Vec<Access<'_>> = cases
        .iter()
        .map(|case| Access {
            patient_id: Some(&case.patient.id),
            action: AccessAction::List,
            object_type: requests::OBJECT_TYPE,
            object_id: &case.id,
            outcome: AccessOutcome::Allowed,
        })
        .collect();
    access_log::record_all(conn, actor, &listed, now)?;
    Ok(CasePage { cases, next })
}

#[derive(diesel::QueryableByName)]
struct Counted {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Integer)]
    urgency: i32,
    /// 0: no kvittens, 1: in time, 2: late.
    #[diesel(sql_type = Integer)]
    kvittens: i32,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The counts the inbox shows, over the same cases as `page` without its state and deadline
/// filters. Counts name no one and are not logged.
pub fn counts(
    conn: &mut DbConnection,
    actor: &Actor,
    criteria: &Criteria,
    horizon: &Horizon,
) -> Result<Counts, StoreError> {
    if !RouteGroup::CaseList.admits(actor.role) {
        return Ok(Counts::default());
    }
    let unfiltered = Criteria {
        state: None,
        deadline: None,
        after: None,
        ..criteria.clone()
    };
    let mut sql = Sql::new(conn);
    sql.push(
        "SELECT state, urgency, kvittens, COUNT(*) AS n FROM (SELECT state, urgency, \
         CASE WHEN acknowledged_on IS NULL THEN 0 WHEN acknowledged_on <= acknowledgement_due THEN 1 \
         ELSE 2 END AS kvittens FROM (",
    );
    ranked(&mut sql, actor, &unfiltered, horizon);
    sql.push(") AS r) AS g GROUP BY state, urgency, kvittens");
    let mut groups = Vec::new();
    for row in sql.load::<Counted>(conn)? {
        let corrupt = || StoreError::Corrupt("case state".into());
        let state = CaseState::CODES
            .iter()
            .copied()
            .find(|s| *s == row.state)
            .ok_or_else(corrupt)?;
        groups.push(Group {
            state,
            urgency: Urgency::from_rank(row.urgency).ok_or_else(corrupt)?,
            in_time: match row.kvittens {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            },
            n: row.n,
        });
    }
    Ok(Counts { groups })
}
