//! Secrets and tokens travel only over TLS, or to this machine.
//!
//! RFC 6749 §10.3 and RFC 6750 §5.3: access tokens (and the client's
//! credentials, §2.3.1) are only ever sent over TLS. The suite points at
//! servers its authors never saw, so the client refuses, before a byte
//! leaves, to send a client secret, a password, a code or a token to a
//! plain `http://` URL, unless the host is this machine (loopback: the mock
//! and the local sandboxes) or the profile says plain http is meant
//! (`allow_plain_http = true`, for a test server behind a trusted network).

use super::transport::TransportError;

pub use crate::profile::is_loopback;

/// `Err` when a request carrying secrets must not go to `url`.
pub fn guard(url: &url::Url, allow_plain_http: bool) -> Result<(), TransportError> {
    if url.scheme() == "https" || is_loopback(url) || allow_plain_http {
        return Ok(());
    }
    Err(TransportError::PlainHttp {
        url: format!("{}://{}/", url.scheme(), url.host_str().unwrap_or("?")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        s.parse().unwrap()
    }

    #[test]
    fn only_tls_or_this_machine_gets_secrets() {
        assert!(guard(&url("https://auth.example.test/token"), false).is_ok());
        assert!(guard(&url("http://127.0.0.1:8765/token"), false).is_ok());
        assert!(guard(&url("http://127.9.9.9/token"), false).is_ok());
        assert!(guard(&url("http://localhost:1/token"), false).is_ok());
        assert!(guard(&url("http://[::1]:1/token"), false).is_ok());
        let refused = guard(&url("http://auth.example.test/token"), false).unwrap_err();
        assert!(
            refused.to_string().contains("auth.example.test"),
            "{refused}"
        );
        assert!(guard(&url("http://10.0.0.1/token"), false).is_err());
        assert!(guard(&url("http://auth.example.test/token"), true).is_ok());
    }
}
