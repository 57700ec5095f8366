//! The access-log review's criteria: read from a form or a JSON body, checked with a Swedish
//! message per field, turned into the store's filter within the reviewer's party, and the one
//! log entry that each review writes.

use crate::AppState;
use crate::shared::session::CurrentUser;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use samsyn_domain::{AccessAction, AccessOutcome};
use samsyn_store::access_log::sample::REVIEW_OBJECT;
use samsyn_store::access_log::{self, Filter, Page, PageAt};
use samsyn_store::{DbConnection, StoreError};
use serde::Deserialize;

/// Entries on one page of the review.
pub const PAGE_SIZE: i64 = 100;
/// The most entries one CSV export holds; a reviewer who needs more narrows the period.
pub const EXPORT_LIMIT: i64 = 100_000;

/// What the reviewer asked for, as typed. Every field may be empty.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Criteria {
    /// First day, `ÅÅÅÅ-MM-DD`.
    pub fran: String,
    /// Last day, `ÅÅÅÅ-MM-DD`.
    pub till: String,
    /// Only accesses to this person's data.
    pub personnummer: String,
    /// Only accesses by this user (username).
    pub anvandare: String,
    /// Only accesses from this unit (its id).
    pub enhet: String,
    /// `read`, `list`, `create`, `update`, `print` or `export`.
    pub handelse: String,
    /// `allowed` or `denied`.
    pub utfall: String,
}

/// Criteria that were checked: the days as dates, the codes as their types.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    pub personnummer: Option<samsyn_domain::PersonId>,
    pub username: Option<String>,
    pub unit_id: Option<String>,
    pub action: Option<AccessAction>,
    pub outcome: Option<AccessOutcome>,
}

impl Criteria {
    /// The criteria checked, or the first field's problem in Swedish.
    pub fn check(&self, state: &AppState) -> Result<Checked, String> {
        let day = |text: &str, label: &str| match text.trim() {
            "" => Ok(None),
            text => parse_day(text, label).map(Some),
        };
        let first_day = day(&self.fran, "Från")?;
        let last_day = day(&self.till, "Till")?;
        if let (Some(first), Some(last)) = (first_day, last_day)
            && last < first
        {
            return Err("Till: dagen ligger före från-dagen.".to_owned());
        }
        let personnummer = match self.personnummer.trim() {
            "" => None,
            text => Some(
                samsyn_domain::PersonId::parse(text, &state.rules.reserve_number, state.today())
                    .map_err(|e| format!("Personnummer eller reservnummer: {e}"))?,
            ),
        };
        let action = match self.handelse.trim() {
            "" => None,
            code => Some(
                AccessAction::from_code(code)
                    .ok_or_else(|| "Händelse: välj en händelse i listan.".to_owned())?,
            ),
        };
        let outcome = match self.utfall.trim() {
            "" => None,
            code => Some(
                AccessOutcome::from_code(code)
                    .ok_or_else(|| "Utfall: välj tillåten eller nekad.".to_owned())?,
            ),
        };
        let non_empty = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        Ok(Checked {
            first_day,
            last_day,
            personnummer,
            username: non_empty(&self.anvandare).map(|u| u.to_lowercase()),
            unit_id: non_empty(&self.enhet),
            action,
            outcome,
        })
    }
}

impl Checked {
    /// The store's filter within the reviewer's party (`None` when a named person is not in
    /// Samsyn, so nothing can match: the answer is the same as for a person without accesses,
    /// which tells nobody whether the person has care here); a problem when a named user or
    /// unit does not exist.
    fn filter(
        &self,
        conn: &mut DbConnection,
        zone: &TimeZone,
        party: samsyn_domain::Party,
    ) -> Result<Result<Option<Filter>, String>, StoreError> {
        let mut filter = Filter {
            party: Some(party),
            action: self.action,
            outcome: self.outcome,
            ..Filter::default()
        };
        filter.from = self.first_day.and_then(|day| start_of(zone, day));
        filter.until = self
            .last_day
            .and_then(|day| day.tomorrow().ok())
            .and_then(|day| start_of(zone, day));
        if let Some(number) = &self.personnummer {
            match samsyn_store::patients::find_by_person_id(conn, number)? {
                Some(p) => filter.patient_id = Some(p.id),
                None => return Ok(Ok(None)),
            }
        }
        if let Some(username) = &self.username {
            match samsyn_store::users::credentials_by_username(conn, username)? {
                Some(c) => filter.user_id = Some(c.user.id),
                None => {
                    return Ok(Err(format!(
                        "Användarnamn: det finns ingen användare som heter {username}."
                    )));
                }
            }
        }
        if let Some(unit_id) = &self.unit_id {
            match samsyn_store::units::get(conn, unit_id) {
                Err(StoreError::NotFound) => {
                    return Ok(Err("Enhet: välj en enhet i listan.".to_owned()));
                }
                other => other?,
            };
            filter.unit_id = Some(unit_id.clone());
        }
        Ok(Ok(Some(filter)))
    }

