//! Hemsjukvårdsmätning, the yearly measurement: *Principer för samverkan och ekonomisk
//! reglering* §12.4, with the categories as the uppföljningsrapporten 2026-05-12 reports them.
//!
//! This file reads the KVÅ activity and enrollment files and classifies every person into
//! category 1/2a/2b/3/4/5 per municipality for a period, by the rule set.
//!
//! The classifier is generic over the person key, so the application can hand it pseudonyms:
//! no personnummer needs to reach a measurement table.

pub mod kva;
pub mod lines;
pub mod rules;

use crate::reserve_number::ReserveNumberRules;
use crate::{MunicipalityCode, PersonId};
use jiff::ToSpan;
use jiff::civil::Date;
pub use kva::is_kva_code;
use lines::{Layout, LineBlock};
use rules::MeasurementRules;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

/// The measured period, first and last day inclusive (a calendar month by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: Date,
    pub last: Date,
}

impl Period {
    /// `ÅÅÅÅ-MM`.
    pub fn month(text: &str) -> Option<Period> {
        let (year, month) = text.split_once('-')?;
        let first = Date::new(year.parse().ok()?, month.parse().ok()?, 1).ok()?;
        Some(Period {
            first,
            last: first.last_of_month(),
        })
    }

    pub fn label(&self) -> String {
        self.first.strftime("%Y-%m").to_string()
    }

    pub fn days(&self) -> i64 {
        i64::from(
            self.first
                .until(self.last)
                .map(|s| s.get_days())
                .unwrap_or(0),
        ) + 1
    }

    pub fn contains(&self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }

    pub fn overlaps(&self, from: Date, to: Option<Date>) -> bool {
        from <= self.last && to.is_none_or(|to| to >= self.first)
    }
}

/// Boende.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Housing {
    /// Ordinärt boende.
    Ordinary,
    /// Särskilt boende: out of scope for home health care.
    Special,
}

/// One performed intervention.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Activity<K> {
    pub municipality: MunicipalityCode,
    pub person: K,
    pub date: Date,
    pub code: String,
    pub profession: String,
    pub minutes: Option<u32>,
    pub delegated: bool,
}

impl<K> Activity<K> {
    /// The same row with another person key (e.g. the pseudonym of the personnummer).
    pub fn map_person<P>(self, f: impl FnOnce(K) -> P) -> Activity<P> {
        Activity {
            person: f(self.person),
            municipality: self.municipality,
            date: self.date,
            code: self.code,
            profession: self.profession,
            minutes: self.minutes,
            delegated: self.delegated,
        }
    }
}

/// One activity as read, borrowing its codes from the line: what the classifier needs, without a
/// copy per row.
#[derive(Debug, Clone)]
pub struct ActivityRow<'a, K> {
    pub municipality: MunicipalityCode,
    pub person: K,
    pub date: Date,
    pub code: &'a str,
    pub profession: &'a str,
    pub minutes: Option<u32>,
    pub delegated: bool,
}

impl<'a, K> ActivityRow<'a, K> {
    /// The same row with another person key.
    pub fn map_person<P>(self, f: impl FnOnce(K) -> P) -> ActivityRow<'a, P> {
        ActivityRow {
            municipality: self.municipality,
            person: f(self.person),
            date: self.date,
            code: self.code,
            profession: self.profession,
            minutes: self.minutes,
            delegated: self.delegated,
        }
    }

    pub fn into_activity(self) -> Activity<K> {
        Activity {
            municipality: self.municipality,
            person: self.person,
            date: self.date,
            code: self.code.to_owned(),
            profession: self.profession.to_owned(),
            minutes: self.minutes,
            delegated: self.delegated,
        }
    }
}

impl<K: Clone> Activity<K> {
    pub fn row(&self) -> ActivityRow<'_, K> {
        ActivityRow {
            municipality: self.municipality,
            person: self.person.clone(),
            date: self.date,
            code: &self.code,
            profession: &self.profession,
            minutes: self.minutes,
            delegated: self.delegated,
        }
    }
}

/// One enrollment period in municipal health care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment<K> {
    pub municipality: MunicipalityCode,
    pub person: K,
    pub from: Date,
    pub to: Option<Date>,
    pub housing: Housing,
    pub palliative: bool,
}

impl<K> Enrollment<K> {
    /// The same row with another person key.
    pub fn map_person<P>(self, f: impl FnOnce(K) -> P) -> Enrollment<P> {
        Enrollment {
            person: f(self.person),
            municipality: self.municipality,
            from: self.from,
            to: self.to,
            housing: self.housing,
            palliative: self.palliative,
        }
    }
}

/// A bad cell or line, reported precisely. Never contains the personnummer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub line: usize,
    pub column: &'static str,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, rad {}, kolumn {}: {}",
            self.file, self.line, self.column, self.reason
        )
    }
}

pub const ASSESSMENT_HEADER: &str = "kommunkod;personnummer;kategori;ssk_minuter;at_minuter";
pub const ACTIVITY_HEADER: &str = "kommunkod;personnummer;datum;kva_kod;yrkeskod;minuter;delegerad";
pub const ENROLLMENT_HEADER: &str =
    "kommunkod;personnummer;inskriven_from;inskriven_tom;boende;palliativ";

pub(crate) struct Cells<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: usize,
    pub(crate) errors: &'a mut Vec<RowError>,
}

impl Cells<'_> {
    pub(crate) fn error(&mut self, column: &'static str, reason: impl Into<String>) {
        self.errors.push(RowError {
            file: self.file.to_owned(),
            line: self.line,
            column,
            reason: reason.into(),
        });
    }

    pub(crate) fn municipality(&mut self, cell: &str) -> Option<MunicipalityCode> {
        let code = MunicipalityCode::parse(cell);
        if code.is_none() {
            self.error("kommunkod", "ska vara en fyrsiffrig kommunkod");
        }
        code
    }

    /// The `personnummer` column: a personnummer in its 12-digit form, or the region's reservnummer.
    fn person(
        &mut self,
        cell: &str,
        reserve: &ReserveNumberRules,
        today: Date,
    ) -> Option<PersonId> {
        let digits = cell.bytes().all(|b| b.is_ascii_digit());
        if digits && cell.len() != 12 {
            self.error("personnummer", "ska ha 12 siffror");
            return None;
        }
        PersonId::parse(cell, reserve, today)
            .map_err(|e| self.error("personnummer", e.to_string()))
            .ok()
    }

    fn date(&mut self, column: &'static str, cell: &str) -> Option<Date> {
        let parsed = iso_date(cell);
        if parsed.is_none() {
            self.error(column, "ska vara ett datum ÅÅÅÅ-MM-DD");
        }
        parsed
    }

    fn yes_no(&mut self, column: &'static str, cell: &str) -> Option<bool> {
        match cell {
            "J" => Some(true),
            "N" | "" => Some(false),
            _ => {
                self.error(column, "ska vara J eller N");
                None
            }
        }
    }
}

