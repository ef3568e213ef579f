//! The authorization request (RFC 6749 §4.1.1): URL, state and PKCE.
//!
//! `state` protects the redirect against CSRF (§10.12), so it must be
//! unguessable and fresh for every attempt: 256 bits from the OS-seeded
//! CSPRNG. The PKCE verifier (RFC 7636 §4.1) is 43 characters of the
//! unreserved set, from the same source; the challenge is S256 (§4.2).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::Digest as _;

use super::credentials::Secret;
use crate::profile::Profile;

/// 32 random bytes, base64url without padding: 43 unreserved characters.
fn random_urlsafe() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh, unguessable `state` value (256 bits).
pub fn new_state() -> Secret {
    Secret::new(random_urlsafe())
}

/// A PKCE pair (RFC 7636): the verifier stays with the client, the challenge
/// goes in the authorization request.
#[derive(Clone, Debug)]
pub struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        let verifier = random_urlsafe();
        let challenge = s256(&verifier);
        Self {
            verifier: Secret::new(verifier),
            challenge,
        }
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Self::new()
    }
}

/// `BASE64URL(SHA256(ASCII(verifier)))` (RFC 7636 §4.2).
pub fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` is a valid RFC 7636 §4.1 code verifier.
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// One authorization attempt: what the client sends and must remember.
#[derive(Clone, Debug)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Option<String>,
    pub state: Option<Secret>,
    pub pkce: Option<Pkce>,
    /// Deliberate departures from the well-formed request, for scenarios
    /// that probe how the server answers a bad one (RFC 6749 §3.1.1,
    /// §4.1.2.1): each parameter set to its value (added when absent) or,
    /// with `None`, left out. Applied last, to the finished URL.
    pub departures: Vec<(String, Option<String>)>,
}

impl AuthorizationRequest {
    /// A request with a fresh state, and PKCE when the profile asks for it.
    pub fn new(
        profile: &Profile,
        client_id: &str,
        redirect_uri: &str,
        scope: Option<String>,
    ) -> Self {
        let pkce = profile
            .authorization_code
            .as_ref()
            .is_some_and(|ac| ac.pkce)
            .then(Pkce::new);
        Self {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            scope,
            state: Some(new_state()),
            pkce,
            departures: Vec::new(),
        }
    }

    /// Whether the request departs from its well-formed self in `name` on
    /// purpose: what it sends there is the scenario's, not the client's.
    pub fn departs_in(&self, name: &str) -> bool {
        self.departures.iter().any(|(n, _)| n == name)
    }

    /// The authorization URL, parameters in a fixed order and form-encoded
    /// (§4.1.1 uses application/x-www-form-urlencoded in the query).
    pub fn url(&self, profile: &Profile, base_url: &url::Url) -> Result<url::Url, String> {
        let ac = profile.authorization_code.as_ref().ok_or_else(|| {
            format!(
                "profile {} documents no authorization code flow",
                profile.name
            )
        })?;
        let mut url = base_url
            .join(&ac.authorize_path)
            .map_err(|e| format!("cannot build the authorization URL: {e}"))?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code");
            q.append_pair("client_id", &self.client_id);
            q.append_pair("redirect_uri", &self.redirect_uri);
            if let Some(scope) = &self.scope {
                q.append_pair("scope", scope);
            }
            if let Some(state) = &self.state {
                q.append_pair("state", state.expose());
            }
            if let Some(pkce) = &self.pkce {
                q.append_pair("code_challenge", &pkce.challenge);
                q.append_pair("code_challenge_method", "S256");
            }
            for (name, value) in &ac.extra_params {
                q.append_pair(name, value);
            }
        }
        if !self.departures.is_empty() {
            let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            for (name, value) in &self.departures {
                match (value, pairs.iter_mut().find(|(k, _)| k == name)) {
                    (None, _) => pairs.retain(|(k, _)| k != name),
                    (Some(v), Some(pair)) => pair.1 = v.clone(),
                    (Some(v), None) => pairs.push((name.clone(), v.clone())),
                }
            }
            url.query_pairs_mut().clear().extend_pairs(&pairs);
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departures_replace_add_or_leave_out_a_parameter_in_place() {
        let profile = Profile::load("401go").unwrap();
        let base: url::Url = "http://127.0.0.1:9/".parse().unwrap();
        let mut request = AuthorizationRequest::new(&profile, "c", "http://127.0.0.1:9/cb", None);
        request.state = None;
        request.departures = vec![
            ("response_type".into(), Some("x".into())),
            ("client_id".into(), None),
            ("x_extra".into(), Some("1".into())),
        ];
        let url = request.url(&profile, &base).unwrap();
        assert_eq!(
            url.query(),
            Some("response_type=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&x_extra=1")
        );
        assert!(request.departs_in("client_id") && !request.departs_in("redirect_uri"));
    }

    #[test]
    fn state_is_fresh_and_long() {
        let a = new_state();
        let b = new_state();
        assert_ne!(a, b);
        // 43 base64url characters carry 256 bits; at least 128 are required.
        assert_eq!(a.expose().len(), 43);
    }

    #[test]
    fn verifier_is_valid_and_challenge_is_s256() {
        let p = Pkce::new();
        assert!(is_valid_verifier(p.verifier.expose()));
        // RFC 7636 Appendix B test vector.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_rules() {
        assert!(!is_valid_verifier("short"));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(43))));
        assert!(is_valid_verifier(&"a-._~".repeat(10)));
    }

    #[test]
    fn url_is_encoded_in_a_stable_order() {
        let profile = Profile::load("401go").unwrap();
        let mut req = AuthorizationRequest::new(
            &profile,
            "my client",
            "https://app.example/cb?x=1&y=2",
            Some("participant:read participant:write".into()),
        );
        req.state = Some(Secret::new("st&te=1"));
        let url = req
            .url(&profile, &"http://127.0.0.1:9/".parse().unwrap())
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/api/o/authorize/?response_type=code&client_id=my+client\
             &redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2\
             &scope=participant%3Aread+participant%3Awrite&state=st%26te%3D1"
        );
        assert!(req.pkce.is_none(), "401go does not use PKCE");
        let rfc = Profile::load("rfc6749").unwrap();
        let req = AuthorizationRequest::new(&rfc, "c", "http://127.0.0.1:1/cb", None);
        let url = req
            .url(&rfc, &"http://127.0.0.1:9/".parse().unwrap())
            .unwrap();
        let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(q[4].0, "code_challenge");
        assert_eq!(q[5], ("code_challenge_method".into(), "S256".into()));
    }
}
