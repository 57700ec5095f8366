//! Oenighet on the command line (*Principer för samverkan och ekonomisk reglering* §10):
//! `samsyn report disagreements` prints the county group's yearly compilation, the same as its
//! page, in JSON, CSV, Excel or PDF. No person is named.

use crate::report_output::write_report;
use anyhow::Result;
use samsyn_domain::RuleSet;
use samsyn_store::Store;
use samsyn_web::{Clock, SystemClock};

pub fn report(store: &Store, rules: &RuleSet, year: i16, output: &str) -> Result<()> {
    let zone = jiff::tz::TimeZone::get(&rules.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = SystemClock.now().to_zoned(zone).date();
    let compilation = store
        .transaction(|conn| {
            samsyn_web::disagreement::compilation::compile(conn, rules, year, today)
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    write_report(
        output,
        &compilation.to_json(),
        &compilation.to_csv(),
        compilation.to_xlsx(),
        compilation.to_pdf(),
    )
}
