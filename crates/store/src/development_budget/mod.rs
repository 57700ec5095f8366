//! Utvecklingsbudget's items and the parties' decisions: *Principer för samverkan och ekonomisk
//! reglering* §11.2.
//!
//! Items and each party's decision on them. A party decides an item once.

use crate::schema::{development_decisions as decisions, development_items as items, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::Party;
use samsyn_domain::development_budget::{BudgetItem, Financing, MunicipalKey, PartyDecision};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredItem {
    pub id: String,
    pub item: BudgetItem,
    pub created_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    pub party: Party,
    pub decision: PartyDecision,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

pub fn add_item(
    conn: &mut DbConnection,
    item: &BudgetItem,
    user_id: &str,
    now: Timestamp,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(items::table)
        .values((
            items::id.eq(&id),
            items::year.eq(i32::from(item.year)),
            items::title.eq(item.title.trim()),
            items::amount.eq(item.amount.to_string()),
            items::financing.eq(item.financing.code()),
            items::region_percent.eq(item.region_percent.to_string()),
            items::municipal_key.eq(item.municipal_key.code()),
            items::created_by.eq(user_id),
            items::created_at.eq(to_millis(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

type ItemRow = (
    String,
    i32,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

fn item_from(row: ItemRow) -> Result<StoredItem, StoreError> {
    let (id, year, title, amount, financing, percent, key, created_by, created_at) = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("utvecklingsbudget: {what}"));
    Ok(StoredItem {
        id,
        item: BudgetItem {
            year: i16::try_from(year).map_err(|_| corrupt("år"))?,
            title,
            amount: amount.parse().map_err(|_| corrupt("belopp"))?,
            financing: Financing::parse(&financing).ok_or_else(|| corrupt("finansiering"))?,
            region_percent: percent.parse().map_err(|_| corrupt("andel"))?,
            municipal_key: MunicipalKey::parse(&key).ok_or_else(|| corrupt("fördelning"))?,
        },
        created_by,
        created_at: from_millis(created_at)?,
    })
}

macro_rules! item_columns {
    () => {
        (
            items::id,
            items::year,
            items::title,
            items::amount,
            items::financing,
            items::region_percent,
            items::municipal_key,
            users::display_name,
            items::created_at,
        )
    };
}

/// A year's items, oldest first.
pub fn items_of(conn: &mut DbConnection, year: i16) -> Result<Vec<StoredItem>, StoreError> {
    items::table
        .inner_join(users::table)
        .filter(items::year.eq(i32::from(year)))
        .order((items::created_at.asc(), items::id.asc()))
        .select(item_columns!())
        .load::<ItemRow>(conn)?
        .into_iter()
        .map(item_from)
        .collect()
}

/// The years that have items.
pub fn years(conn: &mut DbConnection) -> Result<Vec<i16>, StoreError> {
    let years: Vec<i32> = items::table
        .select(items::year)
        .distinct()
        .order(items::year.asc())
        .load(conn)?;
    Ok(years
        .into_iter()
        .filter_map(|y| i16::try_from(y).ok())
        .collect())
}

pub fn item(conn: &mut DbConnection, id: &str) -> Result<StoredItem, StoreError> {
    item_from(
        items::table
            .inner_join(users::table)
            .filter(items::id.eq(id))
            .select(item_columns!())
            .first::<ItemRow>(conn)
            .optional()?
            .ok_or(StoreError::NotFound)?,
    )
}

/// Records a party's decision; a second decision by the same party is `Duplicate`.
pub fn decide(
    conn: &mut DbConnection,
    item_id: &str,
    party: Party,
    decision: PartyDecision,
    note: &str,
    user_id: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    item(conn, item_id)?;
    diesel::insert_into(decisions::table)
        .values((
            decisions::id.eq(new_id()),
            decisions::item_id.eq(item_id),
            decisions::party.eq(party.code()),
            decisions::decision.eq(decision.code()),
            decisions::note.eq(note.trim()),
            decisions::recorded_by.eq(user_id),
            decisions::recorded_at.eq(to_millis(now)),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "ett beslut från parten"))?;
    Ok(())
}

/// Every decision on an item.
pub fn decisions_on(
    conn: &mut DbConnection,
    item_id: &str,
) -> Result<Vec<StoredDecision>, StoreError> {
    decisions::table
        .inner_join(users::table)
        .filter(decisions::item_id.eq(item_id))
        .order((decisions::recorded_at.asc(), decisions::id.asc()))
        .select((
            decisions::party,
            decisions::decision,
            decisions::note,
            users::display_name,
            decisions::recorded_at,
        ))
        .load::<(String, String, String, String, i64)>(conn)?
        .into_iter()
        .map(|(party, decision, note, recorded_by, recorded_at)| {
            Ok(StoredDecision {
                party: Party::from_code(&party)
                    .ok_or_else(|| StoreError::Corrupt(format!("okänd part {party}")))?,
                decision: PartyDecision::parse(&decision)
                    .ok_or_else(|| StoreError::Corrupt("okänt beslut".into()))?,
                note,
                recorded_by,
                recorded_at: from_millis(recorded_at)?,
            })
        })
        .collect()
}
