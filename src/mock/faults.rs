//! Ways the mock can misbehave on purpose.
//!
//! A conformance tool has to survive the servers it meets, so the mock can be
//! told to answer the token endpoint badly. Each fault is one scenario's
//! arrangement; a conforming mock has none.

/// A bad answer the token endpoint gives instead of its normal one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenEndpointFault {
    /// 500 with an HTML error page (that echoes the request body, as debug
    /// pages do, so redaction is exercised).
    HtmlErrorPage,
    /// 200 with a text body.
    NotJson,
    /// 200 with a JSON body cut off in the middle.
    TruncatedJson,
    /// 500 with an empty body.
    EmptyServerError,
    /// 200 with a JSON body of this many bytes.
    HugeBody(usize),
    /// Answers only after [`super::SLOW_DELAY_MS`] (served by a delayed route).
    Slow,
}

/// A bad access token the token endpoint issues instead of a good one, for
/// the validation scenarios (seed 003: validate tokens before use). Each is
/// a real attack or a real server bug a validating client must refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessTokenFault {
    /// `alg: none` and no signature (RFC 8725 §3.1).
    AlgNone,
    /// HS256, keyed with the RSA *public* key PEM: the key confusion attack
    /// on verifiers that let the token choose the algorithm (RFC 8725 §3.1).
    Hs256WithPublicKey,
    /// Signed by the real key but naming a `kid` the JWKS does not hold.
    UnknownKid,
    /// `aud` names another API than the one requested (RFC 7519 §4.1.3).
    WrongAudience,
    /// `iss` is not the provider (RFC 7519 §4.1.1).
    WrongIssuer,
    /// `exp` an hour in the past (RFC 7519 §4.1.4).
    Expired,
    /// `nbf` an hour in the future (RFC 7519 §4.1.5).
    NotYetValid,
    /// Claims changed after signing (scope escalated): the signature no
    /// longer matches (RFC 7515 §5.2).
    TamperedClaims,
    /// `exp` says the token lives this many seconds, while `expires_in`
    /// still says the profile's lifetime; the token really expires at `exp`.
    /// Tells apart clients that read `exp` from those that trust `expires_in`.
    ExpDisagrees { exp_after_s: u64 },
}

/// A way the protected API misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiFault {
    /// Every token, even a fresh one, is answered 401 `invalid_token`: a
    /// client that renews on 401 must not loop.
    RejectEveryToken,
    /// Every request is answered 403 `insufficient_scope` (RFC 6750 §3.1):
    /// a refusal that a new token would not change, so not retried.
    ForbidEveryRequest,
}
