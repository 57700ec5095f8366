//! One CSV cell for Swedish Excel (semicolon-separated): quoted when it holds a separator, a quote
//! or a line break, and never read as a formula.

pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_and_separators_stay_text() {
        assert_eq!(cell("Örebro"), "Örebro");
        assert_eq!(cell("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(cell("@cmd"), "'@cmd");
        assert_eq!(cell("Vård; omsorg"), "\"Vård; omsorg\"");
        assert_eq!(cell("Säg \"hej\""), "\"Säg \"\"hej\"\"\"");
    }
}
