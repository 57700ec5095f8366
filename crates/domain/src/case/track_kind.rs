//! Spår: the four ways into municipal home health care (§3 of the agreement), which unit
//! receives each and which units start it by default. Apart from what a track requires (in
//! `track.rs`), so that the rule set's `[[tracks]]` can name tracks without importing the rules.

use crate::UnitKind;
use serde::{Deserialize, Serialize};

/// Spår: which process a case follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Track {
    /// Spår 1 — regional primärvård → kommunen (§3.1).
    PrimaryCare,
    /// Spår 2 — specialiserad vård → kommunen, with a SIP (§3.2).
    SpecializedCare,
    /// Spår 3 — utskrivning från slutenvård, ViSam gult eller rött spår (§3.3).
    Discharge,
    /// Rehabiliteringsprocessen (§3.4): no age limit, no referral needed.
    Rehabilitation,
}

impl Track {
    pub const ALL: [Track; 4] = [
        Track::PrimaryCare,
        Track::SpecializedCare,
        Track::Discharge,
        Track::Rehabilitation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Track::PrimaryCare => "primarvard",
            Track::SpecializedCare => "specialiserad",
            Track::Discharge => "utskrivning",
            Track::Rehabilitation => "rehabilitering",
        }
    }

    pub fn from_code(code: &str) -> Option<Track> {
        Track::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Track::PrimaryCare => "Spår 1: regional primärvård",
            Track::SpecializedCare => "Spår 2: specialiserad vård",
            Track::Discharge => "Spår 3: utskrivning från slutenvård (ViSam)",
            Track::Rehabilitation => "Rehabiliteringsprocessen",
        }
    }

    /// Tracks 1–3 are for adults; children are the responsibility of specialised care.
    pub fn has_age_limit(self) -> bool {
        self != Track::Rehabilitation
    }

    /// The kind of municipal unit that receives the track: rehabilitation goes to the
    /// occupational-therapist team, the rest to home health care.
    pub fn receiving_kind(self) -> UnitKind {
        if self == Track::Rehabilitation {
            UnitKind::MunicipalRehabTeam
        } else {
            UnitKind::MunicipalHealthCare
        }
    }

    /// Which units start the track: track 1 from a vårdcentral, tracks 2 and 3 from specialised
    /// care (clinics and psychiatry), rehabilitation from anyone, municipal staff included
    /// (they enter the person's own request).
    pub fn may_be_sent_from(self, kind: UnitKind) -> bool {
        match self {
            Track::PrimaryCare => kind == UnitKind::HealthCentre,
            Track::SpecializedCare | Track::Discharge => {
                matches!(kind, UnitKind::HospitalClinic | UnitKind::Psychiatry)
            }
            // Anyone, the municipality's home health care included (entering the person's own
            // request); not the rehab team itself, which receives it.
            Track::Rehabilitation => kind != UnitKind::MunicipalRehabTeam,
        }
    }
}