    /// The criteria as the log entry of the review states them, without the person, whom the
    /// entry names in its own column.
    fn describe(&self, what: &str) -> String {
        let mut parts = vec![what.to_owned()];
        if self.first_day.is_some() || self.last_day.is_some() {
            let show = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
            parts.push(format!(
                "period {}–{}",
                show(self.first_day),
                show(self.last_day)
            ));
        }
        if self.personnummer.is_some() {
            parts.push("person".to_owned());
        }
        if let Some(username) = &self.username {
            parts.push(format!("användare {username}"));
        }
        if let Some(unit_id) = &self.unit_id {
            parts.push(format!("enhet {unit_id}"));
        }
        if let Some(action) = self.action {
            parts.push(format!("händelse {}", action.code()));
        }
        if let Some(outcome) = self.outcome {
            parts.push(format!("utfall {}", outcome.code()));
        }
        parts.join("; ")
    }
}

/// How the reviewer uses the result: a page of it on screen, or all of it as a file.
#[derive(Debug, Clone)]
pub enum Use {
    Page(PageAt),
    Export,
}

/// The access log as a log reviewer of the user's party may see it: accesses made from that
/// party's units and every access to the patients of its cases, matching the criteria. The
/// review is itself logged, once, with its criteria: as a read for a page, as an export for a
/// file.
pub async fn search_access_log(
    state: &AppState,
    user: &CurrentUser,
    criteria: Checked,
    purpose: Use,
) -> Result<Page, String> {
    let party = user.unit.party;
    let actor = user.actor();
    let now = state.clock.now();
    let zone = state.time_zone.clone();
    let result = state
        .db(move |conn| {
            let filter = match criteria.filter(conn, &zone, party)? {
                Ok(filter) => filter,
                Err(problem) => return Ok(Err(problem)),
            };
            let export = matches!(purpose, Use::Export);
            let (at, limit, action, what) = match purpose {
                Use::Page(at) => {
                    let what = match at {
                        PageAt::First => "granskning",
                        PageAt::After(_) => "granskning, nästa sida",
                        PageAt::Before(_) => "granskning, föregående sida",
                    };
                    (at, PAGE_SIZE, AccessAction::Read, what.to_owned())
                }
                Use::Export => (
                    PageAt::First,
                    EXPORT_LIMIT,
                    AccessAction::Export,
                    "export".to_owned(),
                ),
            };
            let page = match &filter {
                Some(filter) => access_log::search(conn, filter, &at, limit)?,
                None => Page {
                    entries: Vec::new(),
                    total: 0,
                    denied: 0,
                    next: None,
                    previous: None,
                },
            };
            if export && page.total > EXPORT_LIMIT {
                return Ok(Err(format!(
                    "Urvalet har {} loggposter; en export rymmer högst {EXPORT_LIMIT}. Avgränsa perioden eller sökningen.",
                    page.total
                )));
            }
            let description = criteria.describe(&what);
            let access = access_log::Access {
                patient_id: filter.as_ref().and_then(|f| f.patient_id.as_deref()),
                action,
                object_type: REVIEW_OBJECT,
                object_id: &description,
                outcome: AccessOutcome::Allowed,
            };
            access_log::record(conn, &actor, access, now)?;
            Ok(Ok(page))
        })
        .await;
    match result {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "access log search failed");
            Err("Loggen kunde inte hämtas just nu.".to_owned())
        }
    }
}

/// A day typed as `ÅÅÅÅ-MM-DD`, or the field's message.
pub fn parse_day(text: &str, label: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| format!("{label}: skriv datumet som ÅÅÅÅ-MM-DD."))
}

/// The start of `first` and the end of `last` in the region's time zone.
pub fn day_bounds(state: &AppState, first: Date, last: Date) -> Option<(Timestamp, Timestamp)> {
    let zone = &state.time_zone;
    Some((
        start_of(zone, first)?,
        start_of(zone, last.tomorrow().ok()?)?,
    ))
}

fn start_of(zone: &TimeZone, day: Date) -> Option<Timestamp> {
    day.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
}
