//! Generated measurement files for the demo county: for each measurement whose outcome the rule
//! set's data publishes, activity and enrollment files that reproduce it exactly, and for a
//! published category-4 history, a partial measurement of its base year. Deterministic;
//! synthetic personnummer in the style of Skatteverket's test series (birth numbers 980–999).

use jiff::ToSpan;
use jiff::civil::{Date, date};
use samsyn_domain::Personnummer;
use samsyn_domain::RuleSet;
use samsyn_domain::measurement::{ACTIVITY_HEADER, Category, ENROLLMENT_HEADER, Period};
use samsyn_domain::reserve_number::ReserveNumberRules;
use samsyn_domain::rules::data::{Category4History, PublishedMeasurement};
use std::fmt::Write;

/// The two files of one demo measurement.
pub struct DemoFiles {
    pub activities: String,
    pub enrollments: String,
}

/// Every demo measurement of the rule set, by period (`ÅÅÅÅ-MM`): the published ones, then the
/// history's base year in the rule set's measurement month.
pub fn all(rules: &RuleSet) -> Vec<(String, DemoFiles)> {
    let mut out: Vec<(String, DemoFiles)> = rules
        .data
        .published_measurements
        .iter()
        .map(|p| (p.period.clone(), reproducing(p, &rules.reserve_number)))
        .collect();
    if let Some(history) = &rules.data.category4_history {
        let month = rules.measurement.measurement_month;
        let period = format!("{}-{month:02}", history.base_year);
        if !out.iter().any(|(p, _)| *p == period) {
            out.push((period, base_year(history, month, &rules.reserve_number)));
        }
    }
    out
}

/// A published measurement's month, reproducing its table, with noise that must not change it:
/// delegated and unlicensed rows, and a person in särskilt boende.
pub fn reproducing(published: &PublishedMeasurement, reserve: &ReserveNumberRules) -> DemoFiles {
    let first = Period::month(&published.period)
        .map(|p| p.first)
        .unwrap_or(date(2025, 10, 1));
    let mut w = Writer::new(first, 0, None, reserve);
    for (code, counts) in &published.counts {
        let m = code.to_string();
        for (category, count) in Category::ALL.into_iter().zip(*counts) {
            for _ in 0..count {
                w.patient(&m, category);
            }
        }
        let resident = w.person();
        w.enroll(&m, &resident, "särskilt", false);
        w.activity(&m, &resident, 3, "DT021", "XS919", 30, false);
        let helped = w.person();
        w.activity(&m, &helped, 5, "DT021", "XS921", 10, true);
    }
    DemoFiles {
        activities: w.activities,
        enrollments: w.enrollments,
    }
}

/// The history's base year, the municipalities measured then, with their category-4 patients.
pub fn base_year(history: &Category4History, month: i8, reserve: &ReserveNumberRules) -> DemoFiles {
    let year = history.base_year;
    let mut w = Writer::new(
        date(year, month, 1),
        20_000,
        Some(date(year, 12, 31)),
        reserve,
    );
    for row in &history.rows {
        let Some(code) = row.municipality else {
            continue;
        };
        for _ in 0..row.base_outcome {
            w.patient(&code.to_string(), Category::Four);
        }
    }
    DemoFiles {
        activities: w.activities,
        enrollments: w.enrollments,
    }
}

struct Writer {
    activities: String,
    enrollments: String,
    next_person: u32,
    month: Date,
    /// Last day of the enrollment periods; none means still enrolled.
    enrolled_to: Option<Date>,
    /// The region's reservnummer format: its example, with the person's birth date and a varied
    /// digit, is what a person without personnummer gets.
    reserve: ReserveNumberRules,
}

impl Writer {
    /// `first_person` keeps the people of different demo measurements apart.
    fn new(
        month: Date,
        first_person: u32,
        enrolled_to: Option<Date>,
        reserve: &ReserveNumberRules,
    ) -> Writer {
        Writer {
            reserve: reserve.clone(),
            activities: format!("{ACTIVITY_HEADER}\n"),
            enrollments: format!("{ENROLLMENT_HEADER}\n"),
            next_person: first_person,
            month,
            enrolled_to,
        }
    }

    /// A new synthetic person: birth dates spread over 1925–2004, birth numbers 980–999. One in
    /// five hundred has no personnummer and is measured by a reservnummer in the region's format
    /// (its example with the person's birth date), as the region's extract gives such persons.
    fn person(&mut self) -> String {
        let n = self.next_person;
        self.next_person += 1;
        let birth = date(1925, 1, 1).saturating_add(i64::from(n / 20 * 7 % 29_000).days());
        if n % 500 == 7
            && let Some(number) = super::reserve_number(&self.reserve, birth, n)
        {
            return number;
        }
        let number =
            Personnummer::from_parts(birth, 980 + (n % 20) as u16, false).map(|p| p.expose());
        number.unwrap_or_default()
    }

    fn day(&self, n: u32) -> Date {
        self.month.saturating_add(i64::from(n % 28).days())
    }

    #[allow(clippy::too_many_arguments)]
    fn activity(
        &mut self,
        municipality: &str,
        person: &str,
        day: u32,
        code: &str,
        profession: &str,
        minutes: u32,
        delegated: bool,
    ) {
        let date = self.day(day);
        let flag = if delegated { "J" } else { "N" };
        let _ = writeln!(
            self.activities,
            "{municipality};{person};{date};{code};{profession};{minutes};{flag}"
        );
    }

    fn enroll(&mut self, municipality: &str, person: &str, housing: &str, palliative: bool) {
        let from = self.month.saturating_sub(90.days());
        let to = self.enrolled_to.map(|d| d.to_string()).unwrap_or_default();
        let flag = if palliative { "J" } else { "N" };
        let _ = writeln!(
            self.enrollments,
            "{municipality};{person};{from};{to};{housing};{flag}"
        );
    }

    /// One person whose activities make exactly `category`.
    fn patient(&mut self, municipality: &str, category: Category) {
        let person = self.person();
        let n = self.next_person;
        let m = municipality;
        match category {
            Category::Five => {
                self.enroll(m, &person, "ordinärt", true);
                self.activity(m, &person, n, "DT021", "XS919", 30, false);
            }
            Category::Four => {
                self.enroll(m, &person, "ordinärt", false);
                self.activity(m, &person, n, "DR014", "XS919", 90, false);
            }
            Category::Three => {
                self.enroll(m, &person, "ordinärt", false);
                self.activity(m, &person, n, "DT021", "XS910", 45, false);
            }
            Category::TwoB => {
                self.enroll(m, &person, "ordinärt", false);
                for week in 0..4 {
                    self.activity(m, &person, n + week * 7, "DT021", "XS919", 150, false);
                }
            }
            Category::TwoA => {
                self.enroll(m, &person, "ordinärt", false);
                self.activity(m, &person, n, "DT021", "XS919", 20, false);
                self.activity(m, &person, n + 1, "DT021", "XS921", 15, true);
            }
            Category::One => {
                self.activity(m, &person, n, "DT021", "XS919", 25, false);
            }
        }
    }
}
