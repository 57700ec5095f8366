//! A unit's cases a page at a time: filtered, counted and ordered in the database, with a keyset
//! cursor, so that no query binds more parameters as data grows. Pages read the unit's range of
//! `case_list_entries` (see `list_entries`), which holds each case's open deadlines.
//!
//! The order is the inbox's: the case's most pressing open deadline first (overdue, due today,
//! due soon, on track, none), then that deadline's date, then the newest case. Which days count
//! as "snart" comes from the rule set and today's date, so it is applied when a page is read.

use super::requests::{self, CareRequest};
use super::sql::Sql;
use crate::access_log::{Access, Actor, Logged};
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

/// The key of a case without an open deadline: after every deadline, newest first among them.
const NO_DEADLINE_KEY: &str = "59999-12-31";

/// Stands for "this deadline is not open" when a case's deadlines are compared, above any key.
const NOT_OPEN: &str = "'9'";

/// A case without an open deadline, as one expression: no deadline's index serves it, so that a
/// page of such cases reads the index by creation in its order and stops after a page.
const NO_OPEN_DEADLINE: &str = "COALESCE(e.due_on, e.discharge_on, e.follow_up_on) IS NULL";

fn days_after(date: Date, days: i32) -> Date {
    date.saturating_add(jiff::Span::new().days(days))
}

/// One of the open deadlines a case may have, each a column of `case_list_entries`; declared in
/// `ALL`'s order, so that a deadline's number is its place there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Deadline {
    /// Kvittens, or gemensam planering after a decision to enroll.
    Step,
    /// Track 3's discharge plan, due some days before the stored discharge date.
    DischargePlan,
    /// The plan's next follow-up.
    FollowUp,
}

impl Deadline {
    const ALL: [Deadline; 3] = [Deadline::Step, Deadline::DischargePlan, Deadline::FollowUp];

    fn column(self) -> &'static str {
        match self {
            Deadline::Step => "e.due_on",
            Deadline::DischargePlan => "e.discharge_on",
            Deadline::FollowUp => "e.follow_up_on",
        }
    }

    /// How many days the stored date lies after the deadline itself.
    fn stored_after(self, horizon: &Horizon) -> i32 {
        match self {
            Deadline::DischargePlan => horizon.discharge_plan_days_before,
            Deadline::Step | Deadline::FollowUp => 0,
        }
    }

    fn soon_until(self, horizon: &Horizon) -> Date {
        match self {
            Deadline::FollowUp => horizon.follow_up_due_soon_until,
            Deadline::Step | Deadline::DischargePlan => horizon.due_soon_until,
        }
    }

    /// The urgency of a deadline on `date`, as a rank (see `Urgency`).
    fn rank(self, horizon: &Horizon, date: Date) -> i32 {
        if date < horizon.today {
            0
        } else if date == horizon.today {
            1
        } else if date <= self.soon_until(horizon) {
            2
        } else {
            3
        }
    }

    /// The first deadline date of rank `rank` or above; `Ok(None)` when every date is, `Err`
    /// when none is (a deadline is never without urgency).
    fn band_start(self, horizon: &Horizon, rank: i32) -> Result<Option<Date>, ()> {
        let tomorrow = days_after(horizon.today, 1);
        match rank {
            i32::MIN..=0 => Ok(None),
            1 => Ok(Some(horizon.today)),
            2 => Ok(Some(tomorrow)),
            3 => Ok(Some(days_after(self.soon_until(horizon), 1).max(tomorrow))),
            _ => Err(()),
        }
    }

    /// The deadline's date as SQL, from the stored column.
    fn date_sql(self, postgres: bool, horizon: &Horizon) -> String {
        let days = self.stored_after(horizon);
        match (self, postgres) {
            (Deadline::DischargePlan, true) => {
                format!("to_char(e.discharge_on::date - {days}, 'YYYY-MM-DD')")
            }
            (Deadline::DischargePlan, false) => format!("date(e.discharge_on, '{} days')", -days),
            _ => self.column().to_owned(),
        }
    }

    /// Pushes the deadline's sort key: its rank and date as one text (`2` `2026-12-03`), which
    /// orders as (urgency, date); `NOT_OPEN` when the deadline is not open. Today and the last
    /// "snart" day are bound, so the text is the same every day.
    fn push_key(self, sql: &mut Sql, horizon: &Horizon) {
        let date = self.date_sql(sql.postgres, horizon);
        let (today, soon) = (
            horizon.today.to_string(),
            self.soon_until(horizon).to_string(),
        );
        sql.push(&format!(
            "(CASE WHEN {} IS NULL THEN {NOT_OPEN} WHEN {date} < ",
            self.column()
        ))
        .bind(&today)
        .push(&format!(" THEN '0' || {date} WHEN {date} = "))
        .bind(&today)
        .push(&format!(" THEN '1' || {date} WHEN {date} <= "))
        .bind(&soon)
        .push(&format!(" THEN '2' || {date} ELSE '3' || {date} END)"));
    }
}

