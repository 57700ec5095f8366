//! Signing in through an identity provider (OpenID Connect): staff through their organisation's,
//! matched by HSA-id and never given an account on the fly; persons through an e-identification
//! broker, for their own pages only. A flow's secrets stay in the database, tied to a short-lived
//! cookie, and are used once.

use crate::shared::auth::{new_token, token_hash};
use crate::shared::layout::message_page;
use crate::shared::session::{
    self, CurrentUser, SESSION_COOKIE, SignInError, cookie, cookie_name, set_cookie,
};
use crate::sign_in::oidc::{OidcError, Provider, Verified};
use crate::{AppState, SignInConfig};
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use samsyn_domain::{HsaId, IdentitySource};
use samsyn_store::sign_in_flows::{self, Flow};
use samsyn_store::users;
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// The cookie that ties a browser to its flow in progress.
pub const FLOW_COOKIE: &str = "samsyn_sso";
const FLOW_LIFETIME: jiff::SignedDuration = jiff::SignedDuration::from_secs(600);
/// Where the staff provider sends the browser back.
pub const STAFF_CALLBACK: &str = "/logga-in/sso/klar";
/// Where the persons' provider sends the browser back.
pub const PERSON_CALLBACK: &str = "/min-sida/logga-in/klar";

/// Whose sign-in a flow is: a flow started for one cannot finish as the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Staff,
    Person,
}

impl Audience {
    fn code(self) -> &'static str {
        match self {
            Audience::Staff => "staff",
            Audience::Person => "person",
        }
    }
}

/// The configured providers.
pub struct Providers {
    staff: Option<Provider>,
    person: Option<Provider>,
    public_url: String,
    /// Every page's Content-Security-Policy, which names the staff provider's origin.
    pub content_security_policy: axum::http::HeaderValue,
}

impl Providers {
    pub fn new(config: &SignInConfig) -> Result<Providers, String> {
        let base = config.public_url.trim_end_matches('/').to_owned();
        let provider = |settings: &Option<crate::sign_in::oidc::OidcSettings>, callback: &str| {
            settings
                .clone()
                .map(|s| Provider::new(s, &format!("{base}{callback}")))
                .transpose()
        };
        let provider_origin = config
            .staff
            .as_ref()
            .map(|s| origin(&s.issuer))
            .transpose()?;
        let policy = crate::shared::headers::content_security_policy(provider_origin.as_deref());
        Ok(Providers {
            content_security_policy: axum::http::HeaderValue::from_str(&policy).map_err(|_| {
                format!("utfärdar-URL:en går inte att skriva i en rubrik: {policy}")
            })?,
            staff: provider(&config.staff, STAFF_CALLBACK)?,
            person: provider(&config.person, PERSON_CALLBACK)?,
            public_url: base.clone(),
        })
    }

    pub fn for_audience(&self, audience: Audience) -> Option<&Provider> {
        match audience {
            Audience::Staff => self.staff.as_ref(),
            Audience::Person => self.person.as_ref(),
        }
    }

