//! Need-to-know (behörighet efter vårdrelation): who may reach which group of routes, and whether
//! they then see a given patient. Patientdatalagen 4 kap. 2 § and HSLF-FS 2016:40 4 kap. 2 §
//! allow access to patient data only to those who need it for their work with the patient, so
//! the answer depends on the role *and* on how the user's unit relates to the case.
//!
//! `docs/SECURITY.md` prints this matrix, and the web suite checks every route of the router
//! against that printed table.

use crate::{Party, Role, Side};

/// A group of routes that share one access rule. Every route belongs to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteGroup {
    /// Sign-in, health checks, assets, the API description: reachable without an account.
    Open,
    /// The start page, sign-out and "who am I": any signed-in user.
    SignedIn,
    /// Lists of cases (inkorg, att göra, searches): clinical staff, filtered to their cases.
    CaseList,
    /// Writing a new request: clinical staff.
    CaseCreate,
    /// One case and everything in it: clinical staff of a unit party to the case.
    CaseRead,
    /// Steps, assessments, messages on a case: clinical staff of its sender or receiver.
    CaseWrite,
    /// The measurement, the tilläggsbelopp and the development budget, without identities.
    Figures,
    /// Drafts, decisions, corrections and inputs of the economic regulation.
    EconomicDecisions,
    /// The administrator's logged lookup from a personnummer to its measurement pseudonym.
    Reidentification,
    /// The access-log review (logggranskning).
    AccessLogReview,
    /// Accounts of the administrator's party: unlock, disable, enable. No patient data.
    Administration,
    /// Nödåtkomst: opening a person's cases without a care relation, with a reason; clinical
    /// staff only.
    EmergencyAccess,
    /// Min sida: a person's own pages, signed in with her own e-identification. No staff role
    /// reaches them; the person's session reaches nothing else.
    OwnPage,
    /// The county group's work: disagreements reported to county level, its guidance and what
    /// it has reported to the arbetsutskott. No patient identity unless a party attached it.
    CountyGroup,
    /// The yearly compilations of disagreements and deviations: figures and case numbers, no
    /// identities; for the county group, managers and coordinators.
    Compilations,
    /// Avvikelser: the list of one's own and one's party's deviations, and reporting a new one;
    /// staff of either party.
    Deviations,
    /// One deviation and its steps: staff of the two parties it is between. The matrix's columns
    /// are then the unit's relation to the deviation, not to a case.
    Deviation,
    /// The yearly follow-up: the plan, indicators, the survey's compilation, the sample check's
    /// results and the yearly report; figures without identities, for chefsgruppen, Hälsoval,
    /// managers, coordinators and economists.
    FollowUp,
    /// Chefsgruppen's decisions: the year's follow-up plan, the report's summary and its
    /// finalising.
    FollowUpDecisions,
    /// A vårdcentral's and its municipality's joint survey: staff of the two; a unit outside the
    /// pair is refused inside the group.
    Survey,
    /// Hälsoval's work: the survey's pairs and the sample check of treatment plans (each plan
    /// read is logged against its case).
    HealthChoice,
}

impl RouteGroup {
    pub const ALL: [RouteGroup; 21] = [
        RouteGroup::Open,
        RouteGroup::SignedIn,
        RouteGroup::CaseList,
        RouteGroup::CaseCreate,
        RouteGroup::CaseRead,
        RouteGroup::CaseWrite,
        RouteGroup::Figures,
        RouteGroup::EconomicDecisions,
        RouteGroup::Reidentification,
        RouteGroup::AccessLogReview,
        RouteGroup::Administration,
        RouteGroup::EmergencyAccess,
        RouteGroup::OwnPage,
        RouteGroup::CountyGroup,
        RouteGroup::Compilations,
        RouteGroup::Deviations,
        RouteGroup::Deviation,
        RouteGroup::FollowUp,
        RouteGroup::FollowUpDecisions,
        RouteGroup::Survey,
        RouteGroup::HealthChoice,
    ];

