//! A county's or a nation's worth of home health care, written straight into a database that
//! already holds the demo county: persons, cases in every state of the intake and the care,
//! messages, and access-log entries written through the store's own chain. SQL copies a demo
//! case's text, so a million cases take seconds, not an hour of API calls.

use anyhow::{Context, Result, anyhow, bail};
use diesel::RunQueryDsl;
use diesel::sql_types::Text;
use samsyn_domain::{
    AccessAction, AccessOutcome, IdentitySource, MunicipalityCode, Personnummer, Role, RuleSet,
};
use samsyn_store::access_log::{self, Access, Actor};
use samsyn_store::case::requests::OBJECT_TYPE;
use samsyn_store::{DbConnection, Store, StoreError};

/// How much data the load meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// One county: about as many persons as Region Örebro län has enrolled, three years of cases.
    County,
    /// 21 regions' worth: 300 000 persons and a million cases.
    National,
}

impl Scale {
    fn persons(self) -> usize {
        match self {
            Scale::County => 4_000,
            Scale::National => 300_000,
        }
    }

    pub fn cases(self) -> usize {
        match self {
            Scale::County => 12_000,
            Scale::National => 1_000_000,
        }
    }

    /// A year of the log: every case listed or read a few times.
    fn access_entries(self) -> usize {
        match self {
            Scale::County => 60_000,
            Scale::National => 2_000_000,
        }
    }

    /// Days the cases' creation is spread over.
    fn days(self) -> i64 {
        match self {
            Scale::County => 3 * 365,
            Scale::National => 365,
        }
    }
}

/// What the load needs to know of the data it made.
pub struct Dataset {
    /// Cases the benchmark nurse's unit is party to, for single-case reads.
    pub nurse_case_ids: Vec<String>,
    /// Personnummer of persons with a case in the nurse's unit, for FHIR searches.
    pub nurse_persons: Vec<String>,
    pub cases_in_nurse_unit: usize,
}

/// The demo unit whose nurse the load signs in as.
const NURSE_UNIT: &str = "Hemsjukvården Örebro";

/// Ids start with this, so the dataset's rows are told from the demo's.
const PREFIX: &str = "bench";

#[derive(diesel::QueryableByName)]
struct One {
    #[diesel(sql_type = Text)]
    a: String,
    #[diesel(sql_type = Text)]
    b: String,
}

fn pairs(conn: &mut DbConnection, sql: &str) -> Result<Vec<(String, String)>> {
    let rows: Vec<One> = diesel::sql_query(sql).load(conn)?;
    Ok(rows.into_iter().map(|r| (r.a, r.b)).collect())
}

/// Each municipality's home health care unit with its share (per mille) of the cases: by its
/// inhabitants aged 65+ (SCB) at county scale; at national scale the nurse's unit stands for the
/// country's largest and takes a tenth, the others share the rest.
fn receivers(
    conn: &mut DbConnection,
    rules: &RuleSet,
    scale: Scale,
    nurse_unit: &str,
) -> Result<Vec<(String, u64)>> {
    let units = pairs(
        conn,
        "SELECT id AS a, party AS b FROM units WHERE kind = 'kommunal_hsl' ORDER BY id",
    )?;
    let weights: Vec<(String, u64)> = match scale {
        Scale::County => units
            .into_iter()
            .map(|(id, party)| {
                let elderly = MunicipalityCode::parse(&party)
                    .and_then(|code| rules.data.aged_65_plus(code, 2025))
                    .map_or(0, |(_, n)| n);
                (id, elderly)
            })
            .collect(),
        Scale::National => {
            let others = u64::try_from(units.len().saturating_sub(1).max(1))?;
            units
                .into_iter()
                .map(|(id, _)| {
                    let weight = if id == nurse_unit { 100 } else { 900 / others };
                    (id, weight)
                })
                .collect()
        }
    };
    let total: u64 = weights.iter().map(|(_, w)| w).sum();
    if total == 0 {
        bail!("the demo county has no municipal home health care units");
    }
    Ok(weights
        .into_iter()
        .map(|(id, w)| (id, w * 1000 / total))
        .collect())
}

/// `CASE` over `i % 1000` that picks a receiver by its share; the last takes what rounding left.
fn receiver_case(receivers: &[(String, u64)]) -> String {
    let mut sql = String::from("CASE");
    let mut upto = 0;
    for (id, share) in &receivers[..receivers.len() - 1] {
        upto += share;
        sql.push_str(&format!(" WHEN (i * 7) % 1000 < {upto} THEN '{id}'"));
    }
    let last = &receivers[receivers.len() - 1].0;
    sql.push_str(&format!(" ELSE '{last}' END"));
    sql
}

/// The numbers 1..=n as a table `n(i)`, the same SQL on both engines.
fn numbers(n: usize) -> String {
    format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})")
}

