//! The medicinsk behandlingsplan on the web: `work.rs` holds its use cases (read, save a party's
//! items, sign, record a follow-up), `page.rs` its pages, `api.rs` its JSON API, `document.rs` the text of its PDF, and
//! `own.rs` the person's own plans on Min sida.

pub mod api;
pub mod document;
pub mod own;
pub mod page;
pub mod work;
