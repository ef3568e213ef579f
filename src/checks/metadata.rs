//! Checks on authorization server metadata (RFC 8414): the answer at the
//! well-known URI (§3.2), the issuer it names (§3.3, §2) and the members it
//! must have (§2).
//!
//! Each check judges one rule on its own: the members are judged on the
//! JSON object of a 200 answer even when its media type is wrong (that is
//! `metadata-response`'s to report), and a check with no document to judge
//! (an error answer, a body that is no JSON object) is skipped with the
//! reason.

use serde_json::{Map, Value};
use url::Url;

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::HttpAnswer;
use crate::client::metadata::{self, DEFAULT_GRANT_TYPES};
use crate::profile::is_loopback;

/// Why a member check has nothing to judge.
const NO_DOCUMENT: &str =
    "no metadata document: the answer is not a JSON object served with 200 (see metadata-response)";

/// §3.2: "A successful response MUST use the 200 OK HTTP status code and
/// return a JSON object using the "application/json" content type".
pub fn response(answer: &HttpAnswer) -> CheckOutcome {
    let essence = answer
        .content_type()
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_object = matches!(
        serde_json::from_slice::<Value>(&answer.body),
        Ok(Value::Object(_))
    );
    let problem = if answer.status != 200 {
        Some(format!("status {}", answer.status))
    } else if essence != "application/json" {
        Some(format!("content type {}", answer.content_type()))
    } else if !is_object {
        Some("a body that is not a JSON object".to_owned())
    } else {
        None
    };
    match problem {
        None => CheckOutcome::pass(&METADATA_RESPONSE),
        Some(problem) => CheckOutcome::fail(
            &METADATA_RESPONSE,
            format!("{problem} at {} ({})", answer.url, answer.describe()),
        ),
    }
}

/// Where the server publishes its metadata: the answer at the RFC 8414
/// §3.1 URI and, when that was 404, the answer at OpenID Connect
/// discovery's (Discovery 1.0 §4), asked next.
#[derive(Clone, Copy, Debug)]
pub struct Published<'a> {
    pub rfc8414: &'a HttpAnswer,
    pub openid: Option<&'a HttpAnswer>,
}

impl<'a> Published<'a> {
    /// The OpenID Connect document, when the server publishes no RFC 8414
    /// document (404 at its URI) and serves that one instead.
    pub fn openid_only(&self) -> Option<&'a HttpAnswer> {
        self.openid
            .filter(|o| self.rfc8414.status == 404 && metadata::document(o).is_some())
    }

    /// The answer whose document the member checks judge: the OpenID
    /// Connect one on a server that publishes only that (its members are
    /// RFC 8414 §2's, which generalises them), else the RFC 8414 one.
    pub fn judged(&self) -> &'a HttpAnswer {
        self.openid_only().unwrap_or(self.rfc8414)
    }
}

/// [`response`], on a server that publishes RFC 8414 metadata. RFC 8414 is
/// optional: §3 binds "Authorization servers supporting metadata", and
/// notes that "Some OAuth applications will choose to use the well-known
/// URI suffix "openid-configuration"". A 404 at the §3.1 URI of a server
/// that serves its OpenID Connect discovery document is no failure: the
/// check is skipped, saying where the metadata is.
pub fn response_where_published(published: Published<'_>) -> CheckOutcome {
    match published.openid_only() {
        Some(openid) => CheckOutcome::skip(
            &METADATA_RESPONSE,
            format!(
                "the server publishes no RFC 8414 metadata (status 404 at {}), which RFC 8414 leaves optional; its metadata is the OpenID Connect discovery document at {}, which the other metadata checks judge",
                published.rfc8414.url, openid.url
            ),
        ),
        None => response(published.rfc8414),
    }
}

/// §3.3: "The "issuer" value returned MUST be identical to the
/// authorization server's issuer identifier value into which the
/// well-known URI string was inserted to create the URL used to retrieve
/// the metadata." Identical: compared as strings, no normalisation.
pub fn issuer_identical(doc: Option<&Map<String, Value>>, fetched_for: &str) -> CheckOutcome {
    let Some(doc) = doc else {
        return CheckOutcome::skip(&METADATA_ISSUER_IDENTICAL, NO_DOCUMENT);
    };
    match doc.get("issuer") {
        Some(Value::String(issuer)) => {
            CheckOutcome::expect(&METADATA_ISSUER_IDENTICAL, issuer == fetched_for, || {
                format!(
                    "the metadata says issuer {issuer:?}, but it was fetched for issuer {fetched_for:?}: a client must not use it"
                )
            })
        }
        Some(other) => CheckOutcome::fail(
            &METADATA_ISSUER_IDENTICAL,
            format!("issuer is {other}, not the string {fetched_for:?}"),
        ),
        None => CheckOutcome::fail(
            &METADATA_ISSUER_IDENTICAL,
            format!("the metadata names no issuer; it was fetched for {fetched_for:?}"),
        ),
    }
}

