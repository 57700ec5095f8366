//! The joint survey (*Uppföljning av samverkan mellan vårdcentral och kommun*): each vårdcentral
//! and its municipality answer one questionnaire together, per variant, by the rule set's due
//! date. One side drafts; the other agrees, which submits it; until then either may edit or send
//! it back. Hälsoval compiles the submitted answers per area and question.

use super::field;
use super::rules::SurveyRules;
use crate::FieldError;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use std::collections::BTreeMap;

/// The two sides of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairSide {
    /// The vårdcentral.
    Region,
    /// The municipality.
    Municipality,
}

impl PairSide {
    pub fn code(self) -> &'static str {
        match self {
            PairSide::Region => "region",
            PairSide::Municipality => "kommun",
        }
    }

    pub fn from_code(code: &str) -> Option<PairSide> {
        [PairSide::Region, PairSide::Municipality]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PairSide::Region => "vårdcentralen",
            PairSide::Municipality => "kommunen",
        }
    }
}

/// Where an answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyStatus {
    /// Utkast: either side fills it in.
    Draft,
    /// För godkännande: the drafting side has asked the other to agree.
    AwaitingAgreement,
    /// Inskickad: agreed by both and submitted to Hälsoval; no longer changed.
    Submitted,
}

impl SurveyStatus {
    pub fn code(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "utkast",
            SurveyStatus::AwaitingAgreement => "for-godkannande",
            SurveyStatus::Submitted => "inskickad",
        }
    }

    pub fn from_code(code: &str) -> Option<SurveyStatus> {
        [
            SurveyStatus::Draft,
            SurveyStatus::AwaitingAgreement,
            SurveyStatus::Submitted,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "Utkast",
            SurveyStatus::AwaitingAgreement => "Väntar på godkännande",
            SurveyStatus::Submitted => "Inskickad",
        }
    }
}

/// A step on an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyStep {
    /// Spara: keep what is written (a draft, or the agreeing side's corrections).
    Save,
    /// Be om godkännande: the drafting side asks the other to agree.
    AskAgreement,
    /// Skicka tillbaka: the other side returns it to the draft with its view.
    SendBack,
    /// Godkänn och skicka in: the other side agrees, which submits it.
    AgreeAndSubmit,
}

/// The status after `step` by `side`, or why the step is not possible now.
pub fn next_status(
    status: SurveyStatus,
    step: SurveyStep,
    side: PairSide,
    drafting_side: PairSide,
) -> Result<SurveyStatus, &'static str> {
    use SurveyStatus::*;
    use SurveyStep::*;
    match (status, step) {
        (Submitted, _) => Err("Enkäten är redan inskickad och kan inte ändras."),
        (Draft, Save) => Ok(Draft),
        (Draft, AskAgreement) => Ok(AwaitingAgreement),
        (Draft, _) => Err("Utkastet måste först skickas för godkännande."),
        (AwaitingAgreement, _) if side == drafting_side => {
            Err("Den andra parten i paret godkänner eller skickar tillbaka enkäten.")
        }
        (AwaitingAgreement, SendBack) | (AwaitingAgreement, Save) => Ok(Draft),
        (AwaitingAgreement, AgreeAndSubmit) => Ok(Submitted),
        (AwaitingAgreement, AskAgreement) => Err("Enkäten väntar redan på godkännande."),
    }
}

/// One question's answer: a step of the scale (1 is the lowest) and a comment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuestionAnswer {
    pub score: Option<u8>,
    pub comment: String,
}

/// What a pair has written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SurveyContent {
    /// By question code.
    pub answers: BTreeMap<String, QuestionAnswer>,
    pub strengths: String,
    pub improvements: String,
    pub challenges: String,
    /// Who took part from the vårdcentral (managers and professions).
    pub region_participants: String,
    /// Who took part from the municipality.
    pub municipality_participants: String,
}

/// A question's answer as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput<'a> {
    pub question: &'a str,
    pub score: &'a str,
    pub comment: &'a str,
}

