//! The track panel of the case page: what is shown, and reading the posted form back into
//! [`TrackDetails`] with field-level messages.

use samsyn_domain::case::track::{
    JointPlanningWaiver, MutualException, PsychiatricMedication, RiskAssessment, Sip, VisamColour,
};
use samsyn_domain::{FieldError, RuleSet, TrackDetails};

/// A checkbox with its wording.
pub struct Check {
    pub name: String,
    pub text: String,
    pub checked: bool,
}

/// Everything the track panel shows, flattened for the template.
#[derive(Default)]
pub struct TrackPanel {
    pub code: &'static str,
    pub coordination_need: bool,
    pub safe_at_home: bool,
    pub digital_care_insufficient: bool,
    pub risk_instrument: String,
    pub risk_date: String,
    pub risk_score: String,
    pub exception: MutualException,
    pub sip_date: String,
    pub sip_participants: String,
    pub sip_consent: bool,
    pub waiver: JointPlanningWaiver,
    pub psychiatric: bool,
    pub criteria: Vec<Check>,
    pub region_checks: Vec<Check>,
    pub municipality_checks: Vec<Check>,
    pub habitual_state: String,
    pub doctor_contact: String,
    pub coercive_measures: bool,
    pub needs_observation: bool,
    pub can_reach_clinic: bool,
    pub visam_colour: String,
    pub discharge_date: String,
    pub plan_available_on: String,
    pub plan_due: String,
    pub plan_overdue: bool,
    pub doctor_responsibility_ends: String,
    pub rehab_initiator: String,
}

fn checks(prefix: &str, items: &[(String, String)], done: &[String]) -> Vec<Check> {
    items
        .iter()
        .map(|(id, text)| Check {
            name: format!("{prefix}:{id}"),
            text: text.clone(),
            checked: done.contains(id),
        })
        .collect()
}

fn numbered(texts: &[String]) -> Vec<(String, String)> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| (i.to_string(), t.clone()))
        .collect()
}

impl TrackPanel {
    pub fn new(details: &TrackDetails, rules: &RuleSet, today: jiff::civil::Date) -> TrackPanel {
        let psych = &rules.psychiatric_medication;
        let criteria: Vec<(String, String)> = psych
            .criteria
            .iter()
            .map(|c| (c.id.clone(), c.text.clone()))
            .collect();
        let mut panel = TrackPanel {
            code: details.track().code(),
            ..TrackPanel::default()
        };
        match details {
            TrackDetails::PrimaryCare {
                coordination_need,
                risk,
                safe_at_home,
                digital_care_insufficient,
                exception,
            } => {
                panel.coordination_need = *coordination_need;
                panel.safe_at_home = *safe_at_home;
                panel.digital_care_insufficient = *digital_care_insufficient;
                if let Some(r) = risk {
                    panel.risk_instrument = r.instrument.clone();
                    panel.risk_date = r.date.to_string();
                    panel.risk_score = r.score.to_string();
                }
                panel.exception = exception.clone().unwrap_or_default();
            }
            TrackDetails::SpecializedCare {
                sip,
                waiver,
                psychiatric,
            } => {
                if let Some(s) = sip {
                    panel.sip_date = s.date.to_string();
                    panel.sip_participants = s.participants.clone();
                    panel.sip_consent = s.consent;
                }
                panel.waiver = waiver.clone().unwrap_or_default();
                panel.psychiatric = psychiatric.is_some();
                let p = psychiatric.clone().unwrap_or_default();
                panel.criteria = checks("kriterium", &criteria, &p.criteria_met);
                panel.region_checks = checks(
                    "region",
                    &numbered(&psych.region_responsibilities),
                    &p.region_done,
                );
                panel.municipality_checks = checks(
                    "kommun",
                    &numbered(&psych.municipality_responsibilities),
                    &p.municipality_done,
                );
                panel.habitual_state = p.habitual_state;
                panel.doctor_contact = p.doctor_contact;
                panel.coercive_measures = p.coercive_measures;
                panel.needs_observation = p.needs_observation;
                panel.can_reach_clinic = p.can_reach_clinic;
            }
            TrackDetails::Discharge {
                colour,
                discharge_date,
                plan_available_on,
            } => {
                panel.visam_colour = colour.label().to_owned();
                panel.discharge_date = discharge_date.to_string();
                panel.plan_available_on =
                    plan_available_on.map(|d| d.to_string()).unwrap_or_default();
                panel.plan_due = details
                    .discharge_plan_due(rules)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                panel.plan_overdue = details.discharge_plan_overdue(today, rules);
                panel.doctor_responsibility_ends = details
                    .doctor_responsibility_ends(rules)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                panel.visam_colour = colour.code().to_owned();
            }
            TrackDetails::Rehabilitation { initiated_by } => {
                panel.rehab_initiator = initiated_by.label().to_owned()
            }
        }
        panel
    }

    pub fn colour_label(&self) -> &'static str {
        VisamColour::from_code(&self.visam_colour)
            .map(|c| c.label())
            .unwrap_or("")
    }
}

