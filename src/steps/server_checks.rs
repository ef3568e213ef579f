//! Switching on a server fault, and proving the checks catch each one.

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::mock::ServerFault;
use crate::proof;

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

#[when("the server checks run against it")]
async fn run_catalogue(w: &mut ConformanceWorld) -> StepResult {
    let run = w
        .ctx()?
        .catalogue
        .clone()
        .ok_or("internal: this run cannot start a nested run of the server checks")?;
    let report = run(w.server_fault).await?;
    w.proof = Some(proof::Proof::from_report(&report).map_err(|e| e.to_string())?);
    Ok(())
}

fn last_proof(w: &ConformanceWorld) -> Result<&proof::Proof, String> {
    w.proof
        .as_ref()
        .ok_or_else(|| "the server checks have not run yet".into())
}

#[then(expr = "exactly the check {string} fails, citing {string}")]
async fn exactly_one_fails(w: &mut ConformanceWorld, id: String, source: String) -> StepResult {
    let fault = w
        .server_fault
        .ok_or("no fault was switched on: start with `Given the server …`")?;
    let check = fault.check();
    ensure(check.id == id && check.source == source, || {
        format!(
            "a server that {} breaks {} ({}), not {id} ({source}): fix the table in the feature",
            fault.words(),
            check.id,
            check.source
        )
    })?;
    proof::caught_exactly(fault, last_proof(w)?).map_err(|e| e.to_string())
}

#[then("every server check passes")]
async fn every_check_passes(w: &mut ConformanceWorld) -> StepResult {
    let proof = last_proof(w)?;
    ensure(
        proof.failed_checks.is_empty() && proof.collateral.is_empty(),
        || {
            format!(
                "the conforming mock fails the catalogue:\n{}\n{}",
                proof.describe_failures(),
                proof.collateral.join("\n")
            )
        },
    )
}
