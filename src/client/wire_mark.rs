//! Marking the suite's own requests for `oauth-conformance serve`.
//!
//! When the suite runs against `serve` (`serve -- oauth-conformance run`),
//! `serve` judges every request it receives as a client's. The suite's
//! server probes send deliberately wrong requests (a wrong secret, a GET
//! token request, an S512 challenge); its scenarios are independent
//! clients, each asking for its own token. So that `serve` can tell, the
//! suite's transport adds two headers, only when it was given the session's
//! key (`OAUTH_CONFORMANCE_PROBE_KEY`, which `serve` sets for its command and
//! writes to `--env-file`):
//!
//! - [`SCENARIO_HEADER`]: `<key> <scenario>` on every request: what `serve`
//!   judges across requests (token reuse, one renewal at a time, renewal
//!   after a refusal) is judged per scenario;
//! - [`PROBE_HEADER`]: `<what>` on a request that breaks a rule on purpose:
//!   `serve` counts it as a probe and does not judge it.
//!
//! Without the key nothing is added: a run against any other server sends
//! exactly the requests it always did.

use std::sync::atomic::{AtomicU64, Ordering};

use super::credentials::Secret;

/// `<key> <scenario>`: the session's key and the scenario the request is from.
pub const SCENARIO_HEADER: &str = "x-conformance-scenario";
/// `<what>`: the rule the request breaks on purpose.
pub const PROBE_HEADER: &str = "x-conformance-probe";
/// The variable that gives the suite `serve`'s key.
pub const KEY_VARIABLE: &str = "OAUTH_CONFORMANCE_PROBE_KEY";

/// What the transport adds to each request it sends.
#[derive(Clone, Debug)]
pub struct WireMark {
    key: Secret,
    scenario: String,
    probe: Option<String>,
}

static SCENARIOS: AtomicU64 = AtomicU64::new(0);

impl WireMark {
    /// The mark of a run given `key`; its requests belong to `scenario`.
    pub fn new(key: Secret, scenario: &str) -> Self {
        Self {
            key,
            scenario: scenario.to_owned(),
            probe: None,
        }
    }

    /// The same key, for the next scenario of this process (`s1`, `s2`, …).
    pub fn next_scenario(&self) -> Self {
        let n = SCENARIOS.fetch_add(1, Ordering::SeqCst) + 1;
        Self {
            key: self.key.clone(),
            scenario: format!("s{n}"),
            probe: None,
        }
    }

    /// The same scenario, its requests breaking `what` on purpose.
    pub fn probing(&self, what: &str) -> Self {
        Self {
            probe: Some(what.to_owned()),
            ..self.clone()
        }
    }

    /// The headers to add (those the request does not carry already).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![(
            SCENARIO_HEADER,
            format!("{} {}", self.key.expose(), self.scenario),
        )];
        if let Some(probe) = &self.probe {
            out.push((PROBE_HEADER, probe.clone()));
        }
        out
    }
}

/// What `serve` reads from a request's headers, given its key: the
/// scenario and the probe, honoured only when the key is the session's.
pub fn read(headers: &[(String, String)], key: &str) -> Option<(String, Option<String>)> {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    let (sent_key, scenario) = get(SCENARIO_HEADER)?.split_once(' ')?;
    if key.is_empty() || !same(sent_key.as_bytes(), key.as_bytes()) {
        return None;
    }
    let probe = get(PROBE_HEADER)
        .filter(|p| !p.is_empty())
        .map(|p| p.chars().take(80).collect());
    Some((scenario.trim().chars().take(40).collect(), probe))
}

/// Equal, compared in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(mark: &WireMark) -> Vec<(String, String)> {
        mark.headers()
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v))
            .collect()
    }

    #[test]
    fn serve_honours_the_mark_only_with_its_key() {
        let key = "wire-mark-test-key-Zq81xP0w";
        let mark = WireMark::new(Secret::new(key), "preflight");
        assert_eq!(
            read(&headers(&mark), key),
            Some(("preflight".to_owned(), None))
        );
        let probe = mark.next_scenario().probing("WrongSecret");
        let (scenario, what) = read(&headers(&probe), key).unwrap();
        assert!(scenario.starts_with('s'), "{scenario}");
        assert_eq!(what.as_deref(), Some("WrongSecret"));
        // Another key, no key, a probe header alone: nothing honoured.
        assert_eq!(read(&headers(&probe), "another-key-of-the-same-size"), None);
        assert_eq!(read(&headers(&probe), ""), None);
        let alone = vec![(PROBE_HEADER.to_owned(), "WrongSecret".to_owned())];
        assert_eq!(read(&alone, key), None);
    }
}
