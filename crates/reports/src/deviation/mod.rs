//! The yearly statistics of deviations in collaboration, for the follow-up of "den nya
//! gemensamma modellen för avvikelser i samverkan" (*Implementering och uppföljning av
//! Överenskommelse för hälso- och sjukvård i hemmet*, 2026-05-12): per kind, status and party,
//! the time to an answer, and those Samsyn found itself; as the documented JSON, CSV, Excel and
//! PDF. No person is named.

use crate::disagreement::median;
use crate::table::{self, Table};
use jiff::civil::Date;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One deviation as the statistics count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedDeviation {
    pub id: String,
    pub kind: String,
    pub reported: Date,
    pub from_party: String,
    pub to_party: String,
    /// The status's code.
    pub status: String,
    pub answered: Option<Date>,
    /// Proposed by Samsyn from its own data.
    pub detected: bool,
}

/// A year's deviations.
#[derive(Debug, Clone)]
pub struct Statistics {
    pub year: i16,
    pub rules: String,
    /// Where the region's agreement asks for deviations to be reported, if the rule set says.
    pub citation: Option<String>,
    pub deviations: Vec<CountedDeviation>,
}

impl Statistics {
    fn count_by(&self, key: impl Fn(&CountedDeviation) -> String) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for d in &self.deviations {
            *counts.entry(key(d)).or_default() += 1;
        }
        counts
    }

    pub fn by_kind(&self) -> BTreeMap<String, usize> {
        self.count_by(|d| d.kind.clone())
    }

    pub fn by_status(&self) -> BTreeMap<String, usize> {
        self.count_by(|d| d.status.clone())
    }

    /// Per party: how many it reported and how many it received.
    pub fn by_party(&self) -> BTreeMap<String, (usize, usize)> {
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for d in &self.deviations {
            counts.entry(d.from_party.clone()).or_default().0 += 1;
            counts.entry(d.to_party.clone()).or_default().1 += 1;
        }
        counts
    }

    pub fn median_days_to_answer(&self) -> Option<f64> {
        let mut days: Vec<i64> = self
            .deviations
            .iter()
            .filter_map(|d| d.answered.map(|a| (a - d.reported).get_days().into()))
            .collect();
        median(&mut days)
    }

    /// The documented JSON shape.
    pub fn to_json(&self) -> Value {
        let by_party: serde_json::Map<String, Value> = self
            .by_party()
            .into_iter()
            .map(|(party, (reported, received))| {
                (party, json!({"reported": reported, "received": received}))
            })
            .collect();
        json!({
            "year": self.year,
            "rules": self.rules,
            "total": self.deviations.len(),
            "by_kind": self.by_kind(),
            "by_status": self.by_status(),
            "by_party": by_party,
            "detected": self.deviations.iter().filter(|d| d.detected).count(),
            "median_days_to_answer": self.median_days_to_answer(),
            "deviations": self.deviations.iter().map(|d| json!({
                "id": d.id,
                "kind": d.kind,
                "reported": d.reported.to_string(),
                "from_party": d.from_party,
                "to_party": d.to_party,
                "status": d.status,
                "answered": d.answered.map(|a| a.to_string()),
                "detected": d.detected,
            })).collect::<Vec<_>>(),
        })
    }

    pub fn tables(&self) -> Vec<Table> {
        let counts = |title: &str, heading: &str, counts: BTreeMap<String, usize>| Table {
            title: title.into(),
            headers: vec![heading.into(), "Antal".into()],
            rows: counts
                .into_iter()
                .map(|(k, n)| vec![k, n.to_string()])
                .collect(),
        };
        vec![
            Table {
                title: "Avvikelser".into(),
                headers: [
                    "Avvikelse",
                    "Slag",
                    "Rapporterad",
                    "Från",
                    "Till",
                    "Status",
                    "Besvarad",
                    "Upptäckt av Samsyn",
                ]
                .map(String::from)
                .to_vec(),
                rows: self
                    .deviations
                    .iter()
                    .map(|d| {
                        vec![
                            d.id.clone(),
                            d.kind.clone(),
                            d.reported.to_string(),
                            d.from_party.clone(),
                            d.to_party.clone(),
                            d.status.clone(),
                            d.answered.map(|a| a.to_string()).unwrap_or_default(),
                            if d.detected { "Ja" } else { "Nej" }.into(),
                        ]
                    })
                    .collect(),
            },
            counts("Per slag", "Slag", self.by_kind()),
            counts("Per status", "Status", self.by_status()),
            Table {
                title: "Per part".into(),
                headers: ["Part", "Rapporterade", "Mottagna"]
                    .map(String::from)
                    .to_vec(),
                rows: self
                    .by_party()
                    .into_iter()
                    .map(|(p, (from, to))| vec![p, from.to_string(), to.to_string()])
                    .collect(),
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
        let median = table::days(self.median_days_to_answer());
        table::to_pdf(
            &format!("Avvikelser i samverkan {}", self.year),
            &format!("Regelverk {}.", self.rules),
            &[format!(
                "{} avvikelser, varav {} upptäckta av Samsyn. Median till svar: {median} dagar.",
                self.deviations.len(),
                self.deviations.iter().filter(|d| d.detected).count()
            )]
            .into_iter()
            .chain(self.citation.iter().map(|c| format!("Källa: {c}.")))
            .collect::<Vec<_>>(),
            &self.tables(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_statistics_count_kinds_statuses_parties_and_answer_days() {
        let deviation = |id: &str, status: &str, answered: Option<Date>| CountedDeviation {
            id: id.into(),
            kind: "kvittens-sen".into(),
            reported: date(2026, 4, 1),
            from_party: "Region Örebro län".into(),
            to_party: "Kumla kommun".into(),
            status: status.into(),
            answered,
            detected: id == "b",
        };
        let stats = Statistics {
            citation: None,
            year: 2026,
            rules: "orebro-2025@1".into(),
            deviations: vec![
                deviation("a", "besvarad", Some(date(2026, 4, 8))),
                deviation("b", "rapporterad", None),
            ],
        };
        let json = stats.to_json();
        assert_eq!(json["total"], 2);
        assert_eq!(json["by_kind"]["kvittens-sen"], 2);
        assert_eq!(json["by_status"]["besvarad"], 1);
        assert_eq!(json["by_party"]["Kumla kommun"]["received"], 2);
        assert_eq!(json["median_days_to_answer"], 7.0);
        assert_eq!(json["detected"], 1);
        assert!(stats.to_xlsx().unwrap().starts_with(b"PK"));
    }
}
