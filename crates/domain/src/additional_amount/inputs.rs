//! The tilläggsbelopp's input files, read all or nothing with line-precise errors: population by
//! municipality and age (SCB), central towns and hospitals with coordinates, and skatteunderlagets
//! growth per year. The formats are documented in docs/TILLAGGSBELOPP.md.

use crate::MunicipalityCode;
use crate::additional_amount::distance::Place;
use crate::additional_amount::rules::Growth;
use crate::measurement::{Cells, RowError, all_or_nothing, for_each_line};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub const POPULATION_HEADER: &str = "kommunkod;kommun;ar_31_dec;totalt;alder_0_15;alder_16_24;alder_25_44;alder_45_64;alder_65_plus";
pub const PLACES_HEADER: &str = "kind;kommunkod;name;lat;lon;verified";
pub const GROWTH_HEADER: &str = "ar;faktor;kalla";
pub const ROAD_HEADER: &str = "kommunkod;sjukhus;km";

/// Inhabitants of one municipality on 31 December of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopulationRow {
    pub municipality: MunicipalityCode,
    pub year: i16,
    pub total: u64,
    pub aged_65_plus: u64,
}

/// Befolkning per kommun och år.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Population(pub Vec<PopulationRow>);

impl Population {
    /// The row of `code` for the latest year not after `year`.
    pub fn latest(&self, code: MunicipalityCode, year: i16) -> Option<PopulationRow> {
        self.0
            .iter()
            .filter(|r| r.municipality == code && r.year <= year)
            .max_by_key(|r| r.year)
            .copied()
    }

    /// The reference year for `codes`: the latest year not after `wanted` that has them all, or
    /// else the latest year with any (so that a calculation can name who is missing).
    pub fn reference_year(&self, codes: &[MunicipalityCode], wanted: i16) -> Option<i16> {
        let years = || self.0.iter().map(|r| r.year).filter(move |y| *y <= wanted);
        years()
            .filter(|y| {
                codes
                    .iter()
                    .all(|c| self.0.iter().any(|r| r.municipality == *c && r.year == *y))
            })
            .max()
            .or_else(|| years().max())
    }

    /// Each of `codes` with its row of exactly `year`.
    pub fn in_year(
        &self,
        codes: &[MunicipalityCode],
        year: i16,
    ) -> BTreeMap<MunicipalityCode, PopulationRow> {
        self.0
            .iter()
            .filter(|r| r.year == year && codes.contains(&r.municipality))
            .map(|r| (r.municipality, *r))
            .collect()
    }
}

/// Centralorter by municipality, and the hospitals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    pub towns: BTreeMap<MunicipalityCode, Place>,
    pub hospitals: Vec<Place>,
}

fn whole(cells: &mut Cells<'_>, column: &'static str, cell: &str) -> Option<u64> {
    let parsed = cell.parse().ok();
    if parsed.is_none() {
        cells.error(column, "ska vara ett heltal, 0 eller större");
    }
    parsed
}

pub fn parse_population(file: &str, text: &str) -> Result<Population, Vec<RowError>> {
    all_or_nothing(|rows| {
        let mut seen = BTreeMap::new();
        let mut errors = for_each_line(
            file,
            text.as_bytes(),
            POPULATION_HEADER,
            9,
            |line, c, errors| {
                let mut cells = Cells { file, line, errors };
                let municipality = cells.municipality(c[0]);
                let year = c[2]
                    .parse::<i16>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y));
                if year.is_none() {
                    cells.error("ar_31_dec", "ska vara ett årtal, t.ex. 2024");
                }
                let numbers: Vec<Option<u64>> = [
                    ("totalt", c[3]),
                    ("alder_0_15", c[4]),
                    ("alder_16_24", c[5]),
                    ("alder_25_44", c[6]),
                    ("alder_45_64", c[7]),
                    ("alder_65_plus", c[8]),
                ]
                .into_iter()
                .map(|(column, cell)| whole(&mut cells, column, cell))
                .collect();
                let (Some(municipality), Some(year)) = (municipality, year) else {
                    return;
                };
                let Some(numbers) = numbers.into_iter().collect::<Option<Vec<u64>>>() else {
                    return;
                };
                let bands: u64 = numbers[1..].iter().sum();
                if bands != numbers[0] {
                    cells.error(
                        "totalt",
                        format!("åldersgrupperna summerar till {bands}, inte {}", numbers[0]),
                    );
                    return;
                }
                if let Some(first) = seen.insert((municipality, year), line) {
                    cells.error(
                        "ar_31_dec",
                        format!("kommunen och året finns redan på rad {first}"),
                    );
                    return;
                }
                rows.push(PopulationRow {
                    municipality,
                    year,
                    total: numbers[0],
                    aged_65_plus: numbers[5],
                });
            },
        );
        if errors.is_empty() && rows.is_empty() {
            errors.push(empty(file));
        }
        errors
    })
    .map(Population)
}

