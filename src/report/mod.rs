//! Output: the report formats.
//!
//! Every format is rendered from one [`results::RunReport`], and every string
//! that leaves the process passes [`crate::redact::redact`].

pub mod collector;
pub mod json;
pub mod junit;
pub mod results;
pub mod skips;
pub mod terminal;

pub use results::{Outcome, RunReport};
