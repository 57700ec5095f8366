//! Avvikelser i samverkan in the demo county, of several kinds in every status: Samsyn's own
//! proposals (some confirmed, one dismissed), reports waiting for an answer (one past its
//! deadline), one answered and waiting for the reporter's conclusion, and one closed.

use super::disagreement::Actors;
use crate::access_log::Actor;
use crate::deviation::{self, NewDeviation, StepRecord, detection};
use crate::{DbConnection, StoreError};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use samsyn_domain::RuleSet;
use samsyn_domain::deviation::{Answer, Report, Status, answer_due};

pub(super) fn create(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actors: &Actors<'_>,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    detection::propose_new(conn, rules, today, now)?;
    let party = crate::units::get(conn, &actors.municipality_manager.unit_id)?.party;
    let proposals: Vec<_> = deviation::of_party(conn, actors.municipality_manager, &party, now)?
        .into_iter()
        .filter(|d| {
            d.status == Status::Proposed
                && d.addressed_unit_id == actors.municipality_manager.unit_id
        })
        .collect();
    if let Some(first) = proposals.first() {
        deviation::record_step(
            conn,
            actors.municipality_manager,
            first,
            Status::Reported,
            &StepRecord::Confirmed {
                answer_due: answer_due(today, rules),
            },
            now,
        )?;
    }
    if let Some(second) = proposals.get(1) {
        deviation::record_step(
            conn,
            actors.municipality_manager,
            second,
            Status::Dismissed,
            &StepRecord::Dismissed {
                reason: "Personen var inlagd på sjukhus under perioden; kvittensen kunde inte ges i tid av den anledningen.",
            },
            now,
        )?;
    }
    let report = |kind: &str, days_ago: i64, text: &str| Report {
        kind: kind.into(),
        occurred_on: today.saturating_sub(days_ago.days()),
        description: text.into(),
    };
    let at = |days_ago: i64| now - (days_ago * 24).hours();
    let due = |days_ago: i64| answer_due(today.saturating_sub(days_ago.days()), rules);
    let hospital_unit = actors.hospital.unit_id.clone();
    let region_unit = actors.doctor.unit_id.clone();
    let municipality_unit = actors.nurse.unit_id.clone();
    let file = |conn: &mut DbConnection,
                by: &Actor,
                report: Report,
                to: &str,
                days_ago: i64|
     -> Result<String, StoreError> {
        let id = deviation::report(
            conn,
            by,
            &NewDeviation {
                report: &report,
                case_id: None,
                addressed_unit_id: to,
                answer_due: due(days_ago),
            },
            at(days_ago),
        )?;
        Ok(id)
    };
    file(
        conn,
        actors.nurse,
        report(
            "lakemedel-saknas-utskrivning",
            2,
            "Personen kom hem från sjukhuset en fredag kväll utan läkemedel för helgen.",
        ),
        &hospital_unit,
        2,
    )?;
    file(
        conn,
        actors.nurse,
        report(
            "information-saknas-utskrivning",
            25,
            "Ingen information om ändrad läkemedelslista fanns vid hemkomsten.",
        ),
        &hospital_unit,
        25,
    )?;
    let answered = file(
        conn,
        actors.doctor,
        report(
            "sip-ej-hallen",
            18,
            "SIP begärdes av vårdcentralen men blev inte av inom tre veckor.",
        ),
        &municipality_unit,
        18,
    )?;
    let closed = file(
        conn,
        actors.nurse,
        report(
            "begaran-saknas",
            40,
            "Hemsjukvården fick veta av hemtjänsten att personen behövde insatser; ingen begäran hade skickats.",
        ),
        &region_unit,
        40,
    )?;
    let answer = |investigation: &str, measures: &str| Answer {
        investigation: investigation.into(),
        measures: measures.into(),
    };
    let stored = deviation::open(conn, actors.municipality_manager, &answered, &party, now)?
        .ok_or(StoreError::NotFound)?;
    deviation::record_step(
        conn,
        actors.municipality_manager,
        &stored,
        Status::Answered,
        &StepRecord::Answered(&answer(
            "Förfrågan om SIP kom till en funktionsbrevlåda som inte bevakades under semestern.",
            "Brevlådan bevakas nu varje vardag; rutinen är uppdaterad.",
        )),
        at(10),
    )?;
    let stored = deviation::open(
        conn,
        actors.region_manager,
        &closed,
        &samsyn_domain::Party::Region,
        now,
    )?
    .ok_or(StoreError::NotFound)?;
    deviation::record_step(
        conn,
        actors.region_manager,
        &stored,
        Status::Answered,
        &StepRecord::Answered(&answer(
            "Läkaren bedömde behovet vid ett telefonsamtal men skickade ingen begäran.",
            "Vårdcentralens läkare har gått igenom rutinen för begäran på ett APT.",
        )),
        at(33),
    )?;
    let stored =
        deviation::open(conn, actors.nurse, &closed, &party, now)?.ok_or(StoreError::NotFound)?;
    deviation::record_step(
        conn,
        actors.nurse,
        &stored,
        Status::Closed,
        &StepRecord::Closed {
            conclusion: "Svaret räcker; vi följer upp vid nästa samverkansmöte.",
        },
        at(30),
    )?;
    Ok(())
}