/// Pushes a case's key: its most pressing open deadline's, or `NO_DEADLINE_KEY`.
fn push_most_pressing(sql: &mut Sql, horizon: &Horizon) {
    sql.push(if sql.postgres { "LEAST(" } else { "min(" });
    for deadline in Deadline::ALL {
        deadline.push_key(sql, horizon);
        sql.push(", ");
    }
    sql.push(&format!("'{NO_DEADLINE_KEY}')"));
}

/// The filters every part of a page and the counts share: the unit, a person, "mina ärenden".
fn push_common_filters(sql: &mut Sql, actor: &Actor, criteria: &Criteria) {
    sql.push("e.unit_id = ").bind(&actor.unit_id);
    if let Some(patient) = &criteria.patient_id {
        sql.push(" AND e.patient_id = ").bind(patient);
    }
    if criteria.mine {
        sql.push(" AND e.case_id IN (SELECT ce.case_id FROM case_events ce WHERE ce.user_id = ")
            .bind(&actor.user_id)
            .push(")");
    }
}

/// The filters of a page: the common ones, the state and the kvittens.
fn push_page_filters(sql: &mut Sql, actor: &Actor, criteria: &Criteria) {
    push_common_filters(sql, actor, criteria);
    if let Some(state) = criteria.state.as_deref() {
        sql.push(" AND e.state = ").bind(state);
    }
    match criteria.deadline {
        Some(DeadlineFilter::AcknowledgedInTime) => {
            sql.push(
                " AND e.acknowledged_on IS NOT NULL AND e.acknowledged_on <= e.acknowledgement_due",
            );
        }
        Some(DeadlineFilter::AcknowledgedLate) => {
            sql.push(
                " AND e.acknowledged_on IS NOT NULL AND e.acknowledged_on > e.acknowledgement_due",
            );
        }
        Some(DeadlineFilter::Is(_)) | None => {}
    }
}

#[derive(diesel::QueryableByName)]
struct Listed {
    #[diesel(sql_type = Text)]
    id: String,
    /// The case's most pressing open deadline, as `Deadline::push_key` writes it.
    #[diesel(sql_type = Text)]
    sort_key: String,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
}

impl Listed {
    fn cursor(&self) -> Result<Cursor, StoreError> {
        let corrupt = || StoreError::Corrupt("next deadline".into());
        let (rank, date) = self.sort_key.split_at_checked(1).ok_or_else(corrupt)?;
        Ok(Cursor {
            urgency: rank.parse().map_err(|_| corrupt())?,
            next_due: date.parse().map_err(|_| corrupt())?,
            created_at: self.created_at,
            id: self.id.clone(),
        })
    }
}

/// Where a deadline's part of an urgency-ordered page starts and ends, as stored dates.
struct Range {
    /// The first date, and whether that date's cases must come after the cursor's case.
    from: Option<(Date, bool)>,
    /// The first date past the range.
    until: Option<Date>,
}

