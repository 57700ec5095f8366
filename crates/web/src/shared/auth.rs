//! Passwords, session tokens and login throttling.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

fn argon2id() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// An argon2id PHC string for `password`. Slow by design: call it off the async runtime.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    argon2id()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// A hash of a password nobody has, verified when the username is unknown so that a login
/// takes as long for a missing account as for a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2Ftc3luLWR1bW15LXNhbHQ$0iPTEmpj3jZV0Vp0WjuNrgAyLRX0o5lmG1rvo5mpD1c";

/// True when `password` matches `hash`; with no hash, does the same work and returns false.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let target = hash.unwrap_or(DUMMY_HASH);
    let matches = PasswordHash::new(target)
        .map(|parsed| {
            argon2id()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    matches && hash.is_some()
}

/// A fresh 256-bit random token, URL-safe.
pub fn new_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a session token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The CSRF token that belongs to a session (or pre-login) token. Derived with a one-way hash,
/// so pages can carry it without the session token being recoverable from it.
pub fn csrf_token_for(token: &str) -> String {
    hex::encode(Sha256::digest(format!("samsyn-csrf:{token}").as_bytes()))
}

/// The longest username and password looked at, in bytes. Longer ones are refused before any
/// work (no hashing, nothing remembered), so a flood of huge usernames costs nothing.
pub const MAX_USERNAME_BYTES: usize = 128;
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// How many accounts and addresses the throttle remembers at most; beyond it, expired entries
/// go first, then those whose last failure is oldest.
const THROTTLE_CAPACITY: usize = 10_000;

/// Counts failed logins per account and per client address in a sliding window.
///
/// Fair to the account's owner: too many failures from one address block that address, and an
/// account with too many failures is blocked only for addresses that have failed themselves, so
/// someone guessing from elsewhere cannot lock the owner out; her next successful login clears
/// the account's count. Memory is bounded: checking never remembers anything, and at most
/// `THROTTLE_CAPACITY` keys with at most `per_address` failures each are kept.
#[derive(Debug)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Timestamp>>>,
    window: SignedDuration,
    per_account: usize,
    per_address: usize,
    capacity: usize,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::with_capacity(THROTTLE_CAPACITY)
    }
}

impl LoginThrottle {
    pub fn with_capacity(capacity: usize) -> Self {
        LoginThrottle {
            failures: Mutex::new(HashMap::new()),
            window: SignedDuration::from_mins(15),
            per_account: 5,
            per_address: 20,
            capacity,
        }
    }

    fn account_key(username: &str) -> String {
        format!("user:{}", username.trim().to_lowercase())
    }

    fn address_key(address: Option<std::net::IpAddr>) -> String {
        format!(
            "addr:{}",
            address.map(|a| a.to_string()).unwrap_or_default()
        )
    }

    fn recent(
        &self,
        failures: &HashMap<String, Vec<Timestamp>>,
        key: &str,
        now: Timestamp,
    ) -> usize {
        failures.get(key).map_or(0, |list| {
            list.iter()
                .filter(|t| now.duration_since(**t) < self.window)
                .count()
        })
    }

    /// True when this address has failed too often, or the account has and so has this address.
    pub fn is_blocked(
        &self,
        username: &str,
        address: Option<std::net::IpAddr>,
        now: Timestamp,
    ) -> bool {
        let Ok(failures) = self.failures.lock() else {
            return true;
        };
        let from_address = self.recent(&failures, &Self::address_key(address), now);
        let on_account = self.recent(&failures, &Self::account_key(username), now);
        from_address >= self.per_address || (on_account >= self.per_account && from_address > 0)
    }

    pub fn record_failure(
        &self,
        username: &str,
        address: Option<std::net::IpAddr>,
        now: Timestamp,
    ) {
        let Ok(mut failures) = self.failures.lock() else {
            return;
        };
        let keep = self.per_account.max(self.per_address);
        for key in [Self::account_key(username), Self::address_key(address)] {
            let list = failures.entry(key).or_default();
            list.retain(|t| now.duration_since(*t) < self.window);
            list.push(now);
            if list.len() > keep {
                list.drain(..list.len() - keep);
            }
        }
        if failures.len() > self.capacity {
            failures.retain(|_, list| list.iter().any(|t| now.duration_since(*t) < self.window));
        }
        if failures.len() > self.capacity {
            let mut newest: Vec<(Timestamp, String)> = failures
                .iter()
                .map(|(key, list)| (list.iter().max().copied().unwrap_or(now), key.clone()))
                .collect();
            newest.sort();
            let excess = failures.len() - self.capacity;
            for (_, key) in newest.into_iter().take(excess) {
                failures.remove(&key);
            }
        }
    }

