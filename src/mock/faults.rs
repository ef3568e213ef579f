//! Ways the mock can misbehave on purpose.
//!
//! A conformance tool has to survive the servers it meets, so the mock can be
//! told to answer the token endpoint badly. Each fault is one scenario's
//! arrangement; a conforming mock has none. [`ServerFault`] is the table of
//! one rule-breaking fault per server check.

use crate::checks::Check;
use crate::checks::catalogue::*;

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

/// The conformance fault table: for every server check, one way a server
/// breaks exactly that rule. Switched on for a run (or by a scenario step
/// "Given the server <words>"), the mock breaks that one rule and otherwise
/// conforms, so the fault-proof scenarios can show that the suite reports
/// exactly that check as failed.
///
/// This is the one place that pairs checks with their faults: [`ServerFault::ALL`]
/// lists them, [`ServerFault::check`] names the check each one breaks and
/// [`ServerFault::words`] is how Gherkin says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServerFault {
    // Token endpoint.
    IssuesTokensForGet,
    AcceptsCredentialsInQuery,
    OmitsNoStore,
    OmitsPragma,
    TokenAsText,
    OmitsTokenType,
    TokenTypeMac,
    ExpiresInAsString,
    AcceptsWrongSecret,
    BearerChallengeAfterBasic,
    ErrorsWithStatus500,
    ErrorsAsHtml,
    QuoteInErrorDescription,
    MissingGrantTypeAsUnsupported,
    WrongSecretAsUnauthorizedClient,
    UnknownCodeAsInvalidRequest,
    UnknownGrantTypeAsInvalidRequest,
    BadScopeAsInvalidRequest,
    GrantsUnknownScope,
    SaysExpiresIn7200,
    ExpiresTokensAfter30Minutes,
    // Authorization endpoint.
    RedirectsToUnregisteredUri,
    AltersState,
    DenialAsServerError,
    DropsStateOnError,
    // Code exchange.
    AcceptsReusedCode,
    KeepsTokensOfReusedCode,
    AcceptsCodeOfAnotherClient,
    IgnoresRedirectUriAtExchange,
    AcceptsUnknownCode,
    IgnoresCodeVerifier,
    // Refresh.
    AcceptsRefreshTokenOfAnotherClient,
    RefreshReturnsSameAccessToken,
    // Protected API.
    NoTokenGets403,
    NoTokenChallengeWithError,
    InvalidTokenWithoutChallenge,
    AcceptsUnknownTokens,
    AcceptsExpiredTokens,
}

impl ServerFault {
    pub const ALL: [ServerFault; 38] = [
        ServerFault::IssuesTokensForGet,
        ServerFault::AcceptsCredentialsInQuery,
        ServerFault::OmitsNoStore,
        ServerFault::OmitsPragma,
        ServerFault::TokenAsText,
        ServerFault::OmitsTokenType,
        ServerFault::TokenTypeMac,
        ServerFault::ExpiresInAsString,
        ServerFault::AcceptsWrongSecret,
        ServerFault::BearerChallengeAfterBasic,
        ServerFault::ErrorsWithStatus500,
        ServerFault::ErrorsAsHtml,
        ServerFault::QuoteInErrorDescription,
        ServerFault::MissingGrantTypeAsUnsupported,
        ServerFault::WrongSecretAsUnauthorizedClient,
        ServerFault::UnknownCodeAsInvalidRequest,
        ServerFault::UnknownGrantTypeAsInvalidRequest,
        ServerFault::BadScopeAsInvalidRequest,
        ServerFault::GrantsUnknownScope,
        ServerFault::SaysExpiresIn7200,
        ServerFault::ExpiresTokensAfter30Minutes,
        ServerFault::RedirectsToUnregisteredUri,
        ServerFault::AltersState,
        ServerFault::DenialAsServerError,
        ServerFault::DropsStateOnError,
        ServerFault::AcceptsReusedCode,
        ServerFault::KeepsTokensOfReusedCode,
        ServerFault::AcceptsCodeOfAnotherClient,
        ServerFault::IgnoresRedirectUriAtExchange,
        ServerFault::AcceptsUnknownCode,
        ServerFault::IgnoresCodeVerifier,
        ServerFault::AcceptsRefreshTokenOfAnotherClient,
        ServerFault::RefreshReturnsSameAccessToken,
        ServerFault::NoTokenGets403,
        ServerFault::NoTokenChallengeWithError,
        ServerFault::InvalidTokenWithoutChallenge,
        ServerFault::AcceptsUnknownTokens,
        ServerFault::AcceptsExpiredTokens,
    ];

