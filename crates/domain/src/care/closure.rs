//! Avslut (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.7): when the person no longer needs
//! the care, both parties end it. One party proposes, saying why, what the person has been told
//! about where to turn next time, and whether information goes on to a following form of care;
//! the other party confirms (the case closes) or declines (the care goes on).

use crate::FieldError;
use crate::text::{LONG_TEXT_CHARS, problem};

/// What a proposal to end the care records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureProposal {
    /// Why the care ends.
    pub reason: String,
    /// Vart personen vänder sig vid nytt behov av vårdkontakt, as the person was told.
    pub next_contact: String,
    /// Informationsöverföring to a following form of care: to whom and what; empty when none.
    pub handover: String,
}

impl ClosureProposal {
    /// Checks the proposal's fields; every problem is a field message.
    pub fn parse(
        reason: &str,
        next_contact: &str,
        handover: &str,
    ) -> Result<ClosureProposal, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut required = |field: &'static str, label: &str, text: &str, missing: &str| {
            if text.trim().is_empty() {
                errors.push(FieldError {
                    field,
                    message: missing.to_owned(),
                });
            } else if let Some(message) = problem(label, text.trim(), LONG_TEXT_CHARS, true) {
                errors.push(FieldError { field, message });
            }
        };
        required(
            "closure_reason",
            "Skälet",
            reason,
            "Skäl till avslut: skriv varför personen inte längre behöver vården i hemmet.",
        );
        required(
            "next_contact",
            "Vart personen vänder sig",
            next_contact,
            "Vart personen vänder sig nästa gång: skriv vilken mottagning och vilket telefonnummer personen har fått.",
        );
        if let Some(message) = problem(
            "Informationsöverföringen",
            handover.trim(),
            LONG_TEXT_CHARS,
            true,
        ) {
            errors.push(FieldError {
                field: "handover",
                message,
            });
        }
        if errors.is_empty() {
            Ok(ClosureProposal {
                reason: reason.trim().to_owned(),
                next_contact: next_contact.trim().to_owned(),
                handover: handover.trim().to_owned(),
            })
        } else {
            Err(errors)
        }
    }
}

/// The fewest characters a reason for declining may have: enough for the proposer to act on.
pub const MIN_DECLINE_CHARS: usize = 5;

/// Why the other party declines a proposal (or the proposer takes it back): required, so the
/// proposer knows what to do next.
pub fn decline_note(note: &str) -> Result<String, FieldError> {
    let trimmed = note.trim();
    if trimmed.chars().count() < MIN_DECLINE_CHARS {
        return Err(FieldError {
            field: "note",
            message:
                "Skriv varför vården ska fortsätta, så att den andra parten vet vad som gäller."
                    .to_owned(),
        });
    }
    match problem("Anteckningen", trimmed, LONG_TEXT_CHARS, true) {
        Some(message) => Err(FieldError {
            field: "note",
            message,
        }),
        None => Ok(trimmed.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_says_why_and_where_to_turn() {
        let proposal = ClosureProposal::parse(
            " Såren har läkt. ",
            "Vårdcentralen Örebro centrum, 019-602 00 00",
            "",
        )
        .unwrap();
        assert_eq!(proposal.reason, "Såren har läkt.");
        assert!(proposal.handover.is_empty());
        let errors = ClosureProposal::parse("", " ", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["closure_reason", "next_contact"]);
        assert!(errors[1].message.starts_with("Vart personen vänder sig"));
    }

    #[test]
    fn declining_needs_a_reason() {
        assert_eq!(decline_note(" nej ").unwrap_err().field, "note");
        assert_eq!(
            decline_note("Ny infektion i såret.").unwrap(),
            "Ny infektion i såret."
        );
    }
}
