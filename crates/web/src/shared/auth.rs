//! Passwords, session tokens and login throttling.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use samsyn_store::{DbConnection, StoreError, sign_in_failures};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

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

/// Counts failed logins per account and per client address in a sliding window, in the
/// database, so every process serving it throttles alike.
///
/// Fair to the account's owner: too many failures from one address block that address, and an
/// account with too many failures is blocked only for addresses that have failed themselves, so
/// someone guessing from elsewhere cannot lock the owner out; her next successful login clears
/// the account's count. Checking writes nothing, and failures older than the window are deleted
/// as new ones come, so the table holds one window's failures at most.
#[derive(Debug, Clone, Copy)]
pub struct LoginThrottle {
    window: SignedDuration,
    per_account: i64,
    per_address: i64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            window: SignedDuration::from_mins(15),
            per_account: 5,
            per_address: 20,
        }
    }
}

const ACCOUNT: &str = "user:";

impl LoginThrottle {
    fn account_key(username: &str) -> String {
        format!("{ACCOUNT}{}", username.trim().to_lowercase())
    }

    fn address_key(address: Option<std::net::IpAddr>) -> String {
        format!(
            "addr:{}",
            address.map(|a| a.to_string()).unwrap_or_default()
        )
    }

    fn window_start(&self, now: Timestamp) -> Timestamp {
        now.checked_sub(self.window).unwrap_or(Timestamp::MIN)
    }

    /// True when this address has failed too often, or the account has and so has this address.
    pub fn is_blocked(
        &self,
        conn: &mut DbConnection,
        username: &str,
        address: Option<std::net::IpAddr>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let since = self.window_start(now);
        let from_address = sign_in_failures::count_since(conn, &Self::address_key(address), since)?;
        let on_account = sign_in_failures::count_since(conn, &Self::account_key(username), since)?;
        Ok(
            from_address >= self.per_address
                || (on_account >= self.per_account && from_address > 0),
        )
    }

    pub fn record_failure(
        &self,
        conn: &mut DbConnection,
        username: &str,
        address: Option<std::net::IpAddr>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let keys = [Self::account_key(username), Self::address_key(address)];
        sign_in_failures::record(conn, &[&keys[0], &keys[1]], now, self.window_start(now))
    }

    /// A successful sign-in, or an administrator's unlock: forgets the account's failures, so
    /// every address may try again.
    pub fn record_success(
        &self,
        conn: &mut DbConnection,
        username: &str,
    ) -> Result<(), StoreError> {
        sign_in_failures::forget(conn, &Self::account_key(username))
    }

    /// The usernames (lower case) whose accounts have failed so often that addresses which failed
    /// are turned away.
    pub fn locked(
        &self,
        conn: &mut DbConnection,
        now: Timestamp,
    ) -> Result<HashSet<String>, StoreError> {
        Ok(
            sign_in_failures::at_least(conn, ACCOUNT, self.per_account, self.window_start(now))?
                .into_iter()
                .filter_map(|key| key.strip_prefix(ACCOUNT).map(str::to_owned))
                .collect(),
        )
    }

    /// Whether `username` is among `locked`.
    pub fn is_among(locked: &HashSet<String>, username: &str) -> bool {
        locked.contains(&username.trim().to_lowercase())
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
}
