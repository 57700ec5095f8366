//! Indicators from live data (*indikatorer*): what the cases say about how the agreement is
//! followed — requests per track, kvittens in time, planning within the week, complete plans,
//! follow-ups in time, seven-day plans by discharge, SIP where required, time to decision, closing
//! by both parties — per municipality, for the county and month by month. Each indicator says how
//! it is computed next to its figure; the yearly report prints these values and no others.
//!
//! The inputs are dates and yes/no facts per case: no person is needed to compute them.

use crate::calendar::WorkingDayCalendar;
use crate::case::track::Track;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// What the indicators read from one sent case.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    pub case_id: String,
    /// The track's code.
    pub track: String,
    /// The municipality the case is with (its SCB code).
    pub municipality: String,
    pub sent_on: Option<Date>,
    pub acknowledgement_due: Option<Date>,
    pub acknowledged_on: Option<Date>,
    /// The day the decision stood (confirmed by the other party).
    pub decided_on: Option<Date>,
    /// The decision was to enroll the person.
    pub enrolled: bool,
    /// Gemensam planering senast.
    pub planning_due: Option<Date>,
    pub planning_held_on: Option<Date>,
    /// A fastställd medical treatment plan with all five parts and both parties' fixed contacts.
    pub complete_plan: bool,
    /// Each follow-up of the plan: the day it was due and the day it was held, if it was.
    pub follow_ups: Vec<(Date, Option<Date>)>,
    /// Track 3: the discharge day and the day the seven-day plan was available.
    pub discharge_on: Option<Date>,
    pub seven_day_plan_on: Option<Date>,
    /// A SIP was held on the case.
    pub sip_held: bool,
    /// The day the case was closed, and whether both parties agreed to it with "where the person
    /// turns" recorded.
    pub closed_on: Option<Date>,
    pub closed_by_both_with_next_contact: bool,
}

/// How an indicator's observations make a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Measure {
    /// How many.
    Count,
    /// The share that met the requirement, in per cent.
    Share,
    /// The median of calendar days.
    MedianDays,
    /// The median of working days.
    MedianWorkingDays,
}

impl Measure {
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Count => "antal",
            Measure::Share => "%",
            Measure::MedianDays => "dagar (median)",
            Measure::MedianWorkingDays => "arbetsdagar (median)",
        }
    }
}

/// One observation of a case: the day it belongs to, and what it was.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Observation {
    One,
    Met(bool),
    Days(u32),
}

type Observe = fn(&CaseFacts, Date, &WorkingDayCalendar) -> Vec<(Date, Observation)>;

struct Definition {
    id: String,
    label: String,
    definition: String,
    measure: Measure,
    observe: Observe,
    track: Option<Track>,
}

/// An indicator's figures for a year.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    /// How it is computed, in the words shown next to it.
    pub definition: String,
    pub measure: Measure,
    pub county: Option<f64>,
    /// By municipality code; every municipality of the rule set is present.
    pub by_party: BTreeMap<String, Option<f64>>,
    /// January to December.
    pub monthly: Vec<Option<f64>>,
    /// How many observations the county figure rests on.
    pub observations: usize,
    /// The cases behind the figure, for those who may open them.
    pub cases: Vec<String>,
}

fn sent(case: &CaseFacts, _: Date, _: &WorkingDayCalendar) -> Vec<(Date, Observation)> {
    case.sent_on
        .map(|d| (d, Observation::One))
        .into_iter()
        .collect()
}

fn acknowledged_in_time(
    case: &CaseFacts,
    today: Date,
    _: &WorkingDayCalendar,
) -> Vec<(Date, Observation)> {
    let (Some(sent), Some(due)) = (case.sent_on, case.acknowledgement_due) else {
        return Vec::new();
    };
    match case.acknowledged_on {
        Some(on) => vec![(sent, Observation::Met(on <= due))],
        None if today > due => vec![(sent, Observation::Met(false))],
        None => Vec::new(),
    }
}