    pub fn record_success(&self, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&Self::account_key(username));
        }
    }

    /// True when the account has failed so often that addresses which failed are turned away.
    pub fn is_locked(&self, username: &str, now: Timestamp) -> bool {
        self.failures.lock().is_ok_and(|failures| {
            self.recent(&failures, &Self::account_key(username), now) >= self.per_account
        })
    }

    /// An administrator's unlock: forgets the account's failures, so every address may try again.
    pub fn unlock(&self, username: &str) {
        self.record_success(username);
    }

    /// How many accounts and addresses are remembered now.
    pub fn tracked(&self) -> usize {
        self.failures.lock().map_or(0, |f| f.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_dummy_never_matches() {
        let hash = hash_password("rätt lösenord").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("rätt lösenord", Some(&hash)));
        assert!(!verify_password("fel", Some(&hash)));
        assert!(!verify_password("anything", None));
        assert!(
            PasswordHash::new(DUMMY_HASH).is_ok(),
            "the dummy hash must parse, or timing differs"
        );
    }

    #[test]
    fn throttle_blocks_after_five_failures_per_account() {
        let throttle = LoginThrottle::default();
        let now = Timestamp::UNIX_EPOCH;
        for _ in 0..5 {
            assert!(!throttle.is_blocked("Anna", None, now));
            throttle.record_failure("anna", None, now);
        }
        assert!(throttle.is_blocked("anna", None, now));
        assert!(
            throttle.is_blocked(" Anna ", None, now),
            "spaces and case do not give fresh attempts"
        );
        assert!(!throttle.is_blocked("bengt", "10.0.0.1".parse().ok(), now));
        assert!(!throttle.is_blocked("anna", None, now + SignedDuration::from_mins(16)));
    }

    #[test]
    fn checking_remembers_nothing_and_memory_is_bounded() {
        let throttle = LoginThrottle::with_capacity(100);
        let now = Timestamp::UNIX_EPOCH;
        for n in 0..1_000 {
            assert!(!throttle.is_blocked(&format!("user{n}"), None, now));
        }
        assert_eq!(throttle.tracked(), 0, "a check stores nothing");
        for n in 0..1_000 {
            let address = std::net::IpAddr::from([10, 0, (n / 256) as u8, (n % 256) as u8]);
            throttle.record_failure(&format!("user{n}"), Some(address), now);
        }
        assert!(throttle.tracked() <= 100, "{} keys", throttle.tracked());
        let later = now + SignedDuration::from_mins(16);
        throttle.record_failure("someone", None, later);
        assert!(throttle.tracked() <= 100);
    }

    #[test]
    fn a_guesser_elsewhere_does_not_lock_the_owner_out() {
        let throttle = LoginThrottle::default();
        let now = Timestamp::UNIX_EPOCH;
        let guesser: Option<std::net::IpAddr> = "192.0.2.7".parse().ok();
        let owner: Option<std::net::IpAddr> = "198.51.100.1".parse().ok();
        for _ in 0..5 {
            throttle.record_failure("anna", guesser, now);
        }
        assert!(throttle.is_blocked("anna", guesser, now));
        assert!(
            !throttle.is_blocked("anna", owner, now),
            "the owner may still try"
        );
        throttle.record_failure("anna", owner, now);
        assert!(
            throttle.is_blocked("anna", owner, now),
            "once she has failed too"
        );
        throttle.record_success("anna");
        assert!(
            !throttle.is_blocked("anna", owner, now),
            "a success clears the account"
        );
        for _ in 0..19 {
            throttle.record_failure("bengt", guesser, now);
        }
        assert!(
            throttle.is_blocked("cecilia", guesser, now),
            "20 failures from one address block that address for every account"
        );
        assert!(!throttle.is_blocked("cecilia", owner, now));
    }
}
