//! Client identity and the one encoding clients most often get wrong.
//!
//! RFC 6749 §2.3.1 says the client id and secret are each
//! `application/x-www-form-urlencoded` *before* they are joined with `:` and
//! base64-encoded into the `Basic` header. Many clients skip that step; ids and
//! secrets containing `:`, `%`, `+`, spaces or non-ASCII characters are where
//! clients and servers then disagree. Both directions live here so the client
//! and the mock server share one definition.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::redact::{register_client_credentials, register_secret};

/// A secret value: registered for redaction on creation, and never printed by
/// `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        register_secret(&value);
        Self(value)
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

/// A registered client's id and secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCredentials {
    pub id: String,
    pub secret: Secret,
}

impl ClientCredentials {
    /// Registers the secret, and the base64 of `id:secret` as a Basic header
    /// carries it, for redaction.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        let (id, secret) = (id.into(), secret.into());
        register_client_credentials(&id, &secret);
        Self {
            id,
            secret: Secret::new(secret),
        }
    }

    /// The `Authorization` header value for HTTP Basic client authentication
    /// per RFC 6749 §2.3.1: form-urlencode id and secret, join with `:`, base64.
    pub fn basic_authorization(&self) -> String {
        format!(
            "Basic {}",
            STANDARD.encode(basic_user_pass(&self.id, self.secret.expose()))
        )
    }

    /// Every spelling of the secret an output could leak: as is,
    /// form-urlencoded, and inside the Basic credentials.
    pub fn secret_spellings(&self) -> Vec<String> {
        let basic = self.basic_authorization();
        vec![
            self.secret.expose().to_owned(),
            form_encode(self.secret.expose()),
            basic.trim_start_matches("Basic ").to_owned(),
        ]
    }
}

/// `form(id) ":" form(secret)`, the text that RFC 6749 §2.3.1 base64-encodes.
pub fn basic_user_pass(id: &str, secret: &str) -> String {
    format!("{}:{}", form_encode(id), form_encode(secret))
}

/// `application/x-www-form-urlencoded` encoding of one value (RFC 6749 Appendix B).
pub fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Why an `Authorization: Basic` header could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BasicError {
    #[error("the Authorization header does not use the Basic scheme")]
    NotBasic,
    #[error("the Basic credentials are not valid base64")]
    NotBase64,
    #[error("the Basic credentials contain no ':' between id and secret")]
    NoColon,
}

/// Reads a `Basic` header back into (id, secret), undoing the §2.3.1 form
/// encoding. The split is at the first `:`; a raw `:` in the id is exactly
/// what the encoding exists to prevent.
pub fn decode_basic(header: &str) -> Result<(String, String), BasicError> {
    let (scheme, value) = header.trim().split_once(' ').ok_or(BasicError::NotBasic)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(BasicError::NotBasic);
    }
    let raw = STANDARD
        .decode(value.trim())
        .map_err(|_| BasicError::NotBase64)?;
    let text = String::from_utf8_lossy(&raw);
    let (id, secret) = text.split_once(':').ok_or(BasicError::NoColon)?;
    Ok((form_decode(id), form_decode(secret)))
}

fn form_decode(value: &str) -> String {
    form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6749 §2.3.1 test vectors: (id, secret, the text that is base64-encoded).
    const VECTORS: &[(&str, &str, &str)] = &[
        ("plain-client", "s3cret", "plain-client:s3cret"),
        (
            "client:with:colons",
            "pa:ss",
            "client%3Awith%3Acolons:pa%3Ass",
        ),
        ("percent%client", "100%sure", "percent%25client:100%25sure"),
        ("space client", "my secret", "space+client:my+secret"),
        ("plus+client", "a+b", "plus%2Bclient:a%2Bb"),
        ("klïent", "sécret€", "kl%C3%AFent:s%C3%A9cret%E2%82%AC"),
        ("amp&eq=", "slash/q?", "amp%26eq%3D:slash%2Fq%3F"),
    ];

    #[test]
    fn basic_header_form_encodes_before_base64() {
        for (id, secret, user_pass) in VECTORS {
            let header = ClientCredentials::new(*id, *secret).basic_authorization();
            assert_eq!(
                header,
                format!("Basic {}", STANDARD.encode(user_pass)),
                "{id}"
            );
        }
    }

    #[test]
    fn decode_basic_round_trips_every_vector() {
        for (id, secret, _) in VECTORS {
            let header = ClientCredentials::new(*id, *secret).basic_authorization();
            assert_eq!(
                decode_basic(&header),
                Ok((id.to_string(), secret.to_string()))
            );
        }
    }

    #[test]
    fn decode_basic_refuses_malformed_headers() {
        assert_eq!(decode_basic("Bearer abc"), Err(BasicError::NotBasic));
        assert_eq!(decode_basic("Basic !!!"), Err(BasicError::NotBase64));
        let no_colon = format!("Basic {}", STANDARD.encode("nocolon"));
        assert_eq!(decode_basic(&no_colon), Err(BasicError::NoColon));
        assert_eq!(decode_basic("basic dTpw"), Ok(("u".into(), "p".into())));
    }

    #[test]
    fn secret_debug_never_shows_the_value() {
        let creds = ClientCredentials::new("id", "very-secret-value");
        assert!(!format!("{creds:?}").contains("very-secret-value"));
    }
}