fn working_days_to_acknowledgement(
    case: &CaseFacts,
    _: Date,
    calendar: &WorkingDayCalendar,
) -> Vec<(Date, Observation)> {
    match (case.sent_on, case.acknowledged_on) {
        (Some(sent), Some(on)) => vec![(
            sent,
            Observation::Days(calendar.working_days_between(sent, on)),
        )],
        _ => Vec::new(),
    }
}

fn planning_in_time(
    case: &CaseFacts,
    today: Date,
    _: &WorkingDayCalendar,
) -> Vec<(Date, Observation)> {
    let (true, Some(decided), Some(due)) = (case.enrolled, case.decided_on, case.planning_due)
    else {
        return Vec::new();
    };
    match case.planning_held_on {
        Some(held) => vec![(decided, Observation::Met(held <= due))],
        None if today > due => vec![(decided, Observation::Met(false))],
        None => Vec::new(),
    }
}

fn complete_plan(case: &CaseFacts, _: Date, _: &WorkingDayCalendar) -> Vec<(Date, Observation)> {
    // The rehabilitation process has a rehabiliteringsplan, not a medical treatment plan.
    let has_treatment_plan = case.track != Track::Rehabilitation.code();
    match (case.enrolled && has_treatment_plan, case.decided_on) {
        (true, Some(decided)) => vec![(decided, Observation::Met(case.complete_plan))],
        _ => Vec::new(),
    }
}

fn follow_ups_in_time(
    case: &CaseFacts,
    today: Date,
    _: &WorkingDayCalendar,
) -> Vec<(Date, Observation)> {
    case.follow_ups
        .iter()
        .filter_map(|(due, held)| match held {
            Some(held) => Some((*due, Observation::Met(held <= due))),
            None if today > *due => Some((*due, Observation::Met(false))),
            None => None,
        })
        .collect()
}

fn seven_day_plan_by_discharge(
    case: &CaseFacts,
    today: Date,
    _: &WorkingDayCalendar,
) -> Vec<(Date, Observation)> {
    let Some(discharge) = case.discharge_on else {
        return Vec::new();
    };
    match case.seven_day_plan_on {
        Some(on) => vec![(discharge, Observation::Met(on <= discharge))],
        None if today > discharge => vec![(discharge, Observation::Met(false))],
        None => Vec::new(),
    }
}

fn sip_where_required(
    case: &CaseFacts,
    _: Date,
    _: &WorkingDayCalendar,
) -> Vec<(Date, Observation)> {
    let required = case.track == Track::SpecializedCare.code() && case.enrolled;
    match (required, case.decided_on) {
        (true, Some(decided)) => vec![(decided, Observation::Met(case.sip_held))],
        _ => Vec::new(),
    }
}

fn days_to_decision(case: &CaseFacts, _: Date, _: &WorkingDayCalendar) -> Vec<(Date, Observation)> {
    match (case.sent_on, case.decided_on) {
        (Some(sent), Some(decided)) => {
            let days = (decided - sent).get_days().max(0);
            vec![(decided, Observation::Days(days.unsigned_abs()))]
        }
        _ => Vec::new(),
    }
}

fn closed_by_both(case: &CaseFacts, _: Date, _: &WorkingDayCalendar) -> Vec<(Date, Observation)> {
    case.closed_on
        .map(|on| (on, Observation::Met(case.closed_by_both_with_next_contact)))
        .into_iter()
        .collect()
}