    /// An address on this site as browsers reach it.
    pub fn public(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

/// Where to go after signing in: only a path on this site. It must start with exactly one `/`
/// and hold no `\` and no control characters anywhere, because browsers drop tabs and newlines
/// (`/\t/evil.example` would become `//evil.example`, another site) and read `\` as `/`.
/// Anything else goes to the start page, which sends each role to its work.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next[1..].starts_with('/')
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The scheme, host and port of a URL, as a CSP source.
fn origin(url: &str) -> Result<String, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("ogiltig utfärdar-URL: {url}"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty()
        || authority.contains(|c: char| c.is_whitespace() || c == ';' || c == ',')
    {
        return Err(format!("ogiltig utfärdar-URL: {url}"));
    }
    Ok(format!("{scheme}://{authority}"))
}

/// Starts a flow: keeps its secrets, gives the browser the flow cookie and sends it to the
/// provider.
pub async fn start(state: &AppState, audience: Audience, next_path: String) -> Response {
    // Without a provider, the sign-in page (or Min sida) says how to sign in instead.
    let Some(provider) = state.sso.for_audience(audience) else {
        return Redirect::to(match audience {
            Audience::Staff => "/logga-in",
            Audience::Person => "/min-sida",
        })
        .into_response();
    };
    let started = match provider.start().await {
        Ok(started) => started,
        Err(error) => return refused(state, audience, Refused::from(error)),
    };
    let token = new_token();
    let now = state.clock.now();
    let flow = Flow {
        audience: audience.code().to_owned(),
        csrf_state: started.csrf_state,
        nonce: started.nonce,
        pkce_verifier: started.pkce_verifier,
        next_path,
        created_at: now,
    };
    let hash = token_hash(&token);
    let stale_before = now - FLOW_LIFETIME;
    if let Err(error) = state
        .db(move |conn| sign_in_flows::create(conn, &hash, &flow, stale_before))
        .await
    {
        tracing::error!(%error, "could not keep the sign-in flow");
        return refused(state, audience, Refused::Unavailable);
    }
    let flow_cookie = set_cookie(
        FLOW_COOKIE,
        &token,
        state.config.secure_cookies,
        Some(FLOW_LIFETIME.as_secs()),
    );
    (
        [(SET_COOKIE, flow_cookie)],
        Redirect::to(&started.authorize_url),
    )
        .into_response()
}

/// What the provider sends the browser back with.
#[derive(Deserialize, Default)]
pub struct Callback {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// Why a sign-in at the provider gives no session.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// No flow for this browser: too old, used already, or started in another browser.
    NoFlow,
    /// The person cancelled, or the provider refused, at the provider.
    AtProvider,
    /// The provider could not be reached or the database failed.
    Unavailable,
    /// The answer did not verify: wrong state, code or token.
    Invalid,
    /// Signed in, but not with a method that counts as strong authentication.
    Weak,
    /// The token names no one Samsyn can use.
    NoIdentity,
    /// Staff: no account has this HSA-id.
    UnknownHsaId(String),
    /// Staff: the account is disabled.
    Disabled,
}

impl From<OidcError> for Refused {
    fn from(error: OidcError) -> Self {
        tracing::warn!(%error, "sign-in through the identity provider failed");
        match error {
            OidcError::Unreachable(_) => Refused::Unavailable,
            OidcError::Exchange(_) | OidcError::Invalid(_) => Refused::Invalid,
            OidcError::WeakAuthentication(_) => Refused::Weak,
            OidcError::MissingIdentity => Refused::NoIdentity,
        }
    }
}

/// The flow the browser came back with, checked and verified; the flow is used up whatever
/// the outcome. Returns who signed in and where to go next.
pub async fn finish(
    state: &AppState,
    headers: &HeaderMap,
    audience: Audience,
    callback: Callback,
) -> Result<(Verified, String), Refused> {
    let token = cookie(
        headers,
        &cookie_name(FLOW_COOKIE, state.config.secure_cookies),
    )
    .ok_or(Refused::NoFlow)?;
    let hash = token_hash(&token);
    let flow = state
        .db(move |conn| sign_in_flows::take(conn, &hash))
        .await
        .map_err(|_| Refused::Unavailable)?
        .filter(|flow| flow.audience == audience.code())
        .filter(|flow| state.clock.now().duration_since(flow.created_at) <= FLOW_LIFETIME)
        .ok_or(Refused::NoFlow)?;
    if callback.error.is_some() {
        return Err(Refused::AtProvider);
    }
    let (Some(code), Some(returned_state)) = (callback.code, callback.state) else {
        return Err(Refused::Invalid);
    };
    if !bool::from(returned_state.as_bytes().ct_eq(flow.csrf_state.as_bytes())) {
        return Err(Refused::Invalid);
    }
    let provider = state
        .sso
        .for_audience(audience)
        .ok_or(Refused::Unavailable)?;
    let verified = provider
        .finish(code, flow.pkce_verifier, flow.nonce)
        .await?;
    Ok((verified, flow.next_path))
}

/// The refusal as a page, with the flow cookie cleared.
pub fn refused(state: &AppState, audience: Audience, reason: Refused) -> Response {
    let again = match audience {
        Audience::Staff => "Gå till inloggningen och försök igen.",
        Audience::Person => "Gå till Min sida och försök igen.",
    };
    let (status, heading, text) = match &reason {
        Refused::NoFlow => (
            StatusCode::BAD_REQUEST,
            "Inloggningen gick inte att slutföra".to_owned(),
            format!(
                "Inloggningen tog för lång tid, eller började i en annan flik eller webbläsare. {again}"
            ),
        ),
        Refused::AtProvider => (
            StatusCode::UNAUTHORIZED,
            "Inloggningen avbröts".to_owned(),
            format!("Inloggningen avbröts hos e-legitimationen. {again}"),
        ),
        Refused::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Inloggningen fungerar inte just nu".to_owned(),
            "Samsyn når inte tjänsten för e-legitimation. Försök igen om en stund.".to_owned(),
        ),
        Refused::Invalid => (
            StatusCode::UNAUTHORIZED,
            "Inloggningen kunde inte bekräftas".to_owned(),
            format!("Svaret från e-legitimationen kunde inte bekräftas. {again}"),
        ),
        Refused::Weak => (
            StatusCode::FORBIDDEN,
            "Inloggningen var inte stark nog".to_owned(),
            match audience {
                Audience::Staff => "Samsyn kräver stark autentisering, till exempel SITHS eID på kort eller i mobilen. Det sätt du loggade in på godtas inte. Logga in igen med SITHS eID.".to_owned(),
                Audience::Person => "Min sida kräver en e-legitimation med hög tillitsnivå, till exempel BankID. Logga in igen med en sådan.".to_owned(),
            },
        ),
        Refused::NoIdentity => (
            StatusCode::FORBIDDEN,
            "Inloggningen saknar uppgift om vem du är".to_owned(),
            match audience {
                Audience::Staff => "E-legitimationen skickade inget HSA-id. Kontakta din administratör för Samsyn.".to_owned(),
                Audience::Person => "E-legitimationen skickade inget giltigt personnummer. Logga in med en svensk e-legitimation.".to_owned(),
            },
        ),
        Refused::UnknownHsaId(hsa_id) => (
            StatusCode::FORBIDDEN,
            "Du har inget konto i Samsyn".to_owned(),
            format!(
                "Du loggade in med HSA-id {hsa_id}, men inget konto i Samsyn har det HSA-id:t. Konton skapas inte automatiskt: be din verksamhets administratör för Samsyn att lägga upp dig med ditt HSA-id."
            ),
        ),
        Refused::Disabled => (
            StatusCode::FORBIDDEN,
            "Ditt konto är avstängt".to_owned(),
            "Ditt konto i Samsyn är avstängt. Kontakta din administratör för Samsyn om du ska ha tillgång igen.".to_owned(),
        ),
    };
    let mut response = message_page(state, None, status, &heading, &text);
    if let Ok(value) = set_cookie(FLOW_COOKIE, "", state.config.secure_cookies, Some(0)).parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize, Default)]
