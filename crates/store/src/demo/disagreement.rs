//! Oenigheter in the demo county (*Principer för samverkan och ekonomisk reglering* §10), on
//! Örebro's cases under joint assessment and one in care: one just opened at the local level,
//! an agreement waiting for confirmation, one at each higher level, one with the county group
//! waiting for guidance, one resolved at county level with the group's guidance and proposal, one
//! resolved locally, and one about who does what in ongoing care, past the local deadline.

use crate::access_log::Actor;
use crate::case::requests::{self as care_requests, CareRequest};
use crate::case::work::{self as case_work, DecisionRecord};
use crate::disagreement::record;
use crate::{DbConnection, StoreError};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use samsyn_domain::disagreement::county_report::CountyReport;
use samsyn_domain::disagreement::{Ladder, Level, Outcome};
use samsyn_domain::{Action, CaseState, DecisionOutcome, RuleSet, Side};

/// Who acts in Örebro: the clinicians who assess and report, the managers of the ladder and of
/// the answers, the county group, and the hospital's doctor whose clinic discharges.
pub(super) struct Actors<'a> {
    pub doctor: &'a Actor,
    pub nurse: &'a Actor,
    pub region_manager: &'a Actor,
    pub municipality_manager: &'a Actor,
    pub county_group: &'a Actor,
    pub hospital: &'a Actor,
}

const LOCAL: (&str, &str) = ("Vera Vall, verksamhetschef", "Eva Ek, enhetschef");
const ECONOMIC: (&str, &str) = ("Primärvårdsdirektör Per Persson", "Socialchef Siv Sund");
const LINE: (&str, &str) = (
    "Hälso- och sjukvårdsdirektör Anna Alm",
    "Kommundirektör Bo Berg",
);

fn not_agreed(why: &str) -> Outcome {
    Outcome::NotAgreed { why: why.into() }
}

/// How far each demo oenighet goes.
#[derive(Clone, Copy, PartialEq)]
enum Reach {
    JustOpened,
    LocalOverdue,
    AgreementWaiting,
    EconomicMandate,
    ManagementLine,
    CountyReported,
    ResolvedAtCounty,
    ResolvedLocally,
}

pub(super) fn create(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actors: &Actors<'_>,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    use crate::schema::care_requests as table;
    use diesel::prelude::*;
    let ids: Vec<String> = table::table
        .filter(table::state.eq_any(["under_bedomning", "pagaende"]))
        .filter(table::sender_unit_id.ne(table::receiver_unit_id))
        .order((table::created_at.asc(), table::id.asc()))
        .select(table::id)
        .load(conn)?;
    let mut cases = ids
        .iter()
        .map(|id| care_requests::reload(conn, id))
        .collect::<Result<Vec<CareRequest>, _>>()?;
    // Örebro's vårdcentral and hemsjukvård first: their managers are demo accounts.
    cases.sort_by_key(|c| {
        !(c.sender_unit_id == actors.doctor.unit_id && c.receiver_unit_id == actors.nurse.unit_id)
    });
    let assessing: Vec<&CareRequest> = cases
        .iter()
        .filter(|c| matches!(c.state, CaseState::UnderAssessment(..)))
        .collect();
    // The first, Örebro's, is left for a newcomer (and the browser test) to take up the ladder.
    let reaches = [
        Reach::JustOpened,
        Reach::ResolvedAtCounty,
        Reach::CountyReported,
        Reach::ResolvedLocally,
        Reach::ManagementLine,
        Reach::EconomicMandate,
        Reach::AgreementWaiting,
        Reach::LocalOverdue,
    ];
    for (case, reach) in assessing.into_iter().zip(reaches) {
        let people = People::of(conn, actors, case)?;
        disagree_on_decision(conn, rules, &people, case, reach, now, today)?;
    }
    if let Some(ongoing) = cases.iter().find(|c| {
        matches!(c.state, CaseState::Ongoing(..)) && c.receiver_unit_id == actors.nurse.unit_id
    }) {
        // Past the local managers' deadline, so the case page marks it.
        let opened = today.saturating_sub(7.days());
        let ladder = Ladder::open(LOCAL.0, LOCAL.1, opened)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let reason = "Vem ger insulininjektionerna kvällstid när hemtjänsten inte kan?";
        let id = record::open(
            conn,
            actors.nurse,
            &ongoing.id,
            reason,
            "Kommunens sjuksköterska ger kvällsdosen tills vidare; vårdcentralen ser över ordinationen.",
            &ladder,
            now - (7 * 24).hours(),
        )?;
        let opened = record::get(conn, &id)?;
        record::save_ladder(
            conn,
            actors.nurse,
            &opened,
            &ladder,
            &format!("Oenighet om vem som gör vad: {reason}"),
            now - (7 * 24).hours(),
        )?;
    }
    Ok(())
}

