//! The `[citations]` section: where in the region's own agreement documents each process is
//! written, so that a page cites the region's agreement and not another region's. A process
//! without a citation is shown without one.

use crate::rules::error::{RuleSetError, invalid};
use serde::Deserialize;

/// The agreement's text behind each process, as the pages cite it, e.g.
/// "Hälso- och sjukvård i hemmet primärvårdsnivå, §3.1.7".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citations {
    /// The decision to enroll and what passes to the municipality.
    pub decision: Option<String>,
    /// Gemensam planering with the person after the decision.
    pub joint_planning: Option<String>,
    /// The medical treatment plan and each party's documentation.
    pub treatment_plan: Option<String>,
    /// SIP beside the joint planning.
    pub sip: Option<String>,
    /// Medication handling that stays with psychiatry.
    pub psychiatric_medication: Option<String>,
    /// The hospital's plan at discharge.
    pub discharge: Option<String>,
    /// Rehabilitation and the egenvårdsbegäran.
    pub rehabilitation: Option<String>,
    /// Avslut by both parties.
    pub closure: Option<String>,
    /// Oenighet: the ladder and the county group.
    pub disagreement: Option<String>,
    /// Avvikelser i samverkan.
    pub deviation: Option<String>,
    /// The yearly follow-up.
    pub follow_up: Option<String>,
}

impl Citations {
    /// Every citation with its key, in the section's order.
    fn all(&self) -> [(&'static str, &Option<String>); 11] {
        [
            ("decision", &self.decision),
            ("joint_planning", &self.joint_planning),
            ("treatment_plan", &self.treatment_plan),
            ("sip", &self.sip),
            ("psychiatric_medication", &self.psychiatric_medication),
            ("discharge", &self.discharge),
            ("rehabilitation", &self.rehabilitation),
            ("closure", &self.closure),
            ("disagreement", &self.disagreement),
            ("deviation", &self.deviation),
            ("follow_up", &self.follow_up),
        ]
    }

    /// A citation that is given is not blank.
    pub(crate) fn validate(self) -> Result<Citations, RuleSetError> {
        if let Some((key, _)) = self
            .all()
            .into_iter()
            .find(|(_, text)| text.as_ref().is_some_and(|t| t.trim().is_empty()))
        {
            return Err(invalid(format!("citations.{key}"), "får inte vara tomt"));
        }
        Ok(self)
    }
}