/// `ÅÅÅÅ-MM-DD` and nothing else, read without a general date parser: the files have a date on
/// every one of millions of lines.
fn iso_date(cell: &str) -> Option<Date> {
    let b = cell.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0i16, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i16::from(d - b'0'))
        })
    };
    let (year, month, day) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..])?);
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// What the `personnummer` column is checked against. Checking a number again costs less
/// than looking it up among a million persons, so nothing is remembered between lines.
#[derive(Clone, Copy)]
pub struct PersonCheck<'r> {
    pub reserve: &'r ReserveNumberRules,
    pub today: Date,
}

/// Reads a file a block of lines at a time (without holding it), checking the header, and calls
/// `row` with the line number (from 1, the header) and the cells of every data line with the
/// right column count. Returns every problem found.
pub(crate) fn for_each_line(
    file: &str,
    reader: impl std::io::Read,
    header: &str,
    columns: usize,
    mut row: impl FnMut(usize, &[&str], &mut Vec<RowError>),
) -> Vec<RowError> {
    let layout = Layout {
        file,
        header,
        columns,
    };
    let mut errors = Vec::new();
    let mut readable = true;
    let read = lines::for_each_block(reader, BLOCK_SIZE, |block| {
        if readable {
            readable = layout.data_lines(&block, &mut errors, &mut row);
        }
    });
    if read.is_err() {
        errors.push(RowError {
            file: file.to_owned(),
            line: 0,
            column: "fil",
            reason: "kunde inte läsas till slut".to_owned(),
        });
    }
    errors
}

/// How much of a file is read at a time: large enough that a block's bookkeeping does not show,
/// small enough that a few blocks per core stay far below the persons' memory.
pub const BLOCK_SIZE: usize = 4 << 20;

/// The rows `read` gives when it finds no problem; else every problem and no rows.
pub(crate) fn all_or_nothing<T>(
    read: impl FnOnce(&mut Vec<T>) -> Vec<RowError>,
) -> Result<Vec<T>, Vec<RowError>> {
    let mut rows = Vec::new();
    let errors = read(&mut rows);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Streams `aktiviteter` rows from `reader` into `sink`; returns every problem found. Callers that
/// store rows do so only when this comes back empty (all or nothing).
pub fn read_activities(
    file: &str,
    reader: impl std::io::Read,
    reserve: &ReserveNumberRules,
    today: Date,
    mut sink: impl FnMut(Activity<PersonId>),
) -> Vec<RowError> {
    let persons = PersonCheck { reserve, today };
    let layout = activity_layout(file);
    for_each_line(
        file,
        reader,
        layout.header,
        layout.columns,
        |line, c, errors| {
            activity_line(file, line, c, persons, errors, |row| {
                sink(row.into_activity())
            });
        },
    )
}

/// The layout of an `aktiviteter` file.
pub fn activity_layout(file: &str) -> Layout<'_> {
    Layout {
        file,
        header: ACTIVITY_HEADER,
        columns: 7,
    }
}

/// Checks the `aktiviteter` lines of one block of a file, and gives each good row to `sink`
/// without copying its codes. Returns `false` when the block holds a wrong header.
pub fn read_activity_block(
    file: &str,
    block: &LineBlock,
    persons: PersonCheck,
    errors: &mut Vec<RowError>,
    mut sink: impl FnMut(ActivityRow<'_, PersonId>),
) -> bool {
    activity_layout(file).data_lines(block, errors, |line, c, errors| {
        activity_line(file, line, c, persons, errors, &mut sink);
    })
}

fn activity_line(
    file: &str,
    line: usize,
    c: &[&str],
    persons: PersonCheck,
    errors: &mut Vec<RowError>,
    mut sink: impl FnMut(ActivityRow<'_, PersonId>),
) {
    let mut cells = Cells { file, line, errors };
    let municipality = cells.municipality(c[0]);
    let person = cells.person(c[1], persons.reserve, persons.today);
    let date = cells.date("datum", c[2]);
    let code_ok = is_kva_code(c[3]);
    if !code_ok {
        cells.error("kva_kod", "ska vara en KVÅ-kod: tre bokstäver och två siffror, eller två bokstäver och tre siffror, inte slutande på 000");
    }
    let profession_ok =
        c[4].len() == 5 && c[4].starts_with("XS") && c[4][2..].bytes().all(|b| b.is_ascii_digit());
    if !profession_ok {
        cells.error("yrkeskod", "ska vara en KVÅ-yrkeskod, t.ex. XS919");
    }
    let minutes = match c[5] {
        "" => Some(None),
        text => match text.parse::<u32>() {
            Ok(m) if m <= 1440 => Some(Some(m)),
            _ => {
                cells.error("minuter", "ska vara ett heltal 0–1440, eller tomt");
                None
            }
        },
    };
    let delegated = cells.yes_no("delegerad", c[6]);
    if let (
        Some(municipality),
        Some(person),
        Some(date),
        Some(minutes),
        Some(delegated),
        true,
        true,
    ) = (
        municipality,
        person,
        date,
        minutes,
        delegated,
        code_ok,
        profession_ok,
    ) {
        sink(ActivityRow {
            municipality,
            person,
            date,
            code: c[3],
            profession: c[4],
            minutes,
            delegated,
        });
    }
}

/// Reads a whole `aktiviteter` file. Any error means no rows.
pub fn parse_activities(
    file: &str,
    text: &str,
    reserve: &ReserveNumberRules,
    today: Date,
) -> Result<Vec<Activity<PersonId>>, Vec<RowError>> {
    all_or_nothing(|rows| {
        read_activities(file, text.as_bytes(), reserve, today, |row| rows.push(row))
    })
}

/// Streams `inskrivningar` rows from `reader` into `sink`; returns every problem found. Callers that
/// store rows do so only when this comes back empty (all or nothing).
pub fn read_enrollments(
    file: &str,
    reader: impl std::io::Read,
    reserve: &ReserveNumberRules,
    today: Date,
    mut sink: impl FnMut(Enrollment<PersonId>),
) -> Vec<RowError> {
    let persons = PersonCheck { reserve, today };
    let layout = enrollment_layout(file);
    for_each_line(
        file,
        reader,
        layout.header,
        layout.columns,
        |line, c, errors| {
            enrollment_line(file, line, c, persons, errors, &mut sink);
        },
    )
}

/// The layout of an `inskrivningar` file.
pub fn enrollment_layout(file: &str) -> Layout<'_> {
    Layout {
        file,
        header: ENROLLMENT_HEADER,
        columns: 6,
    }
}

/// Checks the `inskrivningar` lines of one block of a file, and gives each good row to `sink`.
/// Returns `false` when the block holds a wrong header.
pub fn read_enrollment_block(
    file: &str,
    block: &LineBlock,
    persons: PersonCheck,
    errors: &mut Vec<RowError>,
    mut sink: impl FnMut(Enrollment<PersonId>),
) -> bool {
    enrollment_layout(file).data_lines(block, errors, |line, c, errors| {
        enrollment_line(file, line, c, persons, errors, &mut sink);
    })
}

fn enrollment_line(
    file: &str,
    line: usize,
    c: &[&str],
    persons: PersonCheck,
    errors: &mut Vec<RowError>,
    mut sink: impl FnMut(Enrollment<PersonId>),
) {
    let mut cells = Cells { file, line, errors };
    let municipality = cells.municipality(c[0]);
    let person = cells.person(c[1], persons.reserve, persons.today);
    let from = cells.date("inskriven_from", c[2]);
    let to = if c[3].is_empty() {
        Some(None)
    } else {
        cells.date("inskriven_tom", c[3]).map(Some)
    };
    if let (Some(from), Some(Some(to))) = (from, to)
        && to < from
    {
        cells.error("inskriven_tom", "ligger före inskriven_from");
    }
    let housing = match c[4] {
        "ordinärt" => Some(Housing::Ordinary),
        "särskilt" => Some(Housing::Special),
        _ => {
            cells.error("boende", "ska vara ordinärt eller särskilt");
            None
        }
    };
    let palliative = cells.yes_no("palliativ", c[5]);
    if let (
        Some(municipality),
        Some(person),
        Some(from),
        Some(to),
        Some(housing),
        Some(palliative),
    ) = (municipality, person, from, to, housing, palliative)
    {
        sink(Enrollment {
            municipality,
            person,
            from,
            to,
            housing,
            palliative,
        });
    }
}

/// Reads a whole `inskrivningar` file. Any error means no rows.
pub fn parse_enrollments(
    file: &str,
    text: &str,
    reserve: &ReserveNumberRules,
    today: Date,
) -> Result<Vec<Enrollment<PersonId>>, Vec<RowError>> {
    all_or_nothing(|rows| {
        read_enrollments(file, text.as_bytes(), reserve, today, |row| rows.push(row))
    })
}

/// Patientkategori.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    One,
    TwoA,
    TwoB,
    Three,
    Four,
    Five,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::One,
        Category::TwoA,
        Category::TwoB,
        Category::Three,
        Category::Four,
        Category::Five,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::One => "1",
            Category::TwoA => "2a",
            Category::TwoB => "2b",
            Category::Three => "3",
            Category::Four => "4",
            Category::Five => "5",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::One => "Trygghetspatient / hembesökspatient",
            Category::TwoA => "Hemsjukvårdspatient – lätt",
            Category::TwoB => "Hemsjukvårdspatient – svår",
            Category::Three => "Rehabpatient",
            Category::Four => "Avancerad hemsjukvårdspatient",
            Category::Five => "Palliativ vård",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A manual assessment (manuell bedömning) by the responsible SSK/AT, for municipalities that
/// assess by hand instead of registering KVÅ codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualAssessment<K> {
    pub municipality: MunicipalityCode,
    pub person: K,
    pub category: Category,
    pub nurse_minutes: u32,
    pub rehab_minutes: u32,
}

