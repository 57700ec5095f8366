//! Tilläggsbelopp on the command line (*Hälso- och sjukvård i hemmet primärvårdsnivå* §4).
//!
//! `samsyn tillagg`: a year's tilläggsbelopp from the rule set and the inputs — those stored in
//! the database when it exists, else the rule set's data files — optionally with a scenario file.

use anyhow::{Context, Result};
use rust_decimal::prelude::ToPrimitive;
use samsyn_domain::RuleSet;
use samsyn_domain::additional_amount::scenario::{Scenario, ScenarioFile, differences};
use samsyn_reports::additional_amount::{
    InputData, Statement, scenario_statement, statement, to_csv, to_xlsx,
};
use std::io::Write;
use std::path::Path;

/// The stored inputs, or the rule set's data files when there is no database yet.
fn input_data(database: &str, rules: &RuleSet) -> Result<InputData> {
    if let Some(file) = database.strip_prefix("sqlite://")
        && !Path::new(file).exists()
    {
        return Ok(InputData::shipped(rules));
    }
    let store = crate::open_under(database, rules)?;
    store
        .transaction(|c| samsyn_web::additional_amount::data::calculation_data(c, rules))
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The scenario's JSON: the statement's keys plus `scenario` with each municipality's difference
/// against the calculation without it.
fn scenario_json(rules: &RuleSet, name: &str, baseline: &Statement, result: &Statement) -> String {
    let codes: Vec<_> = rules.municipalities.iter().map(|m| m.code).collect();
    let lines: Vec<serde_json::Value> = differences(&baseline.totals(), &result.totals(), &codes)
        .iter()
        .zip(&rules.municipalities)
        .map(|(d, m)| {
            serde_json::json!({
                "code": m.code.to_string(),
                "name": m.name,
                "baseline": d.baseline.to_i64(),
                "scenario": d.scenario.to_i64(),
                "difference": d.kronor().to_i64(),
                "percent": d.percent().map(|p| p.to_string()),
            })
        })
        .collect();
    let mut value = serde_json::to_value(result).unwrap_or_default();
    value["scenario"] = serde_json::json!({
        "name": name,
        "decision": false,
        "differences": lines,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

pub fn compute(
    database: &str,
    rules: &RuleSet,
    year: i16,
    scenario: Option<&Path>,
    output: &str,
) -> Result<()> {
    let data = input_data(database, rules)?;
    let cannot = || format!("tilläggsbelopp {year} kan inte beräknas");
    let baseline = statement(rules, year, &data).with_context(cannot)?;
    let (result, json) = match scenario {
        None => {
            let json = baseline.to_json();
            (baseline, json)
        }
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("kan inte läsa {}", path.display()))?;
            let file: ScenarioFile = toml::from_str(&text)
                .with_context(|| format!("{}: inget giltigt scenario", path.display()))?;
            let parsed = Scenario::from_file(&file, &rules.additional_amount)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let name = file
                .name
                .clone()
                .unwrap_or_else(|| path.display().to_string());
            let result =
                scenario_statement(rules, year, &data, &parsed, &name).with_context(cannot)?;
            let json = scenario_json(rules, &name, &baseline, &result);
            (result, json)
        }
    };
    let mut out = std::io::stdout().lock();
    match output {
        "csv" => out.write_all(to_csv(&result).as_bytes())?,
        "xlsx" => {
            out.write_all(&to_xlsx(&result).map_err(|e| anyhow::anyhow!("Excel: {e}"))?)?;
        }
        _ => writeln!(out, "{json}")?,
    }
    Ok(())
}
