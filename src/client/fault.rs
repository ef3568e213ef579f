//! Ways the suite's own client can misbehave on purpose.
//!
//! A client check that never fails proves nothing. Each [`ClientFault`] makes
//! the client break exactly one rule, in every request or decision that rule
//! governs, and otherwise behave: the fault proofs
//! (`features/harness/client_fault_proofs.feature`) switch one on for a whole
//! run and show that the suite reports exactly that check as failed. A normal
//! run never sets one: only the proof steps do, through the runner's nested
//! catalogue run. Which check each fault breaks is declared next to the
//! checks (`checks::client_faults`), since the client knows no checks.
//!
//! These are not [`super::Misstep`]s: a misstep is a wrong request the suite
//! sends on purpose to see a *server* refuse it, and it is labelled as such;
//! a fault bends the requests the client means to be right.

use super::credentials::ClientCredentials;
use super::recording::HttpRequest;
use super::token_request::{FORM, JSON};

macro_rules! client_faults {
    ($( $fault:ident, $words:literal; )*) => {
        /// One rule the suite's own client breaks, for a fault proof.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ClientFault {
            $(
                #[doc = concat!("A client that ", $words, ".")]
                $fault,
            )*
        }

        impl ClientFault {
            /// Every fault, in table order.
            pub const ALL: [ClientFault; [$(stringify!($fault)),*].len()] =
                [$(ClientFault::$fault),*];

            /// How Gherkin says it, after "Given a client that ".
            pub fn words(self) -> &'static str {
                match self {
                    $(ClientFault::$fault => $words,)*
                }
            }

            /// "a client that …": how reports name it.
            pub fn described(self) -> &'static str {
                match self {
                    $(ClientFault::$fault => concat!("a client that ", $words),)*
                }
            }

            /// Its name in the table (`TokenRequestAsGet`): how `run
            /// --client-fault` names it.
            pub fn name(self) -> &'static str {
                match self {
                    $(ClientFault::$fault => stringify!($fault),)*
                }
            }

            /// The fault this [`Self::name`] or these [`Self::words`] are.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL
                    .into_iter()
                    .find(|f| f.name() == name || f.words() == name)
            }

            /// The fault whose [`Self::words`] these are.
            pub fn from_words(words: &str) -> Option<Self> {
                match words {
                    $($words => Some(ClientFault::$fault),)*
                    _ => None,
                }
            }
        }
    };
}