/// The part of a page that `deadline` leads, or `None` when no such case can be on it.
fn range(deadline: Deadline, criteria: &Criteria, horizon: &Horizon) -> Option<Range> {
    let mut from = None;
    let mut until = None;
    if let Some(DeadlineFilter::Is(urgency)) = criteria.deadline {
        let rank = urgency as i32;
        from = deadline.band_start(horizon, rank).ok()?.map(|d| (d, false));
        until = deadline.band_start(horizon, rank + 1).unwrap_or(None);
    }
    if let Some(after) = &criteria.after {
        let (urgency, due) = (after.urgency, after.next_due);
        let start = match deadline.rank(horizon, due).cmp(&urgency) {
            std::cmp::Ordering::Equal => Some((due, true)),
            std::cmp::Ordering::Less => deadline
                .band_start(horizon, urgency)
                .ok()?
                .map(|d| (d, false)),
            std::cmp::Ordering::Greater => deadline
                .band_start(horizon, urgency + 1)
                .ok()?
                .map(|d| (d, false)),
        };
        from = match (from, start) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    if let (Some((from, _)), Some(until)) = (from, until)
        && from >= until
    {
        return None;
    }
    let shift = |date: Date| days_after(date, deadline.stored_after(horizon));
    Some(Range {
        from: from.map(|(d, tie)| (shift(d), tie)),
        until: until.map(shift),
    })
}

/// The tie-break after the cursor among cases with the same key: older, then by id.
fn push_after_within_key(sql: &mut Sql, after: &Cursor) {
    sql.push("(e.created_at < ")
        .bind_number(after.created_at)
        .push(" OR (e.created_at = ")
        .bind_number(after.created_at)
        .push(" AND e.case_id > ")
        .bind(&after.id)
        .push("))");
}

/// The cases `deadline` leads (their most pressing open deadline, the first of equals), in the
/// list's order, read through the index on that deadline's column.
fn push_led_by(
    sql: &mut Sql,
    deadline: Deadline,
    range: &Range,
    actor: &Actor,
    criteria: &Criteria,
    horizon: &Horizon,
    limit: u32,
) {
    let index = deadline as usize;
    let column = deadline.column();
    sql.push("SELECT * FROM (SELECT e.case_id AS id, ");
    deadline.push_key(sql, horizon);
    sql.push(" AS sort_key, e.created_at AS created_at FROM case_list_entries e WHERE ");
    push_page_filters(sql, actor, criteria);
    sql.push(&format!(" AND {column} IS NOT NULL"));
    for (other_index, other) in Deadline::ALL.iter().enumerate() {
        if other_index == index {
            continue;
        }
        let comparison = if other_index < index { "<" } else { "<=" };
        sql.push(" AND ");
        deadline.push_key(sql, horizon);
        sql.push(&format!(" {comparison} "));
        other.push_key(sql, horizon);
    }
    match range.from {
        Some((date, true)) => {
            let date = date.to_string();
            sql.push(&format!(" AND ({column} > "))
                .bind(&date)
                .push(&format!(" OR ({column} = "))
                .bind(&date)
                .push(" AND ");
            if let Some(after) = &criteria.after {
                push_after_within_key(sql, after);
            }
            sql.push("))");
        }
        Some((date, false)) => {
            sql.push(&format!(" AND {column} >= "))
                .bind(&date.to_string());
        }
        None => {}
    }
    if let Some(until) = range.until {
        sql.push(&format!(" AND {column} < "))
            .bind(&until.to_string());
    }
    sql.push(&format!(
        " ORDER BY {column}, e.created_at DESC, e.case_id LIMIT {limit}) AS {}",
        match deadline {
            Deadline::Step => "step",
            Deadline::DischargePlan => "discharge",
            Deadline::FollowUp => "follow_up",
        }
    ));
}

/// The cases without an open deadline, newest first; with `Order::Newest`, every case.
fn push_by_creation(
    sql: &mut Sql,
    actor: &Actor,
    criteria: &Criteria,
    horizon: &Horizon,
    limit: u32,
) {
    let push_key = |sql: &mut Sql| match criteria.order {
        Order::Urgency => {
            sql.push(&format!("'{NO_DEADLINE_KEY}'"));
        }
        Order::Newest => push_most_pressing(sql, horizon),
    };
    sql.push("SELECT * FROM (SELECT e.case_id AS id, ");
    push_key(sql);
    sql.push(" AS sort_key, e.created_at AS created_at FROM case_list_entries e WHERE ");
    push_page_filters(sql, actor, criteria);
    match (criteria.order, criteria.deadline) {
        (Order::Urgency, _) => {
            sql.push(&format!(" AND {NO_OPEN_DEADLINE}"));
        }
        (Order::Newest, Some(DeadlineFilter::Is(urgency))) => {
            let rank = urgency as i32;
            sql.push(" AND ");
            push_key(sql);
            sql.push(&format!(" >= '{rank}' AND "));
            push_key(sql);
            sql.push(&format!(" < '{}'", rank + 1));
        }
        (Order::Newest, _) => {}
    }
    let within_key = criteria.order == Order::Newest
        || criteria
            .after
            .as_ref()
            .is_some_and(|a| a.urgency == Urgency::None as i32);
    if let (Some(after), true) = (&criteria.after, within_key) {
        sql.push(" AND ");
        push_after_within_key(sql, after);
    }
    sql.push(&format!(
        " ORDER BY e.created_at DESC, e.case_id LIMIT {limit}) AS by_creation"
    ));
}

/// The query of a page, as `page` runs it. In the inbox's order it is one part per deadline and
/// one for the cases without, each reading only its page's worth of rows through an index, and
/// merged; so a page costs the same in a unit of a hundred cases and of a hundred thousand.
fn page_query(conn: &DbConnection, actor: &Actor, criteria: &Criteria, horizon: &Horizon) -> Sql {
    let mut sql = Sql::new(conn);
    // One row more than the page tells whether there is a next page.
    let limit = criteria.limit.clamp(1, MAX_PAGE) + 1;
    if criteria.order == Order::Newest {
        push_by_creation(&mut sql, actor, criteria, horizon, limit);
        return sql;
    }
    let mut parts = 0;
    for deadline in Deadline::ALL {
        if let Some(range) = range(deadline, criteria, horizon) {
            if parts > 0 {
                sql.push(" UNION ALL ");
            }
            push_led_by(&mut sql, deadline, &range, actor, criteria, horizon, limit);
            parts += 1;
        }
    }
    let without_deadline = match criteria.deadline {
        Some(DeadlineFilter::Is(urgency)) => urgency == Urgency::None,
        _ => true,
    };
    if without_deadline {
        if parts > 0 {
            sql.push(" UNION ALL ");
        }
        push_by_creation(&mut sql, actor, criteria, horizon, limit);
        parts += 1;
    }
    if parts == 0 {
        sql.push("SELECT e.case_id AS id, '' AS sort_key, e.created_at AS created_at FROM case_list_entries e WHERE 1 = 0");
    }
    sql.enclose(
        "SELECT id, sort_key, created_at FROM (",
        &format!(") AS parts ORDER BY sort_key, created_at DESC, id LIMIT {limit}"),
    );
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
        explained.enclose("EXPLAIN ", "");
        Ok(explained
            .load::<PostgresPlanLine>(conn)?
            .into_iter()
            .map(|l| l.line)
            .collect())
    } else {
        explained.enclose("EXPLAIN QUERY PLAN ", "");
        Ok(explained
            .load::<SqlitePlanLine>(conn)?
            .into_iter()
            .map(|l| l.detail)
            .collect())
    }
}

