//! The joint survey's pairs (a vårdcentral and its municipality, per year) and their answers,
//! one per pair and variant, with where each stands. The answers hold no person.

use crate::follow_up::plan::is_final;
use crate::schema::{survey_pairs, survey_responses, units};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::follow_up::survey::{PairSide, QuestionAnswer, SurveyContent, SurveyStatus};
use serde_json::{Value, json};

/// A vårdcentral and its municipality, answering together in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub id: String,
    pub year: i16,
    pub health_centre_unit_id: String,
    pub health_centre: String,
    /// The municipality's SCB code.
    pub municipality: String,
}

/// A pair's answer in one variant.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub id: String,
    pub pair_id: String,
    pub variant: String,
    /// The questionnaire version it was answered in.
    pub questionnaire: String,
    pub status: SurveyStatus,
    pub content: SurveyContent,
    pub drafting_side: PairSide,
    pub changed_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub version: i64,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("survey {what}"))
}

/// The year's pairs, by vårdcentral's name.
pub fn pairs(conn: &mut DbConnection, year: i16) -> Result<Vec<Pair>, StoreError> {
    let rows: Vec<(String, String, String, String)> = survey_pairs::table
        .inner_join(units::table.on(units::id.eq(survey_pairs::health_centre_unit_id)))
        .filter(survey_pairs::year.eq(i32::from(year)))
        .order((units::name.asc(), survey_pairs::municipality.asc()))
        .select((
            survey_pairs::id,
            survey_pairs::health_centre_unit_id,
            units::name,
            survey_pairs::municipality,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, unit, name, municipality)| Pair {
            id,
            year,
            health_centre_unit_id: unit,
            health_centre: name,
            municipality,
        })
        .collect())
}

pub fn pair(conn: &mut DbConnection, id: &str) -> Result<Pair, StoreError> {
    let (year, unit, name, municipality): (i32, String, String, String) = survey_pairs::table
        .inner_join(units::table.on(units::id.eq(survey_pairs::health_centre_unit_id)))
        .filter(survey_pairs::id.eq(id))
        .select((
            survey_pairs::year,
            survey_pairs::health_centre_unit_id,
            units::name,
            survey_pairs::municipality,
        ))
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(Pair {
        id: id.to_owned(),
        year: i16::try_from(year).map_err(|_| corrupt("year"))?,
        health_centre_unit_id: unit,
        health_centre: name,
        municipality,
    })
}

/// Adds a pair to the year's survey; a pair that exists is refused as a duplicate.
pub fn add_pair(
    conn: &mut DbConnection,
    year: i16,
    health_centre_unit_id: &str,
    municipality: &str,
) -> Result<String, StoreError> {
    if is_final(conn, year)? {
        return Err(StoreError::Conflict);
    }
    let exists: i64 = survey_pairs::table
        .filter(survey_pairs::year.eq(i32::from(year)))
        .filter(survey_pairs::health_centre_unit_id.eq(health_centre_unit_id))
        .filter(survey_pairs::municipality.eq(municipality))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(StoreError::Duplicate("paret"));
    }
    let id = new_id();
    diesel::insert_into(survey_pairs::table)
        .values((
            survey_pairs::id.eq(&id),
            survey_pairs::year.eq(i32::from(year)),
            survey_pairs::health_centre_unit_id.eq(health_centre_unit_id),
            survey_pairs::municipality.eq(municipality),
        ))
        .execute(conn)?;
    Ok(id)
}

fn content_json(content: &SurveyContent) -> String {
    let answers: serde_json::Map<String, Value> = content
        .answers
        .iter()
        .map(|(code, a)| (code.clone(), json!([a.score, a.comment])))
        .collect();
    json!(answers).to_string()
}

fn answers_of(
    text: &str,
) -> Result<std::collections::BTreeMap<String, QuestionAnswer>, StoreError> {
    let map: serde_json::Map<String, Value> =
        serde_json::from_str(text).map_err(|_| corrupt("answers"))?;
    map.into_iter()
        .map(|(code, value)| {
            let score = value
                .get(0)
                .and_then(Value::as_u64)
                .map(|s| u8::try_from(s).map_err(|_| corrupt("score")))
                .transpose()?;
            let comment = value
                .get(1)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            Ok((code, QuestionAnswer { score, comment }))
        })
        .collect()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = survey_responses)]
struct Row {
    id: String,
    pair_id: String,
    variant: String,
    questionnaire: String,
    status: String,
    answers: String,
    strengths: String,
    improvements: String,
    challenges: String,
    region_participants: String,
    municipality_participants: String,
    drafting_side: String,
    changed_at: i64,
    submitted_at: Option<i64>,
    version: i64,
}