    /// The name in docs/SECURITY.md.
    pub fn code(self) -> &'static str {
        match self {
            RouteGroup::Open => "oppen",
            RouteGroup::SignedIn => "inloggad",
            RouteGroup::CaseList => "arendelista",
            RouteGroup::CaseCreate => "ny-begaran",
            RouteGroup::CaseRead => "arende-las",
            RouteGroup::CaseWrite => "arende-skriv",
            RouteGroup::Figures => "siffror",
            RouteGroup::EconomicDecisions => "ekonomiska-beslut",
            RouteGroup::Reidentification => "aterkoppling",
            RouteGroup::AccessLogReview => "logggranskning",
            RouteGroup::Administration => "administration",
            RouteGroup::EmergencyAccess => "nodatkomst",
            RouteGroup::OwnPage => "egen-sida",
            RouteGroup::CountyGroup => "lansgrupp",
            RouteGroup::Compilations => "sammanstallning",
            RouteGroup::Deviations => "avvikelser",
            RouteGroup::Deviation => "avvikelse",
            RouteGroup::FollowUp => "uppfoljning",
            RouteGroup::FollowUpDecisions => "uppfoljning-beslut",
            RouteGroup::Survey => "enkat",
            RouteGroup::HealthChoice => "halsoval",
        }
    }

    pub fn from_code(code: &str) -> Option<RouteGroup> {
        RouteGroup::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Whether the routes carry patient data, so that a refusal is itself an access-log entry.
    pub fn holds_patient_data(self) -> bool {
        matches!(
            self,
            RouteGroup::CaseList
                | RouteGroup::CaseCreate
                | RouteGroup::CaseRead
                | RouteGroup::CaseWrite
                | RouteGroup::Reidentification
                | RouteGroup::AccessLogReview
                | RouteGroup::EmergencyAccess
                | RouteGroup::HealthChoice
        )
    }

    /// Whether the routes are about one case, named by the `{id}` in their path.
    pub fn is_about_one_case(self) -> bool {
        matches!(self, RouteGroup::CaseRead | RouteGroup::CaseWrite)
    }

    /// Whether the role may use the group's routes at all, whatever its relation to a case.
    pub fn admits(self, role: Role) -> bool {
        match self {
            RouteGroup::Open | RouteGroup::SignedIn => true,
            RouteGroup::CaseList
            | RouteGroup::CaseCreate
            | RouteGroup::CaseRead
            | RouteGroup::CaseWrite => role.is_clinical(),
            RouteGroup::Figures => role.sees_economy(),
            RouteGroup::EconomicDecisions => role.records_economic_decisions(),
            RouteGroup::Reidentification => role == Role::Administrator,
            RouteGroup::AccessLogReview => role == Role::AuditReviewer,
            RouteGroup::Administration => role == Role::Administrator,
            RouteGroup::EmergencyAccess => crate::emergency_access::may_use(role),
            RouteGroup::OwnPage => false,
            RouteGroup::CountyGroup => role == Role::CountyGroup,
            RouteGroup::Compilations => matches!(
                role,
                Role::CountyGroup | Role::UnitManager | Role::Coordinator
            ),
            RouteGroup::Deviations | RouteGroup::Deviation => role.is_clinical(),
            RouteGroup::FollowUp => matches!(
                role,
                Role::ChiefsGroup
                    | Role::HealthChoice
                    | Role::UnitManager
                    | Role::Coordinator
                    | Role::Economist
            ),
            RouteGroup::FollowUpDecisions => role == Role::ChiefsGroup,
            RouteGroup::Survey => role.is_clinical(),
            RouteGroup::HealthChoice => role == Role::HealthChoice,
        }
    }
}

/// How a user's unit relates to a case (vårdrelation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseRelation {
    /// The unit that wrote and sent the request (avsändare).
    Sender,
    /// The unit that has the case now (mottagare).
    Receiver,
    /// A unit that had the case and handed it on (tidigare mottagare): a receiver that forwarded
    /// it, or the hospital that handed a discharged person's case to the vårdcentral.
    EarlierReceiver,
    /// Another unit of the sender's or the receiver's party.
    SameParty,
    /// A unit of a party that has no part in the case.
    OtherParty,
    /// A clinician with no care relation who has opened the person's cases by nödåtkomst, for
    /// as long as it lasts (the relation is the user's, not her unit's).
    Emergency,
    /// No such case.
    NoCase,
}

impl CaseRelation {
    pub const ALL: [CaseRelation; 7] = [
        CaseRelation::Sender,
        CaseRelation::Receiver,
        CaseRelation::EarlierReceiver,
        CaseRelation::SameParty,
        CaseRelation::OtherParty,
        CaseRelation::Emergency,
        CaseRelation::NoCase,
    ];

