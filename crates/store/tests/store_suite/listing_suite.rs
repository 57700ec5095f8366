//! A unit's list a page at a time: 20 000 cases in one unit, every one listed exactly once in
//! the inbox's order, counted in the database, and every query reaching its tables by index.

use super::*;
use samsyn_store::case::listing::{Criteria, Cursor, DeadlineFilter, Order, Urgency};
use std::collections::HashSet;

const CASES: i64 = 20_000;

/// Copies a sent case `CASES` times straight in SQL, spread over states and deadlines (overdue,
/// today, soon, later), with pairs sharing a creation time so the id breaks ties.
fn fill_unit(w: &World) {
    let template = draft(w);
    take_step(w, &w.doctor, &template.id, Action::Send, &rules()).unwrap();
    let day = |offset: i64| {
        TODAY
            .saturating_add(jiff::Span::new().days(offset))
            .to_string()
    };
    let (overdue, soon, later) = (day(-3), day(1), day(20));
    let today = TODAY.to_string();
    let statement = format!(
        "INSERT INTO care_requests (id, patient_id, sender_unit_id, receiver_unit_id, created_by, \
         state, track, track_details, decision_outcome, situation, background, current_assessment, \
         recommendation, fixed_doctor_name, fixed_doctor_phone, prescriber_name, prescriber_phone, \
         care_contact_name, care_contact_phone, health_centre_name, health_centre_phone, rule_set, \
         created_at, updated_at, sent_at, sent_by, acknowledgement_due, acknowledged_at, \
         acknowledged_by, version, planning_due) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CASES}) \
         SELECT 'bulk-' || i, t.patient_id, t.sender_unit_id, t.receiver_unit_id, t.created_by, \
           CASE i % 5 WHEN 0 THEN 'skickad' WHEN 1 THEN 'kvitterad' WHEN 2 THEN 'under_bedomning' \
                      WHEN 3 THEN 'beslutad' ELSE 'avslutad' END, \
           t.track, t.track_details, CASE WHEN i % 5 = 3 THEN 'inskriven' END, \
           t.situation, t.background, t.current_assessment, t.recommendation, t.fixed_doctor_name, \
           t.fixed_doctor_phone, t.prescriber_name, t.prescriber_phone, t.care_contact_name, \
           t.care_contact_phone, t.health_centre_name, t.health_centre_phone, t.rule_set, \
           t.created_at + i / 2, t.updated_at, t.sent_at, t.sent_by, \
           CASE i % 4 WHEN 0 THEN '{overdue}' WHEN 1 THEN '{today}' WHEN 2 THEN '{soon}' ELSE '{later}' END, \
           CASE WHEN i % 5 = 0 THEN NULL ELSE t.sent_at END, \
           CASE WHEN i % 5 = 0 THEN NULL ELSE t.created_by END, 1, \
           CASE WHEN i % 5 = 3 THEN CASE i % 3 WHEN 0 THEN '{overdue}' WHEN 1 THEN '{soon}' ELSE '{later}' END END \
         FROM n, care_requests t WHERE t.id = '{}'",
        template.id
    );
    w.store
        .transaction(|conn| {
            diesel::sql_query(statement.clone()).execute(conn)?;
            samsyn_store::case::list_entries::rebuild(conn)
        })
        .unwrap();
}

/// The sort key the list promises, recomputed from what a case shows.
fn key(case: &care_requests::CareRequest, horizon: &listing::Horizon) -> (Urgency, Date) {
    let open = match (&case.state, case.planning_due) {
        (samsyn_domain::CaseState::Sent(dispatch), _) => Some(dispatch.due),
        (samsyn_domain::CaseState::Decided(..), planning) => planning,
        _ => None,
    };
    match open {
        None => (Urgency::None, date(9999, 12, 31)),
        Some(due) if due < horizon.today => (Urgency::Overdue, due),
        Some(due) if due == horizon.today => (Urgency::DueToday, due),
        Some(due) if due <= horizon.due_soon_until => (Urgency::DueSoon, due),
        Some(due) => (Urgency::OnTrack, due),
    }
}

