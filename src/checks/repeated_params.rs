//! No parameter twice in a request the client sends (RFC 6749 §3.1, §3.2:
//! "Request and response parameters MUST NOT be included more than once").

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::request;
    use crate::client::authorize::AuthorizationRequest;
    use crate::profile::Profile;

    const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

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
