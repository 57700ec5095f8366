//! `samsyn tillagg`: the year's tilläggsbelopp from the rule set and the shipped public data.

use anyhow::{Context, Result};
use samsyn_domain::RuleSet;
use samsyn_domain::additional_amount_year::calculate;
use samsyn_reports::additional_amount::{shipped_inputs, to_csv, to_json, to_xlsx};
use std::io::Write;

pub fn compute(rules: &RuleSet, year: i16, output: &str) -> Result<()> {
    let calculation = calculate(&rules.additional_amount, year, &shipped_inputs(rules, year))
        .with_context(|| format!("tilläggsbelopp {year} kan inte beräknas"))?;
    let mut out = std::io::stdout().lock();
    match output {
        "csv" => out.write_all(to_csv(rules, &calculation).as_bytes())?,
        "xlsx" => out
            .write_all(&to_xlsx(rules, &calculation).map_err(|e| anyhow::anyhow!("Excel: {e}"))?)?,
        _ => writeln!(out, "{}", to_json(rules, &calculation))?,
    }
    Ok(())
}
