//! The shipped public data (`data/`), read for tests of the rules that use it.

use crate::MunicipalityCode;
use crate::distance::Place;
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
    rows(include_str!("../../../data/population.csv"))
        .filter(|c| c[2] == year)
        .map(|c| (code(c[0]), c[8].parse().unwrap()))
        .collect()
}

/// Category-4 patients of the published October 2025 measurement.
pub fn category_4_2025() -> BTreeMap<MunicipalityCode, u64> {
    rows(include_str!("../../../data/measurement_2025.csv"))
        .map(|c| (code(c[0]), c[6].parse().unwrap()))
        .collect()
}

/// The central towns by municipality, and the hospitals.
pub fn places() -> (BTreeMap<MunicipalityCode, Place>, Vec<Place>) {
    let mut towns = BTreeMap::new();
    let mut hospitals = Vec::new();
    for c in rows(include_str!("../../../data/places.csv")) {
        let place = Place {
            name: c[2].to_owned(),
            lat: c[3].parse().unwrap(),
            lon: c[4].parse().unwrap(),
        };
        if c[0] == "centralort" {
            towns.insert(code(c[1]), place);
        } else {
            hospitals.push(place);
        }
    }
    (towns, hospitals)
}
