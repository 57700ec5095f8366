//! The demo county (demolän), which shows every part of the agreement in every state: units, users, synthetic patients and requests in every state.
//!
//! Deterministic: the same seed, rule set and day give the same county. Patients are spread over
//! the municipalities in proportion to their inhabitants aged 65+ (the rule set's population). Its
//! units follow the rule set's `[demo]` layout.

mod care;
mod deviation;
mod disagreement;
mod follow_up;
mod log_review;
pub mod measurement_files;
mod plans;
mod self_referral;
mod tracks;

use crate::access_log::Actor;
use crate::case::requests as care_requests;
use crate::measurement::pseudonym;
use crate::measurement::pseudonym::PseudonymKey;
use crate::measurement::{self, FileKind};
use crate::units::Unit;
use crate::users::NewUser;
use crate::{DbConnection, Store, StoreError, meta, units, users};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use measurement_files as demo_measurement;
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use samsyn_domain::case::consent::ConsentWay;
use samsyn_domain::{
    Action, CareRequestInput, Completeness, IdentitySource, MunicipalityCode, Party, Personnummer,
    Role, RuleSet, Side, Step, UnitKind,
};
use std::collections::HashSet;

/// The seed used by `samsyn demo` and the first start, unless another is given.
pub const DEFAULT_SEED: u64 = 2025;
/// Every demo account has this password. Demo accounts exist only in demo databases.
pub const DEMO_PASSWORD: &str = "samsyn-demo";
const PATIENTS: usize = 300;
const REQUESTS: usize = 90;
/// The demo person without a personnummer (a visitor from abroad), registered by reservnummer.
const RESERVE_NUMBER_PERSON: usize = 9;
/// The person of the first case in care (the index of `Reach::Ongoing` with its plan fastställd)
/// is the test e-identification's invånare, so that Min sida shows her plan.
const OWN_PAGE_PERSON: usize = 7;
const OWN_PAGE_PERSONNUMMER: &str = "20030606-2381";
const OWN_PAGE_NAME: &str = "Ingrid Invånare";
/// Street names for the demo's made-up addresses.
const STREETS: [&str; 6] = [
    "Storgatan",
    "Kyrkogatan",
    "Skolgatan",
    "Björkvägen",
    "Ekvägen",
    "Järnvägsgatan",
];

/// A demo account, printed at start.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub unit_name: String,
    pub hsa_id: Option<String>,
}

/// True when the database holds no units yet (a fresh database).
pub fn is_empty(conn: &mut DbConnection) -> Result<bool, StoreError> {
    Ok(units::list(conn)?.is_empty())
}

/// True when the database was created in demo mode.
pub fn is_demo(conn: &mut DbConnection) -> Result<bool, StoreError> {
    Ok(meta::get(conn, meta::DEMO_KEY)?.is_some())
}

/// The demo accounts in this database, main roles first.
pub fn logins(conn: &mut DbConnection) -> Result<Vec<DemoLogin>, StoreError> {
    let mut list: Vec<DemoLogin> = users::list(conn)?
        .into_iter()
        .filter(|u| u.is_demo)
        .map(|u| DemoLogin {
            username: u.username,
            role: u.role,
            unit_name: u.unit_name,
            hsa_id: u.hsa_id,
        })
        .collect();
    list.sort_by_key(|l| (l.username.contains('.'), l.username.clone()));
    Ok(list)
}

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            ' ' => '-',
            other => other,
        })
        .collect()
}

/// A municipality's central town: its name in the rule set's places, else the municipality's.
fn central_town(rules: &RuleSet, code: MunicipalityCode) -> String {
    rules
        .data
        .places
        .towns
        .get(&code)
        .map(|p| p.name.clone())
        .or_else(|| rules.municipality(code).map(|m| m.name.clone()))
        .unwrap_or_default()
}

/// The names of the demo county's units, from the rule set's `[demo]` layout.
pub(crate) struct UnitNames {
    /// The main municipality's name: the main logins' units are "Hemsjukvården {main}" etc.
    pub main: String,
    pub main_code: MunicipalityCode,
    /// The main municipality's first vårdcentral, where the demo doctor works.
    pub health_centre: String,
    pub second: String,
}