impl<K> ManualAssessment<K> {
    /// The same row with another person key.
    pub fn map_person<P>(self, f: impl FnOnce(K) -> P) -> ManualAssessment<P> {
        ManualAssessment {
            person: f(self.person),
            municipality: self.municipality,
            category: self.category,
            nurse_minutes: self.nurse_minutes,
            rehab_minutes: self.rehab_minutes,
        }
    }
}

/// Streams `bedomningar` rows from `reader` into `sink`; returns every problem found. Callers that
/// store rows do so only when this comes back empty (all or nothing).
pub fn read_assessments(
    file: &str,
    reader: impl std::io::Read,
    reserve: &ReserveNumberRules,
    today: Date,
    mut sink: impl FnMut(ManualAssessment<PersonId>),
) -> Vec<RowError> {
    let persons = PersonCheck { reserve, today };
    for_each_line(file, reader, ASSESSMENT_HEADER, 5, |line, c, errors| {
        let mut cells = Cells { file, line, errors };
        let municipality = cells.municipality(c[0]);
        let person = cells.person(c[1], persons.reserve, persons.today);
        let category = Category::from_code(c[2]);
        if category.is_none() {
            cells.error("kategori", "ska vara 1, 2a, 2b, 3, 4 eller 5");
        }
        let mut minutes = |column: &'static str, cell: &str| match cell {
            "" => Some(0),
            text => text.parse::<u32>().ok().or_else(|| {
                cells.error(column, "ska vara ett heltal, eller tomt");
                None
            }),
        };
        let nurse = minutes("ssk_minuter", c[3]);
        let rehab = minutes("at_minuter", c[4]);
        if let (
            Some(municipality),
            Some(person),
            Some(category),
            Some(nurse_minutes),
            Some(rehab_minutes),
        ) = (municipality, person, category, nurse, rehab)
        {
            sink(ManualAssessment {
                municipality,
                person,
                category,
                nurse_minutes,
                rehab_minutes,
            });
        }
    })
}

/// Reads a whole `bedomningar` file. Any error means no rows.
pub fn parse_assessments(
    file: &str,
    text: &str,
    reserve: &ReserveNumberRules,
    today: Date,
) -> Result<Vec<ManualAssessment<PersonId>>, Vec<RowError>> {
    all_or_nothing(|rows| {
        read_assessments(file, text.as_bytes(), reserve, today, |row| rows.push(row))
    })
}

/// Replaces the result of every municipality that has manual assessments for the period by what
/// the assessments say: one source per municipality and period, recorded in `manual`.
pub fn with_manual_assessments<K: Ord + Clone>(
    mut measurement: Measurement,
    assessments: &[ManualAssessment<K>],
) -> Measurement {
    let mut by_municipality: BTreeMap<MunicipalityCode, BTreeMap<K, &ManualAssessment<K>>> =
        BTreeMap::new();
    for a in assessments {
        by_municipality
            .entry(a.municipality)
            .or_default()
            .insert(a.person.clone(), a);
    }
    for (code, people) in by_municipality {
        let delegated = measurement
            .municipalities
            .iter()
            .find(|m| m.code == code)
            .map_or(0, |m| m.delegated_activities);
        let mut result = MunicipalityResult {
            code,
            patients: people.len() as u64,
            categories: [0; 6],
            nurse_minutes: 0,
            rehab_minutes: 0,
            delegated_activities: delegated,
            excluded_special_housing: 0,
            manual: true,
        };
        for a in people.values() {
            result.categories[a.category.index()] += 1;
            result.nurse_minutes += u64::from(a.nurse_minutes);
            result.rehab_minutes += u64::from(a.rehab_minutes);
        }
        measurement.municipalities.retain(|m| m.code != code);
        measurement.municipalities.push(result);
    }
    measurement.municipalities.sort_by_key(|m| m.code);
    measurement
}