client_faults! {
    // Token requests (RFC 6749 §2.3, §2.3.1, §3.2, §4.4.2).
    TokenRequestAsGet, "sends its token requests as GET";
    JsonTokenRequest, "sends its token requests as JSON";
    OmitsGrantType, "leaves grant_type out of its token requests";
    RawBasicCredentials, "does not form-urlencode its Basic credentials";
    TwoAuthenticationMethods, "authenticates with HTTP Basic and the body at once";
    CredentialsInQuery, "also puts its client credentials in the query string";
    OmitsBodySecret, "leaves client_secret out of its body credentials";
    CommaSeparatedScope, "separates the scopes it asks for with commas";
    UsesPasswordGrant, "asks for its tokens with the password grant";
    OmitsCodeVerifier, "leaves the code verifier out of its code exchanges";
    // The grant's own parameters (RFC 6749 §3.2.1, §4.1.3, §6).
    OmitsExchangeClientId, "leaves client_id out of its body-authenticated code exchanges";
    SlashedRedirectUriAtExchange, "adds a trailing slash to redirect_uri at its code exchanges";
    RefreshTokenUnderOtherName, "sends its refresh token as a token parameter";
    WidensScopeOnRefresh, "asks for a scope beyond its grant when it refreshes";
    RepeatsGrantType, "sends grant_type twice in its token requests";
    // The authorization request (RFC 6749 §4.1.1, §3.1.2.3; RFC 7636 §4.2).
    AsksForTokenResponseType, "asks for response_type token";
    OmitsClientId, "leaves client_id out of its authorization requests";
    OmitsRedirectUri, "leaves redirect_uri out of its authorization requests";
    PlainPkceChallenge, "sends its PKCE verifier as a plain challenge";
    BadCharacterVerifier, "puts a character RFC 7636 does not allow in its PKCE verifier";
    // The redirect back and CSRF (RFC 6749 §10.12, RFC 9700 §2.1, §2.1.1).
    ReusesState, "reuses its state";
    IgnoresCallbackState, "does not check the state of a redirect";
    IgnoresCallbackIss, "does not check the iss of a redirect";
    ReusesPkceVerifier, "reuses its PKCE verifier";
    KeepsOldRefreshToken, "keeps its old refresh token after a new one is issued";
    // Revoking tokens (RFC 7009 §2.1).
    TokenToRevokeInQuery, "puts the token to revoke in the query string";
    RefusesUnknownMembers, "refuses token responses with members it does not know";
    AcceptsReplayedCallback, "accepts a replayed callback";
    RefusesUnknownCallbackParams, "refuses redirects with parameters it does not know";
    // Transport (RFC 6750 §5.3, RFC 6749 §10.3).
    SendsSecretsOverPlainHttp, "sends secrets over plain http to another host";
    AcceptsAnyCertificate, "accepts any TLS certificate";
    // Calling the API (RFC 6750 §2.1, §2.3).
    TokenNotInAuthorizationHeader, "sends the access token in a header of its own";
    TokenAlsoInQuery, "also puts the access token in the query string";
    TokenAlsoInBody, "also puts the access token in a form body";
    TokenInCookie, "keeps the access token in a cookie";
    FollowsApiRedirects, "follows the API's redirects with its access token";
    // Living with expiring tokens (seed 002).
    RequestsTokenPerCall, "requests a new token for every call";
    RenewsAfterExpiry, "renews its token only once it has expired";
    OneRenewalPerTask, "sends one token request per waiting task";
    IgnoresInvalidToken, "does not renew a token the API refuses";
    // Validating tokens before use (seed 003).
    SkipsTokenValidation, "accepts tokens that fail validation";
}

