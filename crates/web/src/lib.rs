//! Samsyn's web shell: the axum router with Swedish HTML pages, the JSON API and FHIR.
//!
//! One folder per part of the agreement (`case/`, `measurement/`, `additional_amount/`,
//! `development_budget/`), plus `access_log/` and `sign_in/`; each holds its pages, API handlers
//! and use cases and exposes its own `routes()`. `shared/` is what every part uses.

pub mod access_log;
pub mod account;
pub mod additional_amount;
pub mod care;
pub mod case;
pub mod development_budget;
pub mod deviation;
pub mod disagreement;
pub mod follow_up;
pub mod measurement;
pub mod openapi;
pub mod shared;
pub mod sign_in;

use axum::Router;
use samsyn_domain::RuleSet;
use samsyn_store::Store;
use shared::routes::Routes;
use std::sync::Arc;

pub use shared::clock::{Clock, SystemClock};

/// How long a session may be idle, and how long it may live at most.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle_timeout: jiff::SignedDuration,
    pub absolute_timeout: jiff::SignedDuration,
}

impl SessionPolicy {
    /// Whether a session begun at `created` and last used at `last_seen` has ended by `now`:
    /// idle too long, or older than the absolute limit. Staff and persons alike.
    pub fn has_ended(
        &self,
        created: jiff::Timestamp,
        last_seen: jiff::Timestamp,
        now: jiff::Timestamp,
    ) -> bool {
        now.duration_since(last_seen) > self.idle_timeout
            || now.duration_since(created) > self.absolute_timeout
    }

    /// The cut-offs for clearing ended sessions: last seen before the first, or begun before
    /// the second.
    pub fn cutoffs(&self, now: jiff::Timestamp) -> (jiff::Timestamp, jiff::Timestamp) {
        (now - self.idle_timeout, now - self.absolute_timeout)
    }
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_timeout: jiff::SignedDuration::from_mins(30),
            absolute_timeout: jiff::SignedDuration::from_hours(12),
        }
    }
}

/// Settings that come from the command line or the environment.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Cookies carry `Secure` unless the server listens on loopback only.
    pub secure_cookies: bool,
    pub sessions: SessionPolicy,
    /// The reverse proxy (TLS terminator) in front of Samsyn: only from this peer is the client
    /// address taken from `X-Forwarded-For`, so that sign-in throttling counts clients, not the
    /// proxy. `None`: the peer is the client.
    pub trusted_proxy: Option<std::net::IpAddr>,
    pub sign_in: SignInConfig,
    /// The SMTP server for the e-mail notice of a new request; none: no e-mail.
    pub mail: Option<shared::mail::MailConfig>,
}

/// How people sign in.
#[derive(Debug, Clone)]
pub struct SignInConfig {
    /// Local passwords are accepted (the embedded demo, small installations); off with
    /// `--no-local-login`.
    pub local_passwords: bool,
    /// The organisation's identity provider for staff (SITHS eID and the like).
    pub staff: Option<sign_in::oidc::OidcSettings>,
    /// The e-identification broker for persons' own pages.
    pub person: Option<sign_in::oidc::OidcSettings>,
    /// This site's address as browsers reach it, e.g. `https://samsyn.example.se`: the
    /// providers send the browser back to it.
    pub public_url: String,
}