fn empty(file: &str) -> RowError {
    RowError {
        file: file.to_owned(),
        line: 1,
        column: "rad",
        reason: "filen har inga rader efter rubrikraden".to_owned(),
    }
}

pub fn parse_places(file: &str, text: &str) -> Result<Places, Vec<RowError>> {
    enum Row {
        Town(MunicipalityCode, Place),
        Hospital(Place),
    }
    let rows = all_or_nothing(|rows| {
        let mut towns = BTreeMap::new();
        let mut errors = for_each_line(
            file,
            text.as_bytes(),
            PLACES_HEADER,
            6,
            |line, c, errors| {
                let mut cells = Cells { file, line, errors };
                let lat = c[3]
                    .parse::<f64>()
                    .ok()
                    .filter(|l| (-90.0..=90.0).contains(l));
                if lat.is_none() {
                    cells.error(
                        "lat",
                        "ska vara en latitud i decimalgrader med punkt, t.ex. 59.27556",
                    );
                }
                let lon = c[4]
                    .parse::<f64>()
                    .ok()
                    .filter(|l| (-180.0..=180.0).contains(l));
                if lon.is_none() {
                    cells.error(
                        "lon",
                        "ska vara en longitud i decimalgrader med punkt, t.ex. 15.225",
                    );
                }
                if c[2].is_empty() {
                    cells.error("name", "saknas");
                }
                let (Some(lat), Some(lon)) = (lat, lon) else {
                    return;
                };
                let place = Place {
                    name: c[2].to_owned(),
                    lat,
                    lon,
                };
                match c[0] {
                    "centralort" => {
                        let Some(code) = cells.municipality(c[1]) else {
                            return;
                        };
                        if let Some(first) = towns.insert(code, line) {
                            cells.error(
                                "kommunkod",
                                format!("kommunen har redan en centralort på rad {first}"),
                            );
                            return;
                        }
                        rows.push(Row::Town(code, place));
                    }
                    "sjukhus" => rows.push(Row::Hospital(place)),
                    _ => cells.error("kind", "ska vara centralort eller sjukhus"),
                }
            },
        );
        if errors.is_empty() && !rows.iter().any(|r| matches!(r, Row::Hospital(_))) {
            let mut e = empty(file);
            e.column = "kind";
            e.reason = "filen har inget sjukhus".to_owned();
            errors.push(e);
        }
        errors
    })?;
    let mut places = Places::default();
    for row in rows {
        match row {
            Row::Town(code, place) => {
                places.towns.insert(code, place);
            }
            Row::Hospital(place) => places.hospitals.push(place),
        }
    }
    Ok(places)
}

pub fn parse_growth(file: &str, text: &str) -> Result<BTreeMap<i16, Growth>, Vec<RowError>> {
    let rows = all_or_nothing(|rows| {
        let mut seen = BTreeMap::new();
        let mut errors = for_each_line(
            file,
            text.as_bytes(),
            GROWTH_HEADER,
            3,
            |line, c, errors| {
                let mut cells = Cells { file, line, errors };
                let year = c[0]
                    .parse::<i16>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y));
                if year.is_none() {
                    cells.error("ar", "ska vara ett årtal, t.ex. 2027");
                }
                let factor = c[1]
                    .parse::<Decimal>()
                    .ok()
                    .filter(|f| *f > Decimal::ZERO && *f < Decimal::TWO);
                if factor.is_none() {
                    cells.error(
                        "faktor",
                        "ska vara en faktor med punkt, t.ex. 1.036844498 för +3,68 %",
                    );
                }
                if c[2].is_empty() {
                    cells.error("kalla", "ange varifrån siffran kommer");
                }
                let (Some(year), Some(factor)) = (year, factor) else {
                    return;
                };
                if let Some(first) = seen.insert(year, line) {
                    cells.error("ar", format!("året finns redan på rad {first}"));
                    return;
                }
                rows.push((
                    year,
                    Growth {
                        factor,
                        source: c[2].to_owned(),
                    },
                ));
            },
        );
        if errors.is_empty() && rows.is_empty() {
            errors.push(empty(file));
        }
        errors
    })?;
    Ok(rows.into_iter().collect())
}

