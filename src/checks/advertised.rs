//! Advertised equals enforced: the claims of the authorization server's
//! metadata (RFC 8414 §2; OpenID Connect Discovery 1.0 §3 for an OpenID
//! document) against what the same server did in the same scenario.
//!
//! RFC 8414 makes these members OPTIONAL or RECOMMENDED and says no MUST of
//! their truth: each says what "this authorization server supports", so a
//! document that lists what the server refuses (or leaves out what it
//! does) contradicts its own definition. The checks are DERIVED. Every
//! failure names both sides: what the document says and what the server
//! did. A claim no probe exercised is a skip naming why, never a pass.

use serde_json::{Map, Value};

use super::CheckOutcome;
use super::catalogue::*;
use crate::checks::Check;

/// Why a member check has nothing to judge.
const NO_DOCUMENT: &str =
    "no metadata document: the answer is not a JSON object served with 200 (see metadata-response)";

/// What the token endpoint did with one probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A token response.
    Issued,
    /// An OAuth error response with this error code.
    Refused(String),
    /// No answer the suite can read as either (why).
    Unread(String),
}

/// One probe of one claimed value: the value (a grant type, a method, a
/// scope), what was sent for it, and the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub value: String,
    /// What was sent, in a few words ("a made-up code").
    pub sent: String,
    pub answer: Answer,
}

impl Probe {
    pub fn new(value: impl Into<String>, sent: impl Into<String>, answer: Answer) -> Self {
        Self {
            value: value.into(),
            sent: sent.into(),
            answer,
        }
    }

    fn did(&self) -> String {
        match &self.answer {
            Answer::Issued => format!("issued tokens for {}", self.sent),
            Answer::Refused(code) => format!("answered {} with {code}", self.sent),
            Answer::Unread(why) => format!("gave no readable answer to {} ({why})", self.sent),
        }
    }
}

pub use crate::client::metadata::DEFAULT_GRANT_TYPES;
/// The method RFC 8414 §2 implies when
/// `token_endpoint_auth_methods_supported` is absent.
pub const DEFAULT_AUTH_METHODS: [&str; 1] = ["client_secret_basic"];

/// A member's list of strings, or its default; and how the report names it.
fn listed(doc: &Map<String, Value>, member: &str, default: &[&str]) -> (Vec<String>, String) {
    match doc.get(member).and_then(Value::as_array) {
        Some(values) => {
            let values: Vec<String> = values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            let said = format!("{member} = {values:?}");
            (values, said)
        }
        None => {
            let values: Vec<String> = default.iter().map(|s| (*s).to_owned()).collect();
            let said = format!("no {member}, so RFC 8414 §2's default {values:?}");
            (values, said)
        }
    }
}

/// Judges probes against a list: `contradicts` says why one probe
/// contradicts the list (or `None`); no judged probe is a skip naming why.
fn judge(
    check: &'static Check,
    said: &str,
    probes: &[Probe],
    judged: impl Fn(&Probe) -> bool,
    contradicts: impl Fn(&Probe) -> Option<String>,
) -> CheckOutcome {
    let exercised: Vec<&Probe> = probes.iter().filter(|p| judged(p)).collect();
    if exercised.is_empty() {
        let tried = if probes.is_empty() {
            "nothing was asked".to_owned()
        } else {
            let did = probes.iter().map(Probe::did).collect::<Vec<_>>();
            format!("the server {}", did.join("; "))
        };
        return CheckOutcome::skip(
            check,
            format!("no claim of the metadata ({said}) was exercised: {tried}"),
        );
    }
    let contradictions: Vec<String> = exercised.iter().filter_map(|p| contradicts(p)).collect();
    if contradictions.is_empty() {
        return CheckOutcome::pass(check);
    }
    CheckOutcome::fail(
        check,
        format!(
            "the metadata says {said}; the server did otherwise: {}",
            contradictions.join("; ")
        ),
    )
}

