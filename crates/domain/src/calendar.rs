//! Swedish working-day calendar (arbetsdagar), used for every deadline in the agreement.
//!
//! Public holidays follow lagen (1989:253) om allmänna helgdagar. Midsommarafton, julafton and
//! nyårsafton are not public holidays in law but are not working days in Swedish health and
//! social care administration, so deadlines skip them too. A region's rule set may add days of its
//! own (`[calendar] extra_non_working_days`), which every deadline then skips as well.

use crate::rules::error::{RuleSetError, invalid};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

/// A day on which no deadline can fall, with its Swedish name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonWorkingDay {
    pub date: Date,
    pub name: String,
}

/// The calendar of working days: the Swedish public holidays and eves, computed per year on
/// demand, and the region's own extra days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingDayCalendar {
    extra: Vec<NonWorkingDay>,
}

impl WorkingDayCalendar {
    /// The Swedish calendar with the region's `extra` days off.
    pub fn with_extra_days(mut extra: Vec<NonWorkingDay>) -> WorkingDayCalendar {
        extra.sort_by_key(|d| d.date);
        WorkingDayCalendar { extra }
    }

    /// The region's own days off, in date order.
    pub fn extra_days(&self) -> &[NonWorkingDay] {
        &self.extra
    }

    /// Public holidays, non-working eves and the region's extra days of `year`, in date order.
    pub fn non_working_days(&self, year: i16) -> Vec<NonWorkingDay> {
        let mut days: Vec<NonWorkingDay> = swedish_holidays(year)
            .into_iter()
            .map(|(date, name)| NonWorkingDay {
                date,
                name: name.to_owned(),
            })
            .collect();
        days.extend(self.extra.iter().filter(|d| d.date.year() == year).cloned());
        days.sort_by_key(|d| d.date);
        days
    }

    /// The name of the holiday, eve or extra day on `date`, if any.
    pub fn holiday_name(&self, date: Date) -> Option<String> {
        swedish_holidays(date.year())
            .into_iter()
            .find(|(day, _)| *day == date)
            .map(|(_, name)| name.to_owned())
            .or_else(|| self.extra_day(date).map(|d| d.name.clone()))
    }

    /// Checked for every day a deadline counts, so it allocates nothing: the year's sixteen
    /// dates and a search of the region's sorted days.
    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !swedish_holidays(date.year())
                .iter()
                .any(|(day, _)| *day == date)
            && self.extra_day(date).is_none()
    }

    fn extra_day(&self, date: Date) -> Option<&NonWorkingDay> {
        self.extra
            .binary_search_by_key(&date, |d| d.date)
            .ok()
            .map(|i| &self.extra[i])
    }

    /// The `n`th working day after `date` (n = 1 is the next working day).
    pub fn add_working_days(&self, date: Date, n: u32) -> Date {
        let mut current = date;
        let mut remaining = n;
        while remaining > 0 {
            current = current.saturating_add(1.days());
            if self.is_working_day(current) {
                remaining -= 1;
            }
        }
        current
    }

    /// Working days strictly after `from` up to and including `to`; zero when `to <= from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut count = 0;
        let mut current = from;
        while current < to {
            current = current.saturating_add(1.days());
            if self.is_working_day(current) {
                count += 1;
            }
        }
        count
    }
}

/// Sweden's public holidays and non-working eves of `year`.
fn swedish_holidays(year: i16) -> [(Date, &'static str); 16] {
    let easter = easter_sunday(year);
    let fixed = |m: i8, d: i8| Date::new(year, m, d).unwrap_or(Date::MIN);
    let first_weekday_from = |m: i8, d: i8, weekday: Weekday| {
        let start = fixed(m, d);
        (0..7)
            .map(|offset| start.saturating_add(offset.days()))
            .find(|x| x.weekday() == weekday)
            .unwrap_or(start)
    };
    let midsummer_day = first_weekday_from(6, 20, Weekday::Saturday);
    [
        (fixed(1, 1), "Nyårsdagen"),
        (fixed(1, 6), "Trettondedag jul"),
        (easter.saturating_sub(2.days()), "Långfredagen"),
        (easter, "Påskdagen"),
        (easter.saturating_add(1.days()), "Annandag påsk"),
        (fixed(5, 1), "Första maj"),
        (easter.saturating_add(39.days()), "Kristi himmelsfärdsdag"),
        (easter.saturating_add(49.days()), "Pingstdagen"),
        (fixed(6, 6), "Sveriges nationaldag"),
        (midsummer_day.saturating_sub(1.days()), "Midsommarafton"),
        (midsummer_day, "Midsommardagen"),
        (
            first_weekday_from(10, 31, Weekday::Saturday),
            "Alla helgons dag",
        ),
        (fixed(12, 24), "Julafton"),
        (fixed(12, 25), "Juldagen"),
        (fixed(12, 26), "Annandag jul"),
        (fixed(12, 31), "Nyårsafton"),
    ]
}

/// The rule set's `[calendar]` section.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCalendar {
    #[serde(default)]
    extra_non_working_days: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    date: String,
    name: String,
}

