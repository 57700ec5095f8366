//! Inhabitants per municipality and age band (SCB via Regionfakta, `data/population.csv`).

use samsyn_domain::MunicipalityCode;
use samsyn_domain::additional_amount::inputs::{PopulationRow, parse_population};

const POPULATION: &str = include_str!("../../../data/population.csv");

/// All inhabitants of `code` on 31 December of the latest year not after `year`.
pub fn total(code: &str, year: i16) -> Option<(i16, u64)> {
    latest(code, year).map(|r| (r.year, r.total))
}

/// Inhabitants 65+ of `code` on 31 December of the latest year not after `year`, with that year.
pub fn aged_65_plus(code: &str, year: i16) -> Option<(i16, u64)> {
    latest(code, year).map(|r| (r.year, r.aged_65_plus))
}

fn latest(code: &str, year: i16) -> Option<PopulationRow> {
    parse_population("population.csv", POPULATION)
        .ok()?
        .latest(MunicipalityCode::parse(code)?, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_published_figures() {
        assert_eq!(aged_65_plus("1882", 2018), Some((2018, 3191)));
        assert_eq!(aged_65_plus("1882", 2025).map(|(y, _)| y), Some(2023));
        assert_eq!(aged_65_plus("9999", 2025), None);
    }
}
