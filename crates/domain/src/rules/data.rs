//! Regionens indata: the public data files a rule set names in its `[data]` table and ships
//! beside it — inhabitants by municipality and age (SCB), central towns and hospitals, published
//! outcomes of earlier measurements, a published category-4 history, and published follow-up
//! plans. They are read when the rule set is loaded, so every region's figures come from its own
//! files and none from the code. Each is optional: a region without a file imports it instead,
//! or the page says what is missing.

use super::error::invalid;
use crate::additional_amount::inputs::{Places, Population, parse_places, parse_population};
use crate::follow_up::plan::{PlannedMethod, published};
use crate::measurement::RowError;
use crate::{MunicipalityCode, RuleSetError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Reads a file the rule set names, by its path relative to the rule set: the caller decides
/// where files live (a folder on disk, or the files built into the binary).
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// The region's shipped data, each part with the source pages name it by.
#[derive(Debug, Clone, Default)]
pub struct RegionData {
    pub population: Population,
    pub population_source: Option<String>,
    pub places: Places,
    pub places_source: Option<String>,
    /// Published outcomes of measurements made before Samsyn (or outside it), oldest first.
    pub published_measurements: Vec<PublishedMeasurement>,
    pub category4_history: Option<Category4History>,
    /// Published yearly follow-up plans, as carried out.
    pub follow_up_plans: Vec<PublishedPlan>,
}

impl RegionData {
    /// Inhabitants 65+ of `code` on 31 December of the latest year not after `year`, with that
    /// year.
    pub fn aged_65_plus(&self, code: MunicipalityCode, year: i16) -> Option<(i16, u64)> {
        self.population
            .latest(code, year)
            .map(|r| (r.year, r.aged_65_plus))
    }

    /// All inhabitants of `code` on 31 December of the latest year not after `year`.
    pub fn inhabitants(&self, code: MunicipalityCode, year: i16) -> Option<(i16, u64)> {
        self.population
            .latest(code, year)
            .map(|r| (r.year, r.total))
    }

    /// The published outcome of the measurement of `period` (`ÅÅÅÅ-MM`), if the region ships one.
    pub fn published_measurement(&self, period: &str) -> Option<&PublishedMeasurement> {
        self.published_measurements
            .iter()
            .find(|m| m.period == period)
    }

    /// The published plan of `year`, if the region ships one.
    pub fn follow_up_plan(&self, year: i16) -> Option<&PublishedPlan> {
        self.follow_up_plans.iter().find(|p| p.year == year)
    }
}

/// A year's follow-up plan as published, with where it was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPlan {
    pub year: i16,
    pub source: String,
    pub methods: Vec<PlannedMethod>,
}

/// A measurement's published outcome: patients per category (1, 2a, 2b, 3, 4, 5) by
/// municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedMeasurement {
    pub period: String,
    pub source: String,
    pub counts: BTreeMap<MunicipalityCode, [u64; 6]>,
}

/// A published table of category-4 (advanced) patients: the outcome of a base year for the
/// municipalities measured then, the projections made from it, and a later outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category4History {
    pub base_year: i16,
    pub outcome_year: i16,
    /// The yearly shift the second projection assumes, as written (e.g. "5").
    pub shift_percent: String,
    pub source: String,
    pub rows: Vec<Category4Row>,
    /// The published county row (the base year extrapolated to every municipality).
    pub county: Option<Category4Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category4Row {
    pub municipality: Option<MunicipalityCode>,
    pub name: String,
    pub base_outcome: u64,
    pub projection: u64,
    pub projection_with_shift: u64,
    pub outcome: u64,
}

