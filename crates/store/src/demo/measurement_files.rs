//! Generated measurement files for the demo county: October 2025 activity and enrollment files
//! that reproduce the published 2025 outcome exactly, and a 2022 partial measurement (five
//! municipalities) with its category-4 counts. Deterministic; synthetic personnummer in the
//! style of Skatteverket's test series (birth numbers 980–999).

use jiff::ToSpan;
use jiff::civil::{Date, date};
use samsyn_domain::measurement::{ACTIVITY_HEADER, Category, ENROLLMENT_HEADER};
use samsyn_domain::{MunicipalityCode, Personnummer};
use std::fmt::Write;

const PUBLISHED_2025: &str = include_str!("../../../../data/measurement_2025.csv");
const CATEGORY4_2022: &str = include_str!("../../../../data/category4_2022.csv");

/// The two files of one demo measurement.
pub struct DemoFiles {
    pub activities: String,
    pub enrollments: String,
}

/// The published counts: municipality code → counts in `Category::ALL` order.
pub fn published_2025() -> Vec<(MunicipalityCode, [u64; 6])> {
    PUBLISHED_2025
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("kommunkod"))
        .filter_map(|l| {
            let c: Vec<&str> = l.split(';').collect();
            let code = MunicipalityCode::parse(c.first()?)?;
            let mut counts = [0u64; 6];
            for (i, slot) in counts.iter_mut().enumerate() {
                *slot = c.get(2 + i)?.parse().ok()?;
            }
            Some((code, counts))
        })
        .collect()
}

/// The 2022 category-4 outcome of the five municipalities measured then.
pub fn category4_2022() -> Vec<(MunicipalityCode, u64)> {
    CATEGORY4_2022
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("kommunkod"))
        .filter_map(|l| {
            let c: Vec<&str> = l.split(';').collect();
            Some((
                MunicipalityCode::parse(c.first()?)?,
                c.get(2)?.parse().ok()?,
            ))
        })
        .collect()
}

struct Writer {
    activities: String,
    enrollments: String,
    next_person: u32,
    month: Date,
    /// Last day of the enrollment periods; none means still enrolled.
    enrolled_to: Option<Date>,
}

impl Writer {
    /// `first_person` keeps the people of different demo measurements apart.
    fn new(month: Date, first_person: u32, enrolled_to: Option<Date>) -> Writer {
        Writer {
            activities: format!("{ACTIVITY_HEADER}\n"),
            enrollments: format!("{ENROLLMENT_HEADER}\n"),
            next_person: first_person,
            month,
            enrolled_to,
        }
    }

    /// A new synthetic person: birth dates spread over 1925–2004, birth numbers 980–999. One in
    /// five hundred has no personnummer and is measured by a reservnummer in Region Örebro läns
    /// format, as the region's extract gives such persons.
    fn person(&mut self) -> String {
        let n = self.next_person;
        self.next_person += 1;
        let birth = date(1925, 1, 1).saturating_add(i64::from(n / 20 * 7 % 29_000).days());
        if n % 500 == 7 {
            return format!("{}TM{}B", birth.strftime("%Y%m%d"), n % 10);
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

/// October 2025, reproducing the published table, with noise that must not change it: delegated
/// and unlicensed rows, and a person in särskilt boende.
pub fn october_2025() -> DemoFiles {
    let mut w = Writer::new(date(2025, 10, 1), 0, None);
    for (code, counts) in published_2025() {
        let m = code.to_string();
        for (category, count) in Category::ALL.into_iter().zip(counts) {
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

/// October 2022, the five municipalities measured then, with their category-4 patients.
pub fn october_2022() -> DemoFiles {
    let mut w = Writer::new(date(2022, 10, 1), 20_000, Some(date(2022, 12, 31)));
    for (code, count) in category4_2022() {
        for _ in 0..count {
            w.patient(&code.to_string(), Category::Four);
        }
    }
    DemoFiles {
        activities: w.activities,
        enrollments: w.enrollments,
    }
}
