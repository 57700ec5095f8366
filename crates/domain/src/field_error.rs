//! A problem with one field of a form or an API call, which every part's validation returns.

/// A problem with one field, in Swedish, never containing the patient's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's wire name, which the form uses as its id.
    pub field: &'static str,
    pub message: String,
}
