//! Why a rule set could not be loaded, naming the exact key: shared by every part's section.

/// Why a rule set could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleSetError {
    #[error("regelverket är inte giltig TOML: {0}")]
    Syntax(String),
    #[error("regelverket: fältet `{key}` {reason}")]
    Invalid { key: String, reason: String },
}

pub(crate) fn invalid(key: impl Into<String>, reason: impl Into<String>) -> RuleSetError {
    RuleSetError::Invalid {
        key: key.into(),
        reason: reason.into(),
    }
}
