//! The category-4 development table: 2022 outcome (five municipalities) → projection 2025 →
//! projection with the yearly shift → outcome, as published, beside what Samsyn measures now, and
//! the 2022 figure extrapolated to the county by inhabitants 65+.

use crate::population::aged_65_plus;
use rust_decimal::{Decimal, RoundingStrategy};

const CATEGORY4: &str = include_str!("../../../../data/category4_2022.csv");

pub struct Row {
    pub code: String,
    pub name: String,
    pub outcome_2022: u64,
    pub projection_2025: u64,
    pub projection_with_shift: u64,
    pub outcome_2025: u64,
}

/// The published rows (the five municipalities measured in 2022), and the published county row.
pub fn published() -> (Vec<Row>, Option<Row>) {
    let mut rows = Vec::new();
    let mut county = None;
    for line in CATEGORY4
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("kommunkod"))
    {
        let c: Vec<&str> = line.split(';').collect();
        if c.len() != 6 {
            continue;
        }
        let n = |i: usize| c[i].parse::<u64>().unwrap_or(0);
        let row = Row {
            code: c[0].to_owned(),
            name: c[1].to_owned(),
            outcome_2022: n(2),
            projection_2025: n(3),
            projection_with_shift: n(4),
            outcome_2025: n(5),
        };
        if row.code.is_empty() {
            county = Some(row)
        } else {
            rows.push(row)
        }
    }
    (rows, county)
}

/// The five municipalities' 2022 total scaled to the county by inhabitants 65+ (31 Dec 2022),
/// one decimal. The published figure is 86; by 65+ it comes to about 82.9.
pub fn extrapolated_2022(county_codes: &[String]) -> Option<String> {
    let (rows, _) = published();
    let measured: u64 = rows.iter().map(|r| r.outcome_2022).sum();
    let five: u64 = rows
        .iter()
        .filter_map(|r| aged_65_plus(&r.code, 2022).map(|(_, n)| n))
        .sum();
    let all: u64 = county_codes
        .iter()
        .filter_map(|c| aged_65_plus(c, 2022).map(|(_, n)| n))
        .sum();
    if five == 0 {
        return None;
    }
    let value = (Decimal::from(measured) * Decimal::from(all) / Decimal::from(five))
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    Some(format!("{value:.1}").replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_rows_and_the_extrapolation_by_65_plus() {
        let (rows, county) = published();
        assert_eq!(rows.iter().map(|r| r.outcome_2022).sum::<u64>(), 61);
        assert_eq!(county.map(|c| c.outcome_2022), Some(86));
        let codes: Vec<String> = [
            "1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883", "1884",
            "1885",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect();
        assert_eq!(extrapolated_2022(&codes).as_deref(), Some("82,9"));
    }
}