impl UnitNames {
    pub(crate) fn of(rules: &RuleSet) -> UnitNames {
        let name = |code| {
            rules
                .municipality(code)
                .map(|m| m.name.clone())
                .unwrap_or_default()
        };
        let main_code = rules.demo.main;
        UnitNames {
            main: name(main_code),
            main_code,
            health_centre: health_centre_names(rules, main_code)
                .into_iter()
                .next()
                .unwrap_or_default(),
            second: name(rules.demo.second),
        }
    }

    pub(crate) fn home_health_care(&self) -> String {
        format!("Hemsjukvården {}", self.main)
    }

    pub(crate) fn rehab_team(&self) -> String {
        format!("Rehabteamet {}", self.main)
    }
}

/// A municipality's vårdcentraler: those the layout names, else one named after its town.
fn health_centre_names(rules: &RuleSet, code: MunicipalityCode) -> Vec<String> {
    let named: Vec<String> = rules
        .demo
        .health_centres
        .iter()
        .filter(|(c, _)| *c == code)
        .map(|(_, n)| n.clone())
        .collect();
    if named.is_empty() {
        vec![format!("Vårdcentralen {}", central_town(rules, code))]
    } else {
        named
    }
}

/// The region's hospital clinics (the layout's, else a medicine clinic per hospital in the
/// places), then its psychiatric outpatient clinic, last.
fn clinics(rules: &RuleSet, names: &UnitNames) -> Vec<(String, UnitKind)> {
    let mut out: Vec<(String, UnitKind)> = if rules.demo.clinics.is_empty() {
        rules
            .data
            .places
            .hospitals
            .iter()
            .map(|h| {
                (
                    format!("Medicinkliniken, {}", h.name),
                    UnitKind::HospitalClinic,
                )
            })
            .collect()
    } else {
        rules
            .demo
            .clinics
            .iter()
            .map(|c| (c.clone(), UnitKind::HospitalClinic))
            .collect()
    };
    if out.is_empty() {
        out.push((
            format!(
                "Medicinkliniken, sjukhuset i {}",
                central_town(rules, names.main_code)
            ),
            UnitKind::HospitalClinic,
        ));
    }
    let psychiatry = if rules.demo.psychiatry.is_empty() {
        format!("Allmänpsykiatrisk öppenvård {}", names.main)
    } else {
        rules.demo.psychiatry.clone()
    };
    out.push((psychiatry, UnitKind::Psychiatry));
    out
}

/// A reservnummer in the region's format for a person born on `birth`: the rule set's example
/// with that date, its first digit after the date varied by `n`; none if that leaves the format.
pub(crate) fn reserve_number(
    rules: &samsyn_domain::reserve_number::ReserveNumberRules,
    birth: Date,
    n: u32,
) -> Option<String> {
    let tail = rules.example.get(8..)?;
    let mut varied = false;
    let tail: String = tail
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(_) if !varied => {
                varied = true;
                char::from_digit(n % 10, 10).unwrap_or(c)
            }
            _ => c,
        })
        .collect();
    let number = format!("{}{tail}", birth.strftime("%Y%m%d"));
    rules.matches(&number).then_some(number)
}

/// Weights for spreading patients: inhabitants 65+ per municipality in the latest year of the
/// rule set's population (1 000 for a municipality it lacks).
fn elderly_weights(rules: &RuleSet) -> Vec<(MunicipalityCode, u32)> {
    rules
        .municipalities
        .iter()
        .map(|m| {
            let weight = rules
                .data
                .aged_65_plus(m.code, i16::MAX)
                .and_then(|(_, n)| u32::try_from(n).ok())
                .unwrap_or(1000);
            (m.code, weight)
        })
        .collect()
}

/// Fictional phone numbers from the mobile series PTS reserves for film and fiction
/// (070-174 06 05–99): no area code, so no number seems to belong to another region.
fn phone(rng: &mut ChaCha8Rng) -> String {
    let n: u32 = rng.random_range(0..100);
    format!("070-174 06 {:02}", n.max(5))
}

