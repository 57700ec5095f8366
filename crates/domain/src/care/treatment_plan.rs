//! Medicinsk behandlingsplan (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.1.4, "Medicinsk
//! behandlingsplan – resultatet av planeringen"): the parties agree which care is given, and
//! "var och en av parterna ansvarar för sin dokumentation".
//!
//! The plan holds the fixed contacts (fast läkarkontakt at the vårdcentral, and a fast vårdkontakt
//! from each party), which care contact is samordningsansvarig, the five central parts and the
//! follow-up frequency. Each item belongs to one party, or to both (the coordinator, part 5 and
//! the frequency): a party writes only its own and the joint items, and signs the whole version.
//! The region's signature is a doctor's, the municipality's a nurse's. A version is *fastställd*
//! when both have signed and nothing is missing; changing a fastställd plan starts a new version,
//! and every version stays readable.

use crate::care::follow_up::FollowUpRules;
use crate::case::request::is_phone_number;
use crate::text::{LONG_TEXT_CHARS, SHORT_TEXT_CHARS, problem};
use crate::{CaseState, DecisionOutcome, FieldError, Role, Side};
use jiff::civil::Date;

/// A fixed contact (fast kontakt): who, and the number that reaches them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
}

impl Contact {
    fn is_complete(&self) -> bool {
        !self.name.is_empty() && !self.phone.is_empty()
    }

    fn shown(&self) -> String {
        match (self.name.is_empty(), self.phone.is_empty()) {
            (true, true) => String::new(),
            (false, true) => self.name.clone(),
            (true, false) => self.phone.clone(),
            (false, false) => format!("{}, tel. {}", self.name, self.phone),
        }
    }
}

/// A version's content. Empty text means not yet written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanContent {
    /// Fast läkarkontakt: the vårdcentral's doctor.
    pub region_doctor: Contact,
    /// The region's fast vårdkontakt (the vårdcentral's nurse).
    pub region_care_contact: Contact,
    /// The municipality's fast vårdkontakt (the district nurse).
    pub municipality_care_contact: Contact,
    /// Samordningsansvarig: whose care contact coordinates.
    pub coordinator: Option<Side>,
    /// Part 1: prognosis for known medical conditions and disabilities.
    pub prognosis: String,
    /// Part 2: care level and direction if serious deterioration occurs, and direct contact.
    pub deterioration: String,
    /// Part 3: for point interventions, what passes to the municipality.
    pub point_interventions: String,
    /// Part 3: whether the parties share responsibility for the care.
    pub shared_responsibility: Option<bool>,
    /// Part 4: action plan for deterioration in a known chronic disease or a new episode.
    pub action_plan: String,
    /// Part 5: when and by whom the plan is followed up.
    pub follow_up: String,
    /// Uppföljningsfrekvens: a code of the rule set's list.
    pub frequency: String,
    /// The first follow-up.
    pub first_follow_up: Option<Date>,
}

/// One item of the plan, as the page, the comparison and the check for gaps name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanItem {
    RegionDoctor,
    RegionCareContact,
    MunicipalityCareContact,
    Coordinator,
    Prognosis,
    Deterioration,
    PointInterventions,
    ActionPlan,
    FollowUp,
    Frequency,
}

