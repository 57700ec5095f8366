//! Free text as Samsyn takes it in (fritext): every text field has a length limit, no control
//! characters but line breaks and tabs, and names lose the bidirectional overrides that make
//! `rapport\u{202e}txt.exe` read as `rapportexe.txt`. docs/SECURITY.md lists the limits.

/// Names, phone numbers, titles and other one-line fields, in characters.
pub const SHORT_TEXT_CHARS: usize = 200;
/// SBAR parts, assessments, messages, reasons and notes, in characters.
pub const LONG_TEXT_CHARS: usize = 4000;
/// The most any single form or JSON field may hold, in characters: the ceiling under every
/// field's own limit, for fields that have none of their own (the economy pages' names and
/// notes among them).
pub const ANY_FIELD_CHARS: usize = 10_000;
/// An attachment's file name as stored, in characters, extension included.
pub const FILE_NAME_CHARS: usize = 120;

/// Whether the text holds a control character other than tab, line feed and carriage return
/// (NUL among them), or, in a one-line field, any control character at all.
pub fn has_control_character(text: &str, multiline: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')))
}

/// Whether `c` changes the direction text is shown in: the embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069) and the invisible direction marks.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// The text without bidirectional controls: for names and file names, which must read as what
/// they are.
pub fn without_bidi_controls(text: &str) -> String {
    text.chars().filter(|c| !is_bidi_control(*c)).collect()
}

/// Why the field's value cannot be stored, in Swedish, or `None`.
pub fn problem(label: &str, value: &str, max_chars: usize, multiline: bool) -> Option<String> {
    if has_control_character(value, multiline) {
        Some(format!(
            "{label} innehåller ett otillåtet tecken (ett styrtecken). Ta bort det och försök igen."
        ))
    } else if value.chars().count() > max_chars {
        Some(format!("{label} får vara högst {max_chars} tecken."))
    } else {
        None
    }
}

/// The name an attachment is stored and offered under: the uploaded name without controls,
/// path separators or quotes, cut to fit, with the extension of the type its content was
/// verified as (so `rapport.html` holding a PDF becomes `rapport.pdf`).
pub fn attachment_file_name(uploaded: &str, extension: &str) -> String {
    let cleaned: String = without_bidi_controls(uploaded)
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .collect();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem,
        _ => cleaned.as_str(),
    };
    let stem = stem.trim().trim_end_matches('.');
    let stem = if stem.is_empty() { "bilaga" } else { stem };
    let room = FILE_NAME_CHARS.saturating_sub(extension.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_and_line_breaks_allowed_where_text_is_long() {
        assert!(has_control_character("Anna\0", true));
        assert!(has_control_character("Anna\u{7}", true));
        assert!(has_control_character("rad ett\nrad två", false));
        assert!(!has_control_character("rad ett\r\nrad två\tindrag", true));
        assert!(!has_control_character("Åsa Öberg-Ärlig", false));
    }

    #[test]
    fn bidi_overrides_are_stripped() {
        assert_eq!(
            without_bidi_controls("rapport\u{202e}txt.exe"),
            "rapporttxt.exe"
        );
        assert_eq!(without_bidi_controls("\u{2067}Anna\u{2069}"), "Anna");
        assert_eq!(without_bidi_controls("Anna Berg"), "Anna Berg");
    }

    #[test]
    fn problems_name_the_field() {
        assert_eq!(problem("Bedömning", "ok", 10, true), None);
        assert_eq!(
            problem("Bedömning", "elva tecken", 10, true).as_deref(),
            Some("Bedömning får vara högst 10 tecken.")
        );
        assert!(
            problem("Namn", "A\0", 10, false)
                .unwrap()
                .starts_with("Namn innehåller ett otillåtet tecken")
        );
    }

    #[test]
    fn a_stored_file_name_ends_in_its_verified_type() {
        assert_eq!(
            attachment_file_name("rapport\u{202e}txt.exe", "pdf"),
            "rapporttxt.pdf"
        );
        assert_eq!(attachment_file_name("sida.html", "txt"), "sida.txt");
        assert_eq!(
            attachment_file_name("../../etc/passwd", "txt"),
            "bilaga.txt"
        );
        assert_eq!(attachment_file_name("", "png"), "bilaga.png");
        assert_eq!(attachment_file_name(".bashrc", "txt"), ".bashrc.txt");
        let long = "a".repeat(500);
        assert_eq!(
            attachment_file_name(&long, "jpg").chars().count(),
            FILE_NAME_CHARS
        );
    }
}
