//! A TLS server no client should trust: the check that the client
//! validates the certificate chain (RFC 6750 §5.3).
//!
//! It listens on loopback with a self-signed certificate (for 127.0.0.1
//! and localhost, checked in under `untrusted_tls/`: a fixture no authority
//! signed, so its private key is no secret) and notes whether any request
//! came through. A client that validates the chain stops at the handshake;
//! one that does not sends its request, token and all, and is seen.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const CERT: &[u8] = include_bytes!("untrusted_tls/self_signed_cert.pem");
const KEY: &[u8] = include_bytes!("untrusted_tls/self_signed_key.pem");

/// The running server; stops when dropped.
pub struct UntrustedTlsServer {
    pub url: url::Url,
    reached: Arc<AtomicBool>,
    task: JoinHandle<()>,
}

impl UntrustedTlsServer {
    pub async fn start() -> Result<Self, String> {
        let config = server_config()?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("could not listen on 127.0.0.1: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("no local address: {e}"))?
            .port();
        let reached = Arc::new(AtomicBool::new(false));
        let seen = reached.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    // A client that validates the chain ends here.
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut buf = [0u8; 4096];
                    if matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {
                        seen.store(true, Ordering::SeqCst);
                    }
                    let _ = tls
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                        .await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        let url = url::Url::parse(&format!("https://127.0.0.1:{port}/"))
            .map_err(|e| format!("internal: {e}"))?;
        Ok(Self { url, reached, task })
    }

    /// Whether a request came through a completed handshake.
    pub fn reached(&self) -> bool {
        self.reached.load(Ordering::SeqCst)
    }
}

impl Drop for UntrustedTlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn server_config() -> Result<rustls::ServerConfig, String> {
    let cert = CertificateDer::from_pem_slice(CERT).map_err(|e| format!("fixture cert: {e}"))?;
    let key = PrivateKeyDer::from_pem_slice(KEY).map_err(|e| format!("fixture key: {e}"))?;
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| format!("fixture cert and key: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{HttpRequest, Limits, Transport, TransportError};

    fn get(url: &url::Url) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            url: url.clone(),
            headers: vec![("authorization".into(), "Bearer t".into())],
            body: None,
        }
    }

    #[tokio::test]
    async fn the_suites_transport_stops_at_the_handshake() {
        let server = UntrustedTlsServer::start().await.unwrap();
        let transport = Transport::new(Limits::default()).unwrap();
        let outcome = transport.send(&get(&server.url)).await;
        assert!(
            matches!(outcome, Err(TransportError::Tls { .. })),
            "{outcome:?}"
        );
        assert!(!server.reached());
    }

    #[tokio::test]
    async fn a_transport_that_trusts_anything_gets_through_and_is_seen() {
        let server = UntrustedTlsServer::start().await.unwrap();
        let transport = Transport::accepting_any_certificate(Limits::default()).unwrap();
        let answer = transport.send(&get(&server.url)).await.unwrap();
        assert_eq!(answer.status, 200);
        assert!(server.reached());
    }
}