impl PlanItem {
    pub const ALL: [PlanItem; 10] = [
        PlanItem::RegionDoctor,
        PlanItem::RegionCareContact,
        PlanItem::MunicipalityCareContact,
        PlanItem::Coordinator,
        PlanItem::Prognosis,
        PlanItem::Deterioration,
        PlanItem::PointInterventions,
        PlanItem::ActionPlan,
        PlanItem::FollowUp,
        PlanItem::Frequency,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PlanItem::RegionDoctor => "Fast läkarkontakt (regionen)",
            PlanItem::RegionCareContact => "Fast vårdkontakt (regionen)",
            PlanItem::MunicipalityCareContact => "Fast vårdkontakt (kommunen)",
            PlanItem::Coordinator => "Samordningsansvarig",
            PlanItem::Prognosis => "1. Prognos för kända tillstånd och funktionsnedsättningar",
            PlanItem::Deterioration => {
                "2. Vårdnivå och inriktning vid allvarlig försämring, och direktkontakt"
            }
            PlanItem::PointInterventions => "3. Punktinsatser: vad som övergår och delat ansvar",
            PlanItem::ActionPlan => "4. Handlingsplan vid försämring eller ny episod",
            PlanItem::FollowUp => "5. När och av vem planen följs upp",
            PlanItem::Frequency => "Uppföljningsfrekvens och första uppföljning",
        }
    }

    /// The party that writes the item; `None` when both may (the joint items).
    pub fn owner(self) -> Option<Side> {
        match self {
            PlanItem::RegionDoctor
            | PlanItem::RegionCareContact
            | PlanItem::Prognosis
            | PlanItem::Deterioration
            | PlanItem::ActionPlan => Some(Side::Sender),
            PlanItem::MunicipalityCareContact | PlanItem::PointInterventions => {
                Some(Side::Receiver)
            }
            PlanItem::Coordinator | PlanItem::FollowUp | PlanItem::Frequency => None,
        }
    }

    /// Whether `side` writes the item.
    pub fn written_by(self, side: Side) -> bool {
        self.owner().is_none_or(|owner| owner == side)
    }

    /// The item as the plan states it; empty while it is missing.
    pub fn shown(self, content: &PlanContent, rules: &FollowUpRules) -> String {
        match self {
            PlanItem::RegionDoctor => content.region_doctor.shown(),
            PlanItem::RegionCareContact => content.region_care_contact.shown(),
            PlanItem::MunicipalityCareContact => content.municipality_care_contact.shown(),
            PlanItem::Coordinator => match content.coordinator {
                Some(Side::Sender) => {
                    format!(
                        "Regionens vårdkontakt: {}",
                        content.region_care_contact.name
                    )
                }
                Some(Side::Receiver) => format!(
                    "Kommunens vårdkontakt: {}",
                    content.municipality_care_contact.name
                ),
                None => String::new(),
            },
            PlanItem::Prognosis => content.prognosis.clone(),
            PlanItem::Deterioration => content.deterioration.clone(),
            PlanItem::PointInterventions => match content.shared_responsibility {
                _ if content.point_interventions.is_empty() => String::new(),
                Some(true) => format!("{}\nDelat ansvar: ja", content.point_interventions),
                Some(false) => format!("{}\nDelat ansvar: nej", content.point_interventions),
                None => content.point_interventions.clone(),
            },
            PlanItem::ActionPlan => content.action_plan.clone(),
            PlanItem::FollowUp => content.follow_up.clone(),
            PlanItem::Frequency => {
                let label = rules
                    .frequency(&content.frequency)
                    .map(|f| f.label.clone())
                    .unwrap_or_default();
                match content.first_follow_up {
                    Some(first) if !label.is_empty() => {
                        format!("{label}, första uppföljning {first}")
                    }
                    _ => label,
                }
            }
        }
    }

    fn is_complete(self, content: &PlanContent, rules: &FollowUpRules) -> bool {
        match self {
            PlanItem::RegionDoctor => content.region_doctor.is_complete(),
            PlanItem::RegionCareContact => content.region_care_contact.is_complete(),
            PlanItem::MunicipalityCareContact => content.municipality_care_contact.is_complete(),
            PlanItem::Coordinator => content.coordinator.is_some(),
            PlanItem::Prognosis => !content.prognosis.is_empty(),
            PlanItem::Deterioration => !content.deterioration.is_empty(),
            PlanItem::PointInterventions => {
                !content.point_interventions.is_empty() && content.shared_responsibility.is_some()
            }
            PlanItem::ActionPlan => !content.action_plan.is_empty(),
            PlanItem::FollowUp => !content.follow_up.is_empty(),
            PlanItem::Frequency => {
                rules.frequency(&content.frequency).is_some() && content.first_follow_up.is_some()
            }
        }
    }
}

impl PlanContent {
    /// The items not yet written, in the plan's order.
    pub fn missing(&self, rules: &FollowUpRules) -> Vec<PlanItem> {
        PlanItem::ALL
            .into_iter()
            .filter(|item| !item.is_complete(self, rules))
            .collect()
    }

    /// This content with `side`'s own and the joint items replaced by `edit`'s.
    pub fn with_edit(&self, side: Side, edit: &PlanContent) -> PlanContent {
        let mut next = self.clone();
        next.coordinator = edit.coordinator;
        next.follow_up = edit.follow_up.clone();
        next.frequency = edit.frequency.clone();
        next.first_follow_up = edit.first_follow_up;
        match side {
            Side::Sender => {
                next.region_doctor = edit.region_doctor.clone();
                next.region_care_contact = edit.region_care_contact.clone();
                next.prognosis = edit.prognosis.clone();
                next.deterioration = edit.deterioration.clone();
                next.action_plan = edit.action_plan.clone();
            }
            Side::Receiver => {
                next.municipality_care_contact = edit.municipality_care_contact.clone();
                next.point_interventions = edit.point_interventions.clone();
                next.shared_responsibility = edit.shared_responsibility;
            }
        }
        next
    }
}

