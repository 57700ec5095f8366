//! The signed-in user of a request, from the session cookie or an API bearer token.

use crate::AppState;
use crate::shared::auth::{csrf_token_for, token_hash};
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::IdentitySource;
use samsyn_store::access_log::Actor;
use samsyn_store::person_sessions::{self, PersonSession};
use samsyn_store::units::Unit;
use samsyn_store::users::User;
use samsyn_store::{sessions, users};

pub const SESSION_COOKIE: &str = "samsyn_session";
pub const LOGIN_COOKIE: &str = "samsyn_login";
/// A person's session on her own pages (Min sida), never a staff session.
pub const PERSON_COOKIE: &str = "samsyn_person";

/// One user working for one unit: every request acts as exactly this.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub unit: Unit,
    pub token_hash: String,
    /// The token for forms and cookie-authenticated API calls.
    pub csrf_token: String,
    pub via_bearer: bool,
    /// How the user signed in to this session.
    pub identity_source: IdentitySource,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id.clone(),
            unit_id: self.unit.id.clone(),
            role: self.user.role,
            identity_source: self.identity_source,
        }
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

/// The cookie's name as sent: with the `__Host-` prefix when it is `Secure`, so that browsers
/// accept it only from this host over HTTPS, with `Path=/` and no `Domain` (no sibling
/// subdomain can plant one).
pub fn cookie_name(name: &str, secure: bool) -> String {
    if secure {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// A `Set-Cookie` value. HttpOnly and SameSite=Lax always; Secure and `__Host-` unless on
/// loopback.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age_seconds: Option<i64>) -> String {
    let name = cookie_name(name, secure);
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if secure {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age_seconds {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    cookie
}

/// Whether a session's activity is worth a write: at most once a minute, so that reads do not
/// each write the session row (the idle timeout is half an hour; a minute's lag is nothing).
fn is_worth_recording(last_seen: jiff::Timestamp, now: jiff::Timestamp) -> bool {
    now.duration_since(last_seen) >= jiff::SignedDuration::from_mins(1)
}

/// What a session token's lookup found.
enum Lookup {
    Unknown,
    Ended,
    /// The user, her unit, how she signed in, and whether her activity is worth recording.
    Found(Box<(User, Unit, IdentitySource, bool)>),
}

/// Why there is no current user.
pub enum Unauthenticated {
    Page {
        next: String,
    },
    /// An htmx request from a page whose session has ended: the whole page must go to the
    /// sign-in, not the sign-in page into a fragment of it.
    Fragment {
        next: String,
    },
    Api,
    Fhir,
    /// The session could not be looked up because the database does not answer: the answer is
    /// 503, so that a client keeps its token and a page asks for patience, not a new sign-in.
    Unavailable(Response),
}

impl IntoResponse for Unauthenticated {
    fn into_response(self) -> Response {
        match self {
            Unauthenticated::Unavailable(response) => response,
            Unauthenticated::Page { next } => {
                let target = format!("/logga-in?nasta={}", urlencode(&next));
                Redirect::to(&target).into_response()
            }
            Unauthenticated::Fragment { next } => {
                let target = format!("/logga-in?nasta={}", urlencode(&next));
                (StatusCode::UNAUTHORIZED, [("HX-Redirect", target)]).into_response()
            }
            Unauthenticated::Fhir => crate::shared::error::outcome(
                StatusCode::UNAUTHORIZED,
                &[samsyn_fhir::Issue {
                    code: "login",
                    diagnostics: "Logga in (POST /api/v1/session) och skicka token som Bearer."
                        .into(),
                    expression: None,
                }],
            ),
            Unauthenticated::Api => crate::shared::error::ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Logga in först (POST /api/v1/session) och skicka token som Bearer.",
            )
            .into_response(),
        }
    }
}

/// The page an htmx request came from (path and query of `HX-Current-URL`), so that signing in
/// again returns there.
fn htmx_current_page(headers: &axum::http::HeaderMap) -> Option<String> {
    headers.get("HX-Request")?;
    let current = headers
        .get("HX-Current-URL")
        .and_then(|v| v.to_str().ok())
        .and_then(|url| url.parse::<axum::http::Uri>().ok());
    Some(
        current
            .as_ref()
            .and_then(|uri| uri.path_and_query())
            .map_or("/", |p| p.as_str())
            .to_owned(),
    )
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)])
        .map(|s| s[2..].to_owned())
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Unauthenticated;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The access gate has already found the user.
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let uri = parts.uri.clone();
        let is_fhir = uri.path().starts_with("/fhir/");
        let is_api = uri.path().starts_with("/api/") || is_fhir;
        let htmx_page = htmx_current_page(&parts.headers);
        let reject = || {
            if is_fhir {
                Unauthenticated::Fhir
            } else if is_api {
                Unauthenticated::Api
            } else if let Some(page) = htmx_page {
                Unauthenticated::Fragment { next: page }
            } else {
                let next = uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/")
                    .to_owned();
                Unauthenticated::Page { next }
            }
        };
        let bearer_token = if is_api { bearer(&parts.headers) } else { None };
        let via_bearer = bearer_token.is_some();
        let session_cookie = cookie_name(SESSION_COOKIE, state.config.secure_cookies);
        let Some(token) = bearer_token.or_else(|| cookie(&parts.headers, &session_cookie)) else {
            return Err(reject());
        };
        let hash = token_hash(&token);
        let now = state.clock.now();
        let policy = state.config.sessions;
        let lookup_hash = hash.clone();
        // The header badge polls in the background; that is not activity, so it must not keep
        // an idle session alive.
        let is_activity = uri.path() != "/att-gora";
        let found = state
            .read(move |conn| {
                let Some((session, user, unit)) = users::by_session(conn, &lookup_hash)? else {
                    return Ok(Lookup::Unknown);
                };
                if policy.has_ended(session.created_at, session.last_seen_at, now) {
                    return Ok(Lookup::Ended);
                }
                if user.disabled {
                    return Ok(Lookup::Unknown);
                }
                let touch = is_activity && is_worth_recording(session.last_seen_at, now);
                Ok(Lookup::Found(Box::new((
                    user,
                    unit,
                    session.identity_source,
                    touch,
                ))))
            })
            .await;
        // Looked up on a reader; the rare writes (an ended session, activity once a minute)
        // go to the writer afterwards, so most requests never wait for it.
        let found = match found {
            Ok(Lookup::Found(found)) => {
                let (user, unit, identity_source, touch) = *found;
                let written = if touch {
                    let hash = hash.clone();
                    state
                        .db(move |conn| sessions::touch(conn, &hash, now))
                        .await
                } else {
                    Ok(())
                };
                written.map(|()| Some((user, unit, identity_source)))
            }
            Ok(Lookup::Ended) => {
                let hash = hash.clone();
                state
                    .db(move |conn| sessions::delete(conn, &hash))
                    .await
                    .map(|()| None)
            }
            Ok(Lookup::Unknown) => Ok(None),
            Err(error) => Err(error),
        };
        match found {
            Ok(Some((user, unit, identity_source))) => Ok(CurrentUser {
                user,
                unit,
                token_hash: hash,
                csrf_token: csrf_token_for(&token),
                via_bearer,
                identity_source,
            }),
            Ok(None) => Err(reject()),
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                Err(Unauthenticated::Unavailable(if is_fhir {
                    crate::shared::error::unavailable_fhir()
                } else if is_api {
                    crate::shared::error::unavailable_api().into_response()
                } else {
                    crate::shared::unavailable::page()
                }))
            }
        }
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
                .await
                .ok(),
        )
    }
}

