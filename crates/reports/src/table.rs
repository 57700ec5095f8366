//! A titled table of text cells, written as CSV for Swedish Excel, as an Excel workbook of one
//! sheet per table, or as the sections of a PDF: the yearly compilations use all three.

use crate::care::plan_pdf::{BarChart, PlanDocument, plan_pdf};
use crate::csv::cell;

/// One table: a title (the sheet's name), its headings and rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Days with one decimal and a decimal comma, or a dash when there are none.
pub fn days(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |d| format!("{d:.1}").replace('.', ","))
}

/// The table as semicolon-separated CSV with a byte-order mark.
pub fn to_csv(table: &Table) -> String {
    let line = |cells: &[String]| cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(";");
    let mut out = format!("\u{feff}{}\n", line(&table.headers));
    for row in &table.rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

/// The tables as one workbook; a cell that is a whole number is written as a number.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let error = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let name: String = table.title.chars().take(31).collect();
        let sheet = workbook.add_worksheet().set_name(name).map_err(error)?;
        for (c, heading) in table.headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, heading, &bold)
                .map_err(error)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match value.parse::<i64>() {
                    Ok(n) => sheet.write_number(r, c, n as f64).map_err(error)?,
                    Err(_) => sheet.write_string(r, c, value).map_err(error)?,
                };
            }
        }
    }
    workbook.save_to_buffer().map_err(error)
}

/// The tables as a PDF: a section per table, a line per row with its headings.
pub fn to_pdf(title: &str, subtitle: &str, intro: &[String], tables: &[Table]) -> Vec<u8> {
    to_pdf_with_charts(title, subtitle, intro, tables, Vec::new())
}

/// As [`to_pdf`], with bar charts after the tables.
pub fn to_pdf_with_charts(
    title: &str,
    subtitle: &str,
    intro: &[String],
    tables: &[Table],
    charts: Vec<BarChart>,
) -> Vec<u8> {
    let mut sections = vec![("Sammanfattning".to_owned(), intro.to_vec())];
    for table in tables {
        let lines = if table.rows.is_empty() {
            vec!["Inga.".to_owned()]
        } else {
            table
                .rows
                .iter()
                .map(|row| {
                    table
                        .headers
                        .iter()
                        .zip(row)
                        .map(|(h, v)| format!("{h}: {}", if v.is_empty() { "–" } else { v }))
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .collect()
        };
        sections.push((table.title.clone(), lines));
    }
    plan_pdf(&PlanDocument {
        title: title.to_owned(),
        subtitle: subtitle.to_owned(),
        sections,
        charts,
        footer: "Sammanställt av Samsyn ur registrerade ärenden. Inga personnummer eller namn på personer."
            .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_csv_excel_and_pdf() {
        let table = Table {
            title: "Per nivå".into(),
            headers: vec!["Nivå".into(), "Antal".into()],
            rows: vec![vec!["1".into(), "3".into()], vec!["=2".into(), "1".into()]],
        };
        assert_eq!(to_csv(&table), "\u{feff}Nivå;Antal\n1;3\n'=2;1\n");
        let xlsx = to_xlsx(std::slice::from_ref(&table)).unwrap();
        assert!(xlsx.starts_with(b"PK"));
        assert!(to_pdf("T", "S", &[], &[table]).starts_with(b"%PDF-"));
    }
}