/// The survey's form.
#[derive(Debug, Clone, Default)]
pub struct SurveyInput<'a> {
    pub answers: Vec<AnswerInput<'a>>,
    pub strengths: &'a str,
    pub improvements: &'a str,
    pub challenges: &'a str,
    pub region_participants: &'a str,
    pub municipality_participants: &'a str,
}

impl SurveyInput<'_> {
    /// What may be kept as a draft: scores on the scale, texts within limits. Questions not in
    /// the variant are ignored.
    pub fn parse(
        &self,
        rules: &SurveyRules,
        variant: &str,
    ) -> Result<SurveyContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut answers = BTreeMap::new();
        for (n, question) in rules.questions_of(variant).into_iter().enumerate() {
            let given = self.answers.iter().find(|a| a.question == question.code);
            let score = given.map_or("", |a| a.score.trim());
            let score = match score {
                "" => None,
                s => match s.parse::<u8>() {
                    Ok(v) if (1..=rules.scale.len()).contains(&usize::from(v)) => Some(v),
                    _ => {
                        errors.push(field(
                            "answers",
                            format!("Fråga {}: välj ett av svarsalternativen.", n + 1),
                        ));
                        None
                    }
                },
            };
            let comment = given.map_or("", |a| a.comment.trim());
            if let Some(problem) = crate::text::problem(
                &format!("Kommentaren till fråga {}", n + 1),
                comment,
                2000,
                true,
            ) {
                errors.push(field("answers", problem));
            }
            answers.insert(
                question.code.clone(),
                QuestionAnswer {
                    score,
                    comment: comment.to_owned(),
                },
            );
        }
        let texts = [
            ("strengths", "Styrkor", self.strengths),
            ("improvements", "Förbättringar", self.improvements),
            ("challenges", "Utmaningar", self.challenges),
            (
                "region_participants",
                "Deltagare från vårdcentralen",
                self.region_participants,
            ),
            (
                "municipality_participants",
                "Deltagare från kommunen",
                self.municipality_participants,
            ),
        ];
        for (name, label, value) in texts {
            if let Some(problem) = crate::text::problem(label, value.trim(), 4000, true) {
                errors.push(field(name, problem));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SurveyContent {
            answers,
            strengths: self.strengths.trim().to_owned(),
            improvements: self.improvements.trim().to_owned(),
            challenges: self.challenges.trim().to_owned(),
            region_participants: self.region_participants.trim().to_owned(),
            municipality_participants: self.municipality_participants.trim().to_owned(),
        })
    }

    /// What was typed, as far as it reads, to show the form again after a refusal: scores off
    /// the scale are left out, texts are kept as they are.
    pub fn as_typed(&self, rules: &SurveyRules, variant: &str) -> SurveyContent {
        let answers = rules
            .questions_of(variant)
            .into_iter()
            .map(|q| {
                let given = self.answers.iter().find(|a| a.question == q.code);
                let score = given
                    .and_then(|a| a.score.trim().parse::<u8>().ok())
                    .filter(|s| (1..=rules.scale.len()).contains(&usize::from(*s)));
                let comment = given.map_or("", |a| a.comment).to_owned();
                (q.code.clone(), QuestionAnswer { score, comment })
            })
            .collect();
        SurveyContent {
            answers,
            strengths: self.strengths.to_owned(),
            improvements: self.improvements.to_owned(),
            challenges: self.challenges.to_owned(),
            region_participants: self.region_participants.to_owned(),
            municipality_participants: self.municipality_participants.to_owned(),
        }
    }
}

/// What a draft lacks before it can go for agreement: every question answered, and who took
/// part from each side (the survey asks for managers and professions from both).
pub fn missing_for_agreement(
    content: &SurveyContent,
    rules: &SurveyRules,
    variant: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (n, question) in rules.questions_of(variant).into_iter().enumerate() {
        let answered = content
            .answers
            .get(&question.code)
            .is_some_and(|a| a.score.is_some());
        if !answered {
            errors.push(field(
                "answers",
                format!("Fråga {} är inte besvarad: {}", n + 1, question.text),
            ));
        }
    }
    if content.region_participants.is_empty() {
        errors.push(field(
            "region_participants",
            "Skriv vilka som deltog från vårdcentralen (chef och professioner).",
        ));
    }
    if content.municipality_participants.is_empty() {
        errors.push(field(
            "municipality_participants",
            "Skriv vilka som deltog från kommunen (chef och professioner).",
        ));
    }
    errors
}

