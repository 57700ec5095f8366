//! Beslutsgången for a year's tilläggsbelopp: a calculation is stored as a version that moves
//! utkast → presenterat (December) → beslutat → utbetalningsunderlag (January). From beslutat on,
//! a version never changes; a correction is a new version with its reason, and the newest decided
//! version is the one in force.

/// A stored calculation's place in the decision cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DecisionStatus {
    /// Utkast: may be recomputed from the current inputs.
    Draft,
    /// Presenterat för parterna (December); what was presented is kept as it was.
    Presented,
    /// Beslutat: locked.
    Decided,
    /// Utbetalningsunderlag (January): locked, the basis of the payments.
    PaymentBasis,
}

impl DecisionStatus {
    pub const ALL: [DecisionStatus; 4] = [
        DecisionStatus::Draft,
        DecisionStatus::Presented,
        DecisionStatus::Decided,
        DecisionStatus::PaymentBasis,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DecisionStatus::Draft => "utkast",
            DecisionStatus::Presented => "presenterat",
            DecisionStatus::Decided => "beslutat",
            DecisionStatus::PaymentBasis => "utbetalningsunderlag",
        }
    }

    pub fn parse(code: &str) -> Option<DecisionStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// As the page says it.
    pub fn label(self) -> &'static str {
        match self {
            DecisionStatus::Draft => "Utkast",
            DecisionStatus::Presented => "Presenterat",
            DecisionStatus::Decided => "Beslutat",
            DecisionStatus::PaymentBasis => "Utbetalningsunderlag",
        }
    }

    /// The one step forward, if any.
    pub fn next(self) -> Option<DecisionStatus> {
        match self {
            DecisionStatus::Draft => Some(DecisionStatus::Presented),
            DecisionStatus::Presented => Some(DecisionStatus::Decided),
            DecisionStatus::Decided => Some(DecisionStatus::PaymentBasis),
            DecisionStatus::PaymentBasis => None,
        }
    }

    /// The button that takes the step to this status.
    pub fn step_label(self) -> &'static str {
        match self {
            DecisionStatus::Draft => "Skapa utkast",
            DecisionStatus::Presented => "Markera som presenterat",
            DecisionStatus::Decided => "Besluta",
            DecisionStatus::PaymentBasis => "Fastställ som utbetalningsunderlag",
        }
    }

    /// Decided calculations never change.
    pub fn is_decided(self) -> bool {
        matches!(self, DecisionStatus::Decided | DecisionStatus::PaymentBasis)
    }
}

/// A stored version as the rules need to see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionState {
    pub version: i32,
    pub status: DecisionStatus,
}

