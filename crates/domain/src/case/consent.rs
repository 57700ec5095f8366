//! Samtycke: the person's consent to what the region and the municipality tell each other about
//! their care, or, when it cannot be obtained, the recorded basis for sending anyway.
//!
//! The region and the municipality are separate principals (huvudmän), so what one tells the
//! other is covered by secrecy (offentlighets- och sekretesslagen 25 kap.) unless the person
//! consents or the law allows it. A request is therefore never sent without one of the two, and a
//! withdrawn consent stops the parties' further exchange on the case.

use crate::FieldError;
use jiff::civil::Date;

/// How the person gave consent (sätt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentWay {
    /// Muntligt, noted by the one who asked.
    Oral,
    /// Skriftligt, on paper.
    Written,
    /// Digitalt, through an e-service with e-identification.
    Digital,
}

impl ConsentWay {
    pub const ALL: [ConsentWay; 3] = [ConsentWay::Oral, ConsentWay::Written, ConsentWay::Digital];

    pub fn code(self) -> &'static str {
        match self {
            ConsentWay::Oral => "muntligt",
            ConsentWay::Written => "skriftligt",
            ConsentWay::Digital => "digitalt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsentWay::Oral => "Muntligt",
            ConsentWay::Written => "Skriftligt",
            ConsentWay::Digital => "Digitalt (e-tjänst)",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|way| way.code() == code)
    }
}

/// What allows the information in a request to pass between the parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consent {
    /// Samtycke: who gave it (the person or their representative), how and when.
    Given {
        given_by: String,
        way: ConsentWay,
        given_on: Date,
    },
    /// Grund utan samtycke: why consent could not be obtained (e.g. the person cannot express a
    /// will), and who judged it.
    Basis { reason: String, judged_by: String },
}

impl Consent {
    /// The wire code of the kind: `samtycke` or `grund`.
    pub fn code(&self) -> &'static str {
        match self {
            Consent::Given { .. } => "samtycke",
            Consent::Basis { .. } => "grund",
        }
    }

    /// The consent part of a request's input, validated. `Ok(None)` when none is recorded yet;
    /// whether one is required is the caller's question (sending needs it, a draft does not).
    pub fn from_input(
        input: &ConsentInput<'_>,
        today: Date,
    ) -> Result<Option<Self>, Vec<FieldError>> {
        let mut errors = Vec::new();
        let short =
            |field: &'static str, label: &str, value: &str, errors: &mut Vec<FieldError>| {
                if let Some(problem) =
                    crate::text::problem(label, value, crate::text::SHORT_TEXT_CHARS, false)
                {
                    push(errors, field, problem);
                }
            };
        let consent = match input.kind {
            "" => None,
            "samtycke" => {
                let way = ConsentWay::from_code(input.way);
                if input.given_by.is_empty() {
                    push(
                        &mut errors,
                        "consent_given_by",
                        "Ange vem som lämnade samtycket: personen själv eller företrädarens namn.",
                    );
                }
                if way.is_none() {
                    push(
                        &mut errors,
                        "consent_way",
                        "Välj hur samtycket lämnades: muntligt, skriftligt eller digitalt.",
                    );
                }
                let given_on = match input.given_on.parse::<Date>() {
                    Ok(day) if day > today => {
                        push(
                            &mut errors,
                            "consent_given_on",
                            "Samtycket kan inte vara lämnat ett datum som ännu inte har varit.",
                        );
                        None
                    }
                    Ok(day) => Some(day),
                    Err(_) => {
                        push(
                            &mut errors,
                            "consent_given_on",
                            "Ange datum för samtycket som ÅÅÅÅ-MM-DD.",
                        );
                        None
                    }
                };
                short(
                    "consent_given_by",
                    "Vem som lämnade samtycket",
                    input.given_by,
                    &mut errors,
                );
                way.zip(given_on).map(|(way, given_on)| Consent::Given {
                    given_by: input.given_by.to_owned(),
                    way,
                    given_on,
                })
            }
            "grund" => {
                if input.basis.chars().count() < MINIMUM_BASIS_CHARS {
                    push(
                        &mut errors,
                        "consent_basis",
                        "Beskriv varför samtycke inte kan inhämtas, med minst tio tecken.",
                    );
                } else if let Some(problem) =
                    crate::text::problem("Grunden", input.basis, crate::text::LONG_TEXT_CHARS, true)
                {
                    push(&mut errors, "consent_basis", problem);
                }
                if input.judged_by.is_empty() {
                    push(
                        &mut errors,
                        "consent_judged_by",
                        "Ange vem som bedömde att samtycke inte kan inhämtas.",
                    );
                }
                short(
                    "consent_judged_by",
                    "Vem som bedömde",
                    input.judged_by,
                    &mut errors,
                );
                Some(Consent::Basis {
                    reason: input.basis.to_owned(),
                    judged_by: input.judged_by.to_owned(),
                })
            }
            _ => {
                push(
                    &mut errors,
                    "consent",
                    "Välj om personen har samtyckt eller ange grunden för att skicka utan samtycke.",
                );
                None
            }
        };
        if errors.is_empty() {
            Ok(consent)
        } else {
            Err(errors)
        }
    }
}