/// The plan form's fields as typed; only the writing party's own and the joint fields are read.
#[derive(Debug, Clone, Default)]
pub struct PlanInput<'a> {
    pub region_doctor_name: &'a str,
    pub region_doctor_phone: &'a str,
    pub region_care_name: &'a str,
    pub region_care_phone: &'a str,
    pub municipality_care_name: &'a str,
    pub municipality_care_phone: &'a str,
    /// `avsandare` (the region's care contact) or `mottagare` (the municipality's).
    pub coordinator: &'a str,
    pub prognosis: &'a str,
    pub deterioration: &'a str,
    pub point_interventions: &'a str,
    /// `ja` or `nej`.
    pub shared_responsibility: &'a str,
    pub action_plan: &'a str,
    pub follow_up: &'a str,
    pub frequency: &'a str,
    pub first_follow_up: &'a str,
}

impl<'a> PlanInput<'a> {
    /// Checks what `side` writes. Blank items are allowed (a party may save before the other has
    /// written, or before it has everything); what is written must be well formed.
    pub fn parse(
        &self,
        side: Side,
        rules: &FollowUpRules,
        today: Date,
    ) -> Result<PlanContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut contact = |name_field: &'static str,
                           phone_field: &'static str,
                           label: &str,
                           name: &str,
                           phone: &str| {
            if let Some(message) = problem(label, name.trim(), SHORT_TEXT_CHARS, false) {
                errors.push(FieldError {
                    field: name_field,
                    message,
                });
            }
            let phone = phone.trim();
            if !phone.is_empty() && !is_phone_number(phone) {
                errors.push(FieldError {
                        field: phone_field,
                        message: format!(
                            "{label}: telefonnumret får bara innehålla siffror, mellanslag och bindestreck, t.ex. 019-602 10 00."
                        ),
                    });
            }
            Contact {
                name: name.trim().to_owned(),
                phone: phone.to_owned(),
            }
        };
        let mut content = PlanContent::default();
        match side {
            Side::Sender => {
                content.region_doctor = contact(
                    "region_doctor_name",
                    "region_doctor_phone",
                    "Fast läkarkontakt",
                    self.region_doctor_name,
                    self.region_doctor_phone,
                );
                content.region_care_contact = contact(
                    "region_care_name",
                    "region_care_phone",
                    "Regionens fasta vårdkontakt",
                    self.region_care_name,
                    self.region_care_phone,
                );
            }
            Side::Receiver => {
                content.municipality_care_contact = contact(
                    "municipality_care_name",
                    "municipality_care_phone",
                    "Kommunens fasta vårdkontakt",
                    self.municipality_care_name,
                    self.municipality_care_phone,
                );
            }
        }
        let mut text = |field: &'static str, label: &str, value: &str| {
            let value = value.trim();
            if let Some(message) = problem(label, value, LONG_TEXT_CHARS, true) {
                errors.push(FieldError { field, message });
            }
            value.to_owned()
        };
        match side {
            Side::Sender => {
                content.prognosis = text("prognosis", "Prognosen", self.prognosis);
                content.deterioration = text(
                    "deterioration",
                    "Vårdnivå vid försämring",
                    self.deterioration,
                );
                content.action_plan = text("action_plan", "Handlingsplanen", self.action_plan);
            }
            Side::Receiver => {
                content.point_interventions = text(
                    "point_interventions",
                    "Punktinsatserna",
                    self.point_interventions,
                );
                content.shared_responsibility = match self.shared_responsibility.trim() {
                    "ja" => Some(true),
                    "nej" => Some(false),
                    _ => None,
                };
            }
        }
        content.follow_up = text("follow_up", "Uppföljningen", self.follow_up);
        content.coordinator = Side::from_code(self.coordinator.trim());
        let frequency = self.frequency.trim();
        if !frequency.is_empty() && rules.frequency(frequency).is_none() {
            errors.push(FieldError {
                field: "frequency",
                message: "Välj en uppföljningsfrekvens ur listan.".into(),
            });
        }
        content.frequency = frequency.to_owned();
        let first = self.first_follow_up.trim();
        content.first_follow_up = if first.is_empty() {
            None
        } else {
            match first.parse::<Date>() {
                Ok(day) if day < today => {
                    errors.push(FieldError {
                        field: "first_follow_up",
                        message: "Första uppföljningen: dagen har redan varit.".into(),
                    });
                    None
                }
                Ok(day) => Some(day),
                Err(_) => {
                    errors.push(FieldError {
                        field: "first_follow_up",
                        message: "Första uppföljningen: skriv dagen som ÅÅÅÅ-MM-DD.".into(),
                    });
                    None
                }
            }
        };
        if errors.is_empty() {
            Ok(content)
        } else {
            Err(errors)
        }
    }
}