/// `metadata-grant-types-enforced`: a listed grant answered
/// `unsupported_grant_type`, or an unlisted one issuing tokens, contradicts
/// `grant_types_supported` ("a list of the OAuth 2.0 grant type values
/// that this authorization server supports", RFC 8414 §2; absent, it means
/// authorization_code and implicit).
pub fn grant_types(doc: Option<&Map<String, Value>>, probes: &[Probe]) -> CheckOutcome {
    let check = &METADATA_GRANT_TYPES_ENFORCED;
    let Some(doc) = doc else {
        return CheckOutcome::skip(check, NO_DOCUMENT);
    };
    let (grants, said) = listed(doc, "grant_types_supported", &DEFAULT_GRANT_TYPES);
    let is_listed = |p: &Probe| grants.contains(&p.value);
    judge(
        check,
        &said,
        probes,
        |p| !matches!(p.answer, Answer::Unread(_)),
        |p| match (&p.answer, is_listed(p)) {
            (Answer::Refused(code), true) if code == "unsupported_grant_type" => {
                Some(format!("it lists {} but {}", p.value, p.did()))
            }
            (Answer::Issued, false) => {
                Some(format!("it does not list {} but {}", p.value, p.did()))
            }
            _ => None,
        },
    )
}

/// The names of grant types, which are not response types.
fn is_grant_name(value: &str) -> bool {
    matches!(
        value,
        "authorization_code" | "client_credentials" | "refresh_token" | "password" | "implicit"
    ) || value.starts_with("urn:ietf:params:oauth:grant-type:")
}

/// `metadata-response-types-valid`: `response_types_supported` lists
/// "response_type" values (RFC 8414 §2), each a space-separated list of
/// response types (RFC 6749 §3.1.1: code, token, or a registered
/// extension); a grant type's name is none.
pub fn response_types(doc: Option<&Map<String, Value>>) -> CheckOutcome {
    let check = &METADATA_RESPONSE_TYPES_VALID;
    let Some(doc) = doc else {
        return CheckOutcome::skip(check, NO_DOCUMENT);
    };
    let Some(values) = doc
        .get("response_types_supported")
        .and_then(Value::as_array)
    else {
        return CheckOutcome::skip(
            check,
            "the metadata has no response_types_supported array (see metadata-required-members)",
        );
    };
    let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    let wrong: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| v.split(' ').any(is_grant_name))
        .collect();
    CheckOutcome::expect(check, wrong.is_empty(), || {
        format!(
            "the metadata says response_types_supported = {values:?}; {wrong:?} name grant types, not response types (RFC 6749 §3.1.1: code, token or a registered extension): a client choosing a response_type from the list sends one the authorization endpoint cannot answer"
        )
    })
}

/// What the authorization endpoint did with a code_challenge_method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MethodAnswer {
    /// A redirect with a code.
    Code,
    /// An error redirect or error page (what it said).
    Refused(String),
    /// Nothing the suite can judge (why).
    Unread(String),
}

/// `metadata-pkce-methods-enforced`: a listed method refused, or an
/// unlisted one given a code, contradicts `code_challenge_methods_supported`
/// ("a list of Proof Key for Code Exchange (PKCE) code challenge methods
/// supported by this authorization server", RFC 8414 §2). Absent, "the
/// authorization server does not support PKCE": a server without PKCE
/// ignores the parameters it does not know, so nothing is judged.
pub fn pkce_methods(
    doc: Option<&Map<String, Value>>,
    answers: &[(String, MethodAnswer)],
) -> CheckOutcome {
    let check = &METADATA_PKCE_METHODS_ENFORCED;
    let Some(doc) = doc else {
        return CheckOutcome::skip(check, NO_DOCUMENT);
    };
    if doc.get("code_challenge_methods_supported").is_none() {
        return CheckOutcome::skip(
            check,
            "the metadata has no code_challenge_methods_supported (RFC 8414 §2: the server does not support PKCE); a server without PKCE may ignore code_challenge, so what it did with one contradicts nothing",
        );
    }
    let (methods, said) = listed(doc, "code_challenge_methods_supported", &[]);
    let probes: Vec<Probe> = answers
        .iter()
        .map(|(method, answer)| {
            let sent = format!("an authorization request with code_challenge_method={method}");
            let answer = match answer {
                MethodAnswer::Code => Answer::Issued,
                MethodAnswer::Refused(what) => Answer::Refused(what.clone()),
                MethodAnswer::Unread(why) => Answer::Unread(why.clone()),
            };
            Probe::new(method, sent, answer)
        })
        .collect();
    judge(
        check,
        &said,
        &probes,
        |p| !matches!(p.answer, Answer::Unread(_)),
        |p| {
            let listed = methods.contains(&p.value);
            match (&p.answer, listed) {
                (Answer::Refused(what), true) => Some(format!(
                    "it lists {} but refused {} ({what})",
                    p.value, p.sent
                )),
                (Answer::Issued, false) => Some(format!(
                    "it does not list {} but gave a code to {}",
                    p.value, p.sent
                )),
                _ => None,
            }
        },
    )
}