const FIRST_NAMES: [&str; 24] = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Kerstin",
    "Ingrid",
    "Birgitta",
    "Margareta",
    "Elisabeth",
    "Gunnel",
    "Britt",
    "Marianne",
    "Lars",
    "Karl",
    "Erik",
    "Per",
    "Nils",
    "Jan",
    "Bengt",
    "Sven",
    "Bo",
    "Gunnar",
    "Rolf",
    "Göran",
];
const SURNAMES: [&str; 20] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindström",
    "Axelsson",
    "Berglund",
    "Sandberg",
];
const SITUATIONS: [&str; 4] = [
    "Vill kunna bo kvar hemma och känna sig trygg. Dottern har hjälpt till men orkar inte längre.",
    "Upplever andfåddhet och svullna ben, har svårt att ta sig till vårdcentralen.",
    "Har fallit två gånger senaste månaden och är rädd att vara ensam hemma.",
    "Känner sig osäker på sina mediciner efter senaste sjukhusvistelsen.",
];
const BACKGROUNDS: [&str; 4] = [
    "Hjärtsvikt NYHA III, förmaksflimmer, diabetes typ 2. Bor ensam i lägenhet med hiss.",
    "KOL med syrgas i hemmet, tidigare rökare. Maken är närstående och finns på plats.",
    "Lätt kognitiv svikt, osteoporos med tidigare höftfraktur. Hemtjänst två gånger dagligen.",
    "Njursvikt stadium 4 och hypertoni. Skörhet CFS 6.",
];
const ASSESSMENTS: [&str; 4] = [
    "Stabil men skör. Behöver regelbunden viktkontroll och justering av diuretika.",
    "Behöver injektionsbehandling som inte kan utföras på mottagning.",
    "Behöver läkemedelsgenomgång och stöd med läkemedelshantering i hemmet.",
    "Behöver såromläggning tre gånger per vecka och uppföljning av sårläkning.",
];
const RECOMMENDATIONS: [&str; 4] = [
    "Viktkontroll två gånger i veckan. Mål: undvika inläggning på sjukhus.",
    "Injektion en gång per vecka av kommunens sjuksköterska. Mål: stabila värden.",
    "Dosettdelning och läkemedelsöverlämning. Mål: korrekt läkemedelsintag.",
    "Såromläggning enligt ordination. Mål: läkt sår inom åtta veckor.",
];

/// Takes one step on a demo case through the domain's state machine, as a real user would.
#[allow(clippy::too_many_arguments)]
fn demo_step(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actor: &Actor,
    side: Side,
    case: &care_requests::CareRequest,
    action: Action,
    at: Timestamp,
    today: Date,
) -> Result<care_requests::CareRequest, StoreError> {
    demo_step_to(conn, rules, actor, side, case, action, None, at, today)
}

/// [`demo_step`] for a step that names a unit: a forward's receiver, a handover's vårdcentral.
#[allow(clippy::too_many_arguments)]
fn demo_step_to(
    conn: &mut DbConnection,
    rules: &RuleSet,
    actor: &Actor,
    side: Side,
    case: &care_requests::CareRequest,
    action: Action,
    new_unit: Option<&str>,
    at: Timestamp,
    today: Date,
) -> Result<care_requests::CareRequest, StoreError> {
    let step = Step {
        side,
        role: actor.role,
        now: at,
        today,
        user_id: &actor.user_id,
        rules,
        track: case.track.track(),
        parties: case.parties(),
    };
    let next = case
        .state
        .apply(action, &step)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let transition = care_requests::Transition {
        action,
        today,
        next: &next,
        new_unit,
        note: "",
        rule_set: &rules.reference(),
        planning_due: None,
    };
    care_requests::save_transition(conn, actor, case, case.version, &transition, at)
}

