//! Oenighet (*Principer för samverkan och ekonomisk reglering* §10): the stored ladder of each
//! disagreement on a case. The disagreement itself (its case, who opened it, when it was
//! resolved) is a row of `disagreements`; this folder keeps its steps.

pub mod ladder;
