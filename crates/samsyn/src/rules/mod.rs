//! Where the rule set and its data files come from, and `samsyn rules check`.
//!
//! A rule set named with `--rules FILE` reads its data files from beside FILE. Without it,
//! Samsyn runs under the rule set built into the binary (`rules/built_in.rs` names it), read
//! through the same loader, so that a region's figures never come from the code.

use anyhow::{Context, Result};
use samsyn_domain::RuleSet;
use std::path::Path;

// The built-in rule set (`BUILT_IN`) and its data files (`BUILT_IN_FILES`): which region's they
// are is chosen in rules/, not here.
include!("../../../../rules/built_in.rs");

/// The rule set of `path` with its data files, or the built-in one.
pub fn load(path: Option<&Path>) -> Result<RuleSet> {
    let Some(path) = path else {
        let read = |name: &str| {
            BUILT_IN_FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (*text).to_owned())
                .ok_or_else(|| "filen finns inte bland de inbyggda".to_owned())
        };
        return RuleSet::load(BUILT_IN, &read).map_err(|e| anyhow::anyhow!("{e}"));
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("kan inte läsa {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| e.to_string());
    RuleSet::load(&text, &read).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// `samsyn rules check FILE`: loads the rule set and its data files as `serve` would, and says
/// what it holds, or exactly which key is wrong (exit code 1).
pub fn check(path: &Path) -> Result<()> {
    let rules = load(Some(path))?;
    println!(
        "{} ({}) är giltigt{}.",
        rules.display_name(),
        rules.reference(),
        if rules.example { ", ett exempel" } else { "" }
    );
    for line in summary(&rules) {
        println!("  {line}");
    }
    Ok(())
}

fn summary(rules: &RuleSet) -> Vec<String> {
    let data = &rules.data;
    let pots: Vec<&str> = rules
        .additional_amount
        .pots
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    let mut lines = vec![
        format!(
            "{} med {} kommuner: {}",
            rules.region_name,
            rules.municipalities.len(),
            rules
                .municipalities
                .iter()
                .map(|m| format!("{} {}", m.code, m.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!(
            "Kvittens: {} arbetsdag(ar) efter att begäran skickats",
            rules.acknowledgement.working_days_after_sent
        ),
        format!(
            "Psykiatrisk läkemedelshantering: {}",
            if rules.psychiatric_medication.offered() {
                "erbjuds"
            } else {
                "erbjuds inte"
            }
        ),
        format!(
            "Mätmånad: {}; tilläggsbelopp i {} pott(er): {}",
            rules.measurement.measurement_month,
            pots.len(),
            pots.join(", ")
        ),
        format!(
            "Befolkning: {} rader; centralorter: {}; sjukhus: {}",
            data.population.0.len(),
            data.places.towns.len(),
            data.places.hospitals.len()
        ),
    ];
    if !rules.calendar.extra_days().is_empty() {
        lines.push(format!(
            "Egna lediga dagar utöver helgdagarna: {}",
            rules
                .calendar
                .extra_days()
                .iter()
                .map(|d| format!("{} {}", d.date, d.name))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !data.published_measurements.is_empty() {
        lines.push(format!(
            "Publicerade mätningar: {}",
            data.published_measurements
                .iter()
                .map(|m| m.period.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    lines
}
