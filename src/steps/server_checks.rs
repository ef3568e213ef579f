//! Switching on a server or client fault, and proving the checks catch each
//! one.

use cucumber::{given, then, when};

use super::context::NestedRun;
use super::world::{ConformanceWorld, StepResult, ensure};
use crate::client::ClientFault;
use crate::mock::ServerFault;
use crate::proof::{self, Expected};

/// "Given the server does not echo state": this scenario's mock (and, for a
/// proof, every mock of the catalogue run) breaks that one rule. The words
/// are looked up in the fault table, so a new fault needs no new step.
#[given(regex = r"^the server (.+)$")]
async fn server_breaks(w: &mut ConformanceWorld, words: String) -> StepResult {
    let fault = ServerFault::from_words(&words).ok_or_else(|| {
        format!(
            "no server fault is worded {words:?}: the faults and their words are declared once, in the server_faults! table of src/mock/faults.rs"
        )
    })?;
    if !w.on_mock() {
        // Only the embedded mock can be told to break a rule.
        w.mock()?;
    }
    w.server_fault = Some(fault);
    if let Some(mock) = &w.mock {
        mock.set_broken_rule(Some(fault));
    }
    Ok(())
}

/// "Given a client that reuses its PKCE verifier": every client of the
/// proof's nested run breaks that one rule. Looked up in the client fault
/// table (src/client/fault.rs).
#[given(regex = r"^a client that (.+)$")]
async fn client_breaks(w: &mut ConformanceWorld, words: String) -> StepResult {
    let fault = ClientFault::from_words(&words).ok_or_else(|| {
        format!(
            "no client fault is worded {words:?}: the faults and their words are declared once, in the client_faults! table of src/client/fault.rs"
        )
    })?;
    w.client_fault = Some(fault);
    Ok(())
}

async fn nested(w: &mut ConformanceWorld, run: NestedRun) -> StepResult {
    let start = w
        .ctx()?
        .catalogue
        .clone()
        .ok_or("internal: this run cannot start a nested run of the checks")?;
    let report = start(run).await?;
    w.proof = Some(proof::Proof::from_report(&report).map_err(|e| e.to_string())?);
    Ok(())
}

#[when("the server checks run against it")]
async fn run_catalogue(w: &mut ConformanceWorld) -> StepResult {
    let fault = w.server_fault;
    nested(w, NestedRun::Server(fault)).await
}

#[when("every feature runs with that client")]
async fn run_client_catalogue(w: &mut ConformanceWorld) -> StepResult {
    let fault = w.client_fault;
    nested(w, NestedRun::Client(fault)).await
}

#[when("every feature runs with the conforming client")]
async fn run_conforming_client(w: &mut ConformanceWorld) -> StepResult {
    nested(w, NestedRun::Client(None)).await
}

fn last_proof(w: &ConformanceWorld) -> Result<&proof::Proof, String> {
    w.proof
        .as_ref()
        .ok_or_else(|| "the checks have not run yet".into())
}

/// What the fault switched on in this scenario must fail.
fn expected(w: &ConformanceWorld) -> Result<Expected, String> {
    match (w.client_fault, w.server_fault) {
        (Some(fault), _) => Ok(Expected::client(fault)),
        (None, Some(fault)) => Ok(Expected::server(fault)),
        (None, None) => Err(
            "no fault was switched on: start with `Given the server …` or `Given a client that …`"
                .into(),
        ),
    }
}

/// The fault's table entry names this check and source, or the feature's
/// table has drifted from it.
fn ensure_named(expected: &Expected, id: &str, source: &str) -> StepResult {
    let check = crate::checks::catalogue::ALL
        .iter()
        .find(|c| c.id == expected.check)
        .ok_or_else(|| format!("internal: {} is not in the catalogue", expected.check))?;
    ensure(check.id == id && check.source == source, || {
        format!(
            "{} breaks {} ({}), not {id} ({source}): fix the table in the feature",
            expected.words, check.id, check.source
        )
    })
}

#[then(expr = "exactly the check {string} fails, citing {string}")]
async fn exactly_one_fails(w: &mut ConformanceWorld, id: String, source: String) -> StepResult {
    let expected = expected(w)?;
    ensure_named(&expected, &id, &source)?;
    ensure(expected.also.is_empty(), || {
        format!(
            "{} also fails {}: say so in the feature (`…, and …, which it necessarily breaks too`)",
            expected.words,
            expected.also.join(", ")
        )
    })?;
    proof::caught_exactly(&expected, last_proof(w)?).map_err(|e| e.to_string())
}

#[then(
    expr = "exactly the check {string} fails, citing {string}, and {string}, which it necessarily breaks too"
)]
async fn exactly_the_pair_fails(
    w: &mut ConformanceWorld,
    id: String,
    source: String,
    also: String,
) -> StepResult {
    let expected = expected(w)?;
    ensure_named(&expected, &id, &source)?;
    ensure(expected.also.join(", ") == also, || {
        format!(
            "{} also fails {:?}, not {also:?}: fix the table in the feature",
            expected.words, expected.also
        )
    })?;
    proof::caught_exactly(&expected, last_proof(w)?).map_err(|e| e.to_string())
}

#[then(regex = r"^every (?:server )?check passes$")]
async fn every_check_passes(w: &mut ConformanceWorld) -> StepResult {
    let proof = last_proof(w)?;
    ensure(
        proof.failed_checks.is_empty() && proof.collateral.is_empty(),
        || {
            format!(
                "the conforming run fails checks:\n{}\n{}",
                proof.describe_failures(),
                proof.collateral.join("\n")
            )
        },
    )
}
