use thiserror::Error;

/// Storage failures. Messages never contain patient data.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("hittades inte")]
    NotFound,
    /// Optimistic concurrency: the record changed since the caller read it.
    #[error("posten har ändrats av någon annan sedan du öppnade den")]
    Conflict,
    #[error("finns redan: {0}")]
    Duplicate(&'static str),
    #[error("databasadressen stöds inte: {0}")]
    UnsupportedUrl(String),
    #[error("kunde inte ansluta till databasen: {0}")]
    Connect(String),
    /// The database did not answer within the checkout timeout, or dropped the connection: the
    /// caller may try again later (HTTP 503), which is not the same as "not signed in".
    #[error("databasen svarar inte just nu")]
    Unavailable,
    #[error("databasfel: {0}")]
    Database(diesel::result::Error),
    #[error("migrering misslyckades: {0}")]
    Migration(String),
    /// A rule of the decision cycle says no; the message is for the person who tried.
    #[error("{0}")]
    Refused(samsyn_domain::additional_amount::decision::Refusal),
    /// A read's access-log entries could not be written, so what it read is not shown.
    #[error("åtkomstloggen kunde inte skrivas, så inget visas")]
    AccessLogRefused,
    #[error("ogiltiga data i databasen: {0}")]
    Corrupt(String),
}

impl From<diesel::result::Error> for StoreError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::ClosedConnection,
                _,
            ) => StoreError::Unavailable,
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    pub(crate) fn from_insert(error: diesel::result::Error, what: &'static str) -> StoreError {
        match error {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => StoreError::Duplicate(what),
            other => StoreError::from(other),
        }
    }
}
