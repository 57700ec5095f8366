//! Personnummer and samordningsnummer (Swedish personal identity and coordination numbers).
//!
//! A `Personnummer` is always valid: the date exists and the Luhn check digit matches.
//! It never prints the full number through `Debug` or `Display`, so it cannot leak into logs
//! or error messages by accident; [`Personnummer::expose`] is the one explicit way out.

use jiff::civil::Date;
use std::fmt;

/// Personnummer or samordningsnummer, stored as its 12-digit form `ÅÅÅÅMMDDNNNK`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Personnummer {
    digits: [u8; 12],
}

/// Why an input is not a valid personnummer. Messages are Swedish and never echo the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonnummerError {
    #[error("Ange ett personnummer.")]
    Empty,
    #[error("Personnumret ska skrivas ÅÅÅÅMMDD-NNNN (12 siffror) eller ÅÅMMDD-NNNN (10 siffror).")]
    WrongFormat,
    #[error("Personnumrets datumdel är inte ett giltigt datum.")]
    InvalidDate,
    #[error("Personnumrets kontrollsiffra stämmer inte. Kontrollera att numret är rätt inskrivet.")]
    ChecksumMismatch,
    #[error("Personnumrets födelsedatum ligger i framtiden.")]
    FutureDate,
}

impl Personnummer {
    /// Parses 12-digit input (`ÅÅÅÅMMDDNNNK`, optionally with `-` or `+` before the last four)
    /// and 10-digit input (`ÅÅMMDD-NNNK`, `ÅÅMMDD+NNNK` or without separator).
    ///
    /// For 10-digit input the century follows Skatteverket's rule: `-` (or none) means the person
    /// is younger than 100 on `today`, `+` means 100 or older.
    pub fn parse(input: &str, today: Date) -> Result<Self, PersonnummerError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PersonnummerError::Empty);
        }
        let (body, separator) = split_separator(trimmed)?;
        let digits = match body {
            Body::Long(long) => {
                if separator == Some(b'+') {
                    return Err(PersonnummerError::WrongFormat);
                }
                long
            }
            Body::Short(short) => {
                let century = century_for_short_form(&short, separator == Some(b'+'), today)?;
                let mut digits = [century / 10, century % 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                digits[2..].copy_from_slice(&short);
                digits
            }
        };
        let candidate = Personnummer { digits };
        let birth = candidate.birth_date_checked()?;
        if !luhn_valid(&digits[2..]) {
            return Err(PersonnummerError::ChecksumMismatch);
        }
        if birth > today {
            return Err(PersonnummerError::FutureDate);
        }
        Ok(candidate)
    }

    /// Builds a number from a birth date and a three-digit birth number, computing the check digit.
    /// Used for synthetic demo and test populations.
    pub fn from_parts(birth: Date, birth_number: u16, coordination: bool) -> Option<Self> {
        if birth_number > 999 {
            return None;
        }
        let day = birth.day() as u16 + if coordination { 60 } else { 0 };
        let text = format!(
            "{:04}{:02}{:02}{:03}",
            birth.year(),
            birth.month(),
            day,
            birth_number
        );
        let mut digits = [0u8; 12];
        for (slot, b) in digits.iter_mut().zip(text.bytes()) {
            *slot = b - b'0';
        }
        digits[11] = luhn_check_digit(&digits[2..11]);
        Some(Personnummer { digits })
    }

    /// The full 12-digit number. Call only where the number must be shown or stored.
    pub fn expose(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The full number in the conventional display form `ÅÅÅÅMMDD-NNNN`.
    pub fn expose_formatted(&self) -> String {
        let all = self.expose();
        format!("{}-{}", &all[..8], &all[8..])
    }

    /// A masked form that reveals only the birth date: `ÅÅÅÅMMDD-****`.
    pub fn masked(&self) -> String {
        format!("{}-****", &self.expose()[..8])
    }

    /// Samordningsnummer: the day of birth is increased by 60.
    pub fn is_coordination_number(&self) -> bool {
        self.digits[6] >= 6
    }

    pub fn birth_date(&self) -> Date {
        // Invariant: checked at construction.
        self.birth_date_checked().unwrap_or(Date::MIN)
    }

    /// The twelve digits as one number, e.g. to key a person in a large map without her text.
    pub fn as_number(&self) -> u64 {
        self.digits
            .iter()
            .fold(0, |acc, d| acc * 10 + u64::from(*d))
    }

    fn number(&self, from: usize, len: usize) -> i32 {
        self.digits[from..from + len]
            .iter()
            .fold(0, |acc, d| acc * 10 + i32::from(*d))
    }

    fn birth_date_checked(&self) -> Result<Date, PersonnummerError> {
        let year = self.number(0, 4);
        let month = self.number(4, 2);
        let mut day = self.number(6, 2);
        if day > 60 {
            day -= 60;
        }
        Date::new(year as i16, month as i8, day as i8).map_err(|_| PersonnummerError::InvalidDate)
    }
}

