//! Tilläggsbelopp's stored versions, inputs and scenarios: *Hälso- och sjukvård i hemmet
//! primärvårdsnivå* §4 and *Principer för samverkan och ekonomisk reglering* §11.
//!
//! Calculation versions in their decision cycle, saved scenarios, pot amounts
//! entered as decisions, and imported inputs. The decision cycle's rules are the domain's; the
//! database also refuses to change a decided version (trigger), whoever asks.

use crate::schema::{
    additional_amount_distance_overrides as overrides, additional_amount_events as events,
    additional_amount_inputs as inputs, additional_amount_pot_decisions as pot_decisions,
    additional_amount_scenarios as scenarios, additional_amount_versions as versions, users,
};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use rust_decimal::Decimal;
use samsyn_domain::MunicipalityCode;
use samsyn_domain::additional_amount::decision::{
    DecisionRecord, DecisionStatus, VersionState, correction, first_draft,
    in_force as in_force_state, may_advance, may_recompute,
};

/// A stored version without its statement, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSummary {
    pub id: String,
    pub year: i16,
    pub version: i32,
    pub status: DecisionStatus,
    pub corrects: Option<String>,
    pub reason: Option<String>,
    pub rules: String,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl VersionSummary {
    pub fn state(&self) -> VersionState {
        VersionState {
            version: self.version,
            status: self.status,
        }
    }
}

/// One step of a version's decision cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub status: DecisionStatus,
    pub by: String,
    pub at: Timestamp,
    /// For the decision: who decided, when, and the minutes.
    pub record: Option<DecisionRecord>,
}

/// A version with its statement (the calculation as JSON) and its history.
#[derive(Debug, Clone)]
pub struct StoredVersion {
    pub summary: VersionSummary,
    pub statement: String,
    pub events: Vec<Event>,
}

type SummaryRow = (
    String,
    i32,
    i32,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    i64,
);

fn summary(row: SummaryRow) -> Result<VersionSummary, StoreError> {
    let (id, year, version, status, corrects, reason, rules, created_by, created_at, updated_at) =
        row;
    Ok(VersionSummary {
        id,
        year: i16::try_from(year).map_err(|_| StoreError::Corrupt("år".into()))?,
        version,
        status: DecisionStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("okänd status {status}")))?,
        corrects,
        reason,
        rules,
        created_by,
        created_at: from_millis(created_at)?,
        updated_at: from_millis(updated_at)?,
    })
}

macro_rules! summary_columns {
    () => {
        (
            versions::id,
            versions::year,
            versions::version,
            versions::status,
            versions::corrects,
            versions::reason,
            versions::rules,
            users::display_name,
            versions::created_at,
            versions::updated_at,
        )
    };
}

/// A year's versions, oldest first.
pub fn versions_of(conn: &mut DbConnection, year: i16) -> Result<Vec<VersionSummary>, StoreError> {
    versions::table
        .inner_join(users::table)
        .filter(versions::year.eq(i32::from(year)))
        .order(versions::version.asc())
        .select(summary_columns!())
        .load::<SummaryRow>(conn)?
        .into_iter()
        .map(summary)
        .collect()
}

/// The year's decision in force (the domain's rule: the newest decided version), if any.
pub fn decision_in_force(
    conn: &mut DbConnection,
    year: i16,
) -> Result<Option<StoredVersion>, StoreError> {
    let all = versions_of(conn, year)?;
    let states: Vec<VersionState> = all.iter().map(VersionSummary::state).collect();
    match in_force_state(&states).and_then(|f| all.iter().find(|v| v.version == f.version)) {
        Some(v) => Ok(Some(version(conn, &v.id)?)),
        None => Ok(None),
    }
}