impl ClientFault {
    /// The revocation request as this faulty client sends it: the token
    /// moved from the form body to the query string (RFC 7009 §2.1 asks
    /// for it in the body).
    pub fn bend_revocation_request(self, mut http: HttpRequest) -> HttpRequest {
        if self != Self::TokenToRevokeInQuery {
            return http;
        }
        let params = http.body_params();
        let token: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k == "token")
            .cloned()
            .collect();
        let rest: Vec<(String, String)> =
            params.into_iter().filter(|(k, _)| k != "token").collect();
        http.url.query_pairs_mut().extend_pairs(&token);
        http.with_body_params(&rest)
    }

    /// Whether this fault bends the shape of the token requests the client
    /// means to be right (see [`Self::bend_token_request`]).
    pub fn bends_token_requests(self) -> bool {
        matches!(
            self,
            Self::TokenRequestAsGet
                | Self::JsonTokenRequest
                | Self::OmitsGrantType
                | Self::RawBasicCredentials
                | Self::TwoAuthenticationMethods
                | Self::CredentialsInQuery
                | Self::OmitsCodeVerifier
                | Self::OmitsBodySecret
                | Self::CommaSeparatedScope
                | Self::OmitsExchangeClientId
                | Self::SlashedRedirectUriAtExchange
                | Self::RefreshTokenUnderOtherName
                | Self::WidensScopeOnRefresh
                | Self::RepeatsGrantType
                | Self::UsesPasswordGrant
        )
    }

    /// The token request as this faulty client sends it: the built request
    /// bent in this fault's one way, everything else as built.
    pub fn bend_token_request(
        self,
        mut http: HttpRequest,
        creds: &ClientCredentials,
    ) -> HttpRequest {
        let grant = http.body_param("grant_type").unwrap_or_default();
        match self {
            // The body stays: only the method is wrong.
            Self::TokenRequestAsGet => http.method = "GET".into(),
            Self::JsonTokenRequest if http.header("content-type") == Some(FORM) => {
                let map: serde_json::Map<String, serde_json::Value> = http
                    .body_params()
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect();
                http.body = Some(serde_json::to_vec(&map).unwrap_or_default());
                set_header(&mut http, "content-type", JSON);
            }
            Self::OmitsGrantType => http = without_param(http, "grant_type"),
            Self::UsesPasswordGrant if grant == "client_credentials" => {
                http = map_params(http, |k, v| match k {
                    "grant_type" => (k.to_owned(), "password".to_owned()),
                    _ => (k.to_owned(), v.to_owned()),
                })
            }
            Self::OmitsCodeVerifier => http = without_param(http, "code_verifier"),
            Self::OmitsBodySecret => http = without_param(http, "client_secret"),
            Self::CommaSeparatedScope => {
                let params: Vec<(String, String)> = http
                    .body_params()
                    .into_iter()
                    .map(|(k, v)| match k.as_str() {
                        "scope" => (k, v.replace(' ', ",")),
                        _ => (k, v),
                    })
                    .collect();
                http = http.with_body_params(&params);
            }
            Self::OmitsExchangeClientId
                if grant == "authorization_code" && http.header("authorization").is_none() =>
            {
                http = without_param(http, "client_id")
            }
            Self::SlashedRedirectUriAtExchange if grant == "authorization_code" => {
                http = map_params(http, |k, v| match k {
                    "redirect_uri" => (k.to_owned(), format!("{v}/")),
                    _ => (k.to_owned(), v.to_owned()),
                })
            }
            Self::RefreshTokenUnderOtherName if grant == "refresh_token" => {
                http = map_params(http, |k, v| match k {
                    "refresh_token" => ("token".to_owned(), v.to_owned()),
                    _ => (k.to_owned(), v.to_owned()),
                })
            }
            Self::WidensScopeOnRefresh if grant == "refresh_token" => {
                let mut params = http.body_params();
                match params.iter_mut().find(|(k, _)| k == "scope") {
                    Some((_, v)) => v.push_str(" not-granted"),
                    None => params.push(("scope".into(), "not-granted".into())),
                }
                http = http.with_body_params(&params);
            }
            Self::RepeatsGrantType if !grant.is_empty() => {
                let mut params = http.body_params();
                params.push(("grant_type".into(), grant));
                http = http.with_body_params(&params);
            }
            Self::RawBasicCredentials if http.header("authorization").is_some() => {
                use base64::Engine as _;
                let raw = format!("{}:{}", creds.id, creds.secret.expose());
                let value = format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw)
                );
                set_header(&mut http, "authorization", &value);
            }
            Self::TwoAuthenticationMethods => {
                if http.header("authorization").is_some() {
                    let mut params = http.body_params();
                    params.push(("client_id".into(), creds.id.clone()));
                    params.push(("client_secret".into(), creds.secret.expose().to_owned()));
                    http = http.with_body_params(&params);
                } else {
                    set_header(&mut http, "authorization", &creds.basic_authorization());
                }
            }
            Self::CredentialsInQuery => {
                http.url
                    .query_pairs_mut()
                    .append_pair("client_id", &creds.id)
                    .append_pair("client_secret", creds.secret.expose());
            }
            _ => {}
        }
        http
    }
}

impl ClientFault {
    /// An API request as this faulty client sends it.
    pub fn bend_api_request(self, mut http: HttpRequest) -> HttpRequest {
        let token = http
            .header("authorization")
            .and_then(|v| v.split_once(' '))
            .map(|(_, t)| t.to_owned());
        match (self, token) {
            (Self::TokenNotInAuthorizationHeader, Some(token)) => {
                http.headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
                http.headers.push(("x-access-token".into(), token));
            }
            (Self::TokenAlsoInQuery, Some(token)) => {
                http.url
                    .query_pairs_mut()
                    .append_pair("access_token", &token);
            }
            (Self::TokenAlsoInBody, Some(token)) => {
                set_header(&mut http, "content-type", FORM);
                http = http.with_body_params(&[("access_token".into(), token)]);
            }
            (Self::TokenInCookie, Some(token)) => {
                set_header(&mut http, "cookie", &format!("access_token={token}"));
            }
            _ => {}
        }
        http
    }