/// The survey's due date in `year`.
pub fn due_on(rules: &SurveyRules, year: i16) -> Date {
    date(year, rules.due.0, rules.due.1)
}

/// Where a pair's answer stands against the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Not submitted; the reminder period has not begun.
    Open,
    /// Not submitted, due within the reminder period: pairs are reminded.
    Reminder,
    /// Not submitted and the due date has passed.
    Overdue,
    /// Submitted by the due date.
    OnTime,
    /// Submitted after the due date.
    Late,
}

impl Timeliness {
    /// Past the due date, submitted or not.
    pub fn is_late(self) -> bool {
        matches!(self, Timeliness::Overdue | Timeliness::Late)
    }

    /// Not submitted, and due within the reminder days or past it: the pair is reminded.
    pub fn needs_reminder(self) -> bool {
        matches!(self, Timeliness::Reminder | Timeliness::Overdue)
    }

    pub fn label(self) -> &'static str {
        match self {
            Timeliness::Open => "Ej inskickad",
            Timeliness::Reminder => "Påminnelse: snart sista dag",
            Timeliness::Overdue => "Försenad",
            Timeliness::OnTime => "Inskickad i tid",
            Timeliness::Late => "Inskickad sent",
        }
    }
}

pub fn timeliness(
    due: Date,
    reminder_days: u32,
    today: Date,
    submitted_on: Option<Date>,
) -> Timeliness {
    match submitted_on {
        Some(on) if on <= due => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if today > due => Timeliness::Overdue,
        None if today >= due.saturating_sub(i64::from(reminder_days).days()) => {
            Timeliness::Reminder
        }
        None => Timeliness::Open,
    }
}

/// One question's submitted answers across the county.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuestionSummary {
    pub code: String,
    pub area: String,
    pub text: String,
    /// How many pairs chose each step of the scale, lowest first.
    pub distribution: Vec<usize>,
    /// The county mean, on the scale, when anyone answered.
    pub mean: Option<f64>,
    /// The comments written, with the pair that wrote each.
    pub comments: Vec<(String, String)>,
}

/// A submitted answer as the compilation reads it: the pair's name and what it wrote.
#[derive(Debug, Clone)]
pub struct SubmittedAnswer {
    pub pair: String,
    pub content: SurveyContent,
}

/// Per question of a variant: the distribution over the scale, the county mean and the comments.
pub fn compile(
    rules: &SurveyRules,
    variant: &str,
    answers: &[SubmittedAnswer],
) -> Vec<QuestionSummary> {
    rules
        .questions_of(variant)
        .into_iter()
        .map(|question| {
            let mut distribution = vec![0usize; rules.scale.len()];
            let mut comments = Vec::new();
            for answer in answers {
                let Some(given) = answer.content.answers.get(&question.code) else {
                    continue;
                };
                if let Some(slot) = given
                    .score
                    .and_then(|s| usize::from(s).checked_sub(1))
                    .and_then(|i| distribution.get_mut(i))
                {
                    *slot += 1;
                }
                if !given.comment.is_empty() {
                    comments.push((answer.pair.clone(), given.comment.clone()));
                }
            }
            let count: usize = distribution.iter().sum();
            let total: usize = distribution
                .iter()
                .enumerate()
                .map(|(i, n)| (i + 1) * n)
                .sum();
            QuestionSummary {
                code: question.code.clone(),
                area: question.area.clone(),
                text: question.text.clone(),
                mean: (count > 0).then(|| total as f64 / count as f64),
                distribution,
                comments,
            }
        })
        .collect()
}

