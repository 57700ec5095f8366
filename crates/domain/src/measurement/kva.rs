//! KVÅ codes (klassifikation av vårdåtgärder), as the activity files and the rule set name them.

/// A KVÅ code: `[A-Z]{3}[0-9]{2}` or `[A-Z]{2}[0-9]{3}`, not ending in `000`.
pub fn is_kva_code(code: &str) -> bool {
    let b = code.as_bytes();
    let shape = |letters: usize| {
        b.len() == 5
            && b[..letters].iter().all(u8::is_ascii_uppercase)
            && b[letters..].iter().all(u8::is_ascii_digit)
    };
    (shape(3) || shape(2)) && !code.ends_with("000")
}
