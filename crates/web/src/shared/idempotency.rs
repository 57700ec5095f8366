//! The `Idempotency-Key` header of API and FHIR creates: a client that did not get the answer to
//! a create sends it again with the same key and gets the case the first call made (201 again,
//! with `Idempotent-Replayed: true`), for 24 hours. The store claims the key in the create's
//! transaction (`samsyn_store::idempotency`).

use crate::shared::error::WorkflowError;
use axum::http::HeaderMap;
use samsyn_domain::{CareRequestInput, FieldError};
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";
/// Set on an answer that repeats an earlier create instead of creating.
pub const REPLAYED: &str = "idempotent-replayed";

/// A create's key and a hash of what it asks to create.
#[derive(Debug, Clone)]
pub struct Retry {
    pub key: String,
    pub fingerprint: String,
}

impl Retry {
    /// The key of a create at `path`, if the client sent one; a key that is not 1–255 visible
    /// ASCII characters is refused with the header named.
    pub fn from_headers(
        headers: &HeaderMap,
        path: &str,
        input: &CareRequestInput,
        send: bool,
    ) -> Result<Option<Retry>, WorkflowError> {
        let Some(value) = headers.get(HEADER) else {
            return Ok(None);
        };
        let key = value
            .to_str()
            .ok()
            .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| {
                WorkflowError::Invalid(vec![FieldError {
                    field: "Idempotency-Key",
                    message: "Idempotency-Key ska vara 1–255 synliga ASCII-tecken.".into(),
                }])
            })?;
        let mut hash = Sha256::new();
        hash.update(path.as_bytes());
        hash.update([u8::from(send)]);
        hash.update(serde_json::to_vec(input).unwrap_or_default());
        Ok(Some(Retry {
            key: key.to_owned(),
            fingerprint: hex::encode(hash.finalize()),
        }))
    }
}

/// The refusal when a key comes back with another request.
pub fn reused() -> WorkflowError {
    WorkflowError::Invalid(vec![FieldError {
        field: "Idempotency-Key",
        message: "Nyckeln har redan använts för en annan begäran. Använd en ny nyckel för varje ny begäran.".into(),
    }])
}
