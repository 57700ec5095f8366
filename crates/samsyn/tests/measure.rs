//! `samsyn measure` end to end, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn samsyn(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn demo_files_reproduce_the_published_table_byte_identically() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(
        samsyn(&["measure", "demo-files", "--dir", d])
            .status
            .success()
    );
    let activities = format!("{d}/aktiviteter-2025-10.csv");
    let enrollments = format!("{d}/inskrivningar-2025-10.csv");
    let args = [
        "measure",
        "run",
        "--period",
        "2025-10",
        "--activities",
        &activities,
        "--enrollments",
        &enrollments,
    ];
    let first = samsyn(&args);
    let second = samsyn(&args);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(
        first.stdout, second.stdout,
        "the same inputs give byte-identical JSON"
    );
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(json["period"], "2025-10");
    assert_eq!(json["rules"], "orebro-2025@1");
    assert_eq!(json["county"]["patients"], 3947);
    let expected =
        serde_json::json!({"1": 765, "2a": 1520, "2b": 654, "3": 784, "4": 117, "5": 107});
    assert_eq!(json["county"]["categories"], expected);
    let orebro = json["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "1880")
        .unwrap();
    assert_eq!(
        orebro["categories"],
        serde_json::json!({"1": 121, "2a": 582, "2b": 401, "3": 306, "4": 70, "5": 72})
    );
    for key in [
        "code",
        "name",
        "patients",
        "categories",
        "ssk_hours",
        "rehab_hours",
        "delegated_activities",
    ] {
        assert!(orebro.get(key).is_some(), "municipality key {key}");
    }
    assert_eq!(json["inputs"].as_array().unwrap().len(), 2);
    let output = String::from_utf8_lossy(&first.stdout);
    let file = std::fs::read_to_string(&activities).unwrap();
    for number in file
        .lines()
        .skip(1)
        .take(500)
        .filter_map(|l| l.split(';').nth(1))
    {
        assert!(!output.contains(number), "no personnummer in the result");
    }
}

#[test]
fn a_bad_file_names_file_line_and_column_and_measures_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("aktiviteter.csv");
    std::fs::write(
        &bad,
        "kommunkod;personnummer;datum;kva_kod;yrkeskod;minuter;delegerad\n1880;191212121212;2025-10-01;DT021;XS919;15;N\n1880;191212121212;2025-10-02;DT021;XS919;abc;N\n",
    )
    .unwrap();
    let out = samsyn(&[
        "measure",
        "run",
        "--period",
        "2025-10",
        "--activities",
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing is measured");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("aktiviteter.csv, rad 3, kolumn minuter"),
        "{stderr}"
    );
    assert!(!stderr.contains("191212121212"));
}

/// `samsyn measure import` stores the month's result with the rule set and the files it came
/// from, so the tilläggsbelopp reads the counts instead of measuring the rows again.
#[test]
fn an_import_stores_the_months_result_per_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(
        samsyn(&["measure", "demo-files", "--dir", d])
            .status
            .success()
    );
    let url = format!("sqlite://{d}/samsyn.db");
    for (kind, file) in [
        ("aktiviteter", "aktiviteter-2025-10.csv"),
        ("inskrivningar", "inskrivningar-2025-10.csv"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_samsyn"))
            .args(["measure", "import", "--kind", kind, &format!("{d}/{file}")])
            .env("SAMSYN_DATABASE_URL", &url)
            .env("SAMSYN_PSEUDONYM_KEY", "k".repeat(32))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    #[derive(diesel::QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Text)]
        rule_set: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        patients: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        category_4: i64,
    }
    let store = samsyn_store::Store::open(&url).unwrap();
    let orebro: Vec<Stored> = store
        .transaction(|conn| {
            use diesel::RunQueryDsl;
            Ok(diesel::sql_query(
                "SELECT r.rule_set, m.patients, m.category_4 FROM measurement_results r \
                 JOIN measurement_result_municipalities m ON m.period = r.period \
                 WHERE r.period = '2025-10' AND m.municipality = '1880'",
            )
            .load(conn)?)
        })
        .unwrap();
    assert_eq!(orebro.len(), 1);
    assert_eq!(orebro[0].rule_set, "orebro-2025@1");
    assert_eq!(
        (orebro[0].patients, orebro[0].category_4),
        (121 + 582 + 401 + 306 + 70 + 72, 70)
    );
}
