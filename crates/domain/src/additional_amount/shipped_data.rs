//! The shipped public data (`data/`), read for tests of the rules that use it.

use crate::MunicipalityCode;
use crate::additional_amount::distance::Place;
use crate::additional_amount::inputs::{parse_places, parse_population};
use std::collections::BTreeMap;

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(';').collect())
}

pub fn code(text: &str) -> MunicipalityCode {
    MunicipalityCode::parse(text).unwrap()
}

/// Inhabitants 65+ on 31 December `year`, SCB.
pub fn elderly(year: &str) -> BTreeMap<MunicipalityCode, u64> {
    let year: i16 = year.parse().unwrap();
    parse_population(
        "population.csv",
        include_str!("../../../../rules/orebro-2025/population.csv"),
    )
    .unwrap()
    .0
    .into_iter()
    .filter(|r| r.year == year)
    .map(|r| (r.municipality, r.aged_65_plus))
    .collect()
}

/// Category-4 patients of the published October 2025 measurement.
pub fn category_4_2025() -> BTreeMap<MunicipalityCode, u64> {
    rows(include_str!(
        "../../../../rules/orebro-2025/measurement_2025.csv"
    ))
    .map(|c| (code(c[0]), c[6].parse().unwrap()))
    .collect()
}

/// The central towns by municipality, and the hospitals.
pub fn places() -> (BTreeMap<MunicipalityCode, Place>, Vec<Place>) {
    let places = parse_places(
        "places.csv",
        include_str!("../../../../rules/orebro-2025/places.csv"),
    )
    .unwrap();
    (places.towns, places.hospitals)
}