/// What decides a person's category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub enrolled: bool,
    pub palliative: bool,
    pub advanced: bool,
    /// A code of group `lakemedel` or `hemsjukvard_kontinuerlig`.
    pub continuous_care: bool,
    pub nurse_minutes: u64,
    pub rehab_minutes: u64,
}

/// The first rule that matches (the agreement's order).
pub fn categorise(facts: &Facts, period_days: i64, rules: &MeasurementRules) -> Category {
    let total = Decimal::from(facts.nurse_minutes + facts.rehab_minutes);
    // weekly hours = total / 60 / (days / 7) > limit  ⇔  total × 7 > limit × 60 × days (exact).
    let over_limit = total * Decimal::from(7)
        > rules.weekly_hours_limit * Decimal::from(60) * Decimal::from(period_days);
    if facts.palliative {
        Category::Five
    } else if facts.advanced {
        Category::Four
    } else if facts.nurse_minutes == 0 && facts.rehab_minutes > 0 {
        Category::Three
    } else if !facts.enrolled {
        Category::One
    } else if over_limit {
        Category::TwoB
    } else if facts.continuous_care {
        Category::TwoA
    } else {
        Category::One
    }
}

/// One municipality's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityResult {
    pub code: MunicipalityCode,
    pub patients: u64,
    /// Indexed in [`Category::ALL`] order.
    pub categories: [u64; 6],
    pub nurse_minutes: u64,
    pub rehab_minutes: u64,
    /// Delegated activities in the period: reported, never counted in categories or hours.
    pub delegated_activities: u64,
    /// Persons with activities whose every overlapping enrollment was särskilt boende.
    pub excluded_special_housing: u64,
    /// The source was manual assessments, not KVÅ activities.
    pub manual: bool,
}

impl Measurement {
    /// Two measurements of the same period over different persons, as one.
    fn add(mut self, other: Measurement) -> Measurement {
        let mut by_code: BTreeMap<MunicipalityCode, MunicipalityResult> = self
            .municipalities
            .into_iter()
            .map(|m| (m.code, m))
            .collect();
        for theirs in other.municipalities {
            let ours = by_code
                .entry(theirs.code)
                .or_insert_with(|| MunicipalityResult::empty(theirs.code));
            ours.patients += theirs.patients;
            for (count, more) in ours.categories.iter_mut().zip(theirs.categories) {
                *count += more;
            }
            ours.nurse_minutes += theirs.nurse_minutes;
            ours.rehab_minutes += theirs.rehab_minutes;
            ours.delegated_activities += theirs.delegated_activities;
            ours.excluded_special_housing += theirs.excluded_special_housing;
        }
        self.municipalities = by_code.into_values().collect();
        self.persons_in_several_municipalities += other.persons_in_several_municipalities;
        for (code, count) in other.unknown_codes {
            *self.unknown_codes.entry(code).or_default() += count;
        }
        self
    }
}

impl MunicipalityResult {
    /// A municipality with no data for the period.
    pub fn empty(code: MunicipalityCode) -> MunicipalityResult {
        MunicipalityResult {
            code,
            patients: 0,
            categories: [0; 6],
            nurse_minutes: 0,
            rehab_minutes: 0,
            delegated_activities: 0,
            excluded_special_housing: 0,
            manual: false,
        }
    }

    pub fn count(&self, category: Category) -> u64 {
        self.categories[category.index()]
    }
}

/// A period's measurement, with its data-quality findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measurement {
    pub period: Period,
    pub municipalities: Vec<MunicipalityResult>,
    /// Persons counted in more than one municipality.
    pub persons_in_several_municipalities: u64,
    /// Codes the rule set knows nothing about, with how many rows used them.
    pub unknown_codes: BTreeMap<String, u64>,
}

#[derive(Clone, Copy)]
struct CodeFacts {
    known: bool,
    palliative: bool,
    advanced: bool,
    continuous: bool,
}

impl CodeFacts {
    fn of(code: &str, rules: &MeasurementRules) -> CodeFacts {
        CodeFacts {
            known: rules.is_known(code),
            palliative: rules.in_group("palliativ", code),
            advanced: rules.in_group("avancerad", code),
            continuous: rules.in_group("lakemedel", code)
                || rules.in_group("hemsjukvard_kontinuerlig", code),
        }
    }
}

/// A code of at most eight bytes as one number (KVÅ and profession codes have five).
fn packed(code: &str) -> Option<u64> {
    let bytes = code.as_bytes();
    (bytes.len() <= 8).then(|| {
        let mut word = [0u8; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(word)
    })
}

#[derive(Default, Clone, Copy)]
struct Acc {
    /// Minutes as 32 bits keep a person's entry small (a row has at most 1 440); the sums
    /// saturate rather than wrap.
    nurse: u32,
    rehab: u32,
    palliative_code: bool,
    advanced: bool,
    continuous: bool,
}

/// What one activity row adds to a person's account once the rules have judged it: a licensed
/// profession's minutes, not delegated, in the period. Small and owned, so that a reader can
/// hand it to the reader whose shard keeps the person.
pub struct PersonActivity<K> {
    municipality: MunicipalityCode,
    person: K,
    minutes: u32,
    nurse: bool,
    facts: CodeFacts,
}

impl<K> PersonActivity<K> {
    pub fn person(&self) -> &K {
        &self.person
    }
}

/// What the enrollment rows of one person and municipality that overlap the period say.
#[derive(Clone, Copy)]
struct EnrollmentFacts {
    ordinary: bool,
    special_only: bool,
    palliative: bool,
}

impl Acc {
    fn add(&mut self, other: &Acc) {
        self.nurse = self.nurse.saturating_add(other.nurse);
        self.rehab = self.rehab.saturating_add(other.rehab);
        self.palliative_code |= other.palliative_code;
        self.advanced |= other.advanced;
        self.continuous |= other.continuous;
    }
}

/// Adds what one more enrollment row (or another reader's rows) says of a person.
fn add_enrollment_facts<K: Eq + std::hash::Hash>(
    known: &mut FxHashMap<(MunicipalityCode, K), EnrollmentFacts>,
    key: (MunicipalityCode, K),
    facts: EnrollmentFacts,
) {
    match known.entry(key) {
        Entry::Occupied(mut ours) => {
            let ours = ours.get_mut();
            ours.ordinary |= facts.ordinary;
            ours.special_only &= facts.special_only;
            ours.palliative |= facts.palliative;
        }
        Entry::Vacant(slot) => {
            slot.insert(facts);
        }
    }
}

/// Classifies row by row, keeping per person only what the rules need: memory grows with the
/// number of persons, not rows, so a file can be streamed through it.
pub struct Accumulator<'r, K> {
    period: Period,
    rules: &'r MeasurementRules,
    /// What the rules say of each code seen, by the code's bytes as a number: a lookup per row
    /// without comparing strings.
    codes: FxHashMap<u64, CodeFacts>,
    nurse_professions: Vec<u64>,
    rehab_professions: Vec<u64>,
    /// The persons in shards by a hash of the person, one per core that will finish them, so
    /// that a core's share is handed to it whole instead of sifted out of every map.
    people: Vec<FxHashMap<(MunicipalityCode, K), Acc>>,
    enrollments: Vec<FxHashMap<(MunicipalityCode, K), EnrollmentFacts>>,
    delegated: BTreeMap<MunicipalityCode, u64>,
    unknown_codes: BTreeMap<String, u64>,
}

