//! Begäran om hälso- och sjukvård i hemmet: the request a region unit sends to a municipality.
//!
//! Content follows the SBAR form (uppföljningsrapporten 2026-05-12) and §3.1.2 of Hälso- och sjukvård i
//! hemmet primärvårdsnivå: the
//! request must say which need is to be assessed and the goal, and who the fixed doctor contact
//! and fixed care contact are.

use crate::case::consent::{Consent, ConsentInput, REQUIRED_TO_SEND};
use crate::case::track::{RehabInitiator, Track, TrackDetails, VisamColour};
use crate::{FieldError, MunicipalityCode, PersonId, RuleSet};
use jiff::ToSpan;
use jiff::civil::Date;

/// Raw input from a form or the API, before validation. Field names are the wire names.
/// Serialized only to fingerprint a create for its Idempotency-Key.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CareRequestInput {
    /// Personnummer, samordningsnummer or, for a person without one, the region's reservnummer.
    pub personnummer: String,
    pub patient_name: String,
    pub home_municipality: String,
    /// Where the care is given.
    pub patient_address: String,
    pub patient_phone: String,
    /// `ja` for skyddad identitet (skyddad folkbokföring or sekretessmarkering).
    pub protected_identity: String,
    pub situation: String,
    pub background: String,
    pub current_assessment: String,
    pub recommendation: String,
    pub fixed_doctor_name: String,
    pub fixed_doctor_phone: String,
    pub prescriber_name: String,
    pub prescriber_phone: String,
    pub care_contact_name: String,
    pub care_contact_phone: String,
    pub health_centre_name: String,
    pub health_centre_phone: String,
    /// Spår: `primarvard` (default), `specialiserad`, `utskrivning` or `rehabilitering`.
    pub track: String,
    /// Track 2: `ja` when the case is psychiatric medication handling (§3.2.1).
    pub psychiatric_medication: String,
    /// Track 3: `gult` or `rott`.
    pub visam_colour: String,
    /// Track 3: planned discharge date, `ÅÅÅÅ-MM-DD`.
    pub discharge_date: String,
    /// Rehabilitation: `egen`, `specialiserad` or `primarvard`.
    pub rehab_initiator: String,
    /// Samtycke: `samtycke`, `grund` (sent without consent, on a recorded basis) or empty.
    pub consent: String,
    /// Who gave consent: the person or their representative.
    pub consent_given_by: String,
    /// `muntligt`, `skriftligt` or `digitalt`.
    pub consent_way: String,
    /// `ÅÅÅÅ-MM-DD`.
    pub consent_given_on: String,
    /// Why consent cannot be obtained.
    pub consent_basis: String,
    /// Who judged that consent cannot be obtained.
    pub consent_judged_by: String,
}

/// How complete the content must be: a draft (utkast) needs only the patient; sending needs all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    Draft,
    ReadyToSend,
    /// An egenvårdsbegäran the rehab team registers itself: complete as for sending, but it is
    /// only ever the rehabilitation process started by the person, and it needs no consent to
    /// pass between principals, because nothing passes (the person turned to the team herself).
    RegisteredByTeam,
}

/// Validated content of a request. The free-text fields are trimmed; in a draft they may be empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareRequestContent {
    /// Personnummer, samordningsnummer or reservnummer.
    pub person_id: PersonId,
    pub patient_name: String,
    pub home_municipality: MunicipalityCode,
    /// Every text field after trimming, in the same shape as the input.
    pub text: CareRequestInput,
    /// The track, with what is known of it at intake.
    pub track: TrackDetails,
    /// Samtycke or the basis for sending without it; always present in a request ready to send.
    pub consent: Option<Consent>,
    /// Skyddad identitet, as the request marks it.
    pub protected_identity: bool,
}

const MAX_TEXT: usize = crate::text::LONG_TEXT_CHARS;
const MAX_SHORT: usize = crate::text::SHORT_TEXT_CHARS;

