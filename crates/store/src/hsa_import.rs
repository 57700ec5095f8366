//! Importing a party's units and staff from an HSA extract: what the party has now, in the
//! domain's terms, and applying a planned import in the caller's transaction, each change in
//! the administration log.
//!
//! Staff from the file sign in with e-identification only; their username is their HSA-id.

use crate::admin_log::{self, AdminChange};
use crate::schema::{units, users};
use crate::users::{self as accounts, NewUser, Profile};
use crate::{DbConnection, StoreError};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::hsa_extract::{Change, Current, StoredPerson, StoredUnit};
use samsyn_domain::{HsaId, Party, Role, UnitKind};
use std::collections::HashMap;

/// What `party` has now, for planning an import by the administrator `importer`.
pub fn current(
    conn: &mut DbConnection,
    party: Party,
    importer: Option<&str>,
) -> Result<Current, StoreError> {
    let unit_rows: Vec<(String, Option<String>, String, String, String)> = units::table
        .select((
            units::id,
            units::hsa_id,
            units::name,
            units::kind,
            units::party,
        ))
        .load(conn)?;
    let user_rows: Vec<(Option<String>, String, String, String, bool)> = users::table
        .select((
            users::hsa_id,
            users::display_name,
            users::role,
            users::unit_id,
            users::disabled,
        ))
        .load(conn)?;
    let corrupt = |what: &str| StoreError::Corrupt(what.into());
    let code = party.code();
    let mut current = Current {
        importer: importer.and_then(|id| HsaId::parse(id).ok()),
        ..Current::default()
    };
    let mut unit_party: HashMap<String, (bool, Option<HsaId>)> = HashMap::new();
    for (id, hsa_id, name, kind, unit_party_code) in unit_rows {
        let ours = unit_party_code == code;
        let hsa_id = hsa_id.and_then(|h| HsaId::parse(&h).ok());
        if let Some(hsa) = &hsa_id {
            if ours {
                current.units.push(StoredUnit {
                    hsa_id: hsa.clone(),
                    name,
                    kind: UnitKind::from_code(&kind).ok_or_else(|| corrupt("unit kind"))?,
                });
            } else {
                current.taken_elsewhere.insert(hsa.clone());
            }
        }
        unit_party.insert(id, (ours, hsa_id));
    }
    for (hsa_id, name, role, unit_id, disabled) in user_rows {
        let Some(hsa_id) = hsa_id.and_then(|h| HsaId::parse(&h).ok()) else {
            continue;
        };
        let (ours, unit) = unit_party
            .get(&unit_id)
            .cloned()
            .ok_or_else(|| corrupt("user unit"))?;
        if ours {
            current.people.push(StoredPerson {
                hsa_id,
                name,
                role: Role::from_code(&role).ok_or_else(|| corrupt("user role"))?,
                unit,
                disabled,
            });
        } else {
            current.taken_elsewhere.insert(hsa_id);
        }
    }
    Ok(current)
}

fn unit_id(conn: &mut DbConnection, hsa_id: &HsaId) -> Result<String, StoreError> {
    units::table
        .filter(units::hsa_id.eq(hsa_id.as_str()))
        .select(units::id)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Applies a planned import for `party`: units first, then accounts, then the disabling of those
/// no longer in the file. `admin` is the administrator's username, for the administration log.
pub fn apply(
    conn: &mut DbConnection,
    party: Party,
    admin: &str,
    file: &str,
    changes: &[Change],
    now: Timestamp,
) -> Result<(), StoreError> {
    for change in changes {
        let subject = match change {
            Change::NewUnit(unit) => {
                let created = crate::units::create(conn, &unit.name, unit.kind, party, "", now)?;
                crate::units::set_hsa_id(conn, &created.id, unit.hsa_id.as_str())?;
                format!("enhet {}", unit.hsa_id)
            }
            Change::RenamedUnit { hsa_id, to, .. } => {
                let id = unit_id(conn, hsa_id)?;
                diesel::update(units::table.find(&id))
                    .set(units::name.eq(to))
                    .execute(conn)?;
                format!("enhet {hsa_id}")
            }
            Change::NewPerson(person) => {
                let unit = unit_id(conn, &person.unit)?;
                let created = accounts::create(
                    conn,
                    &NewUser {
                        username: person.hsa_id.as_str(),
                        display_name: &person.name,
                        role: person.role,
                        unit_id: &unit,
                        password_hash: None,
                        is_demo: false,
                    },
                    now,
                )?;
                accounts::set_hsa_id(conn, &created.id, person.hsa_id.as_str())?;
                format!("användare {}", created.username)
            }
            Change::ChangedPerson { to, .. } => {
                let account =
                    accounts::by_hsa_id(conn, to.hsa_id.as_str())?.ok_or(StoreError::NotFound)?;
                let unit = unit_id(conn, &to.unit)?;
                accounts::update_profile(
                    conn,
                    &account.id,
                    account.version,
                    &Profile {
                        display_name: &to.name,
                        role: to.role,
                        unit_id: &unit,
                        hsa_id: Some(to.hsa_id.as_str()),
                    },
                )?;
                format!("användare {}", account.username)
            }
            Change::Disabled(person) => {
                let account = accounts::by_hsa_id(conn, person.hsa_id.as_str())?
                    .ok_or(StoreError::NotFound)?;
                accounts::disable(conn, &account.username, Some(account.version))?;
                format!("användare {}", account.username)
            }
        };
        admin_log::record(
            conn,
            &AdminChange {
                at: now,
                actor: admin.to_owned(),
                party,
                action: format!("importerade från {file}"),
                subject,
                detail: change.describe(),
            },
        )?;
    }
    Ok(())
}
