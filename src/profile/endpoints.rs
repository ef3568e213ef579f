//! Where a profile's endpoints are, and which origin may receive what.
//!
//! A profile names each endpoint by a path below the target (`/token`) or
//! by an absolute URL (`https://login.example/token`), as metadata
//! publishes them: real providers put their token endpoint on another
//! host than their authorization endpoint, and a server reached as
//! `127.0.0.1` may name itself `localhost`. A path resolves against the
//! target; an absolute URL stands as written.
//!
//! The endpoints a profile declares are the only places the client sends
//! what it holds (RFC 6749 §10.3, RFC 6750 §5.3): the client secret goes
//! only to the token endpoint (the only request it builds with it), the
//! password and the login forms only to the authorization endpoint's
//! origin and `login_origins` (`crate::client::login::origin`), and an
//! access token only to the origins of the resources it is for
//! ([`Profile::token_origins`], judged by `api-token-stays-at-origin`).

use url::Url;

use super::Profile;

/// An endpoint a profile can name, by the field that names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Endpoint {
    Token,
    Authorization,
    Jwks,
    Api,
    ScopedApi,
    ConnectionSuccess,
    Revocation,
    Introspection,
}

impl Endpoint {
    pub const ALL: [Endpoint; 8] = [
        Endpoint::Token,
        Endpoint::Authorization,
        Endpoint::Jwks,
        Endpoint::Api,
        Endpoint::ScopedApi,
        Endpoint::ConnectionSuccess,
        Endpoint::Revocation,
        Endpoint::Introspection,
    ];

    /// The profile field that names it.
    pub fn field(self) -> &'static str {
        match self {
            Endpoint::Token => "token.path",
            Endpoint::Authorization => "authorization_code.authorize_path",
            Endpoint::Jwks => "jwks",
            Endpoint::Api => "api.probe_path",
            Endpoint::ScopedApi => "api.scoped_probe_path",
            Endpoint::ConnectionSuccess => "authorization_code.connection_success_path",
            Endpoint::Revocation => "revocation_path",
            Endpoint::Introspection => "introspection_path",
        }
    }

    /// What it is, in a report's words.
    pub fn describe(self) -> &'static str {
        match self {
            Endpoint::Token => "token endpoint",
            Endpoint::Authorization => "authorization endpoint",
            Endpoint::Jwks => "JWKS",
            Endpoint::Api => "API probe",
            Endpoint::ScopedApi => "scoped API probe",
            Endpoint::ConnectionSuccess => "connection-success call",
            Endpoint::Revocation => "revocation endpoint",
            Endpoint::Introspection => "introspection endpoint",
        }
    }

    /// Whether an access token is meant to go there: the resources it is
    /// for (RFC 6750 §5.3), the protected API and the connection-success
    /// call that presents it.
    pub fn takes_access_token(self) -> bool {
        matches!(
            self,
            Endpoint::Api | Endpoint::ScopedApi | Endpoint::ConnectionSuccess
        )
    }
}

/// Whether `location` is an absolute URL rather than a path.
pub fn is_absolute(location: &str) -> bool {
    !location.starts_with('/')
}

/// A location as a profile may write it: a path starting with one `/`
/// (`//host/…` would name another host by the back door), or an absolute
/// http(s) URL with a host, no user name or password and no fragment.
pub fn validate(field: &str, location: &str) -> Result<(), String> {
    let how = "give a path starting with '/' (below the target) or an absolute http(s) URL (an endpoint on another origin, as the server's metadata publishes it)";
    if location.starts_with("//") {
        return Err(format!("field `{field}` is {location:?}: {how}"));
    }
    if !is_absolute(location) {
        return Ok(());
    }
    let url = Url::parse(location).map_err(|e| {
        format!("field `{field}` is {location:?}, which is neither a path nor a URL ({e}): {how}")
    })?;
    let problem = if !matches!(url.scheme(), "http" | "https") {
        Some("its scheme is not http or https")
    } else if url.host().is_none() {
        Some("it names no host")
    } else if !url.username().is_empty() || url.password().is_some() {
        Some("it carries a user name or password (they would be sent with every request)")
    } else if url.fragment().is_some() {
        Some("it has a fragment, which never reaches a server")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(format!("field `{field}` is {location:?}: {problem}; {how}")),
        None => Ok(()),
    }
}

/// `location` on `target`: a path replaces the target's path; an absolute
/// URL stands as written.
pub fn resolve(target: &Url, location: &str) -> Result<Url, url::ParseError> {
    target.join(location)
}

/// `location` as a path (and query) on whatever origin serves it.
pub fn path_of(location: &str) -> String {
    match Url::parse(location) {
        Ok(url) if is_absolute(location) => match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        },
        _ => location.to_owned(),
    }
}

impl Profile {
    /// Where the profile puts `endpoint`, as written; `None` when it names
    /// none.
    pub fn location(&self, endpoint: Endpoint) -> Option<&str> {
        let ac = self.authorization_code.as_ref();
        let api = self.api.as_ref();
        match endpoint {
            Endpoint::Token => Some(&self.token.path),
            Endpoint::Authorization => ac.map(|ac| ac.authorize_path.as_str()),
            Endpoint::Jwks => self.jwks.as_deref(),
            Endpoint::Api => api.map(|api| api.probe_path.as_str()),
            Endpoint::ScopedApi => api.and_then(|api| api.scoped_probe_path.as_deref()),
            Endpoint::ConnectionSuccess => ac.and_then(|ac| ac.connection_success_path.as_deref()),
            Endpoint::Revocation => self.revocation_path.as_deref(),
            Endpoint::Introspection => self.introspection_path.as_deref(),
        }
    }

