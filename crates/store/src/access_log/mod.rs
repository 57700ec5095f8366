//! The access log (åtkomstlogg), as patientdatalagen 4 kap. 3 § and HSLF-FS 2016:40 4 kap. ask of
//! every part of the agreement that touches patient data. Insert and read only; every entry is
//! linked into a hash chain that `samsyn audit verify` walks. Reviewers' samples and findings
//! are kept beside it.

pub mod chain;
pub mod record;
pub mod sample;
pub mod search;
pub mod writer;

pub use record::{Access, Actor, Logged, record, record_all, record_in_emergency};
pub use search::{Filter, LoggedAccess, Page, PageAt, Position, search};
pub use writer::LoggedReads;