/// §2: `issuer` and `response_types_supported` are REQUIRED;
/// `authorization_endpoint` "unless no grant types are supported that use
/// the authorization endpoint", `token_endpoint` "unless only the implicit
/// grant type is supported". Grant types default to authorization_code and
/// implicit.
pub fn required_members(doc: Option<&Map<String, Value>>) -> CheckOutcome {
    let Some(doc) = doc else {
        return CheckOutcome::skip(&METADATA_REQUIRED_MEMBERS, NO_DOCUMENT);
    };
    let grants: Vec<&str> = match doc.get("grant_types_supported").and_then(Value::as_array) {
        Some(grants) => grants.iter().filter_map(Value::as_str).collect(),
        None => DEFAULT_GRANT_TYPES.to_vec(),
    };
    let uses_authorization_endpoint = grants
        .iter()
        .any(|g| matches!(*g, "authorization_code" | "implicit"));
    let only_implicit = !grants.is_empty() && grants.iter().all(|g| *g == "implicit");
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    let mut need =
        |name: &'static str, required: bool, well_typed: fn(&Value) -> bool| match doc.get(name) {
            None if required => missing.push(name),
            Some(v) if !well_typed(v) => wrong.push(format!("{name} is {v}")),
            _ => {}
        };
    need("issuer", true, Value::is_string);
    need("response_types_supported", true, |v| {
        v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
    });
    need(
        "authorization_endpoint",
        uses_authorization_endpoint,
        Value::is_string,
    );
    need("token_endpoint", !only_implicit, Value::is_string);
    if missing.is_empty() && wrong.is_empty() {
        return CheckOutcome::pass(&METADATA_REQUIRED_MEMBERS);
    }
    let mut detail = Vec::new();
    if !missing.is_empty() {
        detail.push(format!(
            "missing {} (grant types supported: {})",
            missing.join(", "),
            grants.join(", ")
        ));
    }
    detail.extend(wrong);
    CheckOutcome::fail(&METADATA_REQUIRED_MEMBERS, detail.join("; "))
}

