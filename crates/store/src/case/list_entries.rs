//! The case list's own copy of what orders and filters a unit's cases (ärendelistan): one row
//! per unit that sees a case, with the case's state as listed and its open deadlines. It is
//! rewritten in the same transaction as every change to a case, so that a page reads one narrow
//! table by its unit instead of deriving each case's deadlines from four tables.
//!
//! A unit sees a case it sent, one it receives once the case is sent, and one it handed on (a
//! forward, or the hospital's handover to the vårdcentral). The open deadlines are the kvittens
//! while the case waits for one and gemensam planering after a decision to enroll (`due_on`), the
//! discharge date of track 3 while the discharge plan is missing (`discharge_on`; the rule set
//! says how many days before it the plan is due), and the plan's next follow-up while the plan
//! is open (`follow_up_on`). Triggers keep `case_list_counts`, the rows counted per unit, state,
//! kvittens and open deadline, in step with them.

use super::sql::Sql;
use crate::{DbConnection, StoreError};
use diesel::RunQueryDsl;
use diesel::sql_types::BigInt;
use samsyn_domain::case::Action;

/// The steps by which a unit hands its part of a case to another unit and keeps reading it:
/// a receiver's forward, and the hospital's handover to the vårdcentral after a discharge.
pub(crate) const HANDED_ON: [&str; 2] = [Action::Forward.code(), Action::HandOver.code()];

const COLUMNS: &str = "unit_id, case_id, patient_id, created_at, state, acknowledgement_due, \
                       acknowledged_on, due_on, discharge_on, follow_up_on";

/// The rows the cases' own tables call for: every case's, or `only`'s.
fn derived(sql: &mut Sql, only: Option<&str>) {
    let (discharge_date, plan_missing) = if sql.postgres {
        (
            "cr.track_details::jsonb #>> '{Discharge,discharge_date}'",
            "(cr.track_details::jsonb #>> '{Discharge,plan_available_on}') IS NULL",
        )
    } else {
        (
            "json_extract(cr.track_details, '$.Discharge.discharge_date')",
            "json_extract(cr.track_details, '$.Discharge.plan_available_on') IS NULL",
        )
    };
    let of_case = |sql: &mut Sql, column: &str| {
        match only {
            Some(case_id) => sql.push(&format!("{column} = ")).bind(case_id),
            None => sql.push("1 = 1"),
        };
    };
    sql.push(
        "SELECT m.unit_id AS unit_id, k.case_id AS case_id, k.patient_id AS patient_id, \
         k.created_at AS created_at, k.state AS state, k.acknowledgement_due AS acknowledgement_due, \
         k.acknowledged_on AS acknowledged_on, k.due_on AS due_on, k.discharge_on AS discharge_on, \
         k.follow_up_on AS follow_up_on FROM (\
         SELECT cr.id AS case_id, cr.sender_unit_id AS unit_id FROM care_requests cr WHERE ",
    );
    of_case(sql, "cr.id");
    sql.push(
        " UNION SELECT cr.id, cr.receiver_unit_id FROM care_requests cr \
         WHERE cr.state <> 'utkast' AND ",
    );
    of_case(sql, "cr.id");
    sql.push(&format!(
        " UNION SELECT ce.case_id, ce.unit_id FROM case_events ce WHERE ce.kind IN ('{}', '{}') AND ",
        HANDED_ON[0], HANDED_ON[1]
    ));
    of_case(sql, "ce.case_id");
    sql.push(&format!(
        ") AS m JOIN (SELECT cr.id AS case_id, cr.patient_id AS patient_id, \
         cr.created_at AS created_at, \
         CASE WHEN pr.case_id IS NOT NULL AND cr.state = 'under_bedomning' THEN 'beslut_foreslaget' \
              WHEN pr.case_id IS NOT NULL AND cr.state = 'pagaende' THEN 'avslut_foreslaget' \
              ELSE cr.state END AS state, \
         cr.acknowledgement_due AS acknowledgement_due, rec.acknowledged_on AS acknowledged_on, \
         CASE WHEN cr.state IN ('skickad', 'vidarebefordrad') THEN cr.acknowledgement_due \
              WHEN cr.state = 'beslutad' AND cr.decision_outcome = 'inskriven' THEN cr.planning_due \
              END AS due_on, \
         CASE WHEN cr.track = 'utskrivning' AND cr.state NOT IN ('utkast', 'avslutad', 'aterkallad') \
              AND {plan_missing} THEN {discharge_date} END AS discharge_on, \
         CASE WHEN cr.state IN ('planerad', 'pagaende') \
              OR (cr.state = 'beslutad' AND cr.decision_outcome = 'inskriven') THEN fu.due_on \
              END AS follow_up_on \
         FROM care_requests cr \
         LEFT JOIN follow_up_due fu ON fu.case_id = cr.id \
         LEFT JOIN case_receipts rec ON rec.case_id = cr.id \
         LEFT JOIN case_proposals pr ON pr.case_id = cr.id WHERE "
    ));
    of_case(sql, "cr.id");
    sql.push(") AS k ON k.case_id = m.case_id");
}