    /// The column heading in docs/SECURITY.md.
    pub fn code(self) -> &'static str {
        match self {
            CaseRelation::Sender => "avsandare",
            CaseRelation::Receiver => "mottagare",
            CaseRelation::EarlierReceiver => "tidigare-mottagare",
            CaseRelation::SameParty => "samma-part",
            CaseRelation::OtherParty => "annan-part",
            CaseRelation::Emergency => "nodatkomst",
            CaseRelation::NoCase => "inget-arende",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseRelation> {
        CaseRelation::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The relation of a unit to a case with these parties. A unit that was an earlier receiver
    /// and is the receiver again is the receiver; so is the rehab team on an egenvårdsbegäran it
    /// registered itself (sender and receiver at once: it acts as the party that has the case).
    pub fn of(unit: (&str, &Party), case: &CaseParties<'_>) -> CaseRelation {
        let (unit_id, party) = unit;
        if let Some(own) =
            CaseRelation::of_case_unit(unit_id, case.sender.0, case.receiver.0, case.received)
        {
            own
        } else if case.earlier_receivers.contains(&unit_id) {
            CaseRelation::EarlierReceiver
        } else if party == case.sender.1 || (party == case.receiver.1 && case.received) {
            CaseRelation::SameParty
        } else {
            CaseRelation::OtherParty
        }
    }

    /// The relation of the case's receiver or sender, which neither the parties nor the case's
    /// history change; `None` for any other unit. Most reads are by these units, so a caller can
    /// decide them before reading parties and history.
    pub fn of_case_unit(
        unit_id: &str,
        sender: &str,
        receiver: &str,
        received: bool,
    ) -> Option<CaseRelation> {
        if unit_id == receiver && received {
            Some(CaseRelation::Receiver)
        } else if unit_id == sender {
            Some(CaseRelation::Sender)
        } else {
            None
        }
    }

    /// The side of the case the unit acts for, if it may take steps in it.
    pub fn side(self) -> Option<Side> {
        match self {
            CaseRelation::Sender => Some(Side::Sender),
            CaseRelation::Receiver => Some(Side::Receiver),
            _ => None,
        }
    }

    /// Whether staff of such a unit work with the patient of the case.
    pub fn is_in_care(self) -> bool {
        matches!(
            self,
            CaseRelation::Sender | CaseRelation::Receiver | CaseRelation::EarlierReceiver
        )
    }
}

/// The units and parties of one case, for working out a relation.
#[derive(Debug, Clone)]
pub struct CaseParties<'a> {
    pub sender: (&'a str, &'a Party),
    pub receiver: (&'a str, &'a Party),
    /// False while the case is a draft: the receiver has not been sent anything yet.
    pub received: bool,
    pub earlier_receivers: Vec<&'a str>,
}

/// What a user gets from a route about a given patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Allowed, and the patient's identity and record may be shown (`ja`).
    Sees,
    /// Allowed, but nothing identifies this patient (`utan`).
    WithoutIdentity,
    /// Refused: 403 for the role, 404 for a case the unit has no part in (`nej`).
    Refused,
}

impl Verdict {
    /// The cell in docs/SECURITY.md.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Sees => "ja",
            Verdict::WithoutIdentity => "utan",
            Verdict::Refused => "nej",
        }
    }

    pub fn from_code(code: &str) -> Option<Verdict> {
        [Verdict::Sees, Verdict::WithoutIdentity, Verdict::Refused]
            .into_iter()
            .find(|v| v.code() == code)
    }
}

