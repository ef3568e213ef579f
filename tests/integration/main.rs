//! The integration tests: one test binary, one module per concern.
//!
//! One binary instead of one per file: each test binary links the whole
//! crate and its dependencies, and `cargo test` runs binaries one after
//! another; here every test shares one link and runs in one parallel pool.
//! The cucumber target (`tests/conformance.rs`) stays apart: it has its
//! own harness.

mod common;

mod anti_leak_properties;
mod cli;
mod cli_deviations;
mod cli_discover;
mod cli_docs;
mod cli_preflight;
mod cli_secrets;
mod cli_serve;
mod code_flow_login_pages;
mod login_command;
mod one_failure_one_cause;
mod scope_premises;
mod serve_control;
mod serve_library;
mod serve_load;
mod serve_wire;