struct Field {
    name: &'static str,
    label: &'static str,
    long: bool,
    required: bool,
    phone: bool,
}

const TEXT_FIELDS: [Field; 12] = [
    Field {
        name: "situation",
        label: "Situation",
        long: true,
        required: true,
        phone: false,
    },
    Field {
        name: "background",
        label: "Bakgrund",
        long: true,
        required: true,
        phone: false,
    },
    Field {
        name: "current_assessment",
        label: "Aktuellt",
        long: true,
        required: true,
        phone: false,
    },
    Field {
        name: "recommendation",
        label: "Rekommendation",
        long: true,
        required: true,
        phone: false,
    },
    Field {
        name: "fixed_doctor_name",
        label: "Fast läkarkontakt",
        long: false,
        required: true,
        phone: false,
    },
    Field {
        name: "fixed_doctor_phone",
        label: "Telefon till fast läkarkontakt",
        long: false,
        required: true,
        phone: true,
    },
    Field {
        name: "prescriber_name",
        label: "Ansvarig ordinator",
        long: false,
        required: false,
        phone: false,
    },
    Field {
        name: "prescriber_phone",
        label: "Telefon till ansvarig ordinator",
        long: false,
        required: false,
        phone: true,
    },
    Field {
        name: "care_contact_name",
        label: "Fast vårdkontakt",
        long: false,
        required: true,
        phone: false,
    },
    Field {
        name: "care_contact_phone",
        label: "Telefon till fast vårdkontakt",
        long: false,
        required: true,
        phone: true,
    },
    Field {
        name: "health_centre_name",
        label: "Vårdcentral",
        long: false,
        required: true,
        phone: false,
    },
    Field {
        name: "health_centre_phone",
        label: "Telefon till vårdcentralen",
        long: false,
        required: true,
        phone: true,
    },
];

impl CareRequestInput {
    fn value(&self, name: &str) -> &str {
        match name {
            "situation" => &self.situation,
            "background" => &self.background,
            "current_assessment" => &self.current_assessment,
            "recommendation" => &self.recommendation,
            "fixed_doctor_name" => &self.fixed_doctor_name,
            "fixed_doctor_phone" => &self.fixed_doctor_phone,
            "prescriber_name" => &self.prescriber_name,
            "prescriber_phone" => &self.prescriber_phone,
            "care_contact_name" => &self.care_contact_name,
            "care_contact_phone" => &self.care_contact_phone,
            "health_centre_name" => &self.health_centre_name,
            "health_centre_phone" => &self.health_centre_phone,
            _ => "",
        }
    }

    fn trimmed(&self) -> CareRequestInput {
        let t = |s: &String| s.trim().to_owned();
        CareRequestInput {
            personnummer: t(&self.personnummer),
            patient_name: crate::text::without_bidi_controls(&t(&self.patient_name)),
            home_municipality: t(&self.home_municipality),
            patient_address: crate::text::without_bidi_controls(&t(&self.patient_address)),
            patient_phone: t(&self.patient_phone),
            protected_identity: t(&self.protected_identity),
            situation: t(&self.situation),
            background: t(&self.background),
            current_assessment: t(&self.current_assessment),
            recommendation: t(&self.recommendation),
            fixed_doctor_name: t(&self.fixed_doctor_name),
            fixed_doctor_phone: t(&self.fixed_doctor_phone),
            prescriber_name: t(&self.prescriber_name),
            prescriber_phone: t(&self.prescriber_phone),
            care_contact_name: t(&self.care_contact_name),
            care_contact_phone: t(&self.care_contact_phone),
            health_centre_name: t(&self.health_centre_name),
            health_centre_phone: t(&self.health_centre_phone),
            track: t(&self.track),
            psychiatric_medication: t(&self.psychiatric_medication),
            visam_colour: t(&self.visam_colour),
            discharge_date: t(&self.discharge_date),
            rehab_initiator: t(&self.rehab_initiator),
            consent: t(&self.consent),
            consent_given_by: crate::text::without_bidi_controls(&t(&self.consent_given_by)),
            consent_way: t(&self.consent_way),
            consent_given_on: t(&self.consent_given_on),
            consent_basis: crate::text::without_bidi_controls(&t(&self.consent_basis)),
            consent_judged_by: crate::text::without_bidi_controls(&t(&self.consent_judged_by)),
        }
    }

