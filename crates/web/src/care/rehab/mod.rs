//! The rehabilitation process's plan (*Hälso- och sjukvård i hemmet primärvårdsnivå* §3.4):
//! `panel.rs` is the case page's panel and its use cases, `compare.rs` two versions part by
//! part, `api.rs` the same in the JSON API, `own.rs` the person's plans on Min sida.

pub mod api;
pub mod compare;
pub mod own;
pub mod panel;
