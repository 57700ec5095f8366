//! User accounts. Each user works for one unit in one role, and has an identity source so
//! that SITHS eID (OIDC) can be added beside local passwords without reshaping the model.

use crate::schema::{self, units, users};
use crate::sessions::{self, Session};
use crate::units::{Unit, UnitRow};
use crate::{DbConnection, StoreError, new_id, to_millis};
use diesel::prelude::*;
use samsyn_domain::Role;

/// Where the user's identity is proven; an `Oidc` account has no password.
pub use samsyn_domain::IdentitySource;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: String,
    pub unit_name: String,
    pub identity_source: IdentitySource,
    pub disabled: bool,
    pub is_demo: bool,
    pub version: i64,
    /// HSA-id, by which an organisation's identity provider names the person at sign-in.
    pub hsa_id: Option<String>,
}

/// A user with the password hash, only for login.
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

/// What is needed to create an account.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub unit_id: &'a str,
    /// The argon2id hash of a local account's password; `None` for an account that signs in
    /// only through the identity provider (`oidc`).
    pub password_hash: Option<&'a str>,
    pub is_demo: bool,
}

type UserColumns = (
    users::id,
    users::username,
    users::display_name,
    users::role,
    users::unit_id,
    units::name,
    users::identity_source,
    users::disabled,
    users::is_demo,
    users::version,
    users::password_hash,
    users::hsa_id,
);

const COLUMNS: UserColumns = (
    users::id,
    users::username,
    users::display_name,
    users::role,
    users::unit_id,
    units::name,
    users::identity_source,
    users::disabled,
    users::is_demo,
    users::version,
    users::password_hash,
    users::hsa_id,
);

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    bool,
    i64,
    Option<String>,
    Option<String>,
);

fn from_row(row: Row) -> Result<Credentials, StoreError> {
    let (
        id,
        username,
        display_name,
        role,
        unit_id,
        unit_name,
        source,
        disabled,
        is_demo,
        version,
        hash,
        hsa_id,
    ) = row;
    Ok(Credentials {
        user: User {
            id,
            username,
            display_name,
            role: Role::from_code(&role).ok_or_else(|| StoreError::Corrupt("user role".into()))?,
            unit_id,
            unit_name,
            identity_source: IdentitySource::from_code(&source)
                .ok_or_else(|| StoreError::Corrupt("identity source".into()))?,
            disabled,
            is_demo,
            version,
            hsa_id,
        },
        password_hash: hash,
    })
}

/// A username as it is stored and looked up: trimmed and in lower case, so `LAKARE` and
/// ` Lakare ` are the same account as `lakare` (a unique index on `lower(username)` holds it).
pub fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

pub fn create(
    conn: &mut DbConnection,
    new: &NewUser<'_>,
    now: jiff::Timestamp,
) -> Result<User, StoreError> {
    let id = new_id();
    let username = normalise_username(new.username);
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::username.eq(&username),
            users::display_name.eq(new.display_name),
            users::role.eq(new.role.code()),
            users::unit_id.eq(new.unit_id),
            users::identity_source.eq(match new.password_hash {
                Some(_) => IdentitySource::Local.code(),
                None => IdentitySource::Oidc.code(),
            }),
            users::password_hash.eq(new.password_hash),
            users::disabled.eq(false),
            users::is_demo.eq(new.is_demo),
            users::created_at.eq(to_millis(now)),
            users::version.eq(1i64),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "användarnamnet"))?;
    get(conn, &id)
}