    /// The consent part, for validation apart from the rest.
    pub fn consent_input(&self) -> ConsentInput<'_> {
        ConsentInput {
            kind: &self.consent,
            given_by: &self.consent_given_by,
            way: &self.consent_way,
            given_on: &self.consent_given_on,
            basis: &self.consent_basis,
            judged_by: &self.consent_judged_by,
        }
    }

    /// Validates every field and returns all problems at once, in form order.
    pub fn validate(
        &self,
        rules: &RuleSet,
        today: Date,
        completeness: Completeness,
    ) -> Result<CareRequestContent, Vec<FieldError>> {
        let text = self.trimmed();
        let mut errors = Vec::new();
        let mut error =
            |field: &'static str, message: String| errors.push(FieldError { field, message });

        let track = if text.track.is_empty() {
            Some(Track::PrimaryCare)
        } else {
            Track::from_code(&text.track)
        };
        if track.is_none() {
            error("track", "Välj ett av de fyra spåren.".to_owned());
        }
        let track = match track {
            Some(t) if !rules.tracks.is_offered(t) => {
                error(
                    "track",
                    format!(
                        "{} ingår inte i överenskommelsen i det här regelverket.",
                        t.label()
                    ),
                );
                None
            }
            other => other,
        };
        let age_limited = track.is_none_or(Track::has_age_limit);
        let person_id = match PersonId::parse(&text.personnummer, &rules.reserve_number, today) {
            Ok(number) => {
                let age = number.age_on(today);
                if age_limited && age < rules.enrollment.minimum_age {
                    error(
                        "personnummer",
                        format!(
                            "Personen är under {} år och kan inte tas emot av kommunen. {}",
                            rules.enrollment.minimum_age, rules.enrollment.minimum_age_reason
                        ),
                    );
                    None
                } else {
                    Some(number)
                }
            }
            Err(e) => {
                error("personnummer", e.to_string());
                None
            }
        };
        if text.patient_name.is_empty() {
            error("patient_name", "Ange personens namn.".to_owned());
        } else if let Some(problem) =
            crate::text::problem("Namnet", &text.patient_name, MAX_SHORT, false)
        {
            error("patient_name", problem);
        }
        if let Some(problem) =
            crate::text::problem("Adressen", &text.patient_address, MAX_SHORT, false)
        {
            error("patient_address", problem);
        }
        if !text.patient_phone.is_empty() && !is_phone_number(&text.patient_phone) {
            error(
                "patient_phone",
                "Personens telefon ska vara ett telefonnummer, t.ex. 019-602 10 00.".to_owned(),
            );
        }
        let municipality = MunicipalityCode::parse(&text.home_municipality)
            .filter(|code| rules.municipality(*code).is_some());
        if municipality.is_none() {
            error(
                "home_municipality",
                "Välj personens hemkommun bland kommunerna i överenskommelsen.".to_owned(),
            );
        }
        // Rehabilitation needs no referral: only the need (S) and the goal (R) are required.
        let rehab = track == Some(Track::Rehabilitation);
        let required_for_track =
            |name: &str| !rehab || matches!(name, "situation" | "recommendation");
        for field in &TEXT_FIELDS {
            let value = text.value(field.name);
            let limit = if field.long { MAX_TEXT } else { MAX_SHORT };
            if value.is_empty() {
                if field.required
                    && required_for_track(field.name)
                    && completeness != Completeness::Draft
                {
                    error(
                        field.name,
                        format!("{} måste fyllas i innan begäran skickas.", field.label),
                    );
                }
            } else if let Some(problem) =
                crate::text::problem(field.label, value, limit, field.long)
            {
                error(field.name, problem);
            } else if field.phone && !is_phone_number(value) {
                error(
                    field.name,
                    format!(
                        "{} ska vara ett telefonnummer, t.ex. 019-602 10 00.",
                        field.label
                    ),
                );
            }
        }
        let prescriber_named = !text.prescriber_name.is_empty();
        let prescriber_phone = !text.prescriber_phone.is_empty();
        if prescriber_named != prescriber_phone {
            let (field, message) = if prescriber_named {
                (
                    "prescriber_phone",
                    "Ange telefonnummer till ansvarig ordinator.",
                )
            } else {
                (
                    "prescriber_name",
                    "Ange namnet på ansvarig ordinator, eller ta bort telefonnumret.",
                )
            };
            error(field, message.to_owned());
        }
        let details = match track {
            Some(_) if completeness == Completeness::RegisteredByTeam && !rehab => {
                error(
                    "track",
                    "Rehabteamet registrerar bara egenvårdsbegäran om rehabilitering.".to_owned(),
                );
                None
            }
            Some(Track::PrimaryCare) => Some(TrackDetails::new_primary_care()),
            Some(Track::SpecializedCare) => {
                let psychiatric = text.psychiatric_medication == "ja";
                if psychiatric && !rules.psychiatric_medication.offered() {
                    error(
                        "psychiatric_medication",
                        "Överenskommelsen i det här regelverket har ingen överlämning av läkemedelshantering från psykiatrin."
                            .to_owned(),
                    );
                }
                Some(TrackDetails::new_specialized_care(psychiatric))
            }
            Some(Track::Discharge) => {
                let colour = VisamColour::from_code(&text.visam_colour);
                if colour.is_none() {
                    error(
                        "visam_colour",
                        "Välj ViSam-spår: gult eller rött.".to_owned(),
                    );
                }
                let date = text.discharge_date.parse::<Date>().ok();
                if date.is_none() {
                    error(
                        "discharge_date",
                        "Ange planerat utskrivningsdatum som ÅÅÅÅ-MM-DD.".to_owned(),
                    );
                }
                colour
                    .zip(date)
                    .map(|(colour, discharge_date)| TrackDetails::Discharge {
                        colour,
                        discharge_date,
                        plan_available_on: None,
                    })
            }
            Some(Track::Rehabilitation)
                if completeness == Completeness::RegisteredByTeam
                    && text.rehab_initiator != RehabInitiator::SelfReferral.code() =>
            {
                error(
                    "rehab_initiator",
                    "Rehabteamet registrerar bara begäran som personen själv har gjort (egenvårdsbegäran)."
                        .to_owned(),
                );
                None
            }
            Some(Track::Rehabilitation) => {
                let initiated_by = RehabInitiator::from_code(&text.rehab_initiator);
                if initiated_by.is_none() {
                    error(
                        "rehab_initiator",
                        "Ange vem som initierade behovet av rehabilitering.".to_owned(),
                    );
                }
                initiated_by.map(|initiated_by| TrackDetails::Rehabilitation { initiated_by })
            }
            None => None,
        };
        let consent = match Consent::from_input(&text.consent_input(), today) {
            Ok(None) if completeness == Completeness::ReadyToSend => {
                error("consent", REQUIRED_TO_SEND.to_owned());
                None
            }
            Ok(consent) => consent,
            Err(problems) => {
                for problem in problems {
                    error(problem.field, problem.message);
                }
                None
            }
        };
        let protected_identity = text.protected_identity == "ja";
        match (person_id, municipality, details) {
            (Some(person_id), Some(home_municipality), Some(track)) if errors.is_empty() => {
                Ok(CareRequestContent {
                    person_id,
                    patient_name: text.patient_name.clone(),
                    home_municipality,
                    text,
                    track,
                    consent,
                    protected_identity,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Digits with optional spaces, hyphens and a leading `+`; 6 to 15 digits.
pub(crate) fn is_phone_number(value: &str) -> bool {
    let rest = value.strip_prefix('+').unwrap_or(value);
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    rest.chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && (6..=15).contains(&digits)
}

/// End of the rule set's number of working days after the day the request was sent.
pub fn acknowledgement_due(sent_on: Date, rules: &RuleSet) -> Date {
    rules
        .calendar
        .add_working_days(sent_on, rules.acknowledgement.working_days_after_sent)
}

/// Where a request stands against its acknowledgement deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineStatus {
    /// Försenad — not acknowledged and the due day has passed.
    Overdue,
    /// Senast i dag.
    DueToday,
    /// Snart — due within the rule set's "due soon" working days.
    DueSoon,
    /// I tid.
    OnTrack,
    /// Kvitterad i tid.
    Met,
    /// Kvitterad efter sista dag.
    MetLate,
}

impl DeadlineStatus {
    /// The last day an open deadline is still "snart" seen on `today`: the day before the working
    /// day past the rule set's due-soon working days. Lists filter and sort on it in the database.
    pub fn due_soon_until(today: Date, rules: &RuleSet) -> Date {
        let mut day = today;
        let mut working = 0;
        loop {
            let next = day.saturating_add(1.days());
            if next == day {
                return day;
            }
            if rules.calendar.is_working_day(next) {
                working += 1;
                if working > rules.acknowledgement.due_soon_working_days {
                    return day;
                }
            }
            day = next;
        }
    }

    pub fn of(due: Date, today: Date, acknowledged_on: Option<Date>, rules: &RuleSet) -> Self {
        match acknowledged_on {
            Some(day) if day <= due => DeadlineStatus::Met,
            Some(_) => DeadlineStatus::MetLate,
            None if today > due => DeadlineStatus::Overdue,
            None if today == due => DeadlineStatus::DueToday,
            None if rules.calendar.working_days_between(today, due)
                <= rules.acknowledgement.due_soon_working_days =>
            {
                DeadlineStatus::DueSoon
            }
            None => DeadlineStatus::OnTrack,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DeadlineStatus::Overdue => "forsenad",
            DeadlineStatus::DueToday => "idag",
            DeadlineStatus::DueSoon => "snart",
            DeadlineStatus::OnTrack => "i_tid",
            DeadlineStatus::Met => "kvitterad",
            DeadlineStatus::MetLate => "kvitterad_sent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeadlineStatus::Overdue => "Försenad",
            DeadlineStatus::DueToday => "Senast i dag",
            DeadlineStatus::DueSoon => "Snart",
            DeadlineStatus::OnTrack => "I tid",
            DeadlineStatus::Met => "Kvitterad i tid",
            DeadlineStatus::MetLate => "Kvitterad för sent",
        }
    }
}

/// The request form's view of a track: kept here, with the form, so that the track knows nothing
/// of the form.
impl TrackDetails {
    /// Writes the intake fields of the track back into a request form's shape.
    pub fn fill_intake(&self, input: &mut CareRequestInput) {
        input.track = self.track().code().to_owned();
        match self {
            TrackDetails::SpecializedCare { psychiatric, .. } => {
                input.psychiatric_medication = if psychiatric.is_some() {
                    "ja".into()
                } else {
                    String::new()
                };
            }
            TrackDetails::Discharge {
                colour,
                discharge_date,
                ..
            } => {
                input.visam_colour = colour.code().to_owned();
                input.discharge_date = discharge_date.to_string();
            }
            TrackDetails::Rehabilitation { initiated_by } => {
                input.rehab_initiator = initiated_by.code().to_owned()
            }
            TrackDetails::PrimaryCare { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn due_soon_until_is_the_last_day_of_is_due_soon() {
        let rules = rules();
        for offset in 0..40 {
            let today = date(2026, 12, 1).saturating_add(offset.days());
            let until = DeadlineStatus::due_soon_until(today, &rules);
            let after = until.saturating_add(1.days());
            assert_eq!(
                DeadlineStatus::of(until, today, None, &rules),
                if until == today {
                    DeadlineStatus::DueToday
                } else {
                    DeadlineStatus::DueSoon
                },
                "{today}"
            );
            assert_eq!(
                DeadlineStatus::of(after, today, None, &rules),
                DeadlineStatus::OnTrack,
                "{today}"
            );
        }
    }

    use super::*;
    use jiff::civil::date;

    fn rules() -> RuleSet {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap()
    }

    fn complete() -> CareRequestInput {
        CareRequestInput {
            personnummer: "19121212-1212".into(),
            patient_name: "Tolvan Tolvansson".into(),
            home_municipality: "1880".into(),
            situation: "Vill kunna bo kvar hemma.".into(),
            background: "Hjärtsvikt.".into(),
            current_assessment: "Stabil.".into(),
            recommendation: "Viktkontroll två gånger i veckan.".into(),
            fixed_doctor_name: "Dr A".into(),
            fixed_doctor_phone: "019-602 10 00".into(),
            care_contact_name: "SSK B".into(),
            care_contact_phone: "019-602 10 01".into(),
            health_centre_name: "Vårdcentral Örebro".into(),
            health_centre_phone: "019-602 10 02".into(),
            consent: "samtycke".into(),
            consent_given_by: "Personen själv".into(),
            consent_way: "muntligt".into(),
            consent_given_on: "2026-11-20".into(),
            ..CareRequestInput::default()
        }
    }

    #[test]
    fn psychiatric_medication_is_refused_where_the_agreement_has_none() {
        let mut rules = rules();
        let mut input = complete();
        input.track = "specialiserad".into();
        input.psychiatric_medication = "ja".into();
        let today = date(2026, 11, 23);
        assert!(
            input
                .validate(&rules, today, Completeness::ReadyToSend)
                .is_ok()
        );
        rules.psychiatric_medication = Default::default();
        let errors = input
            .validate(&rules, today, Completeness::ReadyToSend)
            .unwrap_err();
        assert_eq!(errors[0].field, "psychiatric_medication");
        input.psychiatric_medication = String::new();
        assert!(
            input
                .validate(&rules, today, Completeness::ReadyToSend)
                .is_ok()
        );
    }

    #[test]
    fn complete_request_validates() {
        let content = complete()
            .validate(&rules(), date(2026, 11, 23), Completeness::ReadyToSend)
            .unwrap();
        assert_eq!(content.home_municipality.as_str(), "1880");
    }

    #[test]
    fn draft_needs_only_the_patient_but_sending_needs_everything() {
        let mut input = complete();
        input.situation = "  ".into();
        assert!(
            input
                .validate(&rules(), date(2026, 11, 23), Completeness::Draft)
                .is_ok()
        );
        let errors = input
            .validate(&rules(), date(2026, 11, 23), Completeness::ReadyToSend)
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "situation");
        assert_eq!(
            errors[0].message,
            "Situation måste fyllas i innan begäran skickas."
        );
    }

    #[test]
    fn a_request_is_not_sent_without_consent_or_a_recorded_basis() {
        let mut input = complete();
        input.consent = String::new();
        assert_eq!(
            input
                .validate(&rules(), date(2026, 11, 23), Completeness::Draft)
                .map(|content| content.consent),
            Ok(None)
        );
        let errors = input
            .validate(&rules(), date(2026, 11, 23), Completeness::ReadyToSend)
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "consent");
        input.consent = "grund".into();
        input.consent_basis = "Personen kan inte uttrycka sin vilja.".into();
        input.consent_judged_by = "Dr A".into();
        assert!(
            input
                .validate(&rules(), date(2026, 11, 23), Completeness::ReadyToSend)
                .is_ok()
        );
    }

    #[test]
    fn a_child_is_refused_with_the_agreements_reason() {
        let mut input = complete();
        let child = crate::Personnummer::from_parts(date(2010, 3, 1), 982, false).unwrap();
        input.personnummer = child.expose();
        let errors = input
            .validate(&rules(), date(2026, 11, 23), Completeness::Draft)
            .unwrap_err();
        assert_eq!(errors[0].field, "personnummer");
        assert!(errors[0].message.contains("under 18 år"));
        assert!(errors[0].message.contains("specialiserade vården"));
        assert!(!errors[0].message.contains(&child.expose()[..8]));
    }

    #[test]
    fn a_child_is_accepted_in_rehabilitation_without_referral_fields() {
        let child = crate::Personnummer::from_parts(date(2015, 3, 1), 982, false).unwrap();
        let input = CareRequestInput {
            personnummer: child.expose(),
            patient_name: "Barn Barnsson".into(),
            home_municipality: "1884".into(),
            situation: "Behöver hjälpmedel i hemmet.".into(),
            recommendation: "Bedömning av arbetsterapeut.".into(),
            track: "rehabilitering".into(),
            rehab_initiator: "egen".into(),
            consent: "samtycke".into(),
            consent_given_by: "Vårdnadshavare Anna Barnsson".into(),
            consent_way: "skriftligt".into(),
            consent_given_on: "2026-11-23".into(),
            ..CareRequestInput::default()
        };
        let content = input
            .validate(&rules(), date(2026, 11, 23), Completeness::ReadyToSend)
            .unwrap();
        assert_eq!(content.track.track(), Track::Rehabilitation);
        let mut discharge = input.clone();
        discharge.track = "utskrivning".into();
        let errors = discharge
            .validate(&rules(), date(2026, 11, 23), Completeness::Draft)
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["personnummer", "visam_colour", "discharge_date"]);
    }

    #[test]
    fn field_errors_are_specific() {
        let mut input = complete();
        input.home_municipality = "0180".into();
        input.fixed_doctor_phone = "ring mig".into();
        input.prescriber_name = "Dr C".into();
        let errors = input
            .validate(&rules(), date(2026, 11, 23), Completeness::ReadyToSend)
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "home_municipality",
                "fixed_doctor_phone",
                "prescriber_phone"
            ]
        );
    }

    #[test]
    fn deadline_status_follows_working_days() {
        let rules = rules();
        let due = date(2026, 11, 23);
        assert_eq!(
            DeadlineStatus::of(due, date(2026, 11, 24), None, &rules),
            DeadlineStatus::Overdue
        );
        assert_eq!(
            DeadlineStatus::of(due, due, None, &rules),
            DeadlineStatus::DueToday
        );
        assert_eq!(
            DeadlineStatus::of(due, date(2026, 11, 20), None, &rules),
            DeadlineStatus::DueSoon
        );
        assert_eq!(
            DeadlineStatus::of(due, date(2026, 11, 18), None, &rules),
            DeadlineStatus::OnTrack
        );
        assert_eq!(
            DeadlineStatus::of(due, date(2026, 11, 25), Some(due), &rules),
            DeadlineStatus::Met
        );
        assert_eq!(
            DeadlineStatus::of(due, date(2026, 11, 25), Some(date(2026, 11, 24)), &rules),
            DeadlineStatus::MetLate
        );
    }

    #[test]
    fn a_regions_own_day_off_moves_the_kvittens() {
        let text = include_str!("../../../../rules/orebro-2025.toml").replace(
            "[deadlines.acknowledgement]",
            "[calendar]\nextra_non_working_days = [{ date = \"2026-11-23\", name = \"Regionens planeringsdag\" }]\n\n[deadlines.acknowledgement]",
        );
        let with_day_off = RuleSet::from_toml(&text).unwrap();
        let friday = date(2026, 11, 20);
        assert_eq!(acknowledgement_due(friday, &rules()), date(2026, 11, 23));
        assert_eq!(
            acknowledgement_due(friday, &with_day_off),
            date(2026, 11, 24)
        );
        assert_eq!(
            DeadlineStatus::of(date(2026, 11, 24), friday, None, &with_day_off),
            DeadlineStatus::DueSoon,
            "the day off is not a working day before the deadline"
        );
    }
}