/// Creates the demo county in an empty database, all in one transaction.
pub fn create(
    store: &Store,
    rules: &RuleSet,
    seed: u64,
    password_hash: &str,
    now: Timestamp,
    today: Date,
) -> Result<Vec<DemoLogin>, StoreError> {
    store.transaction(|conn| {
        if !is_empty(conn)? {
            return Err(StoreError::Duplicate(
                "data i databasen; demolänet skapas bara i en tom databas",
            ));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        meta::set(conn, meta::DEMO_KEY, &seed.to_string())?;

        let mut hsl_units: Vec<(MunicipalityCode, Unit)> = Vec::new();
        let mut rehab_units: Vec<(MunicipalityCode, Unit)> = Vec::new();
        let mut health_centres: Vec<(MunicipalityCode, Unit)> = Vec::new();
        for m in &rules.municipalities {
            let party = Party::Municipality(m.code);
            let hsl = units::create(
                conn,
                &format!("Hemsjukvården {}", m.name),
                UnitKind::MunicipalHealthCare,
                party,
                &phone(&mut rng),
                now,
            )?;
            hsl_units.push((m.code, hsl));
            let rehab = units::create(
                conn,
                &format!("Rehabteamet {}", m.name),
                UnitKind::MunicipalRehabTeam,
                party,
                &phone(&mut rng),
                now,
            )?;
            rehab_units.push((m.code, rehab));
            let names = health_centre_names(rules, m.code);
            for name in names {
                let unit = units::create(
                    conn,
                    &name,
                    UnitKind::HealthCentre,
                    Party::Region,
                    &phone(&mut rng),
                    now,
                )?;
                health_centres.push((m.code, unit));
            }
        }
        let names = UnitNames::of(rules);
        let mut clinic_units = Vec::new();
        for (name, kind) in clinics(rules, &names) {
            clinic_units.push(units::create(
                conn,
                &name,
                kind,
                Party::Region,
                &phone(&mut rng),
                now,
            )?);
        }
        let (Some(hospital), Some(psychiatry)) = (clinic_units.first(), clinic_units.last()) else {
            return Err(StoreError::NotFound);
        };
        let (hospital, psychiatry) = (hospital.id.clone(), psychiatry.id.clone());

        // Synthetic HSA-ids in a series no real organisation uses (SE9999999999-…).
        for (n, unit) in units::list(conn)?.iter().enumerate() {
            units::set_hsa_id(conn, &unit.id, &format!("SE9999999999-D{:04}", n + 1))?;
        }
        let unit_of = |list: &[(MunicipalityCode, Unit)], name: &str| {
            list.iter()
                .find(|(_, u)| u.name == name)
                .map(|(_, u)| u.id.clone())
                .ok_or(StoreError::NotFound)
        };
        let main_hsl = unit_of(&hsl_units, &names.home_health_care())?;
        let main_vc = unit_of(&health_centres, &names.health_centre)?;
        let main_rehab = unit_of(&rehab_units, &names.rehab_team())?;
        let main_accounts = [
            ("lakare", "Lena Lind", Role::Doctor, main_vc.clone()),
            (
                "sjukskoterska",
                "Sara Sjöberg",
                Role::Nurse,
                main_hsl.clone(),
            ),
            (
                "arbetsterapeut",
                "Amir Aziz",
                Role::OccupationalTherapist,
                main_rehab.clone(),
            ),
            (
                "sjukhuslakare",
                "Ulla Ström",
                Role::Doctor,
                hospital.clone(),
            ),
            ("psykiater", "Per Palm", Role::Doctor, psychiatry.clone()),
            (
                "fysioterapeut",
                "Fredrik Falk",
                Role::Physiotherapist,
                main_vc.clone(),
            ),
            (
                "enhetschef",
                "Eva Ek",
                Role::UnitManager,
                main_hsl.clone(),
            ),
            (
                "samordnare",
                "Sofia Strand",
                Role::Coordinator,
                hospital.clone(),
            ),
            (
                "verksamhetschef",
                "Vera Vall",
                Role::UnitManager,
                main_vc.clone(),
            ),
            (
                "lansgrupp",
                "Lars Lind",
                Role::CountyGroup,
                main_hsl.clone(),
            ),
            (
                "chefsgrupp",
                "Cecilia Corell",
                Role::ChiefsGroup,
                main_hsl.clone(),
            ),
            ("halsoval", "Hanna Holm", Role::HealthChoice, main_vc.clone()),
            ("ekonom", "Erik Ekholm", Role::Economist, main_hsl.clone()),
            (
                "logggranskare",
                "Lotta Lööf",
                Role::AuditReviewer,
                main_hsl.clone(),
            ),
            (
                "administrator",
                "Adam Alm",
                Role::Administrator,
                main_hsl.clone(),
            ),
        ];
        let create_user =
            |conn: &mut DbConnection, username: &str, name: &str, role: Role, unit_id: &str| {
                users::create(
                    conn,
                    &NewUser {
                        username,
                        display_name: name,
                        role,
                        unit_id,
                        password_hash: Some(password_hash),
                        is_demo: true,
                    },
                    now,
                )
            };
        for (username, name, role, unit_id) in &main_accounts {
            create_user(conn, username, name, *role, unit_id)?;
        }
        let mut senders: Vec<(MunicipalityCode, Actor, String)> = Vec::new();
        for (code, unit) in &health_centres {
            let town = unit.name.trim_start_matches("Vårdcentralen ");
            let username = if unit.id == main_vc {
                "lakare".to_owned()
            } else {
                format!("lakare.{}", slug(town))
            };
            let user = match users::credentials_by_username(conn, &username)? {
                Some(existing) => existing.user,
                None => create_user(
                    conn,
                    &username,
                    &format!("Doktor {town}"),
                    Role::Doctor,
                    &unit.id,
                )?,
            };
            senders.push((
                *code,
                Actor {
                    user_id: user.id,
                    unit_id: unit.id.clone(),
                    role: Role::Doctor,
                    identity_source: IdentitySource::Local,
                },
                unit.name.clone(),
            ));
        }
        let mut receivers: Vec<(MunicipalityCode, Actor)> = Vec::new();
        for (code, unit) in &hsl_units {
            let town = unit.name.trim_start_matches("Hemsjukvården ");
            let username = if unit.id == main_hsl {
                "sjukskoterska".to_owned()
            } else {
                format!("sjukskoterska.{}", slug(town))
            };
            let user = match users::credentials_by_username(conn, &username)? {
                Some(existing) => existing.user,
                None => create_user(
                    conn,
                    &username,
                    &format!("Sjuksköterska {town}"),
                    Role::Nurse,
                    &unit.id,
                )?,
            };
            receivers.push((
                *code,
                Actor {
                    user_id: user.id,
                    unit_id: unit.id.clone(),
                    role: Role::Nurse,
                    identity_source: IdentitySource::Local,
                },
            ));
        }

        for (_, unit) in &rehab_units {
            if unit.id == main_rehab {
                continue;
            }
            let town = unit.name.trim_start_matches("Rehabteamet ");
            create_user(
                conn,
                &format!("arbetsterapeut.{}", slug(town)),
                &format!("Arbetsterapeut {town}"),
                Role::OccupationalTherapist,
                &unit.id,
            )?;
        }
        let weights = elderly_weights(rules);
        let total_weight: u32 = weights.iter().map(|(_, w)| w).sum();
        let mut used = HashSet::new();
        let mut patients: Vec<(Personnummer, String, MunicipalityCode)> =
            Vec::with_capacity(PATIENTS);
        while patients.len() < PATIENTS {
            let birth =
                jiff::civil::date(1925, 1, 1).saturating_add(rng.random_range(0..27_000).days());
            let number = Personnummer::from_parts(birth, rng.random_range(980..1000), false)
                .ok_or(StoreError::Corrupt("demo personnummer".into()))?;
            if !used.insert(number) {
                continue;
            }
            let mut pick = rng.random_range(0..total_weight);
            let home = weights
                .iter()
                .find(|(_, w)| {
                    let hit = pick < *w;
                    pick = pick.saturating_sub(*w);
                    hit
                })
                .map(|(code, _)| *code)
                .unwrap_or(weights[0].0);
            let name = format!(
                "{} {}",
                FIRST_NAMES.choose(&mut rng).unwrap_or(&"Anna"),
                SURNAMES.choose(&mut rng).unwrap_or(&"Andersson")
            );
            patients.push((number, name, home));
        }
        for (index, (number, name, home)) in patients.iter().enumerate() {
            if index >= REQUESTS {
                // The remaining patients are known to their municipality's home health care;
                // requests for them come as the demo is used.
                if let Some((_, registrar)) = receivers.iter().find(|(code, _)| code == home) {
                    crate::patients::upsert(conn, registrar, &(*number).into(), name, *home, now)?;
                }
                continue;
            }
            let candidates: Vec<&(MunicipalityCode, Actor, String)> =
                senders.iter().filter(|(code, _, _)| code == home).collect();
            let Some((_, sender, sender_name)) = candidates.choose(&mut rng).copied() else {
                continue;
            };
            let Some((_, receiver)) = receivers.iter().find(|(code, _)| code == home) else {
                continue;
            };
            let pick = rng.random_range(0..4);
            let mut input = CareRequestInput {
                personnummer: number.expose(),
                patient_name: name.clone(),
                home_municipality: home.to_string(),
                situation: SITUATIONS[pick].into(),
                background: BACKGROUNDS[pick].into(),
                current_assessment: ASSESSMENTS[(pick + index) % 4].into(),
                recommendation: RECOMMENDATIONS[(pick + index) % 4].into(),
                fixed_doctor_name: format!(
                    "Doktor {}",
                    sender_name.trim_start_matches("Vårdcentralen ")
                ),
                fixed_doctor_phone: phone(&mut rng),
                prescriber_name: String::new(),
                prescriber_phone: String::new(),
                care_contact_name: format!(
                    "Distriktssköterska {}",
                    SURNAMES.choose(&mut rng).unwrap_or(&"Berg")
                ),
                care_contact_phone: phone(&mut rng),
                health_centre_name: sender_name.clone(),
                health_centre_phone: phone(&mut rng),
                ..CareRequestInput::default()
            };
            let days_ago = rng.random_range(0..10i64);
            let stage = index % 4;
            // Samtycke in every state: most persons consented, one in seven could not express a
            // will and was sent on a recorded basis, and every eighth draft has none yet.
            // Where the care is given; one person has skyddad identitet, so the demo shows the
            // address hidden from lists and from readers outside the case.
            input.patient_address = format!(
                "{} {}, {}",
                STREETS[index % STREETS.len()],
                1 + index % 40,
                rules.municipality(*home).map_or("", |m| m.name.as_str())
            );
            input.patient_phone = format!("070-{:03} {:02} {:02}", 200 + index, index % 100, (index * 7) % 100);
            if index == 6 {
                input.protected_identity = "ja".into();
            }
            if index == OWN_PAGE_PERSON {
                input.personnummer = OWN_PAGE_PERSONNUMMER.into();
                input.patient_name = OWN_PAGE_NAME.into();
            }
            if index == RESERVE_NUMBER_PERSON
                && let Some(reserve) =
                    reserve_number(&rules.reserve_number, number.birth_date(), 0)
            {
                input.personnummer = reserve;
            }
            let completeness = if index % 8 == 0 {
                Completeness::Draft
            } else {
                if index % 7 == 3 {
                    input.consent = "grund".into();
                    input.consent_basis = "Personen kan inte uttrycka sin vilja efter en stroke; närstående informerade.".into();
                    input.consent_judged_by = input.fixed_doctor_name.clone();
                } else {
                    input.consent = "samtycke".into();
                    input.consent_given_by = if index % 5 == 0 {
                        "Sonen, framtidsfullmaktshavare".into()
                    } else {
                        "Personen själv".into()
                    };
                    input.consent_way = ConsentWay::ALL[index % 3].code().into();
                    input.consent_given_on = today.saturating_sub(days_ago.days()).to_string();
                }
                Completeness::ReadyToSend
            };
            let content = input
                .validate(rules, today, completeness)
                .map_err(|_| StoreError::Corrupt("demo request does not validate".into()))?;
            let written_at = now - (days_ago * 24 + 2).hours();
            let request = care_requests::create_draft(
                conn,
                sender,
                &content,
                &receiver.unit_id,
                &rules.reference(),
                written_at,
            )?;
            // Spread over the first states: drafts, waiting (some overdue), acknowledged, and in
            // joint assessment.
            if stage == 0 || completeness == Completeness::Draft {
                continue;
            }
            let sent_at = written_at + 1.hours();
            let sent_on = today.saturating_sub(days_ago.days());
            let request = demo_step(
                conn,
                rules,
                sender,
                Side::Sender,
                &request,
                Action::Send,
                sent_at,
                sent_on,
            )?;
            if stage == 1 {
                continue;
            }
            let acknowledged_at = (written_at + rng.random_range(2..30i64).hours()).min(now);
            let acknowledged_on = jiff::tz::TimeZone::get(&rules.time_zone)
                .map(|zone| acknowledged_at.to_zoned(zone).date())
                .unwrap_or(today);
            let request = demo_step(
                conn,
                rules,
                receiver,
                Side::Receiver,
                &request,
                Action::Acknowledge,
                acknowledged_at,
                acknowledged_on,
            )?;
            if stage == 3 {
                let request = demo_step(
                    conn,
                    rules,
                    receiver,
                    Side::Receiver,
                    &request,
                    Action::StartAssessment,
                    acknowledged_at,
                    today,
                )?;
                // Past the assessment: a decision proposed and not yet confirmed, planned but not
                // started, care going on with its plan in each state, avslut proposed by one
                // party, and avslut confirmed by both.
                let reach = match index % 24 {
                    3 => Some(care::Reach::DecisionProposed),
                    7 => Some(care::Reach::Ongoing(plans::PlanState::of_variant(index / 24))),
                    23 => Some(care::Reach::Planned),
                    15 => Some(care::Reach::ClosureProposed),
                    19 => Some(care::Reach::Closed),
                    _ => None,
                };
                if let Some(reach) = reach {
                    let parties = care::Parties {
                        sender,
                        receiver,
                        takes_over: None,
                    };
                    care::follow_through(conn, rules, &parties, &request, reach, now, today)?;
                    continue;
                }
                if index % 12 == 11 && content.consent.as_ref().is_some_and(|c| c.code() == "samtycke") {
                    crate::case::work::withdraw_consent(
                        conn,
                        receiver,
                        &request,
                        "Personen ringde hemsjukvården och vill inte att fler uppgifter lämnas mellan vårdcentralen och kommunen.",
                        now,
                    )?;
                }
            }
        }
        // Tracks 2 and 3 and the rehabilitation process, each in every state, in the main
        // municipality.
        let actor = |conn: &mut DbConnection, username: &str| -> Result<Actor, StoreError> {
            let user = users::credentials_by_username(conn, username)?
                .ok_or(StoreError::NotFound)?
                .user;
            Ok(Actor {
                user_id: user.id,
                unit_id: user.unit_id,
                role: user.role,
                identity_source: IdentitySource::Local,
            })
        };
        let track_actors = tracks::TrackActors {
            psychiatrist: actor(conn, "psykiater")?,
            hospital: actor(conn, "sjukhuslakare")?,
            health_centre: actor(conn, "lakare")?,
            nurse: actor(conn, "sjukskoterska")?,
            therapist: actor(conn, "arbetsterapeut")?,
        };
        tracks::create(conn, rules, &track_actors, now, today)?;
        self_referral::create(conn, rules, &track_actors.therapist, now, today)?;
        let region_manager = actor(conn, "verksamhetschef")?;
        let municipality_manager = actor(conn, "enhetschef")?;
        let county_group = actor(conn, "lansgrupp")?;
        let managers = disagreement::Actors {
            doctor: &track_actors.health_centre,
            nurse: &track_actors.nurse,
            region_manager: &region_manager,
            municipality_manager: &municipality_manager,
            county_group: &county_group,
            hospital: &track_actors.hospital,
        };
        disagreement::create(conn, rules, &managers, now, today)?;
        deviation::create(conn, rules, &managers, now, today)?;
        let chiefs_group = actor(conn, "chefsgrupp")?;
        let health_choice = actor(conn, "halsoval")?;
        follow_up::create(
            conn,
            rules,
            &follow_up::SurveyActors {
                health_centres: &senders,
                municipalities: &receivers,
                untouched: &names.health_centre,
                chiefs_group: &chiefs_group,
                health_choice: &health_choice,
            },
            now,
            today,
        )?;
        // The measurement files: each published measurement, reproduced, and the history's
        // partial base year.
        let mut secret = [0u8; 32];
        rng.fill_bytes(&mut secret);
        meta::set(conn, pseudonym::DEMO_PSEUDONYM_KEY, &hex::encode(secret))?;
        let key = PseudonymKey::new(&secret).ok_or(StoreError::Corrupt("demo key".into()))?;
        for (name, files) in demo_measurement::all(rules) {
            for (kind, text, file) in [
                (
                    FileKind::Activities,
                    &files.activities,
                    format!("aktiviteter-{name}.csv"),
                ),
                (
                    FileKind::Enrollments,
                    &files.enrollments,
                    format!("inskrivningar-{name}.csv"),
                ),
            ] {
                if let Err(errors) =
                    measurement::import_file(
                        conn,
                        kind,
                        &file,
                        text,
                        &measurement::PersonReading {
                            key: &key,
                            reserve: &rules.reserve_number,
                            today,
                        },
                        now,
                    )?
                {
                    return Err(StoreError::Corrupt(format!(
                        "demo file {file}: {} errors",
                        errors.len()
                    )));
                }
            }
        }
        measurement::results::refresh(conn, rules, now)?;
        log_review::create(conn, rules, now, today)?;
        // Staff get HSA-ids in the same synthetic series, so the demo can sign in through a
        // test identity provider too.
        for (n, user) in users::list(conn)?.iter().enumerate() {
            users::set_hsa_id(conn, &user.id, &format!("SE9999999999-P{:04}", n + 1))?;
        }
        logins(conn)
    })
}