/// Fills the database behind `store` (which holds the demo county) to `scale`, in one
/// transaction.
pub fn fill(
    store: &Store,
    rules: &RuleSet,
    scale: Scale,
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<Dataset> {
    store
        .transaction(|conn| {
            fill_in(conn, rules, scale, today, now)
                .map_err(|e| StoreError::Corrupt(format!("{e:#}")))
        })
        .context("filling the database")
}

fn fill_in(
    conn: &mut DbConnection,
    rules: &RuleSet,
    scale: Scale,
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<Dataset> {
    let (nurse_unit, _) = pairs(
        conn,
        &format!("SELECT id AS a, party AS b FROM units WHERE name = '{NURSE_UNIT}'"),
    )?
    .into_iter()
    .next()
    .context("the demo county has no Hemsjukvården Örebro")?;
    let (template, _) = pairs(
        conn,
        &format!(
            "SELECT id AS a, state AS b FROM care_requests WHERE receiver_unit_id = '{nurse_unit}' \
             AND state = 'skickad' AND track <> 'utskrivning' ORDER BY id"
        ),
    )?
    .into_iter()
    .next()
    .context("the demo county has no sent request to Hemsjukvården Örebro")?;
    let receivers = receivers(conn, rules, scale, &nurse_unit)?;

    persons(conn, scale.persons(), today, now)?;
    cases(conn, scale, &template, &receivers, today, now)?;
    messages(conn, scale, now)?;
    samsyn_store::case::list_entries::rebuild(conn)?;

    let in_nurse_unit = |column: &str| {
        format!(
            "SELECT cr.id AS a, {column} AS b FROM care_requests cr \
             JOIN patients p ON p.id = cr.patient_id \
             WHERE cr.receiver_unit_id = '{nurse_unit}' AND cr.id LIKE '{PREFIX}-c-%' ORDER BY cr.id"
        )
    };
    let logged = pairs(conn, &in_nurse_unit("p.id"))?;
    log(conn, scale, &logged, now)?;
    let mut persons: Vec<String> = pairs(conn, &in_nurse_unit("p.personnummer"))?
        .into_iter()
        .map(|(_, number)| number)
        .collect();
    persons.sort();
    persons.dedup();
    Ok(Dataset {
        cases_in_nurse_unit: logged.len(),
        nurse_case_ids: logged.into_iter().map(|(id, _)| id).collect(),
        nurse_persons: persons,
    })
}

fn persons(
    conn: &mut DbConnection,
    n: usize,
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<()> {
    let at = now.as_millisecond();
    let codes = pairs(
        conn,
        "SELECT party AS a, party AS b FROM units WHERE kind = 'kommunal_hsl' ORDER BY id",
    )?;
    for chunk in (0..n).collect::<Vec<_>>().chunks(1_000) {
        let values: Vec<String> = chunk
            .iter()
            .map(|&i| {
                let home = &codes[i % codes.len()].0;
                let stored = Personnummer::parse(&samsyn_testkit::personnummer(i), today)
                    .map_err(|e| anyhow!("person {i}: {e}"))?
                    .expose();
                Ok(format!(
                    "('{PREFIX}-p-{i}', '{stored}', 'Testperson {i}', '{home}', {at}, 1, false)"
                ))
            })
            .collect::<Result<_>>()?;
        diesel::sql_query(format!(
            "INSERT INTO patients (id, personnummer, name, home_municipality, created_at, version, \
             protected_identity) VALUES {}",
            values.join(", ")
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// Cases spread over the persons, the receivers and the states: most closed or under way, a few
/// waiting for kvittens, assessment, a decision or the joint planning, with deadlines around today.
fn cases(
    conn: &mut DbConnection,
    scale: Scale,
    template: &str,
    receivers: &[(String, u64)],
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<()> {
    let day = |offset: i64| {
        today
            .saturating_add(jiff::Span::new().days(offset))
            .to_string()
    };
    let (n, persons) = (scale.cases(), scale.persons());
    let now_ms = now.as_millisecond();
    let step_ms = scale.days() * 86_400_000 / i64::try_from(n)?;
    let receiver = receiver_case(receivers);
    let due = format!(
        "CASE i % 4 WHEN 0 THEN '{}' WHEN 1 THEN '{}' WHEN 2 THEN '{}' ELSE '{}' END",
        day(-2),
        day(0),
        day(2),
        day(12)
    );
    let state = "CASE WHEN i % 100 < 2 THEN 'skickad' WHEN i % 100 < 3 THEN 'kvitterad' \
                 WHEN i % 100 < 5 THEN 'under_bedomning' WHEN i % 100 < 7 THEN 'beslutad' \
                 WHEN i % 100 < 40 THEN 'pagaende' ELSE 'avslutad' END";
    let statement = format!(
        "INSERT INTO care_requests (id, patient_id, sender_unit_id, receiver_unit_id, created_by, \
         state, track, track_details, decision_outcome, situation, background, current_assessment, \
         recommendation, fixed_doctor_name, fixed_doctor_phone, prescriber_name, prescriber_phone, \
         care_contact_name, care_contact_phone, health_centre_name, health_centre_phone, rule_set, \
         created_at, updated_at, sent_at, sent_by, acknowledgement_due, acknowledged_at, \
         acknowledged_by, version, planning_due) \
         {numbers} \
         SELECT '{PREFIX}-c-' || i, '{PREFIX}-p-' || (i % {persons}), t.sender_unit_id, {receiver}, \
           t.created_by, {state}, t.track, t.track_details, \
           CASE WHEN i % 100 >= 5 AND i % 100 < 7 THEN 'inskriven' END, \
           t.situation, t.background, t.current_assessment, t.recommendation, t.fixed_doctor_name, \
           t.fixed_doctor_phone, t.prescriber_name, t.prescriber_phone, t.care_contact_name, \
           t.care_contact_phone, t.health_centre_name, t.health_centre_phone, t.rule_set, \
           {now_ms} - CAST(i AS BIGINT) * {step_ms}, {now_ms} - CAST(i AS BIGINT) * {step_ms}, {now_ms} - CAST(i AS BIGINT) * {step_ms}, t.sent_by, \
           {due}, CASE WHEN i % 100 < 2 THEN NULL ELSE {now_ms} - CAST(i AS BIGINT) * {step_ms} END, \
           CASE WHEN i % 100 < 2 THEN NULL ELSE t.created_by END, 1, \
           CASE WHEN i % 100 >= 5 AND i % 100 < 7 THEN {due} END \
         FROM n, care_requests t WHERE t.id = '{template}'",
        numbers = numbers(n),
    );
    diesel::sql_query(statement).execute(conn)?;
    for table in ["case_patients", "case_consents"] {
        let columns = columns(conn, table)?;
        let copied: Vec<String> = columns
            .iter()
            .map(|c| {
                if c == "case_id" {
                    format!("'{PREFIX}-c-' || i")
                } else {
                    format!("t.{c}")
                }
            })
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO {table} ({}) {} SELECT {} FROM n, {table} t WHERE t.case_id = '{template}'",
            columns.join(", "),
            numbers(n),
            copied.join(", ")
        ))
        .execute(conn)?;
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
}

/// A table's columns, read from the engine's catalogue.
fn columns(conn: &mut DbConnection, table: &str) -> Result<Vec<String>> {
    let sql = match conn {
        DbConnection::Sqlite(_) => format!("SELECT name FROM pragma_table_info('{table}')"),
        DbConnection::Postgres(_) => format!(
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_name = '{table}' ORDER BY ordinal_position"
        ),
    };
    let columns: Vec<Column> = diesel::sql_query(sql).load(conn)?;
    Ok(columns.into_iter().map(|c| c.name).collect())
}

/// Two messages on every case under way, one from each party.
fn messages(conn: &mut DbConnection, scale: Scale, now: jiff::Timestamp) -> Result<()> {
    let now_ms = now.as_millisecond();
    let step_ms = scale.days() * 86_400_000 / i64::try_from(scale.cases())?;
    for (k, who) in [(1, "sent_by"), (2, "acknowledged_by")] {
        let unit = if k == 1 {
            "sender_unit_id"
        } else {
            "receiver_unit_id"
        };
        diesel::sql_query(format!(
            "INSERT INTO case_messages (id, case_id, at, user_id, unit_id, body) \
             SELECT id || '-m{k}', id, created_at + {k} * {step_ms} / 3, {who}, {unit}, \
               'Hur går det med viktkontrollerna? Vi ses på torsdag.' \
             FROM care_requests WHERE id LIKE '{PREFIX}-c-%' AND state = 'pagaende' \
               AND created_at + {k} * {step_ms} / 3 < {now_ms}"
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// A year's access log for the nurse's unit: its cases listed a page of 50 at a time over the
/// year before `now`, through the store's chain, so `samsyn verify` still holds.
fn log(
    conn: &mut DbConnection,
    scale: Scale,
    cases: &[(String, String)],
    now: jiff::Timestamp,
) -> Result<()> {
    let (user_id, unit_id) = pairs(
        conn,
        &format!(
            "SELECT u.id AS a, u.unit_id AS b FROM users u JOIN units un ON un.id = u.unit_id \
             WHERE un.name = '{NURSE_UNIT}' AND u.username = 'sjukskoterska'"
        ),
    )?
    .into_iter()
    .next()
    .context("the demo county has no user sjukskoterska")?;
    if cases.is_empty() {
        return Ok(());
    }
    let actor = Actor {
        user_id,
        unit_id,
        role: Role::Nurse,
        identity_source: IdentitySource::Local,
    };
    let pages = scale.access_entries().div_ceil(50);
    let year_ms: i64 = 365 * 86_400_000;
    for page in 0..pages {
        let at = jiff::Timestamp::from_millisecond(
            now.as_millisecond() - year_ms + year_ms * i64::try_from(page)? / i64::try_from(pages)?,
        )?;
        let accesses: Vec<Access<'_>> = (0..50)
            .map(|k| &cases[(page * 50 + k) % cases.len()])
            .map(|(case_id, patient_id)| Access {
                patient_id: Some(patient_id),
                action: AccessAction::List,
                object_type: OBJECT_TYPE,
                object_id: case_id,
                outcome: AccessOutcome::Allowed,
            })
            .collect();
        access_log::record_all(conn, &actor, &accesses, at)?;
    }
    Ok(())
}
