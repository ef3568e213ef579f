//! `profile discover`: reads an authorization server's metadata (RFC 8414,
//! or OpenID Connect discovery) and writes a starter profile for it
//! ([`starter`]).
//!
//! Every request goes to the origin of the URL the user gave, at the
//! well-known URIs formed from it ([`crate::client::well_known`]), with the
//! transport's timeouts and without following redirects.

pub mod starter;
#[cfg(test)]
mod starter_tests;

use url::Url;

use crate::client::metadata::{self, ServerMetadata};
use crate::client::well_known::{self, Rule};
use crate::client::{Limits, Transport, TransportError};

/// Metadata found for the URL a user gave.
#[derive(Clone, Debug)]
pub struct Discovered {
    /// The URL the user gave: an issuer, or a metadata URL.
    pub given: Url,
    /// Where the document was found, and by which rule.
    pub url: Url,
    pub rule: Rule,
    pub metadata: ServerMetadata,
}

impl Discovered {
    /// The issuer identifier the metadata URL was formed from, as RFC 8414
    /// §3.1 reads it (a terminating `/` removed), for comparison with the
    /// document's `issuer` (§3.3).
    pub fn expected_issuer(&self) -> String {
        let issuer = match self.rule {
            Rule::Given => well_known::issuer_of(&self.url).unwrap_or(self.url.clone()),
            _ => self.given.clone(),
        };
        let mut text = issuer.to_string();
        if issuer.path().ends_with('/') {
            text.pop();
        }
        text
    }

    /// What the user should know before using the profile: the document's
    /// issuer is not the one the URL was formed from (RFC 8414 §3.3 says a
    /// client must not use such metadata), or it was found only at a
    /// location RFC 8414 does not define.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let expected = self.expected_issuer();
        match &self.metadata.issuer {
            Some(issuer) if *issuer == expected => {}
            Some(issuer) => out.push(format!(
                "the metadata at {} says issuer {issuer:?}, not {expected:?}, the issuer its URL was formed from: RFC 8414 §3.3 says a client must not use it. Check the URL you gave",
                self.url
            )),
            None => out.push(format!("the metadata at {} names no issuer", self.url)),
        }
        if self.rule == Rule::Appended {
            out.push(format!(
                "found at {}, with the well-known suffix appended to the issuer's path; RFC 8414 §3.1 inserts it between host and path, where the metadata checks look",
                self.url
            ));
        }
        out
    }
}

/// Why no starter profile could be written.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{given:?} is not an http(s) URL: {detail}")]
    BadUrl { given: String, detail: String },
    #[error(
        "no authorization server metadata found for {given}; asked:\n{tried}\nGive the issuer identifier, or the metadata URL itself"
    )]
    NotFound { given: String, tried: String },
    #[error("cannot set up the HTTP client: {0}")]
    Transport(#[from] TransportError),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Starter(#[from] starter::StarterError),
}

/// Parses what the user gave: an absolute http(s) URL, query and fragment
/// dropped (an issuer has neither, RFC 8414 §2).
pub fn parse_given(given: &str) -> Result<Url, DiscoverError> {
    let bad = |detail: String| DiscoverError::BadUrl {
        given: given.to_owned(),
        detail,
    };
    let mut url = Url::parse(given).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad("give the server's https:// (or http://) URL".into()));
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Asks each well-known URI formed from `given` in turn, and returns the
/// first JSON object served with 200 that names an issuer or a token
/// endpoint (a catch-all page answering `{}` is no metadata).
pub async fn discover(transport: &Transport, given: &Url) -> Result<Discovered, DiscoverError> {
    let mut tried = Vec::new();
    for candidate in well_known::candidates(given) {
        let what = match metadata::fetch(transport, &candidate.url).await {
            Ok(answer) if answer.status == 200 => {
                let found = metadata::document(&answer).map(|d| ServerMetadata::from_document(&d));
                match found {
                    Some(m) if m.issuer.is_some() || m.token_endpoint.is_some() => {
                        return Ok(Discovered {
                            given: given.clone(),
                            url: candidate.url,
                            rule: candidate.rule,
                            metadata: m,
                        });
                    }
                    Some(_) => format!(
                        "200, but a JSON object with neither issuer nor token_endpoint: {}",
                        answer.describe()
                    ),
                    None => format!("200, but not a JSON object: {}", answer.describe()),
                }
            }
            Ok(answer) => answer.describe(),
            Err(e) => e.to_string(),
        };
        tried.push(format!(
            "  {} ({}): {what}",
            candidate.url,
            candidate.rule.describe()
        ));
    }
    Err(DiscoverError::NotFound {
        given: given.to_string(),
        tried: tried.join("\n"),
    })
}

/// The whole command: finds the metadata for `given` and renders the
/// starter profile named `name`. Returns the profile text and the warnings.
pub fn run_blocking(
    given: &str,
    name: &str,
    limits: Limits,
) -> Result<(String, Vec<String>), DiscoverError> {
    let url = parse_given(given)?;
    let transport = Transport::new(limits)?;
    let discovered = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(DiscoverError::Runtime)?
        .block_on(discover(&transport, &url))?;
    let text = starter::render(&discovered, name)?;
    Ok((text, discovered.warnings()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovered(given: &str, url: &str, rule: Rule, issuer: &str) -> Discovered {
        Discovered {
            given: Url::parse(given).unwrap(),
            url: Url::parse(url).unwrap(),
            rule,
            metadata: ServerMetadata {
                issuer: Some(issuer.into()),
                ..Default::default()
            },
        }
    }

    #[test]
    fn the_issuer_is_compared_with_the_one_the_url_was_formed_from() {
        let ok = discovered(
            "http://127.0.0.1:8765/api/o/",
            "http://127.0.0.1:8765/.well-known/oauth-authorization-server/api/o",
            Rule::Rfc8414,
            "http://127.0.0.1:8765/api/o",
        );
        assert_eq!(ok.expected_issuer(), "http://127.0.0.1:8765/api/o");
        assert!(ok.warnings().is_empty(), "{:?}", ok.warnings());
        let root = discovered(
            "https://as.example/",
            "https://as.example/.well-known/oauth-authorization-server",
            Rule::Rfc8414,
            "https://as.example",
        );
        assert!(root.warnings().is_empty(), "{:?}", root.warnings());
        let other = discovered(
            "https://as.example",
            "https://as.example/.well-known/openid-configuration",
            Rule::OpenId,
            "https://login.example",
        );
        assert!(other.warnings()[0].contains("RFC 8414 §3.3"));
        let given = discovered(
            "http://h/api/o/.well-known/oauth-authorization-server",
            "http://h/api/o/.well-known/oauth-authorization-server",
            Rule::Given,
            "http://h/api/o",
        );
        assert!(given.warnings().is_empty(), "{:?}", given.warnings());
    }

    #[test]
    fn only_http_urls_are_taken() {
        assert!(parse_given("ftp://h/").is_err());
        assert!(parse_given("not a url").is_err());
        assert_eq!(
            parse_given("https://as.example/t?x=1#f").unwrap().as_str(),
            "https://as.example/t"
        );
    }
}
