//! Utdrag ur HSA-katalogen: a party's units and staff as one file, and what importing it would
//! change. A region or municipality starts Samsyn from such a file, and later files keep it in
//! step: names, roles and units are updated, and staff missing from the file are disabled.
//!
//! The file is read all or nothing with line-precise errors; the plan compares it with what is
//! stored, so the same file again plans nothing. Format: docs/formats.md.

use crate::measurement::{RowError, for_each_line};
use crate::{HsaId, Party, Role, UnitKind};
use std::collections::{HashMap, HashSet};

pub const HEADER: &str = "typ;hsa_id;namn;enhetstyp;part;roll;enhet";
const COLUMNS: usize = 7;

/// A unit in the file (`typ` = `enhet`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractUnit {
    pub line: usize,
    pub hsa_id: HsaId,
    pub name: String,
    pub kind: UnitKind,
}

/// A member of staff in the file (`typ` = `person`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractPerson {
    pub line: usize,
    pub hsa_id: HsaId,
    pub name: String,
    pub role: Role,
    /// The HSA-id of the unit the person works at.
    pub unit: HsaId,
}

/// A read file: its units and its staff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extract {
    pub units: Vec<ExtractUnit>,
    pub people: Vec<ExtractPerson>,
}

/// Reads the file for `party`: every row must belong to it. Returns every problem, or the rows.
pub fn read(file: &str, text: &str, party: Party) -> Result<Extract, Vec<RowError>> {
    let mut extract = Extract::default();
    let mut seen: HashMap<HsaId, usize> = HashMap::new();
    let mut errors = for_each_line(
        file,
        text.as_bytes(),
        HEADER,
        COLUMNS,
        |line, cells, errors| {
            let mut problem = |column: &'static str, reason: String| {
                errors.push(RowError {
                    file: file.to_owned(),
                    line,
                    column,
                    reason,
                });
            };
            let hsa_id = HsaId::parse(cells[1])
                .map_err(|e| problem("hsa_id", e.to_string()))
                .ok();
            if let Some(first) = hsa_id.as_ref().and_then(|id| seen.insert(id.clone(), line)) {
                problem("hsa_id", format!("finns redan på rad {first}"));
            }
            let name = cells[2];
            if name.is_empty() {
                problem("namn", "saknas".to_owned());
            } else if let Some(reason) =
                crate::text::problem("Namnet", name, crate::text::SHORT_TEXT_CHARS, false)
            {
                problem("namn", reason);
            }
            match cells[0] {
                "enhet" => {
                    let kind = UnitKind::from_code(cells[3]);
                    if kind.is_none() {
                        problem(
                        "enhetstyp",
                        "ska vara vardcentral, sjukhusklinik, psykiatri, kommunal_hsl eller kommunal_rehab".to_owned(),
                    );
                    }
                    if cells[4] != party.code() {
                        problem(
                            "part",
                            format!("ska vara {}, den part du administrerar", party.code()),
                        );
                    } else if let Some(kind) = kind.filter(|k| !k.fits(party)) {
                        problem(
                            "enhetstyp",
                            format!(
                                "{} hör inte till den här parten",
                                kind.label().to_lowercase()
                            ),
                        );
                    }
                    if let (Some(hsa_id), Some(kind), true) = (hsa_id, kind, !name.is_empty()) {
                        extract.units.push(ExtractUnit {
                            line,
                            hsa_id,
                            name: name.to_owned(),
                            kind,
                        });
                    }
                }
                "person" => {
                    let role = Role::from_code(cells[5]);
                    if role.is_none() {
                        problem(
                            "roll",
                            "ska vara en av rollerna, t.ex. sjukskoterska, lakare eller enhetschef"
                                .to_owned(),
                        );
                    }
                    let unit = HsaId::parse(cells[6])
                        .map_err(|_| problem("enhet", "ska vara enhetens HSA-id".to_owned()))
                        .ok();
                    if let (Some(hsa_id), Some(role), Some(unit), true) =
                        (hsa_id, role, unit, !name.is_empty())
                    {
                        extract.people.push(ExtractPerson {
                            line,
                            hsa_id,
                            name: name.to_owned(),
                            role,
                            unit,
                        });
                    }
                }
                _ => problem("typ", "ska vara enhet eller person".to_owned()),
            }
        },
    );
    if errors.is_empty() && extract.units.is_empty() && extract.people.is_empty() {
        errors.push(RowError {
            file: file.to_owned(),
            line: 1,
            column: "rad",
            reason: "filen har inga enheter eller personer".to_owned(),
        });
    }
    if errors.is_empty() {
        Ok(extract)
    } else {
        Err(errors)
    }
}

