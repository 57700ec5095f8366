//! The fields the administrator's account and unit forms share, each checked to a value or to
//! its field's Swedish message.

use samsyn_domain::{FieldError, HsaId, Role};

/// A required name, trimmed; `missing` says whose name to write.
pub(super) fn name(value: &str, missing: &str) -> Result<String, FieldError> {
    let name = value.trim().to_owned();
    let problem = if name.is_empty() {
        Some(format!("Namn: {missing}"))
    } else {
        samsyn_domain::text::problem("Namn", &name, samsyn_domain::text::SHORT_TEXT_CHARS, false)
    };
    match problem {
        Some(message) => Err(FieldError {
            field: "namn",
            message,
        }),
        None => Ok(name),
    }
}

/// A role chosen from the list.
pub(super) fn role(code: &str) -> Result<Role, FieldError> {
    Role::from_code(code).ok_or_else(|| FieldError {
        field: "roll",
        message: "Roll: välj en roll i listan.".into(),
    })
}

/// An HSA-id, or none when the field is left empty.
pub(super) fn optional_hsa_id(value: &str) -> Result<Option<HsaId>, FieldError> {
    match value.trim() {
        "" => Ok(None),
        text => HsaId::parse(text).map(Some).map_err(|e| FieldError {
            field: "hsa_id",
            message: format!("HSA-id: {e}"),
        }),
    }
}

/// An HSA-id already held (`holder`: "ett annat konto", "en annan enhet"): one per HSA-id.
pub(super) fn hsa_id_taken(holder: &str) -> FieldError {
    FieldError {
        field: "hsa_id",
        message: format!("HSA-id: {holder} har redan det HSA-id:t."),
    }
}
