//! The yearly follow-up on the command line (*Principer för samverkan och ekonomisk reglering*
//! §12): `samsyn report follow-up` prints the year's report, the same as its page — the final
//! report once chefsgruppen has made it final — as JSON, Excel or PDF, to standard output or to
//! `--out FILE`. No person is named.

use anyhow::{Context, Result, anyhow};
use samsyn_domain::RuleSet;
use samsyn_store::Store;
use samsyn_web::{Clock, SystemClock};
use std::io::Write;
use std::path::Path;

pub fn report(
    store: &Store,
    rules: &RuleSet,
    year: i16,
    output: &str,
    out: Option<&Path>,
) -> Result<()> {
    let zone = jiff::tz::TimeZone::get(&rules.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = SystemClock.now().to_zoned(zone).date();
    let (report, _) = store
        .transaction(|conn| samsyn_web::follow_up::report_page::current(conn, rules, year, today))
        .map_err(|e| anyhow!("{e}"))?;
    let bytes = match output {
        "json" => format!("{}\n", serde_json::to_string_pretty(&report.to_json())?).into_bytes(),
        "xlsx" => report.to_xlsx().map_err(|e| anyhow!("Excel: {e}"))?,
        _ => report.to_pdf(),
    };
    match out {
        Some(path) => std::fs::write(path, bytes)
            .with_context(|| format!("kan inte skriva {}", path.display())),
        None => Ok(std::io::stdout().lock().write_all(&bytes)?),
    }
}
