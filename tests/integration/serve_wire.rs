//! The suite's own client against `oauth-conformance serve`, over the wire
//! (issue 29, item 5): `serve --profile P -- oauth-conformance run --profile
//! P [--client-fault NAME]`.
//!
//! (a) The conforming run passes every client check `serve` judges: its
//! deliberate probes carry `serve`'s key and are counted, not judged; what
//! spans requests is judged per scenario (`client::wire_mark`).
//! (b) With one client fault switched on, `serve`'s report fails exactly the
//! fault's check (and the checks its proof names with it) and no other:
//! the client fault proofs, now judged by `serve` from what it received.
//! [`WIRE_PROOFS`] lists the faults provable over the wire; the others and
//! why are in README ("serve", "The suite's own client over the wire").
//!
//! Each session costs 2 to 8 s in a debug build, so `cargo test` runs a
//! representative few ([`QUICK`]) and `.ci/run` the whole table
//! (`every_wire_proof`, ignored here).

use crate::common;

use std::collections::BTreeSet;

use common::cli::{cli_in, manifest_dir, text};
use oauth_conformance::checks::client_faults::proof_of;
use oauth_conformance::client::ClientFault;

/// Special characters in the secret, so that a client that does not
/// form-urlencode its Basic credentials sends something else.
const SECRET: &str = "wire secret/+:=&%-Qm7t2Kx9";

/// Each fault provable over the wire, with the profile whose scenarios
/// exercise it (PKCE and refresh rotation need the rfc6749 profile: 401go's
/// client sends no challenge and its guide does not say it rotates).
pub const WIRE_PROOFS: &[(&str, &str)] = &[
    ("TokenRequestAsGet", "401go"),
    ("JsonTokenRequest", "401go"),
    ("OmitsGrantType", "401go"),
    ("RawBasicCredentials", "401go"),
    ("TwoAuthenticationMethods", "401go"),
    ("CredentialsInQuery", "401go"),
    ("OmitsBodySecret", "401go"),
    ("UsesPasswordGrant", "401go"),
    ("OmitsCodeVerifier", "rfc6749"),
    ("OmitsExchangeClientId", "401go"),
    ("SlashedRedirectUriAtExchange", "401go"),
    ("RefreshTokenUnderOtherName", "401go"),
    ("WidensScopeOnRefresh", "401go"),
    ("RepeatsGrantType", "401go"),
    ("AsksForTokenResponseType", "401go"),
    ("OmitsClientId", "401go"),
    ("OmitsRedirectUri", "401go"),
    ("PlainPkceChallenge", "rfc6749"),
    ("BadCharacterVerifier", "rfc6749"),
    ("ReusesState", "401go"),
    ("KeepsOldRefreshToken", "rfc6749"),
    ("TokenToRevokeInQuery", "401go"),
    ("TokenAlsoInQuery", "401go"),
    ("TokenAlsoInBody", "401go"),
    ("TokenInCookie", "401go"),
];

/// The few `cargo test` runs, each with a name filter that keeps its
/// session short: a token request shape, an authorization request, an API
/// call.
const QUICK: &[(&str, &str, &str)] = &[
    (
        "CredentialsInQuery",
        "401go",
        "^The client authenticates with HTTP Basic",
    ),
    (
        "OmitsRedirectUri",
        "401go",
        "^The authorization URL asks for a code",
    ),
    (
        "TokenAlsoInQuery",
        "401go",
        "^The access token goes in the Authorization header",
    ),
];

