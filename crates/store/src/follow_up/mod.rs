//! Uppföljning av överenskommelsen (*Principer för samverkan och ekonomisk reglering* §12): a
//! year's plan and chefsgruppen's decisions, the joint survey's pairs and answers, the sample
//! check of treatment plans, and the facts the indicators are computed from. A year whose report
//! is final is locked: every write for it is refused.

pub mod case_facts;
pub mod plan;
pub mod sample_check;
pub mod survey;