/// One page of the unit's cases, of which those `keep` accepts are returned (a filter the database
/// cannot apply, e.g. a FHIR status; the page may then hold fewer). Each case returned is to be
/// logged as listed, and only those; a search naming a person the unit has no case for, as a
/// denied attempt. Staff without care work get no list. It only reads, so it may run on a reader.
pub fn page(
    conn: &mut DbConnection,
    actor: &Actor,
    criteria: &Criteria,
    horizon: &Horizon,
    now: Timestamp,
    keep: impl Fn(&CareRequest) -> bool,
) -> Result<Logged<CasePage>, StoreError> {
    if !RouteGroup::CaseList.admits(actor.role)
        || criteria
            .state
            .as_deref()
            .is_some_and(|s| !CaseState::CODES.contains(&s))
    {
        return Ok(Logged::new(CasePage {
            cases: Vec::new(),
            next: None,
        }));
    }
    let limit = criteria.limit.clamp(1, MAX_PAGE);
    let sql = page_query(conn, actor, criteria, horizon);
    let mut rows: Vec<Listed> = sql.load(conn)?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = match (more, rows.last()) {
        (true, Some(last)) => Some(last.cursor()?),
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
    let mut logged = Logged::new(());
    if let (Some(patient), false, None) = (&criteria.patient_id, found, &criteria.after) {
        logged.add(
            actor,
            Access {
                patient_id: Some(patient),
                action: AccessAction::List,
                object_type: requests::SEARCH_OBJECT_TYPE,
                object_id: "person",
                outcome: AccessOutcome::Denied,
            },
            now,
        );
    }
    for case in &cases {
        logged.add(
            actor,
            Access {
                patient_id: Some(&case.patient.id),
                action: AccessAction::List,
                object_type: requests::OBJECT_TYPE,
                object_id: &case.id,
                outcome: AccessOutcome::Allowed,
            },
            now,
        );
    }
    Ok(logged.map(|()| CasePage { cases, next }))
}

#[derive(diesel::QueryableByName)]
struct Counted {
    #[diesel(sql_type = Text)]
    state: String,
    /// An urgency's rank (`0`–`2`) among the pressing cases; among all, `d` for the cases with
    /// an open deadline and `n` for those without.
    #[diesel(sql_type = Text)]
    urgency: String,
    /// 0: no kvittens, 1: in time, 2: late.
    #[diesel(sql_type = Integer)]
    kvittens: i32,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const KVITTENS_SQL: &str = "CASE WHEN e.acknowledged_on IS NULL THEN 0 \
     WHEN e.acknowledged_on <= e.acknowledgement_due THEN 1 ELSE 2 END";

/// The start of one part of the pressing cases' count: each case's state, urgency and kvittens,
/// among the cases of `counts`. A part per deadline, each read through that deadline's index
/// and leaving out the cases an earlier part counts: one condition over the three deadlines
/// (`OR`) made PostgreSQL read every case of the unit to find the few pressing ones.
fn push_pressing(sql: &mut Sql, actor: &Actor, criteria: &Criteria, horizon: &Horizon) {
    sql.push("SELECT e.state AS state, substr(");
    push_most_pressing(sql, horizon);
    sql.push(&format!(
        ", 1, 1) AS urgency, {KVITTENS_SQL} AS kvittens FROM case_list_entries e WHERE "
    ));
    push_common_filters(sql, actor, criteria);
}

/// The counts the inbox shows, over the same cases as `page` without its state and deadline
/// filters. Counts name no one and are not logged.
///
/// Two counts make them: the pressing cases (overdue, due today or soon), few and found through
/// the deadlines' indexes, by their urgency; and all of the unit's cases by whether they have an
/// open deadline, which takes no date and so is kept counted in `case_list_counts` (or, for one
/// person's or the user's own cases, counted from one narrow index). The cases on track are
/// those with a deadline that is not pressing.
pub fn counts(
    conn: &mut DbConnection,
    actor: &Actor,
    criteria: &Criteria,
    horizon: &Horizon,
) -> Result<Counts, StoreError> {
    if !RouteGroup::CaseList.admits(actor.role) {
        return Ok(Counts::default());
    }
    let mut sql = Sql::new(conn);
    sql.push("SELECT state, urgency, kvittens, COUNT(*) AS n FROM (");
    let pressing: Vec<(&str, String)> = Deadline::ALL
        .iter()
        .filter_map(|d| {
            let on_track = d.band_start(horizon, 3).ok().flatten()?;
            Some((
                d.column(),
                days_after(on_track, d.stored_after(horizon)).to_string(),
            ))
        })
        .collect();
    for (n, (column, until)) in pressing.iter().enumerate() {
        if n > 0 {
            sql.push(" UNION ALL ");
        }
        push_pressing(&mut sql, actor, criteria, horizon);
        sql.push(&format!(" AND {column} < ")).bind(until);
        for (earlier, until) in &pressing[..n] {
            sql.push(&format!(" AND ({earlier} IS NULL OR {earlier} >= "))
                .bind(until)
                .push(")");
        }
    }
    sql.push(") AS p GROUP BY state, urgency, kvittens UNION ALL ");
    if criteria.patient_id.is_none() && !criteria.mine {
        sql.push(
            "SELECT state, CASE WHEN open_deadline = 1 THEN 'd' ELSE 'n' END AS urgency, \
             kvittens, n FROM case_list_counts WHERE n <> 0 AND unit_id = ",
        )
        .bind(&actor.unit_id);
    } else {
        sql.push(&format!(
            "SELECT state, urgency, kvittens, COUNT(*) AS n FROM (SELECT e.state AS state, \
             CASE WHEN {NO_OPEN_DEADLINE} THEN 'n' ELSE 'd' END AS urgency, \
             {KVITTENS_SQL} AS kvittens FROM case_list_entries e WHERE "
        ));
        push_common_filters(&mut sql, actor, criteria);
        sql.push(") AS a GROUP BY state, urgency, kvittens");
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut with_deadline = Vec::new();
    for row in sql.load::<Counted>(conn)? {
        let corrupt = || StoreError::Corrupt("case state".into());
        let state = CaseState::CODES
            .iter()
            .copied()
            .find(|s| *s == row.state)
            .ok_or_else(corrupt)?;
        let in_time = match row.kvittens {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        let urgency = match row.urgency.as_str() {
            "d" => {
                with_deadline.push((state, in_time, row.n));
                continue;
            }
            "n" => Urgency::None,
            rank => rank
                .parse()
                .ok()
                .and_then(Urgency::from_rank)
                .ok_or_else(corrupt)?,
        };
        groups.push(Group {
            state,
            urgency,
            in_time,
            n: row.n,
        });
    }
    for (state, in_time, n) in with_deadline {
        let pressing: i64 = groups
            .iter()
            .filter(|g| g.state == state && g.in_time == in_time && g.urgency < Urgency::OnTrack)
            .map(|g| g.n)
            .sum();
        groups.push(Group {
            state,
            urgency: Urgency::OnTrack,
            in_time,
            n: n - pressing,
        });
    }
    Ok(Counts { groups })
}
