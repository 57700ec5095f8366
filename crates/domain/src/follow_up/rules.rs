//! The `[follow_up]` section of the rule set: the yearly follow-up plan's four parts and default
//! methods, the joint survey of each vårdcentral and its municipality (due date, scale, variants,
//! areas and questions), and the sample check of medical treatment plans (how many per party, the
//! checklist). *Principer för samverkan och ekonomisk reglering* §12 lets chefsgruppen change all
//! of it before each year's plan, so none of it is code.

use crate::rules::RuleSetError;
use crate::rules::error::invalid;
use serde::Deserialize;

/// One of the plan's four parts (*del*), numbered as the framework numbers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub number: u8,
    pub label: String,
}

/// A method (*mätmetod*) the plan offers by default, under one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    pub code: String,
    pub part: u8,
    pub label: String,
    /// Who carries it out unless chefsgruppen names someone else.
    pub responsible: String,
    /// Due as month and day of the plan's year.
    pub due: (i8, i8),
}

/// A survey variant (*hälso- och sjukvård i hemmet* or *särskilt boende*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub code: String,
    pub label: String,
}

/// An area of the survey, in the order of the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub code: String,
    pub label: String,
}

/// A question, under one area, asked in some variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub code: String,
    pub area: String,
    pub text: String,
    pub variants: Vec<String>,
}

/// The questionnaire the pairs answer together; `version` names it in every answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRules {
    pub version: String,
    /// Due as month and day of the survey's year (15 November in the framework).
    pub due: (i8, i8),
    /// Pairs that have not submitted are reminded this many days before the due date.
    pub reminder_days: u32,
    /// The answers' labels from the lowest (1) to the highest.
    pub scale: Vec<String>,
    pub variants: Vec<Variant>,
    pub areas: Vec<Area>,
    pub questions: Vec<Question>,
}

impl SurveyRules {
    pub fn variant(&self, code: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.code == code)
    }

    /// The questions of a variant, in the order of the areas.
    pub fn questions_of(&self, variant: &str) -> Vec<&Question> {
        self.areas
            .iter()
            .flat_map(|area| {
                self.questions
                    .iter()
                    .filter(move |q| q.area == area.code && q.variants.iter().any(|v| v == variant))
            })
            .collect()
    }

    pub fn area_label<'a>(&'a self, code: &'a str) -> &'a str {
        self.areas
            .iter()
            .find(|a| a.code == code)
            .map_or(code, |a| a.label.as_str())
    }
}

/// One point of the sample check's checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckPoint {
    pub code: String,
    pub label: String,
}

/// The sample check (*stickprov*) of medical treatment plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleCheckRules {
    pub plans_per_party: u32,
    pub checklist: Vec<CheckPoint>,
}

/// What chefsgruppen has set for the yearly follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearlyFollowUpRules {
    pub parts: Vec<Part>,
    pub methods: Vec<Method>,
    pub survey: SurveyRules,
    pub sample_check: SampleCheckRules,
}

