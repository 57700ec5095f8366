//! A measurement's files read on every core: one thread cuts the files into blocks of whole
//! lines, and each core checks and classifies the blocks it takes. Each core keeps one shard of
//! the persons: what a row adds to a person in another core's shard is sent to that core, so
//! that every core's map holds only its share and the shards are finished side by side. Memory
//! follows the persons and a few blocks per core, never the rows. Nothing per person leaves
//! this: the result is counts per municipality, so the persons are never pseudonymised here
//! (files that are stored are, at import).

use super::person_keys::{PersonKey, PersonKeys};
use samsyn_domain::RuleSet;
use samsyn_domain::measurement::lines::{LineBlock, for_each_block};
use samsyn_domain::measurement::{
    Accumulator, BLOCK_SIZE, Enrollment, Measurement, Period, PersonActivity, PersonCheck,
    RowError, read_activity_block, read_enrollment_block,
};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};

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
    /// The cores that finish the measurement together, one shard of the persons each.
    cores: usize,
    keys: PersonKeys,
}

/// A block of one file, for whichever worker is free.
struct Job {
    file: usize,
    block: LineBlock,
}

/// What a worker read of the persons another worker keeps.
#[derive(Default)]
struct Parcel {
    activities: Vec<PersonActivity<PersonKey>>,
    enrollments: Vec<Enrollment<PersonKey>>,
}

/// A worker's post: the shard of the persons it keeps, what the others send it, and where to
/// send what it reads of theirs (`None` at its own shard).
struct Mail {
    shard: usize,
    inbox: Receiver<Parcel>,
    to: Vec<Option<Sender<Parcel>>>,
}

/// One post per worker, each able to send to every other.
fn post(workers: usize) -> Vec<Mail> {
    let (senders, inboxes): (Vec<Sender<Parcel>>, Vec<Receiver<Parcel>>) =
        (0..workers).map(|_| channel()).unzip();
    inboxes
        .into_iter()
        .enumerate()
        .map(|(shard, inbox)| Mail {
            shard,
            inbox,
            to: senders
                .iter()
                .enumerate()
                .map(|(other, sender)| (other != shard).then(|| sender.clone()))
                .collect(),
        })
        .collect()
}

/// What one worker found.
struct Found<'r> {
    accumulator: Accumulator<'r, PersonKey>,
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
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let reading = Reading {
        period,
        rules,
        today,
        cores: workers,
        keys: PersonKeys::default(),
    };
    let names: Vec<(String, MeasuredKind)> =
        files.iter().map(|f| (f.name.clone(), f.kind)).collect();
    let (send, receive) = sync_channel::<Job>(workers * 2);
    let receive = Mutex::new(receive);
    let (found, readers) = std::thread::scope(|scope| {
        let handles: Vec<_> = post(workers)
            .into_iter()
            .map(|mail| {
                let (receive, names, reading) = (&receive, &names, &reading);
                scope.spawn(move || work(receive, names, reading, mail))
            })
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
        .unwrap_or_else(|| Accumulator::<PersonKey>::new(period, &rules.measurement).finish());
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
/// accumulator, which keeps one shard of the persons. What the rows add to the other shards'
/// persons is sent to the workers that keep them, and what they send is added here, so that each
/// person is counted on one core and each core's map holds only its share.
fn work<'r>(
    jobs: &Mutex<Receiver<Job>>,
    names: &[(String, MeasuredKind)],
    reading: &Reading<'r>,
    mail: Mail,
) -> Found<'r> {
    let mut found = Found {
        accumulator: Accumulator::sharded(
            reading.period,
            &reading.rules.measurement,
            reading.cores,
        ),
        errors: Vec::new(),
        wrong_headers: Vec::new(),
    };
    let persons = PersonCheck {
        reserve: &reading.rules.reserve_number,
        today: reading.today,
    };
    let open = |accumulator: &mut Accumulator<'r, PersonKey>, parcel: Parcel| {
        for share in parcel.activities {
            accumulator.add_person_activity(share);
        }
        for enrollment in &parcel.enrollments {
            accumulator.add_enrollment(enrollment);
        }
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
        let mut outgoing: Vec<Parcel> = mail.to.iter().map(|_| Parcel::default()).collect();
        let accumulator = &mut found.accumulator;
        let readable = match kind {
            MeasuredKind::Activities => {
                read_activity_block(name, &job.block, persons, &mut found.errors, |row| {
                    let row = row.map_person(|p| reading.keys.key(&p));
                    let Some(share) = accumulator.judge_activity(row) else {
                        return;
                    };
                    match accumulator.shard_of(share.person()) {
                        shard if shard == mail.shard => accumulator.add_person_activity(share),
                        shard => outgoing[shard].activities.push(share),
                    }
                })
            }
            MeasuredKind::Enrollments => {
                read_enrollment_block(name, &job.block, persons, &mut found.errors, |e| {
                    let e = e.map_person(|p| reading.keys.key(&p));
                    match accumulator.shard_of(&e.person) {
                        shard if shard == mail.shard => accumulator.add_enrollment(&e),
                        shard => outgoing[shard].enrollments.push(e),
                    }
                })
            }
        };
        if !readable {
            found.wrong_headers.push(job.file);
        }
        for (parcel, to) in outgoing.into_iter().zip(&mail.to) {
            if let Some(to) = to {
                // The other worker only hangs up by panicking, which the join passes on.
                let _ = to.send(parcel);
            }
        }
        while let Ok(parcel) = mail.inbox.try_recv() {
            open(&mut found.accumulator, parcel);
        }
    }
    // Hanging up lets the others' inboxes end once every worker has read its last block.
    drop(mail.to);
    for parcel in mail.inbox {
        open(&mut found.accumulator, parcel);
    }
    found
}