/// §2: issuer is "a URL that uses the "https" scheme and has no query or
/// fragment components". A query or fragment always fails. The scheme is
/// judged only off loopback: a server on 127.0.0.1 is a local test
/// deployment, whose http says nothing of the deployed server's scheme, so
/// there the check is skipped with that reason rather than passed.
pub fn issuer_url(doc: Option<&Map<String, Value>>) -> CheckOutcome {
    let Some(doc) = doc else {
        return CheckOutcome::skip(&METADATA_ISSUER_URL, NO_DOCUMENT);
    };
    let Some(issuer) = doc.get("issuer").and_then(Value::as_str) else {
        return CheckOutcome::skip(
            &METADATA_ISSUER_URL,
            "the metadata names no issuer string (see metadata-required-members)",
        );
    };
    let url = match Url::parse(issuer) {
        Ok(url) => url,
        Err(e) => {
            return CheckOutcome::fail(
                &METADATA_ISSUER_URL,
                format!("issuer {issuer:?} is not a URL: {e}"),
            );
        }
    };
    // A parsed URL has a query or fragment exactly when the text has `?` or
    // `#` (an empty one included, which `Url` keeps as `Some("")`).
    if issuer.contains(['?', '#']) {
        return CheckOutcome::fail(
            &METADATA_ISSUER_URL,
            format!("issuer {issuer:?} has a query or fragment component"),
        );
    }
    match url.scheme() {
        "https" => CheckOutcome::pass(&METADATA_ISSUER_URL),
        "http" if is_loopback(&url) => CheckOutcome::skip(
            &METADATA_ISSUER_URL,
            format!(
                "issuer {issuer:?} has no query or fragment; its http scheme is not judged on a loopback test server (RFC 8414 §2 asks https of the deployed server)"
            ),
        ),
        scheme => CheckOutcome::fail(
            &METADATA_ISSUER_URL,
            format!("issuer {issuer:?} uses the {scheme} scheme, not https"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Verdict;

    fn answer(status: u16, content_type: &str, body: &str) -> HttpAnswer {
        HttpAnswer {
            url: Url::parse("https://as.example/.well-known/oauth-authorization-server").unwrap(),
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn doc(json: &str) -> Map<String, Value> {
        match serde_json::from_str(json).unwrap() {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    const GOOD: &str = r#"{"issuer":"https://as.example","response_types_supported":["code"],
        "authorization_endpoint":"https://as.example/authorize","token_endpoint":"https://as.example/token"}"#;

    #[test]
    fn the_response_is_a_json_object_served_with_200() {
        assert!(!response(&answer(200, "application/json; charset=utf-8", GOOD)).failed());
        let html = response(&answer(200, "text/html", GOOD));
        assert!(html.failed());
        assert!(
            html.describe()
                .contains("RFC 8414 §3.2 [MUST] metadata-response: content type text/html")
        );
        assert!(response(&answer(404, "application/json", "{}")).failed());
        assert!(response(&answer(200, "application/json", "[]")).failed());
    }

    #[test]
    fn a_404_is_no_failure_on_a_server_that_publishes_only_openid_discovery() {
        let missing = answer(404, "text/html", "<h1>Not Found</h1>");
        let mut openid = answer(200, "application/json", GOOD);
        openid.url = Url::parse("https://as.example/.well-known/openid-configuration").unwrap();
        let only_openid = Published {
            rfc8414: &missing,
            openid: Some(&openid),
        };
        let outcome = response_where_published(only_openid);
        let Verdict::Skip(why) = &outcome.verdict else {
            panic!("not skipped: {outcome:?}")
        };
        assert!(
            why.contains("404 at https://as.example/.well-known/oauth-authorization-server")
                && why.contains("OpenID Connect discovery document at https://as.example/.well-known/openid-configuration"),
            "{why}"
        );
        assert_eq!(only_openid.judged().url, openid.url);
        // Neither document: the 404 fails, as before.
        let nothing = answer(404, "application/json", "{}");
        let neither = Published {
            rfc8414: &missing,
            openid: Some(&nothing),
        };
        assert!(response_where_published(neither).failed());
        assert_eq!(neither.judged().status, 404);
        // An RFC 8414 answer that is not a 404 is judged as it is.
        let html = answer(200, "text/html", GOOD);
        let served = Published {
            rfc8414: &html,
            openid: Some(&openid),
        };
        assert!(response_where_published(served).failed());
        assert_eq!(served.judged().status, 200);
        assert_eq!(served.judged().content_type(), "text/html");
    }

    #[test]
    fn the_issuer_must_be_identical_to_the_one_the_url_was_formed_from() {
        let d = doc(GOOD);
        assert!(!issuer_identical(Some(&d), "https://as.example").failed());
        let slash = issuer_identical(Some(&d), "https://as.example/");
        assert!(slash.failed(), "identical means identical: {slash:?}");
        assert!(issuer_identical(Some(&doc("{}")), "https://as.example").failed());
        assert!(matches!(
            issuer_identical(None, "https://as.example").verdict,
            Verdict::Skip(_)
        ));
    }

    #[test]
    fn required_members_follow_the_grant_types() {
        assert!(!required_members(Some(&doc(GOOD))).failed());
        let no_types = required_members(Some(&doc(
            r#"{"issuer":"https://as.example","authorization_endpoint":"a","token_endpoint":"t"}"#,
        )));
        assert!(no_types.failed());
        assert!(
            no_types
                .describe()
                .contains("missing response_types_supported"),
            "{no_types:?}"
        );
        // Default grant types use the authorization endpoint.
        let no_authz = required_members(Some(&doc(
            r#"{"issuer":"i","response_types_supported":["code"],"token_endpoint":"t"}"#,
        )));
        assert!(no_authz.failed());
        // Client credentials only: no authorization endpoint needed.
        let cc_only = doc(
            r#"{"issuer":"i","response_types_supported":[],"token_endpoint":"t",
                "grant_types_supported":["client_credentials"]}"#,
        );
        assert!(!required_members(Some(&cc_only)).failed());
        // Implicit only: no token endpoint needed.
        let implicit = doc(
            r#"{"issuer":"i","response_types_supported":["token"],"authorization_endpoint":"a",
                "grant_types_supported":["implicit"]}"#,
        );
        assert!(!required_members(Some(&implicit)).failed());
        // Any grant besides implicit (and none at all) needs the token endpoint.
        for grants in [r#"["authorization_code","implicit"]"#, "[]"] {
            let no_token = doc(&format!(
                r#"{{"issuer":"i","response_types_supported":["code"],"authorization_endpoint":"a",
                    "grant_types_supported":{grants}}}"#
            ));
            assert!(required_members(Some(&no_token)).failed(), "{grants}");
        }
        let typed = required_members(Some(&doc(
            r#"{"issuer":7,"response_types_supported":"code","authorization_endpoint":"a","token_endpoint":"t"}"#,
        )));
        assert!(typed.failed());
        let said = typed.describe();
        assert!(
            said.contains("issuer is 7") && !said.contains("missing"),
            "{said}"
        );
    }

    #[test]
    fn the_issuer_is_https_without_query_or_fragment_and_loopback_http_is_not_judged() {
        let judged = |issuer: &str| issuer_url(Some(&doc(&format!(r#"{{"issuer":"{issuer}"}}"#))));
        assert!(matches!(
            judged("https://as.example/t1").verdict,
            Verdict::Pass
        ));
        assert!(judged("https://as.example/?tenant=1").failed());
        assert!(judged("https://as.example#x").failed());
        assert!(judged("https://as.example/?").failed());
        assert!(judged("https://as.example/#").failed());
        assert!(judged("http://as.example").failed());
        assert!(judged("http://127.0.0.1:8765/api/o?x=1").failed());
        assert!(judged("not a url").failed());
        for local in [
            "http://127.0.0.1:8765/api/o",
            "http://localhost:3000",
            "http://[::1]:80",
        ] {
            let outcome = judged(local);
            assert!(
                matches!(&outcome.verdict, Verdict::Skip(why) if why.contains("loopback")),
                "{local}: {outcome:?}"
            );
        }
        assert!(matches!(
            issuer_url(Some(&doc("{}"))).verdict,
            Verdict::Skip(_)
        ));
    }
}