pub struct StartQuery {
    #[serde(default)]
    nasta: String,
}

/// `GET /logga-in/sso`: a staff member's sign-in at the organisation's provider.
pub async fn staff_start(
    State(state): State<AppState>,
    Query(query): Query<StartQuery>,
) -> Response {
    let next = safe_next(&query.nasta);
    start(&state, Audience::Staff, next).await
}

/// `GET /logga-in/sso/klar`: back from the provider. The HSA-id must name an active account;
/// the session then follows the same timeouts as any.
pub async fn staff_finish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(callback): Query<Callback>,
) -> Response {
    let (verified, next) = match finish(&state, &headers, Audience::Staff, callback).await {
        Ok(done) => done,
        Err(reason) => return refused(&state, Audience::Staff, reason),
    };
    let Ok(hsa_id) = HsaId::parse(&verified.identity) else {
        return refused(&state, Audience::Staff, Refused::NoIdentity);
    };
    let lookup = hsa_id.as_str().to_owned();
    let user = match state.db(move |conn| users::by_hsa_id(conn, &lookup)).await {
        Ok(Some(user)) if user.disabled => {
            return refused(&state, Audience::Staff, Refused::Disabled);
        }
        Ok(Some(user)) => user,
        Ok(None) => {
            tracing::warn!("sign-in refused: no account has the HSA-id");
            return refused(
                &state,
                Audience::Staff,
                Refused::UnknownHsaId(hsa_id.as_str().to_owned()),
            );
        }
        Err(_) => return refused(&state, Audience::Staff, Refused::Unavailable),
    };
    let previous = cookie(
        &headers,
        &cookie_name(SESSION_COOKIE, state.config.secure_cookies),
    );
    match session::start_session(&state, &user, IdentitySource::Oidc, previous).await {
        Ok(token) => signed_in(&state, SESSION_COOKIE, &token, &next),
        Err(
            SignInError::Unavailable
            | SignInError::Throttled
            | SignInError::BadCredentials
            | SignInError::LocalPasswordsOff,
        ) => refused(&state, Audience::Staff, Refused::Unavailable),
    }
}

/// The new session's cookie, the flow cookie cleared, and on to `next`.
pub fn signed_in(state: &AppState, session_cookie: &str, token: &str, next: &str) -> Response {
    let secure = state.config.secure_cookies;
    let max_age = state.config.sessions.absolute_timeout.as_secs();
    let mut response = Redirect::to(next).into_response();
    for value in [
        set_cookie(session_cookie, token, secure, Some(max_age)),
        set_cookie(FLOW_COOKIE, "", secure, Some(0)),
    ] {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Where a staff member goes after the local session ends: the provider's end-session
/// endpoint when she signed in there and it has one, else the sign-in page.
pub async fn after_sign_out(state: &AppState, user: Option<&CurrentUser>) -> String {
    let via_provider = user.is_some_and(|u| u.identity_source == IdentitySource::Oidc);
    let provider = state
        .sso
        .for_audience(Audience::Staff)
        .filter(|_| via_provider);
    match provider {
        Some(provider) => provider
            .end_session_url(&state.sso.public("/logga-in"))
            .await
            .unwrap_or_else(|| "/logga-in".to_owned()),
        None => "/logga-in".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(safe_next("/begaran/1?flik=2"), "/begaran/1?flik=2");
        assert_eq!(safe_next("/matning/sök"), "/matning/sök");
        for hostile in [
            "",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "\t//evil.example",
            "/inkorg\r\nSet-Cookie: x=y",
            "/a\\b",
            "/\u{7f}x",
        ] {
            assert_eq!(safe_next(hostile), "/", "{hostile:?}");
        }
    }
}