/// Whether a token endpoint answer shows the client authenticated: tokens,
/// or a refusal of something after authentication (the grant, the scope,
/// the client's registration for the grant).
fn authenticated(answer: &Answer) -> Option<bool> {
    match answer {
        Answer::Issued => Some(true),
        Answer::Refused(code) if code == "invalid_client" => Some(false),
        Answer::Refused(code)
            if matches!(
                code.as_str(),
                "invalid_grant" | "invalid_scope" | "unauthorized_client"
            ) =>
        {
            Some(true)
        }
        _ => None,
    }
}

/// `metadata-auth-methods-enforced`: the list says which methods "this
/// token endpoint" supports ("a list of client authentication methods
/// supported by this token endpoint", RFC 8414 §2; absent,
/// client_secret_basic), not per grant. A listed method whose correct
/// credentials were refused with `invalid_client` in every probe (of every
/// grant tried), or an unlisted one that authenticated the client in any,
/// contradicts it.
pub fn auth_methods(doc: Option<&Map<String, Value>>, probes: &[Probe]) -> CheckOutcome {
    let check = &METADATA_AUTH_METHODS_ENFORCED;
    let Some(doc) = doc else {
        return CheckOutcome::skip(check, NO_DOCUMENT);
    };
    let (methods, said) = listed(
        doc,
        "token_endpoint_auth_methods_supported",
        &DEFAULT_AUTH_METHODS,
    );
    let mut values: Vec<&str> = probes.iter().map(|p| p.value.as_str()).collect();
    values.sort_unstable();
    values.dedup();
    let mut contradictions = Vec::new();
    let mut exercised = false;
    for value in values {
        let of: Vec<&Probe> = probes.iter().filter(|p| p.value == value).collect();
        let seen: Vec<bool> = of.iter().filter_map(|p| authenticated(&p.answer)).collect();
        if seen.is_empty() {
            continue;
        }
        exercised = true;
        let listed = methods.iter().any(|m| m == value);
        let did = || of.iter().map(|p| p.did()).collect::<Vec<_>>().join("; ");
        if listed && seen.iter().all(|a| !a) {
            contradictions.push(format!("it lists {value} but the token endpoint {}", did()));
        } else if !listed && seen.iter().any(|a| *a) {
            contradictions.push(format!(
                "it does not list {value} but the client authenticated with it: the token endpoint {}",
                did()
            ));
        }
    }
    if !exercised {
        let tried = probes.iter().map(Probe::did).collect::<Vec<_>>().join("; ");
        return CheckOutcome::skip(
            check,
            format!("no claim of the metadata ({said}) was exercised: the server {tried}"),
        );
    }
    if contradictions.is_empty() {
        return CheckOutcome::pass(check);
    }
    CheckOutcome::fail(
        check,
        format!(
            "the metadata says {said}; the server did otherwise: {}",
            contradictions.join("; ")
        ),
    )
}

/// `metadata-scopes-enforced`: a scope `scopes_supported` lists ("a list
/// of the OAuth 2.0 scope values that this authorization server supports",
/// RFC 8414 §2) answered `invalid_scope` contradicts it. Scopes it leaves
/// out are not judged: "Servers MAY choose not to advertise some supported
/// scope values even when this parameter is used."
pub fn scopes(
    doc: Option<&Map<String, Value>>,
    probes: &[Probe],
    not_probed: &str,
) -> CheckOutcome {
    let check = &METADATA_SCOPES_ENFORCED;
    let Some(doc) = doc else {
        return CheckOutcome::skip(check, NO_DOCUMENT);
    };
    if doc.get("scopes_supported").is_none() {
        return CheckOutcome::skip(
            check,
            "the metadata lists no scopes_supported (RECOMMENDED by RFC 8414 §2, not required): no scope was claimed",
        );
    }
    let (listed_scopes, said) = listed(doc, "scopes_supported", &[]);
    let outcome = judge(
        check,
        &said,
        probes,
        |p| !matches!(p.answer, Answer::Unread(_)),
        |p| match &p.answer {
            Answer::Refused(code)
                if code == "invalid_scope" && listed_scopes.contains(&p.value) =>
            {
                Some(format!(
                    "it lists {} but the token endpoint {}",
                    p.value,
                    p.did()
                ))
            }
            _ => None,
        },
    );
    match (&outcome.verdict, not_probed.is_empty()) {
        (super::Verdict::Skip(why), false) => {
            CheckOutcome::skip(check, format!("{why}; {not_probed}"))
        }
        _ => outcome,
    }
}

