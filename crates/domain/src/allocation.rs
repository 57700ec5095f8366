//! Fördelning: dividing a whole-krona pot among municipalities by a key, to the krona.
//!
//! The largest-remainder method: every municipality first gets its exact share rounded down, and
//! the kronor left over go one each to the largest fractions. The amounts are never negative, sum
//! exactly to the pot, never give a larger key less, and do not depend on the order of the input.

use crate::MunicipalityCode;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// One municipality's part of a pot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub municipality: MunicipalityCode,
    /// Fördelningsnyckel: e.g. the municipality's inhabitants 65+.
    pub key: Decimal,
    /// pot × key / sum of keys, unrounded.
    pub exact: Decimal,
    /// Whole kronor paid.
    pub amount: Decimal,
}

impl Share {
    /// Avrundning: what rounding added (positive) or took away (negative), in kronor.
    pub fn rounding(&self) -> Decimal {
        self.amount - self.exact
    }
}

/// Why a pot cannot be divided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationError {
    /// The pot must be whole, non-negative kronor.
    PotNotWholeKronor,
    /// A key below zero.
    NegativeKey(MunicipalityCode),
    /// The same municipality twice.
    DuplicateMunicipality(MunicipalityCode),
    /// Every key is zero (or there are none) but the pot is not.
    NoKey,
}

impl std::fmt::Display for AllocationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AllocationError::PotNotWholeKronor => {
                write!(f, "potten ska vara hela kronor och inte negativ")
            }
            AllocationError::NegativeKey(code) => {
                write!(f, "fördelningsnyckeln för {code} är negativ")
            }
            AllocationError::DuplicateMunicipality(code) => {
                write!(f, "kommunen {code} finns två gånger i fördelningen")
            }
            AllocationError::NoKey => write!(
                f,
                "fördelningsnyckeln är noll för alla kommuner, så potten kan inte fördelas"
            ),
        }
    }
}

impl std::error::Error for AllocationError {}

/// Divides `pot` (whole kronor) by `keys`; the result is ordered by municipality code.
pub fn largest_remainder(
    pot: Decimal,
    keys: &[(MunicipalityCode, Decimal)],
) -> Result<Vec<Share>, AllocationError> {
    if pot.is_sign_negative() || pot.fract() != Decimal::ZERO {
        return Err(AllocationError::PotNotWholeKronor);
    }
    let mut keys = keys.to_vec();
    keys.sort_by_key(|(code, _)| *code);
    if let Some(pair) = keys.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(AllocationError::DuplicateMunicipality(pair[0].0));
    }
    if let Some((code, _)) = keys.iter().find(|(_, key)| key.is_sign_negative()) {
        return Err(AllocationError::NegativeKey(*code));
    }
    let total: Decimal = keys.iter().map(|(_, key)| *key).sum();
    if total.is_zero() {
        return if pot.is_zero() {
            Ok(keys
                .into_iter()
                .map(|(municipality, key)| Share {
                    municipality,
                    key,
                    exact: Decimal::ZERO,
                    amount: Decimal::ZERO,
                })
                .collect())
        } else {
            Err(AllocationError::NoKey)
        };
    }
    let mut shares: Vec<Share> = keys
        .into_iter()
        .map(|(municipality, key)| {
            let exact = pot * key / total;
            Share {
                municipality,
                key,
                exact,
                amount: exact.floor(),
            }
        })
        .collect();
    let left: Decimal = pot - shares.iter().map(|s| s.amount).sum::<Decimal>();
    // Largest fraction first; a larger key breaks a tie (so it never gets less), then the code.
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| {
        let (a, b) = (&shares[*a], &shares[*b]);
        b.exact
            .fract()
            .cmp(&a.exact.fract())
            .then(b.key.cmp(&a.key))
            .then(a.municipality.cmp(&b.municipality))
    });
    let extra = left.to_usize().unwrap_or(0);
    for index in order.into_iter().take(extra) {
        shares[index].amount += Decimal::ONE;
    }
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CODES: [&str; 12] = [
        "1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883", "1884",
        "1885",
    ];

    fn code(i: usize) -> MunicipalityCode {
        MunicipalityCode::parse(CODES[i]).unwrap()
    }

    fn keys(values: &[u64]) -> Vec<(MunicipalityCode, Decimal)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (code(i), Decimal::from(*v)))
            .collect()
    }

    #[test]
    fn three_equal_keys_share_ten_kronor_as_four_three_three() {
        let shares = largest_remainder(Decimal::from(10), &keys(&[1, 1, 1])).unwrap();
        let amounts: Vec<Decimal> = shares.iter().map(|s| s.amount).collect();
        assert_eq!(amounts, [4, 3, 3].map(Decimal::from));
        assert_eq!(shares[0].rounding().round_dp(2), Decimal::new(67, 2));
    }

    #[test]
    fn bad_pots_and_keys_are_refused() {
        assert_eq!(
            largest_remainder(Decimal::new(105, 1), &keys(&[1])),
            Err(AllocationError::PotNotWholeKronor)
        );
        assert_eq!(
            largest_remainder(Decimal::from(10), &keys(&[0, 0])),
            Err(AllocationError::NoKey)
        );
        let negative = vec![(code(0), Decimal::from(-1)), (code(1), Decimal::from(2))];
        assert_eq!(
            largest_remainder(Decimal::from(10), &negative),
            Err(AllocationError::NegativeKey(code(0)))
        );
        let twice = vec![(code(0), Decimal::ONE), (code(0), Decimal::ONE)];
        assert_eq!(
            largest_remainder(Decimal::from(10), &twice),
            Err(AllocationError::DuplicateMunicipality(code(0)))
        );
    }

    proptest! {
        #[test]
        fn amounts_are_whole_non_negative_exact_monotone_and_order_free(
            pot in 0u64..100_000_000,
            values in proptest::collection::vec(0u64..200_000, 1..12),
            rotate in 0usize..12,
        ) {
            prop_assume!(values.iter().any(|v| *v > 0));
            let pot = Decimal::from(pot);
            let input = keys(&values);
            let shares = largest_remainder(pot, &input).unwrap();
            prop_assert_eq!(shares.iter().map(|s| s.amount).sum::<Decimal>(), pot);
            for s in &shares {
                prop_assert!(!s.amount.is_sign_negative());
                prop_assert_eq!(s.amount.fract(), Decimal::ZERO);
                prop_assert!(s.rounding().abs() < Decimal::ONE);
            }
            for a in &shares {
                for b in &shares {
                    if a.key > b.key {
                        prop_assert!(a.amount >= b.amount);
                    }
                }
            }
            let mut reordered = input.clone();
            reordered.rotate_left(rotate % input.len());
            reordered.reverse();
            prop_assert_eq!(largest_remainder(pot, &reordered).unwrap(), shares);
        }
    }
}
