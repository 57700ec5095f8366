//! `samsyn tillagg compute` end to end, through the real binary, on the shipped data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

/// Runs the binary against a database that does not exist, so the shipped inputs are used.
fn samsyn(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(args)
        .env(
            "SAMSYN_DATABASE_URL",
            "sqlite:///nonexistent/samsyn-tillagg.db",
        )
        .output()
        .unwrap()
}

#[test]
fn a_scenario_file_gives_each_municipality_its_difference() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("troskel.toml");
    std::fs::write(
        &file,
        "name = \"Kopparberg med\"\ngrowth = \"1.05\"\n[distance]\n1864 = true\n",
    )
    .unwrap();
    let out = samsyn(&[
        "tillagg",
        "compute",
        "--year",
        "2026",
        "--scenario",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["total"], 25_364_096, "the indexed pots grow by 1.05");
    assert_eq!(value["scenario"]["name"], "Kopparberg med");
    assert_eq!(value["scenario"]["decision"], false);
    let ljusnarsberg = value["scenario"]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "1864")
        .unwrap()
        .clone();
    assert!(ljusnarsberg["difference"].as_i64().unwrap() > 0);
    std::fs::write(&file, "[pot_amounts]\nokand = 1\n").unwrap();
    let bad = samsyn(&[
        "tillagg",
        "compute",
        "--year",
        "2026",
        "--scenario",
        file.to_str().unwrap(),
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("regelverket har ingen pott som heter okand")
    );
}

#[test]
fn the_2026_calculation_totals_the_published_amount_in_every_format() {
    let json = samsyn(&["tillagg", "compute", "--year", "2026"]);
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["year"], 2026);
    assert_eq!(value["total"], 25_115_096);
    assert_eq!(value["pots"][1]["amount"], 895_195);
    assert_eq!(
        json.stdout,
        samsyn(&["tillagg", "compute", "--year", "2026"]).stdout,
        "byte-identical on re-run"
    );
    let csv = samsyn(&["tillagg", "compute", "--year", "2026", "--output", "csv"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(
        text.lines().last().unwrap().ends_with(";25115096"),
        "{text}"
    );
    let xlsx = samsyn(&["tillagg", "compute", "--year", "2026", "--output", "xlsx"]);
    assert!(xlsx.stdout.starts_with(b"PK"), "an xlsx is a zip file");
}

#[test]
fn a_year_without_growth_figure_names_the_pot_and_the_reason() {
    let out = samsyn(&["tillagg", "compute", "--year", "2027"]);
    assert!(!out.status.success());
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("andel_aldre har inget belopp för 2027"),
        "{error}"
    );
    assert!(out.stdout.is_empty());
}
