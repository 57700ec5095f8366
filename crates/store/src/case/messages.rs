//! Case messages (meddelanden i ärendet): threaded on the case, visible to the case's sending
//! and receiving units, with read state per unit and attachments kept in the database.

use crate::access_log::Actor;
use crate::case::requests::{CareRequest, add_event, log};
use crate::schema::{attachments, care_requests, case_messages, message_reads, units, users};
use crate::{DbConnection, StoreError, from_millis, new_id, to_millis};
use diesel::prelude::*;
use jiff::Timestamp;
use samsyn_domain::AccessAction;
use std::collections::HashMap;

/// A file to attach, already checked for size and type by the caller.
pub struct NewAttachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct AttachmentInfo {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub at: Timestamp,
    pub user_name: String,
    pub unit_name: String,
    pub body: String,
    pub attachments: Vec<AttachmentInfo>,
    /// Units that have read the message, with when.
    pub read_by: Vec<(String, Timestamp)>,
}

/// Posts a message on the case; the writer's unit has read it by definition.
pub fn post(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    body: &str,
    attachment: Option<NewAttachment>,
    now: Timestamp,
) -> Result<(), StoreError> {
    let id = new_id();
    diesel::insert_into(case_messages::table)
        .values((
            case_messages::id.eq(&id),
            case_messages::case_id.eq(&case.id),
            case_messages::at.eq(to_millis(now)),
            case_messages::user_id.eq(&actor.user_id),
            case_messages::unit_id.eq(&actor.unit_id),
            case_messages::body.eq(body),
        ))
        .execute(conn)?;
    diesel::insert_into(message_reads::table)
        .values((
            message_reads::message_id.eq(&id),
            message_reads::unit_id.eq(&actor.unit_id),
            message_reads::read_at.eq(to_millis(now)),
            message_reads::read_by.eq(&actor.user_id),
        ))
        .execute(conn)?;
    if let Some(file) = attachment {
        diesel::insert_into(attachments::table)
            .values((
                attachments::id.eq(new_id()),
                attachments::message_id.eq(&id),
                attachments::filename.eq(&file.filename),
                attachments::content_type.eq(&file.content_type),
                attachments::size_bytes.eq(file.content.len() as i64),
                attachments::content.eq(&file.content),
            ))
            .execute(conn)?;
    }
    add_event(
        conn,
        actor,
        &case.id,
        "meddelande",
        None,
        "Meddelande i ärendet.",
        now,
    )?;
    log(conn, actor, case, AccessAction::Update, now)
}

/// The case's messages, oldest first; with `mark_read`, marks them read for the actor's unit.
pub fn read_all(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    mark_read: bool,
    now: Timestamp,
) -> Result<Vec<Message>, StoreError> {
    let rows = case_messages::table
        .inner_join(users::table.on(users::id.eq(case_messages::user_id)))
        .inner_join(units::table.on(units::id.eq(case_messages::unit_id)))
        .filter(case_messages::case_id.eq(&case.id))
        .order((case_messages::at.asc(), case_messages::id.asc()))
        .select((
            case_messages::id,
            case_messages::at,
            users::display_name,
            units::name,
            case_messages::body,
        ))
        .load::<(String, i64, String, String, String)>(conn)?;
    let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let reads: Vec<(String, String, String, i64)> = message_reads::table
        .inner_join(units::table.on(units::id.eq(message_reads::unit_id)))
        .filter(message_reads::message_id.eq_any(&ids))
        .select((
            message_reads::message_id,
            message_reads::unit_id,
            units::name,
            message_reads::read_at,
        ))
        .load(conn)?;
    let files: Vec<(String, String, String, String, i64)> = attachments::table
        .filter(attachments::message_id.eq_any(&ids))
        .select((
            attachments::message_id,
            attachments::id,
            attachments::filename,
            attachments::content_type,
            attachments::size_bytes,
        ))
        .load(conn)?;
    for (id, ..) in rows.iter().filter(|_| mark_read) {
        if !reads
            .iter()
            .any(|(m, unit, _, _)| m == id && *unit == actor.unit_id)
        {
            diesel::insert_into(message_reads::table)
                .values((
                    message_reads::message_id.eq(id),
                    message_reads::unit_id.eq(&actor.unit_id),
                    message_reads::read_at.eq(to_millis(now)),
                    message_reads::read_by.eq(&actor.user_id),
                ))
                .execute(conn)?;
        }
    }
    let mut read_by: HashMap<&str, Vec<(String, Timestamp)>> = HashMap::new();
    for (message, _, unit_name, at) in &reads {
        read_by
            .entry(message.as_str())
            .or_default()
            .push((unit_name.clone(), from_millis(*at)?));
    }
    rows.iter()
        .map(|(id, at, user_name, unit_name, body)| {
            Ok(Message {
                id: id.clone(),
                at: from_millis(*at)?,
                user_name: user_name.clone(),
                unit_name: unit_name.clone(),
                body: body.clone(),
                attachments: files
                    .iter()
                    .filter(|f| &f.0 == id)
                    .map(|f| AttachmentInfo {
                        id: f.1.clone(),
                        filename: f.2.clone(),
                        content_type: f.3.clone(),
                        size_bytes: f.4,
                    })
                    .collect(),
                read_by: {
                    let mut units = read_by.remove(id.as_str()).unwrap_or_default();
                    units.sort_by_key(|(_, at)| *at);
                    units
                },
            })
        })
        .collect()
}

/// One attachment of the case, for download; `NotFound` if it belongs to another case.
pub fn attachment(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &CareRequest,
    attachment_id: &str,
    now: Timestamp,
) -> Result<(String, String, Vec<u8>), StoreError> {
    let found = attachments::table
        .inner_join(case_messages::table.on(case_messages::id.eq(attachments::message_id)))
        .filter(attachments::id.eq(attachment_id))
        .filter(case_messages::case_id.eq(&case.id))
        .select((
            attachments::filename,
            attachments::content_type,
            attachments::content,
        ))
        .first::<(String, String, Vec<u8>)>(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    log(conn, actor, case, AccessAction::Export, now)?;
    Ok(found)
}

/// Messages in the unit's cases that the unit has not read: for the header badge.
pub fn unread_for_unit(conn: &mut DbConnection, unit_id: &str) -> Result<i64, StoreError> {
    // Only cases the unit may open: a receiver never sees a draft, nor its messages.
    let case_ids = care_requests::table
        .filter(
            care_requests::sender_unit_id.eq(unit_id.to_owned()).or(
                care_requests::receiver_unit_id
                    .eq(unit_id.to_owned())
                    .and(care_requests::state.ne(samsyn_domain::CaseState::Draft.code())),
            ),
        )
        .select(care_requests::id);
    let read = message_reads::table
        .filter(message_reads::unit_id.eq(unit_id.to_owned()))
        .select(message_reads::message_id);
    Ok(case_messages::table
        .filter(case_messages::case_id.eq_any(case_ids))
        .filter(diesel::dsl::not(case_messages::id.eq_any(read)))
        .count()
        .get_result(conn)?)
}