/// Which of `shards` a person falls to: the high half of her hash, as the maps place keys by the
/// low bits.
fn shard_of<K: std::hash::Hash>(person: &K, shards: usize) -> usize {
    if shards <= 1 {
        return 0;
    }
    (rustc_hash::FxBuildHasher.hash_one(person) >> 32) as usize % shards
}

/// One shard's persons: what they did, and their enrollments.
type Shard<K> = (
    FxHashMap<(MunicipalityCode, K), Acc>,
    FxHashMap<(MunicipalityCode, K), EnrollmentFacts>,
);

impl<'r, K: Eq + Clone + std::hash::Hash> Accumulator<'r, K> {
    pub fn new(period: Period, rules: &'r MeasurementRules) -> Self {
        Self::sharded(period, rules, 1)
    }

    /// An accumulator whose persons are kept in `shards` parts, for `finish_together` on as many
    /// cores.
    pub fn sharded(period: Period, rules: &'r MeasurementRules, shards: usize) -> Self {
        let shards = shards.max(1);
        Accumulator {
            period,
            rules,
            codes: FxHashMap::default(),
            nurse_professions: rules
                .nurse_professions
                .iter()
                .filter_map(|p| packed(p))
                .collect(),
            rehab_professions: rules
                .rehab_professions
                .iter()
                .filter_map(|p| packed(p))
                .collect(),
            people: (0..shards).map(|_| FxHashMap::default()).collect(),
            enrollments: (0..shards).map(|_| FxHashMap::default()).collect(),
            delegated: BTreeMap::new(),
            unknown_codes: BTreeMap::new(),
        }
    }

    pub fn add_activity(&mut self, a: ActivityRow<'_, K>) {
        if let Some(share) = self.judge_activity(a) {
            self.add_person_activity(share);
        }
    }

    /// Which of this accumulator's shards keeps `person`.
    pub fn shard_of(&self, person: &K) -> usize {
        shard_of(person, self.people.len())
    }

    /// Judges an activity row by the rules: counts it if it is delegated or has an unknown code,
    /// and returns what it adds to the person's account, if anything. The share may be added
    /// to another reader's accumulator, the one whose shard keeps her.
    pub fn judge_activity(&mut self, a: ActivityRow<'_, K>) -> Option<PersonActivity<K>> {
        if !self.period.contains(a.date) {
            return None;
        }
        let rules = self.rules;
        let facts = match packed(a.code) {
            Some(key) => *self
                .codes
                .entry(key)
                .or_insert_with(|| CodeFacts::of(a.code, rules)),
            None => CodeFacts::of(a.code, rules),
        };
        if !facts.known {
            *self.unknown_codes.entry(a.code.to_owned()).or_default() += 1;
        }
        if a.delegated {
            *self.delegated.entry(a.municipality).or_default() += 1;
            return None;
        }
        let profession = packed(a.profession);
        let nurse = profession.is_some_and(|p| self.nurse_professions.contains(&p));
        let rehab = profession.is_some_and(|p| self.rehab_professions.contains(&p));
        if !nurse && !rehab {
            return None;
        }
        let minutes = a
            .minutes
            .or_else(|| rules.standard_minutes.get(a.code).copied())
            .unwrap_or(rules.default_minutes);
        Some(PersonActivity {
            municipality: a.municipality,
            person: a.person,
            minutes,
            nurse,
            facts,
        })
    }

    /// Adds a judged activity to the person's account, in the shard that keeps her.
    pub fn add_person_activity(&mut self, share: PersonActivity<K>) {
        let shard = shard_of(&share.person, self.people.len());
        let acc = self.people[shard]
            .entry((share.municipality, share.person))
            .or_default();
        if share.nurse {
            acc.nurse = acc.nurse.saturating_add(share.minutes);
        } else {
            acc.rehab = acc.rehab.saturating_add(share.minutes);
        }
        acc.palliative_code |= share.facts.palliative;
        acc.advanced |= share.facts.advanced;
        acc.continuous |= share.facts.continuous;
    }

    pub fn add_enrollment(&mut self, e: &Enrollment<K>) {
        if !self.period.overlaps(e.from, e.to) {
            return;
        }
        let facts = EnrollmentFacts {
            ordinary: e.housing == Housing::Ordinary,
            special_only: e.housing == Housing::Special,
            palliative: e.palliative,
        };
        let shard = shard_of(&e.person, self.enrollments.len());
        add_enrollment_facts(
            &mut self.enrollments[shard],
            (e.municipality, e.person.clone()),
            facts,
        );
    }

    /// The persons in exactly `shards` shards: as kept when the counts agree, otherwise sorted
    /// out again.
    fn into_shards(self, shards: usize) -> Vec<Shard<K>> {
        if self.people.len() == shards {
            return self.people.into_iter().zip(self.enrollments).collect();
        }
        let mut sorted: Vec<Shard<K>> = (0..shards)
            .map(|_| (FxHashMap::default(), FxHashMap::default()))
            .collect();
        for (key, acc) in self.people.into_iter().flatten() {
            sorted[shard_of(&key.1, shards)].0.insert(key, acc);
        }
        for (key, facts) in self.enrollments.into_iter().flatten() {
            sorted[shard_of(&key.1, shards)].1.insert(key, facts);
        }
        sorted
    }