impl RawCalendar {
    pub(crate) fn validate(self) -> Result<WorkingDayCalendar, RuleSetError> {
        let mut days: Vec<NonWorkingDay> = Vec::new();
        for (i, day) in self.extra_non_working_days.into_iter().enumerate() {
            let key = |field: &str| format!("calendar.extra_non_working_days[{i}].{field}");
            let date: Date = day
                .date
                .parse()
                .map_err(|_| invalid(key("date"), "måste vara ett datum ÅÅÅÅ-MM-DD"))?;
            if day.name.trim().is_empty() {
                return Err(invalid(key("name"), "får inte vara tomt"));
            }
            if days.iter().any(|d| d.date == date) {
                return Err(invalid(key("date"), "finns redan"));
            }
            days.push(NonWorkingDay {
                date,
                name: day.name.trim().to_owned(),
            });
        }
        Ok(WorkingDayCalendar::with_extra_days(days))
    }
}

/// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).unwrap_or(Date::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn a_regions_extra_day_is_skipped_by_every_deadline() {
        let calendar = WorkingDayCalendar::with_extra_days(vec![NonWorkingDay {
            date: date(2026, 11, 23),
            name: "Regionens planeringsdag".into(),
        }]);
        assert!(!calendar.is_working_day(date(2026, 11, 23)));
        assert_eq!(
            calendar.add_working_days(date(2026, 11, 20), 1),
            date(2026, 11, 24)
        );
        assert_eq!(
            calendar.working_days_between(date(2026, 11, 20), date(2026, 11, 24)),
            1
        );
        assert_eq!(
            calendar.holiday_name(date(2026, 11, 23)).as_deref(),
            Some("Regionens planeringsdag")
        );
        assert!(WorkingDayCalendar::default().is_working_day(date(2026, 11, 23)));
    }

    #[test]
    fn weekday_holidays_2025_match_the_published_list() {
        let expected = [
            date(2025, 1, 1),
            date(2025, 1, 6),
            date(2025, 4, 18),
            date(2025, 4, 21),
            date(2025, 5, 1),
            date(2025, 5, 29),
            date(2025, 6, 6),
            date(2025, 6, 20),
            date(2025, 12, 24),
            date(2025, 12, 25),
            date(2025, 12, 26),
            date(2025, 12, 31),
        ];
        let weekday_non_working: Vec<Date> = WorkingDayCalendar::default()
            .non_working_days(2025)
            .into_iter()
            .map(|d| d.date)
            .filter(|d| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
            .collect();
        assert_eq!(weekday_non_working, expected);
        for day in expected {
            assert!(
                !WorkingDayCalendar::default().is_working_day(day),
                "{day} should not be a working day"
            );
        }
    }

    #[test]
    fn moving_holidays_in_other_years() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        assert_eq!(
            WorkingDayCalendar::default()
                .holiday_name(date(2026, 6, 19))
                .as_deref(),
            Some("Midsommarafton")
        );
        assert_eq!(
            WorkingDayCalendar::default()
                .holiday_name(date(2026, 10, 31))
                .as_deref(),
            Some("Alla helgons dag")
        );
        assert_eq!(
            WorkingDayCalendar::default()
                .holiday_name(date(2026, 5, 14))
                .as_deref(),
            Some("Kristi himmelsfärdsdag")
        );
    }

    #[test]
    fn next_working_day_skips_weekends_and_holidays() {
        // Thursday before Good Friday 2025 -> Tuesday after Easter Monday.
        assert_eq!(
            WorkingDayCalendar::default().add_working_days(date(2025, 4, 17), 1),
            date(2025, 4, 22)
        );
        // Friday -> Monday.
        assert_eq!(
            WorkingDayCalendar::default().add_working_days(date(2026, 11, 20), 1),
            date(2026, 11, 23)
        );
        // 23 Dec 2025 (Tue) -> 29 Dec (Mon): 24, 25, 26 are closed, 27-28 a weekend.
        assert_eq!(
            WorkingDayCalendar::default().add_working_days(date(2025, 12, 23), 1),
            date(2025, 12, 29)
        );
        assert!(WorkingDayCalendar::default().is_working_day(date(2025, 11, 24)));
    }

    proptest! {
        #[test]
        fn next_working_day_is_a_working_day(y in 2000i16..2100, doy in 0i32..365, n in 1u32..15) {
            let start = date(y, 1, 1).saturating_add(doy.days());
            let result = WorkingDayCalendar::default().add_working_days(start, n);
            prop_assert!(result > start);
            prop_assert!(WorkingDayCalendar::default().is_working_day(result));
            prop_assert_eq!(WorkingDayCalendar::default().working_days_between(start, result), n);
        }
    }
}
