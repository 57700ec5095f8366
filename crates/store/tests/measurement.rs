//! The demo county's generated measurement files reproduce the published outcomes exactly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use samsyn_domain::measurement::{
    Activity, Category, Enrollment, Period, measure, parse_activities, parse_enrollments,
};
use samsyn_store::demo::measurement_files::{self as demo_measurement, DemoFiles};
use samsyn_store::measurement::pseudonym::{Pseudonym, PseudonymKey};

fn run(files: &DemoFiles, period: &str) -> samsyn_domain::measurement::Measurement {
    let rules = samsyn_testkit::shipped_rules();
    let today = jiff::civil::date(2026, 11, 23);
    let key = PseudonymKey::new(&[42u8; 32]).unwrap();
    let activities: Vec<Activity<Pseudonym>> = parse_activities(
        "aktiviteter.csv",
        &files.activities,
        &rules.reserve_number,
        today,
    )
    .unwrap()
    .into_iter()
    .map(|a| a.map_person(|p| key.pseudonym(&p)))
    .collect();
    let enrollments: Vec<Enrollment<Pseudonym>> = parse_enrollments(
        "inskrivningar.csv",
        &files.enrollments,
        &rules.reserve_number,
        today,
    )
    .unwrap()
    .into_iter()
    .map(|e| e.map_person(|p| key.pseudonym(&p)))
    .collect();
    measure(
        Period::month(period).unwrap(),
        &activities,
        &enrollments,
        &rules.measurement,
    )
}

/// The demo's files for `period`, as the demo county imports them.
fn demo_files(period: &str) -> DemoFiles {
    demo_measurement::all(&samsyn_testkit::shipped_rules())
        .into_iter()
        .find(|(p, _)| p == period)
        .map(|(_, files)| files)
        .unwrap()
}

#[test]
fn demo_october_2025_reproduces_the_published_table() {
    let files = demo_files("2025-10");
    let reserve_numbers: std::collections::HashSet<&str> = files
        .activities
        .lines()
        .filter_map(|line| line.split(';').nth(1))
        .filter(|person| person.contains('T'))
        .collect();
    assert_eq!(
        reserve_numbers.len(),
        8,
        "persons with a reservnummer are measured like everyone"
    );
    let result = run(&files, "2025-10");
    let rules = samsyn_testkit::shipped_rules();
    let published = &rules.data.published_measurement("2025-10").unwrap().counts;
    assert_eq!(published.len(), 12);
    let mut total = 0;
    for (code, counts) in published {
        let (code, counts) = (*code, *counts);
        let measured = result
            .municipalities
            .iter()
            .find(|m| m.code == code)
            .unwrap();
        assert_eq!(measured.categories, counts, "municipality {code}");
        assert_eq!(
            measured.excluded_special_housing, 1,
            "särskilt boende is excluded in {code}"
        );
        assert!(measured.delegated_activities > 0);
        total += measured.patients;
    }
    assert_eq!(total, 3947);
}

#[test]
fn demo_october_2022_reproduces_the_category_4_counts() {
    let result = run(&demo_files("2022-10"), "2022-10");
    let expected = [
        ("1880", 38),
        ("1881", 6),
        ("1883", 8),
        ("1863", 0),
        ("1885", 9),
    ];
    for (code, count) in expected {
        let measured = result
            .municipalities
            .iter()
            .find(|m| m.code.as_str() == code)
            .map(|m| m.count(Category::Four));
        assert_eq!(measured.unwrap_or(0), count, "municipality {code}");
    }
}

#[test]
fn files_read_on_every_core_measure_as_one_reader_does() {
    use samsyn_store::measurement::files::{MeasuredFile, MeasuredKind, measure_files};
    let rules = samsyn_testkit::shipped_rules();
    let files = demo_files("2025-10");
    let read = measure_files(
        &rules,
        Period::month("2025-10").unwrap(),
        jiff::civil::date(2026, 11, 23),
        vec![
            MeasuredFile {
                name: "aktiviteter.csv".to_owned(),
                kind: MeasuredKind::Activities,
                reader: files.activities.as_bytes(),
            },
            MeasuredFile {
                name: "inskrivningar.csv".to_owned(),
                kind: MeasuredKind::Enrollments,
                reader: files.enrollments.as_bytes(),
            },
        ],
    )
    .unwrap();
    assert!(read.errors.is_empty());
    assert_eq!(
        read.measurement,
        run(&files, "2025-10"),
        "each core's share of the persons, finished side by side, is the one reader's measurement"
    );
}
