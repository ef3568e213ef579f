//! Step definitions: each parses its words, gathers its inputs and calls
//! library code; the checks it records are decided in [`crate::checks`].
//!
//! Grouped by what the words are about: the scenario's state ([`world`])
//! and what the run shares ([`context`]); arranging the scenario
//! ([`setup`]); token requests and responses ([`token`]), those a server
//! must refuse ([`token_refusals`]) or accept ([`token_acceptance`]); the
//! authorization code flow ([`authorization`], the requests it must
//! refuse or shrug off ([`authorization_probes`]), [`code_exchange`],
//! [`refresh`], [`connection_success`], the server's PKCE
//! ([`pkce_probes`])) and the login driver's own proofs
//! ([`login_pages`]); what the authorization endpoint's pages say to a
//! browser about framing and CORS ([`framing`]); a scope the client was not given ([`scope`]); the
//! protected API ([`api`]); the
//! token manager ([`token_lifetime`]) and token validation
//! ([`token_validation`]); the authorization server's metadata
//! ([`metadata`]); the server faults and their proofs
//! ([`server_checks`]); and request snapshots ([`snapshot`]). An unmatched
//! step fails the run (the runner turns skipped steps into failures), so a
//! typo cannot pass.

pub mod advertised;
pub mod api;
pub mod authorization;
pub mod authorization_probes;
pub mod code_exchange;
pub mod connection_success;
pub mod context;
pub mod framing;
pub mod introspection;
pub mod jwt_access_token;
pub mod login_pages;
pub mod metadata;
pub mod pkce_probes;
pub mod refresh;
pub mod revocation;
pub mod rotation;
pub mod scope;
pub mod server_checks;
pub mod setup;
pub mod snapshot;
pub mod token;
pub mod token_acceptance;
pub mod token_lifetime;
pub mod token_refusals;
pub mod token_validation;
pub mod world;

pub use context::{RunContext, ScenarioKey};
pub use world::ConformanceWorld;