/// The scopes of `scopes_supported` OpenID Connect defines for the
/// authorization endpoint: asked at the token endpoint with the client
/// credentials grant they may be refused without contradicting the list.
pub const OPENID_SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
];

/// The listed scopes to ask for with the client credentials grant (at most
/// `limit`), and the reason the others were not asked for ("" when every
/// one is).
pub fn scopes_to_probe(
    doc: Option<&Map<String, Value>>,
    denied: Option<&str>,
    limit: usize,
) -> (Vec<String>, String) {
    let Some(doc) = doc else {
        return (Vec::new(), String::new());
    };
    let (all, _) = listed(doc, "scopes_supported", &[]);
    let denied: Vec<&str> = denied.map(|d| d.split(' ').collect()).unwrap_or_default();
    let mut left_out = Vec::new();
    let mut probed = Vec::new();
    for scope in all {
        if OPENID_SCOPES.contains(&scope.as_str()) {
            left_out.push(format!(
                "{scope} (an OpenID Connect scope of the authorization endpoint)"
            ));
        } else if denied.contains(&scope.as_str()) {
            left_out.push(format!("{scope} (the profile's token.denied_scope)"));
        } else if probed.len() >= limit {
            left_out.push(format!("{scope} (beyond the first {limit})"));
        } else {
            probed.push(scope);
        }
    }
    let why = if left_out.is_empty() {
        String::new()
    } else {
        format!("not asked for: {}", left_out.join(", "))
    };
    (probed, why)
}

/// Whether the document claims that `response_type=token` (the implicit
/// grant, RFC 6749 §4.2) is supported, and how it says so: it lists the
/// token response type, or implicit among `grant_types_supported` (or by
/// RFC 8414 §2's default when that member is absent) while it lists no
/// OpenID Connect response type with `id_token`, which would be the
/// implicit grant it means (OpenID Connect Core §3.2). `None`: it claims
/// neither.
fn claims_token(doc: &Map<String, Value>) -> (Option<String>, String) {
    let (grants, said_grants) = listed(doc, "grant_types_supported", &DEFAULT_GRANT_TYPES);
    let (types, said_types) = listed(doc, "response_types_supported", &[]);
    let said = format!("{said_grants}, {said_types}");
    if types.iter().any(|t| t == "token") {
        return (Some("it lists the token response type".into()), said);
    }
    let openid = types.iter().any(|t| t.split(' ').any(|v| v == "id_token"));
    if grants.iter().any(|g| g == "implicit") && !openid {
        return (
            Some("it lists implicit among the grant types and no other response type of the implicit grant".into()),
            said,
        );
    }
    (None, said)
}

/// `metadata-implicit-enforced`: the user approves an authorization request
/// with `response_type=token`. A document that claims it (see
/// [`claims_token`]) while the server answers `unsupported_response_type`,
/// or one that claims neither implicit nor the token response type while
/// the server issues an access token, contradicts itself (RFC 8414 §2:
/// "the OAuth 2.0 grant type values" and "response_type values that this
/// authorization server supports"). Another error (`unauthorized_client`:
/// the server knows the response type, the test client is not registered
/// for it) contradicts nothing.
pub fn implicit(doc: Option<&Map<String, Value>>, answer: &Answer) -> CheckOutcome {
    let check = &METADATA_IMPLICIT_ENFORCED;
    let Some(doc) = doc else {
        return CheckOutcome::skip(check, NO_DOCUMENT);
    };
    let (claim, said) = claims_token(doc);
    let probe = Probe::new(
        "token",
        "an approved authorization request with response_type=token",
        answer.clone(),
    );
    let (grants, _) = listed(doc, "grant_types_supported", &DEFAULT_GRANT_TYPES);
    let implicit_listed = grants.iter().any(|g| g == "implicit");
    judge(
        check,
        &said,
        std::slice::from_ref(&probe),
        |p| !matches!(p.answer, Answer::Unread(_)),
        |p| match (&p.answer, &claim) {
            (Answer::Refused(code), Some(why)) if code == "unsupported_response_type" => {
                Some(format!("{why}, but the server {}", p.did()))
            }
            (Answer::Issued, None) if !implicit_listed => Some(format!(
                "it lists neither implicit nor the token response type, but the server {}",
                p.did()
            )),
            _ => None,
        },
    )
}