/// Why a change of the decision cycle is refused, in words for the person who tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The version is decided: it cannot be recomputed or edited.
    Locked { version: i32 },
    /// Only the draft may be recomputed; what was presented stays as presented.
    NotDraft { version: i32 },
    /// A version is already being prepared for the year.
    OpenVersionExists { version: i32 },
    /// A year with a decision is changed by correcting it.
    DecidedExists { version: i32 },
    /// A correction corrects a decided version.
    NothingToCorrect,
    /// A correction says why.
    ReasonMissing,
    /// The reason is longer than a free-text field holds, or holds control characters.
    ReasonUnacceptable(String),
    /// Only the decision in force is corrected or paid from; an older one was replaced.
    Replaced { version: i32, by: i32 },
    /// Not the next step.
    WrongStep {
        from: DecisionStatus,
        to: DecisionStatus,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Locked { version } => write!(
                f,
                "Version {version} är beslutad och kan inte ändras. Gör en rättelse i stället: den blir en ny version med ett skäl, och det beslutade finns kvar som det beslutades."
            ),
            Refusal::NotDraft { version } => write!(
                f,
                "Version {version} är presenterad och räknas inte om, så att det som presenterades finns kvar. Besluta den, eller rätta den efter beslut."
            ),
            Refusal::OpenVersionExists { version } => write!(
                f,
                "Version {version} är redan under beredning för året. Arbeta vidare med den."
            ),
            Refusal::DecidedExists { version } => write!(
                f,
                "Året har redan ett beslut (version {version}). Ändringar görs som en rättelse med skäl."
            ),
            Refusal::NothingToCorrect => f.write_str("Bara en beslutad version kan rättas."),
            Refusal::ReasonMissing => f.write_str("Skriv skälet till rättelsen."),
            Refusal::ReasonUnacceptable(problem) => f.write_str(problem),
            Refusal::Replaced { version, by } => write!(
                f,
                "Version {version} är ersatt av version {by}, som är det beslut som gäller. Rättelser och utbetalningsunderlag utgår från version {by}."
            ),
            Refusal::WrongStep { from, to } => write!(
                f,
                "En beräkning med status {} kan inte bli {}.",
                from.label().to_lowercase(),
                to.label().to_lowercase()
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// The open (not yet decided) version of a year, if any.
fn open(versions: &[VersionState]) -> Option<VersionState> {
    versions.iter().copied().find(|v| !v.status.is_decided())
}

/// The decided version in force: the newest decided one.
pub fn in_force(versions: &[VersionState]) -> Option<VersionState> {
    versions
        .iter()
        .copied()
        .filter(|v| v.status.is_decided())
        .max_by_key(|v| v.version)
}

/// Whether `version` is the decision in force, which alone is corrected and paid from.
pub fn may_pay_or_correct(versions: &[VersionState], version: VersionState) -> Result<(), Refusal> {
    if !version.status.is_decided() {
        return Err(Refusal::NothingToCorrect);
    }
    match in_force(versions) {
        Some(force) if force.version != version.version => Err(Refusal::Replaced {
            version: version.version,
            by: force.version,
        }),
        _ => Ok(()),
    }
}

/// The number of a year's first draft, when none exists yet.
pub fn first_draft(versions: &[VersionState]) -> Result<i32, Refusal> {
    if let Some(v) = open(versions) {
        return Err(Refusal::OpenVersionExists { version: v.version });
    }
    if let Some(v) = in_force(versions) {
        return Err(Refusal::DecidedExists { version: v.version });
    }
    Ok(next_number(versions))
}

/// The number of the correction of `corrected`, a new draft with its reason.
pub fn correction(
    versions: &[VersionState],
    corrected: VersionState,
    reason: &str,
) -> Result<i32, Refusal> {
    may_pay_or_correct(versions, corrected)?;
    if reason.trim().is_empty() {
        return Err(Refusal::ReasonMissing);
    }
    if let Some(problem) =
        crate::text::problem("Skälet", reason.trim(), crate::text::LONG_TEXT_CHARS, true)
    {
        return Err(Refusal::ReasonUnacceptable(problem));
    }
    if let Some(v) = open(versions) {
        return Err(Refusal::OpenVersionExists { version: v.version });
    }
    Ok(next_number(versions))
}

fn next_number(versions: &[VersionState]) -> i32 {
    versions.iter().map(|v| v.version).max().unwrap_or(0) + 1
}

/// Whether the version's calculation may be replaced by a new one.
pub fn may_recompute(version: VersionState) -> Result<(), Refusal> {
    match version.status {
        DecisionStatus::Draft => Ok(()),
        DecisionStatus::Presented => Err(Refusal::NotDraft {
            version: version.version,
        }),
        _ => Err(Refusal::Locked {
            version: version.version,
        }),
    }
}

/// Whether the version may move to `to`: only one step forward.
pub fn may_advance(version: VersionState, to: DecisionStatus) -> Result<(), Refusal> {
    if version.status.next() == Some(to) {
        Ok(())
    } else {
        Err(Refusal::WrongStep {
            from: version.status,
            to,
        })
    }
}

/// Who decided the tilläggsbelopp, when, and where it is minuted: what a decision must say before
/// it is registered, since it cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    /// Beslutande organ, e.g. "Regionstyrelsen".
    pub body: String,
    /// Beslutsdatum.
    pub decided_on: jiff::civil::Date,
    /// Protokollsreferens, e.g. "RS § 123".
    pub minutes: String,
}

impl DecisionRecord {
    /// Reads the three fields; each problem is named by its field. A decision is not dated after
    /// `today`.
    pub fn parse(
        body: &str,
        decided_on: &str,
        minutes: &str,
        today: jiff::civil::Date,
    ) -> Result<DecisionRecord, Vec<crate::FieldError>> {
        let mut errors = Vec::new();
        let mut problem = |field: &'static str, message: &str| {
            errors.push(crate::FieldError {
                field,
                message: message.to_owned(),
            })
        };
        let (body, minutes) = (body.trim(), minutes.trim());
        if body.is_empty() {
            problem(
                "organ",
                "Beslutande organ: skriv vem som fattade beslutet, t.ex. Regionstyrelsen.",
            );
        }
        let date = decided_on.trim().parse::<jiff::civil::Date>().ok();
        match date {
            None => problem(
                "beslutsdatum",
                "Beslutsdatum: skriv datumet som ÅÅÅÅ-MM-DD.",
            ),
            Some(d) if d > today => problem(
                "beslutsdatum",
                "Beslutsdatum: ett beslut kan inte vara fattat i framtiden.",
            ),
            Some(_) => {}
        }
        if minutes.is_empty() {
            problem(
                "protokoll",
                "Protokollsreferens: skriv var beslutet står, t.ex. protokollets paragraf.",
            );
        }
        match date {
            Some(decided_on) if errors.is_empty() => Ok(DecisionRecord {
                body: body.to_owned(),
                decided_on,
                minutes: minutes.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecisionStatus::*;

    fn v(version: i32, status: DecisionStatus) -> VersionState {
        VersionState { version, status }
    }

    #[test]
    fn the_cycle_goes_one_step_at_a_time() {
        assert_eq!(may_advance(v(1, Draft), Presented), Ok(()));
        assert_eq!(may_advance(v(1, Presented), Decided), Ok(()));
        assert_eq!(may_advance(v(1, Decided), PaymentBasis), Ok(()));
        assert!(may_advance(v(1, Draft), Decided).is_err());
        assert!(may_advance(v(1, PaymentBasis), Draft).is_err());
        assert!(may_advance(v(1, Decided), Presented).is_err());
    }

    #[test]
    fn decided_versions_are_locked_and_corrected_by_a_new_version() {
        assert_eq!(may_recompute(v(1, Draft)), Ok(()));
        assert_eq!(
            may_recompute(v(1, Presented)),
            Err(Refusal::NotDraft { version: 1 })
        );
        for status in [Decided, PaymentBasis] {
            let refusal = may_recompute(v(3, status)).unwrap_err();
            assert_eq!(refusal, Refusal::Locked { version: 3 });
            assert!(refusal.to_string().contains("rättelse"), "{refusal}");
        }
        let versions = [v(1, PaymentBasis)];
        assert_eq!(correction(&versions, versions[0], "fel befolkning"), Ok(2));
        assert_eq!(
            correction(&versions, versions[0], "  "),
            Err(Refusal::ReasonMissing)
        );
        assert_eq!(
            correction(&versions, versions[0], &"x".repeat(4001)),
            Err(Refusal::ReasonUnacceptable(
                "Skälet får vara högst 4000 tecken.".into()
            ))
        );
        assert_eq!(
            first_draft(&versions),
            Err(Refusal::DecidedExists { version: 1 })
        );
    }

    #[test]
    fn one_version_is_prepared_at_a_time_and_the_newest_decision_is_in_force() {
        assert_eq!(first_draft(&[]), Ok(1));
        let versions = [v(1, Decided), v(2, Draft)];
        assert_eq!(
            first_draft(&versions),
            Err(Refusal::OpenVersionExists { version: 2 })
        );
        assert_eq!(
            correction(&versions, versions[0], "skäl"),
            Err(Refusal::OpenVersionExists { version: 2 })
        );
        assert_eq!(
            correction(&versions, versions[1], "skäl"),
            Err(Refusal::NothingToCorrect)
        );
        assert_eq!(in_force(&versions), Some(v(1, Decided)));
        assert_eq!(
            in_force(&[v(1, Decided), v(2, PaymentBasis)]),
            Some(v(2, PaymentBasis))
        );
        assert_eq!(in_force(&[v(1, Presented)]), None);
    }

    #[test]
    fn a_decision_names_its_body_date_and_minutes() {
        let today = jiff::civil::date(2026, 12, 1);
        let record =
            DecisionRecord::parse(" Regionstyrelsen ", "2026-11-28", "RS § 123", today).unwrap();
        assert_eq!(record.body, "Regionstyrelsen");
        assert_eq!(record.decided_on, jiff::civil::date(2026, 11, 28));
        let errors = DecisionRecord::parse("", "2026-12-02", " ", today).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["organ", "beslutsdatum", "protokoll"]);
        assert!(errors[1].message.contains("framtiden"));
        let errors = DecisionRecord::parse("Regionstyrelsen", "28/11", "§ 1", today).unwrap_err();
        assert_eq!(errors[0].field, "beslutsdatum");
    }

    #[test]
    fn only_the_decision_in_force_is_corrected_or_paid_from() {
        let versions = [v(1, PaymentBasis), v(2, Decided)];
        assert_eq!(
            correction(&versions, versions[0], "skäl"),
            Err(Refusal::Replaced { version: 1, by: 2 })
        );
        assert_eq!(
            may_pay_or_correct(&versions, versions[0]),
            Err(Refusal::Replaced { version: 1, by: 2 })
        );
        assert_eq!(may_pay_or_correct(&versions, versions[1]), Ok(()));
        assert_eq!(correction(&versions, versions[1], "skäl"), Ok(3));
    }

    #[test]
    fn codes_round_trip() {
        for status in DecisionStatus::ALL {
            assert_eq!(DecisionStatus::parse(status.code()), Some(status));
        }
        assert_eq!(DecisionStatus::parse("klart"), None);
    }
}