/// Who acts on one case: its clinicians, and its managers where the demo has them (Örebro),
/// else the clinicians record for their managers.
struct People {
    doctor: Actor,
    nurse: Actor,
    region_manager: Actor,
    municipality_manager: Actor,
    county_group: Actor,
}

impl People {
    fn of(
        conn: &mut DbConnection,
        actors: &Actors<'_>,
        case: &CareRequest,
    ) -> Result<People, StoreError> {
        let orebro = case.sender_unit_id == actors.doctor.unit_id
            && case.receiver_unit_id == actors.nurse.unit_id;
        if orebro {
            return Ok(People {
                doctor: actors.doctor.clone(),
                nurse: actors.nurse.clone(),
                region_manager: actors.region_manager.clone(),
                municipality_manager: actors.municipality_manager.clone(),
                county_group: actors.county_group.clone(),
            });
        }
        let at = |conn: &mut DbConnection, unit_id: &str| -> Result<Actor, StoreError> {
            let user = crate::users::list(conn)?
                .into_iter()
                .find(|u| {
                    u.unit_id == unit_id
                        && matches!(
                            u.role,
                            samsyn_domain::Role::Doctor
                                | samsyn_domain::Role::Nurse
                                | samsyn_domain::Role::OccupationalTherapist
                        )
                })
                .ok_or(StoreError::NotFound)?;
            Ok(Actor {
                user_id: user.id,
                unit_id: user.unit_id,
                role: user.role,
                identity_source: samsyn_domain::IdentitySource::Local,
            })
        };
        let doctor = at(conn, &case.sender_unit_id)?;
        let nurse = at(conn, &case.receiver_unit_id)?;
        Ok(People {
            region_manager: doctor.clone(),
            municipality_manager: nurse.clone(),
            county_group: actors.county_group.clone(),
            doctor,
            nurse,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn disagree_on_decision(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actors: &People,
    case: &CareRequest,
    reach: Reach,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    let days_ago: i64 = match reach {
        Reach::JustOpened => 0,
        Reach::LocalOverdue | Reach::AgreementWaiting => 6,
        Reach::EconomicMandate | Reach::ResolvedLocally => 12,
        Reach::ManagementLine => 20,
        Reach::CountyReported => 35,
        Reach::ResolvedAtCounty => 60,
    };
    let opened_on = today.saturating_sub(days_ago.days());
    let at = now - (days_ago * 24 + 1).hours();
    case_work::record_assessment(
        conn,
        &actors.doctor,
        case,
        Side::Sender,
        "Personen kan inte ta sig till mottagningen; behöver regelbundna insatser i hemmet.",
        at - 2.hours(),
    )?;
    case_work::record_assessment(
        conn,
        &actors.nurse,
        case,
        Side::Receiver,
        "Personen tar sig till mottagningen med färdtjänst; behovet är inte kontinuerligt.",
        at - 1.hours(),
    )?;
    let reason = "Parterna är oeniga om personen kan ta sig till mottagningen.";
    case_work::record_decision(
        conn,
        &actors.nurse,
        &case.id,
        &DecisionRecord {
            outcome: DecisionOutcome::Disagreement,
            care_level: String::new(),
            start_date: None,
            responsible_units: String::new(),
            reason: reason.into(),
            joint_planning_due: None,
            intervention_kind: None,
            interventions: String::new(),
            shared_responsibility: None,
        },
        at,
    )?;
    let current = care_requests::reload(conn, &case.id)?;
    super::demo_step(
        conn,
        rules,
        &actors.nurse,
        Side::Receiver,
        &current,
        Action::Disagree,
        at,
        opened_on,
    )?;
    let corrupt = |e: samsyn_domain::disagreement::LadderError| StoreError::Corrupt(e.to_string());
    let mut ladder = Ladder::open(LOCAL.0, LOCAL.1, opened_on).map_err(corrupt)?;
    let id = record::open(
        conn,
        &actors.nurse,
        &case.id,
        reason,
        "Vårdcentralen gör hembesöken och kommunens sjuksköterska hjälper med läkemedlen tills oenigheten är löst.",
        &ladder,
        at,
    )?;
    let day = |n: i64| opened_on.saturating_add(n.days());
    let step_at = |n: i64| at + (n * 24).hours();
    let save = |conn: &mut DbConnection, ladder: &Ladder, by: &Actor, what: &str, n: i64| {
        let stored = record::get(conn, &id)?;
        record::save_ladder(conn, by, &stored, ladder, what, step_at(n))
    };
    if reach == Reach::JustOpened || reach == Reach::LocalOverdue {
        return Ok(());
    }
    if reach == Reach::AgreementWaiting || reach == Reach::ResolvedLocally {
        ladder
            .record(
                Side::Sender,
                day(1),
                Outcome::Agreed {
                    who_does_what: "Vårdcentralen gör hembesöken; kommunens sjuksköterska tar prover varannan vecka.".into(),
                },
            )
            .map_err(corrupt)?;
        save(
            conn,
            &ladder,
            &actors.region_manager,
            "1. Lokal nivå: överens",
            1,
        )?;
        if reach == Reach::ResolvedLocally {
            ladder.confirm(Side::Receiver, day(2)).map_err(corrupt)?;
            save(
                conn,
                &ladder,
                &actors.municipality_manager,
                "Överenskommelsen bekräftad av båda parter; oenigheten är löst",
                2,
            )?;
        }
        return Ok(());
    }
    ladder
        .record(
            Side::Receiver,
            day(2),
            not_agreed("Kommunen menar att personen tar sig till mottagningen."),
        )
        .map_err(corrupt)?;
    // The middle levels, each escalated to, saved and closed without agreement; the agreement's
    // ladder may lack either, and the demo climbs the levels it has.
    let steps = &rules.disagreement;
    let middle = [
        (
            Level::EconomicMandate,
            ECONOMIC,
            2,
            &actors.municipality_manager,
            Reach::EconomicMandate,
            (5, Outcome::NoCostsInvolved),
        ),
        (
            Level::ManagementLine,
            LINE,
            5,
            &actors.region_manager,
            Reach::ManagementLine,
            (
                12,
                not_agreed("Parterna tolkar kriteriet om att ta sig till mottagningen olika."),
            ),
        ),
    ];
    for (level, (region, municipality), raised, by, stop, (closed, outcome)) in middle {
        if steps.has(level) {
            ladder
                .escalate(level, region, municipality, day(raised), steps)
                .map_err(corrupt)?;
            save(
                conn,
                &ladder,
                by,
                &format!("Lyft till {}", steps.label(level)),
                raised,
            )?;
            if reach == stop {
                return Ok(());
            }
            ladder
                .record(Side::Sender, day(closed), outcome)
                .map_err(corrupt)?;
        } else if reach == stop {
            return Ok(());
        }
    }
    let report = CountyReport::parse(
        &ladder,
        steps,
        samsyn_domain::Role::UnitManager,
        "En person med hjärtsvikt behöver viktkontroll och provtagning varannan vecka efter utskrivning.",
        "Regionen menar att personen inte kan ta sig till mottagningen utan betydande ansträngning; kommunen menar att färdtjänst räcker.",
        "Kriteriet om att ta sig till mottagningen saknar exempel på vad betydande ansträngning innebär.",
    )
    .map_err(|_| StoreError::Corrupt("demo county report".into()))?;
    ladder
        .escalate(Level::County, LINE.0, LINE.1, day(14), steps)
        .map_err(corrupt)?;
    let stored = record::get(conn, &id)?;
    record::report_to_county(
        conn,
        &actors.region_manager,
        &stored,
        &ladder,
        &report,
        false,
        step_at(14),
    )?;
    if reach == Reach::CountyReported {
        return Ok(());
    }
    let stored = record::get(conn, &id)?;
    record::record_guidance(
        conn,
        &actors.county_group,
        &stored,
        "Överenskommelsen (Hälso- och sjukvård i hemmet primärvårdsnivå, §3.1.1) avser förmågan att ta sig till mottagningen utan betydande ansträngning; färdtjänst förutsätter att besöket inte försämrar tillståndet. Parterna har gjort medicinska överväganden men inte om ansträngningen vid hjärtsvikt.",
        "Förtydliga kriteriet med exempel på betydande ansträngning, bland annat vid hjärtsvikt och KOL.",
        Some(day(30)),
        step_at(25),
    )?;
    ladder
        .record(
            Side::Receiver,
            day(28),
            Outcome::Agreed {
                who_does_what: "Personen skrivs in; kommunens sjuksköterska gör viktkontroll och provtagning, vårdcentralens läkare följer upp.".into(),
            },
        )
        .map_err(corrupt)?;
    ladder.confirm(Side::Sender, day(29)).map_err(corrupt)?;
    save(
        conn,
        &ladder,
        &actors.region_manager,
        "Överenskommelsen bekräftad av båda parter efter länsgruppens vägledning; oenigheten är löst",
        29,
    )?;
    Ok(())
}