fn definitions() -> Vec<Definition> {
    let mut list: Vec<Definition> = Track::ALL
        .into_iter()
        .map(|track| Definition {
            id: format!("begaran-{}", track.code()),
            label: format!("Begäranden, {}", track.label()),
            definition: "Begäranden skickade under perioden, räknade på dagen de skickades, per kommun som tog emot dem.".into(),
            measure: Measure::Count,
            observe: sent,
            track: Some(track),
        })
        .collect();
    let mut add = |id: &str, label: &str, definition: &str, measure: Measure, observe: Observe| {
        list.push(Definition {
            id: id.into(),
            label: label.into(),
            definition: definition.into(),
            measure,
            observe,
            track: None,
        })
    };
    add(
        "kvittens-i-tid",
        "Kvitterade i tid",
        "Andel skickade begäranden som kvitterades senast kvittensdagen (arbetsdagar enligt regelverket). En begäran utan kvittens räknas som sen när dagen har passerat; en som ännu inte är sen räknas inte.",
        Measure::Share,
        acknowledged_in_time,
    );
    add(
        "kvittens-arbetsdagar",
        "Tid till kvittens",
        "Median av arbetsdagar från skickad till kvitterad, för kvitterade begäranden; helgdagar och aftnar räknas inte.",
        Measure::MedianWorkingDays,
        working_days_to_acknowledgement,
    );
    add(
        "planering-i-tid",
        "Gemensam planering i tid",
        "Andel inskrivna där den gemensamma planeringen hölls senast planeringsdagen efter beslutet. Räknas på beslutsdagen.",
        Measure::Share,
        planning_in_time,
    );
    add(
        "plan-komplett",
        "Fastställd plan med alla delar",
        "Andel inskrivna (utom rehabiliteringsprocessen, som har en rehabiliteringsplan) med en fastställd medicinsk behandlingsplan där alla fem delar är ifyllda och båda parternas fasta kontakter finns. Räknas på beslutsdagen.",
        Measure::Share,
        complete_plan,
    );
    add(
        "uppfoljning-i-tid",
        "Uppföljningar i tid",
        "Andel uppföljningar av behandlingsplanen som hölls senast den dag planen angav. En uppföljning som inte hållits räknas som sen när dagen har passerat. Räknas på dagen den skulle hållas.",
        Measure::Share,
        follow_ups_in_time,
    );
    add(
        "sjudagarsplan",
        "Sjudagarsplan vid utskrivning",
        "Spår 3: andel utskrivningar där sjudagarsplanen fanns senast utskrivningsdagen. Räknas på utskrivningsdagen.",
        Measure::Share,
        seven_day_plan_by_discharge,
    );
    add(
        "sip-hallen",
        "SIP hållen där den krävs",
        "Spår 2: andel inskrivna där en SIP har hållits. Räknas på beslutsdagen.",
        Measure::Share,
        sip_where_required,
    );
    add(
        "tid-till-beslut",
        "Tid från begäran till beslut",
        "Median av kalenderdagar från skickad begäran till beslut som båda parter står bakom. Räknas på beslutsdagen.",
        Measure::MedianDays,
        days_to_decision,
    );
    add(
        "avslut-bada-parter",
        "Avslut av båda parter",
        "Andel avslutade ärenden där den andra parten bekräftade avslutet och det står vart personen vänder sig nästa gång. Räknas på avslutsdagen.",
        Measure::Share,
        closed_by_both,
    );
    list
}

fn figure(measure: Measure, observations: &[Observation]) -> Option<f64> {
    match measure {
        Measure::Count => Some(observations.len() as f64),
        Measure::Share => {
            let met = observations
                .iter()
                .filter(|o| matches!(o, Observation::Met(true)))
                .count();
            (!observations.is_empty()).then(|| 100.0 * met as f64 / observations.len() as f64)
        }
        Measure::MedianDays | Measure::MedianWorkingDays => {
            let mut days: Vec<u32> = observations
                .iter()
                .filter_map(|o| match o {
                    Observation::Days(d) => Some(*d),
                    _ => None,
                })
                .collect();
            days.sort_unstable();
            let n = days.len();
            match n {
                0 => None,
                _ if n % 2 == 1 => Some(f64::from(days[n / 2])),
                _ => Some(f64::from(days[n / 2 - 1] + days[n / 2]) / 2.0),
            }
        }
    }
}

