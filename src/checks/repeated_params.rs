//! No parameter twice (RFC 6749 §3.1, §3.2: "Request and response
//! parameters MUST NOT be included more than once"): in a request the client
//! sends, and in the authorization server's responses (the redirect back to
//! the client, the JSON token response).

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::recording::HttpRequest;

/// The names that appear more than once among `pairs`, each once, sorted.
fn repeated(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<String> {
    let mut names: Vec<String> = pairs.into_iter().map(|(k, _)| k).collect();
    names.sort();
    let mut twice: Vec<String> = names
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0].clone())
        .collect();
    twice.dedup();
    twice
}

fn verdict(twice: Vec<String>, what: &str) -> CheckOutcome {
    CheckOutcome::expect(&CLIENT_PARAMS_ONCE, twice.is_empty(), || {
        format!("{what} carries {} more than once", twice.join(", "))
    })
}

/// A token request: its body's parameters, and its URL query's, each at most
/// once (a JSON body cannot repeat a member the client meant; its parsed
/// members are judged all the same).
pub fn token_request(request: &HttpRequest) -> CheckOutcome {
    let mut twice = repeated(request.body_params());
    twice.extend(repeated(request.url.query_pairs().into_owned()));
    verdict(twice, "the token request")
}

/// An authorization request's query; a parameter the scenario sets on
/// purpose (a departure, to see how the server answers) is not the client's.
pub fn authorization_request(attempt: &AuthorizationAttempt) -> CheckOutcome {
    let pairs = attempt
        .url
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| !attempt.request.departs_in(k));
    verdict(repeated(pairs), "the authorization request")
}

/// An authorization request URL from any client (`serve`): its query's
/// parameters, each once.
pub fn authorization_url(url: &url::Url) -> CheckOutcome {
    verdict(
        repeated(url.query_pairs().into_owned()),
        "the authorization request",
    )
}

/// The redirect back to the client (RFC 6749 §4.1.2, §4.1.2.1): the
/// parameters the server added to the redirect URI's query, each once. The
/// redirect URI's own query (a registered URI may carry one, §3.1.2) is the
/// client's, and left out. `None`: not a URL.
pub fn authorization_response(location: &str, redirect_uri: &str) -> Option<CheckOutcome> {
    let location = url::Url::parse(location).ok()?;
    let own: Vec<String> = url::Url::parse(redirect_uri)
        .map(|u| u.query_pairs().map(|(k, _)| k.into_owned()).collect())
        .unwrap_or_default();
    let added = location
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| !own.contains(k));
    let twice = repeated(added);
    Some(CheckOutcome::expect(
        &SERVER_PARAMS_ONCE,
        twice.is_empty(),
        || {
            format!(
                "the redirect to the client carries {} more than once",
                twice.join(", ")
            )
        },
    ))
}

/// The members of a JSON token response (RFC 6749 §5.1), each once: JSON
/// parsers keep one of two same-named members and drop the other, so which
/// `access_token` a client uses would be up to its parser. `None`: not a
/// JSON object (that is `token-response-json`'s to report).
pub fn token_response(body: &[u8]) -> Option<CheckOutcome> {
    let keys: ObjectKeys = serde_json::from_slice(body).ok()?;
    let twice = repeated(keys.0.into_iter().map(|k| (k, String::new())));
    Some(CheckOutcome::expect(
        &SERVER_PARAMS_ONCE,
        twice.is_empty(),
        || {
            format!(
                "the token response carries {} more than once",
                twice.join(", ")
            )
        },
    ))
}

/// A JSON object's member names in order, duplicates kept (what
/// `serde_json::Map` would hide).
struct ObjectKeys(Vec<String>);

impl<'de> serde::Deserialize<'de> for ObjectKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = ObjectKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ObjectKeys, A::Error> {
                let mut names = Vec::new();
                while let Some((name, _)) = map.next_entry::<String, serde::de::IgnoredAny>()? {
                    names.push(name);
                }
                Ok(ObjectKeys(names))
            }
        }
        d.deserialize_map(Names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::request;
    use crate::client::authorize::AuthorizationRequest;
    use crate::profile::Profile;

    const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

    #[test]
    fn the_servers_redirect_names_each_parameter_it_adds_once() {
        let cb = "http://127.0.0.1:9/cb?tenant=a";
        let judge = |loc: &str| authorization_response(loc, cb).unwrap();
        assert!(!judge("http://127.0.0.1:9/cb?tenant=a&code=x&state=s").failed());
        let twice = judge("http://127.0.0.1:9/cb?tenant=a&code=x&state=s&state=s");
        assert!(twice.failed());
        assert!(format!("{twice:?}").contains("state"));
        assert!(judge("http://127.0.0.1:9/cb?code=x&code=y").failed());
        assert!(authorization_response("not a url", cb).is_none());
    }

    #[test]
    fn a_token_response_names_each_member_once() {
        let judge = |body: &str| token_response(body.as_bytes());
        assert!(
            !judge(r#"{"access_token":"a","token_type":"Bearer"}"#)
                .unwrap()
                .failed()
        );
        let twice = judge(r#"{"access_token":"a","token_type":"Bearer","access_token":"b"}"#);
        assert!(twice.unwrap().failed());
        // Nested objects are members' values, not the response's parameters.
        assert!(
            !judge(r#"{"a":{"x":1,"y":2},"b":{"x":1}}"#)
                .unwrap()
                .failed()
        );
        assert!(judge("not json").is_none());
        assert!(judge("[1,2]").is_none());
    }

    #[test]
    fn a_token_request_names_each_parameter_once() {
        let with =
            |url: &str, body: &str| token_request(&request("POST", url, &[FORM], Some(body)));
        let t = "http://127.0.0.1:1/t";
        assert!(!with(t, "grant_type=client_credentials&scope=read+write").failed());
        assert!(with(t, "grant_type=client_credentials&scope=read&scope=write").failed());
        assert!(
            with(
                t,
                "grant_type=client_credentials&grant_type=client_credentials"
            )
            .failed()
        );
        assert!(
            with(
                "http://127.0.0.1:1/t?tenant=a&tenant=b",
                "grant_type=client_credentials"
            )
            .failed()
        );
        // The same name in the query and in the body is not one repeated list.
        assert!(!with("http://127.0.0.1:1/t?tenant=a", "grant_type=x&tenant=a").failed());
    }

    fn attempt(extra: &[(&str, &str)], departs: &[&str]) -> AuthorizationAttempt {
        let profile = Profile::load("rfc6749").unwrap();
        let mut request = AuthorizationRequest::new(
            &profile,
            "my client",
            "http://127.0.0.1:9/cb",
            Some("read".into()),
        );
        request.departures = departs.iter().map(|d| (d.to_string(), None)).collect();
        let mut url = request
            .url(&profile, &"http://127.0.0.1:9/".parse().unwrap())
            .unwrap();
        url.query_pairs_mut().extend_pairs(extra);
        AuthorizationAttempt {
            request,
            url,
            redirect: Ok(String::new()),
            journey: Default::default(),
        }
    }

    #[test]
    fn an_authorization_request_names_each_parameter_once() {
        assert!(!authorization_request(&attempt(&[], &[])).failed());
        assert!(authorization_request(&attempt(&[("scope", "write")], &[])).failed());
        assert!(authorization_request(&attempt(&[("state", "x")], &[])).failed());
        // A parameter the scenario sets on purpose is not the client's own.
        assert!(!authorization_request(&attempt(&[("scope", "write")], &["scope"])).failed());
    }
}
