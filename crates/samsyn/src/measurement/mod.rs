//! Hemsjukvårdsmätning on the command line (*Principer för samverkan och ekonomisk reglering*
//! §12.4): measure files in one pass on every core, or import them.
//!
//! `samsyn measure`: the measurement from files, printed as JSON or CSV.

use crate::cli::MeasureCommand;
use anyhow::{Context, Result, bail};
use samsyn_domain::RuleSet;
use samsyn_domain::measurement::{
    ManualAssessment, Period, read_assessments, with_manual_assessments,
};
use samsyn_reports::measurement::{Input, to_csv, to_json};
use samsyn_store::demo::measurement_files as demo_measurement;
use samsyn_store::measurement::files::{MeasuredFile, MeasuredKind, measure_files};
use samsyn_store::measurement::pseudonym::{Pseudonym, PseudonymCache, PseudonymKey};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

pub fn run(rules: &RuleSet, command: MeasureCommand) -> Result<()> {
    match command {
        MeasureCommand::Run {
            period,
            activities,
            enrollments,
            assessments,
            output,
        } => {
            let period = Period::month(&period)
                .with_context(|| format!("--period: {period} är inte ÅÅÅÅ-MM"))?;
            let result = classify(rules, period, &activities, &enrollments, &assessments)?;
            match output.as_str() {
                "csv" => print!("{}", to_csv(&result.0, rules)),
                _ => println!("{}", to_json(&result.0, rules, &result.1)),
            }
            Ok(())
        }
        MeasureCommand::Import { .. } => bail!("import needs a database"),
        MeasureCommand::DemoFiles { dir } => {
            std::fs::create_dir_all(&dir)?;
            let all = demo_measurement::all(rules);
            for (name, files) in &all {
                std::fs::write(
                    dir.join(format!("aktiviteter-{name}.csv")),
                    &files.activities,
                )?;
                std::fs::write(
                    dir.join(format!("inskrivningar-{name}.csv")),
                    &files.enrollments,
                )?;
            }
            let periods: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
            println!(
                "Skrev demofilerna för {} i {}.",
                periods.join(" och "),
                dir.display()
            );
            Ok(())
        }
    }
}

/// The key for pseudonyms: `SAMSYN_PSEUDONYM_KEY` (at least 32 bytes), or a key for this run only,
/// which classifies just as well but cannot link months.
fn key() -> Result<PseudonymKey> {
    match std::env::var("SAMSYN_PSEUDONYM_KEY") {
        Ok(secret) => PseudonymKey::new(secret.as_bytes())
            .context("SAMSYN_PSEUDONYM_KEY måste vara minst 32 tecken"),
        Err(_) => {
            let mut secret = [0u8; 32];
            getrandom(&mut secret);
            PseudonymKey::new(&secret).context("nyckel")
        }
    }
}

fn getrandom(buffer: &mut [u8]) {
    use rand::RngCore;
    rand::rng().fill_bytes(buffer);
}

fn read(path: &Path) -> Result<(String, Input)> {
    let bytes = std::fs::read(path).with_context(|| format!("kan inte läsa {}", path.display()))?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{} är inte UTF-8", path.display()))?;
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    Ok((
        text,
        Input {
            file: file_name(path),
            sha256,
        },
    ))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Hashes what passes through, so a file is read once: streamed into the measurement while its
/// SHA-256 (the report's record of its inputs) is computed.
struct Hashing<R> {
    inner: R,
    sha: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.sha.update(&buffer[..n]);
        Ok(n)
    }
}

/// Opens `path` for one pass; `finish` gives its [`Input`] afterwards.
fn hashing(path: &Path) -> Result<Hashing<File>> {
    let file = File::open(path).with_context(|| format!("kan inte läsa {}", path.display()))?;
    Ok(Hashing {
        inner: file,
        sha: Sha256::new(),
    })
}

fn finish(path: &Path, reader: Hashing<File>) -> Input {
    Input {
        file: file_name(path),
        sha256: hex::encode(reader.sha.finalize()),
    }
}