/// Every indicator for `year`, from the cases' facts as they stand on `today`, for the given
/// municipalities (SCB codes); working days are the region's `calendar`'s.
pub fn compute(
    cases: &[CaseFacts],
    year: i16,
    today: Date,
    municipalities: &[String],
    calendar: &WorkingDayCalendar,
) -> Vec<Indicator> {
    definitions()
        .into_iter()
        .map(|def| {
            let mut county = Vec::new();
            let mut by_party: BTreeMap<String, Vec<Observation>> = municipalities
                .iter()
                .map(|m| (m.clone(), Vec::new()))
                .collect();
            let mut monthly: Vec<Vec<Observation>> = vec![Vec::new(); 12];
            let mut behind = Vec::new();
            for case in cases {
                if def.track.is_some_and(|t| t.code() != case.track) {
                    continue;
                }
                for (on, observation) in (def.observe)(case, today, calendar) {
                    if on.year() != year || on > today {
                        continue;
                    }
                    county.push(observation);
                    if let Some(list) = by_party.get_mut(&case.municipality) {
                        list.push(observation);
                    }
                    if let Some(month) = monthly.get_mut(usize::from(on.month().unsigned_abs()) - 1)
                    {
                        month.push(observation);
                    }
                    if behind.last() != Some(&case.case_id) {
                        behind.push(case.case_id.clone());
                    }
                }
            }
            Indicator {
                county: figure(def.measure, &county),
                by_party: by_party
                    .into_iter()
                    .map(|(m, list)| (m, figure(def.measure, &list)))
                    .collect(),
                monthly: monthly
                    .iter()
                    .map(|list| figure(def.measure, list))
                    .collect(),
                observations: county.len(),
                cases: behind,
                id: def.id,
                label: def.label,
                definition: def.definition,
                measure: def.measure,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn find<'a>(list: &'a [Indicator], id: &str) -> &'a Indicator {
        list.iter().find(|i| i.id == id).unwrap()
    }

    /// Three hand-made cases in Örebro (1880) and one in Lekeberg (1814), seen on 1 December 2026.
    fn cases() -> Vec<CaseFacts> {
        let primary = Track::PrimaryCare.code().to_owned();
        vec![
            // Sent Friday 20 Nov, due Monday 23 Nov, acknowledged on time that Monday: one working
            // day. Decided 27 Nov, planned 2 Dec is after today; complete plan.
            CaseFacts {
                case_id: "a".into(),
                track: primary.clone(),
                municipality: "1880".into(),
                sent_on: Some(date(2026, 11, 20)),
                acknowledgement_due: Some(date(2026, 11, 23)),
                acknowledged_on: Some(date(2026, 11, 23)),
                decided_on: Some(date(2026, 11, 27)),
                enrolled: true,
                planning_due: Some(date(2026, 12, 4)),
                complete_plan: true,
                follow_ups: vec![(date(2026, 11, 30), Some(date(2026, 11, 30)))],
                ..CaseFacts::default()
            },
            // Sent Thursday 24 Dec, due Monday 28 Dec (julafton and juldagen and annandag jul are
            // not working days), acknowledged Tuesday 29 Dec: late, two working days. Those days
            // are after "today", so nothing of it counts yet.
            CaseFacts {
                case_id: "b".into(),
                track: primary.clone(),
                municipality: "1880".into(),
                sent_on: Some(date(2026, 12, 24)),
                acknowledgement_due: Some(date(2026, 12, 28)),
                acknowledged_on: Some(date(2026, 12, 29)),
                ..CaseFacts::default()
            },
            // Sent Monday 2 Nov, due 3 Nov, never acknowledged: late. Track 2, enrolled 10 Nov
            // without a SIP; planning due 17 Nov held 20 Nov: late. Plan incomplete; a follow-up
            // due 25 Nov not held.
            CaseFacts {
                case_id: "c".into(),
                track: Track::SpecializedCare.code().into(),
                municipality: "1880".into(),
                sent_on: Some(date(2026, 11, 2)),
                acknowledgement_due: Some(date(2026, 11, 3)),
                decided_on: Some(date(2026, 11, 10)),
                enrolled: true,
                planning_due: Some(date(2026, 11, 17)),
                planning_held_on: Some(date(2026, 11, 20)),
                follow_ups: vec![(date(2026, 11, 25), None)],
                ..CaseFacts::default()
            },
            // Track 3 in Lekeberg: discharged 5 Oct with the seven-day plan the day before; sent
            // 1 Oct, acknowledged 2 Oct (due 2 Oct); closed by both with next contact on 30 Nov.
            CaseFacts {
                case_id: "d".into(),
                track: Track::Discharge.code().into(),
                municipality: "1814".into(),
                sent_on: Some(date(2026, 10, 1)),
                acknowledgement_due: Some(date(2026, 10, 2)),
                acknowledged_on: Some(date(2026, 10, 2)),
                decided_on: Some(date(2026, 10, 4)),
                discharge_on: Some(date(2026, 10, 5)),
                seven_day_plan_on: Some(date(2026, 10, 4)),
                closed_on: Some(date(2026, 11, 30)),
                closed_by_both_with_next_contact: true,
                ..CaseFacts::default()
            },
        ]
    }

    fn computed() -> Vec<Indicator> {
        compute(
            &cases(),
            2026,
            date(2026, 12, 1),
            &["1814".to_owned(), "1880".to_owned(), "1885".to_owned()],
            &WorkingDayCalendar::default(),
        )
    }

    #[test]
    fn requests_are_counted_per_track_and_municipality_up_to_today() {
        let list = computed();
        let primary = find(&list, "begaran-primarvard");
        assert_eq!(
            primary.county,
            Some(1.0),
            "the December request is after today"
        );
        assert_eq!(primary.by_party["1880"], Some(1.0));
        assert_eq!(primary.by_party["1885"], Some(0.0));
        assert_eq!(primary.monthly[10], Some(1.0));
        assert_eq!(
            find(&list, "begaran-utskrivning").by_party["1814"],
            Some(1.0)
        );
    }

    #[test]
    fn kvittens_in_time_counts_a_missing_one_as_late_and_reckons_working_days() {
        let list = computed();
        let in_time = find(&list, "kvittens-i-tid");
        assert_eq!(in_time.observations, 3);
        assert_eq!(in_time.by_party["1880"], Some(50.0));
        assert_eq!(in_time.by_party["1814"], Some(100.0));
        assert_eq!(in_time.by_party["1885"], None);
        let days = find(&list, "kvittens-arbetsdagar");
        assert_eq!(
            days.county,
            Some(1.0),
            "Fri→Mon is one working day, Thu→Fri one"
        );
        assert_eq!(in_time.cases, ["a", "c", "d"]);
        let later = compute(
            &cases(),
            2026,
            date(2026, 12, 31),
            &["1880".into()],
            &WorkingDayCalendar::default(),
        );
        let days = find(&later, "kvittens-arbetsdagar");
        assert_eq!(days.observations, 3);
        let christmas = WorkingDayCalendar::default()
            .working_days_between(date(2026, 12, 24), date(2026, 12, 29));
        assert_eq!(christmas, 2);
    }

    #[test]
    fn the_care_indicators_follow_their_requirements() {
        let list = computed();
        let planning = find(&list, "planering-i-tid");
        assert_eq!(
            (planning.observations, planning.county),
            (1, Some(0.0)),
            "a's planning is not due yet"
        );
        let plan = find(&list, "plan-komplett");
        assert_eq!(plan.county, Some(50.0));
        let mut with_rehab = cases();
        with_rehab.push(CaseFacts {
            case_id: "e".into(),
            track: Track::Rehabilitation.code().into(),
            municipality: "1880".into(),
            decided_on: Some(date(2026, 11, 12)),
            enrolled: true,
            closed_on: Some(date(2026, 11, 28)),
            ..CaseFacts::default()
        });
        let more = compute(
            &with_rehab,
            2026,
            date(2026, 12, 1),
            &["1880".into()],
            &WorkingDayCalendar::default(),
        );
        assert_eq!(
            find(&more, "plan-komplett").observations,
            2,
            "the rehabilitation process has no medical treatment plan"
        );
        let closed = find(&more, "avslut-bada-parter");
        assert_eq!(
            closed.county,
            Some(50.0),
            "a closing the other party did not confirm"
        );
        let follow_ups = find(&list, "uppfoljning-i-tid");
        assert_eq!(follow_ups.county, Some(50.0));
        let seven = find(&list, "sjudagarsplan");
        assert_eq!(seven.county, Some(100.0));
        assert_eq!(find(&list, "sip-hallen").county, Some(0.0));
        let decision = find(&list, "tid-till-beslut");
        assert_eq!(decision.county, Some(7.0), "3, 7 and 8 days");
        assert_eq!(
            find(&list, "avslut-bada-parter").by_party["1814"],
            Some(100.0)
        );
    }
}