/// Vägavstånd: each central town's road distance to its nearest hospital, for
/// `distance_measure = "vag"`.
pub fn parse_road_table(
    file: &str,
    text: &str,
) -> Result<BTreeMap<MunicipalityCode, (String, Decimal)>, Vec<RowError>> {
    let rows = all_or_nothing(|rows| {
        let mut seen = BTreeMap::new();
        let mut errors = for_each_line(file, text.as_bytes(), ROAD_HEADER, 3, |line, c, errors| {
            let mut cells = Cells { file, line, errors };
            let code = cells.municipality(c[0]);
            if c[1].is_empty() {
                cells.error("sjukhus", "saknas");
            }
            let km = c[2]
                .parse::<Decimal>()
                .ok()
                .filter(|k| !k.is_sign_negative());
            if km.is_none() {
                cells.error("km", "ska vara ett avstånd i km med punkt, t.ex. 41.5");
            }
            let (Some(code), Some(km), false) = (code, km, c[1].is_empty()) else {
                return;
            };
            if let Some(first) = seen.insert(code, line) {
                cells.error("kommunkod", format!("kommunen finns redan på rad {first}"));
                return;
            }
            rows.push((code, (c[1].to_owned(), km)));
        });
        if errors.is_empty() && rows.is_empty() {
            errors.push(empty(file));
        }
        errors
    })?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_are_read() {
        let population = parse_population(
            "population.csv",
            include_str!("../../../../rules/orebro-2025/population.csv"),
        )
        .unwrap();
        let askersund = MunicipalityCode::parse("1882").unwrap();
        assert_eq!(
            population.latest(askersund, 2018).unwrap().aged_65_plus,
            3191
        );
        assert_eq!(population.latest(askersund, 2025).unwrap().year, 2023);
        let places = parse_places(
            "places.csv",
            include_str!("../../../../rules/orebro-2025/places.csv"),
        )
        .unwrap();
        assert_eq!(places.towns.len(), 12);
        assert_eq!(places.hospitals.len(), 3);
    }

    #[test]
    fn bad_lines_are_named_and_nothing_is_read() {
        let text = format!(
            "{POPULATION_HEADER}\n1882;Askersund;2024;100;10;10;10;10;60\n1882;Askersund;2024;100;10;10;10;10;60\n18x2;X;2024;1;1;0;0;0;0\n1862;Degerfors;2024;100;10;10;10;10;50\n"
        );
        let errors = parse_population("befolkning.csv", &text).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "befolkning.csv, rad 3, kolumn ar_31_dec: kommunen och året finns redan på rad 2",
                "befolkning.csv, rad 4, kolumn kommunkod: ska vara en fyrsiffrig kommunkod",
                "befolkning.csv, rad 5, kolumn totalt: åldersgrupperna summerar till 90, inte 100",
            ]
        );
        let growth =
            parse_growth("u.csv", "ar;faktor;kalla\n2027;1,03;SKR\n2028;1.03;\n").unwrap_err();
        assert_eq!(growth.len(), 2);
        assert_eq!(growth[0].column, "faktor");
        assert_eq!(growth[1].column, "kalla");
        let growth = parse_growth(
            "u.csv",
            "ar;faktor;kalla\n2027;1.036844498;SKR cirkulär 25:1\n",
        )
        .unwrap();
        assert_eq!(growth[&2027].factor.to_string(), "1.036844498");
        let places = parse_places(
            "o.csv",
            &format!("{PLACES_HEADER}\ncentralort;1882;Askersund;58.9;14.9;x\n"),
        )
        .unwrap_err();
        assert_eq!(places[0].reason, "filen har inget sjukhus");
        let road = parse_road_table(
            "v.csv",
            &format!("{ROAD_HEADER}\n1882;USÖ;49.5\n1882;USÖ;50\n1864;;-3\n"),
        )
        .unwrap_err();
        assert_eq!(road.len(), 3, "{road:?}");
        let road = parse_road_table("v.csv", &format!("{ROAD_HEADER}\n1882;USÖ;49.5\n")).unwrap();
        assert_eq!(
            road[&MunicipalityCode::parse("1882").unwrap()]
                .1
                .to_string(),
            "49.5"
        );
    }
}
