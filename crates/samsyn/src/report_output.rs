//! Writes one of a yearly report's forms to standard output: JSON and CSV as text, Excel and
//! PDF as bytes to be redirected to a file.

use anyhow::{Result, anyhow};
use std::io::Write;

pub fn write_report(
    output: &str,
    json: &serde_json::Value,
    csv: &str,
    xlsx: Result<Vec<u8>, String>,
    pdf: Vec<u8>,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match output {
        "json" => writeln!(out, "{}", serde_json::to_string_pretty(json)?)?,
        "csv" => out.write_all(csv.as_bytes())?,
        "xlsx" => out.write_all(&xlsx.map_err(|e| anyhow!("Excel: {e}"))?)?,
        _ => out.write_all(&pdf)?,
    }
    Ok(())
}
