//! A measurement's files read on every core: one thread cuts the files into blocks of whole
//! lines, and each core checks and classifies the blocks it takes with its own accumulator; the
//! accumulators are then finished together, a share of the persons on each core. Memory follows the persons and a few blocks per core, never the
//! rows. Nothing per person leaves this: the result is counts per municipality, so the persons
//! are never pseudonymised here (files that are stored are, at import).

use samsyn_domain::measurement::lines::{LineBlock, for_each_block};
use samsyn_domain::measurement::{
    Accumulator, BLOCK_SIZE, Measurement, Period, PersonCheck, RowError, read_activity_block,
    read_enrollment_block,
};
use samsyn_domain::{PersonId, RuleSet};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, sync_channel};

/// What a measured file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasuredKind {
    /// Aktiviteter: the KVÅ-coded activities.
    Activities,
    /// Inskrivningar: the enrollment periods.
    Enrollments,
}

/// One file of a measurement, under the name its problems are reported with.
pub struct MeasuredFile<R> {
    pub name: String,
    pub kind: MeasuredKind,
    pub reader: R,
}

/// The files' measurement, every problem found in order of file and line, and the readers
/// handed back (e.g. to finish a checksum computed while reading).
pub struct FilesMeasured<R> {
    pub measurement: Measurement,
    pub errors: Vec<RowError>,
    pub readers: Vec<R>,
}

/// The rules a worker reads and classifies by.
struct Reading<'r> {
    period: Period,
    rules: &'r RuleSet,
    today: jiff::civil::Date,
}

/// A block of one file, for whichever worker is free.
struct Job {
    file: usize,
    block: LineBlock,
}

/// What one worker found.
struct Found<'r> {
    accumulator: Accumulator<'r, PersonId>,
    errors: Vec<RowError>,
    wrong_headers: Vec<usize>,
}

/// Reads, checks and classifies `files` on every core. An I/O error stops the reading; problems
/// in the rows are returned, not raised.
pub fn measure_files<'r, R: std::io::Read + Send>(
    rules: &'r RuleSet,
    period: Period,
    today: jiff::civil::Date,
    files: Vec<MeasuredFile<R>>,
) -> std::io::Result<FilesMeasured<R>> {
    let reading = Reading {
        period,
        rules,
        today,
    };
    let names: Vec<(String, MeasuredKind)> =
        files.iter().map(|f| (f.name.clone(), f.kind)).collect();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (send, receive) = sync_channel::<Job>(workers * 2);
    let receive = Mutex::new(receive);
    let (found, readers) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| scope.spawn(|| work(&receive, &names, &reading)))
            .collect();
        let mut readers = Vec::new();
        let mut read = Ok(());
        for (file, measured) in files.into_iter().enumerate() {
            let mut reader = measured.reader;
            read = for_each_block(&mut reader, BLOCK_SIZE, |block| {
                // A worker only stops early by panicking, which the join below passes on.
                let _ = send.send(Job { file, block });
            });
            readers.push(reader);
            if read.is_err() {
                break;
            }
        }
        drop(send);
        let found: Vec<Found<'r>> = handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        read.map(|()| (found, readers))
    })?;
    let mut errors = Vec::new();
    let mut wrong_headers = Vec::new();
    let mut parts = Vec::new();
    for part in found {
        parts.push(part.accumulator);
        errors.extend(part.errors);
        wrong_headers.extend(part.wrong_headers);
    }
    let measurement = Accumulator::finish_together(parts)
        .unwrap_or_else(|| Accumulator::<PersonId>::new(period, &rules.measurement).finish());
    let file_of = |name: &str| names.iter().position(|(n, _)| n == name);
    // A wrong header makes every line of its file wrong; the header's message says it all.
    errors.retain(|e| !file_of(&e.file).is_some_and(|f| wrong_headers.contains(&f)) || e.line == 1);
    errors.sort_by_key(|e| (file_of(&e.file), e.line));
    Ok(FilesMeasured {
        measurement,
        errors,
        readers,
    })
}

/// Takes blocks until there are none: checks and classifies them with this worker's own
/// accumulator.
fn work<'r>(
    jobs: &Mutex<Receiver<Job>>,
    names: &[(String, MeasuredKind)],
    reading: &Reading<'r>,
) -> Found<'r> {
    let mut found = Found {
        accumulator: Accumulator::new(reading.period, &reading.rules.measurement),
        errors: Vec::new(),
        wrong_headers: Vec::new(),
    };
    let persons = PersonCheck {
        reserve: &reading.rules.reserve_number,
        today: reading.today,
    };
    loop {
        let job = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => break,
        };
        let Ok(job) = job else { break };
        let Some((name, kind)) = names.get(job.file) else {
            continue;
        };
        let accumulator = &mut found.accumulator;
        let readable = match kind {
            MeasuredKind::Activities => {
                read_activity_block(name, &job.block, persons, &mut found.errors, |row| {
                    accumulator.add_activity(row)
                })
            }
            MeasuredKind::Enrollments => {
                read_enrollment_block(name, &job.block, persons, &mut found.errors, |e| {
                    accumulator.add_enrollment(&e)
                })
            }
        };
        if !readable {
            found.wrong_headers.push(job.file);
        }
    }
    found
}