/// What the suite knows of one endpoint the metadata lists: the member,
/// the URL it lists, the URL the profile (and so the run) uses, and, when
/// the two differ, the HTTP status the listed one answered (`Err`: no
/// answer, why).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedEndpoint {
    pub member: &'static str,
    pub listed: String,
    pub used: String,
    pub answer: Option<Result<u16, String>>,
}

/// `metadata-endpoints-answer`: each endpoint member (RFC 8414 §2: "URL of
/// the authorization server's token endpoint", and so on) names an endpoint
/// of this server. One that is the URL the run used is consistent; one that
/// differs must answer too: a 404 there contradicts the document (a client
/// configured from it calls a URL that is not there), and the failure names
/// both URLs. No member the profile also names: skipped.
pub fn endpoints(doc: Option<&Map<String, Value>>, listed: &[ListedEndpoint]) -> CheckOutcome {
    let check = &METADATA_ENDPOINTS_ANSWER;
    let Some(_) = doc else {
        return CheckOutcome::skip(check, NO_DOCUMENT);
    };
    if listed.is_empty() {
        return CheckOutcome::skip(
            check,
            "the metadata lists no endpoint the profile also names (token.path, authorization_code.authorize_path, revocation_path, introspection_path, jwks)",
        );
    }
    let mut contradictions = Vec::new();
    let mut unread = Vec::new();
    for e in listed {
        match &e.answer {
            None => {}
            Some(Ok(404)) => contradictions.push(format!(
                "{} = {} answered 404, while the run's endpoint is {}",
                e.member, e.listed, e.used
            )),
            Some(Ok(_)) => {}
            Some(Err(why)) => unread.push(format!("{} = {} ({why})", e.member, e.listed)),
        }
    }
    if !contradictions.is_empty() {
        return CheckOutcome::fail(
            check,
            format!(
                "the metadata lists endpoints that are not there: {}",
                contradictions.join("; ")
            ),
        );
    }
    if unread.len() == listed.len() {
        return CheckOutcome::skip(
            check,
            format!(
                "no listed endpoint could be judged: none is the run's, and none answered: {}",
                unread.join("; ")
            ),
        );
    }
    CheckOutcome::pass(check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Verdict;

    fn doc(json: &str) -> Map<String, Value> {
        match serde_json::from_str(json).unwrap() {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    fn refused(value: &str, code: &str) -> Probe {
        Probe::new(
            value,
            format!("a {value} request"),
            Answer::Refused(code.into()),
        )
    }

    fn issued(value: &str) -> Probe {
        Probe::new(value, format!("a {value} request"), Answer::Issued)
    }

    #[test]
    fn an_unlisted_grant_issuing_tokens_fails_naming_both_sides() {
        let d = doc(r#"{"grant_types_supported":["authorization_code","implicit"]}"#);
        let outcome = grant_types(
            Some(&d),
            &[
                issued("client_credentials"),
                refused("authorization_code", "invalid_grant"),
            ],
        );
        let said = outcome.describe();
        assert!(outcome.failed(), "{said}");
        assert!(
            said.contains(r#"grant_types_supported = ["authorization_code", "implicit"]"#)
                && said.contains("does not list client_credentials but issued tokens"),
            "{said}"
        );
    }

    #[test]
    fn a_listed_grant_answered_unsupported_fails_and_the_default_applies() {
        let d = doc(r#"{"grant_types_supported":["client_credentials","refresh_token"]}"#);
        let outcome = grant_types(
            Some(&d),
            &[refused("refresh_token", "unsupported_grant_type")],
        );
        assert!(outcome.failed());
        assert!(
            outcome
                .describe()
                .contains("lists refresh_token but answered")
        );
        // Absent: authorization_code and implicit; client credentials issuing fails.
        let none = doc("{}");
        let outcome = grant_types(Some(&none), &[issued("client_credentials")]);
        assert!(outcome.failed());
        assert!(
            outcome.describe().contains("RFC 8414 §2's default"),
            "{outcome:?}"
        );
        let outcome = grant_types(
            Some(&none),
            &[
                refused("authorization_code", "invalid_grant"),
                refused("client_credentials", "unsupported_grant_type"),
            ],
        );
        assert_eq!(outcome.verdict, Verdict::Pass);
    }

    #[test]
    fn nothing_exercised_is_a_skip() {
        let d = doc(r#"{"grant_types_supported":["client_credentials"]}"#);
        let unread = Probe::new(
            "client_credentials",
            "x",
            Answer::Unread("no answer".into()),
        );
        assert!(matches!(
            grant_types(Some(&d), &[unread]).verdict,
            Verdict::Skip(_)
        ));
        assert!(matches!(grant_types(None, &[]).verdict, Verdict::Skip(_)));
    }

    #[test]
    fn grant_names_are_no_response_types() {
        let ok = doc(r#"{"response_types_supported":["code","code id_token","none"]}"#);
        assert_eq!(response_types(Some(&ok)).verdict, Verdict::Pass);
        let wrong = doc(
            r#"{"response_types_supported":["code","authorization_code","client_credentials"]}"#,
        );
        let outcome = response_types(Some(&wrong));
        assert!(outcome.failed());
        assert!(
            outcome
                .describe()
                .contains(r#"["authorization_code", "client_credentials"]"#)
        );
        assert!(matches!(
            response_types(Some(&doc("{}"))).verdict,
            Verdict::Skip(_)
        ));
    }

    #[test]
    fn pkce_methods_listed_must_be_accepted_and_unlisted_refused() {
        let d = doc(r#"{"code_challenge_methods_supported":["S256"]}"#);
        let good = [
            ("S256".to_owned(), MethodAnswer::Code),
            (
                "plain".to_owned(),
                MethodAnswer::Refused("invalid_request".into()),
            ),
        ];
        assert_eq!(pkce_methods(Some(&d), &good).verdict, Verdict::Pass);
        let plain_taken = [("plain".to_owned(), MethodAnswer::Code)];
        assert!(pkce_methods(Some(&d), &plain_taken).failed());
        let s256_refused = [(
            "S256".to_owned(),
            MethodAnswer::Refused("invalid_request".into()),
        )];
        assert!(pkce_methods(Some(&d), &s256_refused).failed());
        assert!(matches!(
            pkce_methods(Some(&doc("{}")), &plain_taken).verdict,
            Verdict::Skip(_)
        ));
    }

    #[test]
    fn auth_methods_follow_the_list_and_its_default() {
        let d = doc(r#"{"token_endpoint_auth_methods_supported":["client_secret_post"]}"#);
        let basic_ok = [issued("client_secret_basic")];
        assert!(auth_methods(Some(&d), &basic_ok).failed());
        let post_refused = [refused("client_secret_post", "invalid_client")];
        assert!(auth_methods(Some(&d), &post_refused).failed());
        let post_code = [
            refused("client_secret_post", "invalid_grant"),
            refused("client_secret_basic", "invalid_client"),
        ];
        assert_eq!(auth_methods(Some(&d), &post_code).verdict, Verdict::Pass);
        // Listed: refused for one grant, authenticated for another, is supported.
        let per_grant = [
            refused("client_secret_post", "invalid_client"),
            refused("client_secret_post", "invalid_grant"),
        ];
        assert_eq!(auth_methods(Some(&d), &per_grant).verdict, Verdict::Pass);
        // Absent: client_secret_basic.
        assert_eq!(
            auth_methods(Some(&doc("{}")), &basic_ok).verdict,
            Verdict::Pass
        );
        let unread = [refused("client_secret_basic", "invalid_request")];
        assert!(matches!(
            auth_methods(Some(&d), &unread).verdict,
            Verdict::Skip(_)
        ));
    }

    #[test]
    fn a_listed_scope_refused_as_invalid_fails_and_unlisted_ones_are_not_judged() {
        let d = doc(r#"{"scopes_supported":["read","write","openid"]}"#);
        let outcome = scopes(
            Some(&d),
            &[issued("read"), refused("write", "invalid_scope")],
            "",
        );
        assert!(outcome.failed());
        assert!(
            outcome
                .describe()
                .contains("lists write but the token endpoint answered")
        );
        let fine = scopes(
            Some(&d),
            &[issued("read"), refused("admin", "invalid_scope")],
            "",
        );
        assert_eq!(fine.verdict, Verdict::Pass);
        assert!(matches!(
            scopes(Some(&doc("{}")), &[], "").verdict,
            Verdict::Skip(_)
        ));
        let (probed, why) = scopes_to_probe(Some(&d), Some("write"), 5);
        assert_eq!(probed, ["read"]);
        assert!(
            why.contains("write (the profile's token.denied_scope)") && why.contains("openid"),
            "{why}"
        );
        let none = scopes(Some(&d), &[], &why);
        assert!(matches!(&none.verdict, Verdict::Skip(w) if w.contains("denied_scope")));
    }

    #[test]
    fn implicit_listed_but_refused_fails_and_unlisted_but_issued_fails() {
        let refused = Answer::Refused("unsupported_response_type".into());
        let listed = doc(r#"{"response_types_supported": ["code", "token"]}"#);
        let got = implicit(Some(&listed), &refused);
        assert!(got.failed(), "{got:?}");
        assert!(got.describe().contains("token response type"), "{got:?}");
        // Absent grant_types_supported defaults to implicit.
        let by_default = doc(r#"{"response_types_supported": ["code"]}"#);
        assert!(implicit(Some(&by_default), &refused).failed());
        // An OpenID document's implicit grant is id_token: token refused is fine.
        let openid = doc(
            r#"{"grant_types_supported": ["authorization_code", "implicit"], "response_types_supported": ["code", "id_token"]}"#,
        );
        assert_eq!(implicit(Some(&openid), &refused).verdict, Verdict::Pass);
        let unlisted = doc(
            r#"{"grant_types_supported": ["authorization_code"], "response_types_supported": ["code"]}"#,
        );
        assert_eq!(implicit(Some(&unlisted), &refused).verdict, Verdict::Pass);
        assert!(implicit(Some(&unlisted), &Answer::Issued).failed());
        assert_eq!(
            implicit(Some(&listed), &Answer::Issued).verdict,
            Verdict::Pass
        );
        let other = Answer::Refused("unauthorized_client".into());
        assert_eq!(implicit(Some(&listed), &other).verdict, Verdict::Pass);
        let unread = Answer::Unread("no answer".into());
        assert!(matches!(
            implicit(Some(&listed), &unread).verdict,
            Verdict::Skip(_)
        ));
        assert!(matches!(implicit(None, &refused).verdict, Verdict::Skip(_)));
    }

    #[test]
    fn a_listed_endpoint_that_answers_404_fails_naming_both_urls() {
        let d = doc(r#"{"issuer": "x"}"#);
        let e = |answer| ListedEndpoint {
            member: "token_endpoint",
            listed: "http://a/moved/token".into(),
            used: "http://a/token".into(),
            answer,
        };
        let got = endpoints(Some(&d), &[e(Some(Ok(404)))]);
        assert!(got.failed());
        let said = got.describe();
        assert!(said.contains("http://a/moved/token") && said.contains("http://a/token"));
        assert_eq!(endpoints(Some(&d), &[e(None)]).verdict, Verdict::Pass);
        assert_eq!(
            endpoints(Some(&d), &[e(Some(Ok(400)))]).verdict,
            Verdict::Pass
        );
        let unread = endpoints(Some(&d), &[e(Some(Err("refused".into())))]);
        assert!(matches!(unread.verdict, Verdict::Skip(_)));
        assert!(matches!(endpoints(Some(&d), &[]).verdict, Verdict::Skip(_)));
        assert!(matches!(
            endpoints(None, &[e(None)]).verdict,
            Verdict::Skip(_)
        ));
    }
}
