//! Checks on the authorization request our own client sends (RFC 6749
//! §4.1.1, §3.1.2.3): the parameters the server needs to answer it, each
//! exactly once (§3.1), as the client meant them.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::code_flow::AuthorizationAttempt;

/// The values of the URL's query parameter `name`.
fn values(attempt: &AuthorizationAttempt, name: &str) -> Vec<String> {
    attempt
        .url
        .query_pairs()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// One outcome: `name` is sent once, with `wanted`.
fn once(
    attempt: &AuthorizationAttempt,
    check: &'static Check,
    name: &str,
    wanted: &str,
) -> CheckOutcome {
    if attempt.request.departs_in(name) {
        return CheckOutcome::skip(
            check,
            format!("the scenario sends a bad {name} on purpose, to see how the server answers"),
        );
    }
    once_in(&values(attempt, name), check, name, |v| v == wanted)
}

/// One outcome on the values sent for `name`: one value, which `accept`s.
fn once_in(
    sent: &[String],
    check: &'static Check,
    name: &str,
    accept: impl Fn(&str) -> bool,
) -> CheckOutcome {
    CheckOutcome::expect(check, sent.len() == 1 && accept(&sent[0]), || {
        match sent.len() {
            0 => format!("the authorization request has no {name}"),
            1 => format!("{name} is not the one the client means"),
            n => format!("{name} is sent {n} times"),
        }
    })
}

/// The same three checks on an authorization request URL from any client
/// (`serve`): response_type=code, the client's id, and a redirect URI the
/// server has registered for it, each once.
pub fn check_url(
    url: &url::Url,
    client_id: &str,
    registered: impl Fn(&str) -> bool,
) -> Vec<CheckOutcome> {
    let values = |name: &str| -> Vec<String> {
        url.query_pairs()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .collect()
    };
    vec![
        once_in(
            &values("response_type"),
            &AUTHZ_REQ_RESPONSE_TYPE,
            "response_type",
            |v| v == "code",
        ),
        once_in(
            &values("client_id"),
            &AUTHZ_REQ_CLIENT_ID,
            "client_id",
            |v| v == client_id,
        ),
        once_in(
            &values("redirect_uri"),
            &AUTHZ_REQ_REDIRECT_URI,
            "redirect_uri",
            registered,
        ),
    ]
}

/// response_type=code, the client's id and its redirect URI, each once.
pub fn check(attempt: &AuthorizationAttempt) -> Vec<CheckOutcome> {
    let request = &attempt.request;
    vec![
        once(attempt, &AUTHZ_REQ_RESPONSE_TYPE, "response_type", "code"),
        once(
            attempt,
            &AUTHZ_REQ_CLIENT_ID,
            "client_id",
            &request.client_id,
        ),
        once(
            attempt,
            &AUTHZ_REQ_REDIRECT_URI,
            "redirect_uri",
            &request.redirect_uri,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::authorize::AuthorizationRequest;
    use crate::profile::Profile;

    fn attempt(edit: impl Fn(&mut Vec<(String, String)>)) -> AuthorizationAttempt {
        let profile = Profile::load("401go").unwrap();
        let request =
            AuthorizationRequest::new(&profile, "my client", "http://127.0.0.1:9/cb", None);
        let mut url = request
            .url(&profile, &"http://127.0.0.1:9/".parse().unwrap())
            .unwrap();
        let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        edit(&mut pairs);
        url.query_pairs_mut().clear().extend_pairs(&pairs);
        AuthorizationAttempt {
            request,
            url,
            redirect: Ok(String::new()),
            journey: Default::default(),
        }
    }

    fn failed(attempt: &AuthorizationAttempt) -> Vec<&'static str> {
        check(attempt)
            .iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect()
    }

    #[test]
    fn the_request_as_built_passes_and_each_broken_parameter_fails_its_check() {
        assert!(failed(&attempt(|_| {})).is_empty());
        let set = |name: &'static str, value: &'static str| {
            move |p: &mut Vec<(String, String)>| {
                p.iter_mut()
                    .filter(|(k, _)| k == name)
                    .for_each(|(_, v)| *v = value.into())
            }
        };
        let drop =
            |name: &'static str| move |p: &mut Vec<(String, String)>| p.retain(|(k, _)| k != name);
        let twice = |name: &'static str| {
            move |p: &mut Vec<(String, String)>| {
                let again = p.iter().find(|(k, _)| k == name).cloned().unwrap();
                p.push(again);
            }
        };
        let cases: Vec<(AuthorizationAttempt, &str)> = vec![
            (
                attempt(set("response_type", "token")),
                "authorization-request-response-type",
            ),
            (
                attempt(twice("response_type")),
                "authorization-request-response-type",
            ),
            (
                attempt(drop("client_id")),
                "authorization-request-client-id",
            ),
            (
                attempt(set("client_id", "another")),
                "authorization-request-client-id",
            ),
            (
                attempt(drop("redirect_uri")),
                "authorization-request-redirect-uri",
            ),
            (
                attempt(twice("redirect_uri")),
                "authorization-request-redirect-uri",
            ),
        ];
        for (attempt, wanted) in cases {
            assert_eq!(failed(&attempt), [wanted], "{}", attempt.url);
        }
    }

    #[test]
    fn a_parameter_left_out_on_purpose_is_no_verdict_on_the_client() {
        let mut left_out = attempt(|p| p.retain(|(k, _)| k != "client_id"));
        left_out.request.departures = vec![("client_id".into(), None)];
        let outcomes = check(&left_out);
        assert!(outcomes.iter().all(|o| !o.failed()));
        let skipped: Vec<_> = outcomes
            .iter()
            .filter(|o| matches!(o.verdict, crate::checks::Verdict::Skip(_)))
            .map(|o| o.check.id)
            .collect();
        assert_eq!(skipped, ["authorization-request-client-id"]);
    }
}
