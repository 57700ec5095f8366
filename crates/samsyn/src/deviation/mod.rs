//! Avvikelser i samverkan on the command line: `samsyn report deviations` prints the year's
//! statistics, the same as its page, in JSON, CSV, Excel or PDF. No person is named.

use crate::report_output::write_report;
use anyhow::Result;
use samsyn_domain::RuleSet;
use samsyn_store::Store;

pub fn report(store: &Store, rules: &RuleSet, year: i16, output: &str) -> Result<()> {
    let statistics = store
        .transaction(|conn| samsyn_web::deviation::statistics::statistics(conn, rules, year))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    write_report(
        output,
        &statistics.to_json(),
        &statistics.to_csv(),
        statistics.to_xlsx(),
        statistics.to_pdf(),
    )
}
