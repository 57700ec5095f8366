//! The four ways into municipal home health care (§3 of the agreement) and what each requires
//! before a decision to enroll (inskrivning) can be recorded.

pub use super::track_kind::Track;
use crate::{RuleSet, UnitKind};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Whether the user may register an egenvårdsbegäran the person made to the rehab team by
/// telephone (§3.4: "Behovet kan initieras genom Lifecare SP, telefonkontakt eller remiss"): the
/// team's own arbetsterapeut or fysioterapeut, who then assess and decide it.
pub fn may_register_egenvardsbegaran(kind: UnitKind, role: crate::Role) -> bool {
    kind == UnitKind::MunicipalRehabTeam && role.is_rehab_professional()
}

/// ViSam track colour for discharge planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VisamColour {
    /// Gult spår.
    Yellow,
    /// Rött spår.
    Red,
}

impl VisamColour {
    pub fn code(self) -> &'static str {
        match self {
            VisamColour::Yellow => "gult",
            VisamColour::Red => "rott",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [VisamColour::Yellow, VisamColour::Red]
            .into_iter()
            .find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            VisamColour::Yellow => "Gult spår",
            VisamColour::Red => "Rött spår",
        }
    }
}

/// Who started a rehabilitation case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RehabInitiator {
    /// Egenvårdsbegäran — the person themself; entered by staff.
    SelfReferral,
    SpecializedCare,
    PrimaryCare,
}

impl RehabInitiator {
    pub const ALL: [RehabInitiator; 3] = [
        RehabInitiator::SelfReferral,
        RehabInitiator::SpecializedCare,
        RehabInitiator::PrimaryCare,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RehabInitiator::SelfReferral => "egen",
            RehabInitiator::SpecializedCare => "specialiserad",
            RehabInitiator::PrimaryCare => "primarvard",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        RehabInitiator::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RehabInitiator::SelfReferral => "Personen själv (egenvårdsbegäran)",
            RehabInitiator::SpecializedCare => "Specialiserad vård",
            RehabInitiator::PrimaryCare => "Primärvård (regional eller kommunal)",
        }
    }
}

/// A risk assessment with an accepted instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskAssessment {
    pub instrument: String,
    pub date: Date,
    pub score: i32,
}

/// Undantag i samförstånd: an unmet track-1 criterion overridden by both units together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MutualException {
    pub region_unit: String,
    pub municipality_unit: String,
    pub agreed_by: String,
    pub reason: String,
}

impl MutualException {
    fn is_complete(&self) -> bool {
        [
            &self.region_unit,
            &self.municipality_unit,
            &self.agreed_by,
            &self.reason,
        ]
        .iter()
        .all(|s| !s.trim().is_empty())
    }
}

/// Samordnad individuell plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sip {
    pub date: Date,
    pub participants: String,
    pub consent: bool,
}

/// Both parties agree that joint planning with the person is obviously unnecessary (§3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct JointPlanningWaiver {
    pub reason: String,
    pub agreed_by: String,
}

/// Psychiatric medication handling (§3.2.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PsychiatricMedication {
    /// Ids of the rule set's criteria that hold.
    pub criteria_met: Vec<String>,
    pub region_done: Vec<String>,
    pub municipality_done: Vec<String>,
    /// The written joint description of the person's habitual state.
    pub habitual_state: String,
    /// The 24/7 doctor contact written into the SIP.
    pub doctor_contact: String,
    /// Avgränsningar: each one excludes the handover.
    pub coercive_measures: bool,
    pub needs_observation: bool,
    pub can_reach_clinic: bool,
}

/// What has been recorded for the case's track, as the assessment goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackDetails {
    PrimaryCare {
        coordination_need: bool,
        risk: Option<RiskAssessment>,
        safe_at_home: bool,
        digital_care_insufficient: bool,
        exception: Option<MutualException>,
    },
    SpecializedCare {
        sip: Option<Sip>,
        waiver: Option<JointPlanningWaiver>,
        psychiatric: Option<PsychiatricMedication>,
    },
    Discharge {
        colour: VisamColour,
        discharge_date: Date,
        /// When the 7-day medical treatment plan was made available.
        plan_available_on: Option<Date>,
    },
    Rehabilitation {
        initiated_by: RehabInitiator,
    },
}

impl TrackDetails {
    pub fn track(&self) -> Track {
        match self {
            TrackDetails::PrimaryCare { .. } => Track::PrimaryCare,
            TrackDetails::SpecializedCare { .. } => Track::SpecializedCare,
            TrackDetails::Discharge { .. } => Track::Discharge,
            TrackDetails::Rehabilitation { .. } => Track::Rehabilitation,
        }
    }