/// Reads, checks and classifies the activity and enrollment files in one pass on every core
/// (memory follows persons, not rows), and pseudonymises the manual assessments. Any bad row
/// stops everything, with every error.
pub fn classify(
    rules: &RuleSet,
    period: Period,
    activity_files: &[PathBuf],
    enrollment_files: &[PathBuf],
    assessment_files: &[PathBuf],
) -> Result<(samsyn_domain::measurement::Measurement, Vec<Input>)> {
    let today = jiff::Zoned::now().date();
    let key = key()?;
    let mut files = Vec::new();
    let kinds = [
        (activity_files, MeasuredKind::Activities),
        (enrollment_files, MeasuredKind::Enrollments),
    ];
    for (paths, kind) in kinds {
        for path in paths {
            files.push(MeasuredFile {
                name: file_name(path),
                kind,
                reader: hashing(path)?,
            });
        }
    }
    let paths: Vec<&PathBuf> = activity_files.iter().chain(enrollment_files).collect();
    let measured =
        measure_files(rules, period, today, files).context("filerna kunde inte läsas till slut")?;
    let mut errors = measured.errors;
    let mut inputs: Vec<Input> = paths
        .iter()
        .zip(measured.readers)
        .map(|(path, reader)| finish(path, reader))
        .collect();
    let mut pseudonyms = PseudonymCache::new(&key);
    let mut assessments: Vec<ManualAssessment<Pseudonym>> = Vec::new();
    for path in assessment_files {
        let mut reader = hashing(path)?;
        let name = file_name(path);
        errors.extend(read_assessments(
            &name,
            &mut reader,
            &rules.reserve_number,
            today,
            |a| assessments.push(a.map_person(|p| pseudonyms.pseudonym(p))),
        ));
        inputs.push(finish(path, reader));
    }
    if !errors.is_empty() {
        for error in errors.iter().take(200) {
            eprintln!("{error}");
        }
        bail!("{} fel i filerna; inget mättes", errors.len());
    }
    inputs.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((
        with_manual_assessments(measured.measurement, &assessments),
        inputs,
    ))
}

/// The stable key for stored pseudonyms: `SAMSYN_PSEUDONYM_KEY`, or a demo database's own key.
fn stored_key(store: &samsyn_store::Store) -> Result<PseudonymKey> {
    store
        .transaction(samsyn_store::measurement::pseudonym::configured_key)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .context("sätt SAMSYN_PSEUDONYM_KEY (minst 32 tecken): nyckeln som gör personerna till pseudonymer")
}

/// `samsyn measure import`: each file checked, pseudonymised and stored in its own transaction.
pub fn import(
    store: &samsyn_store::Store,
    rules: &RuleSet,
    kind: &str,
    period: Option<&str>,
    files: &[PathBuf],
) -> Result<()> {
    use samsyn_store::measurement::{self, FileKind, ImportOutcome};
    let kind = match (kind, period) {
        ("bedomningar", Some(period)) => FileKind::Assessments(
            Period::month(period).with_context(|| format!("--period: {period} är inte ÅÅÅÅ-MM"))?,
        ),
        (kind, _) => FileKind::from_code(kind).context("--kind")?,
    };
    let key = stored_key(store)?;
    let today = jiff::Zoned::now().date();
    let mut failed = false;
    // A progress bar on a terminal; nothing when output goes to a file or CI log.
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} filer  {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    for path in files {
        let (text, input) = read(path)?;
        progress.set_message(input.file.clone());
        let now = jiff::Timestamp::now();
        let outcome = store
            .transaction(|conn| {
                let outcome = measurement::import_file(
                    conn,
                    kind,
                    &input.file,
                    &text,
                    &measurement::PersonReading {
                        key: &key,
                        reserve: &rules.reserve_number,
                        today,
                    },
                    now,
                )?;
                // Manual assessments are laid over a result when it is read; new activities or
                // enrollments change the results themselves.
                let measured_again = !matches!(kind, FileKind::Assessments(_));
                if measured_again && matches!(outcome, Ok(ImportOutcome::Imported { .. })) {
                    measurement::results::refresh(conn, rules, now)?;
                }
                Ok(outcome)
            })
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        match outcome {
            Ok(ImportOutcome::Imported { rows }) => {
                println!("{}: {rows} rader importerade.", input.file)
            }
            Ok(ImportOutcome::AlreadyImported) => {
                println!("{}: redan importerad, inget ändrat.", input.file)
            }
            Err(errors) => {
                failed = true;
                for error in errors.iter().take(200) {
                    eprintln!("{error}");
                }
                println!("{}: {} fel, inget importerat.", input.file, errors.len());
            }
        }
    }
    if failed {
        bail!("minst en fil hade fel");
    }
    Ok(())
}
