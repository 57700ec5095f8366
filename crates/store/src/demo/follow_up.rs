//! The yearly follow-up in the demo county: this year's plan decided by chefsgruppen with some
//! methods done and one not, the joint survey answered by most pairs (one late, one waiting for
//! the municipality's agreement, Örebro's pair not started so that a newcomer can fill it in), and
//! a sample check with two plans reviewed (one with findings).

use crate::access_log::Actor;
use crate::follow_up::sample_check::{self, NewSampleCheck};
use crate::follow_up::{plan, survey};
use crate::{DbConnection, StoreError};
use jiff::civil::{Date, date};
use jiff::{Timestamp, ToSpan};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use samsyn_domain::follow_up::plan::defaults;
use samsyn_domain::follow_up::sample_check::{Review, draw};
use samsyn_domain::follow_up::survey::{PairSide, QuestionAnswer, SurveyContent, SurveyStatus};
use samsyn_domain::{AccessAction, MunicipalityCode, RuleSet};
use std::collections::BTreeMap;

/// Who answers for each pair: the vårdcentral's doctor and the municipality's nurse, by
/// municipality; the pair left for a newcomer is the one at `untouched`.
pub(super) struct SurveyActors<'a> {
    pub health_centres: &'a [(MunicipalityCode, Actor, String)],
    pub municipalities: &'a [(MunicipalityCode, Actor)],
    pub untouched: &'a str,
    pub chiefs_group: &'a Actor,
    pub health_choice: &'a Actor,
}

fn at(day: Date, rules: &RuleSet) -> Result<Timestamp, StoreError> {
    let zone = jiff::tz::TimeZone::get(&rules.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    day.at(10, 0, 0, 0)
        .to_zoned(zone)
        .map(|z| z.timestamp())
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn answers(rules: &RuleSet, variant: &str, rng: &mut ChaCha8Rng) -> SurveyContent {
    let survey = &rules.follow_up.survey;
    let top = survey.scale.len() as u8;
    let answers: BTreeMap<String, QuestionAnswer> = survey
        .questions_of(variant)
        .into_iter()
        .map(|q| {
            let score = rng.random_range(2..=top);
            let comment = if score == 2 {
                "Fungerar inte alltid, särskilt när ordinarie personal är borta.".to_owned()
            } else {
                String::new()
            };
            (
                q.code.clone(),
                QuestionAnswer {
                    score: Some(score),
                    comment,
                },
            )
        })
        .collect();
    SurveyContent {
        answers,
        strengths: "Korta kontaktvägar och regelbundna samverkansmöten.".into(),
        improvements: "Namngiven sjuksköterska i kommunen för varje vårdcentral.".into(),
        challenges: "Läkemedelsgenomgångar görs inte konsekvent; brist på fysioterapeuter.".into(),
        region_participants: "Verksamhetschef, distriktssköterska, läkare".into(),
        municipality_participants: "Enhetschef, sjuksköterska, arbetsterapeut".into(),
    }
}

pub(super) fn create<'a>(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actors: &SurveyActors<'a>,
    now: Timestamp,
    today: Date,
) -> Result<(), StoreError> {
    let year = today.year();
    let mut methods = defaults(&rules.follow_up, year);
    for method in &mut methods {
        match method.label.as_str() {
            "Uppföljning av samverkan mellan vårdcentral och kommun" => {
                method.done = Some(true);
                method.comment = "Enkäten besvarad i Samsyn; sammanställd av Hälsoval.".into();
            }
            "Dialogträff med representanter från specialiserad vård, psykiatri och från länets kommuner" =>
            {
                method.done = Some(false);
                method.comment = "Flyttad till våren 2027, då arbetssätten är införda.".into();
            }
            "Mätning av hemsjukvård" => method.done = Some(true),
            _ => {}
        }
    }
    let record = plan::start(
        conn,
        year,
        &methods,
        Some(&actors.chiefs_group.user_id),
        now,
    )?;
    plan::record_decision(
        conn,
        year,
        date(year, 2, 10),
        &format!("Chefsgruppens protokoll {year}-02-10 § 4"),
        &actors.chiefs_group.user_id,
        record.version,
    )?;

    let survey_rules = &rules.follow_up.survey;
    let due = samsyn_domain::follow_up::survey::due_on(survey_rules, year);
    let on_time = at(due.saturating_sub(5.days()).min(today), rules)?;
    let late = at(due.saturating_add(2.days()).min(today), rules)?;
    let mut rng = ChaCha8Rng::seed_from_u64(u64::from(year.unsigned_abs()));
    for (n, (code, doctor, name)) in actors.health_centres.iter().enumerate() {
        let Some((_, nurse)) = actors.municipalities.iter().find(|(c, _)| c == code) else {
            continue;
        };
        let pair = survey::add_pair(conn, year, &doctor.unit_id, code.as_str())?;
        if name == actors.untouched {
            continue;
        }
        for variant in &survey_rules.variants {
            let content = answers(rules, &variant.code, &mut rng);
            let save = |status, side, user_id: &'a str, expected| survey::Save {
                pair_id: &pair,
                variant: &variant.code,
                questionnaire: &survey_rules.version,
                content: &content,
                status,
                side,
                user_id,
                expected_version: expected,
            };
            survey::save(
                conn,
                year,
                &save(SurveyStatus::Draft, PairSide::Region, &doctor.user_id, None),
                on_time,
            )?;
            survey::save(
                conn,
                year,
                &save(
                    SurveyStatus::AwaitingAgreement,
                    PairSide::Region,
                    &doctor.user_id,
                    Some(0),
                ),
                on_time,
            )?;
            // The second pair still waits for its municipality; the third was submitted late.
            if n == 1 {
                continue;
            }
            let when = if n == 2 { late } else { on_time };
            survey::save(
                conn,
                year,
                &save(
                    SurveyStatus::Submitted,
                    PairSide::Municipality,
                    &nurse.user_id,
                    Some(1),
                ),
                when,
            )?;
        }
    }

    let period = (date(year, 1, 1), today);
    let candidates = sample_check::candidates(conn, rules, period)?;
    let per_party = rules.follow_up.sample_check.plans_per_party;
    let drawn = draw(&candidates, per_party, 2026);
    let checklist: Vec<String> = rules
        .follow_up
        .sample_check
        .checklist
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let id = sample_check::create(
        conn,
        &NewSampleCheck {
            year,
            period,
            seed: 2026,
            per_party,
            checklist: &checklist,
            drawn: &drawn,
            user_id: &actors.health_choice.user_id,
        },
        now,
    )?;
    let check = sample_check::get(conn, &id)?;
    for (n, item) in check.items.iter().take(2).enumerate() {
        let findings = checklist
            .iter()
            .enumerate()
            .map(|(i, code)| (code.clone(), !(n == 1 && i == 0)))
            .collect();
        let note = if n == 1 {
            "Försämringsplanen saknas; återkopplat till vårdcentralen.".to_owned()
        } else {
            String::new()
        };
        // The reviewer read the plan: logged against the case's patient, as the page logs it.
        for action in [AccessAction::Read, AccessAction::Update] {
            let reviewer = actors.health_choice;
            sample_check::log_plan_access(conn, reviewer, &item.case_id, action, now)?;
        }
        sample_check::review(
            conn,
            &check,
            item.position,
            &Review { findings, note },
            None,
            &actors.health_choice.user_id,
            now,
        )?;
    }
    Ok(())
}
