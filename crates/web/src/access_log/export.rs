//! The review's files for Swedish Excel (semicolons, a BOM, cells never read as formulas): the
//! filtered log, and a sample with the reviewer's findings.

use crate::AppState;
use crate::case::views::local_time;
use samsyn_reports::csv::cell;
use samsyn_store::access_log::LoggedAccess;
use samsyn_store::access_log::sample::{SampleItem, SampleSubject};

const ENTRY_HEADER: [&str; 11] = [
    "Tid",
    "Användarnamn",
    "Användare",
    "Inloggning",
    "Enhet",
    "Person",
    "Händelse",
    "Objekttyp",
    "Objekt",
    "Utfall",
    "Skäl för nödåtkomst",
];

/// Who the entry is about, as the reviewer may see it.
fn person(entry: &LoggedAccess) -> String {
    match (&entry.patient, &entry.patient_id) {
        (Some((number, name)), _) if entry.patient_protected => {
            format!("{name}, {} (skyddad identitet)", number.masked())
        }
        (Some((number, name)), _) => format!("{name}, {}", number.masked()),
        (None, Some(_)) => "Annan parts patient".to_owned(),
        (None, None) => String::new(),
    }
}

fn entry_cells(state: &AppState, entry: &LoggedAccess) -> Vec<String> {
    vec![
        local_time(state, entry.at),
        entry.username.clone(),
        entry.user_name.clone(),
        entry.identity_source.label().to_owned(),
        entry.unit_name.clone(),
        person(entry),
        entry.action.label().to_owned(),
        entry.object_type.clone(),
        entry.object_id.clone(),
        entry.outcome.label().to_owned(),
        entry.emergency_reason.clone().unwrap_or_default(),
    ]
}

fn line(cells: &[String]) -> String {
    let mut text = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(";");
    text.push_str("\r\n");
    text
}

fn header(extra: &[&str], base: &[&str]) -> String {
    line(
        &extra
            .iter()
            .chain(base)
            .map(|h| (*h).to_owned())
            .collect::<Vec<_>>(),
    )
}

/// The entries, one per line.
pub fn entries_csv(state: &AppState, entries: &[LoggedAccess]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header(&[], &ENTRY_HEADER));
    for entry in entries {
        out.push_str(&line(&entry_cells(state, entry)));
    }
    out
}

/// A sample's items in drawn order with the finding on each: an access item is one line, a
/// patient item one line per access to the patient in the period.
pub fn sample_csv(state: &AppState, items: &[SampleItem]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header(
        &["Nr", "Bedömning", "Anteckning", "Granskad av", "Granskad"],
        &ENTRY_HEADER,
    ));
    for item in items {
        let review = vec![
            item.position.to_string(),
            item.finding
                .map(|f| f.label().to_owned())
                .unwrap_or_else(|| "Ej granskad".to_owned()),
            item.note.clone(),
            item.reviewed_by.clone().unwrap_or_default(),
            item.reviewed_at
                .map(|at| local_time(state, at))
                .unwrap_or_default(),
        ];
        let entries: Vec<&LoggedAccess> = match &item.subject {
            SampleSubject::Access(entry) => vec![entry],
            SampleSubject::Patient { accesses, .. } => accesses.iter().collect(),
        };
        if entries.is_empty() {
            out.push_str(&line(&review));
        }
        for entry in entries {
            let mut cells = review.clone();
            cells.extend(entry_cells(state, entry));
            out.push_str(&line(&cells));
        }
    }
    out
}
