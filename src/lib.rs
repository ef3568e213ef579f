//! # oauth-conformance
//!
//! A conformance test suite and spec-driven harness for OAuth 2.0 token flows.
//! The Gherkin in `features/` is the living documentation; this crate is what
//! makes it run. The modules, in the order a request travels:
//!
//! - [`profile`]: what a provider's guide says, as TOML data (endpoints,
//!   client authentication, body encoding, lifetimes, API probe).
//! - [`client`]: the configurable OAuth client. Builds each request in the
//!   profile's shape, records what it sent, types what came back.
//! - [`mock`]: the embedded mock authorization server (httpmock on
//!   127.0.0.1), one per scenario, behaving as the profile's provider does.
//! - [`sandbox`]: the real-server target: `OAUTH_CONFORMANCE_*` settings,
//!   declared deviations, the fail-fast reachability probe.
//! - [`checks`]: conformance checks, each with an id, a level and a source
//!   (an RFC section or a seed statement).
//! - [`steps`]: the cucumber World and step definitions. Thin: a step parses
//!   its words and calls the modules above.
//! - [`proof`]: runs the server check catalogue against mocks that each break
//!   one rule, to prove every check catches its fault.
//! - [`runner`]: runs the features (for `cargo test` and for the CLI) and
//!   collects results.
//! - [`report`]: redaction (one layer for every output) and the terminal,
//!   JUnit and JSON reports.
//! - [`clock`]: time that scenarios can move by hand.

pub mod checks;
pub mod client;
pub mod clock;
pub mod mock;
pub mod profile;
pub mod proof;
pub mod redact;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod steps;