    /// The check this fault breaks, and only it.
    pub fn check(self) -> &'static Check {
        use ServerFault::*;
        match self {
            IssuesTokensForGet => &TOKEN_POST_ONLY,
            AcceptsCredentialsInQuery => &TOKEN_NO_CREDENTIALS_IN_QUERY,
            OmitsNoStore => &RESP_NO_STORE,
            OmitsPragma => &RESP_PRAGMA,
            TokenAsText => &RESP_JSON,
            OmitsTokenType => &RESP_TOKEN_TYPE,
            TokenTypeMac => &RESP_TOKEN_TYPE_BEARER,
            ExpiresInAsString => &RESP_EXPIRES_IN,
            AcceptsWrongSecret => &TOKEN_REFUSES_WRONG_SECRET,
            BearerChallengeAfterBasic => &ERR_WWW_AUTHENTICATE,
            ErrorsWithStatus500 => &ERR_STATUS,
            ErrorsAsHtml => &ERR_JSON,
            QuoteInErrorDescription => &ERR_CHARSET,
            MissingGrantTypeAsUnsupported => &ERR_CODE_INVALID_REQUEST,
            WrongSecretAsUnauthorizedClient => &ERR_CODE_INVALID_CLIENT,
            UnknownCodeAsInvalidRequest => &ERR_CODE_INVALID_GRANT,
            UnknownGrantTypeAsInvalidRequest => &ERR_CODE_UNSUPPORTED_GRANT_TYPE,
            BadScopeAsInvalidRequest => &ERR_CODE_INVALID_SCOPE,
            GrantsUnknownScope => &TOKEN_REFUSES_BAD_SCOPE,
            SaysExpiresIn7200 => &TOKEN_LIFETIME_DOCUMENTED,
            ExpiresTokensAfter30Minutes => &TOKEN_LIFETIME_HOLDS,
            RedirectsToUnregisteredUri => &AUTHZ_UNREGISTERED_REDIRECT,
            AltersState => &AUTHZ_STATE_ECHOED,
            DenialAsServerError => &AUTHZ_DENIAL_ACCESS_DENIED,
            DropsStateOnError => &AUTHZ_ERROR_STATE_ECHOED,
            AcceptsReusedCode => &CODE_SINGLE_USE,
            KeepsTokensOfReusedCode => &CODE_REUSE_REVOKES,
            AcceptsCodeOfAnotherClient => &CODE_BOUND_TO_CLIENT,
            IgnoresRedirectUriAtExchange => &CODE_BOUND_TO_REDIRECT_URI,
            AcceptsUnknownCode => &CODE_UNKNOWN_REFUSED,
            IgnoresCodeVerifier => &PKCE_VERIFIER_CHECKED,
            AcceptsRefreshTokenOfAnotherClient => &REFRESH_BOUND_TO_CLIENT,
            RefreshReturnsSameAccessToken => &REFRESH_NEW_ACCESS_TOKEN,
            NoTokenGets403 => &API_NO_TOKEN_401,
            NoTokenChallengeWithError => &API_NO_TOKEN_NO_ERROR,
            InvalidTokenWithoutChallenge => &API_INVALID_TOKEN,
            AcceptsUnknownTokens => &API_REFUSES_UNKNOWN_TOKEN,
            AcceptsExpiredTokens => &API_REFUSES_EXPIRED_TOKEN,
        }
    }

    /// How Gherkin says it, after "Given the server ".
    pub fn words(self) -> &'static str {
        use ServerFault::*;
        match self {
            IssuesTokensForGet => "issues tokens for GET requests",
            AcceptsCredentialsInQuery => "accepts client credentials in the query string",
            OmitsNoStore => "sends tokens without Cache-Control: no-store",
            OmitsPragma => "sends tokens without Pragma: no-cache",
            TokenAsText => "sends tokens as text/plain",
            OmitsTokenType => "leaves token_type out",
            TokenTypeMac => "says token_type is mac",
            ExpiresInAsString => "sends expires_in as a string",
            AcceptsWrongSecret => "accepts a wrong client secret",
            BearerChallengeAfterBasic => "answers a failed Basic login with a Bearer challenge",
            ErrorsWithStatus500 => "answers token errors with status 500",
            ErrorsAsHtml => "answers token errors with an HTML page",
            QuoteInErrorDescription => "puts a double quote in error_description",
            MissingGrantTypeAsUnsupported => {
                "answers a missing grant_type with unsupported_grant_type"
            }
            WrongSecretAsUnauthorizedClient => "answers a wrong secret with unauthorized_client",
            UnknownCodeAsInvalidRequest => "answers an unknown code with invalid_request",
            UnknownGrantTypeAsInvalidRequest => {
                "answers an unknown grant type with invalid_request"
            }
            BadScopeAsInvalidRequest => "answers an unknown scope with invalid_request",
            GrantsUnknownScope => "grants scopes the client was not given",
            SaysExpiresIn7200 => "says expires_in is 7200",
            ExpiresTokensAfter30Minutes => "expires access tokens after 30 minutes",
            RedirectsToUnregisteredUri => "redirects to unregistered redirect URIs",
            AltersState => "does not echo state",
            DenialAsServerError => "answers a denial with server_error",
            DropsStateOnError => "drops state from error redirects",
            AcceptsReusedCode => "accepts a code twice",
            KeepsTokensOfReusedCode => "keeps the tokens of a reused code",
            AcceptsCodeOfAnotherClient => "accepts a code from another client",
            IgnoresRedirectUriAtExchange => "ignores redirect_uri at the code exchange",
            AcceptsUnknownCode => "accepts codes it never issued",
            IgnoresCodeVerifier => "ignores the code verifier",
            AcceptsRefreshTokenOfAnotherClient => "accepts a refresh token from another client",
            RefreshReturnsSameAccessToken => "answers a refresh with the same access token",
            NoTokenGets403 => "answers a request without a token with 403",
            NoTokenChallengeWithError => {
                "puts an error code in the challenge to a request without a token"
            }
            InvalidTokenWithoutChallenge => {
                "refuses invalid tokens without a WWW-Authenticate challenge"
            }
            AcceptsUnknownTokens => "accepts tokens it never issued",
            AcceptsExpiredTokens => "accepts expired tokens",
        }
    }

    /// The fault whose [`Self::words`] these are.
    pub fn from_words(words: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.words() == words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_fault_breaks_a_different_check_and_has_its_own_words() {
        let checks: HashSet<&str> = ServerFault::ALL.iter().map(|f| f.check().id).collect();
        assert_eq!(checks.len(), ServerFault::ALL.len());
        let words: HashSet<&str> = ServerFault::ALL.iter().map(|f| f.words()).collect();
        assert_eq!(words.len(), ServerFault::ALL.len());
        for f in ServerFault::ALL {
            assert_eq!(ServerFault::from_words(f.words()), Some(f));
        }
    }
}
