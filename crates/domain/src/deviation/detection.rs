//! Deviations Samsyn sees in its own data: what a case's dates say was missed, as proposals to
//! the responsible unit's manager. Each finding names the check, the day it was missed and which
//! side of the case missed it, and says what happened without naming the person.

use super::rules::{Detection, DeviationRules};
use crate::Side;
use jiff::ToSpan;
use jiff::civil::Date;

/// What the checks read from one case.
#[derive(Debug, Clone, Default)]
pub struct CaseDates {
    /// Kvittens senast, once sent.
    pub acknowledgement_due: Option<Date>,
    /// The day the kvittens came, if it has.
    pub acknowledged_on: Option<Date>,
    /// Still waiting for a kvittens (sent or forwarded).
    pub awaiting_acknowledgement: bool,
    /// Track 3: the discharge day.
    pub discharge_on: Option<Date>,
    /// Track 3: the day the seven-day plan was available, if it is.
    pub seven_day_plan_on: Option<Date>,
    /// Gemensam planering senast, while the planning is not held.
    pub planning_due: Option<Date>,
    /// The next follow-up of the fastställd plan.
    pub follow_up_due: Option<Date>,
    /// The case is closed or withdrawn: nothing more is expected of it.
    pub finished: bool,
}

/// One thing the case's dates say was missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub detection: Detection,
    pub occurred_on: Date,
    /// The side whose manager answers for it.
    pub responsible: Side,
    pub description: String,
}

/// The checks the rule set has kinds for, run on one case.
pub fn findings(case: &CaseDates, today: Date, rules: &DeviationRules) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut add = |detection: Detection, occurred_on: Date, responsible: Side, text: String| {
        if rules.detected(detection).is_some() {
            found.push(Finding {
                detection,
                occurred_on,
                responsible,
                description: text,
            });
        }
    };
    if let Some(due) = case.acknowledgement_due {
        match case.acknowledged_on {
            Some(on) if on > due => add(
                Detection::LateAcknowledgement,
                on,
                Side::Receiver,
                format!("Kvittensen skulle ha kommit senast {due} men kom {on}."),
            ),
            None if case.awaiting_acknowledgement && today > due => add(
                Detection::LateAcknowledgement,
                today,
                Side::Receiver,
                format!("Kvittensen skulle ha kommit senast {due} och har inte kommit."),
            ),
            _ => {}
        }
    }
    if let Some(discharge) = case.discharge_on {
        let late = match case.seven_day_plan_on {
            Some(on) => on > discharge,
            None => !case.finished && today > discharge,
        };
        if late {
            let text = match case.seven_day_plan_on {
                Some(on) => format!(
                    "Sjudagarsplanen blev tillgänglig {on}, efter utskrivningen {discharge}."
                ),
                None => format!("Ingen sjudagarsplan fanns vid utskrivningen {discharge}."),
            };
            add(
                Detection::SevenDayPlanMissing,
                discharge,
                Side::Sender,
                text,
            );
        }
    }
    if let Some(due) = case.planning_due
        && !case.finished
        && today > due
    {
        add(
            Detection::PlanningNotHeld,
            due,
            Side::Receiver,
            format!("Den gemensamma planeringen skulle ha hållits senast {due}."),
        );
    }
    if let Some(due) = case.follow_up_due
        && !case.finished
        && today > due.saturating_add(i64::from(rules.follow_up_margin_days).days())
    {
        add(
            Detection::FollowUpOverdue,
            due,
            Side::Sender,
            format!(
                "Uppföljningen av behandlingsplanen skulle ha gjorts {due} och är mer än {} dagar sen.",
                rules.follow_up_margin_days
            ),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::rules::DeviationKind;
    use super::*;
    use jiff::civil::date;

    fn rules(detected: &[Detection]) -> DeviationRules {
        DeviationRules {
            kinds: detected
                .iter()
                .map(|d| DeviationKind {
                    code: d.code().into(),
                    label: d.code().into(),
                    concerns: "§".into(),
                    detected_by: Some(*d),
                })
                .collect(),
            answer_working_days: 10,
            follow_up_margin_days: 14,
        }
    }

    #[test]
    fn late_and_missing_steps_are_found_and_met_ones_are_not() {
        let today = date(2026, 12, 3);
        let all = rules(&Detection::ALL);
        let late = CaseDates {
            acknowledgement_due: Some(date(2026, 11, 20)),
            acknowledged_on: Some(date(2026, 11, 24)),
            discharge_on: Some(date(2026, 11, 25)),
            planning_due: Some(date(2026, 11, 27)),
            follow_up_due: Some(date(2026, 11, 18)),
            ..CaseDates::default()
        };
        let found: Vec<_> = findings(&late, today, &all)
            .into_iter()
            .map(|f| (f.detection, f.responsible))
            .collect();
        assert_eq!(
            found,
            [
                (Detection::LateAcknowledgement, Side::Receiver),
                (Detection::SevenDayPlanMissing, Side::Sender),
                (Detection::PlanningNotHeld, Side::Receiver),
                (Detection::FollowUpOverdue, Side::Sender),
            ]
        );
        let met = CaseDates {
            acknowledgement_due: Some(date(2026, 11, 20)),
            acknowledged_on: Some(date(2026, 11, 20)),
            discharge_on: Some(date(2026, 11, 25)),
            seven_day_plan_on: Some(date(2026, 11, 24)),
            follow_up_due: Some(date(2026, 11, 20)),
            ..CaseDates::default()
        };
        assert!(
            findings(&met, today, &all).is_empty(),
            "within the margin too"
        );
        assert!(
            findings(&late, today, &rules(&[])).is_empty(),
            "only checks the rule set has a kind for"
        );
    }
}
