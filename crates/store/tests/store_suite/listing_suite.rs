//! A unit's list a page at a time: 20 000 cases in one unit, every one listed exactly once in
//! the inbox's order, counted in the database, and every query reaching its tables by index.

use super::*;
use samsyn_store::case::listing::{Criteria, Cursor, DeadlineFilter, Order, Urgency};
use std::collections::HashSet;

const CASES: i64 = 20_000;

/// Copies a sent case `cases` times straight in SQL, spread over states and deadlines (overdue,
/// today, soon, later), with pairs sharing a creation time so the id breaks ties.
fn fill_unit(w: &World, cases: i64) {
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
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {cases}) \
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
            .reads
            .read_logged(|conn| {
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
    fill_unit(&w, CASES);
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

/// A case's row in the list as the test reads it back.
#[derive(diesel::QueryableByName)]
struct Entry {
    #[diesel(sql_type = diesel::sql_types::Text)]
    case_id: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    created_at: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    state: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    acknowledged_on: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    acknowledgement_due: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    due_on: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    discharge_on: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    follow_up_on: Option<String>,
}

impl Entry {
    /// The list's promised key, worked out here: the most pressing open deadline and its date.
    fn key(&self, horizon: &listing::Horizon) -> (Urgency, Date) {
        self.deadlines(horizon)
            .into_iter()
            .flatten()
            .min()
            .unwrap_or((Urgency::None, date(9999, 12, 31)))
    }

    /// Each open deadline's urgency and date: kvittens or planning, discharge plan, follow-up.
    fn deadlines(&self, horizon: &listing::Horizon) -> [Option<(Urgency, Date)>; 3] {
        let rank = |due: Date, soon: Date| match due {
            d if d < horizon.today => Urgency::Overdue,
            d if d == horizon.today => Urgency::DueToday,
            d if d <= soon => Urgency::DueSoon,
            _ => Urgency::OnTrack,
        };
        let parse = |d: &Option<String>| d.as_deref().map(|d| d.parse::<Date>().unwrap());
        let plan_due = parse(&self.discharge_on)
            .map(|d| d.saturating_sub(jiff::Span::new().days(horizon.discharge_plan_days_before)));
        [
            parse(&self.due_on).map(|d| (rank(d, horizon.due_soon_until), d)),
            plan_due.map(|d| (rank(d, horizon.due_soon_until), d)),
            parse(&self.follow_up_on).map(|d| (rank(d, horizon.follow_up_due_soon_until), d)),
        ]
    }

    fn kvittens(&self) -> Option<bool> {
        Some(self.acknowledged_on.as_ref()? <= self.acknowledgement_due.as_ref()?)
    }
}

/// Cases with up to three open deadlines at once (kvittens or planning, a discharge plan two
/// days before the discharge date, a follow-up), each of any urgency: every page in every
/// filter holds what sorting and counting all of the unit's cases by hand gives.
pub fn pages_follow_the_most_pressing_of_several_deadlines(db: TestDb) {
    let w = world(&db);
    fill_unit(&w, 1_500);
    let day = |offset: i64| format!("'{}'", TODAY.saturating_add(jiff::Span::new().days(offset)));
    let follow_ups = [day(-2), day(0), day(2), day(5), day(9), day(40)];
    let discharges = [day(-1), day(2), day(3), day(4), day(12)];
    let spread = |column: &str, dates: &[String], modulo: usize| {
        let mut whens = String::new();
        for (i, d) in dates.iter().enumerate() {
            whens.push_str(&format!(" WHEN {i} THEN {d}"));
        }
        format!(
            "UPDATE case_list_entries SET {column} = CASE CAST(substr(case_id, 6) AS INTEGER) % {modulo}{whens} END \
             WHERE case_id LIKE 'bulk-%'"
        )
    };
    let entries: Vec<Entry> = w
        .store
        .transaction(|conn| {
            diesel::sql_query(spread("follow_up_on", &follow_ups, 7)).execute(conn)?;
            diesel::sql_query(spread("discharge_on", &discharges, 11)).execute(conn)?;
            Ok(diesel::sql_query(format!(
                "SELECT case_id, created_at, state, acknowledged_on, acknowledgement_due, due_on, \
                 discharge_on, follow_up_on FROM case_list_entries WHERE unit_id = '{}'",
                w.nurse.unit_id
            ))
            .load::<Entry>(conn)?)
        })
        .unwrap();
    assert_eq!(entries.len(), 1_501);
    let horizon = listing::Horizon {
        discharge_plan_days_before: 2,
        ..horizon()
    };
    let page_through = |criteria: &Criteria| {
        let mut ids = Vec::new();
        let mut after = None;
        loop {
            let criteria = Criteria {
                after,
                limit: 37,
                ..criteria.clone()
            };
            let page = w
                .reads
                .read_logged(|conn| {
                    listing::page(conn, &w.nurse, &criteria, &horizon, now(), |_| true)
                })
                .unwrap();
            ids.extend(page.cases.into_iter().map(|c| c.id));
            match page.next {
                Some(next) => after = Some(next),
                None => return ids,
            }
        }
    };
    let counts = w
        .store
        .transaction(|conn| listing::counts(conn, &w.nurse, &Criteria::default(), &horizon))
        .unwrap();
    let ties = entries
        .iter()
        .filter(|e| {
            let open: Vec<_> = e.deadlines(&horizon).into_iter().flatten().collect();
            open.iter().filter(|d| **d == e.key(&horizon)).count() > 1
        })
        .count();
    let several = entries
        .iter()
        .filter(|e| e.deadlines(&horizon).iter().flatten().count() > 1)
        .count();
    assert!(
        ties > 0 && several > 100,
        "{ties} cases with two equal deadlines, {several} with several"
    );
    let mut by_key: Vec<&Entry> = entries.iter().collect();
    by_key.sort_by_key(|e| {
        (
            e.key(&horizon),
            std::cmp::Reverse(e.created_at),
            e.case_id.clone(),
        )
    });
    let mut newest: Vec<&Entry> = entries.iter().collect();
    newest.sort_by_key(|e| (std::cmp::Reverse(e.created_at), e.case_id.clone()));

    let deadlines = [
        None,
        Some(DeadlineFilter::Is(Urgency::Overdue)),
        Some(DeadlineFilter::Is(Urgency::DueToday)),
        Some(DeadlineFilter::Is(Urgency::DueSoon)),
        Some(DeadlineFilter::Is(Urgency::OnTrack)),
        Some(DeadlineFilter::Is(Urgency::None)),
        Some(DeadlineFilter::AcknowledgedInTime),
        Some(DeadlineFilter::AcknowledgedLate),
    ];
    for state in [None, Some("skickad"), Some("beslutad"), Some("avslutad")] {
        for deadline in deadlines {
            let selected = |e: &&&Entry| {
                state.is_none_or(|s| e.state == s)
                    && match deadline {
                        None => true,
                        Some(DeadlineFilter::Is(u)) => e.key(&horizon).0 == u,
                        Some(DeadlineFilter::AcknowledgedInTime) => e.kvittens() == Some(true),
                        Some(DeadlineFilter::AcknowledgedLate) => e.kvittens() == Some(false),
                    }
            };
            let selected_ids = |sorted: &[&Entry]| -> Vec<String> {
                sorted
                    .iter()
                    .filter(selected)
                    .map(|e| e.case_id.clone())
                    .collect()
            };
            let expected = selected_ids(&by_key);
            let criteria = Criteria {
                state: state.map(str::to_owned),
                deadline,
                ..Criteria::default()
            };
            let what = format!("state {state:?}, deadline {deadline:?}");
            assert_eq!(page_through(&criteria), expected, "{what}");
            assert_eq!(
                counts.matching(state, deadline),
                i64::try_from(expected.len()).unwrap(),
                "counted: {what}"
            );
            let expected_newest = selected_ids(&newest);
            let newest_first = Criteria {
                order: Order::Newest,
                ..criteria
            };
            assert_eq!(
                page_through(&newest_first),
                expected_newest,
                "newest: {what}"
            );
        }
    }
    for urgency in [
        Urgency::Overdue,
        Urgency::DueToday,
        Urgency::DueSoon,
        Urgency::OnTrack,
    ] {
        assert!(
            counts.matching(None, Some(DeadlineFilter::Is(urgency))) > 0,
            "the cases cover {urgency:?}"
        );
    }
}

/// How many access-log entries say a case was listed.
fn listed_entries(store: &Store) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let query = format!(
        "SELECT COUNT(*) AS n FROM access_log WHERE action = '{}'",
        AccessAction::List.code()
    );
    store
        .transaction(|conn| Ok(diesel::sql_query(query.clone()).load::<Count>(conn)?))
        .unwrap()[0]
        .n
}

/// Lists read by many at once on readers: every case shown is logged once per read, the chain
/// takes the groups in one order, a reader refuses writes, and a read whose entries cannot be
/// logged shows nothing and logs nothing.
pub fn reads_are_logged_in_groups_before_they_are_shown(db: TestDb) {
    use samsyn_store::access_log::chain;
    const READERS: usize = 6;
    const READS: usize = 10;
    let w = world(&db);
    fill_unit(&w, 60);
    let criteria = Criteria {
        limit: 10,
        ..Criteria::default()
    };
    let list = |conn: &mut samsyn_store::DbConnection| {
        listing::page(conn, &w.nurse, &criteria, &horizon(), now(), |_| true)
    };
    let before = listed_entries(&w.store);
    std::thread::scope(|scope| {
        for _ in 0..READERS {
            scope.spawn(|| {
                for _ in 0..READS {
                    let page = w.reads.read_logged(list).unwrap();
                    assert_eq!(page.cases.len(), 10);
                }
            });
        }
    });
    assert_eq!(
        listed_entries(&w.store) - before,
        (READERS * READS * 10) as i64,
        "one entry for every case shown by every read"
    );
    assert_eq!(
        w.store.transaction(chain::verify).unwrap().first_break,
        None
    );

    if w.store.engine() == samsyn_store::Engine::Sqlite {
        let written = w.reads.read_logged(|conn| {
            diesel::sql_query("DELETE FROM case_list_counts").execute(conn)?;
            list(conn)
        });
        assert!(written.is_err(), "a reader refuses writes");
    }

    let before = listed_entries(&w.store);
    w.store
        .transaction(|conn| Ok(diesel::sql_query("DROP TABLE access_log_chain").execute(conn)?))
        .unwrap();
    let unlogged = w.reads.read_logged(list);
    assert!(
        matches!(unlogged, Err(StoreError::AccessLogRefused)),
        "nothing is shown unlogged"
    );
    assert_eq!(listed_entries(&w.store), before, "and nothing half logged");
}