/// The mean of an area's question means, per area in the rule set's order.
pub fn area_means(
    rules: &SurveyRules,
    questions: &[QuestionSummary],
) -> Vec<(String, Option<f64>)> {
    rules
        .areas
        .iter()
        .map(|area| {
            let means: Vec<f64> = questions
                .iter()
                .filter(|q| q.area == area.code)
                .filter_map(|q| q.mean)
                .collect();
            let mean = (!means.is_empty()).then(|| means.iter().sum::<f64>() / means.len() as f64);
            (area.label.clone(), mean)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    fn rules() -> SurveyRules {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .follow_up
            .survey
    }

    #[test]
    fn one_side_drafts_and_the_other_agrees_which_submits() {
        use PairSide::*;
        use SurveyStatus::*;
        use SurveyStep::*;
        assert_eq!(
            next_status(Draft, AskAgreement, Region, Region),
            Ok(AwaitingAgreement)
        );
        assert!(next_status(AwaitingAgreement, AgreeAndSubmit, Region, Region).is_err());
        assert_eq!(
            next_status(AwaitingAgreement, AgreeAndSubmit, Municipality, Region),
            Ok(Submitted)
        );
        assert_eq!(
            next_status(AwaitingAgreement, SendBack, Municipality, Region),
            Ok(Draft)
        );
        assert!(next_status(Draft, AgreeAndSubmit, Municipality, Region).is_err());
        assert!(next_status(Submitted, Save, Municipality, Region).is_err());
    }

    #[test]
    fn a_draft_goes_for_agreement_only_when_every_question_and_both_sides_are_filled_in() {
        let rules = rules();
        let questions = rules.questions_of("hemsjukvard");
        assert!(questions.len() > rules.questions_of("sarskilt-boende").len());
        let mut input = SurveyInput {
            answers: questions
                .iter()
                .map(|q| AnswerInput {
                    question: &q.code,
                    score: "3",
                    comment: "",
                })
                .collect(),
            region_participants: "Verksamhetschef, distriktssköterska",
            ..SurveyInput::default()
        };
        let content = input.parse(&rules, "hemsjukvard").unwrap();
        let missing = missing_for_agreement(&content, &rules, "hemsjukvard");
        let fields: Vec<&str> = missing.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["municipality_participants"]);
        input.answers[0].score = "9";
        let errors = input.parse(&rules, "hemsjukvard").unwrap_err();
        assert_eq!(errors[0].message, "Fråga 1: välj ett av svarsalternativen.");
    }

    #[test]
    fn reminders_come_before_the_due_date_and_overdue_after() {
        let due = date(2026, 11, 15);
        assert_eq!(
            timeliness(due, 14, date(2026, 10, 31), None),
            Timeliness::Open
        );
        assert_eq!(
            timeliness(due, 14, date(2026, 11, 1), None),
            Timeliness::Reminder
        );
        assert_eq!(
            timeliness(due, 14, date(2026, 11, 16), None),
            Timeliness::Overdue
        );
        assert_eq!(
            timeliness(due, 14, date(2026, 11, 20), Some(due)),
            Timeliness::OnTime
        );
        assert_eq!(
            timeliness(due, 14, date(2026, 11, 20), Some(date(2026, 11, 16))),
            Timeliness::Late
        );
    }

    #[test]
    fn the_compilation_counts_each_step_and_means_by_question_and_area() {
        let rules = rules();
        let answer = |pair: &str, score: u8| SubmittedAnswer {
            pair: pair.into(),
            content: SurveyContent {
                answers: rules
                    .questions_of("sarskilt-boende")
                    .iter()
                    .map(|q| {
                        (
                            q.code.clone(),
                            QuestionAnswer {
                                score: Some(score),
                                comment: if score == 1 {
                                    "Saknas".into()
                                } else {
                                    String::new()
                                },
                            },
                        )
                    })
                    .collect(),
                ..SurveyContent::default()
            },
        };
        let compiled = compile(
            &rules,
            "sarskilt-boende",
            &[answer("A", 1), answer("B", 4), answer("C", 4)],
        );
        assert_eq!(compiled[0].distribution, [1, 0, 0, 2]);
        assert_eq!(compiled[0].mean, Some(3.0));
        assert_eq!(
            compiled[0].comments,
            [("A".to_owned(), "Saknas".to_owned())]
        );
        let areas = area_means(&rules, &compiled);
        assert_eq!(areas.len(), 5);
        assert!(areas.iter().all(|(_, m)| *m == Some(3.0)));
    }
}
