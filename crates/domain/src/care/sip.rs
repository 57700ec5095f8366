//! SIP, samordnad individuell plan (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.4): "En
//! samplanering för att upprätta en medicinsk behandlingsplan ersätter inte ansvaret att delta i
//! individuell samordnad planering (SIP)." A SIP may be held on any track; what the case records
//! of it is when, who convened it, who took part, that the person consented, and when it is next
//! followed up.

use crate::FieldError;
use crate::text::{SHORT_TEXT_CHARS, problem};
use jiff::civil::Date;

/// A SIP as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sip {
    pub held_on: Date,
    /// Who called the SIP (kallande part), e.g. "Hemsjukvården Örebro".
    pub convened_by: String,
    pub participants: String,
    /// The next follow-up of the SIP, if the meeting set one.
    pub next_follow_up: Option<Date>,
}

/// The SIP form's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct SipInput<'a> {
    pub held_on: &'a str,
    pub convened_by: &'a str,
    pub participants: &'a str,
    /// `ja` when the person consented to the SIP.
    pub consented: &'a str,
    pub next_follow_up: &'a str,
}

impl Sip {
    /// Checks the form; a SIP needs the person's consent, and its follow-up comes after it.
    pub fn parse(input: &SipInput<'_>, today: Date) -> Result<Sip, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error =
            |field: &'static str, message: String| errors.push(FieldError { field, message });
        let held_on = match input.held_on.trim().parse::<Date>() {
            Ok(day) if day > today => {
                error(
                    "sip_held_on",
                    "Datum för SIP: dagen har inte kommit än.".into(),
                );
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                error(
                    "sip_held_on",
                    "Datum för SIP: skriv dagen som ÅÅÅÅ-MM-DD.".into(),
                );
                None
            }
        };
        for (field, label, text, missing) in [
            (
                "sip_convened_by",
                "Kallande part",
                input.convened_by,
                "Skriv vem som kallade till SIP:en.",
            ),
            (
                "sip_attendees",
                "Deltagare",
                input.participants,
                "Skriv vilka som deltog (personen, närstående, yrken och enheter).",
            ),
        ] {
            if text.trim().is_empty() {
                error(field, missing.into());
            } else if let Some(message) = problem(label, text.trim(), SHORT_TEXT_CHARS, false) {
                error(field, message);
            }
        }
        if input.consented.trim() != "ja" {
            error(
                "sip_consented",
                "En SIP förutsätter personens samtycke. Registrera SIP:en när personen har samtyckt.".into(),
            );
        }
        let next = input.next_follow_up.trim();
        let next_follow_up = if next.is_empty() {
            None
        } else {
            match next.parse::<Date>() {
                Ok(day) if held_on.is_some_and(|held| day <= held) => {
                    error(
                        "sip_next_follow_up",
                        "Nästa uppföljning av SIP:en ska vara efter mötet.".into(),
                    );
                    None
                }
                Ok(day) => Some(day),
                Err(_) => {
                    error(
                        "sip_next_follow_up",
                        "Nästa uppföljning: skriv dagen som ÅÅÅÅ-MM-DD.".into(),
                    );
                    None
                }
            }
        };
        match held_on {
            Some(held_on) if errors.is_empty() => Ok(Sip {
                held_on,
                convened_by: input.convened_by.trim().to_owned(),
                participants: input.participants.trim().to_owned(),
                next_follow_up,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 2);

    fn input<'a>() -> SipInput<'a> {
        SipInput {
            held_on: "2026-12-01",
            convened_by: "Hemsjukvården Örebro",
            participants: "Personen, dottern, läkare, sjuksköterska, biståndshandläggare",
            consented: "ja",
            next_follow_up: "2027-03-01",
        }
    }

    #[test]
    fn a_sip_records_who_when_and_the_next_follow_up() {
        let sip = Sip::parse(&input(), TODAY).unwrap();
        assert_eq!(sip.next_follow_up, Some(date(2027, 3, 1)));
    }

    #[test]
    fn a_sip_needs_consent_and_a_later_follow_up() {
        let errors = Sip::parse(
            &SipInput {
                consented: "",
                next_follow_up: "2026-11-30",
                participants: " ",
                ..input()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["sip_attendees", "sip_consented", "sip_next_follow_up"]
        );
    }
}
