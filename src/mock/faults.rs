//! Ways the mock can misbehave on purpose.
//!
//! A conformance tool has to survive the servers it meets, so the mock can be
//! told to answer the token endpoint badly. Each fault is one scenario's
//! arrangement; a conforming mock has none. [`ServerFault`] is the table of
//! one rule-breaking fault per server check, declared once in the
//! `server_faults!` table below: the one place that pairs checks with their
//! faults and the words that switch them on.

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
    /// Answers only after [`SLOW_DELAY_MS`] (served by a delayed route).
    Slow,
}

/// How long the slow token endpoint waits: longer than any timeout a
/// scenario sets.
pub const SLOW_DELAY_MS: u64 = 3_000;

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

/// Declares the conformance fault table once: each row is a fault, the
/// catalogue check it breaks and how Gherkin says it (after "Given the
/// server "). Everything else about a fault is generated from its row, so a
/// fault cannot lack a check or words, and the step needs no list of its own.
macro_rules! server_faults {
    ($( $fault:ident => $check:ident, $words:literal; )*) => {
        /// The conformance fault table: for every server check, one way a
        /// server breaks exactly that rule. Switched on for a run (or by a
        /// scenario step `Given the server <words>`), the mock breaks that
        /// one rule and otherwise conforms, so the fault-proof scenarios can
        /// show that the suite reports exactly that check as failed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ServerFault {
            $(
                #[doc = concat!("The server ", $words, ".")]
                $fault,
            )*
        }

        impl ServerFault {
            /// Every fault, in table order.
            pub const ALL: [ServerFault; [$(stringify!($fault)),*].len()] =
                [$(ServerFault::$fault),*];

            /// The check this fault breaks, and only it.
            pub fn check(self) -> &'static Check {
                match self {
                    $(ServerFault::$fault => &$check,)*
                }
            }

            /// How Gherkin says it, after "Given the server ".
            pub fn words(self) -> &'static str {
                match self {
                    $(ServerFault::$fault => $words,)*
                }
            }

            /// The fault whose [`Self::words`] these are.
            pub fn from_words(words: &str) -> Option<Self> {
                match words {
                    $($words => Some(ServerFault::$fault),)*
                    _ => None,
                }
            }
        }
    };
}