fn push(errors: &mut Vec<FieldError>, field: &'static str, message: impl Into<String>) {
    errors.push(FieldError {
        field,
        message: message.into(),
    });
}

/// Samtycke as typed into a form or an API call, trimmed.
#[derive(Debug, Clone, Copy)]
pub struct ConsentInput<'a> {
    /// `samtycke`, `grund` or empty.
    pub kind: &'a str,
    pub given_by: &'a str,
    /// A [`ConsentWay`] code.
    pub way: &'a str,
    /// `ÅÅÅÅ-MM-DD`.
    pub given_on: &'a str,
    pub basis: &'a str,
    pub judged_by: &'a str,
}

/// A basis must say something a reviewer can judge.
const MINIMUM_BASIS_CHARS: usize = 10;

/// The message a request without consent or basis gets when it is sent.
pub const REQUIRED_TO_SEND: &str =
    "Ange personens samtycke, eller grunden för att skicka utan samtycke, innan begäran skickas.";

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn input<'a>(kind: &'a str) -> ConsentInput<'a> {
        ConsentInput {
            kind,
            given_by: "Personen själv",
            way: "muntligt",
            given_on: "2026-11-20",
            basis: "",
            judged_by: "",
        }
    }

    #[test]
    fn a_given_consent_says_who_how_and_when() {
        let consent = Consent::from_input(&input("samtycke"), date(2026, 11, 23)).unwrap();
        assert_eq!(
            consent,
            Some(Consent::Given {
                given_by: "Personen själv".into(),
                way: ConsentWay::Oral,
                given_on: date(2026, 11, 20),
            })
        );
        assert_eq!(
            Consent::from_input(&input(""), date(2026, 11, 23)),
            Ok(None)
        );
    }

    #[test]
    fn a_consent_from_the_future_or_without_a_way_is_refused() {
        let mut future = input("samtycke");
        future.given_on = "2026-12-24";
        future.way = "telepatiskt";
        let errors = Consent::from_input(&future, date(2026, 11, 23)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["consent_way", "consent_given_on"]);
    }

    #[test]
    fn a_basis_needs_a_reason_and_who_judged_it() {
        let mut basis = input("grund");
        basis.basis = "Kan ej";
        let errors = Consent::from_input(&basis, date(2026, 11, 23)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["consent_basis", "consent_judged_by"]);
        basis.basis = "Personen kan inte uttrycka sin vilja efter stroke.";
        basis.judged_by = "Dr Lisa Berg";
        assert_eq!(
            Consent::from_input(&basis, date(2026, 11, 23))
                .unwrap()
                .map(|c| c.code()),
            Some("grund")
        );
    }
}
