//! The medicinsk behandlingsplan as a printable A4 PDF, typeset with `printpdf` in its built-in
//! Helvetica (WinAnsi encoding covers Swedish letters, so no font file is embedded). Text is
//! wrapped by an estimate of Helvetica's widths and flows onto as many pages as it needs.

use printpdf::{
    BuiltinFont, Color, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, Rgb, TextItem,
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
    /// Bar charts after the sections, each bar with its value written beside it.
    pub charts: Vec<BarChart>,
    /// At the foot of the last section: where the plan comes from.
    pub footer: String,
}

/// A horizontal bar chart: a title and one bar per label, drawn to scale against the largest
/// value, with the value as text so it reads without the bar.
#[derive(Debug, Clone, Default)]
pub struct BarChart {
    pub title: String,
    /// (label, value, the value as shown).
    pub bars: Vec<(String, f64, String)>,
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
    /// A chart's bar after the label: its length as a share of the full length, and the value.
    bar: Option<(f32, String)>,
}

/// Where a bar starts and how long a full one is, in millimetres.
const BAR_START: f32 = MARGIN + 40.0;
const BAR_FULL: f32 = 105.0;

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

/// `text` wrapped into lines of `size`, the first with `gap` before it.
fn push(lines: &mut Vec<Line>, text: &str, size: f32, bold: bool, gap: f32) {
    for (i, part) in wrap(text, chars_per_line(size)).into_iter().enumerate() {
        lines.push(Line {
            text: part,
            size,
            bold,
            gap: if i == 0 { gap } else { 0.0 },
            bar: None,
        });
    }
}

fn lines_of(doc: &PlanDocument) -> Vec<Line> {
    let mut lines = Vec::new();
    push(&mut lines, &doc.title, 18.0, true, 0.0);
    push(&mut lines, &doc.subtitle, BODY_SIZE, false, 4.0);
    for (heading, paragraphs) in &doc.sections {
        push(&mut lines, heading, 12.5, true, 12.0);
        for paragraph in paragraphs {
            push(&mut lines, paragraph, BODY_SIZE, false, 3.0);
        }
    }
    for chart in &doc.charts {
        push(&mut lines, &chart.title, 11.0, true, 12.0);
        let largest = chart
            .bars
            .iter()
            .map(|(_, v, _)| *v)
            .fold(0.0_f64, f64::max);
        for (label, value, shown) in &chart.bars {
            let share = if largest > 0.0 {
                (value / largest) as f32
            } else {
                0.0
            };
            lines.push(Line {
                text: label.chars().take(24).collect(),
                size: 9.0,
                bold: false,
                gap: 1.0,
                bar: Some((share.clamp(0.0, 1.0), shown.clone())),
            });
        }
    }
    push(&mut lines, &doc.footer, 8.5, false, 16.0);
    lines
}

fn text_at(x: Mm, y: f32, size: f32, font: BuiltinFont, text: String) -> [Op; 5] {
    [
        Op::StartTextSection,
        Op::SetTextCursor {
            pos: Point {
                x: x.into(),
                y: Pt(y),
            },
        },
        Op::SetFont {
            font: PdfFontHandle::Builtin(font),
            size: Pt(size),
        },
        Op::ShowText {
            items: vec![TextItem::Text(text)],
        },
        Op::EndTextSection,
    ]
}

fn fill(r: f32, g: f32, b: f32) -> Op {
    Op::SetFillColor {
        col: Color::Rgb(Rgb {
            r,
            g,
            b,
            icc_profile: None,
        }),
    }
}

/// A line's drawing: its text, and for a bar the bar in the brand's blue and its value.
fn ops_of(line: Line, y: f32) -> Vec<Op> {
    let font = if line.bold {
        BuiltinFont::HelveticaBold
    } else {
        BuiltinFont::Helvetica
    };
    let mut ops = text_at(Mm(MARGIN), y, line.size, font, line.text).to_vec();
    if let Some((share, shown)) = line.bar {
        let width = BAR_FULL * share;
        ops.push(fill(0.0, 0.34, 0.61));
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(BAR_START).into(),
                y: Pt(y - 1.0),
                width: Mm(width.max(0.3)).into(),
                height: Pt(line.size),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
        ops.push(fill(0.0, 0.0, 0.0));
        ops.extend(text_at(
            Mm(BAR_START + width + 2.0),
            y,
            line.size,
            BuiltinFont::Helvetica,
            shown,
        ));
    }
    ops
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
                .flat_map(|(line, y)| ops_of(line, y))
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
            charts: vec![BarChart {
                title: "Per månad".into(),
                bars: vec![
                    ("jan".into(), 2.0, "2".into()),
                    ("feb".into(), 0.0, "0".into()),
                ],
            }],
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
