//! Kompensation för avstånd: which municipalities' central towns lie more than the threshold
//! (35 km in Örebro) from the nearest hospital.
//!
//! Distances are kept to one decimal of a kilometre, and the decision compares that same figure,
//! so what the page shows is what decided.

use crate::MunicipalityCode;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A named point (WGS84 degrees).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// How the distance is measured: the parties choose.
#[derive(Debug, Clone, PartialEq)]
pub enum DistanceKind {
    /// Fågelvägen: great-circle distance between the coordinates.
    StraightLine,
    /// Vägavstånd: a table of km from each central town to its nearest hospital, given as data.
    Road(BTreeMap<MunicipalityCode, (String, Decimal)>),
}

/// A decision that overrides the computed eligibility, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub eligible: bool,
    pub reason: String,
}

/// One municipality's distance and whether it is in the pot.
#[derive(Debug, Clone, PartialEq)]
pub struct Eligibility {
    pub municipality: MunicipalityCode,
    pub town: String,
    pub nearest_hospital: String,
    /// Kilometres, one decimal; `None` when a road table lacks the town.
    pub km: Option<Decimal>,
    /// `km` above the threshold.
    pub computed: bool,
    pub overridden: Option<Override>,
}

impl Eligibility {
    /// In the pot: the override when there is one, else the computation.
    pub fn eligible(&self) -> bool {
        self.overridden
            .as_ref()
            .map_or(self.computed, |o| o.eligible)
    }
}

/// Great-circle distance in kilometres (haversine, mean earth radius).
pub fn straight_line_km(a: &Place, b: &Place) -> f64 {
    const EARTH_KM: f64 = 6371.0088;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let (dla, dlo) = ((b.lat - a.lat).to_radians(), (b.lon - a.lon).to_radians());
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * EARTH_KM * h.sqrt().asin()
}

fn one_decimal(km: f64) -> Option<Decimal> {
    Decimal::from_f64_retain(km).map(|d| d.round_dp(1))
}

/// Eligibility of every central town, ordered by municipality code.
pub fn eligibility(
    towns: &BTreeMap<MunicipalityCode, Place>,
    hospitals: &[Place],
    kind: &DistanceKind,
    threshold_km: Decimal,
    overrides: &BTreeMap<MunicipalityCode, Override>,
) -> Vec<Eligibility> {
    towns
        .iter()
        .map(|(code, town)| {
            let (nearest_hospital, km) = match kind {
                DistanceKind::StraightLine => hospitals
                    .iter()
                    .map(|h| (h.name.clone(), straight_line_km(town, h)))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map_or((String::new(), None), |(name, km)| (name, one_decimal(km))),
                DistanceKind::Road(table) => {
                    table.get(code).map_or((String::new(), None), |(name, km)| {
                        (name.clone(), Some(km.round_dp(1)))
                    })
                }
            };
            Eligibility {
                municipality: *code,
                town: town.name.clone(),
                nearest_hospital,
                computed: km.is_some_and(|km| km > threshold_km),
                km,
                overridden: overrides.get(code).cloned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::additional_amount::shipped_data::places;

    fn eligible_codes(rows: &[Eligibility]) -> Vec<String> {
        rows.iter()
            .filter(|e| e.eligible())
            .map(|e| e.municipality.to_string())
            .collect()
    }

    #[test]
    fn straight_line_over_35_km_is_askersund_hallefors_and_laxa() {
        let (towns, hospitals) = places();
        let rows = eligibility(
            &towns,
            &hospitals,
            &DistanceKind::StraightLine,
            Decimal::from(35),
            &BTreeMap::new(),
        );
        assert_eq!(eligible_codes(&rows), ["1860", "1863", "1882"]);
        let askersund = rows.iter().find(|e| e.town == "Askersund").unwrap();
        assert_eq!(
            askersund.nearest_hospital,
            "Universitetssjukhuset Örebro (USÖ)"
        );
        assert_eq!(askersund.km, Some(Decimal::new(474, 1)));
        let orebro = rows.iter().find(|e| e.town == "Örebro").unwrap();
        assert!(orebro.km.unwrap() < Decimal::from(2));
    }

    #[test]
    fn a_road_table_and_an_override_decide_instead() {
        let (towns, hospitals) = places();
        let kopparberg = MunicipalityCode::parse("1864").unwrap();
        let road = DistanceKind::Road(BTreeMap::from([(
            kopparberg,
            ("Lindesbergs lasarett".to_owned(), Decimal::new(361, 1)),
        )]));
        let overrides = BTreeMap::from([(
            MunicipalityCode::parse("1882").unwrap(),
            Override {
                eligible: false,
                reason: "Beslut i politiska samverkansberedningen".into(),
            },
        )]);
        let rows = eligibility(&towns, &hospitals, &road, Decimal::from(35), &overrides);
        assert_eq!(eligible_codes(&rows), ["1864"]);
        let laxa = rows.iter().find(|e| e.town == "Laxå").unwrap();
        assert_eq!(
            laxa.km, None,
            "not in the road table: not computed as eligible"
        );
        let askersund = rows.iter().find(|e| e.town == "Askersund").unwrap();
        assert!(!askersund.eligible() && askersund.overridden.is_some());
    }

    #[test]
    fn exactly_the_threshold_is_not_more_than_it() {
        let here = Place {
            name: "A".into(),
            lat: 59.0,
            lon: 15.0,
        };
        let code = MunicipalityCode::parse("1880").unwrap();
        let towns = BTreeMap::from([(code, here)]);
        let table = |km| {
            DistanceKind::Road(BTreeMap::from([(
                code,
                ("S".to_owned(), Decimal::new(km, 1)),
            )]))
        };
        let at = eligibility(
            &towns,
            &[],
            &table(350),
            Decimal::from(35),
            &BTreeMap::new(),
        );
        let above = eligibility(
            &towns,
            &[],
            &table(351),
            Decimal::from(35),
            &BTreeMap::new(),
        );
        assert!(!at[0].eligible());
        assert!(above[0].eligible());
    }
}
