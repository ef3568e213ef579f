//! Calling the protected API with a bearer token (RFC 6750 §2.1).

use crate::profile::Profile;

use super::recording::HttpRequest;

/// How the token is presented. Tests need the wrong ways too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Presentation {
    /// `Authorization: Bearer <token>` (RFC 6750 §2.1).
    Bearer(String),
    /// The same header with another spelling of the scheme, e.g. `bearer`.
    /// Auth schemes are case-insensitive (RFC 7235 §2.1).
    Scheme { scheme: String, token: String },
    /// No `Authorization` header at all.
    Nothing,
}

/// The API probe request the profile describes.
pub fn api_request(
    profile: &Profile,
    base_url: &url::Url,
    presentation: &Presentation,
) -> Result<HttpRequest, url::ParseError> {
    let url = base_url.join(&profile.api.probe_path)?;
    let mut headers = Vec::new();
    match presentation {
        Presentation::Bearer(token) => {
            headers.push(("authorization".into(), format!("Bearer {token}")));
        }
        Presentation::Scheme { scheme, token } => {
            headers.push(("authorization".into(), format!("{scheme} {token}")));
        }
        Presentation::Nothing => {}
    }
    // The guides' examples send a Content-Type even on a GET; so do we, since
    // that is the documented shape.
    headers.push(("content-type".into(), profile.api.content_type.clone()));
    Ok(HttpRequest {
        method: profile.api.method.clone(),
        url,
        headers,
        body: None,
    })
}
