//! # oauth-conformance
//!
//! A conformance test suite and spec-driven harness for OAuth 2.0 token flows.
//! The Gherkin in `features/` is the living documentation; this crate is what
//! makes it run. The modules, from the ground floor up (a module uses only
//! the ones above it in this list, never one below):
//!
//! - [`redact`]: the one redaction layer every output goes through.
//! - [`clock`]: time that scenarios can move by hand.
//! - [`profile`]: what a provider's guide says, as TOML data (endpoints,
//!   client authentication, body encoding, lifetimes, API probe).
//! - [`client`]: the configurable OAuth client. Builds each request in the
//!   profile's shape (or bent on purpose, a [`client::Misstep`]), records
//!   what it sent, types what came back; the login driver, the token manager
//!   and the JWT validator.
//! - [`discover`]: `profile discover`: reads a server's metadata (RFC 8414,
//!   OpenID Connect discovery) and writes a starter profile for it.
//! - [`checks`]: every conformance check as a condition: a pure function
//!   from what was sent or received to outcomes, each with its catalogue
//!   entry (id, level, source: an RFC section or a seed statement).
//! - [`mock`]: the embedded mock authorization server (httpmock on
//!   127.0.0.1), one per scenario, behaving as the profile's provider does,
//!   or breaking exactly one rule on request.
//! - [`sandbox`]: the real-server target: `OAUTH_CONFORMANCE_*` settings,
//!   declared deviations, the fail-fast reachability probe, the pre-flight
//!   that tries each identity the run was given.
//! - [`report`]: the run's results as data, and the terminal, JUnit and JSON
//!   reports rendered from them.
//! - [`serve`]: `oauth-conformance serve`: the mock as a standalone
//!   provider double that judges the client talking to it, with faults and
//!   the clock on cue (and [`serve::ProviderDouble`] for `cargo test`).
//! - [`proof`]: reads a run of the server check catalogue against a mock
//!   that breaks one rule, to prove every check catches its fault.
//! - [`steps`]: the cucumber World and step definitions. Thin: a step parses
//!   its words, gathers its inputs and records what the checks decide.
//! - [`runner`]: runs the features (for `cargo test` and for the CLI) and
//!   collects the report.
//! - [`coverage`]: the traceability matrix: `spec/requirements.toml` against
//!   the catalogue, a run of the features and the fault proofs.

pub mod checks;
pub mod client;
pub mod clock;
pub mod coverage;
pub mod discover;
pub mod mock;
pub mod profile;
pub mod proof;
pub mod redact;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod serve;
pub mod steps;
