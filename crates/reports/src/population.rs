//! Inhabitants per municipality and age band (SCB via Regionfakta, `data/population.csv`).

const POPULATION: &str = include_str!("../../../data/population.csv");

/// All inhabitants of `code` on 31 December of the latest year not after `year`.
pub fn total(code: &str, year: i16) -> Option<(i16, u64)> {
    column(code, year, 3)
}

/// Inhabitants 65+ of `code` on 31 December of the latest year not after `year`, with that year.
pub fn aged_65_plus(code: &str, year: i16) -> Option<(i16, u64)> {
    column(code, year, 8)
}

fn column(code: &str, year: i16, index: usize) -> Option<(i16, u64)> {
    POPULATION
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("kommunkod"))
        .map(|l| l.split(';').collect::<Vec<_>>())
        .filter(|c| c.len() == 9 && c[0] == code)
        .filter_map(|c| Some((c[2].parse::<i16>().ok()?, c[index].parse::<u64>().ok()?)))
        .filter(|(y, _)| *y <= year)
        .max_by_key(|(y, _)| *y)
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