/// The access matrix: what a role at a unit with this relation to a patient's case gets from
/// the group's routes.
pub fn verdict(group: RouteGroup, role: Role, relation: CaseRelation) -> Verdict {
    if !group.admits(role) {
        return Verdict::Refused;
    }
    match group {
        RouteGroup::Open
        | RouteGroup::SignedIn
        | RouteGroup::CaseCreate
        | RouteGroup::Figures
        | RouteGroup::EconomicDecisions
        | RouteGroup::Administration
        | RouteGroup::OwnPage
        | RouteGroup::CountyGroup
        | RouteGroup::Compilations
        | RouteGroup::Deviations
        | RouteGroup::FollowUp
        | RouteGroup::FollowUpDecisions
        | RouteGroup::Survey
        | RouteGroup::HealthChoice => Verdict::WithoutIdentity,
        // A deviation is seen by the two parties it is between; a linked case is only named.
        RouteGroup::Deviation => match relation {
            CaseRelation::Sender
            | CaseRelation::Receiver
            | CaseRelation::EarlierReceiver
            | CaseRelation::SameParty => Verdict::Sees,
            _ => Verdict::Refused,
        },
        // Opening by nödåtkomst names the person, whatever the relation: that is its purpose,
        // and why it is logged with a reason.
        RouteGroup::EmergencyAccess => Verdict::Sees,
        RouteGroup::CaseList => {
            if relation.is_in_care() {
                Verdict::Sees
            } else {
                Verdict::WithoutIdentity
            }
        }
        RouteGroup::CaseRead => {
            if relation.is_in_care() || relation == CaseRelation::Emergency {
                Verdict::Sees
            } else {
                Verdict::Refused
            }
        }
        RouteGroup::CaseWrite => match relation {
            CaseRelation::Sender | CaseRelation::Receiver => Verdict::Sees,
            _ => Verdict::Refused,
        },
        // The lookup shows only what the administrator typed in; it is logged as a re-identification.
        RouteGroup::Reidentification => Verdict::Sees,
        // A reviewer sees the identity of patients whose cases her party is party to.
        RouteGroup::AccessLogReview => match relation {
            CaseRelation::OtherParty | CaseRelation::Emergency | CaseRelation::NoCase => {
                Verdict::WithoutIdentity
            }
            _ => Verdict::Sees,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MunicipalityCode;

    fn orebro() -> Party {
        Party::Municipality(MunicipalityCode::parse("1880").expect("Örebro"))
    }

    #[test]
    fn relation_follows_the_units_and_parties_of_the_case() {
        let region = Party::Region;
        let orebro = orebro();
        let kumla = Party::Municipality(MunicipalityCode::parse("1881").expect("Kumla"));
        let case = CaseParties {
            sender: ("vc", &region),
            receiver: ("rehab", &orebro),
            received: true,
            earlier_receivers: vec!["hsl"],
        };
        assert_eq!(
            CaseRelation::of(("vc", &region), &case),
            CaseRelation::Sender
        );
        assert_eq!(
            CaseRelation::of(("rehab", &orebro), &case),
            CaseRelation::Receiver
        );
        assert_eq!(
            CaseRelation::of(("hsl", &orebro), &case),
            CaseRelation::EarlierReceiver
        );
        assert_eq!(
            CaseRelation::of(("other-vc", &region), &case),
            CaseRelation::SameParty
        );
        assert_eq!(
            CaseRelation::of(("kumla", &kumla), &case),
            CaseRelation::OtherParty
        );
        let draft = CaseParties {
            received: false,
            earlier_receivers: vec![],
            ..case
        };
        assert_eq!(
            CaseRelation::of(("rehab", &orebro), &draft),
            CaseRelation::OtherParty
        );
        let own_egenvardsbegaran = CaseParties {
            sender: ("rehab", &orebro),
            receiver: ("rehab", &orebro),
            received: true,
            earlier_receivers: vec![],
        };
        assert_eq!(
            CaseRelation::of(("rehab", &orebro), &own_egenvardsbegaran),
            CaseRelation::Receiver,
            "the team that registered the person's own request has it"
        );
        assert_eq!(
            CaseRelation::of(("vc", &region), &own_egenvardsbegaran),
            CaseRelation::OtherParty
        );
    }

    #[test]
    fn roles_without_care_work_never_see_a_case() {
        for role in [Role::Economist, Role::AuditReviewer, Role::Administrator] {
            for group in [
                RouteGroup::CaseList,
                RouteGroup::CaseCreate,
                RouteGroup::CaseRead,
                RouteGroup::CaseWrite,
            ] {
                for relation in CaseRelation::ALL {
                    assert_eq!(verdict(group, role, relation), Verdict::Refused);
                }
            }
        }
    }

    #[test]
    fn an_earlier_receiver_reads_but_takes_no_step() {
        assert_eq!(
            verdict(
                RouteGroup::CaseRead,
                Role::Nurse,
                CaseRelation::EarlierReceiver
            ),
            Verdict::Sees
        );
        assert_eq!(
            verdict(
                RouteGroup::CaseWrite,
                Role::Nurse,
                CaseRelation::EarlierReceiver
            ),
            Verdict::Refused
        );
        assert_eq!(
            verdict(RouteGroup::CaseRead, Role::Nurse, CaseRelation::SameParty),
            Verdict::Refused
        );
    }

    #[test]
    fn codes_round_trip() {
        for group in RouteGroup::ALL {
            assert_eq!(RouteGroup::from_code(group.code()), Some(group));
        }
        for relation in CaseRelation::ALL {
            assert_eq!(CaseRelation::from_code(relation.code()), Some(relation));
        }
    }
}
