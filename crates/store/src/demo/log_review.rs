//! The log review in the demo county: the second municipality's nurse (Kumla's, in Örebro län)
//! tried to open a case of the main municipality and was refused, then opened the person's cases by nödåtkomst with a reason, and the main municipality's log reviewer has drawn a sample of the last ten days and reviewed part
//! of it (one item without remark, one to follow up), so every state of the review shows; and
//! the administration log holds the main municipality's administrator's unlock of a colleague.

use crate::access_log::sample::{self, Review, SampleRequest};
use crate::access_log::{Access, Actor, record};
use crate::case::requests::OBJECT_TYPE;
use crate::schema::care_requests;
use crate::{DbConnection, StoreError, users};
use diesel::prelude::*;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use samsyn_domain::emergency_access::EmergencyReason;
use samsyn_domain::log_review::{ReviewFinding, SampleKind};
use samsyn_domain::{AccessAction, AccessOutcome, CaseState, IdentitySource, RuleSet};

/// The demo sample's seed, so that the same county always holds the same sample.
const SAMPLE_SEED: u64 = 20_261_201;

pub fn create(
    conn: &mut DbConnection,
    rules: &RuleSet,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    let user = |conn: &mut DbConnection, username: &str| {
        users::credentials_by_username(conn, username)?
            .map(|c| c.user)
            .ok_or_else(|| StoreError::Corrupt(format!("demo user {username}")))
    };
    let names = super::UnitNames::of(rules);
    let second_nurse = user(
        conn,
        &format!("sjukskoterska.{}", super::slug(&names.second)),
    )?;
    let reviewer = user(conn, "logggranskare")?;
    let main_case: Option<(String, String)> = care_requests::table
        .filter(care_requests::receiver_unit_id.eq(&reviewer.unit_id))
        .filter(care_requests::state.ne(CaseState::Draft.code()))
        .order(care_requests::id.asc())
        .select((care_requests::id, care_requests::patient_id))
        .first(conn)
        .optional()?;
    if let Some((case_id, patient_id)) = main_case {
        let second = Actor {
            user_id: second_nurse.id.clone(),
            unit_id: second_nurse.unit_id.clone(),
            role: second_nurse.role,
            identity_source: IdentitySource::Oidc,
        };
        let refused = Access {
            patient_id: Some(&patient_id),
            action: AccessAction::Read,
            object_type: OBJECT_TYPE,
            object_id: &case_id,
            outcome: AccessOutcome::Denied,
        };
        record(conn, &second, refused, now - 3.hours())?;
        // Then she opened the person's cases by nödåtkomst, with a reason: the case shows it
        // to its parties, and the log review lists it first.
        let person = crate::patients::get(conn, &patient_id)?.person_id;
        let reason = EmergencyReason::parse(&format!(
            "Personen vistas hos anhöriga i {} och har fått andnöd. Hemsjukvården i {} går inte att nå i natt.",
            names.second, names.main
        ))
        .map_err(StoreError::Corrupt)?;
        let opened_at = now - 2.hours() - 45.minutes();
        crate::emergency_access::open(
            conn,
            &second,
            &person,
            &reason,
            rules.emergency_access.duration,
            opened_at,
        )?
        .map_err(|_| StoreError::Corrupt("demo emergency access".into()))?;
    }

    let zone = jiff::tz::TimeZone::get(&rules.time_zone)
        .map_err(|_| StoreError::Corrupt("the rule set's time zone".into()))?;
    let bound = |day: Date| {
        day.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|_| StoreError::Corrupt("demo sample period".into()))
    };
    let first_day = today.saturating_sub(10.days());
    let party = crate::units::get(conn, &reviewer.unit_id)?.party;
    let request = SampleRequest {
        party,
        kind: SampleKind::Accesses,
        first_day,
        last_day: today,
        from: bound(first_day)?,
        until: bound(today.saturating_add(1.days()))?,
        size: 10,
        seed: SAMPLE_SEED,
    };
    // The administrator unlocked a colleague who had mistyped her password, the day before.
    crate::admin_log::record(
        conn,
        &crate::admin_log::AdminChange {
            at: now - 24.hours(),
            actor: "administrator".into(),
            party,
            action: "låste upp".into(),
            subject: "användare enhetschef".into(),
            detail: String::new(),
        },
    )?;
    let drawn_at = now - 1.hours();
    let id = sample::draw(conn, &request, &reviewer.id, drawn_at)?;
    for (position, finding, note) in [
        (1, ReviewFinding::Ok, ""),
        (
            2,
            ReviewFinding::FollowUp,
            "Kontrollera med enhetschefen att åtkomsten behövdes i vården.",
        ),
    ] {
        let review = Review {
            finding,
            note,
            reviewer: &reviewer.id,
            at: drawn_at + 10.minutes(),
        };
        sample::mark(conn, party, &id, position, &review)?;
    }
    Ok(())
}
