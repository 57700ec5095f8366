//! Samsyn's web shell: the axum router with Swedish HTML pages, the JSON API, sessions,
//! CSRF protection and security headers. Handlers translate HTTP to calls on
//! [`workflow`], which holds the use cases shared by pages and API.

pub mod additional_amount_cycle;
pub mod additional_amount_data;
pub mod api;
mod assets;
pub mod auth;
pub mod casework;
pub mod clock;
mod csrf;
mod error;
pub mod fhir;
mod headers;
mod pages;
pub mod session;
mod views;
pub mod workflow;

use axum::Router;
use axum::routing::get;
use samsyn_domain::RuleSet;
use samsyn_store::Store;
use std::sync::Arc;

pub use clock::{Clock, SystemClock};

/// How long a session may be idle, and how long it may live at most.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle_timeout: jiff::SignedDuration,
    pub absolute_timeout: jiff::SignedDuration,
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
}

/// Everything a handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub rules: Arc<RuleSet>,
    pub time_zone: jiff::tz::TimeZone,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<WebConfig>,
    pub throttle: Arc<auth::LoginThrottle>,
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// The database was created in demo mode: every page shows the DEMO banner.
    pub demo: bool,
    /// The key that turns personnummer into the measurement's pseudonyms, for the logged
    /// re-identification lookup: `SAMSYN_PSEUDONYM_KEY`, or a demo database's own.
    pub pseudonym_key: Option<samsyn_store::measurement::pseudonym::PseudonymKey>,
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
        Ok(AppState {
            demo,
            pseudonym_key,
            store,
            rules: Arc::new(rules),
            time_zone,
            clock,
            config: Arc::new(config),
            throttle: Arc::new(auth::LoginThrottle::default()),
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
        tokio::task::spawn_blocking(move || store.transaction(f))
            .await
            .map_err(|_| samsyn_store::StoreError::Connect("databasarbetet avbröts".into()))?
    }
}

/// The whole application: pages, API, health checks and assets, behind CSRF and security headers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .nest("/fhir/r4", fhir::routes())
        .route("/api/openapi.json", get(api::openapi::document))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/static/{file}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::guard,
        ))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::http::StatusCode {
    let store = state.store.clone();
    let ready = tokio::task::spawn_blocking(move || store.is_ready())
        .await
        .unwrap_or(false);
    if ready {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    }
}
