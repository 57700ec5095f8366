//! Nödåtkomst: a clinician without a care relation opens a person's cases when care cannot wait
//! for one to be registered, as every Swedish care system allows. It needs a written reason,
//! lasts for the rule set's time, is logged as emergency access and is shown to the parties to
//! each case. Only clinical roles may use it, and it lets them read, not write.

use crate::Role;
use crate::rules::RuleSetError;
use crate::rules::error::invalid;
use serde::Deserialize;

/// The fewest characters a reason may have: enough to say why, so a reviewer can judge it.
pub const MIN_REASON_CHARS: usize = 10;

/// The `[emergency_access]` section: how long an emergency opening lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmergencyAccessRules {
    pub duration: jiff::SignedDuration,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEmergencyAccess {
    hours: i64,
}

impl RawEmergencyAccess {
    pub fn validate(self) -> Result<EmergencyAccessRules, RuleSetError> {
        if !(1..=24).contains(&self.hours) {
            return Err(invalid(
                "emergency_access.hours",
                "måste vara mellan 1 och 24 timmar",
            ));
        }
        Ok(EmergencyAccessRules {
            duration: jiff::SignedDuration::from_hours(self.hours),
        })
    }
}

/// Whether the role may open a case in an emergency: clinical staff only.
pub fn may_use(role: Role) -> bool {
    role.is_clinical()
}

/// Why the clinician needs the person's cases now (skäl till nödåtkomst).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyReason(String);

impl EmergencyReason {
    /// The reason as written, checked: present, long enough to say something, within the
    /// limits of any long text.
    pub fn parse(text: &str) -> Result<EmergencyReason, String> {
        let trimmed = text.trim();
        if trimmed.chars().count() < MIN_REASON_CHARS {
            return Err(format!(
                "Skäl: skriv varför du behöver öppna personens ärenden utan vårdrelation (minst {MIN_REASON_CHARS} tecken). Skälet granskas i loggen."
            ));
        }
        if let Some(problem) =
            crate::text::problem("Skäl", trimmed, crate::text::LONG_TEXT_CHARS, true)
        {
            return Err(problem);
        }
        Ok(EmergencyReason(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_must_say_something() {
        for empty in ["", "   ", "akut", "nödläge!"] {
            let message = EmergencyReason::parse(empty).unwrap_err();
            assert!(message.starts_with("Skäl:"), "{message}");
        }
        let reason =
            EmergencyReason::parse("  Patienten har ringt med andnöd, ingen vårdrelation än ")
                .unwrap();
        assert_eq!(
            reason.as_str(),
            "Patienten har ringt med andnöd, ingen vårdrelation än"
        );
        assert!(EmergencyReason::parse(&"x".repeat(5000)).is_err());
    }

    #[test]
    fn only_clinical_roles_may_use_it() {
        for role in Role::ALL {
            assert_eq!(may_use(role), role.is_clinical(), "{role:?}");
        }
        assert!(!may_use(Role::Economist));
        assert!(!may_use(Role::AuditReviewer));
        assert!(!may_use(Role::Administrator));
    }

    #[test]
    fn the_time_is_between_one_hour_and_a_day() {
        assert!(RawEmergencyAccess { hours: 0 }.validate().is_err());
        assert!(RawEmergencyAccess { hours: 25 }.validate().is_err());
        assert_eq!(
            RawEmergencyAccess { hours: 4 }.validate().unwrap().duration,
            jiff::SignedDuration::from_hours(4)
        );
    }
}
