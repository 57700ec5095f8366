//! Pseudonymisation at import (privacy by design): the personnummer or reservnummer becomes a keyed
//! HMAC-SHA-256, stable across imports with the same key so that months can be linked. Only the
//! birth year is kept, for the age limits and age breakdowns.

use hmac::{Hmac, Mac};
use samsyn_domain::PersonId;
use sha2::Sha256;

/// A person in measurement data. Orders and compares by the keyed hash only.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pseudonym {
    pub hash: [u8; 32],
    pub birth_year: i16,
}

impl Pseudonym {
    pub fn hex(&self) -> String {
        hex::encode(self.hash)
    }
}

/// The secret key. `Debug` never prints it.
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(***)")
    }
}

impl PseudonymKey {
    /// At least 32 bytes of secret.
    pub fn new(secret: &[u8]) -> Option<PseudonymKey> {
        (secret.len() >= 32).then(|| PseudonymKey(secret.to_vec()))
    }

    pub fn pseudonym(&self, person: &PersonId) -> Pseudonym {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(person.expose().as_bytes());
        let hash: [u8; 32] = mac.finalize().into_bytes().into();
        Pseudonym {
            hash,
            birth_year: person.birth_date().year(),
        }
    }
}

/// Remembers each person's pseudonym: a person appears about ten times in a month's activity
/// file, so one HMAC per person instead of one per row.
pub struct PseudonymCache<'k> {
    key: &'k PseudonymKey,
    known: std::collections::HashMap<PersonId, Pseudonym>,
}

impl<'k> PseudonymCache<'k> {
    pub fn new(key: &'k PseudonymKey) -> Self {
        PseudonymCache {
            key,
            known: std::collections::HashMap::new(),
        }
    }

    pub fn pseudonym(&mut self, person: PersonId) -> Pseudonym {
        self.known
            .entry(person)
            .or_insert_with(|| self.key.pseudonym(&person))
            .clone()
    }
}

/// Demo databases keep their pseudonym key in `meta`, so the demo can import more files. A real
/// deployment takes the key from configuration and never stores it beside the data.
pub const DEMO_PSEUDONYM_KEY: &str = "demo_pseudonym_key";

/// The configured key: `SAMSYN_PSEUDONYM_KEY` (at least 32 bytes), or else a demo database's own
/// key from `meta`. `None` when neither exists.
pub fn configured_key(
    conn: &mut crate::DbConnection,
) -> Result<Option<PseudonymKey>, crate::StoreError> {
    if let Ok(secret) = std::env::var("SAMSYN_PSEUDONYM_KEY") {
        return Ok(PseudonymKey::new(secret.as_bytes()));
    }
    Ok(crate::meta::get(conn, DEMO_PSEUDONYM_KEY)?
        .and_then(|k| hex::decode(k).ok())
        .and_then(|k| PseudonymKey::new(&k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_keyed_and_without_the_number() {
        let number = PersonId::from_stored("191212121212").unwrap();
        let key = PseudonymKey::new(&[7u8; 32]).unwrap();
        let other = PseudonymKey::new(&[8u8; 32]).unwrap();
        assert_eq!(key.pseudonym(&number), key.pseudonym(&number));
        assert_ne!(key.pseudonym(&number).hash, other.pseudonym(&number).hash);
        let mut cache = PseudonymCache::new(&key);
        assert_eq!(cache.pseudonym(number), key.pseudonym(&number));
        assert_eq!(cache.pseudonym(number), key.pseudonym(&number));
        let p = key.pseudonym(&number);
        assert_eq!(p.birth_year, 1912);
        let reserve = PersonId::from_stored("19450829TB1F").unwrap();
        assert_eq!(key.pseudonym(&reserve).birth_year, 1945);
        assert_ne!(key.pseudonym(&reserve).hash, p.hash);
        assert!(!format!("{p:?}{}", p.hex()).contains("121212"));
        assert!(PseudonymKey::new(b"short").is_none());
        assert_eq!(format!("{key:?}"), "PseudonymKey(***)");
    }
}
