//! A second region adopts Samsyn by its rule set alone, through the real binary: `samsyn rules
//! check` validates the example region's rule set and its data files, or names the key, file and
//! line that is wrong; its demo measurement reproduces its own published outcome; and `samsyn
//! serve --rules rules/exempel-2026.toml` on an empty database builds its demo county.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn samsyn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(args)
        .output()
        .unwrap()
}

/// The command's output, or a failure if it still runs after `limit` (a server that should have
/// refused to start).
fn samsyn_within(args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{args:?} still runs after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn example() -> String {
    samsyn_testkit::rules_dir()
        .join("exempel-2026.toml")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn rules_check_says_what_the_example_holds() {
    let out = samsyn(&["rules", "check", &example()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Regelverk Exempel 2026, version 1 (exempel: påhittad region)"));
    assert!(stdout.contains("Region Exempel med 3 kommuner: 9901 Ekby, 9902 Granvik, 9903 Tallmo"));
    assert!(stdout.contains("Kvittens: 2 arbetsdag"));
    assert!(
        stdout.contains("Egna lediga dagar utöver helgdagarna: 2026-11-23 Regionens planeringsdag")
    );
    assert!(stdout.contains("Psykiatrisk läkemedelshantering: erbjuds inte"));
    assert!(stdout.contains("2 pott(er): Grundbelopp, Kompensation för avstånd"));
    assert!(stdout.contains("Publicerade mätningar: 2026-03"));
}

#[test]
fn rules_check_names_the_key_file_and_line_that_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let rules_dir = samsyn_testkit::rules_dir();
    let data = dir.path().join("exempel-2026");
    std::fs::create_dir(&data).unwrap();
    for entry in std::fs::read_dir(rules_dir.join("exempel-2026")).unwrap() {
        let path: PathBuf = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    let toml = dir.path().join("exempel-2026.toml");
    std::fs::copy(rules_dir.join("exempel-2026.toml"), &toml).unwrap();
    let population = data.join("population.csv");
    let text = std::fs::read_to_string(&population).unwrap();
    // Line 2 of the file: its total no longer matches its age bands.
    std::fs::write(&population, text.replacen(";38400;", ";38401;", 1)).unwrap();
    let out = samsyn(&["rules", "check", toml.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("`data.population.file`"), "{stderr}");
    assert!(stderr.contains("rad 2, kolumn totalt"), "{stderr}");

    std::fs::write(&population, text).unwrap();
    let rules = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        rules.replace("key = \"andel_befolkning\"", "key = \"andel_barn\""),
    )
    .unwrap();
    let out = samsyn(&["rules", "check", toml.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("`additional_amount.pots[0].key`"),
        "{stderr}"
    );
    assert!(stderr.contains("\"andel_befolkning\""), "{stderr}");
}

#[test]
fn the_examples_demo_measurement_reproduces_its_published_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let rules = example();
    let written = samsyn(&["--rules", &rules, "measure", "demo-files", "--dir", d]);
    assert!(written.status.success());
    assert!(String::from_utf8_lossy(&written.stdout).contains("2026-03"));
    let out = samsyn(&[
        "--rules",
        &rules,
        "measure",
        "run",
        "--period",
        "2026-03",
        "--activities",
        &format!("{d}/aktiviteter-2026-03.csv"),
        "--enrollments",
        &format!("{d}/inskrivningar-2026-03.csv"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["rules"], "exempel-2026@1");
    // The made-up published outcome: 445 + 150 + 97 patients.
    assert_eq!(json["county"]["patients"], 692);
    let tallmo = json["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "9903")
        .unwrap();
    assert_eq!(
        tallmo["categories"],
        serde_json::json!({"1": 15, "2a": 45, "2b": 12, "3": 22, "4": 1, "5": 2})
    );
}

#[test]
fn serve_builds_the_examples_demo_county_in_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("exempel.db").display());
    let server = server::start_with_demo(&url, &["--rules", &example()]);
    let page = server::get(server.port, "/logga-in");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("EXEMPEL"));
    assert!(page.contains("Region Exempel är en påhittad region"));
    assert!(
        page.contains("sjukskoterska.granvik"),
        "the demo logins are the example's"
    );
    assert!(!page.contains("Örebro"));
}

/// A database belongs to the region it was first used for: the example's database refuses
/// Region Örebro län's built-in rule set, for serving and for the commands that work under the
/// rules, and says which region it is and what to do; under its own rule set it still runs.
#[test]
fn a_database_refuses_another_regions_rule_set() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("exempel.db").display());
    let made = samsyn(&["--database", &url, "--rules", &example(), "demo"]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    for command in [
        vec!["serve", "--bind", "127.0.0.1:0"],
        vec!["report", "deviations", "--year", "2026"],
        vec!["tillagg", "compute", "--year", "2026"],
    ] {
        let mut args = vec!["--database", url.as_str()];
        args.extend(command.iter().copied());
        let refused = samsyn_within(&args, Duration::from_secs(30));
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{command:?} ran: {stderr}");
        assert!(
            stderr.contains("databasen hör till Region Exempel (län 99)"),
            "{command:?}: {stderr}"
        );
        assert!(stderr.contains("Region Örebro län (län 18)"), "{stderr}");
    }
    let own = samsyn(&[
        "--database",
        &url,
        "--rules",
        &example(),
        "report",
        "deviations",
        "--year",
        "2026",
    ]);
    assert!(
        own.status.success(),
        "{}",
        String::from_utf8_lossy(&own.stderr)
    );
}