    /// Whether `other` may replace these facts: the same track, and the same sub-process (a
    /// psychiatric handover cannot be turned into an ordinary one to escape its criteria).
    pub fn same_process(&self, other: &TrackDetails) -> bool {
        match (self, other) {
            (
                TrackDetails::SpecializedCare { psychiatric: a, .. },
                TrackDetails::SpecializedCare { psychiatric: b, .. },
            ) => a.is_some() == b.is_some(),
            (a, b) => a.track() == b.track(),
        }
    }

    /// A track-1 case starts with nothing assessed.
    pub fn new_primary_care() -> TrackDetails {
        TrackDetails::PrimaryCare {
            coordination_need: false,
            risk: None,
            safe_at_home: false,
            digital_care_insufficient: false,
            exception: None,
        }
    }

    pub fn new_specialized_care(psychiatric: bool) -> TrackDetails {
        TrackDetails::SpecializedCare {
            sip: None,
            waiver: None,
            psychiatric: psychiatric.then(PsychiatricMedication::default),
        }
    }

    /// Why a decision to enroll cannot be recorded yet; empty when it can. Each entry is a
    /// Swedish sentence naming the unmet criterion.
    pub fn enrollment_blockers(&self, age: i32, rules: &RuleSet) -> Vec<String> {
        let mut blockers = Vec::new();
        match self {
            TrackDetails::PrimaryCare {
                coordination_need,
                risk,
                safe_at_home,
                digital_care_insufficient,
                exception,
            } => {
                let mut unmet = Vec::new();
                if age < rules.enrollment.minimum_age {
                    unmet.push(format!(
                        "Personen har inte fyllt {} år.",
                        rules.enrollment.minimum_age
                    ));
                }
                if !coordination_need {
                    unmet.push("Behov av samordning av vård och omsorg är inte bedömt.".to_owned());
                }
                match risk {
                    None => unmet.push("Ingen riskbedömning är registrerad.".to_owned()),
                    Some(r) => match rules.instrument(&r.instrument) {
                        Some(i) if !(i.min..=i.max).contains(&r.score) => {
                            unmet.push(format!("Poängen {} ligger utanför {}s skala {}–{}.", r.score, i.name, i.min, i.max))
                        }
                        Some(i) if !i.shows_risk(r.score) => {
                            unmet.push(format!("Riskbedömningen med {} visar ingen risk.", i.name))
                        }
                        Some(_) => {}
                        None => unmet.push("Riskbedömningen gjordes med ett instrument som inte finns i regelverket.".to_owned()),
                    },
                }
                if !safe_at_home {
                    unmet.push(
                        "Det är inte bedömt att vården kan ges tryggt och säkert i hemmet."
                            .to_owned(),
                    );
                }
                if !digital_care_insufficient {
                    unmet.push("Det är inte bedömt att behovet inte kan mötas med regionens digitala vård.".to_owned());
                }
                let excepted = exception.as_ref().is_some_and(MutualException::is_complete);
                if !excepted {
                    blockers.extend(unmet);
                }
            }
            TrackDetails::SpecializedCare {
                sip,
                waiver,
                psychiatric,
            } => {
                let has_sip = sip
                    .as_ref()
                    .is_some_and(|s| s.consent && !s.participants.trim().is_empty());
                let waived = waiver
                    .as_ref()
                    .is_some_and(|w| !w.reason.trim().is_empty() && !w.agreed_by.trim().is_empty());
                if age < rules.enrollment.minimum_age {
                    blockers.push(format!(
                        "Personen har inte fyllt {} år.",
                        rules.enrollment.minimum_age
                    ));
                }
                if let Some(p) = psychiatric {
                    if !has_sip {
                        blockers.push("Läkemedelshantering från psykiatrin kräver en upprättad SIP med personens samtycke.".to_owned());
                    }
                    for c in &rules.psychiatric_medication.criteria {
                        if !p.criteria_met.contains(&c.id) {
                            blockers.push(format!("Kriteriet är inte uppfyllt: {}", c.text));
                        }
                    }
                    if p.coercive_measures {
                        blockers.push(
                            "Kommunen kan inte ta över ansvar för tvångsåtgärder.".to_owned(),
                        );
                    }
                    if p.needs_observation {
                        blockers.push("Läkemedel som kräver att personal stannar för observation kan inte lämnas över.".to_owned());
                    }
                    if p.can_reach_clinic {
                        blockers.push("Personen kan själv ta sig till mottagningen.".to_owned());
                    }
                    if p.habitual_state.trim().is_empty() {
                        blockers.push(
                            "Den skriftliga beskrivningen av habitualtillståndet saknas."
                                .to_owned(),
                        );
                    }
                    if p.doctor_contact.trim().is_empty() {
                        blockers
                            .push("Kontaktuppgifter till läkarstöd dygnet runt saknas.".to_owned());
                    }
                } else if !has_sip && !waived {
                    blockers.push(
                        "En SIP med personens samtycke krävs, eller ett registrerat beslut av båda parter att samplanering med personen är uppenbart obehövlig, med skäl.".to_owned(),
                    );
                }
            }
            TrackDetails::Discharge { .. } => {
                if age < rules.enrollment.minimum_age {
                    blockers.push(format!(
                        "Personen har inte fyllt {} år.",
                        rules.enrollment.minimum_age
                    ));
                }
            }
            TrackDetails::Rehabilitation { .. } => {}
        }
        blockers
    }

