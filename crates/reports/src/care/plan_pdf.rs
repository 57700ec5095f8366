//! The medicinsk behandlingsplan as a printable A4 PDF, typeset with `printpdf` in its built-in
//! Helvetica (WinAnsi encoding covers Swedish letters, so no font file is embedded). Text is
//! wrapped by an estimate of Helvetica's widths and flows onto as many pages as it needs.

use printpdf::{
    BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

/// What the document says, already in plain Swedish.
#[derive(Debug, Clone, Default)]
pub struct PlanDocument {
    pub title: String,
    /// Under the title: who the plan is for and which version, e.g. "Anna Andersson, version 2,
    /// fastställd 2026-11-20".
    pub subtitle: String,
    /// (heading, paragraphs) in reading order.
    pub sections: Vec<(String, Vec<String>)>,
    /// At the foot of the last section: where the plan comes from.
    pub footer: String,
}

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;
const BODY_SIZE: f32 = 10.5;

/// One typeset line: its text, size and whether it is bold.
struct Line {
    text: String,
    size: f32,
    bold: bool,
    /// Space before the line, in points.
    gap: f32,
}

/// Helvetica's average advance is about half the font size; a conservative estimate keeps lines
/// inside the margins without measuring each glyph.
fn chars_per_line(size: f32) -> usize {
    let width_pt = (PAGE_WIDTH - 2.0 * MARGIN) / 25.4 * 72.0;
    (width_pt / (size * 0.52)) as usize
}

/// Breaks `text` into lines of at most `width` characters at spaces; a word longer than a line
/// is split.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word = word.to_owned();
            while word.chars().count() > width {
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(head);
            }
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    lines
}

fn lines_of(doc: &PlanDocument) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut push = |text: String, size: f32, bold: bool, gap: f32| {
        for (i, part) in wrap(&text, chars_per_line(size)).into_iter().enumerate() {
            lines.push(Line {
                text: part,
                size,
                bold,
                gap: if i == 0 { gap } else { 0.0 },
            });
        }
    };
    push(doc.title.clone(), 18.0, true, 0.0);
    push(doc.subtitle.clone(), BODY_SIZE, false, 4.0);
    for (heading, paragraphs) in &doc.sections {
        push(heading.clone(), 12.5, true, 12.0);
        for paragraph in paragraphs {
            push(paragraph.clone(), BODY_SIZE, false, 3.0);
        }
    }
    push(doc.footer.clone(), 8.5, false, 16.0);
    lines
}

/// The lines of each page, with each line's baseline in points from the page's foot.
fn pages_of(doc: &PlanDocument) -> Vec<Vec<(Line, f32)>> {
    let top = (PAGE_HEIGHT - MARGIN) / 25.4 * 72.0;
    let bottom = MARGIN / 25.4 * 72.0;
    let mut pages: Vec<Vec<(Line, f32)>> = vec![Vec::new()];
    let mut y = top;
    for line in lines_of(doc) {
        let height = line.size * 1.3;
        let starts_page = pages.last().is_none_or(Vec::is_empty);
        if !starts_page && y - line.gap - height < bottom {
            pages.push(Vec::new());
            y = top;
        }
        let starts_page = pages.last().is_none_or(Vec::is_empty);
        y -= if starts_page { 0.0 } else { line.gap } + height;
        if let Some(page) = pages.last_mut() {
            page.push((line, y));
        }
    }
    pages
}

/// The document as PDF bytes.
pub fn plan_pdf(doc: &PlanDocument) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&doc.title);
    let pages = pages_of(doc)
        .into_iter()
        .map(|lines| {
            let ops = lines
                .into_iter()
                .flat_map(|(line, y)| {
                    let font = if line.bold {
                        BuiltinFont::HelveticaBold
                    } else {
                        BuiltinFont::Helvetica
                    };
                    [
                        Op::StartTextSection,
                        Op::SetTextCursor {
                            pos: Point {
                                x: Mm(MARGIN).into(),
                                y: Pt(y),
                            },
                        },
                        Op::SetFont {
                            font: PdfFontHandle::Builtin(font),
                            size: Pt(line.size),
                        },
                        Op::ShowText {
                            items: vec![TextItem::Text(line.text)],
                        },
                        Op::EndTextSection,
                    ]
                })
                .collect();
            PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops)
        })
        .collect();
    pdf.with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_line_and_keeps_every_word() {
        let text = "Vid viktökning mer än två kilo på tre dagar ringer sjuksköterskan vårdcentralen samma dag.";
        let lines = wrap(text, 30);
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_long_plan_flows_onto_more_pages_and_is_a_pdf() {
        let paragraph =
            "Planen följs upp vid hembesök av läkaren och kommunens sjuksköterska. ".repeat(8);
        let long = PlanDocument {
            title: "Medicinsk behandlingsplan".into(),
            subtitle: "Anna Andersson, version 1".into(),
            sections: (1..=12)
                .map(|n| (format!("Del {n}"), vec![paragraph.clone()]))
                .collect(),
            footer: "Samsyn".into(),
        };
        let short = PlanDocument {
            sections: vec![("Del 1".into(), vec!["Kort.".into()])],
            ..long.clone()
        };
        assert_eq!(pages_of(&short).len(), 1);
        let pages = pages_of(&long);
        assert!(pages.len() > 1);
        let bottom = MARGIN / 25.4 * 72.0;
        assert!(pages.iter().flatten().all(|(_, y)| *y >= bottom));
        let bytes = plan_pdf(&long);
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(String::from_utf8_lossy(&bytes).contains("WinAnsiEncoding"));
    }
}
