//! Skyddad identitet: a person with skyddad folkbokföring or sekretessmarkering. Where they live
//! and how they are reached must not spread: their address and telephone are shown only to the
//! staff working their case (the sending and the receiving unit), never in lists, exports, or to
//! anyone reading the case by nödåtkomst or after handing it on; every FHIR resource about them
//! carries the restricted confidentiality label.

use crate::CaseRelation;

/// Whether a unit with `relation` to a case sees the person's address and telephone.
pub fn contact_shown(protected: bool, relation: CaseRelation) -> bool {
    !protected || matches!(relation, CaseRelation::Sender | CaseRelation::Receiver)
}

/// What is shown instead of a protected person's address and telephone.
pub const HIDDEN: &str =
    "Skyddad identitet – adress och telefon visas bara för dem som arbetar med ärendet.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_units_working_the_case_see_a_protected_address() {
        for relation in CaseRelation::ALL {
            assert!(contact_shown(false, relation));
            assert_eq!(
                contact_shown(true, relation),
                matches!(relation, CaseRelation::Sender | CaseRelation::Receiver),
                "{relation:?}"
            );
        }
    }
}
