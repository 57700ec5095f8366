//! Words as a page writes them: a capital at a sentence's start, and the rule set's periods in
//! running Swedish (numbers up to twelve in words, "sju dagar"; whole weeks as weeks, "inom en
//! vecka"), so that a page states the region's own deadline, not another region's.

/// The text with its first letter in upper case, for a label or a message that begins a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A count in words up to twelve (the common gender, as with "dag" and "vecka"), else in digits.
pub fn number(n: u32) -> String {
    const WORDS: [&str; 12] = [
        "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| WORDS.get(i))
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// `n` days: "en dag", "sju dagar", "30 dagar".
pub fn days(n: u32) -> String {
    if n == 1 {
        "en dag".to_owned()
    } else {
        format!("{} dagar", number(n))
    }
}

/// `n` calendar days as a period, in weeks when they are whole weeks: "en vecka", "två veckor",
/// "tio dagar".
pub fn period(n: u32) -> String {
    match n {
        7 => "en vecka".to_owned(),
        n if n > 0 && n % 7 == 0 => format!("{} veckor", number(n / 7)),
        n => days(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_swedish() {
        assert_eq!(number(7), "sju");
        assert_eq!(number(13), "13");
        assert_eq!(days(1), "en dag");
        assert_eq!(days(7), "sju dagar");
        assert_eq!(period(7), "en vecka");
        assert_eq!(period(14), "två veckor");
        assert_eq!(period(10), "tio dagar");
        assert_eq!(period(30), "30 dagar");
        assert_eq!(capitalised("inga kostnader"), "Inga kostnader");
        assert_eq!(capitalised(""), "");
    }
}