    /// Every endpoint the profile names, on `target`, in [`Endpoint::ALL`]'s
    /// order; one that does not resolve is left out (validation refuses
    /// such a profile).
    pub fn endpoints(&self, target: &Url) -> Vec<(Endpoint, Url)> {
        Endpoint::ALL
            .into_iter()
            .filter_map(|e| Some((e, resolve(target, self.location(e)?).ok()?)))
            .collect()
    }

    /// The origins an access token may be sent to: those of the resources
    /// the profile declares for it ([`Endpoint::takes_access_token`]).
    pub fn token_origins(&self, target: &Url) -> Vec<url::Origin> {
        let mut origins: Vec<url::Origin> = Vec::new();
        for (endpoint, url) in self.endpoints(target) {
            if endpoint.takes_access_token() && !origins.contains(&url.origin()) {
                origins.push(url.origin());
            }
        }
        origins
    }

    /// The same profile with every endpoint a path: for the embedded mock,
    /// which serves them all on its own origin, so that a profile written
    /// for a server spread over several origins still runs there and sends
    /// nothing to the origins it names.
    pub fn on_one_origin(&self) -> Profile {
        let mut p = self.clone();
        p.token.path = path_of(&p.token.path);
        p.jwks = p.jwks.as_deref().map(path_of);
        p.revocation_path = p.revocation_path.as_deref().map(path_of);
        p.introspection_path = p.introspection_path.as_deref().map(path_of);
        if let Some(ac) = p.authorization_code.as_mut() {
            ac.authorize_path = path_of(&ac.authorize_path);
            ac.connection_success_path = ac.connection_success_path.as_deref().map(path_of);
        }
        if let Some(api) = p.api.as_mut() {
            api.probe_path = path_of(&api.probe_path);
            api.scoped_probe_path = api.scoped_probe_path.as_deref().map(path_of);
        }
        p
    }

    /// [`Self::on_one_origin`], with the endpoints the embedded mock serves
    /// for every profile filled in where the profile names none: the
    /// revocation and introspection endpoints (as it serves its metadata
    /// for every profile).
    pub fn for_mock(&self) -> Profile {
        let mut p = self.on_one_origin();
        p.revocation_path
            .get_or_insert_with(|| MOCK_REVOCATION_PATH.to_owned());
        p.introspection_path
            .get_or_insert_with(|| MOCK_INTROSPECTION_PATH.to_owned());
        p
    }
}

/// Where the embedded mock serves token revocation (RFC 7009) for a
/// profile that names no `revocation_path`.
pub const MOCK_REVOCATION_PATH: &str = "/conformance/revoke";

/// Where the embedded mock serves token introspection (RFC 7662) for a
/// profile that names no `introspection_path`.
pub const MOCK_INTROSPECTION_PATH: &str = "/conformance/introspect";

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    /// rfc6749 with its token endpoint and API on `localhost` while the
    /// target is `127.0.0.1`.
    fn spread() -> Profile {
        let mut p = Profile::load("rfc6749").unwrap();
        p.token.path = "http://localhost:8794/token?tenant=1".into();
        p.api.as_mut().unwrap().probe_path = "https://api.example/resource".into();
        p
    }

    #[test]
    fn a_path_or_an_absolute_http_url_is_a_location() {
        for ok in [
            "/token",
            "/t?tenant=1",
            "https://login.example/token",
            "http://localhost:8794/token?x=1",
        ] {
            assert_eq!(validate("token.path", ok), Ok(()), "{ok}");
        }
        for (bad, says) in [
            ("token", "neither a path nor a URL"),
            ("//evil.example/token", "starting with '/'"),
            ("ftp://login.example/token", "scheme"),
            (
                "https://user:pw@login.example/token",
                "user name or password",
            ),
            ("https://login.example/token#x", "fragment"),
        ] {
            let err = validate("token.path", bad).unwrap_err();
            assert!(err.contains("`token.path`") && err.contains(says), "{err}");
        }
    }

    #[test]
    fn a_path_resolves_on_the_target_and_a_url_stands_as_written() {
        let target = url("http://127.0.0.1:8794/prefix/");
        let p = spread();
        let endpoints = p.endpoints(&target);
        assert_eq!(endpoints[0].0, Endpoint::Token);
        assert_eq!(
            endpoints[0].1.as_str(),
            "http://localhost:8794/token?tenant=1"
        );
        let authorize = endpoints
            .iter()
            .find(|(e, _)| *e == Endpoint::Authorization)
            .unwrap();
        assert_eq!(authorize.1.as_str(), "http://127.0.0.1:8794/authorize");
        assert!(
            endpoints.iter().all(|(e, _)| *e != Endpoint::Jwks),
            "rfc6749 names no JWKS"
        );
    }

    #[test]
    fn a_token_may_go_only_to_the_origins_of_its_resources() {
        let target = url("http://127.0.0.1:8794/");
        let origins = spread().token_origins(&target);
        // The API probe is elsewhere; the scoped probe is a path on the target.
        assert_eq!(
            origins,
            vec![
                url("https://api.example/").origin(),
                url("http://127.0.0.1:8794/").origin()
            ]
        );
        assert!(
            !origins.contains(&url("http://localhost:8794/").origin()),
            "the token endpoint's origin is not one an access token is for"
        );
    }

    #[test]
    fn on_one_origin_every_endpoint_is_a_path() {
        let p = spread().on_one_origin();
        assert_eq!(p.token.path, "/token?tenant=1");
        assert_eq!(p.api.as_ref().unwrap().probe_path, "/resource");
        assert_eq!(
            p.authorization_code.as_ref().unwrap().authorize_path,
            "/authorize"
        );
        assert_eq!(Profile::load("401go").unwrap().on_one_origin(), {
            Profile::load("401go").unwrap()
        });
    }
}