    /// Finishes the accumulators of several readers of the same files as one measurement, a
    /// core per part: each core takes the same shard of every part, so that a person read by
    /// several readers is classified once, on her whole month. The core's own part's shard is
    /// taken as it is and the others are added to it.
    pub fn finish_together(parts: Vec<Accumulator<'r, K>>) -> Option<Measurement>
    where
        K: Send + Sync,
    {
        let first = parts.first()?;
        let (period, rules) = (first.period, first.rules);
        let cores = parts.len();
        let mut delegated: BTreeMap<MunicipalityCode, u64> = BTreeMap::new();
        let mut unknown_codes: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_core: Vec<Vec<Shard<K>>> = (0..cores).map(|_| Vec::new()).collect();
        for (index, mut part) in parts.into_iter().enumerate() {
            for (municipality, count) in std::mem::take(&mut part.delegated) {
                *delegated.entry(municipality).or_default() += count;
            }
            for (code, count) in std::mem::take(&mut part.unknown_codes) {
                *unknown_codes.entry(code).or_default() += count;
            }
            for (core, shard) in part.into_shards(cores).into_iter().enumerate() {
                // The core's own part first: it becomes the map the others are added to.
                if core == index {
                    by_core[core].insert(0, shard);
                } else {
                    by_core[core].push(shard);
                }
            }
        }
        let measured: Vec<Measurement> = std::thread::scope(|scope| {
            let handles: Vec<_> = by_core
                .into_iter()
                .map(|shards| {
                    scope.spawn(move || {
                        let mut shards = shards.into_iter();
                        let (mut people, mut enrollments) = shards.next().unwrap_or_default();
                        for (more_people, more_enrollments) in shards {
                            for (key, acc) in more_people {
                                people.entry(key).or_default().add(&acc);
                            }
                            for (key, facts) in more_enrollments {
                                add_enrollment_facts(&mut enrollments, key, facts);
                            }
                        }
                        let mut mine = Accumulator::new(period, rules);
                        mine.people = vec![people];
                        mine.enrollments = vec![enrollments];
                        mine.finish()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        let mut rest = Accumulator::<K>::new(period, rules);
        rest.delegated = delegated;
        rest.unknown_codes = unknown_codes;
        measured
            .into_iter()
            .reduce(Measurement::add)
            .map(|m| m.add(rest.finish()))
    }

    pub fn finish(self) -> Measurement {
        let mut results: BTreeMap<MunicipalityCode, MunicipalityResult> = BTreeMap::new();
        let mut seen: FxHashMap<K, u32> = FxHashMap::default();
        let shards = self.enrollments.len();
        for ((municipality, person), acc) in self.people.into_iter().flatten() {
            let result = results
                .entry(municipality)
                .or_insert_with(|| MunicipalityResult::empty(municipality));
            let enrolled =
                self.enrollments[shard_of(&person, shards)].get(&(municipality, person.clone()));
            if enrolled.is_some_and(|e| e.special_only) {
                result.excluded_special_housing += 1;
                continue;
            }
            let facts = Facts {
                enrolled: enrolled.is_some_and(|e| e.ordinary),
                palliative: acc.palliative_code || enrolled.is_some_and(|e| e.palliative),
                advanced: acc.advanced,
                continuous_care: acc.continuous,
                nurse_minutes: u64::from(acc.nurse),
                rehab_minutes: u64::from(acc.rehab),
            };
            let category = categorise(&facts, self.period.days(), self.rules);
            result.patients += 1;
            result.categories[category.index()] += 1;
            result.nurse_minutes += u64::from(acc.nurse);
            result.rehab_minutes += u64::from(acc.rehab);
            *seen.entry(person).or_default() += 1;
        }
        for (municipality, count) in self.delegated {
            results
                .entry(municipality)
                .or_insert_with(|| MunicipalityResult::empty(municipality))
                .delegated_activities = count;
        }
        Measurement {
            period: self.period,
            municipalities: results.into_values().collect(),
            persons_in_several_municipalities: seen.values().filter(|n| **n > 1).count() as u64,
            unknown_codes: self.unknown_codes,
        }
    }
}

/// Classifies every person with a licensed, non-delegated activity in the period.
pub fn measure<K: Ord + Clone + std::hash::Hash>(
    period: Period,
    activities: &[Activity<K>],
    enrollments: &[Enrollment<K>],
    rules: &MeasurementRules,
) -> Measurement {
    let mut accumulator = Accumulator::new(period, rules);
    for a in activities {
        accumulator.add_activity(a.row());
    }
    for e in enrollments {
        accumulator.add_enrollment(e);
    }
    accumulator.finish()
}

/// Exact duplicate activity rows per municipality: the copies beyond the first. They are allowed
/// (two injections on one day are real) and all counted, but shown in the data-quality section.
pub fn exact_duplicates<K: Eq + std::hash::Hash>(
    activities: &[Activity<K>],
) -> BTreeMap<MunicipalityCode, u64> {
    let mut seen = std::collections::HashSet::new();
    let mut copies: BTreeMap<MunicipalityCode, u64> = BTreeMap::new();
    for a in activities {
        if !seen.insert(a) {
            *copies.entry(a.municipality).or_default() += 1;
        }
    }
    copies
}

/// A date inside the period (for generating test and demo data).
pub fn day_in(period: Period, n: i64) -> Date {
    period
        .first
        .saturating_add((n.rem_euclid(period.days())).days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn rules() -> MeasurementRules {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .measurement
    }

    fn reserve() -> ReserveNumberRules {
        RuleSet::from_toml(include_str!("../../../../rules/orebro-2025.toml"))
            .unwrap()
            .reserve_number
    }

    fn orebro() -> MunicipalityCode {
        MunicipalityCode::parse("1880").unwrap()
    }

    fn act(
        person: &str,
        day: i8,
        code: &str,
        profession: &str,
        minutes: Option<u32>,
        delegated: bool,
    ) -> Activity<String> {
        Activity {
            municipality: orebro(),
            person: person.to_owned(),
            date: date(2026, 2, day),
            code: code.to_owned(),
            profession: profession.to_owned(),
            minutes,
            delegated,
        }
    }

    fn enrolled(
        person: &str,
        from: Date,
        to: Option<Date>,
        housing: Housing,
        palliative: bool,
    ) -> Enrollment<String> {
        Enrollment {
            municipality: orebro(),
            person: person.to_owned(),
            from,
            to,
            housing,
            palliative,
        }
    }

    fn february() -> Period {
        Period::month("2026-02").unwrap()
    }

    fn only(m: &Measurement) -> &MunicipalityResult {
        &m.municipalities[0]
    }

    fn category_of(m: &Measurement) -> Category {
        let r = only(m);
        Category::ALL
            .into_iter()
            .find(|c| r.count(*c) == 1)
            .unwrap()
    }

    #[test]
    fn exact_duplicates_count_the_copies_and_all_rows_still_count() {
        let rules = rules();
        let injection = act("p", 3, "DT021", "XS919", Some(10), false);
        let activities = vec![
            injection.clone(),
            injection.clone(),
            injection,
            act("p", 3, "DT021", "XS919", Some(11), false),
        ];
        assert_eq!(exact_duplicates(&activities).get(&orebro()), Some(&2));
        let m = measure(february(), &activities, &[], &rules);
        assert_eq!(only(&m).nurse_minutes, 41);
    }

    #[test]
    fn exactly_two_hours_a_week_is_2a_and_a_minute_more_is_2b() {
        let rules = rules();
        // February 2026 has 28 days: 2.0 h/week is exactly 480 minutes.
        let e = [enrolled(
            "p",
            date(2026, 1, 1),
            None,
            Housing::Ordinary,
            false,
        )];
        let at_limit = [
            act("p", 2, "DT021", "XS919", Some(400), false),
            act("p", 3, "DT021", "XS910", Some(80), false),
        ];
        assert_eq!(
            category_of(&measure(february(), &at_limit, &e, &rules)),
            Category::TwoA
        );
        let over = [act("p", 2, "DT021", "XS919", Some(481), false)];
        assert_eq!(
            category_of(&measure(february(), &over, &e, &rules)),
            Category::TwoB
        );
        let below_without_medication = [act("p", 2, "QB001", "XS919", Some(30), false)];
        assert_eq!(
            category_of(&measure(february(), &below_without_medication, &e, &rules)),
            Category::One
        );
    }

    #[test]
    fn delegated_only_persons_are_not_patients_but_are_counted() {
        let rules = rules();
        let rows = [
            act("p", 2, "DT021", "XS921", Some(30), true),
            act("p", 3, "DT021", "XS919", Some(30), true),
        ];
        let m = measure(february(), &rows, &[], &rules);
        assert_eq!(only(&m).patients, 0);
        assert_eq!(only(&m).delegated_activities, 2);
    }

    #[test]
    fn special_housing_is_out_of_scope() {
        let rules = rules();
        let rows = [act("p", 2, "DT021", "XS919", Some(30), false)];
        let e = [enrolled(
            "p",
            date(2026, 1, 1),
            None,
            Housing::Special,
            false,
        )];
        let m = measure(february(), &rows, &e, &rules);
        assert_eq!(only(&m).patients, 0);
        assert_eq!(only(&m).excluded_special_housing, 1);
        let both = [
            e[0].clone(),
            enrolled("p", date(2026, 2, 10), None, Housing::Ordinary, false),
        ];
        assert_eq!(
            category_of(&measure(february(), &rows, &both, &rules)),
            Category::TwoA
        );
    }

    #[test]
    fn enrollment_overlapping_the_period_edge_counts() {
        let rules = rules();
        let rows = [act("p", 2, "DT021", "XS919", Some(30), false)];
        let ends_first_day = [enrolled(
            "p",
            date(2026, 1, 10),
            Some(date(2026, 2, 1)),
            Housing::Ordinary,
            false,
        )];
        assert_eq!(
            category_of(&measure(february(), &rows, &ends_first_day, &rules)),
            Category::TwoA
        );
        let ends_before = [enrolled(
            "p",
            date(2026, 1, 10),
            Some(date(2026, 1, 31)),
            Housing::Ordinary,
            false,
        )];
        assert_eq!(
            category_of(&measure(february(), &rows, &ends_before, &rules)),
            Category::One,
            "not enrolled"
        );
        let starts_last_day = [enrolled(
            "p",
            date(2026, 2, 28),
            None,
            Housing::Ordinary,
            false,
        )];
        assert_eq!(
            category_of(&measure(february(), &rows, &starts_last_day, &rules)),
            Category::TwoA
        );
    }

    #[test]
    fn an_unknown_code_is_reported_and_still_counted() {
        let rules = rules();
        let rows = [act("p", 2, "ZZ123", "XS919", None, false)];
        let m = measure(february(), &rows, &[], &rules);
        assert_eq!(m.unknown_codes.get("ZZ123"), Some(&1));
        assert_eq!(only(&m).nurse_minutes, u64::from(rules.default_minutes));
        assert_eq!(category_of(&m), Category::One);
    }

    #[test]
    fn only_occupational_therapy_while_enrolled_is_3_and_the_higher_rules_win() {
        let rules = rules();
        let e = [enrolled(
            "p",
            date(2026, 1, 1),
            None,
            Housing::Ordinary,
            false,
        )];
        let rows = [act("p", 2, "QB001", "XS910", Some(600), false)];
        assert_eq!(
            category_of(&measure(february(), &rows, &e, &rules)),
            Category::Three
        );
        let dialysis = [act("p", 2, "DR014", "XS919", Some(60), false)];
        assert_eq!(
            category_of(&measure(february(), &dialysis, &e, &rules)),
            Category::Four
        );
        let palliative = [enrolled(
            "p",
            date(2026, 1, 1),
            None,
            Housing::Ordinary,
            true,
        )];
        assert_eq!(
            category_of(&measure(february(), &dialysis, &palliative, &rules)),
            Category::Five
        );
    }

    #[test]
    fn parts_finished_together_measure_as_one_reader_would() {
        let rules = rules();
        let mut rows = Vec::new();
        for person in 0..40 {
            let p = format!("p{person}");
            for day in 1..=(person % 9 + 1) {
                let code = ["DT021", "QB001", "PB001", "DR014"][person % 4];
                let profession = ["XS919", "XS910", "XS921"][(person + day) % 3];
                rows.push(act(
                    &p,
                    day as i8,
                    code,
                    profession,
                    Some(25 * day as u32),
                    day == 3,
                ));
            }
            if person % 7 == 0 {
                let mut elsewhere = act(&p, 5, "DT021", "XS919", Some(40), false);
                elsewhere.municipality = MunicipalityCode::parse("1881").unwrap();
                rows.push(elsewhere);
            }
        }
        let enrollments: Vec<_> = (0..40)
            .filter(|p| p % 3 != 0)
            .map(|p| {
                let housing = if p % 5 == 0 {
                    Housing::Special
                } else {
                    Housing::Ordinary
                };
                enrolled(
                    &format!("p{p}"),
                    date(2026, 1, 1),
                    None,
                    housing,
                    p % 4 == 0,
                )
            })
            .collect();
        let whole = measure(february(), &rows, &enrollments, &rules);
        // Parts kept in one shard each are sorted out at the end; parts kept in a shard per core
        // are handed over whole.
        for shards in [1, 3] {
            let mut parts: Vec<Accumulator<String>> = (0..3)
                .map(|_| Accumulator::sharded(february(), &rules, shards))
                .collect();
            // A person's rows are spread over every part, as blocks of a file are over the cores.
            for (n, row) in rows.iter().enumerate() {
                parts[n % 3].add_activity(row.row());
            }
            for (n, enrollment) in enrollments.iter().enumerate() {
                parts[n % 2].add_enrollment(enrollment);
            }
            let together = Accumulator::finish_together(parts).unwrap();
            assert_eq!(together, whole, "{shards} shards");
        }
        assert!(whole.persons_in_several_municipalities > 0);
        assert!(
            whole
                .municipalities
                .iter()
                .any(|m| m.excluded_special_housing > 0)
        );
    }

    #[test]
    fn a_person_in_two_municipalities_is_counted_in_each() {
        let rules = rules();
        let mut kumla = act("p", 2, "DT021", "XS919", Some(30), false);
        kumla.municipality = MunicipalityCode::parse("1881").unwrap();
        let m = measure(
            february(),
            &[act("p", 2, "DT021", "XS919", Some(30), false), kumla],
            &[],
            &rules,
        );
        assert_eq!(m.municipalities.len(), 2);
        assert_eq!(m.persons_in_several_municipalities, 1);
    }

    #[test]
    fn files_parse_with_samordningsnummer_and_reservnummer_and_errors_name_line_and_column() {
        let today = date(2026, 11, 23);
        let reserve = &reserve();
        let good = format!(
            "{ACTIVITY_HEADER}\n1880;202601612381;2026-10-02;DT021;XS919;;J\n1880;191212121212;2026-10-03;DR014;XS919;45;\n1880;19450829TB1F;2026-10-03;DR014;XS919;20;\n"
        );
        let rows = parse_activities("aktiviteter.csv", &good, reserve, today).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(
            rows[0]
                .person
                .personnummer()
                .is_some_and(|n| n.is_coordination_number())
                && rows[0].delegated
                && rows[0].minutes.is_none()
        );
        assert!(rows[2].person.is_reserve_number());
        let bad = format!(
            "{ACTIVITY_HEADER}\n1880;191212121212;2026-10-03;DR000;XS919;1441;X\n18800;1;2026-13-01;DT021;AB123;5;N\n1880;19450829XB1F;2026-10-03;DR014;XS919;20;\n"
        );
        let errors = parse_activities("aktiviteter.csv", &bad, reserve, today).unwrap_err();
        let cells: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            cells,
            [
                (2, "kva_kod"),
                (2, "minuter"),
                (2, "delegerad"),
                (3, "kommunkod"),
                (3, "personnummer"),
                (3, "datum"),
                (3, "yrkeskod"),
                (4, "personnummer")
            ]
        );
        assert!(
            errors[7]
                .reason
                .starts_with("Reservnumret följer inte regionens format")
        );
        assert!(
            !errors
                .iter()
                .any(|e| e.to_string().contains("191212121212")),
            "no personnummer in errors"
        );
        let header =
            parse_enrollments("inskrivningar.csv", "fel;rubrik\n", reserve, today).unwrap_err();
        assert_eq!((header[0].line, header[0].column), (1, "rubrikrad"));
        let enrollments = format!(
            "{ENROLLMENT_HEADER}\n1880;191212121212;2025-01-01;;ordinärt;N\n1880;191212121212;2025-05-01;2025-04-01;annat;N\n"
        );
        let errors =
            parse_enrollments("inskrivningar.csv", &enrollments, reserve, today).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.column).collect::<Vec<_>>(),
            ["inskriven_tom", "boende"]
        );
    }

    #[test]
    fn manual_assessments_replace_the_municipalitys_source() {
        let rules = rules();
        let rows = [
            act("p", 2, "DT021", "XS919", Some(30), false),
            act("q", 2, "DT021", "XS919", Some(30), true),
        ];
        let measured = measure(february(), &rows, &[], &rules);
        let text =
            format!("{ASSESSMENT_HEADER}\n1880;191212121212;2b;600;0\n1880;202601612381;3;;120\n");
        let parsed =
            parse_assessments("bedomningar.csv", &text, &reserve(), date(2026, 11, 23)).unwrap();
        let manual: Vec<ManualAssessment<String>> = parsed
            .into_iter()
            .map(|a| a.map_person(|p| p.expose()))
            .collect();
        let result = with_manual_assessments(measured, &manual);
        let r = only(&result);
        assert!(r.manual);
        assert_eq!(
            (
                r.count(Category::TwoB),
                r.count(Category::Three),
                r.patients
            ),
            (1, 1, 2)
        );
        assert_eq!(
            r.delegated_activities, 1,
            "delegated work still comes from the activity files"
        );
        let bad = format!("{ASSESSMENT_HEADER}\n1880;191212121212;2c;x;0\n");
        let errors =
            parse_assessments("bedomningar.csv", &bad, &reserve(), date(2026, 11, 23)).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.column).collect::<Vec<_>>(),
            ["kategori", "ssk_minuter"]
        );
    }

    #[test]
    fn kva_code_shapes() {
        assert!(is_kva_code("DT021") && is_kva_code("QB001") && is_kva_code("ABC12"));
        assert!(
            !is_kva_code("DR000")
                && !is_kva_code("dt021")
                && !is_kva_code("DT02")
                && !is_kva_code("D1234")
        );
    }

    proptest! {
        /// Delegated rows never change a category, and palliative always wins.
        #[test]
        fn delegated_rows_never_change_categories(minutes in proptest::collection::vec(0u32..600, 1..6), delegated in 0u32..600) {
            let rules = rules();
            let e = [enrolled("p", date(2026, 1, 1), None, Housing::Ordinary, false)];
            let rows: Vec<_> = minutes.iter().enumerate().map(|(i, m)| act("p", (i + 1) as i8, "DT021", "XS919", Some(*m), false)).collect();
            let mut with = rows.clone();
            with.push(act("p", 20, "DT021", "XS919", Some(delegated), true));
            prop_assert_eq!(measure(february(), &rows, &e, &rules).municipalities[0].categories,
                            measure(february(), &with, &e, &rules).municipalities[0].categories);
            let palliative = [enrolled("p", date(2026, 1, 1), None, Housing::Ordinary, true)];
            prop_assert_eq!(category_of(&measure(february(), &rows, &palliative, &rules)), Category::Five);
        }

        /// An enrolled person with medication handling is 2b exactly when the minutes exceed
        /// 2,0 h/week (480 in February 2026), however they are split over rows; and the result
        /// does not depend on the order rows arrive in (files are streamed in any order).
        #[test]
        fn the_2b_threshold_holds_for_any_split_and_any_row_order(minutes in proptest::collection::vec(0u32..200, 1..12)) {
            let rules = rules();
            let e = [enrolled("p", date(2026, 1, 1), None, Housing::Ordinary, false)];
            let rows: Vec<_> = minutes.iter().enumerate().map(|(i, m)| act("p", (i + 1) as i8, "DT021", "XS919", Some(*m), false)).collect();
            let measured = measure(february(), &rows, &e, &rules);
            let expected = if minutes.iter().sum::<u32>() > 480 { Category::TwoB } else { Category::TwoA };
            prop_assert_eq!(category_of(&measured), expected);
            let reversed: Vec<_> = rows.iter().rev().cloned().collect();
            prop_assert_eq!(measure(february(), &reversed, &e, &rules), measured);
        }
    }
}