impl YearlyFollowUpRules {
    pub fn part_label(&self, number: u8) -> &str {
        self.parts
            .iter()
            .find(|p| p.number == number)
            .map_or("", |p| p.label.as_str())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawYearlyFollowUpRules {
    parts: Vec<RawPart>,
    methods: Vec<RawMethod>,
    survey: RawSurvey,
    sample_check: RawSampleCheck,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    part: u8,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMethod {
    code: String,
    part: u8,
    label: String,
    responsible: String,
    due: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSurvey {
    version: String,
    due: String,
    reminder_days: u32,
    scale: Vec<String>,
    variants: Vec<RawLabelled>,
    areas: Vec<RawLabelled>,
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabelled {
    code: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    code: String,
    area: String,
    text: String,
    variants: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSampleCheck {
    plans_per_party: u32,
    checklist: Vec<RawLabelled>,
}

fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A "MM-DD" month and day that exists in every year (29 February does not).
fn month_day(key: &str, text: &str) -> Result<(i8, i8), RuleSetError> {
    let parsed = text.split_once('-').and_then(|(m, d)| {
        let (m, d) = (m.parse::<i8>().ok()?, d.parse::<i8>().ok()?);
        jiff::civil::Date::new(2025, m, d).ok().map(|_| (m, d))
    });
    parsed.ok_or_else(|| invalid(key, "måste vara månad och dag, MM-DD, t.ex. 11-15"))
}

fn labelled(key: &str, raw: Vec<RawLabelled>) -> Result<Vec<(String, String)>, RuleSetError> {
    if raw.is_empty() {
        return Err(invalid(key, "måste ha minst en post"));
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for (n, item) in raw.into_iter().enumerate() {
        if !code_ok(&item.code) {
            return Err(invalid(
                format!("{key}[{n}].code"),
                "måste vara små bokstäver a–z, siffror och -",
            ));
        }
        if out.iter().any(|(c, _)| *c == item.code) {
            return Err(invalid(format!("{key}[{n}].code"), "finns redan"));
        }
        if item.label.trim().is_empty() {
            return Err(invalid(format!("{key}[{n}].label"), "får inte vara tom"));
        }
        out.push((item.code, item.label));
    }
    Ok(out)
}

impl RawYearlyFollowUpRules {
    pub fn validate(self) -> Result<YearlyFollowUpRules, RuleSetError> {
        let numbers: Vec<u8> = self.parts.iter().map(|p| p.part).collect();
        if numbers != [1, 2, 3, 4] {
            return Err(invalid(
                "follow_up.parts",
                "måste vara de fyra delarna 1, 2, 3 och 4, i ordning",
            ));
        }
        let mut parts = Vec::new();
        for (n, raw) in self.parts.into_iter().enumerate() {
            if raw.label.trim().is_empty() {
                return Err(invalid(
                    format!("follow_up.parts[{n}].label"),
                    "får inte vara tom",
                ));
            }
            parts.push(Part {
                number: raw.part,
                label: raw.label,
            });
        }
        let mut methods: Vec<Method> = Vec::new();
        for (n, raw) in self.methods.into_iter().enumerate() {
            let key = |field: &str| format!("follow_up.methods[{n}].{field}");
            if !code_ok(&raw.code) {
                return Err(invalid(
                    key("code"),
                    "måste vara små bokstäver a–z, siffror och -",
                ));
            }
            if methods.iter().any(|m| m.code == raw.code) {
                return Err(invalid(key("code"), "finns redan"));
            }
            if !(1..=4).contains(&raw.part) {
                return Err(invalid(key("part"), "måste vara 1, 2, 3 eller 4"));
            }
            for (field, text) in [("label", &raw.label), ("responsible", &raw.responsible)] {
                if text.trim().is_empty() {
                    return Err(invalid(key(field), "får inte vara tom"));
                }
            }
            methods.push(Method {
                due: month_day(&key("due"), &raw.due)?,
                code: raw.code,
                part: raw.part,
                label: raw.label,
                responsible: raw.responsible,
            });
        }
        if methods.is_empty() {
            return Err(invalid("follow_up.methods", "måste ha minst en metod"));
        }
        let survey = self.survey.validate()?;
        let checklist = labelled(
            "follow_up.sample_check.checklist",
            self.sample_check.checklist,
        )?
        .into_iter()
        .map(|(code, label)| CheckPoint { code, label })
        .collect();
        if !(1..=100).contains(&self.sample_check.plans_per_party) {
            return Err(invalid(
                "follow_up.sample_check.plans_per_party",
                "måste vara mellan 1 och 100",
            ));
        }
        Ok(YearlyFollowUpRules {
            parts,
            methods,
            survey,
            sample_check: SampleCheckRules {
                plans_per_party: self.sample_check.plans_per_party,
                checklist,
            },
        })
    }
}

impl RawSurvey {
    fn validate(self) -> Result<SurveyRules, RuleSetError> {
        if self.version.trim().is_empty() {
            return Err(invalid("follow_up.survey.version", "får inte vara tom"));
        }
        let due = month_day("follow_up.survey.due", &self.due)?;
        if self.reminder_days > 60 {
            return Err(invalid(
                "follow_up.survey.reminder_days",
                "får vara högst 60 dagar",
            ));
        }
        if !(2..=10).contains(&self.scale.len()) || self.scale.iter().any(|s| s.trim().is_empty()) {
            return Err(invalid(
                "follow_up.survey.scale",
                "måste ha 2–10 steg, vart och ett med en text",
            ));
        }
        let variants: Vec<Variant> = labelled("follow_up.survey.variants", self.variants)?
            .into_iter()
            .map(|(code, label)| Variant { code, label })
            .collect();
        let areas: Vec<Area> = labelled("follow_up.survey.areas", self.areas)?
            .into_iter()
            .map(|(code, label)| Area { code, label })
            .collect();
        let mut questions: Vec<Question> = Vec::new();
        for (n, raw) in self.questions.into_iter().enumerate() {
            let key = |field: &str| format!("follow_up.survey.questions[{n}].{field}");
            if !code_ok(&raw.code) {
                return Err(invalid(
                    key("code"),
                    "måste vara små bokstäver a–z, siffror och -",
                ));
            }
            if questions.iter().any(|q| q.code == raw.code) {
                return Err(invalid(key("code"), "finns redan"));
            }
            if !areas.iter().any(|a| a.code == raw.area) {
                return Err(invalid(key("area"), "måste vara ett av enkätens områden"));
            }
            if raw.text.trim().is_empty() {
                return Err(invalid(key("text"), "får inte vara tom"));
            }
            if raw.variants.is_empty()
                || raw
                    .variants
                    .iter()
                    .any(|v| !variants.iter().any(|x| &x.code == v))
            {
                return Err(invalid(
                    key("variants"),
                    "måste vara en eller flera av enkätens varianter",
                ));
            }
            questions.push(Question {
                code: raw.code,
                area: raw.area,
                text: raw.text,
                variants: raw.variants,
            });
        }
        for variant in &variants {
            for area in &areas {
                let asked = questions
                    .iter()
                    .any(|q| q.area == area.code && q.variants.contains(&variant.code));
                if !asked {
                    return Err(invalid(
                        "follow_up.survey.questions",
                        format!(
                            "varianten {} saknar frågor i området {}",
                            variant.code, area.code
                        ),
                    ));
                }
            }
        }
        Ok(SurveyRules {
            version: self.version,
            due,
            reminder_days: self.reminder_days,
            scale: self.scale,
            variants,
            areas,
            questions,
        })
    }
}
