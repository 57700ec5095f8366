//! The county group's yearly compilation and analysis of disagreements (*Principer för samverkan
//! och ekonomisk reglering* §10: "Gruppen ansvarar för att göra en årlig sammanställning och
//! analys av inkomna ärenden … förslag till förtydliganden, tillämpningsanvisningar eller
//! omformuleringar"): cases per level, party and track, time at each level, outcomes and the
//! group's proposals; as the documented JSON, CSV, Excel and PDF. No person is named.

use crate::table::{self, Table};
use jiff::civil::Date;
use samsyn_domain::disagreement::rules::DisagreementRules;
use samsyn_domain::disagreement::{Ladder, Level, Outcome};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One disagreement as the compilation counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledCase {
    pub id: String,
    /// The highest level the question reached.
    pub level: Level,
    /// The region's and the municipality's names.
    pub parties: [String; 2],
    pub track: String,
    pub opened: Date,
    pub resolved: Option<Date>,
    /// Days spent at each step, in order (the last one until resolution or the compilation day).
    pub days_at_level: Vec<(Level, i64)>,
    /// What the last recorded step came to, in words.
    pub outcome: String,
    /// The county group's proposal for the agreement, if it made one.
    pub proposal: Option<String>,
}

impl CompiledCase {
    /// Counts one ladder: its steps' days up to `resolved` or `today`.
    pub fn of(
        id: &str,
        ladder: &Ladder,
        parties: [String; 2],
        track: &str,
        resolved: Option<Date>,
        proposal: Option<String>,
        today: Date,
    ) -> CompiledCase {
        let rungs = ladder.rungs();
        let end = resolved.unwrap_or(today);
        let days_at_level = rungs
            .iter()
            .enumerate()
            .map(|(i, rung)| {
                let until = rungs.get(i + 1).map_or(end, |next| next.raised_on);
                (rung.level, (until - rung.raised_on).get_days().into())
            })
            .collect();
        let outcome = rungs
            .iter()
            .rev()
            .find_map(|r| r.outcome.as_ref())
            .map_or("Inget registrerat ännu", |(_, _, o)| match o {
                Outcome::Agreed { .. } if resolved.is_some() => "Överens",
                Outcome::Agreed { .. } => "Överens, väntar på bekräftelse",
                Outcome::NotAgreed { .. } => "Inte överens",
                Outcome::NoCostsInvolved => "Inga kostnader",
            })
            .to_owned();
        CompiledCase {
            id: id.to_owned(),
            level: ladder
                .rungs()
                .iter()
                .map(|r| r.level)
                .max()
                .unwrap_or(Level::Local),
            parties,
            track: track.to_owned(),
            opened: rungs.first().map_or(today, |r| r.raised_on),
            resolved,
            days_at_level,
            outcome,
            proposal,
        }
    }
}

/// A year's compilation.
#[derive(Debug, Clone)]
pub struct Compilation {
    pub year: i16,
    /// The rule set the deadlines came from.
    pub rules: String,
    /// The agreement's ladder, which numbers and names the levels.
    pub ladder: DisagreementRules,
    /// Where the region's agreement describes the ladder, if the rule set says.
    pub citation: Option<String>,
    pub cases: Vec<CompiledCase>,
}

impl Compilation {
    pub fn by_level(&self) -> BTreeMap<u8, usize> {
        let mut counts: BTreeMap<u8, usize> = self
            .ladder
            .levels
            .iter()
            .map(|(l, _)| (self.ladder.number(*l), 0))
            .collect();
        for case in &self.cases {
            *counts.entry(self.ladder.number(case.level)).or_default() += 1;
        }
        counts
    }

    pub fn resolved(&self) -> usize {
        self.cases.iter().filter(|c| c.resolved.is_some()).count()
    }

    /// Median days from opening to resolution, of the resolved.
    pub fn median_days_to_resolution(&self) -> Option<f64> {
        let mut days: Vec<i64> = self
            .cases
            .iter()
            .filter_map(|c| c.resolved.map(|r| (r - c.opened).get_days().into()))
            .collect();
        median(&mut days)
    }