/// A unit of the party as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUnit {
    pub hsa_id: HsaId,
    pub name: String,
    pub kind: UnitKind,
}

/// A member of the party's staff as stored, with an HSA-id (accounts without one are local
/// accounts the file does not govern).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPerson {
    pub hsa_id: HsaId,
    pub name: String,
    pub role: Role,
    /// The HSA-id of the person's unit, if the unit has one.
    pub unit: Option<HsaId>,
    pub disabled: bool,
}

/// What the party has now, and the HSA-ids other parties use (which the file cannot take).
#[derive(Debug, Clone, Default)]
pub struct Current {
    pub units: Vec<StoredUnit>,
    pub people: Vec<StoredPerson>,
    pub taken_elsewhere: HashSet<HsaId>,
    /// The importing administrator's own HSA-id: she is never disabled by her own file.
    pub importer: Option<HsaId>,
}

/// The party's active units and staff as an extract file, so an administrator can start her
/// next file from what Samsyn has. Staff at a unit without an HSA-id cannot be written.
pub fn write(current: &Current, party: Party) -> String {
    let mut file = format!("{HEADER}\n");
    for unit in &current.units {
        file.push_str(&format!(
            "enhet;{};{};{};{};;\n",
            unit.hsa_id,
            unit.name,
            unit.kind.code(),
            party.code()
        ));
    }
    for person in current.people.iter().filter(|p| !p.disabled) {
        if let Some(unit) = &person.unit {
            file.push_str(&format!(
                "person;{};{};;;{};{unit}\n",
                person.hsa_id,
                person.name,
                person.role.code()
            ));
        }
    }
    file
}

/// One change an import makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    NewUnit(ExtractUnit),
    RenamedUnit {
        hsa_id: HsaId,
        from: String,
        to: String,
    },
    NewPerson(ExtractPerson),
    /// Name, role or unit changed; `from` is the stored person.
    ChangedPerson {
        from: StoredPerson,
        to: ExtractPerson,
    },
    /// Staff no longer in the file.
    Disabled(StoredPerson),
}

impl Change {
    /// The change in one Swedish sentence, for the preview and the administration log.
    pub fn describe(&self) -> String {
        match self {
            Change::NewUnit(unit) => format!(
                "Ny enhet {} ({}, {})",
                unit.name,
                unit.kind.label().to_lowercase(),
                unit.hsa_id
            ),
            Change::RenamedUnit { hsa_id, from, to } => {
                format!("Enheten {hsa_id} byter namn från {from} till {to}")
            }
            Change::NewPerson(person) => format!(
                "Nytt konto för {} ({}, {}), inloggning med e-legitimation",
                person.name,
                person.role.label().to_lowercase(),
                person.hsa_id
            ),
            Change::ChangedPerson { from, to } => {
                let mut parts = Vec::new();
                if from.name != to.name {
                    parts.push(format!("namn {} → {}", from.name, to.name));
                }
                if from.role != to.role {
                    parts.push(format!(
                        "roll {} → {}",
                        from.role.label().to_lowercase(),
                        to.role.label().to_lowercase()
                    ));
                }
                if from.unit.as_ref() != Some(&to.unit) {
                    parts.push(format!("enhet → {}", to.unit));
                }
                format!("{} ({}): {}", to.name, to.hsa_id, parts.join(", "))
            }
            Change::Disabled(person) => format!(
                "{} ({}) finns inte i filen och inaktiveras",
                person.name, person.hsa_id
            ),
        }
    }
}