/// Rewrites the case's rows after a change to it; every write to what `derived` reads calls it.
///
/// The rows' triggers move the unit's counters in `case_list_counts`, which every writer to the
/// unit's cases shares. The access log's head is locked first: every writer logs, so all of them
/// take it, and taking it before the counters gives PostgreSQL one lock order and no deadlock.
pub(crate) fn refresh(conn: &mut DbConnection, case_id: &str) -> Result<(), StoreError> {
    crate::access_log::chain::lock_head(conn)?;
    let mut delete = Sql::new(conn);
    delete
        .push("DELETE FROM case_list_entries WHERE case_id = ")
        .bind(case_id);
    delete.execute(conn)?;
    let mut insert = Sql::new(conn);
    insert.push(&format!("INSERT INTO case_list_entries ({COLUMNS}) "));
    derived(&mut insert, Some(case_id));
    insert.execute(conn)?;
    Ok(())
}

/// Rewrites every row, after cases are loaded in bulk (the migration fills it the first time).
pub fn rebuild(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::sql_query("DELETE FROM case_list_entries").execute(conn)?;
    let mut insert = Sql::new(conn);
    insert.push(&format!("INSERT INTO case_list_entries ({COLUMNS}) "));
    derived(&mut insert, None);
    insert.execute(conn)?;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The counters `case_list_counts` should hold, from the rows themselves.
const COUNTED: &str = "SELECT unit_id, state, \
     CASE WHEN acknowledged_on IS NULL THEN 0 WHEN acknowledged_on <= acknowledgement_due THEN 1 \
     ELSE 2 END AS kvittens, \
     CASE WHEN COALESCE(due_on, discharge_on, follow_up_on) IS NULL THEN 0 ELSE 1 END AS open_deadline, \
     COUNT(*) AS n FROM case_list_entries GROUP BY 1, 2, 3, 4";

/// How many rows differ from what the cases call for (missing, extra or changed), and how many
/// counters differ from the rows, for `samsyn verify`: 0 when the list is in step.
pub fn out_of_step(conn: &mut DbConnection) -> Result<i64, StoreError> {
    let mut sql = Sql::new(conn);
    sql.push("SELECT (SELECT COUNT(*) FROM (");
    derived(&mut sql, None);
    sql.push(&format!(
        " EXCEPT SELECT {COLUMNS} FROM case_list_entries) AS missing) + \
         (SELECT COUNT(*) FROM (SELECT {COLUMNS} FROM case_list_entries EXCEPT "
    ));
    derived(&mut sql, None);
    sql.push(&format!(
        ") AS extra) + (SELECT COUNT(*) FROM (SELECT unit_id, state, kvittens, open_deadline, n \
         FROM case_list_counts WHERE n <> 0 EXCEPT {COUNTED}) AS wrong) + \
         (SELECT COUNT(*) FROM ({COUNTED} EXCEPT SELECT unit_id, state, kvittens, open_deadline, n \
         FROM case_list_counts) AS uncounted) AS n"
    ));
    Ok(sql.load::<Count>(conn)?.first().map_or(0, |c| c.n))
}
