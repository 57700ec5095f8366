//! The medicinsk behandlingsplan on the web: `work.rs` holds its use cases (read, save a party's
//! items, sign, record a follow-up), `page.rs` its pages, and `document.rs` the text of its PDF.

pub mod document;
pub mod page;
pub mod work;
