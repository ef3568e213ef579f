//! Pinning request shapes with insta snapshots in the top-level `snapshots/`.
//!
//! insta's settings are thread-local and cucumber runs scenarios concurrently,
//! so every assertion binds its own settings and names its snapshot.

use cucumber::then;

use super::world::{ConformanceWorld, StepResult};
use crate::client::HttpRequest;

pub fn assert_snapshot(w: &mut ConformanceWorld, name: &str, request: &HttpRequest) -> StepResult {
    // A snapshot pins the conforming client's request; a run whose client
    // breaks a rule on purpose (the client fault proofs) has nothing to
    // compare, and must not leave `.snap.new` files behind.
    if let Some(fault) = w.ctx()?.client_fault {
        return Err(w.skip(format!(
            "the run's client breaks a rule on purpose ({fault:?}); snapshots pin the conforming client's requests"
        )));
    }
    let dir = w.ctx()?.snapshot_dir.clone();
    // Snapshot text is already placeholdered; redact once more so a value no
    // placeholder rule knows still cannot reach the file.
    let text = crate::redact::redact(&request.snapshot_text());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let name = name.to_owned();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name.clone(), text));
    }));
    result.map_err(|_| {
        format!(
            "request shape differs from snapshots/{name}.snap (or the snapshot is new): \
             review with `cargo insta review`, or see the diff above"
        )
    })
}

/// [`assert_snapshot`] under the profile's own name: `<profile>_<name>`.
pub fn assert_profile_snapshot(
    w: &mut ConformanceWorld,
    name: &str,
    request: &HttpRequest,
) -> StepResult {
    let profile = w.profile()?.name.clone();
    assert_snapshot(w, &format!("{profile}_{name}"), request)
}

#[then(expr = "the token request matches the profile's snapshot {string}")]
async fn token_profile_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = w.last_token_attempt()?.request.clone();
    assert_profile_snapshot(w, &name, &request)
}

#[then(expr = "the API request matches the profile's snapshot {string}")]
async fn api_profile_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = w.last_api_attempt()?.request.clone();
    assert_profile_snapshot(w, &name, &request)
}

#[then(expr = "the token request matches the snapshot {string}")]
async fn token_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = w.last_token_attempt()?.request.clone();
    assert_snapshot(w, &name, &request)
}

#[then(expr = "the API request matches the snapshot {string}")]
async fn api_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = w.last_api_attempt()?.request.clone();
    assert_snapshot(w, &name, &request)
}