server_faults! {
    // Token endpoint.
    IssuesTokensForGet => TOKEN_POST_ONLY,
        "issues tokens for GET requests";
    AcceptsCredentialsInQuery => TOKEN_NO_CREDENTIALS_IN_QUERY,
        "accepts client credentials in the query string";
    AnswersTokensWith201 => RESP_STATUS_200,
        "answers token requests with 201 Created";
    LeavesAccessTokenOut => RESP_ACCESS_TOKEN,
        "leaves access_token out";
    CommaInAccessTokens => RESP_ACCESS_TOKEN_B64TOKEN,
        "issues access tokens with a comma in them";
    RefusesUnknownParameters => TOKEN_IGNORES_UNKNOWN_PARAMS,
        "refuses token request parameters it does not know";
    KeepsEmptyParameters => TOKEN_EMPTY_PARAM_OMITTED,
        "reads a parameter without a value as given";
    OmitsNoStore => RESP_NO_STORE,
        "sends tokens without Cache-Control: no-store";
    OmitsPragma => RESP_PRAGMA,
        "sends tokens without Pragma: no-cache";
    TokenAsText => RESP_JSON,
        "sends tokens as text/plain";
    OmitsTokenType => RESP_TOKEN_TYPE,
        "leaves token_type out";
    TokenTypeMac => RESP_TOKEN_TYPE_BEARER,
        "says token_type is mac";
    ExpiresInAsString => RESP_EXPIRES_IN,
        "sends expires_in as a string";
    IssuesClientCredentialsForClientIdAlone => CLIENT_CREDENTIALS_CONFIDENTIAL_ONLY,
        "issues client credentials tokens for a client_id alone";
    IssuesTokensWithoutClientAuthentication => TOKEN_REFUSES_UNAUTHENTICATED,
        "issues tokens to requests without client authentication";
    IssuesTokensForUnregisteredGrants => ERR_CODE_UNAUTHORIZED_CLIENT,
        "issues tokens for grants the client is not registered for";
    AcceptsWrongSecret => TOKEN_REFUSES_WRONG_SECRET,
        "accepts a wrong client secret";
    BearerChallengeAfterBasic => ERR_WWW_AUTHENTICATE,
        "answers a failed Basic login with a Bearer challenge";
    ErrorsWithStatus500 => ERR_STATUS,
        "answers token errors other than invalid_client with status 500";
    ErrorsAsHtml => ERR_JSON,
        "answers token errors with an HTML page";
    QuoteInErrorDescription => ERR_CHARSET,
        "puts a double quote in error_description";
    SpaceInErrorUri => ERR_ERROR_URI,
        "puts a space in the error_uri of its token errors";
    MissingGrantTypeAsUnsupported => ERR_CODE_INVALID_REQUEST,
        "answers a missing grant_type with unsupported_grant_type";
    WrongSecretAsUnauthorizedClient => ERR_CODE_INVALID_CLIENT,
        "answers a wrong secret with unauthorized_client";
    UnknownCodeAsInvalidRequest => ERR_CODE_INVALID_GRANT,
        "answers an unknown code with invalid_request";
    UnknownGrantTypeAsInvalidRequest => ERR_CODE_UNSUPPORTED_GRANT_TYPE,
        "answers an unknown grant type with invalid_request";
    BadScopeAsInvalidRequest => ERR_CODE_INVALID_SCOPE,
        "answers an unknown scope with invalid_request";
    NarrowsScopeSilently => RESP_SCOPE,
        "narrows a requested scope without saying so";
    GrantsUnknownScope => TOKEN_REFUSES_BAD_SCOPE,
        "grants scopes the client was not given";
    TakesFirstOfRepeatedParameter => TOKEN_REFUSES_REPEATED_PARAM,
        "takes the first of a repeated token request parameter";
    AcceptsTwoAuthMethods => TOKEN_REFUSES_TWO_AUTH_METHODS,
        "accepts HTTP Basic and body credentials in one token request";
    IssuesTokensToUnknownClients => TOKEN_REFUSES_UNKNOWN_CLIENT,
        "issues tokens to client ids it never issued";
    IssuesTokensForPasswordGrant => TOKEN_REFUSES_PASSWORD_GRANT,
        "issues tokens for the password grant";
    BasicOnlyWhereDocumented => TOKEN_SUPPORTS_BASIC,
        "accepts HTTP Basic only where its guide documents it";
    OmittedScopeAsInvalidRequest => TOKEN_OMITTED_SCOPE,
        "answers a request without scope from a client without a default scope with invalid_request";
    RefusesEveryRequestWithoutScope => TOKEN_OMITTED_SCOPE,
        "answers every client credentials request without scope with an empty 403";
    SaysExpiresIn7200 => TOKEN_LIFETIME_DOCUMENTED,
        "says expires_in is 7200";
    ExpiresTokensAfter30Minutes => TOKEN_LIFETIME_HOLDS,
        "expires access tokens after 30 minutes";

    // Authorization endpoint.
    RedirectsToUnregisteredUri => AUTHZ_UNREGISTERED_REDIRECT,
        "redirects to unregistered redirect URIs";
    MatchesRedirectUriByPrefix => AUTHZ_REDIRECT_EXACT_MATCH,
        "accepts any redirect URI that starts with a registered one";
    IgnoresRedirectUriFragment => AUTHZ_REDIRECT_FRAGMENT,
        "compares redirect URIs without their fragment";
    AllowsHttpRedirectUri => AUTHZ_HTTP_REDIRECT,
        "allows an http redirect URI on a host that is not loopback";
    RedirectsUnknownClient => AUTHZ_UNKNOWN_CLIENT_NOT_REDIRECTED,
        "redirects a request from an unknown client with an error";
    RedirectsWithoutClientId => AUTHZ_MISSING_CLIENT_NOT_REDIRECTED,
        "redirects a request without client_id with an error";
    ServesAuthorizationByPostOnly => AUTHORIZE_GET_SUPPORTED,
        "serves its authorization endpoint to POST requests only";
    RefusesUnknownAuthorizationParameters => AUTHZ_IGNORES_UNKNOWN_PARAMS,
        "refuses authorization request parameters it does not know";
    ResponseTypeErrorPage => AUTHZ_RESPONSE_TYPE_ERROR,
        "shows an error page for a response type it does not support";
    RepeatsStateInRedirects => SERVER_PARAMS_ONCE,
        "names state twice in its code redirects";
    AltersState => AUTHZ_STATE_ECHOED,
        "does not echo state";
    CodeInFragment => AUTHZ_RESPONSE_IN_QUERY,
        "sends the code in the fragment of the redirect URI";
    DenialAsServerError => AUTHZ_DENIAL_ACCESS_DENIED,
        "answers a denial with server_error";
    DropsStateOnError => AUTHZ_ERROR_STATE_ECHOED,
        "drops state from error redirects";
    QuoteInAuthorizationError => AUTHZ_ERROR_CHARSET,
        "puts a double quote in the error_description of its error redirects";
    ConsentWithoutCsrfProtection => AUTHZ_CONSENT_CSRF,
        "approves a consent POST from another site";
    ConsentFormWithoutCsrfToken => AUTHZ_CONSENT_CSRF,
        "serves a consent form without a CSRF token and approves it from another site";
    PagesWithoutFrameProtection => AUTHZ_PAGES_FRAME_PROTECTED,
        "lets any site frame its login and consent pages";
    PagesWithoutCsp => AUTHZ_PAGES_CSP,
        "protects its login and consent pages against framing with X-Frame-Options alone";
    AuthorizationEndpointAllowsCors => AUTHZ_NO_CORS,
        "answers cross-origin requests to its authorization endpoint with Access-Control-Allow-Origin: *";
    AcceptsAnyPassword => AUTHZ_LOGIN_VERIFIES_PASSWORD,
        "accepts any password";
    LoginAnswered307 => AUTHZ_LOGIN_NOT_FORWARDED,
        "answers its login form with a 307 redirect";
    IgnoresUnknownChallengeMethod => PKCE_UNSUPPORTED_METHOD,
        "ignores a code_challenge_method it does not know";
    PutsChallengeInCode => PKCE_CHALLENGE_NOT_EXPOSED,
        "writes the code challenge into its codes";
    IssuesCodeWithoutRequiredChallenge => PKCE_REQUIRED_CHALLENGE_MISSING,
        "requires PKCE but issues a code to a request without code_challenge";
    DropsIssOnError => AUTHZ_RESPONSE_ISS,
        "leaves iss out of its error redirects";

    // Code exchange.
    AcceptsReusedCode => CODE_SINGLE_USE,
        "accepts a code twice";
    KeepsTokensOfReusedCode => CODE_REUSE_REVOKES,
        "keeps the tokens of a reused code";
    AcceptsCodeOfAnotherClient => CODE_BOUND_TO_CLIENT,
        "accepts a code from another client";
    IgnoresRedirectUriAtExchange => CODE_BOUND_TO_REDIRECT_URI,
        "ignores redirect_uri at the code exchange";
    AcceptsUnknownCode => CODE_UNKNOWN_REFUSED,
        "accepts codes it never issued";
    AcceptsExchangeWithoutRedirectUri => CODE_REDIRECT_URI_REQUIRED,
        "accepts a code exchange without redirect_uri";
    RedeemsCodeWithoutSecret => CODE_REQUIRES_CLIENT_AUTH,
        "redeems a code for a client that sends no secret";
    AcceptsExpiredCodes => CODE_EXPIRES,
        "accepts codes after they expire";
    AcceptsVerifierWithoutChallenge => PKCE_DOWNGRADE_REFUSED,
        "accepts a code verifier for a code issued without a challenge";
    ComparesVerifierAsText => PKCE_METHOD_ENFORCED,
        "accepts the challenge itself as the code verifier";
    IgnoresCodeVerifier => PKCE_VERIFIER_CHECKED,
        "ignores a missing code verifier";
    RefusesMatchingVerifier => PKCE_MATCHING_VERIFIER,
        "refuses the code verifier that matches the challenge";

    // Refresh.
    RefreshesWithoutSecret => REFRESH_REQUIRES_CLIENT_AUTH,
        "refreshes for a client that sends no secret";
    WidensScopeOnRefresh => REFRESH_SCOPE_NOT_WIDENED,
        "widens the scope on refresh";
    AcceptsUnknownRefreshToken => REFRESH_UNKNOWN_REFUSED,
        "accepts refresh tokens it never issued";
    AcceptsRefreshTokenOfAnotherClient => REFRESH_BOUND_TO_CLIENT,
        "accepts a refresh token from another client";
    RefreshReturnsSameAccessToken => REFRESH_NEW_ACCESS_TOKEN,
        "answers a refresh with the same access token";
    NarrowsRotatedRefreshToken => REFRESH_ROTATED_SCOPE_IDENTICAL,
        "gives a rotated refresh token the scope its refresh asked for";
    StopsRotatingRefreshTokens => REFRESH_ROTATES,
        "stops rotating refresh tokens";
    AcceptsRotatedRefreshToken => REFRESH_ROTATED_OLD_REFUSED,
        "accepts a refresh token it rotated";
    KeepsActiveRefreshTokenOnReuse => REFRESH_REUSE_REVOKES_ACTIVE,
        "keeps the active refresh token when a rotated one is reused";

    // Token revocation (RFC 7009).
    KeepsRevokedRefreshTokens => REVOCATION_REFRESH_TOKEN,
        "keeps refresh tokens it was asked to revoke";
    KeepsRevokedAccessTokens => REVOCATION_ACCESS_TOKEN,
        "keeps access tokens it was asked to revoke";
    KeepsAccessTokensOfRevokedGrant => REVOCATION_REVOKES_GRANT_ACCESS_TOKENS,
        "keeps the access tokens of a revoked refresh token's grant";
    RefusesRevocationOfUnknownTokens => REVOCATION_INVALID_TOKEN_200,
        "answers the revocation of a token it never issued with 400";
    RevocationSearchesOnlyHintedType => REVOCATION_HINT_SEARCH_EXTENDED,
        "looks a token to revoke up only as the type its hint names";
    RefusesUnknownTokenTypeHint => REVOCATION_UNKNOWN_HINT_IGNORED,
        "refuses a token_type_hint it does not know";
    RevokesForWrongSecret => REVOCATION_AUTHENTICATES_CLIENT,
        "revokes tokens for a wrong client secret";
    RevokesTokensOfOtherClients => REVOCATION_BOUND_TO_CLIENT,
        "revokes the tokens of another client";

    // Token introspection (RFC 7662).
    IntrospectionActiveAsString => INTROSPECTION_ACTIVE,
        "answers active as a string in its introspection responses";
    IntrospectionNamesAnotherClient => INTROSPECTION_MEMBERS,
        "names another client_id in its introspection responses";
    IntrospectsRevokedTokensAsActive => INTROSPECTION_INACTIVE,
        "introspects revoked tokens as active";
    SaysWhyTokenIsInactive => INTROSPECTION_INACTIVE_NO_MEMBERS,
        "says why a token is inactive";
    IntrospectsForAnybody => INTROSPECTION_REQUIRES_AUTH,
        "introspects tokens for callers that do not authenticate";
    IntrospectionAsText => INTROSPECTION_JSON,
        "sends introspection responses as text/plain";

    // Protected API.
    SchemeCaseSensitive => API_ACCEPTS_TOKEN,
        "refuses a token whose scheme is not spelled Bearer";
    RepeatsRealm => API_ATTRIBUTES_ONCE,
        "names the realm twice in its challenges";
    BareBearerChallenge => API_CHALLENGE_AUTH_PARAM,
        "answers a request without a token with a bare Bearer challenge";
    QuoteInChallengeDescription => API_CHALLENGE_CHARSET,
        "puts a double quote in the error_description of its Bearer challenges";
    NoTokenWithoutChallenge => API_NO_TOKEN_CHALLENGE,
        "answers a request without a token with no WWW-Authenticate challenge";
    NoTokenGets403 => API_NO_TOKEN_401,
        "answers a request without a token with 403";
    NoTokenChallengeWithError => API_NO_TOKEN_NO_ERROR,
        "puts an error code in the challenge to a request without a token";
    InvalidTokenWithoutChallenge => API_INVALID_TOKEN_CHALLENGE,
        "refuses invalid tokens without a WWW-Authenticate challenge";
    InvalidTokenWithoutErrorCode => API_INVALID_TOKEN,
        "refuses invalid tokens with a challenge that has no error code";
    AcceptsUnknownTokens => API_REFUSES_UNKNOWN_TOKEN,
        "accepts tokens it never issued";
    IgnoresTokenScope => API_ENFORCES_SCOPE,
        "accepts tokens without the scope a resource needs";
    MissingScopeAsInvalidToken => API_INSUFFICIENT_SCOPE,
        "answers a token without the needed scope with 401 invalid_token";
    AcceptsExpiredTokens => API_REFUSES_EXPIRED_TOKEN,
        "accepts expired tokens";
    ComparesTokenPrefix => API_REFUSES_TAMPERED_TOKEN,
        "accepts a token whose first half matches an issued one";

    // Authorization server metadata (RFC 8414).
    MetadataAsHtml => METADATA_RESPONSE,
        "serves its metadata as text/html";
    MetadataNamesAnotherIssuer => METADATA_ISSUER_IDENTICAL,
        "names another issuer in its metadata";
    MetadataWithoutResponseTypes => METADATA_REQUIRED_MEMBERS,
        "leaves response_types_supported out of its metadata";
    IssuerWithQuery => METADATA_ISSUER_URL,
        "has an issuer with a query component";
    MetadataListsImplicitNotClientCredentials => METADATA_GRANT_TYPES_ENFORCED,
        "lists implicit but not client_credentials in its metadata while issuing client credentials tokens";
    MetadataListsGrantsAsResponseTypes => METADATA_RESPONSE_TYPES_VALID,
        "lists grant types under response_types_supported";
    MetadataListsPlainItRefuses => METADATA_PKCE_METHODS_ENFORCED,
        "lists the plain code_challenge_method it refuses";
    MetadataLeavesOutBasic => METADATA_AUTH_METHODS_ENFORCED,
        "leaves client_secret_basic out of its metadata while accepting it";
    MetadataListsScopeItRefuses => METADATA_SCOPES_ENFORCED,
        "lists a scope in its metadata that it refuses as invalid_scope";
    MetadataListsTokenItRefuses => METADATA_IMPLICIT_ENFORCED,
        "lists the token response type it refuses";
    MetadataListsTokenEndpointElsewhere => METADATA_ENDPOINTS_ANSWER,
        "lists a token endpoint in its metadata that answers 404";

    // JWT access tokens (RFC 9068).
    JwtTypedAsJwt => JWT_AT_TYP,
        "types its JWT access tokens as JWT";
    JwtWithoutJti => JWT_AT_CLAIMS,
        "leaves jti out of its JWT access tokens";
    JwtSignedWithUnpublishedKey => JWT_AT_SIGNED,
        "signs its JWT access tokens under a key id its JWKS does not hold";
    JwtFromAnotherIssuer => JWT_AT_ISS,
        "names another issuer in its JWT access tokens";
    JwtForAnotherAudience => JWT_AT_AUD,
        "names another audience in its JWT access tokens";
}