/// Who answered or confirmed something on a record: the user's display name and the name of the
/// unit they acted for, which need not be the user's unit today.
pub(crate) fn signature(
    conn: &mut DbConnection,
    user_id: &str,
    unit_id: &str,
) -> Result<(String, String), StoreError> {
    Ok((
        users::table
            .find(user_id)
            .select(users::display_name)
            .get_result(conn)?,
        units::table
            .find(unit_id)
            .select(units::name)
            .get_result(conn)?,
    ))
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<User, StoreError> {
    users::table
        .inner_join(units::table)
        .filter(users::id.eq(id))
        .select(COLUMNS)
        .get_result::<Row>(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
        .and_then(from_row)
        .map(|c| c.user)
}

/// The session with this token hash, with its user and her unit: what every signed-in request
/// asks, in one query.
pub fn by_session(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<(Session, User, Unit)>, StoreError> {
    let row = schema::sessions::table
        .inner_join(users::table.inner_join(units::table))
        .filter(schema::sessions::token_hash.eq(token_hash))
        .select((sessions::SESSION_COLUMNS, COLUMNS, UnitRow::as_select()))
        .get_result::<(sessions::SessionRow, Row, UnitRow)>(conn)
        .optional()?;
    row.map(|(session, user, unit)| {
        Ok((
            sessions::session_from(session)?,
            from_row(user)?.user,
            unit.try_into()?,
        ))
    })
    .transpose()
}

pub fn credentials_by_username(
    conn: &mut DbConnection,
    username: &str,
) -> Result<Option<Credentials>, StoreError> {
    users::table
        .inner_join(units::table)
        .filter(users::username.eq(normalise_username(username)))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

/// The account the organisation's identity provider names by this HSA-id, if any.
pub fn by_hsa_id(conn: &mut DbConnection, hsa_id: &str) -> Result<Option<User>, StoreError> {
    users::table
        .inner_join(units::table)
        .filter(users::hsa_id.eq(hsa_id))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(|row| from_row(row).map(|c| c.user))
        .transpose()
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<User>, StoreError> {
    users::table
        .inner_join(units::table)
        .order(users::username.asc())
        .select(COLUMNS)
        .load::<Row>(conn)?
        .into_iter()
        .map(|row| from_row(row).map(|c| c.user))
        .collect()
}

/// Active accounts with the role on the region's side, or on the municipalities' side together,
/// leaving out `except` (the account being changed): the county group's members per side.
pub fn active_with_role_on_side(
    conn: &mut DbConnection,
    role: samsyn_domain::Role,
    region: bool,
    except: Option<&str>,
) -> Result<u32, StoreError> {
    let ids: Vec<(String, String)> = users::table
        .inner_join(units::table)
        .filter(users::role.eq(role.code()))
        .filter(users::disabled.eq(false))
        .select((users::id, units::party))
        .load(conn)?;
    let count = ids
        .iter()
        .filter(|(id, party)| (party == "region") == region && Some(id.as_str()) != except)
        .count();
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Disables an account and ends its sessions. `expected_version` guards against lost updates.
pub fn disable(
    conn: &mut DbConnection,
    username: &str,
    expected_version: Option<i64>,
) -> Result<(), StoreError> {
    let current = credentials_by_username(conn, username)?
        .ok_or(StoreError::NotFound)?
        .user;
    let version = expected_version.unwrap_or(current.version);
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(&current.id))
            .filter(users::version.eq(version)),
    )
    .set((users::disabled.eq(true), users::version.eq(version + 1)))
    .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    sessions::delete_for_user(conn, &current.id)
}

/// Sets a local account's password hash.
pub fn set_password(
    conn: &mut DbConnection,
    user_id: &str,
    password_hash: &str,
) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(Some(password_hash)),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Makes a local account sign in only through the identity provider: its password is removed
/// and its sessions end, so the next sign-in is with e-identification.
pub fn sign_in_only_through_provider(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(user_id))
        .set((
            users::identity_source.eq(IdentitySource::Oidc.code()),
            users::password_hash.eq(None::<String>),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    sessions::delete_for_user(conn, user_id)
}

/// Turns an account back on after `disable`.
pub fn enable(conn: &mut DbConnection, user_id: &str) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(user_id))
        .set((
            users::disabled.eq(false),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// What an administrator may change on an account.
pub struct Profile<'a> {
    pub display_name: &'a str,
    pub role: Role,
    pub unit_id: &'a str,
    /// Already checked with `samsyn_domain::HsaId`; one account per HSA-id.
    pub hsa_id: Option<&'a str>,
}

/// Changes the account's name, role, unit and HSA-id, if it is still at `expected_version`
/// (`Conflict` otherwise). Its sessions end when the role or unit changes, so no session acts
/// with the access it had before.
pub fn update_profile(
    conn: &mut DbConnection,
    user_id: &str,
    expected_version: i64,
    profile: &Profile<'_>,
) -> Result<(), StoreError> {
    let current = get(conn, user_id)?;
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(user_id))
            .filter(users::version.eq(expected_version)),
    )
    .set((
        users::display_name.eq(profile.display_name),
        users::role.eq(profile.role.code()),
        users::unit_id.eq(profile.unit_id),
        users::hsa_id.eq(profile.hsa_id),
        users::version.eq(expected_version + 1),
    ))
    .execute(conn)
    .map_err(|e| StoreError::from_insert(e, "HSA-id"))?;
    if updated == 0 {
        return Err(StoreError::Conflict);
    }
    if current.role != profile.role || current.unit_id != profile.unit_id {
        sessions::delete_for_user(conn, user_id)?;
    }
    Ok(())
}

/// Gives the user an HSA-id (already checked with `samsyn_domain::HsaId`); one account per
/// HSA-id.
pub fn set_hsa_id(conn: &mut DbConnection, user_id: &str, hsa_id: &str) -> Result<(), StoreError> {
    let updated = diesel::update(users::table.find(user_id))
        .set((
            users::hsa_id.eq(Some(hsa_id)),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .map_err(|e| StoreError::from_insert(e, "HSA-id"))?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
