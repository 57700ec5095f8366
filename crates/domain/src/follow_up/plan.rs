//! The yearly follow-up plan (*uppföljningsplan*): under each of the four parts, the methods
//! chefsgruppen has chosen, who carries each out and by when, and afterwards whether it was done,
//! with a comment — the table "Område · Mätmetod · Genomfört · Kommentar" of the follow-up
//! report. A new year starts from the rule set's defaults; the 2025 plan as published ships as
//! data.

use super::field;
use super::rules::YearlyFollowUpRules;
use crate::FieldError;
use jiff::civil::{Date, date};

/// One method of a year's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMethod {
    pub part: u8,
    pub label: String,
    pub responsible: String,
    pub due_on: Date,
    /// Genomfört: yes, no, or not yet judged.
    pub done: Option<bool>,
    pub comment: String,
}

/// The plan a year starts from: the rule set's methods, due in that year.
pub fn defaults(rules: &YearlyFollowUpRules, year: i16) -> Vec<PlannedMethod> {
    rules
        .methods
        .iter()
        .map(|m| PlannedMethod {
            part: m.part,
            label: m.label.clone(),
            responsible: m.responsible.clone(),
            due_on: date(year, m.due.0, m.due.1),
            done: None,
            comment: String::new(),
        })
        .collect()
}

/// A method as the plan's form sends it.
#[derive(Debug, Clone, Default)]
pub struct MethodInput<'a> {
    pub part: &'a str,
    pub label: &'a str,
    pub responsible: &'a str,
    pub due_on: &'a str,
    /// "ja", "nej" or empty.
    pub done: &'a str,
    pub comment: &'a str,
}

impl MethodInput<'_> {
    /// The method, or what is wrong with each field. A method judged not done needs a comment
    /// saying why, as every "Nej" in the published table has.
    pub fn parse(&self) -> Result<PlannedMethod, Vec<FieldError>> {
        let mut errors = Vec::new();
        let part = match self.part.trim().parse::<u8>() {
            Ok(p) if (1..=4).contains(&p) => p,
            _ => {
                errors.push(field("part", "Välj en av uppföljningens fyra delar."));
                0
            }
        };
        let label = self.label.trim();
        if label.is_empty() {
            errors.push(field("label", "Skriv vilken metod det är."));
        }
        if let Some(problem) = crate::text::problem("Metoden", label, 200, false) {
            errors.push(field("label", problem));
        }
        let responsible = self.responsible.trim();
        if responsible.is_empty() {
            errors.push(field("responsible", "Skriv vem som ansvarar för metoden."));
        }
        let due_on = self.due_on.trim().parse::<Date>().ok();
        if due_on.is_none() {
            errors.push(field(
                "due_on",
                "Ange när metoden ska vara genomförd som ÅÅÅÅ-MM-DD, t.ex. 2026-11-15.",
            ));
        }
        let done = match self.done.trim() {
            "ja" => Some(true),
            "nej" => Some(false),
            "" => None,
            _ => {
                errors.push(field("done", "Välj Ja, Nej eller Inte bedömt."));
                None
            }
        };
        let comment = self.comment.trim();
        if done == Some(false) && comment.is_empty() {
            errors.push(field(
                "comment",
                "Skriv varför metoden inte genomfördes, och vad som görs i stället.",
            ));
        }
        if let Some(problem) = crate::text::problem("Kommentaren", comment, 2000, true) {
            errors.push(field("comment", problem));
        }
        match due_on {
            Some(due_on) if errors.is_empty() => Ok(PlannedMethod {
                part,
                label: label.to_owned(),
                responsible: responsible.to_owned(),
                due_on,
                done,
                comment: comment.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// A published year's plan, read from its shipped file (`year;part;method;done;comment`, one
/// line per method, a header first). A line that is wrong names its number.
pub fn published(text: &str) -> Result<Vec<(i16, PlannedMethod)>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(';').collect();
        let wrong = |what: &str| format!("rad {}: {what}", n + 1);
        let [year, part, method, done, comment] = cells[..] else {
            return Err(wrong("ska ha fem fält åtskilda av semikolon"));
        };
        let year: i16 = year.parse().map_err(|_| wrong("året är inte ett år"))?;
        let part: u8 = part
            .parse()
            .ok()
            .filter(|p| (1..=4).contains(p))
            .ok_or_else(|| wrong("delen ska vara 1–4"))?;
        let done = match done {
            "Ja" => Some(true),
            "Nej" => Some(false),
            _ => return Err(wrong("Genomfört ska vara Ja eller Nej")),
        };
        out.push((
            year,
            PlannedMethod {
                part,
                label: method.to_owned(),
                responsible: String::new(),
                due_on: date(year, 12, 31),
                done,
                comment: comment.to_owned(),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../../rules/orebro-2025/follow_up_plan_2025.csv");

    #[test]
    fn the_published_2025_plan_reads_as_the_report_prints_it() {
        let plan = published(SHIPPED).unwrap();
        assert_eq!(plan.len(), 7);
        assert!(plan.iter().all(|(year, _)| *year == 2025));
        let (_, first) = &plan[0];
        assert_eq!(
            (first.part, first.label.as_str(), first.done),
            (1, "Vård- och omsorgskollen", Some(false))
        );
        let done: Vec<&str> = plan
            .iter()
            .filter(|(_, m)| m.done == Some(true))
            .map(|(_, m)| m.label.as_str())
            .collect();
        assert_eq!(
            done,
            [
                "Uppföljning av samverkan mellan vårdcentral och kommun",
                "Mätning av hemsjukvård"
            ]
        );
        assert!(
            published("år;del\n2025;9;x;Ja;\n")
                .unwrap_err()
                .starts_with("rad 2")
        );
    }

    #[test]
    fn a_method_not_done_needs_a_comment_and_every_field_is_named() {
        let input = MethodInput {
            part: "2",
            label: "Dialogträff",
            responsible: "Chefsgruppen",
            due_on: "2026-06-30",
            done: "nej",
            comment: "",
        };
        let fields: Vec<&str> = input.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["comment"]);
        let ok = MethodInput {
            comment: "Hålls våren 2027.",
            ..input.clone()
        };
        assert_eq!(ok.parse().unwrap().done, Some(false));
        let empty = MethodInput::default().parse().unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["part", "label", "responsible", "due_on"]);
    }
}
