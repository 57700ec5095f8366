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

/// The county group's size from the rule set: a member more than the side's number is refused on
/// the role field.
pub(super) fn county_group_room(
    conn: &mut samsyn_store::DbConnection,
    rules: &samsyn_domain::disagreement::rules::DisagreementRules,
    role: Role,
    party: samsyn_domain::Party,
    except: Option<&str>,
) -> Result<Option<FieldError>, samsyn_store::StoreError> {
    if role != Role::CountyGroup {
        return Ok(None);
    }
    let region = party == samsyn_domain::Party::Region;
    let members = samsyn_store::users::active_with_role_on_side(conn, role, region, except)?;
    if rules.county_group_has_room(members) {
        return Ok(None);
    }
    Ok(Some(FieldError {
        field: "roll",
        message: format!(
            "Roll: länsgruppen har redan {} ledamöter från {} (regelverket).",
            rules.county_group_members_per_party,
            if region { "regionen" } else { "kommunerna" }
        ),
    }))
}
