//! The sample check of medical treatment plans (*stickprov*, the follow-up plan for 2027): a
//! reproducible draw of plans per municipality for a period, each reviewed against the rule set's
//! checklist, and the results per party. The draw is the access-log review's (same seed, same
//! plans), so anyone can verify which plans were picked.

use super::field;
use super::rules::SampleCheckRules;
use crate::FieldError;
use crate::log_review::draw_sample;
use std::collections::BTreeMap;

/// A plan that may be drawn: fastställd within the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub case_id: String,
    pub plan_id: String,
    /// The municipality of the case (SCB code).
    pub municipality: String,
}

/// The plans drawn: up to `per_party` per municipality, municipalities in code order and each
/// one's plans in the order drawn. Candidates are taken in plan-id order, so the same candidates
/// and seed always give the same sample.
pub fn draw(candidates: &[Candidate], per_party: u32, seed: u64) -> Vec<Candidate> {
    let mut by_party: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for candidate in candidates {
        by_party
            .entry(candidate.municipality.as_str())
            .or_default()
            .push(candidate);
    }
    let mut drawn = Vec::new();
    for (n, (_, mut list)) in by_party.into_iter().enumerate() {
        list.sort_by(|a, b| a.plan_id.cmp(&b.plan_id));
        let party_seed = seed.wrapping_add(n as u64);
        for position in draw_sample(list.len(), per_party as usize, party_seed) {
            drawn.push(list[position].clone());
        }
    }
    drawn
}

/// One reviewed plan: yes or no per checkpoint, and a note.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Review {
    pub findings: BTreeMap<String, bool>,
    pub note: String,
}

/// The review form: "ja" or "nej" per checkpoint code.
pub fn parse_review(
    rules: &SampleCheckRules,
    answers: &[(String, String)],
    note: &str,
) -> Result<Review, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut findings = BTreeMap::new();
    for point in &rules.checklist {
        match answers
            .iter()
            .find(|(code, _)| *code == point.code)
            .map(|(_, v)| v.as_str())
        {
            Some("ja") => {
                findings.insert(point.code.clone(), true);
            }
            Some("nej") => {
                findings.insert(point.code.clone(), false);
            }
            _ => errors.push(field(
                "findings",
                format!("Svara ja eller nej på ”{}”.", point.label),
            )),
        }
    }
    if findings.values().any(|ok| !ok) && note.trim().is_empty() {
        errors.push(field(
            "note",
            "Beskriv bristerna, så att enheterna kan åtgärda dem.",
        ));
    }
    if let Some(problem) = crate::text::problem("Anteckningen", note.trim(), 2000, true) {
        errors.push(field("note", problem));
    }
    if errors.is_empty() {
        Ok(Review {
            findings,
            note: note.trim().to_owned(),
        })
    } else {
        Err(errors)
    }
}

/// Per municipality and checkpoint: how many reviewed plans met it, of how many reviewed.
pub fn results(
    rules: &SampleCheckRules,
    reviewed: &[(String, Review)],
) -> BTreeMap<String, Vec<(String, usize, usize)>> {
    let mut out: BTreeMap<String, Vec<(String, usize, usize)>> = BTreeMap::new();
    for (municipality, review) in reviewed {
        let row = out.entry(municipality.clone()).or_insert_with(|| {
            rules
                .checklist
                .iter()
                .map(|p| (p.code.clone(), 0, 0))
                .collect()
        });
        for (code, met, of) in row.iter_mut() {
            if let Some(ok) = review.findings.get(code) {
                *of += 1;
                if *ok {
                    *met += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    fn rules() -> SampleCheckRules {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .follow_up
            .sample_check
    }

    fn candidates() -> Vec<Candidate> {
        (0..10)
            .map(|n| Candidate {
                case_id: format!("case-{n}"),
                plan_id: format!("plan-{n:02}"),
                municipality: if n < 7 { "1880" } else { "1814" }.into(),
            })
            .collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_plans_in_any_input_order() {
        let first = draw(&candidates(), 3, 42);
        let mut reversed = candidates();
        reversed.reverse();
        assert_eq!(draw(&reversed, 3, 42), first);
        assert_eq!(first.len(), 6);
        assert!(first[..3].iter().all(|c| c.municipality == "1814"));
        assert_ne!(draw(&candidates(), 3, 43), first);
        assert_eq!(
            draw(&candidates(), 20, 1).len(),
            10,
            "all when fewer than asked"
        );
    }

    #[test]
    fn a_review_answers_every_point_and_explains_a_no() {
        let rules = rules();
        let all_yes: Vec<(String, String)> = rules
            .checklist
            .iter()
            .map(|p| (p.code.clone(), "ja".to_owned()))
            .collect();
        assert!(parse_review(&rules, &all_yes, "").is_ok());
        let mut one_no = all_yes.clone();
        one_no[0].1 = "nej".into();
        let errors = parse_review(&rules, &one_no, "").unwrap_err();
        assert_eq!(errors[0].field, "note");
        let missing = parse_review(&rules, &all_yes[1..], "").unwrap_err();
        assert!(missing[0].message.contains(&rules.checklist[0].label));
        let review = parse_review(&rules, &one_no, "Delarna saknas.").unwrap();
        let results = results(
            &rules,
            &[
                ("1880".into(), review.clone()),
                (
                    "1880".into(),
                    Review {
                        findings: all_yes.iter().map(|(c, _)| (c.clone(), true)).collect(),
                        note: String::new(),
                    },
                ),
            ],
        );
        assert_eq!(results["1880"][0], (rules.checklist[0].code.clone(), 1, 2));
        assert_eq!(results["1880"][1].1, 2);
    }
}
