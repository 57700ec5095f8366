//! The semicolon-separated files' lines, a block of whole lines at a time: a reader is cut into
//! blocks that each know the number of their first line, so that blocks can be checked on
//! several cores and every problem still names its line.

use super::RowError;
use std::io::Read;

/// A run of whole lines from a file, and the number of its first line (the header is line 1).
pub struct LineBlock {
    pub bytes: Vec<u8>,
    pub first_line: usize,
}

/// Cuts `reader` into blocks of whole lines of about `size` bytes, in order. A last line without
/// a line break is a line too.
pub fn for_each_block(
    mut reader: impl Read,
    size: usize,
    mut each: impl FnMut(LineBlock),
) -> std::io::Result<()> {
    let mut carried: Vec<u8> = Vec::new();
    let mut first_line = 1;
    loop {
        let mut bytes = std::mem::take(&mut carried);
        let start = bytes.len();
        bytes.resize(start + size, 0);
        let read = read_fully(&mut reader, &mut bytes[start..])?;
        bytes.truncate(start + read);
        if read == 0 {
            if !bytes.is_empty() {
                each(LineBlock { bytes, first_line });
            }
            return Ok(());
        }
        let Some(end) = memchr::memrchr(b'\n', &bytes) else {
            carried = bytes;
            continue;
        };
        carried = bytes.split_off(end + 1);
        let lines = memchr::memchr_iter(b'\n', &bytes).count();
        each(LineBlock { bytes, first_line });
        first_line += lines;
    }
}

/// Reads until `buffer` is full or the reader is at its end.
fn read_fully(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The most columns any of Samsyn's files has; a longer line is refused by its count.
const MAX_COLUMNS: usize = 16;

/// How a file's lines are laid out: its name for the messages, its header and its column count.
#[derive(Clone, Copy)]
pub struct Layout<'a> {
    pub file: &'a str,
    pub header: &'a str,
    pub columns: usize,
}

impl Layout<'_> {
    fn error(&self, line: usize, column: &'static str, reason: String) -> RowError {
        RowError {
            file: self.file.to_owned(),
            line,
            column,
            reason,
        }
    }

    /// Calls `row` with the line number and the trimmed cells of every data line of `block` with
    /// the right column count; checks the header when the block holds line 1. Returns `false`
    /// when the header is wrong: the rest of the file cannot be read.
    pub fn data_lines(
        &self,
        block: &LineBlock,
        errors: &mut Vec<RowError>,
        mut row: impl FnMut(usize, &[&str], &mut Vec<RowError>),
    ) -> bool {
        for (line_number, raw) in (block.first_line..).zip(block.bytes.split(|b| *b == b'\n')) {
            let Ok(text) = std::str::from_utf8(raw) else {
                errors.push(self.error(line_number, "rad", "är inte UTF-8-text".to_owned()));
                continue;
            };
            let line = text.trim_end_matches('\r');
            if line_number == 1 {
                if line.strip_prefix('\u{feff}').unwrap_or(line) != self.header {
                    errors.push(self.error(
                        1,
                        "rubrikrad",
                        format!("rubrikraden ska vara {}", self.header),
                    ));
                    return false;
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            let mut cells = [""; MAX_COLUMNS];
            let mut count = 0;
            let mut start = 0;
            let ends = memchr::memchr_iter(b';', line.as_bytes()).chain([line.len()]);
            for end in ends {
                if let Some(slot) = cells.get_mut(count) {
                    *slot = line.get(start..end).unwrap_or_default().trim();
                }
                start = end + 1;
                count += 1;
            }
            if count != self.columns {
                errors.push(self.error(
                    line_number,
                    "rad",
                    format!("har {count} kolumner, ska ha {}", self.columns),
                ));
                continue;
            }
            match cells.get(..count) {
                Some(cells) => row(line_number, cells, errors),
                None => errors.push(self.error(
                    line_number,
                    "rad",
                    format!("har {count} kolumner, fler än Samsyn läser"),
                )),
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str, size: usize) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for_each_block(text.as_bytes(), size, |b| {
            out.push((b.first_line, String::from_utf8(b.bytes).unwrap()))
        })
        .unwrap();
        out
    }

    #[test]
    fn blocks_hold_whole_lines_and_know_their_first_line() {
        let text = "h\na\nbb\nccc\nd";
        for size in 1..=text.len() + 1 {
            let cut = blocks(text, size);
            assert_eq!(
                cut.iter().map(|(_, t)| t.as_str()).collect::<String>(),
                text
            );
            let mut expected_line = 1;
            for (first, block) in &cut {
                assert_eq!(*first, expected_line, "size {size}");
                assert!(block.ends_with('\n') || block == "d" || block.ends_with("\nd"));
                expected_line += block.matches('\n').count();
            }
        }
    }

    #[test]
    fn lines_name_their_number_across_blocks() {
        let layout = Layout {
            file: "f.csv",
            header: "a;b",
            columns: 2,
        };
        let mut seen = Vec::new();
        let mut errors = Vec::new();
        for_each_block("a;b\n1;2\n\n3\n 4 ; 5 \r\n".as_bytes(), 6, |block| {
            layout.data_lines(&block, &mut errors, |line, cells, _| {
                seen.push((line, cells.join("|")))
            });
        })
        .unwrap();
        assert_eq!(seen, [(2, "1|2".to_owned()), (5, "4|5".to_owned())]);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (4, "rad"));
        assert_eq!(errors[0].reason, "har 1 kolumner, ska ha 2");
    }
}