/// The digits of a number as written, with the century (12) or without (10).
enum Body {
    Long([u8; 12]),
    Short([u8; 10]),
}

/// The digits and the separator (`-`, or `+` for a centenarian) four digits from the end. Read
/// without allocating: a measurement file has a number on every row.
fn split_separator(input: &str) -> Result<(Body, Option<u8>), PersonnummerError> {
    let bytes = input.as_bytes();
    let mut separator = None;
    let mut digits = [0u8; 12];
    let mut count = 0;
    for (index, &b) in bytes.iter().enumerate() {
        match b {
            b'-' | b'+' => {
                if separator.is_some() || index + 5 != bytes.len() {
                    return Err(PersonnummerError::WrongFormat);
                }
                separator = Some(b);
            }
            b'0'..=b'9' => {
                let slot = digits
                    .get_mut(count)
                    .ok_or(PersonnummerError::WrongFormat)?;
                *slot = b - b'0';
                count += 1;
            }
            _ => return Err(PersonnummerError::WrongFormat),
        }
    }
    match count {
        12 => Ok((Body::Long(digits), separator)),
        10 => {
            let mut short = [0u8; 10];
            short.copy_from_slice(&digits[..10]);
            Ok((Body::Short(short), separator))
        }
        _ => Err(PersonnummerError::WrongFormat),
    }
}

fn century_for_short_form(
    short: &[u8],
    centenarian: bool,
    today: Date,
) -> Result<u8, PersonnummerError> {
    let yy = i32::from(short[0]) * 10 + i32::from(short[1]);
    let month =
        i8::try_from(short[2] * 10 + short[3]).map_err(|_| PersonnummerError::InvalidDate)?;
    let mut day = i32::from(short[4]) * 10 + i32::from(short[5]);
    if day > 60 {
        day -= 60;
    }
    let this_year = i32::from(today.year());
    let mut year = this_year - (this_year - yy).rem_euclid(100);
    let birthday_this_cycle =
        Date::new(year as i16, month, day as i8).map_err(|_| PersonnummerError::InvalidDate)?;
    if birthday_this_cycle > today {
        year -= 100;
    }
    if centenarian {
        year -= 100;
    }
    u8::try_from(year / 100).map_err(|_| PersonnummerError::InvalidDate)
}

/// Luhn check over the ten digits `ÅÅMMDDNNNK`.
pub fn luhn_valid(ten: &[u8]) -> bool {
    ten.len() == 10 && luhn_check_digit(&ten[..9]) == ten[9]
}

