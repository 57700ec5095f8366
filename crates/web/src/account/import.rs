//! Import från HSA: the administrator starts or updates her party's units and staff from a file
//! extracted from the HSA catalogue. The file is checked line by line and compared with what is
//! stored; she sees every change before it is made, and the changes are made in one transaction
//! (all or nothing), each in the administration log.

use crate::AppState;
use crate::shared::layout::{Layout, download, message_page, render};
use crate::shared::session::CurrentUser;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use samsyn_domain::hsa_extract::{self, Change};
use samsyn_domain::measurement::RowError;
use samsyn_store::{StoreError, hsa_import};

/// Largest file accepted: an extract of a large region's staff is well below this.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

#[derive(Template)]
#[template(path = "account/import.html")]
struct ImportPage {
    layout: Layout,
    party_name: String,
    header: &'static str,
    outcome: Outcome,
}

/// What a file came to; nothing yet before one is sent.
#[derive(Default)]
struct Outcome {
    /// The file's name, when one was sent.
    file: String,
    /// Line-precise problems: nothing was stored.
    errors: Vec<RowError>,
    /// A problem with the upload itself.
    problem: String,
    /// The planned changes, each in one sentence, before or after they were made.
    changes: Vec<String>,
    /// The checked file, sent back with the confirmation.
    content: String,
    /// Whether the changes shown have been made.
    done: bool,
}

impl Outcome {
    fn problem(message: &str) -> Self {
        Outcome {
            problem: message.to_owned(),
            ..Outcome::default()
        }
    }
}

fn page(state: &AppState, user: &CurrentUser, outcome: Outcome) -> Response {
    let status = if outcome.errors.is_empty() && outcome.problem.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &ImportPage {
            layout: Layout::build(state, "Import från HSA", Some(user)),
            party_name: state.rules.party_name(user.unit.party),
            header: hsa_extract::HEADER,
            outcome,
        },
    )
}

/// `GET /admin/import`.
pub async fn form(State(state): State<AppState>, user: CurrentUser) -> Response {
    page(&state, &user, Outcome::default())
}

/// `GET /admin/import/fil`: the party's active units and staff as an extract file.
pub async fn extract_file(State(state): State<AppState>, user: CurrentUser) -> Response {
    let party = user.unit.party;
    let current = state
        .db(move |conn| hsa_import::current(conn, party, None))
        .await;
    match current {
        Ok(current) => download(
            "text/csv; charset=utf-8",
            &format!("hsa-utdrag-{}.csv", party.code()),
            hsa_extract::write(&current, party),
        ),
        Err(error) => {
            tracing::error!(%error, "HSA extract could not be written");
            message_page(
                &state,
                Some(&user),
                StatusCode::SERVICE_UNAVAILABLE,
                "Filen kunde inte skapas",
                "Försök igen om en stund.",
            )
        }
    }
}

/// Reads and plans the file; with `apply`, makes the changes in the same transaction.
async fn plan(
    state: &AppState,
    user: &CurrentUser,
    file: String,
    content: String,
    apply: bool,
) -> Response {
    let party = user.unit.party;
    let extract = match hsa_extract::read(&file, &content, party) {
        Ok(extract) => extract,
        Err(errors) => {
            return page(
                state,
                user,
                Outcome {
                    file,
                    errors,
                    ..Outcome::default()
                },
            );
        }
    };
    let importer = user.user.hsa_id.clone();
    let admin = user.user.username.clone();
    let now = state.clock.now();
    let name = file.clone();
    let planned = state
        .db(move |conn| {
            let current = hsa_import::current(conn, party, importer.as_deref())?;
            let changes = match hsa_extract::plan(&name, &extract, &current) {
                Ok(changes) => changes,
                Err(errors) => return Ok(Err(errors)),
            };
            if apply {
                hsa_import::apply(conn, party, &admin, &name, &changes, now)?;
            }
            Ok(Ok(changes))
        })
        .await;
    let (errors, changes) = match planned {
        Ok(Ok(changes)) => (Vec::new(), changes),
        Ok(Err(errors)) => (errors, Vec::new()),
        Err(StoreError::Duplicate(_)) => {
            return page(
                state,
                user,
                Outcome::problem(
                    "En ny enhet i filen har samma namn som en enhet som redan finns. Ändra namnet i filen och försök igen.",
                ),
            );
        }
        Err(error) => {
            tracing::error!(%error, "HSA import could not be planned or made");
            return message_page(
                state,
                Some(user),
                StatusCode::SERVICE_UNAVAILABLE,
                "Importen kunde inte göras",
                "Inget har ändrats. Försök igen om en stund.",
            );
        }
    };
    page(
        state,
        user,
        Outcome {
            changes: changes.iter().map(Change::describe).collect(),
            file,
            content: if apply || !errors.is_empty() {
                String::new()
            } else {
                content
            },
            done: apply && errors.is_empty(),
            errors,
            ..Outcome::default()
        },
    )
}

/// The parts of a multipart form: each field's file name (if a file) and bytes.
async fn parts(mut multipart: Multipart) -> Option<Vec<(String, Option<String>, Vec<u8>)>> {
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.ok()?;
        parts.push((name, file_name, bytes.to_vec()));
    }
    Some(parts)
}

/// The file in the form's `fil` (an upload) or `innehall` (the previewed text sent back), with its
/// name; or what to tell the administrator.
fn file_in(
    parts: Vec<(String, Option<String>, Vec<u8>)>,
) -> Result<(String, String), &'static str> {
    let mut name = None;
    let mut content = None;
    for (field, file_name, bytes) in parts {
        match field.as_str() {
            "fil" => {
                name = name.or(file_name);
                content = Some(bytes);
            }
            "innehall" => content = Some(bytes),
            "filnamn" => name = String::from_utf8(bytes).ok(),
            _ => {}
        }
    }
    let content = content
        .filter(|bytes| !bytes.is_empty())
        .ok_or("Välj en fil att läsa in (högst 5 MB).")?;
    let content = String::from_utf8(content)
        .map_err(|_| "Filen är inte UTF-8-text. Spara den som CSV (UTF-8) och försök igen.")?;
    let name =
        samsyn_domain::text::attachment_file_name(name.as_deref().unwrap_or("fil.csv"), "csv");
    Ok((name, content))
}

async fn read_and_plan(
    state: &AppState,
    user: &CurrentUser,
    multipart: Multipart,
    apply: bool,
) -> Response {
    let Some(parts) = parts(multipart).await else {
        return page(
            state,
            user,
            Outcome::problem("Filen kunde inte tas emot. Den får vara högst 5 MB."),
        );
    };
    match file_in(parts) {
        Ok((file, content)) => plan(state, user, file, content, apply).await,
        Err(problem) => page(state, user, Outcome::problem(problem)),
    }
}

/// `POST /admin/import`: the uploaded file, checked and compared; nothing is stored yet.
pub async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> Response {
    read_and_plan(&state, &user, multipart, false).await
}

/// `POST /admin/import/genomfor`: checks the previewed file again against what is stored now,
/// and makes the changes.
pub async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> Response {
    read_and_plan(&state, &user, multipart, true).await
}
