//! Staff roles (yrkesroller och funktioner) that decide what a user may do.

/// A user's role in Samsyn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Läkare — employed by the region; doctor responsibility always stays there.
    Doctor,
    /// Sjuksköterska (SSK).
    Nurse,
    /// Arbetsterapeut (AT).
    OccupationalTherapist,
    /// Fysioterapeut (FT).
    Physiotherapist,
    /// Enhetschef — the unit's line manager.
    UnitManager,
    /// Samordnare — coordinator, e.g. utskrivningssamordnare.
    Coordinator,
    /// Ekonom — works with the tilläggsbelopp.
    Economist,
    /// Logggranskare — reviews the access log (patientdatalagen 4 kap. 3 §).
    AuditReviewer,
    /// Administratör — manages users and units.
    Administrator,
    /// Ledamot i länsgrupperingen för oenighet (*Principer för samverkan och ekonomisk reglering*
    /// §10): sees disagreements reported to county level, without the person's identity.
    CountyGroup,
    /// Ledamot i chefsgruppen för samverkan social välfärd samt vård och omsorg (*Principer för
    /// samverkan och ekonomisk reglering* §12): sets the yearly follow-up plan and finalises the
    /// yearly report. Figures only, no patient data.
    ChiefsGroup,
    /// Hälsoval, the region's unit that compiles the joint survey of vårdcentraler and
    /// municipalities and runs the sample check of treatment plans.
    HealthChoice,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Doctor,
        Role::Nurse,
        Role::OccupationalTherapist,
        Role::Physiotherapist,
        Role::UnitManager,
        Role::Coordinator,
        Role::Economist,
        Role::AuditReviewer,
        Role::Administrator,
        Role::CountyGroup,
        Role::ChiefsGroup,
        Role::HealthChoice,
    ];

    /// Stable storage and API code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Doctor => "lakare",
            Role::Nurse => "sjukskoterska",
            Role::OccupationalTherapist => "arbetsterapeut",
            Role::Physiotherapist => "fysioterapeut",
            Role::UnitManager => "enhetschef",
            Role::Coordinator => "samordnare",
            Role::Economist => "ekonom",
            Role::AuditReviewer => "logggranskare",
            Role::Administrator => "administrator",
            Role::CountyGroup => "lansgrupp",
            Role::ChiefsGroup => "chefsgrupp",
            Role::HealthChoice => "halsoval",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Swedish name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Doctor => "Läkare",
            Role::Nurse => "Sjuksköterska",
            Role::OccupationalTherapist => "Arbetsterapeut",
            Role::Physiotherapist => "Fysioterapeut",
            Role::UnitManager => "Enhetschef",
            Role::Coordinator => "Samordnare",
            Role::Economist => "Ekonom",
            Role::AuditReviewer => "Logggranskare",
            Role::Administrator => "Administratör",
            Role::CountyGroup => "Länsgruppen för oenighet",
            Role::ChiefsGroup => "Chefsgruppen för samverkan",
            Role::HealthChoice => "Hälsoval",
        }
    }

    /// Arbetsterapeut or fysioterapeut: the rehabilitation professions, who judge when
    /// rehabilitation ends (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.4).
    pub fn is_rehab_professional(self) -> bool {
        matches!(self, Role::OccupationalTherapist | Role::Physiotherapist)
    }

    /// Licensed care staff who work with patients' requests.
    pub fn is_clinical(self) -> bool {
        matches!(
            self,
            Role::Doctor
                | Role::Nurse
                | Role::OccupationalTherapist
                | Role::Physiotherapist
                | Role::Coordinator
                | Role::UnitManager
        )
    }

    /// Sees the aggregated follow-up and economy: the measurement, the tilläggsbelopp and the
    /// development budget (no patient data).
    pub fn sees_economy(self) -> bool {
        matches!(
            self,
            Role::Economist | Role::UnitManager | Role::Coordinator | Role::Administrator
        )
    }

    /// Prepares and records the economic decisions: tilläggsbelopp versions, pot decisions,
    /// imported inputs, development items and the parties' decisions on them.
    pub fn records_economic_decisions(self) -> bool {
        matches!(self, Role::Economist | Role::Administrator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        let mut codes: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Role::ALL.len());
    }
}