    /// The request this faulty client sends next when the API answered
    /// `answer` to `sent`: the same request, token and all, to wherever a
    /// redirect points. The conforming client follows no redirect (its
    /// transport is built with redirects off), so its token stays put.
    pub fn follow_api_redirect(
        self,
        sent: &HttpRequest,
        answer: &super::HttpAnswer,
    ) -> Option<HttpRequest> {
        if self != Self::FollowsApiRedirects || !(300..400).contains(&answer.status) {
            return None;
        }
        let target = sent.url.join(answer.header("location")?).ok()?;
        Some(HttpRequest {
            url: target,
            ..sent.clone()
        })
    }
}

impl ClientFault {
    /// The authorization URL as this faulty client sends it (`verifier`: the
    /// PKCE verifier it keeps, if any).
    pub fn bend_authorization_url(self, url: url::Url, verifier: Option<&str>) -> url::Url {
        let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        match (self, verifier) {
            (Self::AsksForTokenResponseType, _) => set_pair(&mut pairs, "response_type", "token"),
            (Self::OmitsClientId, _) => pairs.retain(|(k, _)| k != "client_id"),
            (Self::OmitsRedirectUri, _) => pairs.retain(|(k, _)| k != "redirect_uri"),
            (Self::PlainPkceChallenge, Some(verifier)) => {
                set_pair(&mut pairs, "code_challenge", verifier);
                set_pair(&mut pairs, "code_challenge_method", "plain");
            }
            _ => return url,
        }
        let mut bent = url;
        bent.query_pairs_mut().clear().extend_pairs(&pairs);
        bent
    }
}

fn set_pair(pairs: &mut [(String, String)], name: &str, value: &str) {
    for (k, v) in pairs.iter_mut() {
        if k == name {
            *v = value.to_owned();
        }
    }
}

/// The same request without the body parameter `name`.
fn without_param(http: HttpRequest, name: &str) -> HttpRequest {
    let kept: Vec<(String, String)> = http
        .body_params()
        .into_iter()
        .filter(|(k, _)| k != name)
        .collect();
    http.with_body_params(&kept)
}

/// The same request with each body parameter mapped by `f` (name, value).
fn map_params(http: HttpRequest, f: impl Fn(&str, &str) -> (String, String)) -> HttpRequest {
    let params: Vec<(String, String)> = http.body_params().iter().map(|(k, v)| f(k, v)).collect();
    http.with_body_params(&params)
}