fn luhn_check_digit(nine: &[u8]) -> u8 {
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(*d) * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

impl fmt::Display for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Personnummer({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    const TODAY: Date = date(2026, 11, 23);

    #[test]
    fn skatteverket_test_numbers_are_valid() {
        let list = include_str!("../../../data/testpersonnummer.csv");
        let mut checked = 0;
        for line in list.lines().skip(1).filter(|l| !l.starts_with('#')) {
            let mut cols = line.split(';');
            let number = cols.next().unwrap_or_default();
            let kind = cols.next().unwrap_or_default();
            let parsed = Personnummer::parse(number, TODAY).unwrap();
            assert_eq!(parsed.expose(), number);
            assert_eq!(parsed.is_coordination_number(), kind == "samordningsnummer");
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} test numbers read");
    }

    #[test]
    fn ten_digit_forms_use_the_century_rule() {
        let minus = Personnummer::parse("121212-1212", TODAY).unwrap();
        assert_eq!(minus.expose(), "201212121212");
        let plus = Personnummer::parse("121212+1212", TODAY).unwrap();
        assert_eq!(plus.expose(), "191212121212");
        let no_separator = Personnummer::parse("1212121212", TODAY).unwrap();
        assert_eq!(no_separator, minus);
        let december = Personnummer::from_parts(date(1926, 12, 31), 123, false).unwrap();
        let short = format!("{}-{}", &december.expose()[2..8], &december.expose()[8..]);
        assert_eq!(Personnummer::parse(&short, TODAY).unwrap(), december);
    }

    #[test]
    fn rejects_bad_input_with_specific_reasons() {
        assert_eq!(
            Personnummer::parse("", TODAY),
            Err(PersonnummerError::Empty)
        );
        assert_eq!(
            Personnummer::parse("12345", TODAY),
            Err(PersonnummerError::WrongFormat)
        );
        assert_eq!(
            Personnummer::parse("19121212-121A", TODAY),
            Err(PersonnummerError::WrongFormat)
        );
        assert_eq!(
            Personnummer::parse("191213321212", TODAY),
            Err(PersonnummerError::InvalidDate)
        );
        assert_eq!(
            Personnummer::parse("191212121213", TODAY),
            Err(PersonnummerError::ChecksumMismatch)
        );
        let future = Personnummer::from_parts(date(2030, 1, 1), 123, false).unwrap();
        assert_eq!(
            Personnummer::parse(&future.expose(), TODAY),
            Err(PersonnummerError::FutureDate)
        );
    }

    #[test]
    fn samordningsnummer_adds_sixty_to_the_day() {
        let number = Personnummer::from_parts(date(1980, 5, 17), 345, true).unwrap();
        assert!(number.expose().starts_with("19800577"));
        let parsed = Personnummer::parse(&number.expose(), TODAY).unwrap();
        assert!(parsed.is_coordination_number());
        assert_eq!(parsed.birth_date(), date(1980, 5, 17));
    }

    #[test]
    fn never_prints_the_full_number() {
        let number = Personnummer::parse("19121212-1212", TODAY).unwrap();
        assert_eq!(format!("{number}"), "19121212-****");
        assert_eq!(format!("{number:?}"), "Personnummer(19121212-****)");
        assert!(!format!("{number:?}").contains("1212-1212"));
    }

    #[test]
    fn age_counts_whole_years() {
        let number = Personnummer::from_parts(date(2008, 11, 24), 982, false).unwrap();
        assert_eq!(crate::PersonId::from(number).age_on(date(2026, 11, 23)), 17);
        assert_eq!(crate::PersonId::from(number).age_on(date(2026, 11, 24)), 18);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1900i16..2026, 1i8..=12, 1i8..=31)
            .prop_filter_map("valid date", |(y, m, d)| Date::new(y, m, d).ok())
    }

    proptest! {
        #[test]
        fn twelve_digit_round_trip(birth in any_date(), n in 0u16..1000, coordination: bool) {
            let number = Personnummer::from_parts(birth, n, coordination).unwrap();
            let parsed = Personnummer::parse(&number.expose(), TODAY).unwrap();
            prop_assert_eq!(parsed, number);
            let formatted = Personnummer::parse(&number.expose_formatted(), TODAY).unwrap();
            prop_assert_eq!(formatted, number);
            prop_assert_eq!(parsed.birth_date(), birth);
            prop_assert_eq!(parsed.is_coordination_number(), coordination);
        }

        #[test]
        fn ten_digit_round_trip(birth in any_date(), n in 0u16..1000) {
            let number = Personnummer::from_parts(birth, n, false).unwrap();
            let full = number.expose();
            let separator = if crate::PersonId::from(number).age_on(TODAY) >= 100 { '+' } else { '-' };
            let short = format!("{}{}{}", &full[2..8], separator, &full[8..]);
            prop_assert_eq!(Personnummer::parse(&short, TODAY).unwrap(), number);
        }

        #[test]
        fn any_single_digit_change_breaks_luhn(birth in any_date(), n in 0u16..1000, pos in 2usize..12, delta in 1u8..10) {
            let number = Personnummer::from_parts(birth, n, false).unwrap();
            let mut digits: Vec<u8> = number.expose().bytes().map(|b| b - b'0').collect();
            digits[pos] = (digits[pos] + delta) % 10;
            prop_assert!(!luhn_valid(&digits[2..]));
        }
    }
}