/// The client's address, when the server was started with connection info: the peer, or, when
/// the peer is the trusted proxy, the last address in `X-Forwarded-For` (the one the proxy
/// added; earlier ones are the client's own claims). A last entry that is not an address means
/// the proxy said nothing usable, and the peer stands. An IPv4 peer seen through a dual-stack
/// socket (`::ffff:a.b.c.d`) is compared as IPv4.
pub fn client_address(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    parts_extensions: &axum::http::Extensions,
) -> Option<std::net::IpAddr> {
    let peer = parts_extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_canonical())?;
    if state.config.trusted_proxy.map(|p| p.to_canonical()) != Some(peer) {
        return Some(peer);
    }
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok());
    Some(last.map_or(peer, |a| a.to_canonical()))
}

/// Why a sign-in failed. A wrong username and a wrong password give the same neutral message.
#[derive(Debug, PartialEq, Eq)]
pub enum SignInError {
    Throttled,
    BadCredentials,
    Unavailable,
    /// The installation signs in through its identity provider only (`--no-local-login`).
    LocalPasswordsOff,
}

/// Checks the password (argon2id, on a bounded blocking pool), then starts a new session.
/// Returns the new session token. An old session token, if given, is ended (rotation).
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    address: Option<std::net::IpAddr>,
    previous_token: Option<String>,
) -> Result<(String, User), SignInError> {
    let now = state.clock.now();
    if !state.config.sign_in.local_passwords {
        return Err(SignInError::LocalPasswordsOff);
    }
    if username.len() > crate::shared::auth::MAX_USERNAME_BYTES
        || password.len() > crate::shared::auth::MAX_PASSWORD_BYTES
    {
        return Err(SignInError::BadCredentials);
    }
    let throttle = state.throttle;
    let name = username.to_owned();
    let (blocked, credentials) = state
        .db(move |conn| {
            if throttle.is_blocked(conn, &name, address, now)? {
                return Ok((true, None));
            }
            Ok((false, users::credentials_by_username(conn, name.trim())?))
        })
        .await
        .map_err(|_| SignInError::Unavailable)?;
    if blocked {
        return Err(SignInError::Throttled);
    }
    let (user, hash) = match credentials {
        Some(c) if !c.user.disabled => (Some(c.user), c.password_hash),
        _ => (None, None),
    };
    let verified = verify_on_pool(state, password.to_owned(), hash)
        .await
        .ok_or(SignInError::Unavailable)?;
    let name = username.to_owned();
    let Some(user) = user.filter(|_| verified) else {
        state
            .db(move |conn| throttle.record_failure(conn, &name, address, now))
            .await
            .map_err(|_| SignInError::Unavailable)?;
        return Err(SignInError::BadCredentials);
    };
    state
        .db(move |conn| throttle.record_success(conn, &name))
        .await
        .map_err(|_| SignInError::Unavailable)?;
    let token = start_session(state, &user, IdentitySource::Local, previous_token).await?;
    Ok((token, user))
}

