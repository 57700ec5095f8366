//! The rule set's citations as a page puts them after a sentence: " (Avtalet, §3.1.7)", or
//! nothing where the region's rule set gives none for that process.

use samsyn_domain::rules::citations::Citations;

/// Each process's citation in parentheses with a leading space, or empty.
#[derive(Debug, Clone, Default)]
pub struct Cite {
    pub decision: String,
    pub joint_planning: String,
    pub treatment_plan: String,
    pub sip: String,
    pub psychiatric_medication: String,
    pub discharge: String,
    pub rehabilitation: String,
    pub closure: String,
    pub disagreement: String,
    pub deviation: String,
    pub follow_up: String,
}

fn parenthesised(citation: &Option<String>) -> String {
    citation
        .as_deref()
        .map(|text| format!(" ({text})"))
        .unwrap_or_default()
}

impl Cite {
    pub fn of(citations: &Citations) -> Cite {
        Cite {
            decision: parenthesised(&citations.decision),
            joint_planning: parenthesised(&citations.joint_planning),
            treatment_plan: parenthesised(&citations.treatment_plan),
            sip: parenthesised(&citations.sip),
            psychiatric_medication: parenthesised(&citations.psychiatric_medication),
            discharge: parenthesised(&citations.discharge),
            rehabilitation: parenthesised(&citations.rehabilitation),
            closure: parenthesised(&citations.closure),
            disagreement: parenthesised(&citations.disagreement),
            deviation: parenthesised(&citations.deviation),
            follow_up: parenthesised(&citations.follow_up),
        }
    }
}