/// Why a party may not sign the version now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignRefusal {
    /// The version is already fastställd.
    Established,
    /// The party has already signed this version.
    AlreadySigned,
    /// The region signs as a doctor, the municipality as a nurse.
    WrongRole(&'static str),
    /// Items are missing; a party signs only a whole plan.
    Missing(Vec<PlanItem>),
}

impl SignRefusal {
    pub fn message(&self) -> String {
        match self {
            SignRefusal::Established => {
                "Versionen är redan fastställd. Ändra planen för att göra en ny version.".into()
            }
            SignRefusal::AlreadySigned => "Din part har redan signerat versionen.".into(),
            SignRefusal::WrongRole(message) => (*message).into(),
            SignRefusal::Missing(items) => format!(
                "Planen kan inte signeras förrän allt är ifyllt. Saknas: {}.",
                items
                    .iter()
                    .map(|item| item.label())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

/// Who signs for the party: the region's doctor, the municipality's nurse.
pub fn signing_role(side: Side) -> Role {
    match side {
        Side::Sender => Role::Doctor,
        Side::Receiver => Role::Nurse,
    }
}

/// Whether `side` may sign a version with `content` that it has (`own_signed`) or has not signed.
/// A party signs only a whole plan, so a fastställd version never has a gap.
pub fn may_sign(
    content: &PlanContent,
    side: Side,
    role: Role,
    own_signed: bool,
    established: bool,
    rules: &FollowUpRules,
) -> Result<(), SignRefusal> {
    if established {
        return Err(SignRefusal::Established);
    }
    if own_signed {
        return Err(SignRefusal::AlreadySigned);
    }
    if role != signing_role(side) {
        return Err(SignRefusal::WrongRole(match side {
            Side::Sender => "Regionens del signeras av läkaren på vårdcentralen.",
            Side::Receiver => "Kommunens del signeras av kommunens sjuksköterska.",
        }));
    }
    let missing = content.missing(rules);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(SignRefusal::Missing(missing))
    }
}

/// Whether a version is fastställd: both parties signed a whole plan.
pub fn is_established(
    content: &PlanContent,
    region_signed: bool,
    municipality_signed: bool,
    rules: &FollowUpRules,
) -> bool {
    region_signed && municipality_signed && content.missing(rules).is_empty()
}

/// Whether the parties write the plan in this state: from the decision to enroll until the case
/// is closed.
pub fn is_open(state: &CaseState) -> bool {
    matches!(
        state,
        CaseState::Decided(_, _, DecisionOutcome::Enrolled)
            | CaseState::Planned(..)
            | CaseState::Ongoing(..)
            | CaseState::ClosureProposed(..)
    )
}

/// One row of the comparison of two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedItem {
    pub item: PlanItem,
    pub before: String,
    pub after: String,
}

impl ComparedItem {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// Two versions compared item by item, in the plan's order.
pub fn compare(
    before: &PlanContent,
    after: &PlanContent,
    rules: &FollowUpRules,
) -> Vec<ComparedItem> {
    PlanItem::ALL
        .into_iter()
        .map(|item| ComparedItem {
            item,
            before: item.shown(before, rules),
            after: item.shown(after, rules),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 2);

    fn rules() -> FollowUpRules {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .treatment_plan
    }

    fn region_input<'a>() -> PlanInput<'a> {
        PlanInput {
            region_doctor_name: "Lena Lind, läkare",
            region_doctor_phone: "019-602 10 00",
            region_care_name: "Per Persson, distriktssköterska",
            region_care_phone: "019-602 10 01",
            prognosis: "Stabil hjärtsvikt.",
            deterioration: "Vård i hemmet; vid försämring ring vårdcentralen direkt.",
            action_plan: "Vid viktökning > 2 kg på tre dagar: extra furosemid enligt ordination.",
            coordinator: "mottagare",
            follow_up: "Läkare och sjuksköterska var tredje månad, nästa vid hembesök.",
            frequency: "3-manader",
            first_follow_up: "2027-03-01",
            ..Default::default()
        }
    }

    fn municipality_input<'a>() -> PlanInput<'a> {
        PlanInput {
            municipality_care_name: "Sara Sjöberg, sjuksköterska",
            municipality_care_phone: "019-21 10 00",
            point_interventions: "Inga punktinsatser; samordnad vård.",
            shared_responsibility: "nej",
            coordinator: "mottagare",
            follow_up: "Läkare och sjuksköterska var tredje månad, nästa vid hembesök.",
            frequency: "3-manader",
            first_follow_up: "2027-03-01",
            ..Default::default()
        }
    }

    fn whole_plan() -> PlanContent {
        let rules = rules();
        PlanContent::default()
            .with_edit(
                Side::Sender,
                &region_input().parse(Side::Sender, &rules, TODAY).unwrap(),
            )
            .with_edit(
                Side::Receiver,
                &municipality_input()
                    .parse(Side::Receiver, &rules, TODAY)
                    .unwrap(),
            )
    }

    #[test]
    fn a_party_writes_only_its_own_items() {
        let rules = rules();
        let region = region_input().parse(Side::Sender, &rules, TODAY).unwrap();
        let plan = PlanContent::default().with_edit(Side::Sender, &region);
        assert_eq!(
            plan.missing(&rules),
            [
                PlanItem::MunicipalityCareContact,
                PlanItem::PointInterventions
            ]
        );
        // The municipality's form cannot overwrite the region's parts.
        let mut sneaky = municipality_input();
        sneaky.prognosis = "Annan prognos";
        let edit = sneaky.parse(Side::Receiver, &rules, TODAY).unwrap();
        let plan = plan.with_edit(Side::Receiver, &edit);
        assert_eq!(plan.prognosis, "Stabil hjärtsvikt.");
        assert!(plan.missing(&rules).is_empty());
    }

    #[test]
    fn a_plan_with_a_part_missing_cannot_be_signed_or_established() {
        let rules = rules();
        let mut plan = whole_plan();
        plan.action_plan.clear();
        assert_eq!(
            may_sign(&plan, Side::Sender, Role::Doctor, false, false, &rules),
            Err(SignRefusal::Missing(vec![PlanItem::ActionPlan]))
        );
        assert!(!is_established(&plan, true, true, &rules));
    }

    #[test]
    fn both_parties_sign_and_each_with_its_role() {
        let rules = rules();
        let plan = whole_plan();
        assert!(may_sign(&plan, Side::Sender, Role::Doctor, false, false, &rules).is_ok());
        assert!(matches!(
            may_sign(&plan, Side::Sender, Role::Nurse, false, false, &rules),
            Err(SignRefusal::WrongRole(_))
        ));
        assert!(may_sign(&plan, Side::Receiver, Role::Nurse, false, false, &rules).is_ok());
        assert_eq!(
            may_sign(&plan, Side::Receiver, Role::Nurse, true, false, &rules),
            Err(SignRefusal::AlreadySigned)
        );
        assert!(!is_established(&plan, true, false, &rules));
        assert!(!is_established(&plan, false, true, &rules));
        assert!(is_established(&plan, true, true, &rules));
        assert_eq!(
            may_sign(&plan, Side::Receiver, Role::Nurse, false, true, &rules),
            Err(SignRefusal::Established)
        );
    }

    #[test]
    fn badly_formed_items_are_field_messages() {
        let rules = rules();
        let input = PlanInput {
            region_doctor_phone: "ring mig",
            frequency: "ibland",
            first_follow_up: "2026-12-01",
            ..region_input()
        };
        let fields: Vec<_> = input
            .parse(Side::Sender, &rules, TODAY)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["region_doctor_phone", "frequency", "first_follow_up"]
        );
    }

    #[test]
    fn the_comparison_names_what_changed() {
        let rules = rules();
        let before = whole_plan();
        let mut after = before.clone();
        after.prognosis = "Försämrad hjärtsvikt.".into();
        let rows = compare(&before, &after, &rules);
        let changed: Vec<_> = rows
            .iter()
            .filter(|r| r.changed())
            .map(|r| r.item)
            .collect();
        assert_eq!(changed, [PlanItem::Prognosis]);
        assert_eq!(rows.len(), PlanItem::ALL.len());
    }
}