/// Every year's decision in force, by year: what the history shows.
pub fn in_force(conn: &mut DbConnection) -> Result<Vec<StoredVersion>, StoreError> {
    let years: Vec<i32> = versions::table
        .filter(versions::status.eq_any([
            DecisionStatus::Decided.code(),
            DecisionStatus::PaymentBasis.code(),
        ]))
        .select(versions::year)
        .distinct()
        .order(versions::year.asc())
        .load(conn)?;
    let mut found = Vec::new();
    for year in years {
        let year = i16::try_from(year).map_err(|_| StoreError::Corrupt("år".into()))?;
        found.extend(decision_in_force(conn, year)?);
    }
    Ok(found)
}

pub fn version(conn: &mut DbConnection, id: &str) -> Result<StoredVersion, StoreError> {
    let row: SummaryRow = versions::table
        .inner_join(users::table)
        .filter(versions::id.eq(id))
        .select(summary_columns!())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let statement: String = versions::table
        .find(id)
        .select(versions::statement)
        .get_result(conn)?;
    let events = events::table
        .inner_join(users::table)
        .filter(events::version_id.eq(id))
        .order((events::at.asc(), events::id.asc()))
        .select((
            events::status,
            users::display_name,
            events::at,
            events::decided_body,
            events::decided_on,
            events::minutes_ref,
        ))
        .load::<EventRow>(conn)?
        .into_iter()
        .map(|(status, by, at, body, decided_on, minutes)| {
            let record = match (body, decided_on, minutes) {
                (Some(body), Some(on), Some(minutes)) => Some(DecisionRecord {
                    body,
                    decided_on: on
                        .parse()
                        .map_err(|_| StoreError::Corrupt("beslutsdatum".into()))?,
                    minutes,
                }),
                _ => None,
            };
            Ok(Event {
                status: DecisionStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("okänd status {status}")))?,
                by,
                at: from_millis(at)?,
                record,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(StoredVersion {
        summary: summary(row)?,
        statement,
        events,
    })
}

type EventRow = (
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn record(
    conn: &mut DbConnection,
    version_id: &str,
    status: DecisionStatus,
    user_id: &str,
    decision: Option<&DecisionRecord>,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(events::table)
        .values((
            events::id.eq(new_id()),
            events::version_id.eq(version_id),
            events::status.eq(status.code()),
            events::user_id.eq(user_id),
            events::at.eq(to_millis(now)),
            events::decided_body.eq(decision.map(|d| d.body.as_str())),
            events::decided_on.eq(decision.map(|d| d.decided_on.to_string())),
            events::minutes_ref.eq(decision.map(|d| d.minutes.as_str())),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a new version holds.
pub struct NewVersion<'a> {
    pub year: i16,
    pub rules: &'a str,
    pub statement: &'a str,
    pub user_id: &'a str,
}

fn insert(
    conn: &mut DbConnection,
    new: &NewVersion<'_>,
    number: i32,
    corrects: Option<(&str, &str)>,
    now: Timestamp,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(versions::table)
        .values((
            versions::id.eq(&id),
            versions::year.eq(i32::from(new.year)),
            versions::version.eq(number),
            versions::status.eq(DecisionStatus::Draft.code()),
            versions::corrects.eq(corrects.map(|(id, _)| id)),
            versions::reason.eq(corrects.map(|(_, reason)| reason.trim())),
            versions::rules.eq(new.rules),
            versions::statement.eq(new.statement),
            versions::created_by.eq(new.user_id),
            versions::created_at.eq(to_millis(now)),
            versions::updated_at.eq(to_millis(now)),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "version för året"))?;
    record(conn, &id, DecisionStatus::Draft, new.user_id, None, now)?;
    Ok(id)
}

fn states(conn: &mut DbConnection, year: i16) -> Result<Vec<VersionState>, StoreError> {
    Ok(versions_of(conn, year)?
        .iter()
        .map(VersionSummary::state)
        .collect())
}

/// The year's first draft; refused when a version is being prepared or the year is decided.
pub fn create_draft(
    conn: &mut DbConnection,
    new: &NewVersion<'_>,
    now: Timestamp,
) -> Result<String, StoreError> {
    let number = first_draft(&states(conn, new.year)?).map_err(StoreError::Refused)?;
    insert(conn, new, number, None, now)
}

/// A correction of the decided version `corrected`: a new draft with its reason. The corrected
/// version is left as it was decided.
pub fn correct(
    conn: &mut DbConnection,
    corrected: &str,
    reason: &str,
    new: &NewVersion<'_>,
    now: Timestamp,
) -> Result<String, StoreError> {
    let old = version(conn, corrected)?.summary;
    if old.year != new.year {
        return Err(StoreError::NotFound);
    }
    let number =
        correction(&states(conn, old.year)?, old.state(), reason).map_err(StoreError::Refused)?;
    insert(conn, new, number, Some((corrected, reason)), now)
}

/// Replaces a draft's calculation with one from the current inputs.
pub fn recompute(
    conn: &mut DbConnection,
    id: &str,
    statement: &str,
    rules: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let current = version(conn, id)?.summary;
    may_recompute(current.state()).map_err(StoreError::Refused)?;
    let changed = diesel::update(
        versions::table
            .filter(versions::id.eq(id))
            .filter(versions::status.eq(DecisionStatus::Draft.code())),
    )
    .set((
        versions::statement.eq(statement),
        versions::rules.eq(rules),
        versions::updated_at.eq(to_millis(now)),
    ))
    .execute(conn)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}

/// Takes a version one step forward in the decision cycle.
/// Takes the version one step; the step to beslutat carries its `DecisionRecord`.
pub fn advance(
    conn: &mut DbConnection,
    id: &str,
    to: DecisionStatus,
    user_id: &str,
    decision: Option<&DecisionRecord>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let current = version(conn, id)?.summary;
    may_advance(current.state(), to).map_err(StoreError::Refused)?;
    let changed = diesel::update(
        versions::table
            .filter(versions::id.eq(id))
            .filter(versions::status.eq(current.status.code())),
    )
    .set((
        versions::status.eq(to.code()),
        versions::updated_at.eq(to_millis(now)),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(StoreError::Conflict);
    }
    record(conn, id, to, user_id, decision, now)
}

/// A saved scenario: its parameters as JSON, never a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedScenario {
    pub id: String,
    pub year: i16,
    pub name: String,
    pub parameters: String,
    pub created_by: String,
    pub created_at: Timestamp,
}

pub fn save_scenario(
    conn: &mut DbConnection,
    year: i16,
    name: &str,
    parameters: &str,
    user_id: &str,
    now: Timestamp,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(scenarios::table)
        .values((
            scenarios::id.eq(&id),
            scenarios::year.eq(i32::from(year)),
            scenarios::name.eq(name.trim()),
            scenarios::parameters.eq(parameters),
            scenarios::created_by.eq(user_id),
            scenarios::created_at.eq(to_millis(now)),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "ett scenario med det namnet för året"))?;
    Ok(id)
}

type ScenarioRow = (String, i32, String, String, String, i64);

fn scenario_from(row: ScenarioRow) -> Result<SavedScenario, StoreError> {
    let (id, year, name, parameters, created_by, created_at) = row;
    Ok(SavedScenario {
        id,
        year: i16::try_from(year).map_err(|_| StoreError::Corrupt("år".into()))?,
        name,
        parameters,
        created_by,
        created_at: from_millis(created_at)?,
    })
}

macro_rules! scenario_columns {
    () => {
        (
            scenarios::id,
            scenarios::year,
            scenarios::name,
            scenarios::parameters,
            users::display_name,
            scenarios::created_at,
        )
    };
}

/// A year's scenarios, newest first.
pub fn scenarios_of(conn: &mut DbConnection, year: i16) -> Result<Vec<SavedScenario>, StoreError> {
    scenarios::table
        .inner_join(users::table)
        .filter(scenarios::year.eq(i32::from(year)))
        .order(scenarios::created_at.desc())
        .select(scenario_columns!())
        .load::<ScenarioRow>(conn)?
        .into_iter()
        .map(scenario_from)
        .collect()
}

pub fn scenario(conn: &mut DbConnection, id: &str) -> Result<SavedScenario, StoreError> {
    scenario_from(
        scenarios::table
            .inner_join(users::table)
            .filter(scenarios::id.eq(id))
            .select(scenario_columns!())
            .first::<ScenarioRow>(conn)
            .optional()?
            .ok_or(StoreError::NotFound)?,
    )
}

/// A pot amount entered as a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PotDecision {
    pub year: i16,
    pub pot: String,
    pub amount: Decimal,
    pub note: String,
    pub decided_by: String,
    pub decided_at: Timestamp,
}

pub struct NewPotDecision<'a> {
    pub year: i16,
    pub pot: &'a str,
    pub amount: Decimal,
    pub note: &'a str,
    pub user_id: &'a str,
}

pub fn decide_pot(
    conn: &mut DbConnection,
    new: &NewPotDecision<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(pot_decisions::table)
        .values((
            pot_decisions::id.eq(new_id()),
            pot_decisions::year.eq(i32::from(new.year)),
            pot_decisions::pot.eq(new.pot),
            pot_decisions::amount.eq(new.amount.to_string()),
            pot_decisions::note.eq(new.note.trim()),
            pot_decisions::decided_by.eq(new.user_id),
            pot_decisions::decided_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The pot decisions in force: the newest per year and pot.
pub fn pot_decisions(conn: &mut DbConnection) -> Result<Vec<PotDecision>, StoreError> {
    let rows: Vec<(i32, String, String, String, String, i64)> = pot_decisions::table
        .inner_join(users::table)
        .order((
            pot_decisions::year.asc(),
            pot_decisions::pot.asc(),
            pot_decisions::decided_at.desc(),
            pot_decisions::id.desc(),
        ))
        .select((
            pot_decisions::year,
            pot_decisions::pot,
            pot_decisions::amount,
            pot_decisions::note,
            users::display_name,
            pot_decisions::decided_at,
        ))
        .load(conn)?;
    let mut newest: Vec<PotDecision> = Vec::new();
    for (year, pot, amount, note, decided_by, decided_at) in rows {
        let year = i16::try_from(year).map_err(|_| StoreError::Corrupt("år".into()))?;
        if newest
            .last()
            .is_some_and(|d| d.year == year && d.pot == pot)
        {
            continue;
        }
        newest.push(PotDecision {
            year,
            pot,
            amount: amount
                .parse()
                .map_err(|_| StoreError::Corrupt("belopp".into()))?,
            note,
            decided_by,
            decided_at: from_millis(decided_at)?,
        });
    }
    Ok(newest)
}

/// The kinds of imported input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Befolkning per kommun och ålder (SCB).
    Population,
    /// Centralorter och sjukhus med koordinater.
    Places,
    /// Skatteunderlagets utveckling per år.
    Growth,
    /// Vägavstånd från centralort till närmaste sjukhus.
    RoadDistances,
}

impl InputKind {
    pub const ALL: [InputKind; 4] = [
        InputKind::Population,
        InputKind::Places,
        InputKind::Growth,
        InputKind::RoadDistances,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InputKind::Population => "befolkning",
            InputKind::Places => "orter",
            InputKind::Growth => "utveckling",
            InputKind::RoadDistances => "vagavstand",
        }
    }

    pub fn parse(code: &str) -> Option<InputKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One imported version of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInput {
    pub kind: InputKind,
    pub version: i32,
    pub filename: String,
    pub sha256: String,
    pub content: String,
    pub imported_by: String,
    pub imported_at: Timestamp,
}

impl StoredInput {
    /// How a calculation names it, e.g. "befolkning v2 (befolkning-2024.csv)".
    pub fn reference(&self) -> String {
        format!("{} v{} ({})", self.kind.code(), self.version, self.filename)
    }
}

/// Stores a new version of an input; the caller has validated the content. The same content as
/// the newest version is not stored twice.
pub fn import_input(
    conn: &mut DbConnection,
    kind: InputKind,
    filename: &str,
    sha256: &str,
    content: &str,
    user_id: &str,
    now: Timestamp,
) -> Result<i32, StoreError> {
    let newest: Option<(i32, String)> = inputs::table
        .filter(inputs::kind.eq(kind.code()))
        .order(inputs::version.desc())
        .select((inputs::version, inputs::sha256))
        .first(conn)
        .optional()?;
    if let Some((version, hash)) = &newest
        && hash == sha256
    {
        return Ok(*version);
    }
    let version = newest.map_or(1, |(v, _)| v + 1);
    diesel::insert_into(inputs::table)
        .values((
            inputs::id.eq(new_id()),
            inputs::kind.eq(kind.code()),
            inputs::version.eq(version),
            inputs::filename.eq(filename),
            inputs::sha256.eq(sha256),
            inputs::content.eq(content),
            inputs::imported_by.eq(user_id),
            inputs::imported_at.eq(to_millis(now)),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "version av indata"))?;
    Ok(version)
}

/// The newest version of each imported kind.
pub fn current_inputs(conn: &mut DbConnection) -> Result<Vec<StoredInput>, StoreError> {
    let mut current = Vec::new();
    for kind in InputKind::ALL {
        let row: Option<(i32, String, String, String, String, i64)> = inputs::table
            .inner_join(users::table)
            .filter(inputs::kind.eq(kind.code()))
            .order(inputs::version.desc())
            .select((
                inputs::version,
                inputs::filename,
                inputs::sha256,
                inputs::content,
                users::display_name,
                inputs::imported_at,
            ))
            .first(conn)
            .optional()?;
        if let Some((version, filename, sha256, content, imported_by, imported_at)) = row {
            current.push(StoredInput {
                kind,
                version,
                filename,
                sha256,
                content,
                imported_by,
                imported_at: from_millis(imported_at)?,
            });
        }
    }
    Ok(current)
}

/// A recorded exception to the distance rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistanceOverride {
    pub municipality: MunicipalityCode,
    /// `None`: back to the computed distance.
    pub eligible: Option<bool>,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: Timestamp,
}

pub fn record_override(
    conn: &mut DbConnection,
    municipality: MunicipalityCode,
    eligible: Option<bool>,
    reason: &str,
    user_id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    diesel::insert_into(overrides::table)
        .values((
            overrides::id.eq(new_id()),
            overrides::municipality.eq(municipality.to_string()),
            overrides::eligible.eq(eligible),
            overrides::reason.eq(reason.trim()),
            overrides::decided_by.eq(user_id),
            overrides::decided_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The override in force per municipality: the newest record, unless it returned the
/// municipality to the computed distance.
pub fn overrides_in_force(conn: &mut DbConnection) -> Result<Vec<DistanceOverride>, StoreError> {
    let rows: Vec<(String, Option<bool>, String, String, i64)> = overrides::table
        .inner_join(users::table)
        .order((
            overrides::municipality.asc(),
            overrides::decided_at.desc(),
            overrides::id.desc(),
        ))
        .select((
            overrides::municipality,
            overrides::eligible,
            overrides::reason,
            users::display_name,
            overrides::decided_at,
        ))
        .load(conn)?;
    let mut newest: Vec<DistanceOverride> = Vec::new();
    let mut seen = Vec::new();
    for (municipality, eligible, reason, decided_by, decided_at) in rows {
        let municipality = MunicipalityCode::parse(&municipality)
            .ok_or_else(|| StoreError::Corrupt("kommunkod".into()))?;
        if seen.contains(&municipality) {
            continue;
        }
        seen.push(municipality);
        if eligible.is_some() {
            newest.push(DistanceOverride {
                municipality,
                eligible,
                reason,
                decided_by,
                decided_at: from_millis(decided_at)?,
            });
        }
    }
    Ok(newest)
}