    pub fn proposals(&self) -> Vec<String> {
        self.cases
            .iter()
            .filter_map(|c| c.proposal.clone())
            .collect()
    }

    fn count_by(&self, key: impl Fn(&CompiledCase) -> String) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for case in &self.cases {
            *counts.entry(key(case)).or_default() += 1;
        }
        counts
    }

    /// Mean days spent at each level, over the steps taken at it.
    pub fn mean_days_at_level(&self) -> BTreeMap<u8, f64> {
        let mut sums: BTreeMap<u8, (i64, i64)> = BTreeMap::new();
        for (level, days) in self.cases.iter().flat_map(|c| &c.days_at_level) {
            let entry = sums.entry(self.ladder.number(*level)).or_default();
            entry.0 += days;
            entry.1 += 1;
        }
        sums.into_iter()
            .map(|(level, (sum, n))| (level, sum as f64 / n as f64))
            .collect()
    }

    /// The name of the ladder's step `number`, as the agreement numbers them.
    fn level_label(&self, number: u8) -> String {
        Level::ALL
            .into_iter()
            .find(|l| self.ladder.number(*l) == number && self.ladder.has(*l))
            .map_or_else(|| number.to_string(), |l| self.ladder.label(l))
    }

    /// The documented JSON shape.
    pub fn to_json(&self) -> Value {
        let by_level: serde_json::Map<String, Value> = self
            .by_level()
            .into_iter()
            .map(|(level, n)| (level.to_string(), json!(n)))
            .collect();
        json!({
            "year": self.year,
            "rules": self.rules,
            "by_level": by_level,
            "resolved": self.resolved(),
            "open": self.cases.len() - self.resolved(),
            "median_days_to_resolution": self.median_days_to_resolution(),
            "proposals": self.proposals(),
            "cases": self.cases.iter().map(|c| json!({
                "id": c.id,
                "level": self.ladder.number(c.level),
                "parties": c.parties,
                "track": c.track,
                "opened": c.opened.to_string(),
                "resolved": c.resolved.map(|d| d.to_string()),
            })).collect::<Vec<_>>(),
        })
    }

    /// The tables the page, CSV, Excel and PDF show: cases first, then the counts.
    pub fn tables(&self) -> Vec<Table> {
        let count_rows = |counts: BTreeMap<String, usize>| {
            counts
                .into_iter()
                .map(|(k, n)| vec![k, n.to_string()])
                .collect()
        };
        vec![
            Table {
                title: "Ärenden".into(),
                headers: [
                    "Ärende",
                    "Högsta nivå",
                    "Region",
                    "Kommun",
                    "Spår",
                    "Öppnad",
                    "Löst",
                    "Dagar per nivå",
                    "Utfall",
                ]
                .map(String::from)
                .to_vec(),
                rows: self
                    .cases
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.clone(),
                            self.ladder.number(c.level).to_string(),
                            c.parties[0].clone(),
                            c.parties[1].clone(),
                            c.track.clone(),
                            c.opened.to_string(),
                            c.resolved.map(|d| d.to_string()).unwrap_or_default(),
                            c.days_at_level
                                .iter()
                                .map(|(l, d)| format!("{}: {d}", self.ladder.number(*l)))
                                .collect::<Vec<_>>()
                                .join(", "),
                            c.outcome.clone(),
                        ]
                    })
                    .collect(),
            },
            Table {
                title: "Per nivå".into(),
                headers: ["Nivå", "Ärenden", "Dagar i snitt"]
                    .map(String::from)
                    .to_vec(),
                rows: {
                    let means = self.mean_days_at_level();
                    self.by_level()
                        .into_iter()
                        .map(|(level, n)| {
                            vec![
                                self.level_label(level),
                                n.to_string(),
                                means
                                    .get(&level)
                                    .map(|d| format!("{d:.1}").replace('.', ","))
                                    .unwrap_or_default(),
                            ]
                        })
                        .collect()
                },
            },
            Table {
                title: "Per kommun".into(),
                headers: ["Kommun", "Ärenden"].map(String::from).to_vec(),
                rows: count_rows(self.count_by(|c| c.parties[1].clone())),
            },
            Table {
                title: "Per spår".into(),
                headers: ["Spår", "Ärenden"].map(String::from).to_vec(),
                rows: count_rows(self.count_by(|c| c.track.clone())),
            },
            Table {
                title: "Utfall".into(),
                headers: ["Utfall", "Ärenden"].map(String::from).to_vec(),
                rows: count_rows(self.count_by(|c| c.outcome.clone())),
            },
            Table {
                title: "Förslag".into(),
                headers: vec!["Gruppens förslag till överenskommelsen".into()],
                rows: self.proposals().into_iter().map(|p| vec![p]).collect(),
            },
        ]
    }

    pub fn to_csv(&self) -> String {
        table::to_csv(&self.tables()[0])
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>, String> {
        table::to_xlsx(&self.tables())
    }

    pub fn to_pdf(&self) -> Vec<u8> {
        let median = table::days(self.median_days_to_resolution());
        table::to_pdf(
            &format!("Oenighet – årssammanställning {}", self.year),
            &format!("Länsgruppen för oenighet. Regelverk {}.", self.rules),
            &[
                format!(
                    "{} ärenden, {} lösta och {} öppna. Median från oenighet till lösning: {median} dagar.",
                    self.cases.len(),
                    self.resolved(),
                    self.cases.len() - self.resolved()
                ),
            ]
            .into_iter()
            .chain(self.citation.iter().map(|c| format!("Källa: {c}.")))
            .collect::<Vec<_>>(),
            &self.tables(),
        )
    }
}

