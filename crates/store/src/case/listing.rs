//! A unit's cases a page at a time: filtered, counted and ordered in the database, with a keyset
//! cursor, so that a list costs the same for a unit with 50 cases as for one with 50 000 and no
//! query binds more parameters as data grows.
//!
//! The order is the inbox's: the most pressing open deadline first (overdue, due today, due soon,
//! on track, none), then the earliest such deadline, then the newest case. A case's open
//! deadlines are the kvittens while it waits for one, gemensam planering after a decision to
//! enroll, the discharge plan (track 3) until it is available, and the plan's next follow-up
//! while the plan is open.

use super::requests::{self, CareRequest, HANDED_ON};
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
        let well_formed = !id.is_empty()
            && id.len() <= 64
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        well_formed.then(|| Cursor {
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

/// A query's text and its bound values, written for the connection's engine.
struct Sql {
    postgres: bool,
    text: String,
    binds: Vec<String>,
}

impl Sql {
    fn new(conn: &DbConnection) -> Sql {
        Sql {
            postgres: matches!(conn, DbConnection::Postgres(_)),
            text: String::new(),
            binds: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: &str) -> &mut Self {
        self.binds.push(value.to_owned());
        if self.postgres {
            let n = self.binds.len();
            self.text.push_str(&format!("${n}"));
        } else {
            self.text.push('?');
        }
        self
    }

    fn load<R>(&self, conn: &mut DbConnection) -> Result<Vec<R>, StoreError>
    where
        R: diesel::QueryableByName<diesel::sqlite::Sqlite>
            + diesel::QueryableByName<diesel::pg::Pg>
            + 'static,
    {
        Ok(match conn {
            DbConnection::Sqlite(c) => {
                let mut query =
                    diesel::sql_query(&self.text).into_boxed::<diesel::sqlite::Sqlite>();
                for value in &self.binds {
                    query = query.bind::<Text, _>(value.clone());
                }
                query.load::<R>(c)?
            }
            DbConnection::Postgres(c) => {
                let mut query = diesel::sql_query(&self.text).into_boxed::<diesel::pg::Pg>();
                for value in &self.binds {
                    query = query.bind::<Text, _>(value.clone());
                }
                query.load::<R>(c)?
            }
        })
    }
}

/// The far-away date that stands for "no open deadline", so the order needs no NULL handling.
const NO_DEADLINE: &str = "9999-12-31";

fn quoted(date: Date) -> String {
    format!("'{date}'")
}

/// Each case of the unit with its open deadlines as columns `k`, `p`, `d` and `f`.
fn candidates(sql: &mut Sql, actor: &Actor, criteria: &Criteria, horizon: &Horizon) {
    let days = horizon.discharge_plan_days_before;
    let (discharge_due, plan_missing) = if sql.postgres {
        (
            format!(
                "to_char((cr.track_details::jsonb #>> '{{Discharge,discharge_date}}')::date - {days}, 'YYYY-MM-DD')"
            ),
            "(cr.track_details::jsonb #>> '{Discharge,plan_available_on}') IS NULL".to_owned(),
        )
    } else {
        (
            format!(
                "date(json_extract(cr.track_details, '$.Discharge.discharge_date'), '-{days} days')"
            ),
            "json_extract(cr.track_details, '$.Discharge.plan_available_on') IS NULL".to_owned(),
        )
    };
    sql.push(&format!(
        "SELECT cr.id AS id, cr.created_at AS created_at, cr.state AS state, \
         CASE WHEN pr.case_id IS NULL THEN 0 ELSE 1 END AS proposed, \
         rec.acknowledged_on AS acknowledged_on, cr.acknowledgement_due AS acknowledgement_due, \
         CASE WHEN cr.state IN ('skickad', 'vidarebefordrad') THEN cr.acknowledgement_due END AS k, \
         CASE WHEN cr.state = 'beslutad' AND cr.decision_outcome = 'inskriven' THEN cr.planning_due END AS p, \
         CASE WHEN cr.track = 'utskrivning' AND cr.state NOT IN ('utkast', 'avslutad', 'aterkallad') \
              AND {plan_missing} THEN {discharge_due} END AS d, \
         CASE WHEN cr.state IN ('planerad', 'pagaende') \
              OR (cr.state = 'beslutad' AND cr.decision_outcome = 'inskriven') THEN fu.due_on END AS f \
         FROM care_requests cr \
         LEFT JOIN follow_up_due fu ON fu.case_id = cr.id \
         LEFT JOIN case_receipts rec ON rec.case_id = cr.id \
         LEFT JOIN case_proposals pr ON pr.case_id = cr.id \
         WHERE (cr.sender_unit_id = "
    ));
    sql.bind(&actor.unit_id)
        .push(" OR (cr.receiver_unit_id = ")
        .bind(&actor.unit_id)
        .push(" AND cr.state <> 'utkast') OR cr.id IN (SELECT ce.case_id FROM case_events ce WHERE ce.unit_id = ")
        .bind(&actor.unit_id)
        .push(&format!(
            " AND ce.kind IN ('{}', '{}')))",
            HANDED_ON[0], HANDED_ON[1]
        ));
    if let Some(patient) = &criteria.patient_id {
        sql.push(" AND cr.patient_id = ").bind(patient);
    }
    if criteria.mine {
        sql.push(" AND cr.id IN (SELECT ce.case_id FROM case_events ce WHERE ce.user_id = ")
            .bind(&actor.user_id)
            .push(")");
    }
    if let Some(state) = criteria.state.as_deref() {
        let (stored, proposed) = match state {
            "beslut_foreslaget" => ("under_bedomning", Some(true)),
            "under_bedomning" => ("under_bedomning", Some(false)),
            "avslut_foreslaget" => ("pagaende", Some(true)),
            "pagaende" => ("pagaende", Some(false)),
            other => (other, None),
        };
        sql.push(" AND cr.state = ").bind(stored);
        match proposed {
            Some(true) => sql.push(" AND pr.case_id IS NOT NULL"),
            Some(false) => sql.push(" AND pr.case_id IS NULL"),
            None => sql,
        };
    }
}

/// Wraps `candidates` with each case's next deadline and urgency.
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
    let soon = horizon.due_soon_until;
    sql.push(&format!(
        "SELECT id, created_at, state, proposed, acknowledged_on, acknowledgement_due, \
         {least}(COALESCE(k, '{NO_DEADLINE}'), COALESCE(p, '{NO_DEADLINE}'), \
                 COALESCE(d, '{NO_DEADLINE}'), COALESCE(f, '{NO_DEADLINE}')) AS next_due, \
         {least}({}, {}, {}, {}) AS urgency FROM (",
        rank("k", soon),
        rank("p", soon),
        rank("d", soon),
        rank("f", horizon.follow_up_due_soon_until),
    ));
    candidates(sql, actor, criteria, horizon);
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
    proposed: i32,
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
        "SELECT state, proposed, urgency, kvittens, COUNT(*) AS n FROM (SELECT state, proposed, urgency, \
         CASE WHEN acknowledged_on IS NULL THEN 0 WHEN acknowledged_on <= acknowledgement_due THEN 1 \
         ELSE 2 END AS kvittens FROM (",
    );
    ranked(&mut sql, actor, &unfiltered, horizon);
    sql.push(") AS r) AS g GROUP BY state, proposed, urgency, kvittens");
    let mut groups = Vec::new();
    for row in sql.load::<Counted>(conn)? {
        let corrupt = || StoreError::Corrupt("case state".into());
        let state = match (row.state.as_str(), row.proposed) {
            ("under_bedomning", 1) => "beslut_foreslaget",
            ("pagaende", 1) => "avslut_foreslaget",
            (other, _) => CaseState::CODES
                .iter()
                .copied()
                .find(|s| *s == other)
                .ok_or_else(corrupt)?,
        };
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
