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
    #[error("databasfel: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("migrering misslyckades: {0}")]
    Migration(String),
    /// A rule of the decision cycle says no; the message is for the person who tried.
    #[error("{0}")]
    Refused(samsyn_domain::additional_amount::decision::Refusal),
    #[error("ogiltiga data i databasen: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn from_insert(error: diesel::result::Error, what: &'static str) -> StoreError {
        match error {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => StoreError::Duplicate(what),
            other => StoreError::Database(other),
        }
    }
}
