//! The live inbox: when a case changes, the open inboxes of its units reload without the user
//! doing anything (server-sent events, which htmx's SSE extension turns into a reload of the
//! list), and a unit that asked for it gets an e-mail when a request arrives. The header badge's
//! poll stays as the fallback where the event stream cannot reach the browser.

use crate::AppState;
use crate::shared::session::CurrentUser;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use samsyn_store::Engine;
use samsyn_store::case::changes::{self, CaseChange, ChangeListener};
use samsyn_store::case::requests::CareRequest;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// The units a change concerns. Carries no patient data: only unit ids travel.
#[derive(Debug, Clone)]
pub struct CaseEvent {
    units: [String; 2],
}

/// Something changed in the case: both units' open inboxes reload, on this process at once and,
/// on PostgreSQL, on the other processes through the database.
pub fn changed(state: &AppState, request: &CareRequest) {
    let units = [
        request.sender_unit_id.clone(),
        request.receiver_unit_id.clone(),
    ];
    // Nobody listening is not an error.
    let _ = state.events.send(CaseEvent {
        units: units.clone(),
    });
    if state.store.engine() != Engine::Postgres {
        return;
    }
    let change = CaseChange {
        origin: state.instance.to_string(),
        units,
    };
    let state = state.clone();
    tokio::spawn(async move {
        let announced = state.db(move |conn| changes::announce(conn, &change)).await;
        if let Err(error) = announced {
            tracing::warn!(%error, "the other processes could not be told of a changed case");
        }
    });
}

/// On PostgreSQL, passes the changes that other processes announce to this process's open
/// inboxes until the process drains. A lost connection is listened to again after a second;
/// what was announced meanwhile reaches the inboxes through the badge's poll.
pub fn relay_other_processes(state: &AppState) -> std::io::Result<()> {
    if state.store.engine() != Engine::Postgres {
        return Ok(());
    }
    let state = state.clone();
    std::thread::Builder::new()
        .name("samsyn-case-changes".into())
        .spawn(move || {
            let mut listener = None;
            while !state.draining.is_cancelled() {
                let pause = match relay_once(&state, &mut listener) {
                    Ok(()) => RELAY_POLL,
                    Err(error) => {
                        tracing::warn!(%error, "listening for other processes' changes failed");
                        listener = None;
                        RELAY_RETRY
                    }
                };
                std::thread::sleep(pause);
            }
        })?;
    Ok(())
}

const RELAY_POLL: Duration = Duration::from_millis(200);
const RELAY_RETRY: Duration = Duration::from_secs(1);

fn relay_once(
    state: &AppState,
    listener: &mut Option<ChangeListener>,
) -> Result<(), samsyn_store::StoreError> {
    let listening = match listener {
        Some(listening) => listening,
        None => match state.store.listen_for_case_changes() {
            Some(connected) => listener.insert(connected?),
            None => return Ok(()),
        },
    };
    for change in listening.arrived()? {
        if *change.origin != *state.instance {
            let _ = state.events.send(CaseEvent {
                units: change.units,
            });
        }
    }
    Ok(())
}

/// A request reached its receiving unit (sent or forwarded): the inboxes reload, and the unit's
/// notice address, if it has one, gets "Ny begäran i Samsyn" with a link.
pub fn arrived(state: &AppState, request: &CareRequest) {
    changed(state, request);
    let Some(mailer) = state.mailer.clone() else {
        return;
    };
    let state = state.clone();
    let unit_id = request.receiver_unit_id.clone();
    let link = format!(
        "{}/begaran/{}",
        state.config.sign_in.public_url.trim_end_matches('/'),
        request.id
    );
    let unit_name = request.receiver_unit_name.clone();
    tokio::spawn(async move {
        let address = state
            .db(move |conn| samsyn_store::units::notice_address(conn, &unit_id))
            .await;
        let Ok(Some(address)) = address else {
            return;
        };
        let body = format!(
            "En ny begäran om hälso- och sjukvård i hemmet har kommit till {unit_name}.\n\n\
             Logga in i Samsyn för att läsa och kvittera den:\n{link}\n\n\
             Det här e-brevet innehåller inga uppgifter om personen."
        );
        if let Err(error) = mailer.send(&address, "Ny begäran i Samsyn", &body).await {
            tracing::warn!(%error, "the notice of a new request could not be sent");
        }
    });
}

/// `GET /inkorg/handelser`: an `arende` event whenever a case of the user's unit changes.
pub async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let unit = user.unit.id;
    let stream = BroadcastStream::new(state.events.subscribe()).filter_map(move |event| {
        // A lagging receiver missed some events; one reload covers them all.
        let concerns_us = event.map_or(true, |e| e.units.contains(&unit));
        concerns_us.then(|| Ok(Event::default().event("arende").data("ändrat")))
    });
    // The stream ends when the process drains; the browser's EventSource reconnects to another.
    let stream = futures_util::StreamExt::take_until(stream, state.draining.cancelled_owned());
    Sse::new(stream).keep_alive(KeepAlive::default())
}
