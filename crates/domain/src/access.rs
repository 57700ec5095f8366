//! Access-log vocabulary (loggning enligt patientdatalagen 4 kap. 3 §).

/// What was done with patient data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessAction {
    /// Opening a case or other patient record.
    Read,
    /// Seeing a patient in a list without opening the case (listning).
    List,
    Create,
    Update,
    Print,
    Export,
}

/// How the acting user proved who she is, for the session and for every access-log entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentitySource {
    /// A local account's password (the embedded default, small installations).
    Local,
    /// The organisation's identity provider over OpenID Connect, e.g. SITHS eID.
    Oidc,
}

impl IdentitySource {
    pub fn code(self) -> &'static str {
        match self {
            IdentitySource::Local => "local",
            IdentitySource::Oidc => "oidc",
        }
    }

    pub fn from_code(code: &str) -> Option<IdentitySource> {
        [IdentitySource::Local, IdentitySource::Oidc]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// As a reviewer reads it.
    pub fn label(self) -> &'static str {
        match self {
            IdentitySource::Local => "Lösenord",
            IdentitySource::Oidc => "E-legitimation (SSO)",
        }
    }
}

/// Whether the access was allowed or denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessOutcome {
    Allowed,
    Denied,
}

impl AccessAction {
    pub const ALL: [AccessAction; 6] = [
        AccessAction::Read,
        AccessAction::List,
        AccessAction::Create,
        AccessAction::Update,
        AccessAction::Print,
        AccessAction::Export,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccessAction::Read => "read",
            AccessAction::List => "list",
            AccessAction::Create => "create",
            AccessAction::Update => "update",
            AccessAction::Print => "print",
            AccessAction::Export => "export",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        AccessAction::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AccessAction::Read => "Läsning",
            AccessAction::List => "Listning",
            AccessAction::Create => "Skapande",
            AccessAction::Update => "Ändring",
            AccessAction::Print => "Utskrift",
            AccessAction::Export => "Export",
        }
    }
}

impl AccessOutcome {
    pub fn code(self) -> &'static str {
        match self {
            AccessOutcome::Allowed => "allowed",
            AccessOutcome::Denied => "denied",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "allowed" => Some(AccessOutcome::Allowed),
            "denied" => Some(AccessOutcome::Denied),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccessOutcome::Allowed => "Tillåten",
            AccessOutcome::Denied => "Nekad",
        }
    }
}
