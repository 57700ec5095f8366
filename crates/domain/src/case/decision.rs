//! What a decision to enroll says (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.1,
//! §3.1.4): the vårdnivå from the rule set's list, the start, the responsible units, which
//! hälso- och sjukvårdsinsatser pass to the municipality, and whether they are punktinsatser
//! ("vid injektioner eller provtagning övergår endast utförandet"; the parties say whether the
//! responsibility is shared) or several insatser that the municipality coordinates.

use crate::FieldError;
use crate::case::rules::EnrollmentRules;
use crate::text::{LONG_TEXT_CHARS, SHORT_TEXT_CHARS, problem};
use jiff::civil::Date;

/// Punktinsatser or samordnad vård.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterventionKind {
    /// Punktinsatser: only the execution passes to the municipality.
    Point,
    /// Several insatser that need the municipality's coordination.
    Coordinated,
}

impl InterventionKind {
    pub const ALL: [InterventionKind; 2] = [InterventionKind::Point, InterventionKind::Coordinated];

    pub fn code(self) -> &'static str {
        match self {
            InterventionKind::Point => "punktinsats",
            InterventionKind::Coordinated => "samordnad",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        InterventionKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            InterventionKind::Point => "Punktinsatser: endast utförandet övergår till kommunen",
            InterventionKind::Coordinated => {
                "Samordnad vård: flera insatser som kommunen samordnar"
            }
        }
    }
}

/// The terms of a decision to enroll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentTerms {
    /// The care level's code in the rule set.
    pub care_level: String,
    pub start_date: Date,
    /// Ansvariga enheter.
    pub responsible_units: String,
    pub kind: InterventionKind,
    /// The insatser that pass to the municipality.
    pub interventions: String,
    /// For punktinsatser: whether the parties share the responsibility; `None` for coordinated
    /// care, where the municipality takes it over.
    pub shared_responsibility: Option<bool>,
}

/// The decision form's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct EnrollmentInput<'a> {
    pub care_level: &'a str,
    pub start_date: &'a str,
    pub responsible_units: &'a str,
    /// `punktinsats` or `samordnad`.
    pub kind: &'a str,
    pub interventions: &'a str,
    /// `ja` or `nej`; read for punktinsatser.
    pub shared_responsibility: &'a str,
}

impl EnrollmentTerms {
    /// Checks the form; every problem is a field message.
    pub fn parse(
        input: &EnrollmentInput<'_>,
        rules: &EnrollmentRules,
    ) -> Result<EnrollmentTerms, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error =
            |field: &'static str, message: String| errors.push(FieldError { field, message });
        let care_level = input.care_level.trim();
        if rules.care_level(care_level).is_none() {
            error("care_level", "Välj vårdnivå.".into());
        }
        let start_date = input.start_date.trim().parse::<Date>().ok();
        if start_date.is_none() {
            error("start_date", "Ange startdatum som ÅÅÅÅ-MM-DD.".into());
        }
        let units = input.responsible_units.trim();
        if units.is_empty() {
            error("responsible_units", "Ange ansvariga enheter.".into());
        } else if let Some(message) = problem("Ansvariga enheter", units, SHORT_TEXT_CHARS, false) {
            error("responsible_units", message);
        }
        let kind = InterventionKind::from_code(input.kind.trim());
        if kind.is_none() {
            error(
                "intervention_kind",
                "Välj om det är punktinsatser eller samordnad vård.".into(),
            );
        }
        let interventions = input.interventions.trim();
        if interventions.is_empty() {
            error(
                "interventions",
                "Skriv vilka hälso- och sjukvårdsinsatser som övergår till kommunen.".into(),
            );
        } else if let Some(message) = problem("Insatserna", interventions, LONG_TEXT_CHARS, true) {
            error("interventions", message);
        }
        let shared = match input.shared_responsibility.trim() {
            "ja" => Some(true),
            "nej" => Some(false),
            _ => None,
        };
        if kind == Some(InterventionKind::Point) && shared.is_none() {
            error(
                "shared_responsibility",
                "Vid punktinsatser: ange om parterna har delat ansvar för insatserna.".into(),
            );
        }
        match (start_date, kind) {
            (Some(start_date), Some(kind)) if errors.is_empty() => Ok(EnrollmentTerms {
                care_level: care_level.to_owned(),
                start_date,
                responsible_units: units.to_owned(),
                kind,
                interventions: interventions.to_owned(),
                shared_responsibility: shared.filter(|_| kind == InterventionKind::Point),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    fn rules() -> RuleSet {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml")).unwrap()
    }

    #[test]
    fn point_interventions_say_whether_responsibility_is_shared() {
        let rules = rules();
        let input = EnrollmentInput {
            care_level: "hemsjukvard-ssk",
            start_date: "2026-12-07",
            responsible_units: "Hemsjukvården Örebro",
            kind: "punktinsats",
            interventions: "B12-injektion var tredje månad.",
            shared_responsibility: "",
        };
        let errors = EnrollmentTerms::parse(&input, &rules.enrollment).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["shared_responsibility"]
        );
        let terms = EnrollmentTerms::parse(
            &EnrollmentInput {
                shared_responsibility: "ja",
                ..input.clone()
            },
            &rules.enrollment,
        )
        .unwrap();
        assert_eq!(terms.shared_responsibility, Some(true));
        let coordinated = EnrollmentTerms::parse(
            &EnrollmentInput {
                kind: "samordnad",
                shared_responsibility: "ja",
                ..input
            },
            &rules.enrollment,
        )
        .unwrap();
        assert_eq!(coordinated.shared_responsibility, None);
    }

    #[test]
    fn the_care_level_comes_from_the_rule_set() {
        let rules = rules();
        let errors = EnrollmentTerms::parse(
            &EnrollmentInput {
                care_level: "Hemsjukvård, lite grann",
                ..EnrollmentInput::default()
            },
            &rules.enrollment,
        )
        .unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field).collect::<Vec<_>>(),
            [
                "care_level",
                "start_date",
                "responsible_units",
                "intervention_kind",
                "interventions"
            ]
        );
        assert_eq!(
            rules.enrollment.care_level("palliativ"),
            Some("Palliativ vård i hemmet")
        );
    }
}