/// The posted track form: checkbox names present with value `ja`, text fields by name.
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == "ja")
    }

    fn checked_ids(&self, prefix: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(_, v)| v == "ja")
            .filter_map(|(k, _)| {
                k.strip_prefix(prefix)
                    .and_then(|rest| rest.strip_prefix(':'))
            })
            .map(str::to_owned)
            .collect()
    }

    pub fn version(&self) -> i64 {
        self.text("version").parse().unwrap_or(0)
    }

    fn date(
        &self,
        name: &'static str,
        label: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<jiff::civil::Date> {
        let text = self.text(name);
        if text.is_empty() {
            return None;
        }
        let parsed = text.parse().ok();
        if parsed.is_none() {
            errors.push(FieldError {
                field: name,
                message: format!("{label} ska skrivas ÅÅÅÅ-MM-DD."),
            });
        }
        parsed
    }

    /// Reads the form for the case's current track.
    pub fn details(
        &self,
        current: &TrackDetails,
        rules: &RuleSet,
    ) -> Result<TrackDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let details = match current {
            TrackDetails::PrimaryCare { .. } => {
                let instrument = self.text("risk_instrument");
                let date = self.date("risk_date", "Datum för riskbedömningen", &mut errors);
                let risk = if instrument.is_empty() {
                    None
                } else {
                    let found = rules.instrument(&instrument);
                    let score = self.text("risk_score").parse::<i32>().ok();
                    match (found, score) {
                        (None, _) => errors.push(FieldError {
                            field: "risk_instrument",
                            message: "Välj ett instrument i listan.".into(),
                        }),
                        (Some(i), Some(s)) if !(i.min..=i.max).contains(&s) => {
                            errors.push(FieldError {
                                field: "risk_score",
                                message: format!("{} har poäng {}–{}.", i.name, i.min, i.max),
                            })
                        }
                        (Some(_), None) => errors.push(FieldError {
                            field: "risk_score",
                            message: "Ange poängen som ett heltal.".into(),
                        }),
                        _ => {}
                    }
                    if date.is_none() && !errors.iter().any(|e| e.field == "risk_date") {
                        errors.push(FieldError {
                            field: "risk_date",
                            message: "Ange datum för riskbedömningen.".into(),
                        });
                    }
                    date.zip(score).map(|(date, score)| RiskAssessment {
                        instrument,
                        date,
                        score,
                    })
                };
                let exception = MutualException {
                    region_unit: self.text("exception_region_unit"),
                    municipality_unit: self.text("exception_municipality_unit"),
                    agreed_by: self.text("exception_agreed_by"),
                    reason: self.text("exception_reason"),
                };
                let any = [
                    &exception.region_unit,
                    &exception.municipality_unit,
                    &exception.agreed_by,
                    &exception.reason,
                ]
                .iter()
                .any(|s| !s.is_empty());
                TrackDetails::PrimaryCare {
                    coordination_need: self.checked("coordination_need"),
                    risk,
                    safe_at_home: self.checked("safe_at_home"),
                    digital_care_insufficient: self.checked("digital_care_insufficient"),
                    exception: any.then_some(exception),
                }
            }
            TrackDetails::SpecializedCare { psychiatric, .. } => {
                let date = self.date("sip_date", "Datum för SIP", &mut errors);
                let participants = self.text("sip_participants");
                let sip = match date {
                    Some(date) => Some(Sip {
                        date,
                        participants,
                        consent: self.checked("sip_consent"),
                    }),
                    None if !participants.is_empty() => {
                        errors.push(FieldError {
                            field: "sip_date",
                            message: "Ange datum för SIP.".into(),
                        });
                        None
                    }
                    None => None,
                };
                let waiver = JointPlanningWaiver {
                    reason: self.text("waiver_reason"),
                    agreed_by: self.text("waiver_agreed_by"),
                };
                let waiver =
                    (!waiver.reason.is_empty() || !waiver.agreed_by.is_empty()).then_some(waiver);
                let psychiatric = psychiatric.as_ref().map(|_| PsychiatricMedication {
                    criteria_met: self.checked_ids("kriterium"),
                    region_done: self.checked_ids("region"),
                    municipality_done: self.checked_ids("kommun"),
                    habitual_state: self.text("habitual_state"),
                    doctor_contact: self.text("doctor_contact"),
                    coercive_measures: self.checked("coercive_measures"),
                    needs_observation: self.checked("needs_observation"),
                    can_reach_clinic: self.checked("can_reach_clinic"),
                });
                TrackDetails::SpecializedCare {
                    sip,
                    waiver,
                    psychiatric,
                }
            }
            TrackDetails::Discharge {
                colour,
                discharge_date,
                ..
            } => {
                let colour = VisamColour::from_code(&self.text("visam_colour")).unwrap_or(*colour);
                let discharge_date = self
                    .date("discharge_date", "Utskrivningsdatum", &mut errors)
                    .unwrap_or(*discharge_date);
                let plan_available_on =
                    self.date("plan_available_on", "Datum då planen fanns", &mut errors);
                TrackDetails::Discharge {
                    colour,
                    discharge_date,
                    plan_available_on,
                }
            }
            TrackDetails::Rehabilitation { .. } => current.clone(),
        };
        if errors.is_empty() {
            Ok(details)
        } else {
            Err(errors)
        }
    }
}