/// Replaces (or adds) a header.
fn set_header(http: &mut HttpRequest, name: &str, value: &str) {
    http.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    http.headers.push((name.to_owned(), value.to_owned()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::TokenRequest;
    use crate::profile::Profile;

    #[test]
    fn only_the_redirect_following_client_follows_a_redirect_and_keeps_its_token() {
        let sent = HttpRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:8080/conformance/moved".parse().unwrap(),
            headers: vec![("authorization".into(), "Bearer t".into())],
            body: None,
        };
        let answer = |status: u16| super::super::HttpAnswer {
            url: sent.url.clone(),
            status,
            headers: vec![("location".into(), "http://localhost:8080/elsewhere".into())],
            body: Vec::new(),
        };
        let next = ClientFault::FollowsApiRedirects
            .follow_api_redirect(&sent, &answer(307))
            .unwrap();
        assert_eq!(next.url.as_str(), "http://localhost:8080/elsewhere");
        assert_eq!(next.header("authorization"), Some("Bearer t"));
        assert_eq!(
            ClientFault::FollowsApiRedirects.follow_api_redirect(&sent, &answer(200)),
            None
        );
        assert_eq!(
            ClientFault::TokenInCookie.follow_api_redirect(&sent, &answer(307)),
            None
        );
    }

    fn built(profile: &str) -> (HttpRequest, ClientCredentials) {
        let creds = ClientCredentials::new("my client", "p@ss:word");
        let http = TokenRequest::client_credentials()
            .build(
                &Profile::load(profile).unwrap(),
                &"http://127.0.0.1:9/".parse().unwrap(),
                &creds,
            )
            .unwrap();
        (http, creds)
    }

    #[test]
    fn every_fault_has_its_own_words() {
        for fault in ClientFault::ALL {
            assert_eq!(ClientFault::from_words(fault.words()), Some(fault));
        }
        let words: std::collections::HashSet<_> =
            ClientFault::ALL.iter().map(|f| f.words()).collect();
        assert_eq!(words.len(), ClientFault::ALL.len());
    }

    #[test]
    fn each_shape_fault_bends_the_request_in_its_one_way() {
        let (http, creds) = built("401go");
        let bend = |f: ClientFault| f.bend_token_request(http.clone(), &creds);
        let get = bend(ClientFault::TokenRequestAsGet);
        assert_eq!(
            (get.method.as_str(), get.body.clone()),
            ("GET", http.body.clone())
        );
        let json = bend(ClientFault::JsonTokenRequest);
        assert_eq!(json.header("content-type"), Some(JSON));
        assert_eq!(
            json.body_param("grant_type").as_deref(),
            Some("client_credentials")
        );
        assert_eq!(
            bend(ClientFault::OmitsGrantType).body_param("grant_type"),
            None
        );
        let raw = bend(ClientFault::RawBasicCredentials);
        assert_ne!(raw.header("authorization"), http.header("authorization"));
        let two = bend(ClientFault::TwoAuthenticationMethods);
        assert!(two.header("authorization").is_some() && two.body_param("client_secret").is_some());
        let query = bend(ClientFault::CredentialsInQuery);
        assert!(query.url.query_pairs().any(|(k, _)| k == "client_secret"));
        assert_eq!(query.header("authorization"), http.header("authorization"));
        // A body-authenticated request gets the Basic header as its second method.
        let (body_auth, creds) = built("login3");
        let two = ClientFault::TwoAuthenticationMethods.bend_token_request(body_auth, &creds);
        assert!(two.header("authorization").is_some() && two.body_param("client_secret").is_some());
        assert!(!ClientFault::ReusesPkceVerifier.bends_token_requests());
    }

    #[test]
    fn each_authorization_fault_bends_the_url_in_its_one_way() {
        let url: url::Url = "http://127.0.0.1:9/authorize?response_type=code&client_id=c&redirect_uri=http%3A%2F%2Fapp%2Fcb&code_challenge=x&code_challenge_method=S256".parse().unwrap();
        let param = |u: &url::Url, n: &str| {
            u.query_pairs()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.into_owned())
        };
        let bend = |f: ClientFault| f.bend_authorization_url(url.clone(), Some("the-verifier"));
        assert_eq!(
            param(
                &bend(ClientFault::AsksForTokenResponseType),
                "response_type"
            )
            .as_deref(),
            Some("token")
        );
        assert_eq!(param(&bend(ClientFault::OmitsClientId), "client_id"), None);
        assert_eq!(
            param(&bend(ClientFault::OmitsRedirectUri), "redirect_uri"),
            None
        );
        let plain = bend(ClientFault::PlainPkceChallenge);
        assert_eq!(
            param(&plain, "code_challenge").as_deref(),
            Some("the-verifier")
        );
        assert_eq!(
            param(&plain, "code_challenge_method").as_deref(),
            Some("plain")
        );
        assert_eq!(bend(ClientFault::ReusesState), url);
        assert_eq!(
            param(&bend(ClientFault::OmitsClientId), "redirect_uri").as_deref(),
            Some("http://app/cb")
        );
    }
}
