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

/// Counts failed logins per account and per client address in a sliding window.
#[derive(Debug)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Timestamp>>>,
    window: SignedDuration,
    per_account: usize,
    per_address: usize,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            failures: Mutex::new(HashMap::new()),
            window: SignedDuration::from_mins(15),
            per_account: 5,
            per_address: 20,
        }
    }
}

impl LoginThrottle {
    fn keys(username: &str, address: Option<std::net::IpAddr>) -> [(String, bool); 2] {
        [
            (format!("user:{}", username.trim().to_lowercase()), true),
            (
                format!(
                    "addr:{}",
                    address.map(|a| a.to_string()).unwrap_or_default()
                ),
                false,
            ),
        ]
    }

    /// True when this account or address has failed too often within the window.
    pub fn is_blocked(
        &self,
        username: &str,
        address: Option<std::net::IpAddr>,
        now: Timestamp,
    ) -> bool {
        let Ok(mut failures) = self.failures.lock() else {
            return true;
        };
        Self::keys(username, address)
            .iter()
            .any(|(key, is_account)| {
                let list = failures.entry(key.clone()).or_default();
                list.retain(|t| now.duration_since(*t) < self.window);
                list.len()
                    >= if *is_account {
                        self.per_account
                    } else {
                        self.per_address
                    }
            })
    }

    pub fn record_failure(
        &self,
        username: &str,
        address: Option<std::net::IpAddr>,
        now: Timestamp,
    ) {
        if let Ok(mut failures) = self.failures.lock() {
            for (key, _) in Self::keys(username, address) {
                failures.entry(key).or_default().push(now);
            }
        }
    }

    pub fn record_success(&self, username: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&format!("user:{}", username.trim().to_lowercase()));
        }
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
}