/// The median of whole days, or `None` of none.
pub fn median(days: &mut [i64]) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    Some(if days.len().is_multiple_of(2) {
        (days[mid - 1] + days[mid]) as f64 / 2.0
    } else {
        days[mid] as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use samsyn_domain::Side;

    fn steps() -> DisagreementRules {
        samsyn_domain::RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .disagreement
    }

    #[test]
    fn the_compilation_counts_levels_days_and_resolutions() {
        let opened = date(2026, 3, 2);
        let mut ladder = Ladder::open("A", "B", opened).unwrap();
        ladder
            .record(
                Side::Sender,
                date(2026, 3, 4),
                Outcome::NotAgreed {
                    why: "Olika".into(),
                },
            )
            .unwrap();
        ladder
            .escalate(Level::EconomicMandate, "C", "D", date(2026, 3, 5), &steps())
            .unwrap();
        let parties = || ["Region Örebro län".to_owned(), "Kumla kommun".to_owned()];
        let open = CompiledCase::of(
            "a",
            &ladder,
            parties(),
            "primarvard",
            None,
            None,
            date(2026, 3, 15),
        );
        assert_eq!(
            open.days_at_level,
            [(Level::Local, 3), (Level::EconomicMandate, 10)]
        );
        let local = Ladder::open("A", "B", opened).unwrap();
        let resolved = CompiledCase::of(
            "b",
            &local,
            parties(),
            "primarvard",
            Some(date(2026, 3, 6)),
            Some("Förtydliga kriteriet.".into()),
            date(2026, 3, 15),
        );
        let compilation = Compilation {
            year: 2026,
            rules: "orebro-2025@1".into(),
            ladder: steps(),
            citation: None,
            cases: vec![open, resolved],
        };
        let json = compilation.to_json();
        assert_eq!(json["by_level"]["1"], 1);
        assert_eq!(json["by_level"]["2"], 1);
        assert_eq!(json["by_level"]["4"], 0);
        assert_eq!(json["resolved"], 1);
        assert_eq!(json["open"], 1);
        assert_eq!(json["median_days_to_resolution"], 4.0);
        assert_eq!(json["proposals"][0], "Förtydliga kriteriet.");
        assert_eq!(json["cases"][0]["resolved"], Value::Null);
        assert!(compilation.to_pdf().starts_with(b"%PDF-"));
    }
}
