//! Sign-ins in progress at an identity provider (OpenID Connect): the state, nonce and PKCE
//! verifier stay here, keyed by the hash of a cookie the browser holds, and are taken once.

use crate::schema::sign_in_flows;
use crate::{DbConnection, StoreError, from_millis, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;

/// One sign-in sent to the provider and not yet back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Whose sign-in: `staff` or `person`, so that a flow started for one audience cannot
    /// finish as the other.
    pub audience: String,
    pub csrf_state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go after signing in (already checked to be a path on this site).
    pub next_path: String,
    pub created_at: Timestamp,
}

/// Keeps a flow, and forgets flows started before `stale_before`.
pub fn create(
    conn: &mut DbConnection,
    token_hash: &str,
    flow: &Flow,
    stale_before: Timestamp,
) -> Result<(), StoreError> {
    diesel::delete(
        sign_in_flows::table.filter(sign_in_flows::created_at.lt(to_millis(stale_before))),
    )
    .execute(conn)?;
    diesel::insert_into(sign_in_flows::table)
        .values((
            sign_in_flows::token_hash.eq(token_hash),
            sign_in_flows::audience.eq(&flow.audience),
            sign_in_flows::csrf_state.eq(&flow.csrf_state),
            sign_in_flows::nonce.eq(&flow.nonce),
            sign_in_flows::pkce_verifier.eq(&flow.pkce_verifier),
            sign_in_flows::next_path.eq(&flow.next_path),
            sign_in_flows::created_at.eq(to_millis(flow.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The flow, removed so it cannot be used twice.
pub fn take(conn: &mut DbConnection, token_hash: &str) -> Result<Option<Flow>, StoreError> {
    let row = sign_in_flows::table
        .find(token_hash)
        .select((
            sign_in_flows::audience,
            sign_in_flows::csrf_state,
            sign_in_flows::nonce,
            sign_in_flows::pkce_verifier,
            sign_in_flows::next_path,
            sign_in_flows::created_at,
        ))
        .get_result::<(String, String, String, String, String, i64)>(conn)
        .optional()?;
    diesel::delete(sign_in_flows::table.find(token_hash)).execute(conn)?;
    row.map(
        |(audience, csrf_state, nonce, pkce_verifier, next_path, created)| {
            Ok(Flow {
                audience,
                csrf_state,
                nonce,
                pkce_verifier,
                next_path,
                created_at: from_millis(created)?,
            })
        },
    )
    .transpose()
}
