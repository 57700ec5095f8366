//! The category-4 development table, where the region ships a published history
//! (`[data] category4_history`): the base year's outcome for the municipalities measured then →
//! projection → projection with the yearly shift → a later outcome, beside what Samsyn measures
//! now, and the base year's figure extrapolated to the county by inhabitants 65+.

use rust_decimal::{Decimal, RoundingStrategy};
use samsyn_domain::MunicipalityCode;
use samsyn_domain::rules::RegionData;

/// The base year's total over the municipalities measured then, scaled to `county` by
/// inhabitants 65+ on 31 December of the base year, one decimal; none without a history or
/// population.
pub fn extrapolated(data: &RegionData, county: &[MunicipalityCode]) -> Option<String> {
    let history = data.category4_history.as_ref()?;
    let elderly = |code: MunicipalityCode| {
        data.aged_65_plus(code, history.base_year)
            .map(|(_, n)| n)
            .unwrap_or(0)
    };
    let measured: u64 = history.rows.iter().map(|r| r.base_outcome).sum();
    let sampled: u64 = history
        .rows
        .iter()
        .filter_map(|r| r.municipality)
        .map(elderly)
        .sum();
    let all: u64 = county.iter().copied().map(elderly).sum();
    if sampled == 0 {
        return None;
    }
    let value = (Decimal::from(measured) * Decimal::from(all) / Decimal::from(sampled))
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    Some(format!("{value:.1}").replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_history_extrapolated_by_65_plus() {
        let rules = samsyn_testkit::shipped_rules();
        let codes: Vec<MunicipalityCode> = rules.municipalities.iter().map(|m| m.code).collect();
        // The published extrapolation is 86; by inhabitants 65+ it comes to about 82.9.
        assert_eq!(extrapolated(&rules.data, &codes).as_deref(), Some("82,9"));
        let mut without = rules.data.clone();
        without.category4_history = None;
        assert_eq!(extrapolated(&without, &codes), None);
    }
}