/// `serve --profile P --json F -- oauth-conformance run --profile P …`:
/// serve's verdict on each client check, and everything printed.
fn session(
    profile: &str,
    run_args: &[&str],
) -> (std::collections::BTreeMap<String, String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("serve.json");
    let mut args = vec![
        "serve",
        "--profile",
        profile,
        "--json",
        json.to_str().unwrap(),
        "--",
        env!("CARGO_BIN_EXE_oauth-conformance"),
        "run",
        "--profile",
        profile,
    ];
    args.extend_from_slice(run_args);
    let out = cli_in(
        &args,
        manifest_dir(),
        &[("OAUTH_CONFORMANCE_CLIENT_SECRET", SECRET)],
    );
    let shown = text(&out);
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&json).unwrap_or_else(|e| panic!("{e}: {shown}")),
    )
    .unwrap();
    let statuses = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let check = &s["checks"][0];
            (
                check["id"].as_str().unwrap().to_owned(),
                check["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!shown.contains(SECRET), "the secret in the output");
    (statuses, shown)
}

fn failed(statuses: &std::collections::BTreeMap<String, String>) -> BTreeSet<&str> {
    statuses
        .iter()
        .filter(|(_, s)| *s == "failed")
        .map(|(id, _)| id.as_str())
        .collect()
}

/// The checks a fault must fail in serve's report: its own and those its
/// proof names with it.
fn expected(fault: ClientFault) -> BTreeSet<&'static str> {
    let proof = proof_of(fault);
    std::iter::once(proof.check)
        .chain(proof.also.iter().copied())
        .map(|c| c.id)
        .collect()
}

/// Runs one proof; `Err` says what serve failed instead.
fn prove(name: &str, profile: &str, filter: Option<&str>) -> Result<(), String> {
    let fault = ClientFault::from_name(name).unwrap_or_else(|| panic!("no client fault {name}"));
    let mut args = vec!["--client-fault", name];
    if let Some(regex) = filter {
        args.extend(["--name", regex]);
    }
    let (statuses, shown) = session(profile, &args);
    let want = expected(fault);
    let got = failed(&statuses);
    match got == want {
        true => Ok(()),
        false => Err(format!(
            "{name} on {profile}: serve failed {got:?}, expected exactly {want:?}\n{}",
            shown
                .lines()
                .filter(|l| l.starts_with("FAILED") || l.starts_with("failed"))
                .collect::<Vec<_>>()
                .join("\n")
        )),
    }
}

#[test]
fn the_suites_conforming_run_passes_every_check_serve_judges() {
    for profile in ["401go", "rfc6749"] {
        let (statuses, shown) = session(profile, &[]);
        assert_eq!(failed(&statuses), BTreeSet::new(), "{profile}: {shown}");
        assert!(
            statuses.values().filter(|s| *s == "passed").count() >= 25,
            "{profile}: {statuses:?}"
        );
        assert!(
            shown.contains("marked as the suite's own probes"),
            "{profile}: {shown}"
        );
        // The run's own verdict on the double: every server check passes
        // (revocation, introspection and the pages' frame protection too).
        let closing = shown
            .lines()
            .find(|l| l.contains(" passed, ") && l.contains(" failed, ") && !l.contains('['))
            .unwrap_or_else(|| panic!("no closing line of the run in:\n{shown}"));
        assert!(closing.contains(" 0 failed"), "{closing}\n{shown}");
    }
}

#[test]
fn a_few_client_faults_each_fail_exactly_their_check_over_the_wire() {
    let failures: Vec<String> = QUICK
        .iter()
        .filter_map(|(fault, profile, filter)| prove(fault, profile, Some(filter)).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The whole table, unfiltered: `.ci/run` runs it (about two minutes in a
/// debug build).
#[test]
#[ignore = "about two minutes: .ci/run runs it (cargo test --test integration serve_wire:: -- --ignored)"]
fn every_wire_proof() {
    let started = std::time::Instant::now();
    let failures: Vec<String> = WIRE_PROOFS
        .iter()
        .filter_map(|(fault, profile)| prove(fault, profile, None).err())
        .collect();
    eprintln!(
        "{} client faults proved over the wire in {:.0?}",
        WIRE_PROOFS.len() - failures.len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_tables_name_known_faults_once() {
    let names: BTreeSet<&str> = WIRE_PROOFS.iter().map(|(f, _)| *f).collect();
    assert_eq!(names.len(), WIRE_PROOFS.len());
    for fault in names.iter().chain(QUICK.iter().map(|(f, _, _)| f)) {
        assert!(ClientFault::from_name(fault).is_some(), "{fault}");
        assert!(
            names.contains(fault),
            "{fault} is in QUICK, not in WIRE_PROOFS"
        );
    }
}