/// Starts a new session for a user whose identity has been proven, ending the browser's
/// previous one (rotation) and sessions past their timeouts. Returns the new session token.
pub async fn start_session(
    state: &AppState,
    user: &User,
    source: IdentitySource,
    previous_token: Option<String>,
) -> Result<String, SignInError> {
    let now = state.clock.now();
    let token = crate::shared::auth::new_token();
    let hash = token_hash(&token);
    let user_id = user.id.clone();
    let (idle_cutoff, absolute_cutoff) = state.config.sessions.cutoffs(now);
    state
        .db(move |conn| {
            if let Some(previous) = previous_token {
                sessions::delete(conn, &token_hash(&previous))?;
            }
            sessions::delete_expired(conn, idle_cutoff, absolute_cutoff)?;
            sessions::create(conn, &hash, &user_id, source, now)
        })
        .await
        .map_err(|_| SignInError::Unavailable)?;
    tracing::info!(user_id = %user.id, source = source.code(), "signed in");
    Ok(token)
}

/// Whether `password` matches `hash` (argon2id, on the bounded hashing pool and off the async
/// runtime; with no hash the same work, and false). `None` when the pool has closed.
pub async fn verify_on_pool(
    state: &AppState,
    password: String,
    hash: Option<String>,
) -> Option<bool> {
    let permit = state.hashing.clone().acquire_owned().await.ok()?;
    Some(
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            crate::shared::auth::verify_password(&password, hash.as_deref())
        })
        .await
        .unwrap_or(false),
    )
}

/// Ends the session.
pub async fn sign_out(state: &AppState, user: &CurrentUser) {
    let hash = user.token_hash.clone();
    if let Err(error) = state.db(move |conn| sessions::delete(conn, &hash)).await {
        tracing::error!(%error, "could not end session");
    }
}

/// The signed-in person, if her session is within the timeouts (the same as staff's).
pub(crate) async fn current_person(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<(PersonSession, String)> {
    let token = cookie(
        headers,
        &cookie_name(PERSON_COOKIE, state.config.secure_cookies),
    )?;
    let hash = token_hash(&token);
    let now = state.clock.now();
    let policy = state.config.sessions;
    let found = state
        .db(move |conn| {
            let Some(session) = person_sessions::get(conn, &hash)? else {
                return Ok(None);
            };
            if policy.has_ended(session.created_at, session.last_seen_at, now) {
                person_sessions::delete(conn, &hash)?;
                return Ok(None);
            }
            if is_worth_recording(session.last_seen_at, now) {
                person_sessions::touch(conn, &hash, now)?;
            }
            Ok(Some(session))
        })
        .await;
    match found {
        Ok(session) => session.map(|s| (s, token)),
        Err(error) => {
            tracing::error!(%error, "person session lookup failed");
            None
        }
    }
}
