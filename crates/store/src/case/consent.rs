//! Samtycke as stored: one record per case, replaced while the request is a draft and fixed once
//! it is sent. A withdrawal (`case::work::withdraw_consent`) is written once, with who recorded
//! it, and never undone.
//!
//! The case loader reads these records with the case, so every reader sees the same consent.

use crate::access_log::Actor;
use crate::schema::{case_consents, users};
use crate::{DbConnection, StoreError, from_millis, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use jiff::civil::Date;
use samsyn_domain::CareRequestInput;
use samsyn_domain::case::consent::{Consent, ConsentWay};
use std::collections::HashMap;

/// A case's consent as recorded, and its withdrawal if the person has withdrawn it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedConsent {
    pub consent: Consent,
    pub withdrawal: Option<Withdrawal>,
}

/// Återkallat samtycke: when, recorded by whom, and what the person said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub at: Timestamp,
    pub recorded_by_name: String,
    pub note: String,
}

impl RecordedConsent {
    /// Whether the parties may still pass information on the case to each other.
    pub fn allows_sharing(&self) -> bool {
        self.withdrawal.is_none()
    }

    /// Whether the person can withdraw it now: a consent they gave, not yet withdrawn (a basis
    /// for sending without consent is not theirs to withdraw).
    pub fn may_be_withdrawn(&self) -> bool {
        self.allows_sharing() && matches!(self.consent, Consent::Given { .. })
    }

    /// Writes the consent back into a request's input, so a stored draft validates as typed.
    pub(crate) fn fill_input(&self, input: &mut CareRequestInput) {
        input.consent = self.consent.code().to_owned();
        match &self.consent {
            Consent::Given {
                given_by,
                way,
                given_on,
            } => {
                input.consent_given_by.clone_from(given_by);
                input.consent_way = way.code().to_owned();
                input.consent_given_on = given_on.to_string();
            }
            Consent::Basis { reason, judged_by } => {
                input.consent_basis.clone_from(reason);
                input.consent_judged_by.clone_from(judged_by);
            }
        }
    }
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// The recorded consents of the given cases, by case id.
pub(crate) fn of_cases(
    conn: &mut DbConnection,
    case_ids: &[&String],
) -> Result<HashMap<String, RecordedConsent>, StoreError> {
    let rows: Vec<Row> = for_cases!(
        case_consents::table.into_boxed(),
        case_consents::case_id,
        case_ids
    )
    .select((
        case_consents::case_id,
        case_consents::kind,
        case_consents::given_by,
        case_consents::way,
        case_consents::given_on,
        case_consents::basis,
        case_consents::judged_by,
        case_consents::withdrawn_at,
        case_consents::withdrawn_by,
        case_consents::withdrawal_note,
    ))
    .load(conn)?;
    let withdrawers: Vec<&String> = rows.iter().filter_map(|row| row.8.as_ref()).collect();
    // Most cases have no withdrawal: then there is no one to look up.
    let names: HashMap<String, String> = if withdrawers.is_empty() {
        HashMap::new()
    } else {
        users::table
            .filter(users::id.eq_any(withdrawers))
            .select((users::id, users::display_name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect()
    };
    let corrupt = || StoreError::Corrupt("case consent".into());
    rows.into_iter()
        .map(
            |(case_id, kind, given_by, way, given_on, basis, judged_by, out_at, out_by, note)| {
                let consent = match kind.as_str() {
                    "samtycke" => Consent::Given {
                        given_by,
                        way: ConsentWay::from_code(&way).ok_or_else(corrupt)?,
                        given_on: given_on.parse::<Date>().map_err(|_| corrupt())?,
                    },
                    "grund" => Consent::Basis {
                        reason: basis,
                        judged_by,
                    },
                    _ => return Err(corrupt()),
                };
                let withdrawal = match (out_at, out_by) {
                    (Some(at), Some(by)) => Some(Withdrawal {
                        at: from_millis(at)?,
                        recorded_by_name: names.get(&by).cloned().unwrap_or_default(),
                        note: note.unwrap_or_default(),
                    }),
                    (None, None) => None,
                    _ => return Err(corrupt()),
                };
                Ok((
                    case_id,
                    RecordedConsent {
                        consent,
                        withdrawal,
                    },
                ))
            },
        )
        .collect()
}

/// Records the draft's consent, replacing what it had (or removing it when the draft has none).
pub(crate) fn save_for_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    case_id: &str,
    consent: Option<&Consent>,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::delete(case_consents::table.find(case_id)).execute(conn)?;
    let Some(consent) = consent else {
        return Ok(());
    };
    let (given_by, way, given_on, basis, judged_by) = match consent {
        Consent::Given {
            given_by,
            way,
            given_on,
        } => (given_by.as_str(), way.code(), given_on.to_string(), "", ""),
        Consent::Basis { reason, judged_by } => {
            ("", "", String::new(), reason.as_str(), judged_by.as_str())
        }
    };
    diesel::insert_into(case_consents::table)
        .values((
            case_consents::case_id.eq(case_id),
            case_consents::kind.eq(consent.code()),
            case_consents::given_by.eq(given_by),
            case_consents::way.eq(way),
            case_consents::given_on.eq(given_on),
            case_consents::basis.eq(basis),
            case_consents::judged_by.eq(judged_by),
            case_consents::recorded_by.eq(&actor.user_id),
            case_consents::recorded_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}
