//! What a new password must be (OWASP ASVS 5.0 V6.2): at least 12 characters, not only
//! whitespace, not the username, and not easy to guess. Guessability is zxcvbn's estimate, whose
//! shipped dictionaries hold the common-password lists (the crate's `frequency_lists`), words and
//! names, and which also sees keyboard patterns, dates and repeats.

use crate::shared::auth::MAX_PASSWORD_BYTES;

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// How much of a password the guessability estimate looks at, in characters.
const GUESSABILITY_CHARS: usize = 64;

/// Why `password` cannot be `username`'s new password, in Swedish; `None` when it can.
pub fn new_password_problem(password: &str, username: &str) -> Option<String> {
    if password.trim().is_empty() {
        return Some("Lösenordet får inte vara tomt eller bara mellanslag.".into());
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Some(format!(
            "Lösenordet måste ha minst {MIN_PASSWORD_CHARS} tecken."
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Some(format!(
            "Lösenordet får vara högst {MAX_PASSWORD_BYTES} byte långt."
        ));
    }
    if password.chars().any(char::is_control) {
        return Some("Lösenordet får inte innehålla kontrolltecken.".into());
    }
    let lowered = password.to_lowercase();
    if !username.trim().is_empty() && lowered.contains(&username.trim().to_lowercase()) {
        return Some("Lösenordet får inte innehålla användarnamnet.".into());
    }
    // zxcvbn's cost grows quickly with length; a phrase this long is judged on its start.
    let judged: String = password.chars().take(GUESSABILITY_CHARS).collect();
    let guessable = zxcvbn::zxcvbn(&judged, &[username, "samsyn", "hemsjukvård"]);
    if u8::from(guessable.score()) < 3 {
        return Some(
            "Lösenordet är för lätt att gissa: det liknar vanliga lösenord, ord eller mönster. \
             Välj till exempel tre eller fyra ord som inte hör ihop."
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_blank_common_and_own_name_are_refused() {
        assert!(
            new_password_problem("            ", "anna")
                .unwrap()
                .contains("mellanslag")
        );
        assert!(
            new_password_problem("kort", "anna")
                .unwrap()
                .contains("minst 12")
        );
        for common in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "iloveyou1234",
        ] {
            assert!(
                new_password_problem(common, "anna")
                    .unwrap()
                    .contains("lätt att gissa"),
                "{common}"
            );
        }
        assert!(
            new_password_problem("x-lakare-lang-fras", "lakare")
                .unwrap()
                .contains("användarnamnet")
        );
        assert!(
            new_password_problem("kaffe\u{0}kanel-bulle-fjäll", "anna")
                .unwrap()
                .contains("kontrolltecken")
        );
    }

    #[test]
    fn a_long_unusual_phrase_is_accepted() {
        assert_eq!(
            new_password_problem("ekorre kompass vinbär tunnel", "anna"),
            None
        );
    }
}