pub const PUBLISHED_MEASUREMENT_HEADER: &str = "kommunkod;kommun;k1;k2a;k2b;k3;k4;k5;totalt";
pub const CATEGORY4_HISTORY_HEADER: &str =
    "kommunkod;kommun;utfall_bas;prognos;prognos_forskjutning;utfall";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawData {
    population: Option<RawFile>,
    places: Option<RawFile>,
    #[serde(default)]
    published_measurements: Vec<RawPublished>,
    category4_history: Option<RawHistory>,
    #[serde(default)]
    follow_up_plans: Vec<RawFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    file: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublished {
    period: String,
    file: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    file: String,
    source: String,
    base_year: i16,
    outcome_year: i16,
    shift_percent: String,
}

impl RawData {
    /// Reads and checks every named file; an error names the key and, for a bad line, the file,
    /// line and column.
    pub(crate) fn load(
        self,
        read: ReadFile<'_>,
        municipalities: &[MunicipalityCode],
    ) -> Result<RegionData, RuleSetError> {
        let mut data = RegionData::default();
        if let Some(f) = self.population {
            let text = fetch(read, "data.population.file", &f.file)?;
            data.population = parse_population(&f.file, &text)
                .map_err(|e| rows_invalid("data.population.file", &e))?;
            data.population_source = Some(f.source);
        }
        if let Some(f) = self.places {
            let text = fetch(read, "data.places.file", &f.file)?;
            data.places =
                parse_places(&f.file, &text).map_err(|e| rows_invalid("data.places.file", &e))?;
            data.places_source = Some(f.source);
        }
        for (i, m) in self.published_measurements.into_iter().enumerate() {
            let key = format!("data.published_measurements[{i}]");
            if crate::measurement::Period::month(&m.period).is_none() {
                return Err(invalid(
                    format!("{key}.period"),
                    "måste vara en månad ÅÅÅÅ-MM",
                ));
            }
            let text = fetch(read, &format!("{key}.file"), &m.file)?;
            let counts = published_counts(&m.file, &text, municipalities)
                .map_err(|e| invalid(format!("{key}.file"), e))?;
            data.published_measurements.push(PublishedMeasurement {
                period: m.period,
                source: m.source,
                counts,
            });
        }
        data.published_measurements
            .sort_by(|a, b| a.period.cmp(&b.period));
        if let Some(h) = self.category4_history {
            let text = fetch(read, "data.category4_history.file", &h.file)?;
            let (rows, county) = history_rows(&h.file, &text, municipalities)
                .map_err(|e| invalid("data.category4_history.file", e))?;
            if h.outcome_year <= h.base_year {
                return Err(invalid(
                    "data.category4_history.outcome_year",
                    "måste vara senare än base_year",
                ));
            }
            data.category4_history = Some(Category4History {
                base_year: h.base_year,
                outcome_year: h.outcome_year,
                shift_percent: h.shift_percent,
                source: h.source,
                rows,
                county,
            });
        }
        for (i, f) in self.follow_up_plans.into_iter().enumerate() {
            let key = format!("data.follow_up_plans[{i}].file");
            let text = fetch(read, &key, &f.file)?;
            let methods =
                published(&text).map_err(|e| invalid(&key, format!("{}: {e}", f.file)))?;
            for (year, method) in methods {
                if let Some(plan) = data.follow_up_plans.iter_mut().find(|p| p.year == year) {
                    plan.methods.push(method);
                } else {
                    data.follow_up_plans.push(PublishedPlan {
                        year,
                        source: f.source.clone(),
                        methods: vec![method],
                    });
                }
            }
        }
        Ok(data)
    }
}

fn fetch(read: ReadFile<'_>, key: &str, file: &str) -> Result<String, RuleSetError> {
    read(file).map_err(|e| invalid(key, format!("kunde inte läsa {file}: {e}")))
}

fn rows_invalid(key: &str, errors: &[RowError]) -> RuleSetError {
    let shown: Vec<String> = errors.iter().take(5).map(|e| e.to_string()).collect();
    invalid(key, format!("har fel: {}", shown.join("; ")))
}

/// The data lines of a `;`-separated file after its header, with their line numbers.
fn data_lines<'t>(
    file: &str,
    text: &'t str,
    header: &str,
) -> Result<Vec<(usize, Vec<&'t str>)>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    match lines.next() {
        Some((_, first)) if first.trim() == header => {}
        _ => return Err(format!("{file}: rubrikraden ska vara {header}")),
    }
    Ok(lines
        .map(|(n, l)| (n + 1, l.trim_end_matches('\r').split(';').collect()))
        .collect())
}

fn number(file: &str, line: usize, column: &str, cell: &str) -> Result<u64, String> {
    cell.trim().parse().map_err(|_| {
        format!("{file}, rad {line}, kolumn {column}: ska vara ett heltal, 0 eller större")
    })
}

fn party(
    file: &str,
    line: usize,
    cell: &str,
    municipalities: &[MunicipalityCode],
) -> Result<MunicipalityCode, String> {
    MunicipalityCode::parse(cell)
        .filter(|c| municipalities.contains(c))
        .ok_or_else(|| {
            format!(
                "{file}, rad {line}, kolumn kommunkod: \"{cell}\" är ingen av regelverkets kommuner"
            )
        })
}