/// Every page of the list, and how long each took to fetch.
fn all_pages(w: &World, criteria: &Criteria) -> Vec<Vec<care_requests::CareRequest>> {
    let mut pages = Vec::new();
    let mut after: Option<Cursor> = None;
    let mut times = Vec::new();
    loop {
        let criteria = Criteria {
            after: after.clone(),
            ..criteria.clone()
        };
        let started = std::time::Instant::now();
        let page = w
            .store
            .transaction(|conn| {
                listing::page(conn, &w.nurse, &criteria, &horizon(), now(), |_| true)
            })
            .unwrap();
        times.push(started.elapsed());
        pages.push(page.cases);
        match page.next {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    times.sort();
    eprintln!(
        "{} pages; median {:?}, slowest {:?}",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1]
    );
    pages
}

pub fn a_unit_of_20_000_cases_lists_in_pages_of_50(db: TestDb) {
    let w = world(&db);
    fill_unit(&w);
    let total = usize::try_from(CASES + 1).unwrap();
    let horizon = horizon();
    let criteria = Criteria {
        limit: 50,
        ..Criteria::default()
    };

    let pages = all_pages(&w, &criteria);
    assert_eq!(pages.len(), total.div_ceil(50));
    assert!(pages.iter().rev().skip(1).all(|p| p.len() == 50));
    let listed: Vec<&care_requests::CareRequest> = pages.iter().flatten().collect();
    let ids: HashSet<&str> = listed.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(listed.len(), total, "every case once");
    assert_eq!(ids.len(), total, "no case twice");
    let keys: Vec<(Urgency, Date)> = listed.iter().map(|c| key(c, &horizon)).collect();
    assert!(
        keys.windows(2).all(|pair| pair[0] <= pair[1]),
        "the most pressing deadline first, then the earliest"
    );
    assert_eq!(keys[0].0, Urgency::Overdue);

    let newest = all_pages(
        &w,
        &Criteria {
            order: Order::Newest,
            ..criteria.clone()
        },
    );
    let newest: Vec<&care_requests::CareRequest> = newest.iter().flatten().collect();
    assert_eq!(newest.len(), total);
    assert!(
        newest
            .windows(2)
            .all(|pair| pair[0].created_at >= pair[1].created_at)
    );

    let overdue = Criteria {
        deadline: Some(DeadlineFilter::Is(Urgency::Overdue)),
        state: Some("skickad".into()),
        ..criteria.clone()
    };
    let found: usize = all_pages(&w, &overdue).iter().map(Vec::len).sum();
    let counts = w
        .store
        .transaction(|conn| listing::counts(conn, &w.nurse, &criteria, &horizon))
        .unwrap();
    assert_eq!(counts.total(), CASES + 1);
    assert_eq!(counts.matching(Some("skickad"), None), CASES / 5 + 1);
    assert_eq!(
        counts.matching(Some("skickad"), Some(DeadlineFilter::Is(Urgency::Overdue))),
        i64::try_from(found).unwrap()
    );
    assert_eq!(found, usize::try_from(CASES / 20).unwrap(), "i % 20 == 0");

    // Each listed case was logged as listed, once per time it was shown.
    let logged: i64 = w
        .store
        .transaction(|conn| {
            let mine = Filter {
                user_id: Some(w.nurse.user_id.clone()),
                action: Some(AccessAction::List),
                ..Filter::default()
            };
            access_log::search(conn, &mine, &samsyn_store::access_log::PageAt::First, 1)
                .map(|page| page.total)
        })
        .unwrap();
    assert_eq!(logged, i64::try_from(2 * total + found).unwrap());

    let plans = w
        .store
        .transaction(|conn| {
            let mut plans = Vec::new();
            for criteria in [
                criteria.clone(),
                Criteria {
                    mine: true,
                    order: Order::Newest,
                    ..criteria.clone()
                },
                Criteria {
                    state: Some("beslut_foreslaget".into()),
                    deadline: Some(DeadlineFilter::AcknowledgedLate),
                    after: Cursor::parse("2~2026-11-21~1~bulk-1"),
                    ..criteria.clone()
                },
            ] {
                plans.push(listing::explain(conn, &w.nurse, &criteria, &horizon)?);
            }
            Ok(plans)
        })
        .unwrap();
    for plan in plans {
        let text = plan.join("\n");
        for table in ["case_list_entries", "case_events"] {
            assert!(
                !text.contains(&format!("Seq Scan on {table}")),
                "{table} is scanned:\n{text}"
            );
        }
        for alias in ["e", "ce"] {
            assert!(
                !plan
                    .iter()
                    .any(|line| line.trim() == format!("SCAN {alias}")),
                "{alias} is scanned:\n{text}"
            );
        }
    }
}
