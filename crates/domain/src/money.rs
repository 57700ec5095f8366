//! Exact Swedish kronor. Floats never touch money.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::ops::{Add, Sub};

/// A decimal as Swedes write it, with a decimal comma (a point also works).
pub fn decimal_comma(text: &str) -> Option<Decimal> {
    text.replace(',', ".").parse().ok()
}

/// An amount in Swedish kronor (SEK), exact to any number of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Sek(Decimal);

impl Sek {
    pub const ZERO: Sek = Sek(Decimal::ZERO);

    pub fn new(amount: Decimal) -> Self {
        Sek(amount)
    }

    /// From öre, the unit the store keeps money in.
    pub fn from_ore(ore: i64) -> Self {
        Sek(Decimal::new(ore, 2))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// Rounded to whole kronor, half away from zero (the rule the published pots follow).
    pub fn round_to_krona(self) -> Sek {
        Sek(self
            .0
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
    }

    /// Whole öre, rounded half away from zero; `None` when out of range.
    pub fn to_ore(self) -> Option<i64> {
        let ore = (self.0 * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(ore).ok()
    }
}

impl Add for Sek {
    type Output = Sek;
    fn add(self, rhs: Sek) -> Sek {
        Sek(self.0 + rhs.0)
    }
}

impl Sub for Sek {
    type Output = Sek;
    fn sub(self, rhs: Sek) -> Sek {
        Sek(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Sek {
    fn sum<I: Iterator<Item = Sek>>(iter: I) -> Sek {
        iter.fold(Sek::ZERO, Add::add)
    }
}

/// Swedish form: space as thousands separator, comma as decimal sign, `kr` suffix.
impl fmt::Display for Sek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.normalize().to_string();
        let (sign, unsigned) = text
            .strip_prefix('-')
            .map_or(("", text.as_str()), |t| ("-", t));
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        if fraction.is_empty() {
            write!(f, "{sign}{grouped} kr")
        } else {
            write!(f, "{sign}{grouped},{fraction} kr")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_swedish() {
        assert_eq!(
            Sek::from_ore(2_162_627_700).to_string(),
            "21\u{a0}626\u{a0}277 kr"
        );
        assert_eq!(Sek::from_ore(-41).to_string(), "-0,41 kr");
    }

    #[test]
    fn rounds_half_away_from_zero_exactly() {
        assert_eq!(Sek::from_ore(150).round_to_krona(), Sek::from_ore(200));
        assert_eq!(Sek::from_ore(-150).round_to_krona(), Sek::from_ore(-200));
        assert_eq!(Sek::from_ore(149).round_to_krona(), Sek::from_ore(100));
        let parts = [Sek::from_ore(10), Sek::from_ore(20)];
        assert_eq!(parts.into_iter().sum::<Sek>().to_ore(), Some(30));
    }
}
