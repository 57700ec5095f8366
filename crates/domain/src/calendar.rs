//! Swedish working-day calendar (arbetsdagar), used for every deadline in the agreement.
//!
//! Public holidays follow lagen (1989:253) om allmänna helgdagar. Midsommarafton, julafton and
//! nyårsafton are not public holidays in law but are not working days in Swedish health and
//! social care administration, so deadlines skip them too.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

/// A day on which no deadline can fall, with its Swedish name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonWorkingDay {
    pub date: Date,
    pub name: &'static str,
}

/// The calendar of working days. Stateless; years are computed on demand.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkingDayCalendar;

impl WorkingDayCalendar {
    /// Public holidays and non-working eves of `year`, in date order.
    pub fn non_working_days(year: i16) -> Vec<NonWorkingDay> {
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
        let mut days = vec![
            NonWorkingDay {
                date: fixed(1, 1),
                name: "Nyårsdagen",
            },
            NonWorkingDay {
                date: fixed(1, 6),
                name: "Trettondedag jul",
            },
            NonWorkingDay {
                date: easter.saturating_sub(2.days()),
                name: "Långfredagen",
            },
            NonWorkingDay {
                date: easter,
                name: "Påskdagen",
            },
            NonWorkingDay {
                date: easter.saturating_add(1.days()),
                name: "Annandag påsk",
            },
            NonWorkingDay {
                date: fixed(5, 1),
                name: "Första maj",
            },
            NonWorkingDay {
                date: easter.saturating_add(39.days()),
                name: "Kristi himmelsfärdsdag",
            },
            NonWorkingDay {
                date: easter.saturating_add(49.days()),
                name: "Pingstdagen",
            },
            NonWorkingDay {
                date: fixed(6, 6),
                name: "Sveriges nationaldag",
            },
            NonWorkingDay {
                date: midsummer_day.saturating_sub(1.days()),
                name: "Midsommarafton",
            },
            NonWorkingDay {
                date: midsummer_day,
                name: "Midsommardagen",
            },
            NonWorkingDay {
                date: first_weekday_from(10, 31, Weekday::Saturday),
                name: "Alla helgons dag",
            },
            NonWorkingDay {
                date: fixed(12, 24),
                name: "Julafton",
            },
            NonWorkingDay {
                date: fixed(12, 25),
                name: "Juldagen",
            },
            NonWorkingDay {
                date: fixed(12, 26),
                name: "Annandag jul",
            },
            NonWorkingDay {
                date: fixed(12, 31),
                name: "Nyårsafton",
            },
        ];
        days.sort_by_key(|d| d.date);
        days
    }

    /// The Swedish name of the holiday or eve on `date`, if any.
    pub fn holiday_name(date: Date) -> Option<&'static str> {
        Self::non_working_days(date.year())
            .into_iter()
            .find(|d| d.date == date)
            .map(|d| d.name)
    }

    pub fn is_working_day(date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && Self::holiday_name(date).is_none()
    }

    /// The `n`th working day after `date` (n = 1 is the next working day).
    pub fn add_working_days(date: Date, n: u32) -> Date {
        let mut current = date;
        let mut remaining = n;
        while remaining > 0 {
            current = current.saturating_add(1.days());
            if Self::is_working_day(current) {
                remaining -= 1;
            }
        }
        current
    }

    /// Working days strictly after `from` up to and including `to`; zero when `to <= from`.
    pub fn working_days_between(from: Date, to: Date) -> u32 {
        let mut count = 0;
        let mut current = from;
        while current < to {
            current = current.saturating_add(1.days());
            if Self::is_working_day(current) {
                count += 1;
            }
        }
        count
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
        let weekday_non_working: Vec<Date> = WorkingDayCalendar::non_working_days(2025)
            .into_iter()
            .map(|d| d.date)
            .filter(|d| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
            .collect();
        assert_eq!(weekday_non_working, expected);
        for day in expected {
            assert!(
                !WorkingDayCalendar::is_working_day(day),
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
            WorkingDayCalendar::holiday_name(date(2026, 6, 19)),
            Some("Midsommarafton")
        );
        assert_eq!(
            WorkingDayCalendar::holiday_name(date(2026, 10, 31)),
            Some("Alla helgons dag")
        );
        assert_eq!(
            WorkingDayCalendar::holiday_name(date(2026, 5, 14)),
            Some("Kristi himmelsfärdsdag")
        );
    }

    #[test]
    fn next_working_day_skips_weekends_and_holidays() {
        // Thursday before Good Friday 2025 -> Tuesday after Easter Monday.
        assert_eq!(
            WorkingDayCalendar::add_working_days(date(2025, 4, 17), 1),
            date(2025, 4, 22)
        );
        // Friday -> Monday.
        assert_eq!(
            WorkingDayCalendar::add_working_days(date(2026, 11, 20), 1),
            date(2026, 11, 23)
        );
        // 23 Dec 2025 (Tue) -> 29 Dec (Mon): 24, 25, 26 are closed, 27-28 a weekend.
        assert_eq!(
            WorkingDayCalendar::add_working_days(date(2025, 12, 23), 1),
            date(2025, 12, 29)
        );
        assert!(WorkingDayCalendar::is_working_day(date(2025, 11, 24)));
    }

    proptest! {
        #[test]
        fn next_working_day_is_a_working_day(y in 2000i16..2100, doy in 0i32..365, n in 1u32..15) {
            let start = date(y, 1, 1).saturating_add(doy.days());
            let result = WorkingDayCalendar::add_working_days(start, n);
            prop_assert!(result > start);
            prop_assert!(WorkingDayCalendar::is_working_day(result));
            prop_assert_eq!(WorkingDayCalendar::working_days_between(start, result), n);
        }
    }
}