impl ServerFault {
    /// The built-in profile whose catalogue run proves this fault: 401go,
    /// but for a fault only a profile that declares what it needs can show
    /// (a server that requires PKCE: rfc6749).
    pub fn proof_profile(self) -> &'static str {
        match self {
            // The rotation checks: rfc6749 declares (and its mock does)
            // rotation with reuse detection (RFC 9700 §4.14.2).
            ServerFault::IssuesCodeWithoutRequiredChallenge
            | ServerFault::StopsRotatingRefreshTokens
            | ServerFault::AcceptsRotatedRefreshToken
            | ServerFault::KeepsActiveRefreshTokenOnReuse
            // rfc6749 says its server sends iss (RFC 9207).
            | ServerFault::DropsIssOnError => "rfc6749",
            // The JWT access token checks: a profile whose tokens are JWTs,
            // json-body (whose guide validates no token, so a bad token
            // fails the RFC 9068 check alone) ...
            ServerFault::JwtTypedAsJwt
            | ServerFault::JwtWithoutJti
            | ServerFault::JwtSignedWithUnpublishedKey
            | ServerFault::JwtFromAnotherIssuer => "json-body",
            // ... but for the audience, which json-body names none of.
            ServerFault::JwtForAnotherAudience => "login3",
            _ => "401go",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The checks more than one fault proves, each fault breaking another
    /// clause of the rule: token-endpoint-omitted-scope's "use a default or
    /// fail with invalid_scope" broken by another error code, and by an
    /// empty 403 that is no OAuth error at all; the consent's CSRF
    /// protection by a token the server does not check, and by a form with
    /// no token at all behind a cookie without SameSite.
    const PROVEN_TWICE: [&str; 2] = [
        "authorize-consent-csrf-protected",
        "token-endpoint-omitted-scope",
    ];

    #[test]
    fn every_fault_breaks_a_different_check_and_has_its_own_words() {
        let mut checks: Vec<&str> = ServerFault::ALL.iter().map(|f| f.check().id).collect();
        checks.sort_unstable();
        let twice: Vec<&str> = checks
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        assert_eq!(twice, PROVEN_TWICE);
        let words: HashSet<&str> = ServerFault::ALL.iter().map(|f| f.words()).collect();
        assert_eq!(words.len(), ServerFault::ALL.len());
        for f in ServerFault::ALL {
            assert_eq!(ServerFault::from_words(f.words()), Some(f));
        }
    }
}
