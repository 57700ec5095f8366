//! `samsyn report follow-up` end to end, through the real binary, on a demo database: the JSON has
//! the documented shape with figures that are not zero and no person in it, and the PDF's text
//! says what it is and names every municipality.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::process::Command;

fn samsyn(database: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .args(args)
        .env("SAMSYN_DATABASE_URL", database)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The text a PDF shows: its content streams inflated, each `<hex> Tj` decoded from WinAnsi
/// (Latin-1 for the Swedish letters), the strings joined by spaces.
fn pdf_text(pdf: &[u8]) -> String {
    let mut text = String::new();
    let mut rest = pdf;
    while let Some(start) = find(rest, b"stream\n") {
        let body = &rest[start + 7..];
        let end = find(body, b"endstream").unwrap();
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end])
            .read_to_end(&mut inflated)
            .is_ok()
        {
            let content = String::from_utf8_lossy(&inflated).into_owned();
            for piece in content.split('<').skip(1) {
                let Some((hex, after)) = piece.split_once('>') else {
                    continue;
                };
                if !after.trim_start().starts_with("Tj") {
                    continue;
                }
                let bytes: Vec<u8> = (0..hex.len() / 2)
                    .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
                    .collect();
                text.extend(bytes.iter().map(|b| char::from(*b)));
                text.push(' ');
            }
        }
        rest = &body[end..];
    }
    text
}

/// A token of ten or twelve digits, or of six or eight digits, a dash or plus and four more (ids
/// are hexadecimal and may hold long digit runs, so only whole tokens count).
fn looks_like_personnummer(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '+'))
        .any(|token| {
            let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            match token.split_once(['-', '+']) {
                Some((birth, number)) => {
                    digits(birth)
                        && matches!(birth.len(), 6 | 8)
                        && digits(number)
                        && number.len() == 4
                }
                None => digits(token) && matches!(token.len(), 10 | 12),
            }
        })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn the_yearly_report_is_the_documented_json_and_a_pdf_naming_every_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("demo.db").display());
    samsyn(&database, &["demo"]);
    let out = samsyn(
        &database,
        &["report", "follow-up", "--year", "2026", "--output", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["year"], 2026);
    assert_eq!(report["rules"], "orebro-2025 v1");
    let plan = report["plan"].as_array().unwrap();
    assert!(
        plan.iter()
            .all(|m| m["part"].as_u64().is_some_and(|p| (1..=4).contains(&p)))
    );
    assert!(plan.iter().any(|m| m["done"] == true) && plan.iter().any(|m| m["done"] == false));
    assert_eq!(report["survey"]["due"], "2026-11-15");
    assert!(report["survey"]["answered"].as_u64().unwrap() > 0);
    assert!(
        report["survey"]["answered"].as_u64() < report["survey"]["pairs"].as_u64(),
        "some pairs have not answered"
    );
    assert!(report["survey"]["by_area"]["hemsjukvard"].is_object());
    let indicators = report["indicators"].as_array().unwrap();
    assert!(indicators.len() >= 10);
    for indicator in indicators {
        for key in ["id", "label", "definition"] {
            assert!(indicator[key].as_str().is_some_and(|s| !s.is_empty()));
        }
        assert!(
            indicator["by_party"]["1880"].is_number() || indicator["by_party"]["1880"].is_null()
        );
    }
    let non_zero = indicators
        .iter()
        .filter(|i| i["county"].as_f64().is_some_and(|v| v > 0.0))
        .count();
    assert!(non_zero >= 8, "{non_zero} indicators above zero");
    let kvittens = indicators
        .iter()
        .find(|i| i["id"] == "kvittens-i-tid")
        .unwrap();
    assert!(
        kvittens["county"].as_f64().unwrap() < 100.0,
        "the demo misses some deadlines"
    );
    for key in [
        "sample_check",
        "disagreements",
        "deviations",
        "measurement",
        "additional_amount",
    ] {
        assert!(report[key].is_object(), "{key}");
    }
    assert!(report["additional_amount"]["total"].as_i64().unwrap() > 0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("Sara Sjöberg"),
        "no staff name from the cases"
    );
    assert!(looks_like_personnummer("född 19121212-1212,") && !looks_like_personnummer(&text));

    let pdf_file = dir.path().join("uppfoljning.pdf");
    samsyn(
        &database,
        &[
            "report",
            "follow-up",
            "--year",
            "2026",
            "--output",
            "pdf",
            "--out",
            pdf_file.to_str().unwrap(),
        ],
    );
    let pdf = std::fs::read(&pdf_file).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let shown = pdf_text(&pdf);
    assert!(shown.contains("Uppföljning 2026"), "{shown:.300}");
    for name in [
        "Lekeberg",
        "Laxå",
        "Hallsberg",
        "Degerfors",
        "Hällefors",
        "Ljusnarsberg",
        "Örebro",
        "Kumla",
        "Askersund",
        "Karlskoga",
        "Nora",
        "Lindesberg",
    ] {
        assert!(shown.contains(name), "the PDF names {name}");
    }
}
