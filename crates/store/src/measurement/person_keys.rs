//! A person as one number while a measurement's files are read: each core's map of persons then
//! holds small entries, and more of it stays in the cache. A personnummer is its twelve digits;
//! a reservnummer, which may hold letters, is numbered in the order the measurement first meets
//! it, above every personnummer. The numbers live only as long as the reading.

use samsyn_domain::{PersonId, ReserveNumber};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Set on a reservnummer's key: no personnummer's twelve digits reach it.
const RESERVE: u64 = 1 << 63;

/// One person in one measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PersonKey(u64);

/// The reservnummer met so far, shared by the cores so that a number means the same person on
/// every core.
#[derive(Default)]
pub(crate) struct PersonKeys {
    reserve: Mutex<HashMap<ReserveNumber, u64>>,
}

impl PersonKeys {
    pub(crate) fn key(&self, person: &PersonId) -> PersonKey {
        match person {
            PersonId::Personnummer(number) => PersonKey(number.as_number()),
            PersonId::Reserve(number) => {
                let mut met = self.reserve.lock().unwrap_or_else(PoisonError::into_inner);
                let next = met.len() as u64;
                PersonKey(RESERVE | *met.entry(*number).or_insert(next))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use samsyn_domain::Personnummer;

    #[test]
    fn each_person_has_one_key_and_no_two_persons_share_one() {
        let keys = PersonKeys::default();
        let today = date(2026, 12, 1);
        let rules =
            samsyn_domain::RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
                .unwrap()
                .reserve_number;
        let number = |birth_number| {
            PersonId::Personnummer(
                Personnummer::from_parts(date(1945, 8, 29), birth_number, false).unwrap(),
            )
        };
        let reserve =
            |text: &str| PersonId::Reserve(ReserveNumber::parse(text, &rules, today).unwrap());
        let persons = [
            number(123),
            number(124),
            reserve("19450829TB1F"),
            reserve("19450829TB2F"),
        ];
        let first: Vec<PersonKey> = persons.iter().map(|p| keys.key(p)).collect();
        let mut again: Vec<PersonKey> = persons.iter().rev().map(|p| keys.key(p)).collect();
        again.reverse();
        assert_eq!(first, again, "a person met again has the same key");
        let distinct: std::collections::HashSet<PersonKey> = first.iter().copied().collect();
        assert_eq!(distinct.len(), persons.len(), "no two persons share a key");
    }
}