impl Default for SignInConfig {
    fn default() -> Self {
        SignInConfig {
            local_passwords: true,
            staff: None,
            person: None,
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// Everything a handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Reads of patient data on the store's readers, their accesses logged in groups.
    pub reads: Arc<samsyn_store::access_log::LoggedReads>,
    pub rules: Arc<RuleSet>,
    /// The rule set's citations as pages put them, made once: every page's frame carries them.
    pub cite: Arc<shared::cite::Cite>,
    pub time_zone: jiff::tz::TimeZone,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<WebConfig>,
    pub throttle: shared::auth::LoginThrottle,
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// The database was created in demo mode: every page shows the DEMO banner.
    pub demo: bool,
    /// The key that turns personnummer into the measurement's pseudonyms, for the logged
    /// re-identification lookup: `SAMSYN_PSEUDONYM_KEY`, or a demo database's own.
    pub pseudonym_key: Option<samsyn_store::measurement::pseudonym::PseudonymKey>,
    /// The configured identity providers.
    pub sso: Arc<sign_in::sso::Providers>,
    /// Changes to cases, for the open inboxes of the units concerned.
    pub events: tokio::sync::broadcast::Sender<case::live::CaseEvent>,
    /// This process among others on one database: the changes it announces carry it, so that
    /// it does not hear its own twice.
    pub instance: Arc<str>,
    /// Sends the e-mail notices, when SMTP is configured.
    pub mailer: Option<Arc<shared::mail::Mailer>>,
    /// Cancelled when the process stops taking traffic: open event streams end so that the
    /// drain is not held up by them, and `/readyz` answers 503.
    pub draining: tokio_util::sync::CancellationToken,
}

impl AppState {
    /// Builds the state; fails if the rule set names a time zone that does not exist.
    pub fn new(
        store: Store,
        rules: RuleSet,
        clock: Arc<dyn Clock>,
        config: WebConfig,
    ) -> Result<AppState, String> {
        let time_zone = jiff::tz::TimeZone::get(&rules.time_zone)
            .map_err(|_| format!("okänd tidszon i regelverket: {}", rules.time_zone))?;
        let demo = store
            .transaction(samsyn_store::demo::is_demo)
            .map_err(|e| e.to_string())?;
        let pseudonym_key = store
            .transaction(samsyn_store::measurement::pseudonym::configured_key)
            .map_err(|e| e.to_string())?;
        let sso = Arc::new(sign_in::sso::Providers::new(&config.sign_in)?);
        let reads = Arc::new(
            samsyn_store::access_log::LoggedReads::start(&store).map_err(|e| e.to_string())?,
        );
        let mailer = match &config.mail {
            Some(mail) => Some(Arc::new(shared::mail::Mailer::new(mail)?)),
            None => None,
        };
        Ok(AppState {
            events: tokio::sync::broadcast::channel(256).0,
            instance: uuid::Uuid::now_v7().to_string().into(),
            draining: tokio_util::sync::CancellationToken::new(),
            mailer,
            sso,
            demo,
            pseudonym_key,
            reads,
            store,
            cite: Arc::new(shared::cite::Cite::of(&rules.citations)),
            rules: Arc::new(rules),
            time_zone,
            clock,
            config: Arc::new(config),
            throttle: shared::auth::LoginThrottle::default(),
            hashing: Arc::new(tokio::sync::Semaphore::new(2)),
        })
    }

    /// Today's date where the agreement's deadlines are reckoned.
    pub fn today(&self) -> jiff::civil::Date {
        self.clock.now().to_zoned(self.time_zone.clone()).date()
    }

    pub fn local_date(&self, at: jiff::Timestamp) -> jiff::civil::Date {
        at.to_zoned(self.time_zone.clone()).date()
    }

    /// Runs blocking database work in one transaction off the async runtime.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut samsyn_store::DbConnection) -> Result<T, samsyn_store::StoreError>
        + Send
        + 'static,
    ) -> Result<T, samsyn_store::StoreError> {
        let store = self.store.clone();
        off_runtime(move || store.transaction(f)).await
    }

    /// Runs the read `f` of data that is not patient data (sessions, accounts, units) on a
    /// reader, off the async runtime.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut samsyn_store::DbConnection) -> Result<T, samsyn_store::StoreError>
        + Send
        + 'static,
    ) -> Result<T, samsyn_store::StoreError> {
        let store = self.store.clone();
        off_runtime(move || store.read(f)).await
    }

    /// Runs the read `f` on a reader, off the async runtime; its accesses are logged (with other
    /// reads', in one commit) before what it found is given back.
    pub async fn read_logged<T: Send + 'static>(
        &self,
        f: impl FnOnce(
            &mut samsyn_store::DbConnection,
        ) -> Result<samsyn_store::access_log::Logged<T>, samsyn_store::StoreError>
        + Send
        + 'static,
    ) -> Result<T, samsyn_store::StoreError> {
        let reads = self.reads.clone();
        off_runtime(move || reads.read_logged(f)).await
    }
}

/// Runs blocking store work on the blocking pool, so the async runtime keeps serving.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, samsyn_store::StoreError> + Send + 'static,
) -> Result<T, samsyn_store::StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| samsyn_store::StoreError::Connect("databasarbetet avbröts".into()))?
}

/// Every route of the application, each with its access-matrix group: the parts' routes, the
/// API description, health checks and assets.
pub fn routes() -> Routes {
    use samsyn_domain::RouteGroup::Open;
    Routes::new()
        .merge(sign_in::routes())
        .merge(account::routes())
        .merge(case::routes())
        .merge(care::routes())
        .merge(access_log::routes())
        .merge(measurement::routes())
        .merge(additional_amount::routes())
        .merge(development_budget::routes())
        .merge(disagreement::routes())
        .merge(deviation::routes())
        .merge(follow_up::routes())
        .get("/api/openapi.json", Open, openapi::document)
        .get("/healthz", Open, || async { "ok" })
        .get("/readyz", Open, readyz)
        .get("/static/{file}", Open, shared::assets::serve)
}

/// The whole application: the routes behind their access gates, then CSRF and security headers.
pub fn router(state: AppState) -> Router {
    routes()
        .into_router()
        .fallback(shared::layout::not_found)
        .layer(axum::Extension(state.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::input_hygiene::refuse_control_characters,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::csrf::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            shared::headers::security_headers,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Whether this process may take traffic: the database answers within a second, and the process
/// is not draining. A load balancer polls it, so it never waits longer than that.
async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::http::StatusCode {
    const WITHIN: std::time::Duration = std::time::Duration::from_millis(900);
    let store = state.store.clone();
    let check = tokio::task::spawn_blocking(move || store.is_ready(WITHIN));
    let ready = !state.draining.is_cancelled()
        && matches!(tokio::time::timeout(WITHIN, check).await, Ok(Ok(true)));
    if ready {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    }
}