impl Row {
    fn stored(self) -> Result<StoredResponse, StoreError> {
        Ok(StoredResponse {
            status: SurveyStatus::from_code(&self.status).ok_or_else(|| corrupt("status"))?,
            drafting_side: PairSide::from_code(&self.drafting_side)
                .ok_or_else(|| corrupt("side"))?,
            content: SurveyContent {
                answers: answers_of(&self.answers)?,
                strengths: self.strengths,
                improvements: self.improvements,
                challenges: self.challenges,
                region_participants: self.region_participants,
                municipality_participants: self.municipality_participants,
            },
            changed_at: from_millis(self.changed_at)?,
            submitted_at: self.submitted_at.map(from_millis).transpose()?,
            id: self.id,
            pair_id: self.pair_id,
            variant: self.variant,
            questionnaire: self.questionnaire,
            version: self.version,
        })
    }
}

/// The pair's answer in `variant`, if it has begun one.
pub fn response(
    conn: &mut DbConnection,
    pair_id: &str,
    variant: &str,
) -> Result<Option<StoredResponse>, StoreError> {
    survey_responses::table
        .filter(survey_responses::pair_id.eq(pair_id))
        .filter(survey_responses::variant.eq(variant))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(Row::stored)
        .transpose()
}

/// Every answer of the year's pairs.
pub fn responses(conn: &mut DbConnection, year: i16) -> Result<Vec<StoredResponse>, StoreError> {
    let rows: Vec<Row> = survey_responses::table
        .inner_join(survey_pairs::table.on(survey_pairs::id.eq(survey_responses::pair_id)))
        .filter(survey_pairs::year.eq(i32::from(year)))
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter().map(Row::stored).collect()
}

/// What a save writes.
pub struct Save<'a> {
    pub pair_id: &'a str,
    pub variant: &'a str,
    pub questionnaire: &'a str,
    pub content: &'a SurveyContent,
    pub status: SurveyStatus,
    /// The side saving: it becomes the drafting side when it asks the other to agree.
    pub side: PairSide,
    pub user_id: &'a str,
    /// The version read; `None` for the first save.
    pub expected_version: Option<i64>,
}

/// Writes the pair's answer with its new status: the first save creates it; later ones must come
/// from the version read, and nothing is written to a submitted answer or a final year.
pub fn save(
    conn: &mut DbConnection,
    year: i16,
    save: &Save<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    if is_final(conn, year)? {
        return Err(StoreError::Conflict);
    }
    let submitted_at = (save.status == SurveyStatus::Submitted).then(|| to_millis(now));
    match save.expected_version {
        None => {
            if response(conn, save.pair_id, save.variant)?.is_some() {
                return Err(StoreError::Conflict);
            }
            diesel::insert_into(survey_responses::table)
                .values((
                    survey_responses::id.eq(new_id()),
                    survey_responses::pair_id.eq(save.pair_id),
                    survey_responses::variant.eq(save.variant),
                    survey_responses::questionnaire.eq(save.questionnaire),
                    survey_responses::status.eq(save.status.code()),
                    survey_responses::answers.eq(content_json(save.content)),
                    survey_responses::strengths.eq(&save.content.strengths),
                    survey_responses::improvements.eq(&save.content.improvements),
                    survey_responses::challenges.eq(&save.content.challenges),
                    survey_responses::region_participants.eq(&save.content.region_participants),
                    survey_responses::municipality_participants
                        .eq(&save.content.municipality_participants),
                    survey_responses::drafting_side.eq(save.side.code()),
                    survey_responses::changed_at.eq(to_millis(now)),
                    survey_responses::changed_by.eq(save.user_id),
                    survey_responses::submitted_at.eq(submitted_at),
                    survey_responses::version.eq(0),
                ))
                .execute(conn)?;
        }
        Some(version) => {
            let agreed_by = (save.status == SurveyStatus::Submitted).then_some(save.user_id);
            let changed = diesel::update(
                survey_responses::table
                    .filter(survey_responses::pair_id.eq(save.pair_id))
                    .filter(survey_responses::variant.eq(save.variant))
                    .filter(survey_responses::version.eq(version))
                    .filter(survey_responses::status.ne("inskickad")),
            )
            .set((
                survey_responses::status.eq(save.status.code()),
                survey_responses::answers.eq(content_json(save.content)),
                survey_responses::strengths.eq(&save.content.strengths),
                survey_responses::improvements.eq(&save.content.improvements),
                survey_responses::challenges.eq(&save.content.challenges),
                survey_responses::region_participants.eq(&save.content.region_participants),
                survey_responses::municipality_participants
                    .eq(&save.content.municipality_participants),
                survey_responses::changed_at.eq(to_millis(now)),
                survey_responses::changed_by.eq(save.user_id),
                survey_responses::agreed_by.eq(agreed_by),
                survey_responses::submitted_at.eq(submitted_at),
                survey_responses::version.eq(version + 1),
            ))
            .execute(conn)?;
            if changed != 1 {
                return Err(StoreError::Conflict);
            }
            if save.status == SurveyStatus::AwaitingAgreement {
                diesel::update(
                    survey_responses::table
                        .filter(survey_responses::pair_id.eq(save.pair_id))
                        .filter(survey_responses::variant.eq(save.variant)),
                )
                .set(survey_responses::drafting_side.eq(save.side.code()))
                .execute(conn)?;
            }
        }
    }
    Ok(())
}