    /// Track 3: the day the 7-day medical treatment plan must be available.
    pub fn discharge_plan_due(&self, rules: &RuleSet) -> Option<Date> {
        match self {
            TrackDetails::Discharge { discharge_date, .. } => Some(
                discharge_date
                    .saturating_sub(i64::from(rules.discharge.plan_days_before_discharge).days()),
            ),
            _ => None,
        }
    }

    /// Track 3: the last day of specialised care's doctor responsibility after discharge.
    pub fn doctor_responsibility_ends(&self, rules: &RuleSet) -> Option<Date> {
        match self {
            TrackDetails::Discharge { discharge_date, .. } => Some(
                discharge_date
                    .saturating_add(i64::from(rules.discharge.doctor_responsibility_days).days()),
            ),
            _ => None,
        }
    }

    /// Track 3: the plan is overdue when it is not available and its day has passed.
    pub fn discharge_plan_overdue(&self, today: Date, rules: &RuleSet) -> bool {
        match (self, self.discharge_plan_due(rules)) {
            (
                TrackDetails::Discharge {
                    plan_available_on, ..
                },
                Some(due),
            ) => match plan_available_on {
                Some(available) => *available > due,
                None => today > due,
            },
            _ => false,
        }
    }
}

/// Gemensam planering must take place by this day after a decision to enroll on `decided_on`.
pub fn joint_planning_due(decided_on: Date, rules: &RuleSet) -> Date {
    decided_on.saturating_add(i64::from(rules.joint_planning.calendar_days_after_enrollment).days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn rules() -> RuleSet {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap()
    }

    fn met_primary() -> TrackDetails {
        TrackDetails::PrimaryCare {
            coordination_need: true,
            risk: Some(RiskAssessment {
                instrument: "cfs".into(),
                date: date(2026, 11, 2),
                score: 6,
            }),
            safe_at_home: true,
            digital_care_insufficient: true,
            exception: None,
        }
    }

    #[test]
    fn track_one_refuses_an_unmet_criterion_unless_excepted() {
        let rules = rules();
        assert!(met_primary().enrollment_blockers(80, &rules).is_empty());
        let TrackDetails::PrimaryCare { risk, .. } = met_primary() else {
            unreachable!()
        };
        let no_risk = TrackDetails::PrimaryCare {
            coordination_need: true,
            risk: Some(RiskAssessment {
                score: 3,
                ..risk.unwrap()
            }),
            safe_at_home: true,
            digital_care_insufficient: false,
            exception: None,
        };
        let blockers = no_risk.enrollment_blockers(80, &rules);
        assert_eq!(blockers.len(), 2, "{blockers:?}");
        assert!(blockers[0].contains("visar ingen risk"));
        let TrackDetails::PrimaryCare {
            coordination_need,
            risk,
            safe_at_home,
            digital_care_insufficient,
            ..
        } = no_risk
        else {
            unreachable!()
        };
        let half_exception = MutualException {
            reason: "Särskilda skäl".into(),
            ..Default::default()
        };
        let mut excepted = TrackDetails::PrimaryCare {
            coordination_need,
            risk,
            safe_at_home,
            digital_care_insufficient,
            exception: Some(half_exception),
        };
        assert_eq!(
            excepted.enrollment_blockers(80, &rules).len(),
            2,
            "an incomplete exception is no exception"
        );
        if let TrackDetails::PrimaryCare { exception, .. } = &mut excepted {
            *exception = Some(MutualException {
                region_unit: "Vårdcentralen Nora".into(),
                municipality_unit: "Hemsjukvården Nora".into(),
                agreed_by: "Dr A och SSK B".into(),
                reason: "Personen kan inte använda digitala tjänster just nu.".into(),
            });
        }
        assert!(excepted.enrollment_blockers(80, &rules).is_empty());
    }

    #[test]
    fn track_two_needs_a_sip_or_a_recorded_reason() {
        let rules = rules();
        let nothing = TrackDetails::new_specialized_care(false);
        assert_eq!(nothing.enrollment_blockers(70, &rules).len(), 1);
        let waived = TrackDetails::SpecializedCare {
            sip: None,
            waiver: Some(JointPlanningWaiver {
                reason: "Enkel punktinsats".into(),
                agreed_by: "Båda enheterna".into(),
            }),
            psychiatric: None,
        };
        assert!(waived.enrollment_blockers(70, &rules).is_empty());
        let sip = TrackDetails::SpecializedCare {
            sip: Some(Sip {
                date: date(2026, 11, 10),
                participants: "Personen, SSK, läkare".into(),
                consent: true,
            }),
            waiver: None,
            psychiatric: None,
        };
        assert!(sip.enrollment_blockers(70, &rules).is_empty());
    }

    #[test]
    fn psychiatric_handover_needs_all_eight_criteria_and_no_exclusion() {
        let rules = rules();
        let all: Vec<String> = rules
            .psychiatric_medication
            .criteria
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let complete = PsychiatricMedication {
            criteria_met: all.clone(),
            habitual_state: "Lugn, sköter sin hygien.".into(),
            doctor_contact: "Psykiatrins jour 019-000000".into(),
            ..Default::default()
        };
        let with = |p: PsychiatricMedication| TrackDetails::SpecializedCare {
            sip: Some(Sip {
                date: date(2026, 11, 10),
                participants: "Personen, SSK".into(),
                consent: true,
            }),
            waiver: Some(JointPlanningWaiver {
                reason: "inte tillåtet här".into(),
                agreed_by: "x".into(),
            }),
            psychiatric: Some(p),
        };
        assert!(
            with(complete.clone())
                .enrollment_blockers(40, &rules)
                .is_empty()
        );
        for missing in &all {
            let p = PsychiatricMedication {
                criteria_met: all.iter().filter(|c| *c != missing).cloned().collect(),
                ..complete.clone()
            };
            assert_eq!(
                with(p).enrollment_blockers(40, &rules).len(),
                1,
                "missing {missing}"
            );
        }
        let coercive = PsychiatricMedication {
            coercive_measures: true,
            ..complete.clone()
        };
        assert!(with(coercive).enrollment_blockers(40, &rules)[0].contains("tvångsåtgärder"));
        let no_sip = TrackDetails::SpecializedCare {
            sip: None,
            waiver: Some(JointPlanningWaiver {
                reason: "skäl".into(),
                agreed_by: "båda".into(),
            }),
            psychiatric: Some(complete),
        };
        assert!(
            !no_sip.enrollment_blockers(40, &rules).is_empty(),
            "no waiver path for psychiatry"
        );
    }

    #[test]
    fn under_eighteen_is_refused_on_tracks_one_to_three_but_not_in_rehabilitation() {
        let rules = rules();
        let discharge = TrackDetails::Discharge {
            colour: VisamColour::Red,
            discharge_date: date(2026, 11, 30),
            plan_available_on: None,
        };
        assert!(!discharge.enrollment_blockers(17, &rules).is_empty());
        assert!(!met_primary().enrollment_blockers(17, &rules).is_empty());
        assert!(
            !TrackDetails::new_specialized_care(false)
                .enrollment_blockers(17, &rules)
                .is_empty()
        );
        let rehab = TrackDetails::Rehabilitation {
            initiated_by: RehabInitiator::SelfReferral,
        };
        assert!(rehab.enrollment_blockers(9, &rules).is_empty());
    }

    #[test]
    fn discharge_dates() {
        let rules = rules();
        let d = TrackDetails::Discharge {
            colour: VisamColour::Yellow,
            discharge_date: date(2026, 11, 30),
            plan_available_on: None,
        };
        assert_eq!(d.discharge_plan_due(&rules), Some(date(2026, 11, 30)));
        assert_eq!(
            d.doctor_responsibility_ends(&rules),
            Some(date(2026, 12, 7))
        );
        assert!(!d.discharge_plan_overdue(date(2026, 11, 30), &rules));
        assert!(d.discharge_plan_overdue(date(2026, 12, 1), &rules));
        assert_eq!(
            joint_planning_due(date(2026, 11, 23), &rules),
            date(2026, 11, 30)
        );
    }
}
