//! Step definitions: each parses its words and calls library code.
//!
//! Grouped by what the words are about: arranging the scenario ([`setup`]),
//! token requests and responses ([`token`]), the protected API ([`api`]) and
//! request snapshots ([`snapshot`]). An unmatched step fails the run (the
//! runner turns skipped steps into failures), so a typo cannot pass.

pub mod api;
pub mod authorization_code;
pub mod server_checks;
pub mod setup;
pub mod snapshot;
pub mod token;
pub mod token_lifetime;
pub mod token_validation;
pub mod world;

pub use world::ConformanceWorld;