fn published_counts(
    file: &str,
    text: &str,
    municipalities: &[MunicipalityCode],
) -> Result<BTreeMap<MunicipalityCode, [u64; 6]>, String> {
    const COLUMNS: [&str; 6] = ["k1", "k2a", "k2b", "k3", "k4", "k5"];
    let mut out = BTreeMap::new();
    for (line, cells) in data_lines(file, text, PUBLISHED_MEASUREMENT_HEADER)? {
        if cells.len() != 9 {
            return Err(format!("{file}, rad {line}: ska ha nio fält"));
        }
        let code = party(file, line, cells[0], municipalities)?;
        let mut counts = [0u64; 6];
        for (i, slot) in counts.iter_mut().enumerate() {
            *slot = number(file, line, COLUMNS[i], cells[2 + i])?;
        }
        let total = number(file, line, "totalt", cells[8])?;
        if counts.iter().sum::<u64>() != total {
            return Err(format!(
                "{file}, rad {line}, kolumn totalt: kategorierna summerar till {}, inte {total}",
                counts.iter().sum::<u64>()
            ));
        }
        if out.insert(code, counts).is_some() {
            return Err(format!(
                "{file}, rad {line}, kolumn kommunkod: {code} finns redan"
            ));
        }
    }
    Ok(out)
}

type HistoryRows = (Vec<Category4Row>, Option<Category4Row>);

fn history_rows(
    file: &str,
    text: &str,
    municipalities: &[MunicipalityCode],
) -> Result<HistoryRows, String> {
    let (mut rows, mut county) = (Vec::new(), None);
    for (line, cells) in data_lines(file, text, CATEGORY4_HISTORY_HEADER)? {
        if cells.len() != 6 {
            return Err(format!("{file}, rad {line}: ska ha sex fält"));
        }
        let n = |i: usize, column: &str| number(file, line, column, cells[i]);
        let municipality = if cells[0].trim().is_empty() {
            None
        } else {
            Some(party(file, line, cells[0], municipalities)?)
        };
        let row = Category4Row {
            municipality,
            name: cells[1].trim().to_owned(),
            base_outcome: n(2, "utfall_bas")?,
            projection: n(3, "prognos")?,
            projection_with_shift: n(4, "prognos_forskjutning")?,
            outcome: n(5, "utfall")?,
        };
        match row.municipality {
            Some(_) => rows.push(row),
            None if county.is_none() => county = Some(row),
            None => {
                return Err(format!(
                    "{file}, rad {line}, kolumn kommunkod: bara en rad får sakna kommunkod (länet)"
                ));
            }
        }
    }
    Ok((rows, county))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Vec<MunicipalityCode> {
        ["1880", "1881"]
            .iter()
            .filter_map(|c| MunicipalityCode::parse(c))
            .collect()
    }

    #[test]
    fn a_published_measurement_must_add_up_and_name_parties() {
        let good = format!("# note\n{PUBLISHED_MEASUREMENT_HEADER}\n1880;Örebro;1;2;3;4;5;6;21\n");
        let counts = published_counts("m.csv", &good, &codes()).unwrap();
        assert_eq!(counts.values().next(), Some(&[1, 2, 3, 4, 5, 6]));
        let off = format!("{PUBLISHED_MEASUREMENT_HEADER}\n1880;Örebro;1;2;3;4;5;6;20\n");
        let e = published_counts("m.csv", &off, &codes()).unwrap_err();
        assert!(e.contains("rad 2, kolumn totalt"), "{e}");
        let stranger = format!("{PUBLISHED_MEASUREMENT_HEADER}\n0180;Stockholm;1;2;3;4;5;6;21\n");
        let e = published_counts("m.csv", &stranger, &codes()).unwrap_err();
        assert!(e.contains("ingen av regelverkets kommuner"), "{e}");
    }

    #[test]
    fn a_history_has_at_most_one_county_row() {
        let text = format!("{CATEGORY4_HISTORY_HEADER}\n1880;Örebro;1;2;3;4\n;länet;5;6;7;8\n");
        let (rows, county) = history_rows("h.csv", &text, &codes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(county.map(|c| c.base_outcome), Some(5));
        let two = format!("{text};igen;1;1;1;1\n");
        assert!(history_rows("h.csv", &two, &codes()).is_err());
    }
}
