//! The fastställd plan as the document handed to the person: plain Swedish, her contacts first,
//! then what to do if she gets worse, and every signature. The same text is the PDF from the
//! plan page and from Min sida.

use jiff::civil::Date;
use samsyn_domain::RuleSet;
use samsyn_domain::Side;
use samsyn_domain::care::treatment_plan::{Contact, PlanItem};
use samsyn_reports::care::plan_pdf::PlanDocument;
use samsyn_store::care::treatment_plan::StoredPlanVersion;

fn contact(label: &str, c: &Contact) -> String {
    format!("{label}: {}, telefon {}", c.name, c.phone)
}

/// The document of `version` for `person`, with the next follow-up and the day it is printed.
pub fn document(
    person: &str,
    version: &StoredPlanVersion,
    next_follow_up: Option<Date>,
    rules: &RuleSet,
    printed_on: Date,
) -> PlanDocument {
    let c = &version.content;
    let rules_example = rules.example;
    let citation = rules
        .citations
        .treatment_plan
        .as_ref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let rules = &rules.treatment_plan;
    let shown = |item: PlanItem| item.shown(c, rules);
    let coordinator = match c.coordinator {
        Some(Side::Sender) => format!(
            "{} samordnar din vård och är den du i första hand kontaktar.",
            c.region_care_contact.name
        ),
        Some(Side::Receiver) => format!(
            "{} samordnar din vård och är den du i första hand kontaktar.",
            c.municipality_care_contact.name
        ),
        None => String::new(),
    };
    let established = version
        .established_at
        .map(|at| format!(", fastställd {}", at.strftime("%Y-%m-%d")))
        .unwrap_or_default();
    let mut follow_up = vec![shown(PlanItem::FollowUp), shown(PlanItem::Frequency)];
    if let Some(next) = next_follow_up {
        follow_up.push(format!("Nästa uppföljning: {next}."));
    }
    PlanDocument {
        title: "Din medicinska behandlingsplan".into(),
        subtitle: format!("{person}. Version {}{established}.", version.number),
        sections: vec![
            (
                "Dina kontakter".into(),
                vec![
                    contact("Fast läkarkontakt på vårdcentralen", &c.region_doctor),
                    contact("Fast vårdkontakt på vårdcentralen", &c.region_care_contact),
                    contact("Fast vårdkontakt i kommunen", &c.municipality_care_contact),
                    coordinator,
                ],
            ),
            (
                "Om du blir sämre".into(),
                vec![shown(PlanItem::Deterioration), shown(PlanItem::ActionPlan)],
            ),
            (
                "Bedömning av prognos".into(),
                vec![shown(PlanItem::Prognosis)],
            ),
            (
                "Insatser som kommunen utför".into(),
                vec![shown(PlanItem::PointInterventions)],
            ),
            ("Uppföljning".into(), follow_up),
            (
                "Underskrifter".into(),
                version
                    .signatures
                    .iter()
                    .map(|s| {
                        format!(
                            "{}: {}, {}, {}",
                            match s.side {
                                Side::Sender => "Regionen",
                                Side::Receiver => "Kommunen",
                            },
                            s.user_name,
                            s.unit_name,
                            s.at.strftime("%Y-%m-%d")
                        )
                    })
                    .collect(),
            ),
        ],
        charts: Vec::new(),
        footer: format!(
            "Medicinsk behandlingsplan enligt överenskommelsen{citation}. Utskriven {printed_on} ur Samsyn.{}",
            if rules_example {
                " EXEMPEL: påhittad region, inga riktiga patienter."
            } else {
                ""
            }
        ),
    }
}