/// What importing `extract` into `current` would change, in file order, then the staff to
/// disable. A file that names a unit it neither has nor lists, an HSA-id another party uses, or
/// another kind for a stored unit is refused with the line.
pub fn plan(
    file: &str,
    extract: &Extract,
    current: &Current,
) -> Result<Vec<Change>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    let stored_units: HashMap<&HsaId, &StoredUnit> =
        current.units.iter().map(|u| (&u.hsa_id, u)).collect();
    let stored_people: HashMap<&HsaId, &StoredPerson> =
        current.people.iter().map(|p| (&p.hsa_id, p)).collect();
    let mut error = |line: usize, column: &'static str, reason: String| {
        errors.push(RowError {
            file: file.to_owned(),
            line,
            column,
            reason,
        });
    };
    for unit in &extract.units {
        if current.taken_elsewhere.contains(&unit.hsa_id) {
            error(
                unit.line,
                "hsa_id",
                "används redan hos en annan part".to_owned(),
            );
            continue;
        }
        match stored_units.get(&unit.hsa_id) {
            None => changes.push(Change::NewUnit(unit.clone())),
            Some(stored) if stored.kind != unit.kind => error(
                unit.line,
                "enhetstyp",
                format!(
                    "enheten är {} i Samsyn och kan inte byta typ",
                    stored.kind.label().to_lowercase()
                ),
            ),
            Some(stored) if stored.name != unit.name => changes.push(Change::RenamedUnit {
                hsa_id: unit.hsa_id.clone(),
                from: stored.name.clone(),
                to: unit.name.clone(),
            }),
            Some(_) => {}
        }
    }
    let listed_units: HashSet<&HsaId> = extract.units.iter().map(|u| &u.hsa_id).collect();
    for person in &extract.people {
        if current.taken_elsewhere.contains(&person.hsa_id) {
            error(
                person.line,
                "hsa_id",
                "används redan hos en annan part".to_owned(),
            );
            continue;
        }
        if !listed_units.contains(&person.unit) && !stored_units.contains_key(&person.unit) {
            error(
                person.line,
                "enhet",
                "enheten finns varken i filen eller bland partens enheter".to_owned(),
            );
            continue;
        }
        match stored_people.get(&person.hsa_id) {
            None => changes.push(Change::NewPerson(person.clone())),
            Some(stored)
                if stored.name != person.name
                    || stored.role != person.role
                    || stored.unit.as_ref() != Some(&person.unit) =>
            {
                changes.push(Change::ChangedPerson {
                    from: (*stored).clone(),
                    to: person.clone(),
                });
            }
            Some(_) => {}
        }
    }
    let listed_people: HashSet<&HsaId> = extract.people.iter().map(|p| &p.hsa_id).collect();
    for person in &current.people {
        let gone = !person.disabled
            && !listed_people.contains(&person.hsa_id)
            && current.importer.as_ref() != Some(&person.hsa_id);
        if gone {
            changes.push(Change::Disabled(person.clone()));
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "typ;hsa_id;namn;enhetstyp;part;roll;enhet
enhet;SE2120001124-E0001;Hemsjukvården Lekeberg;kommunal_hsl;1814;;
person;SE2120001124-P0001;Eva Ek;;;sjukskoterska;SE2120001124-E0001
person;SE2120001124-P0002;Olle Ås;;;enhetschef;SE2120001124-E0001
";

    fn lekeberg() -> Party {
        Party::from_code("1814").unwrap()
    }

    fn id(text: &str) -> HsaId {
        HsaId::parse(text).unwrap()
    }

    #[test]
    fn a_file_is_read_and_planned_in_order() {
        let extract = read("personal.csv", FILE, lekeberg()).unwrap();
        let changes = plan("personal.csv", &extract, &Current::default()).unwrap();
        let described: Vec<String> = changes.iter().map(Change::describe).collect();
        assert_eq!(
            described,
            [
                "Ny enhet Hemsjukvården Lekeberg (kommunal hälso- och sjukvård, SE2120001124-E0001)",
                "Nytt konto för Eva Ek (sjuksköterska, SE2120001124-P0001), inloggning med e-legitimation",
                "Nytt konto för Olle Ås (enhetschef, SE2120001124-P0002), inloggning med e-legitimation",
            ]
        );
    }

    #[test]
    fn every_bad_line_is_named() {
        let bad = "typ;hsa_id;namn;enhetstyp;part;roll;enhet
enhet;SE2120001124-E0001;Hemsjukvården Lekeberg;vardcentral;1814;;
person;SE2120001124-E0001;Eva Ek;;;kock;SE2120001124-E0001
person;inte-ett-id;;;;lakare;SE2120001124-E0001
kund;SE2120001124-P0009;Kalle;;;;
";
        let errors = read("personal.csv", bad, lekeberg()).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            found,
            [
                (2, "enhetstyp"),
                (3, "hsa_id"),
                (3, "roll"),
                (4, "hsa_id"),
                (4, "namn"),
                (5, "typ"),
            ]
        );
        assert_eq!(errors[1].reason, "finns redan på rad 2");
    }

    #[test]
    fn the_same_file_again_changes_nothing_and_a_later_one_updates_and_disables() {
        let extract = read("personal.csv", FILE, lekeberg()).unwrap();
        let unit = id("SE2120001124-E0001");
        let stored = |hsa: &str, name: &str, role: Role| StoredPerson {
            hsa_id: id(hsa),
            name: name.to_owned(),
            role,
            unit: Some(unit.clone()),
            disabled: false,
        };
        let mut current = Current {
            units: vec![StoredUnit {
                hsa_id: unit.clone(),
                name: "Hemsjukvården Lekeberg".into(),
                kind: UnitKind::MunicipalHealthCare,
            }],
            people: vec![
                stored("SE2120001124-P0001", "Eva Ek", Role::Nurse),
                stored("SE2120001124-P0002", "Olle Ås", Role::UnitManager),
            ],
            ..Current::default()
        };
        assert_eq!(plan("personal.csv", &extract, &current), Ok(vec![]));
        let written = write(&current, lekeberg());
        assert_eq!(written, FILE);

        current.people[0].role = Role::Coordinator;
        current
            .people
            .push(stored("SE2120001124-P0003", "Gone Gustavsson", Role::Nurse));
        current.importer = Some(id("SE2120001124-P0004"));
        current.people.push(stored(
            "SE2120001124-P0004",
            "Admin Adminsson",
            Role::Administrator,
        ));
        let changes = plan("personal.csv", &extract, &current).unwrap();
        let described: Vec<String> = changes.iter().map(Change::describe).collect();
        assert_eq!(
            described,
            [
                "Eva Ek (SE2120001124-P0001): roll samordnare → sjuksköterska",
                "Gone Gustavsson (SE2120001124-P0003) finns inte i filen och inaktiveras",
            ]
        );
    }

    #[test]
    fn a_unit_that_does_not_exist_or_belongs_elsewhere_is_refused() {
        let file = "typ;hsa_id;namn;enhetstyp;part;roll;enhet
person;SE2120001124-P0001;Eva Ek;;;sjukskoterska;SE2120001124-E0009
enhet;SE2120001124-E0002;Rehab;kommunal_rehab;1880;;
";
        let errors = read("f.csv", file, lekeberg()).unwrap_err();
        assert_eq!(errors[0].line, 3);
        assert_eq!(errors[0].column, "part");
        let file = "typ;hsa_id;namn;enhetstyp;part;roll;enhet
person;SE2120001124-P0001;Eva Ek;;;sjukskoterska;SE2120001124-E0009
";
        let extract = read("f.csv", file, lekeberg()).unwrap();
        let errors = plan("f.csv", &extract, &Current::default()).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (2, "enhet"));
    }
}
