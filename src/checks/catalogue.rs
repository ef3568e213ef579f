//! The table of every check: id, requirement level, source and what it asks.
//!
//! Kept in one place so a reviewer can read the whole list, reports can group
//! by source, and a new check cannot be added without a source.

use std::fmt;

/// How strongly the source asks for the behaviour, of the side the check
/// judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Level {
    /// The quoted sentence says "MUST", "MUST NOT", "REQUIRED" or "SHALL"
    /// of the side the check judges.
    Must,
    /// The quoted sentence says "SHOULD", "SHOULD NOT", "RECOMMENDED" or
    /// "NOT RECOMMENDED" of that side.
    Should,
    /// A rule the RFC implies without a keyword for that side: the server
    /// refusing what the client MUST NOT send, the error code §5.2 defines
    /// for a fault, a definition or grammar (a 200 status, a media type, an
    /// ABNF). Reported apart; it binds only a strict run, as SHOULD does.
    Derived,
    /// A statement of a provider's own guide.
    Provider,
}

impl Level {
    /// Every level, strongest first.
    pub const ALL: [Level; 4] = [Level::Must, Level::Should, Level::Derived, Level::Provider];

    /// Whether a failure of a check at this level fails the run: MUST and
    /// guide checks always; SHOULD and derived ones only in a `strict` run
    /// (they are reported either way). The one place that decides it.
    pub fn binds(self, strict: bool) -> bool {
        match self {
            Level::Must | Level::Provider => true,
            Level::Should | Level::Derived => strict,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::Derived => "DERIVED",
            Level::Provider => "GUIDE",
        })
    }
}

/// Whose behaviour a check judges: the suite's own client (proven by a
/// client fault, `checks::client_faults`) or a server (proven by a mock
/// fault, `mock::faults`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Client,
    AuthorizationServer,
    ResourceServer,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Side::Client => "client",
            Side::AuthorizationServer => "authorization server",
            Side::ResourceServer => "resource server",
        })
    }
}

/// A conformance check as data.
#[derive(Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Check {
    pub id: &'static str,
    pub level: Level,
    /// Whose behaviour it judges.
    pub side: Side,
    /// Where the requirement is written, e.g. "RFC 6749 §5.1".
    pub source: &'static str,
    /// The requirement in one sentence.
    pub requirement: &'static str,
}

macro_rules! checks {
    ($( $name:ident = $id:literal, $level:ident, $side:ident, $source:literal, $req:literal; )*) => {
        $( pub static $name: Check = Check { id: $id, level: Level::$level, side: Side::$side, source: $source, requirement: $req }; )*
        /// Every check, in catalogue order.
        pub static ALL: &[&Check] = &[ $( &$name ),* ];
    };
}

checks! {
    // Token requests the client sends.
    REQ_POST = "token-request-post", Must, Client, "RFC 6749 §3.2",
        "The client uses HTTP POST for token requests.";
    REQ_FORM_ENCODED = "token-request-form", Must, Client, "RFC 6749 §4.4.2",
        "Parameters are sent as application/x-www-form-urlencoded in the body.";
    REQ_GRANT_TYPE = "token-request-grant-type", Must, Client, "RFC 6749 §4.4.2",
        "The body carries grant_type.";
    REQ_BASIC_ENCODING = "token-request-basic-encoding", Derived, Client, "RFC 6749 §2.3.1",
        "Basic credentials are form-urlencoded id and secret, joined by ':', base64-encoded (§2.3.1 defines the encoding, with no keyword).";
    REQ_ONE_AUTH_METHOD = "token-request-one-auth-method", Must, Client, "RFC 6749 §2.3",
        "The client uses no more than one authentication method per request.";
    REQ_CLIENT_AUTHENTICATED = "token-request-client-authenticated", Must, Client, "RFC 6749 §3.2.1",
        "A token request carries the client's credentials where the profile says: the Authorization header (Basic), or client_id and client_secret in the body (§2.3.1).";
    REQ_NO_PASSWORD_GRANT = "token-request-no-password-grant", Must, Client, "RFC 9700 §2.4",
        "The client never asks for tokens with the resource owner password credentials grant.";
    REQ_SCOPE = "token-request-scope", Derived, Client, "RFC 6749 §3.3",
        "The scope asked for travels as one scope parameter, its values separated by spaces (§3.3's definition of the parameter, with no keyword).";
    REQ_NO_SECRET_IN_URL = "token-request-no-secret-in-url", Must, Client, "RFC 6749 §2.3.1",
        "Client credentials are never sent in the request URI.";
    REQ_CLIENT_ID = "token-request-client-id", Must, Client, "RFC 6749 §3.2.1",
        "A code exchange sent without an Authorization header carries the client's client_id in the body.";
    CODE_EXCHANGE_PARAMS = "code-exchange-params", Must, Client, "RFC 6749 §4.1.3",
        "The code exchange carries grant_type=authorization_code, the code the redirect carried, and redirect_uri identical to the authorization request's when that one had it.";
    REFRESH_PARAMS = "refresh-request-params", Must, Client, "RFC 6749 §6",
        "A refresh carries grant_type=refresh_token and the refresh token the client holds.";
    REFRESH_SCOPE_WITHIN_GRANT = "refresh-scope-within-grant", Must, Client, "RFC 6749 §6",
        "A refresh asks for no scope beyond the original grant: no scope (the whole grant), or only values the grant has.";
    SERVER_PARAMS_ONCE = "response-params-once", Must, AuthorizationServer, "RFC 6749 §3.1",
        "The authorization server's responses name each parameter once: the redirect back to the client and the JSON token response (also §3.2).";
    CLIENT_PARAMS_ONCE = "client-request-params-once", Must, Client, "RFC 6749 §3.1, §3.2",
        "No parameter appears twice in a request the client sends: a token request's body or query, an authorization request's query.";

    // Successful token responses.
    RESP_STATUS_200 = "token-response-200", Derived, AuthorizationServer, "RFC 6749 §5.1",
        "A successful token response has status 200 (§5.1 describes the response \"with a 200 (OK) status code\", with no keyword).";
    RESP_JSON = "token-response-json", Derived, AuthorizationServer, "RFC 6749 §5.1",
        "The token response uses the application/json media type (§5.1's description of the response, with no keyword).";
    RESP_ACCESS_TOKEN = "token-response-access-token", Must, AuthorizationServer, "RFC 6749 §5.1",
        "The response carries a non-empty access_token string.";
    RESP_TOKEN_TYPE = "token-response-token-type", Must, AuthorizationServer, "RFC 6749 §5.1",
        "The response carries token_type.";
    RESP_TOKEN_TYPE_BEARER = "token-response-bearer", Provider, AuthorizationServer, "seed 000",
        "token_type is Bearer (compared case-insensitively, RFC 6749 §5.1), as the guides document (seeds 000, 002, 003); the suite's client uses only Bearer tokens, and a client MUST NOT use a token type it does not understand (RFC 6749 §7.1).";
    RESP_ACCESS_TOKEN_B64TOKEN = "token-response-access-token-b64token", Derived, AuthorizationServer, "RFC 6750 §2.1",
        "A Bearer access token has the b64token syntax (ALPHA / DIGIT / \"-\" / \".\" / \"_\" / \"~\" / \"+\" / \"/\", then any \"=\"), so it can be sent as `Authorization: Bearer <token>`, the method every resource server MUST support. Derived: the grammar is that of the header the client sends; RFC 6749 §A.12 lets an access token be any VSCHAR.";
    RESP_SCOPE = "token-response-scope", Must, AuthorizationServer, "RFC 6749 §5.1",
        "When the granted scope differs from the one requested, the response says so in `scope` (REQUIRED then; §3.3).";
    RESP_EXPIRES_IN = "token-response-expires-in", Should, AuthorizationServer, "RFC 6749 §5.1",
        "expires_in is present (RECOMMENDED) and a number of seconds.";
    RESP_NO_STORE = "token-response-no-store", Must, AuthorizationServer, "RFC 6749 §5.1",
        "Cache-Control: no-store is sent with tokens.";
    RESP_PRAGMA = "token-response-pragma", Must, AuthorizationServer, "RFC 6749 §5.1",
        "Pragma: no-cache is sent with tokens.";

    // Error responses.
    ERR_STATUS = "error-response-status", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "An error response has status 400 (\"unless specified otherwise\", with no keyword), or 400 or 401 for invalid_client; the 401 a client that used HTTP Basic MUST get is error-response-www-authenticate's.";
    ERR_JSON = "error-response-json", Must, AuthorizationServer, "RFC 6749 §5.2",
        "An error response is a JSON object with an `error` string.";
    // The codes: §5.2 defines which one names which fault ("error REQUIRED.
    // A single ASCII error code from the following"), with no keyword for
    // the choice, so each is derived.
    ERR_CODE = "error-response-code", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "The error code is the one §5.2 defines for the fault (codes without a check of their own).";
    ERR_CODE_INVALID_REQUEST = "error-code-invalid-request", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "A request missing a required parameter (e.g. grant_type), repeating one or using two ways to authenticate the client is refused with invalid_request.";
    ERR_CODE_INVALID_CLIENT = "error-code-invalid-client", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "Failed client authentication (a wrong secret, an unknown client, none at all) is refused with invalid_client.";
    ERR_CODE_INVALID_GRANT = "error-code-invalid-grant", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "An invalid, expired, reused or revoked code or refresh token, or one issued to another client or redirect URI, is refused with invalid_grant.";
    ERR_CODE_UNAUTHORIZED_CLIENT = "error-code-unauthorized-client", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "A client asking for a grant type it is not registered for is refused with unauthorized_client (no keyword asks the server to refuse it at all: this check judges both).";
    ERR_CODE_UNSUPPORTED_GRANT_TYPE = "error-code-unsupported-grant-type", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "A grant type the server does not support is refused with unsupported_grant_type.";
    ERR_CODE_INVALID_SCOPE = "error-code-invalid-scope", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "A scope that is unknown or beyond what the client was given is refused with invalid_scope.";
    ERR_CHARSET = "error-response-charset", Must, AuthorizationServer, "RFC 6749 §5.2",
        "error and error_description use only %x20-21 / %x23-5B / %x5D-7E.";
    ERR_ERROR_URI = "error-response-error-uri", Must, AuthorizationServer, "RFC 6749 §5.2",
        "error_uri, when an error response has one, conforms to the URI-reference syntax and so uses only %x21 / %x23-5B / %x5D-7E.";
    ERR_WWW_AUTHENTICATE = "error-response-www-authenticate", Must, AuthorizationServer, "RFC 6749 §5.2",
        "A client that authenticated with HTTP Basic and failed gets 401 with WWW-Authenticate of the Basic scheme (and any 401 to a Basic request carries that challenge).";

    // The token endpoint refuses what it must (server checks).
    TOKEN_POST_ONLY = "token-endpoint-post-only", Derived, AuthorizationServer, "RFC 6749 §3.2",
        "The token endpoint issues no token for a GET (derived: §3.2's MUST binds the client, token-request-post; no text binds the server).";
    TOKEN_NO_CREDENTIALS_IN_QUERY = "token-endpoint-no-credentials-in-query", Derived, AuthorizationServer, "RFC 6749 §2.3.1",
        "Client credentials in the request URI are not accepted: no token is issued (derived: §2.3.1's MUST NOT binds the client that would put them there, token-request-no-secret-in-url).";
    TOKEN_IGNORES_UNKNOWN_PARAMS = "token-endpoint-ignores-unknown-params", Must, AuthorizationServer, "RFC 6749 §3.2",
        "A parameter the token endpoint does not recognise is ignored: the request is answered as it would be without it (also §3.1).";
    TOKEN_EMPTY_PARAM_OMITTED = "token-endpoint-empty-param-omitted", Must, AuthorizationServer, "RFC 6749 §3.2",
        "A parameter sent without a value is treated as omitted: a request with an empty scope is answered as one without scope (also §3.1).";
    TOKEN_REFUSES_WRONG_SECRET = "token-endpoint-refuses-wrong-secret", Must, AuthorizationServer, "RFC 6749 §3.2.1",
        "A client that authenticates with a wrong secret gets no token.";
    CLIENT_CREDENTIALS_CONFIDENTIAL_ONLY = "client-credentials-confidential-only", Must, AuthorizationServer, "RFC 6749 §4.4.2",
        "A client credentials request from the (confidential) test client that presents only its client_id, no secret, as a public client would, gets no token: \"The authorization server MUST authenticate the client\" (§4.4.2; the grant is for confidential clients, §4.4).";
    TOKEN_REFUSES_UNAUTHENTICATED = "token-endpoint-refuses-unauthenticated-client", Must, AuthorizationServer, "RFC 6749 §3.2.1",
        "A token request with no client authentication at all gets no token (its code, invalid_client, is error-code-invalid-client's to judge).";
    TOKEN_REFUSES_REPEATED_PARAM = "token-endpoint-refuses-repeated-param", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "A token request that repeats a parameter (grant_type twice) gets no token (derived: §3.2's \"MUST NOT be included more than once\" binds the client; §5.2 names the refusal invalid_request, judged by error-code-invalid-request).";
    TOKEN_REFUSES_TWO_AUTH_METHODS = "token-endpoint-refuses-two-auth-methods", Derived, AuthorizationServer, "RFC 6749 §5.2",
        "A token request that authenticates the client by two mechanisms at once (HTTP Basic and client_secret in the body) gets no token (derived: §2.3's MUST NOT binds the client; §5.2 names the refusal invalid_request, judged by error-code-invalid-request).";
    TOKEN_REFUSES_UNKNOWN_CLIENT = "token-endpoint-refuses-unknown-client", Must, AuthorizationServer, "RFC 6749 §4.4.2",
        "A client credentials request from a client id the server never issued gets no token: \"The authorization server MUST authenticate the client\" (its code, invalid_client, is error-code-invalid-client's to judge).";
    TOKEN_REFUSES_PASSWORD_GRANT = "token-endpoint-refuses-password-grant", Must, AuthorizationServer, "RFC 9700 §2.4",
        "The resource owner password credentials grant is not used: a password grant request with the test user's real credentials gets no token.";
    TOKEN_SUPPORTS_BASIC = "token-endpoint-supports-basic", Must, AuthorizationServer, "RFC 6749 §2.3.1",
        "A client issued a password may authenticate with HTTP Basic (id and secret form-urlencoded first), whatever way its guide documents: the request gets a token, as the same request authenticated the documented way did.";
    TOKEN_OMITTED_SCOPE = "token-endpoint-omitted-scope", Must, AuthorizationServer, "RFC 6749 §3.3",
        "A token request without scope is processed with a default scope (a token) or failed with invalid_scope; any other answer fails.";
    TOKEN_REFUSES_BAD_SCOPE = "token-endpoint-refuses-bad-scope", Should, AuthorizationServer, "RFC 6749 §10.3",
        "A scope beyond what the client was given is not granted: the request is refused, or the grant leaves it out and says so in `scope`.";
    TOKEN_LIFETIME_DOCUMENTED = "token-lifetime-documented", Provider, AuthorizationServer, "seed 000",
        "expires_in is the access token lifetime the provider's guide documents (401GO: 3600 s).";
    TOKEN_LIFETIME_HOLDS = "token-lifetime-holds", Provider, AuthorizationServer, "seed 001",
        "An access token works until its documented lifetime ends and not after (401GO: 60 minutes).";

    // The authorization endpoint (server checks).
    AUTHZ_UNREGISTERED_REDIRECT = "authorize-unregistered-redirect-refused", Must, AuthorizationServer, "RFC 6749 §3.1.2.4",
        "An authorization request with an unregistered redirect_uri is never redirected there (§4.1.2.1).";
    AUTHZ_REDIRECT_EXACT_MATCH = "authorize-redirect-uri-exact-match", Must, AuthorizationServer, "RFC 9700 §2.1",
        "A near miss of the registered redirect_uri (extra path segment or query, trailing slash, other case, port, userinfo or host) is never redirected to: exact string matching (also RFC 6749 §3.1.2.3).";
    AUTHZ_REDIRECT_FRAGMENT = "authorize-redirect-uri-fragment-refused", Must, AuthorizationServer, "RFC 6749 §3.1.2",
        "The registered redirect_uri with a fragment added is never redirected to with that fragment: \"The endpoint URI MUST NOT include a fragment component\", and it is not the registered URI (RFC 9700 §2.1 exact matching).";
    AUTHZ_HTTP_REDIRECT = "authorize-http-redirect-uri-refused", Must, AuthorizationServer, "RFC 9700 §2.6",
        "An http redirect URI on a host that is not loopback, which the second registered client tried to register, is never redirected to: \"authorization servers MUST NOT allow redirect URIs that use the http scheme except for native clients that use Loopback Interface Redirection\".";
    AUTHZ_UNKNOWN_CLIENT_NOT_REDIRECTED = "authorize-unknown-client-not-redirected", Must, AuthorizationServer, "RFC 6749 §4.1.2.1",
        "An authorization request with a client_id the server never issued is not redirected to its redirect_uri.";
    AUTHZ_MISSING_CLIENT_NOT_REDIRECTED = "authorize-missing-client-not-redirected", Must, AuthorizationServer, "RFC 6749 §4.1.2.1",
        "An authorization request without a client_id is not redirected to its redirect_uri.";
    AUTHORIZE_GET_SUPPORTED = "authorize-get-supported", Must, AuthorizationServer, "RFC 6749 §3.1",
        "The authorization endpoint serves GET requests: it does not answer the authorization request with 405 or 501.";
    AUTHZ_IGNORES_UNKNOWN_PARAMS = "authorize-ignores-unknown-params", Must, AuthorizationServer, "RFC 6749 §3.1",
        "A parameter the authorization endpoint does not recognise is ignored: an approved request with it gets a code, as the same request without it did.";
    AUTHZ_RESPONSE_TYPE_ERROR = "authorize-response-type-error", Must, AuthorizationServer, "RFC 6749 §3.1.1",
        "An authorization request whose response_type is missing or not understood is answered with a §4.1.2.1 error redirect (invalid_request or unsupported_response_type), never a code or an error page.";
    AUTHZ_STATE_ECHOED = "authorize-state-echoed", Must, AuthorizationServer, "RFC 6749 §4.1.2",
        "The redirect with the code carries the client's state unchanged.";
    AUTHZ_DENIAL_ACCESS_DENIED = "authorize-denial-access-denied", Derived, AuthorizationServer, "RFC 6749 §4.1.2.1",
        "A user's denial redirects to the client with error=access_denied (§4.1.2.1 defines the code and the redirect, with no keyword for the choice).";
    AUTHZ_ERROR_STATE_ECHOED = "authorize-error-state-echoed", Must, AuthorizationServer, "RFC 6749 §4.1.2.1",
        "An error redirect carries the client's state unchanged.";
    AUTHZ_ERROR_CHARSET = "authorize-error-charset", Must, AuthorizationServer, "RFC 6749 §4.1.2.1",
        "An error redirect's error and error_description use only %x20-21 / %x23-5B / %x5D-7E, and its error_uri only %x21 / %x23-5B / %x5D-7E.";
    AUTHZ_CONSENT_CSRF = "authorize-consent-csrf-protected", Must, AuthorizationServer, "RFC 6749 §10.12",
        "An approval posted as another site's page would post it (the consent form's CSRF token left out or made up, a foreign Origin, no SameSite cookie) gives no code: a cross-site request cannot obtain authorization without the owner's consent.";
    AUTHZ_RESPONSE_IN_QUERY = "authorize-response-in-query", Must, AuthorizationServer, "RFC 6749 §4.1.2",
        "The redirect back to the client carries the code (or the error) and the state in the query component of the redirect URI, not in its fragment.";
    AUTHZ_LOGIN_VERIFIES_PASSWORD = "authorize-login-verifies-password", Must, AuthorizationServer, "RFC 6749 §3.1",
        "A login with a wrong password gets no code: the server verifies the resource owner's identity before it authorizes.";
    AUTHZ_PAGES_FRAME_PROTECTED = "authorize-pages-frame-protected", Must, AuthorizationServer, "RFC 9700 §4.16",
        "Every login, consent and error page the authorization server shows is protected against clickjacking: X-Frame-Options (DENY, SAMEORIGIN or ALLOW-FROM), a Content-Security-Policy frame-ancestors that does not allow every origin, or a frame-busting script.";
    AUTHZ_PAGES_CSP = "authorize-pages-csp-frame-ancestors", Should, AuthorizationServer, "RFC 9700 §4.16",
        "Every login, consent and error page protected against framing is protected by a Content-Security-Policy frame-ancestors directive too (CSP level 2), not by X-Frame-Options or a script alone.";
    AUTHZ_NO_CORS = "authorize-no-cors", Must, AuthorizationServer, "RFC 9700 §2.6",
        "The authorization endpoint does not support CORS: neither a preflight nor a GET from another site's Origin gets an Access-Control-Allow-Origin that admits it (that origin or *).";
    AUTHZ_LOGIN_NOT_FORWARDED = "authorize-login-not-forwarded", Must, AuthorizationServer, "RFC 9700 §2.1",
        "The answer to the login form that carries the user's password is never a 307 redirect (RFC 9700 §4.12), nor a 308 to another origin: the password is not forwarded.";
    AUTHZ_RESPONSE_ISS = "authorize-response-iss", Must, AuthorizationServer, "RFC 9207 §2",
        "A server that says it supports RFC 9207 (authorization_response_iss_parameter_supported) names itself in every authorization response, a code or an error: iss is there, once, and identical to its issuer identifier (§2.3).";

    // The code exchange (server checks).
    CODE_SINGLE_USE = "code-single-use", Must, AuthorizationServer, "RFC 6749 §4.1.2",
        "A code used a second time is refused.";
    CODE_REUSE_REVOKES = "code-reuse-revokes-tokens", Should, AuthorizationServer, "RFC 6749 §4.1.2",
        "When a code is reused, the tokens issued from it are revoked (also §10.5).";
    CODE_BOUND_TO_CLIENT = "code-bound-to-client", Must, AuthorizationServer, "RFC 6749 §4.1.3",
        "A code issued to one client is refused when another client presents it.";
    CODE_BOUND_TO_REDIRECT_URI = "code-bound-to-redirect-uri", Must, AuthorizationServer, "RFC 6749 §4.1.3",
        "A code is refused when the exchange names another redirect_uri than the authorization request.";
    CODE_UNKNOWN_REFUSED = "code-unknown-refused", Must, AuthorizationServer, "RFC 6749 §4.1.3",
        "A code the server never issued is refused.";
    CODE_REDIRECT_URI_REQUIRED = "code-redirect-uri-required", Must, AuthorizationServer, "RFC 6749 §4.1.3",
        "An exchange that leaves out redirect_uri, which the authorization request carried, is refused.";
    CODE_REQUIRES_CLIENT_AUTH = "code-requires-client-authentication", Must, AuthorizationServer, "RFC 6749 §4.1.3",
        "A confidential client that sends only its client_id, no secret, cannot redeem a code (also §3.2.1).";
    CODE_EXPIRES = "code-expires", Should, AuthorizationServer, "RFC 6749 §4.1.2",
        "A code exchanged a minute after its lifetime is refused: the profile's documented lifetime, else the 10 minutes §4.1.2 RECOMMENDS as the maximum (its MUST, \"expire shortly\", names no time a test could hold a server to).";
    PKCE_DOWNGRADE_REFUSED = "pkce-downgrade-refused", Must, AuthorizationServer, "RFC 9700 §2.1.1",
        "A code_verifier for a code whose authorization request carried no code_challenge is refused.";
    PKCE_METHOD_ENFORCED = "pkce-method-enforced", Must, AuthorizationServer, "RFC 7636 §4.6",
        "The verifier is checked with the method bound to the code: the S256 challenge itself, sent as the verifier, is refused with invalid_grant (§4.6 asks for the code with its MUST).";
    PKCE_VERIFIER_CHECKED = "pkce-verifier-checked", Must, AuthorizationServer, "RFC 7636 §4.6",
        "When the authorization request carried a code_challenge, a wrong code_verifier is refused with invalid_grant (§4.6 asks for the code with its MUST; a missing one is refused too, RFC 9700 §2.1.1, with invalid_request or invalid_grant).";
    PKCE_UNSUPPORTED_METHOD = "pkce-unsupported-method-refused", Must, AuthorizationServer, "RFC 7636 §4.4.1",
        "An authorization request with a code_challenge_method the server does not support is answered with the error redirect invalid_request (RFC 6749 §4.1.2.1), never a code or an error page.";
    PKCE_MATCHING_VERIFIER = "pkce-matching-verifier-accepted", Must, AuthorizationServer, "RFC 7636 §4.6",
        "A code issued for an S256 challenge, exchanged with the verifier that matches it, gets tokens.";
    PKCE_REQUIRED_CHALLENGE_MISSING = "pkce-required-challenge-missing-refused", Must, AuthorizationServer, "RFC 7636 §4.4.1",
        "A server that requires PKCE of the client answers an authorization request without code_challenge with the error redirect invalid_request (RFC 6749 §4.1.2.1), never a code or an error page.";
    PKCE_CHALLENGE_NOT_EXPOSED = "pkce-challenge-not-exposed", Must, AuthorizationServer, "RFC 7636 §4.4",
        "The redirect with the code does not reveal the code_challenge: no code_challenge parameter, and the code holds it neither in the clear nor base64- or hex-encoded.";

    // Refresh (server checks).
    REFRESH_REQUIRES_CLIENT_AUTH = "refresh-requires-client-authentication", Must, AuthorizationServer, "RFC 6749 §6",
        "A confidential client that sends only its client_id, no secret, cannot refresh (also §3.2.1).";
    REFRESH_SCOPE_NOT_WIDENED = "refresh-scope-not-widened", Derived, AuthorizationServer, "RFC 6749 §6",
        "A refresh asking for a scope the grant did not have is refused (derived: §6's \"MUST NOT include any scope not originally granted\" binds the client's request; its code, invalid_scope, is error-code-invalid-scope's).";
    REFRESH_UNKNOWN_REFUSED = "refresh-unknown-refused", Must, AuthorizationServer, "RFC 6749 §6",
        "A refresh token the server never issued is refused (also §10.4).";
    REFRESH_BOUND_TO_CLIENT = "refresh-bound-to-client", Must, AuthorizationServer, "RFC 6749 §6",
        "A refresh token issued to one client is refused when another client presents it.";
    REFRESH_ROTATED_SCOPE_IDENTICAL = "refresh-rotated-scope-identical", Must, AuthorizationServer, "RFC 6749 §6",
        "A new refresh token has the scope of the one it replaces, even when the refresh that issued it asked for less: refreshing with it for the whole original scope is granted.";
    REFRESH_ROTATES = "refresh-rotates", Derived, AuthorizationServer, "RFC 9700 §4.14.2",
        "A server the profile says rotates refresh tokens (authorization_code.refresh_rotation = \"rotate\") issues a new refresh token with every refresh (§4.14.2 describes rotation, with no keyword).";
    REFRESH_ROTATED_OLD_REFUSED = "refresh-rotated-old-refused", Derived, AuthorizationServer, "RFC 9700 §4.14.2",
        "Once rotated, the previous refresh token is refused (\"The previous refresh token is invalidated\", no keyword; RFC 6749 §6 only lets the server revoke it, so judged only where the profile says the server rotates).";
    REFRESH_REUSE_REVOKES_ACTIVE = "refresh-reuse-revokes-active", Derived, AuthorizationServer, "RFC 9700 §4.14.2",
        "Where the profile says the server detects reuse (authorization_code.refresh_reuse_detection), presenting a rotated refresh token again revokes the active one: the refresh token the client held last is refused afterwards.";
    REFRESH_NEW_ACCESS_TOKEN = "refresh-new-access-token", Provider, AuthorizationServer, "seed 001",
        "A refresh answers with a new access token, not one the client already had (\"A new access token will be issued upon success\").";

    // Token revocation (RFC 7009).
    REVOCATION_REFRESH_TOKEN = "revocation-refresh-token", Must, AuthorizationServer, "RFC 7009 §2",
        "A refresh token the client revokes is answered 200 and refused at the token endpoint afterwards (\"Implementations MUST support the revocation of refresh tokens\"; §2.1: the token cannot be used again).";
    REVOCATION_ACCESS_TOKEN = "revocation-access-token", Should, AuthorizationServer, "RFC 7009 §2",
        "An access token the client revokes is answered 200 and refused by the protected API afterwards (\"SHOULD support the revocation of access tokens\").";
    REVOCATION_REVOKES_GRANT_ACCESS_TOKENS = "revocation-refresh-revokes-access-tokens", Should, AuthorizationServer, "RFC 7009 §2.1",
        "On a server that revokes access tokens, revoking a refresh token also invalidates the access tokens of its grant: the grant's access token, accepted just before, is refused afterwards.";
    REVOCATION_INVALID_TOKEN_200 = "revocation-invalid-token-200", Derived, AuthorizationServer, "RFC 7009 §2.2",
        "The revocation of a token the server never issued, or of one already revoked, is answered 200 (§2.2 says so, with no keyword).";
    REVOCATION_HINT_SEARCH_EXTENDED = "revocation-hint-search-extended", Must, AuthorizationServer, "RFC 7009 §2.1",
        "A refresh token sent with token_type_hint=access_token is still found and revoked: a server that cannot locate the token by its hint MUST extend its search across all of its token types.";
    REVOCATION_UNKNOWN_HINT_IGNORED = "revocation-unknown-hint-ignored", Derived, AuthorizationServer, "RFC 7009 §2.2",
        "A token_type_hint value the server does not know is ignored: the token is revoked and the answer is 200 (\"does not influence the revocation response\", no keyword).";
    REVOCATION_AUTHENTICATES_CLIENT = "revocation-authenticates-client", Derived, AuthorizationServer, "RFC 7009 §2.1",
        "A revocation request with a wrong client secret is refused with invalid_client (RFC 6749 §5.2, as §2.2.1 says) and revokes nothing (§2.1: the server first validates the client credentials; no keyword).";
    REVOCATION_BOUND_TO_CLIENT = "revocation-bound-to-client", Derived, AuthorizationServer, "RFC 7009 §2.1",
        "Another client cannot revoke the client's refresh token: it works afterwards (§2.1: the server verifies the token was issued to the client making the request; no keyword). Its status is not judged: a token that is not the caller's may be answered 200 as an invalid one (§2.2).";
    REVOCATION_REQUEST_SHAPE = "revocation-request-shape", Must, Client, "RFC 7009 §2.1",
        "The client's revocation request is a POST with the token (REQUIRED) in an application/x-www-form-urlencoded body, and its client authentication (RFC 6749 §2.3).";

    // Token introspection (RFC 7662).
    INTROSPECTION_ACTIVE = "introspection-active-token", Must, AuthorizationServer, "RFC 7662 §2.2",
        "A live access token of the caller is introspected as a JSON object whose `active` (REQUIRED) is the boolean true.";
    INTROSPECTION_MEMBERS = "introspection-members-consistent", Derived, AuthorizationServer, "RFC 7662 §2.2",
        "The members of an active token's introspection agree with its token response where present: `scope` the granted scope, `client_id` the client, `exp` a number no earlier than now and no later than expires_in allows (a minute's leeway), `token_type` the response's (their §2.2 definitions, no keyword).";
    INTROSPECTION_INACTIVE = "introspection-inactive-token", Must, AuthorizationServer, "RFC 7662 §2.2",
        "A revoked, expired, unknown or tampered token is introspected, for an authorized caller, as `active: false` (the boolean).";
    INTROSPECTION_INACTIVE_NO_MEMBERS = "introspection-inactive-no-members", Should, AuthorizationServer, "RFC 7662 §2.2",
        "The introspection of an inactive token has no member but `active`: nothing about the token, nor why it is inactive (SHOULD NOT).";
    INTROSPECTION_REQUIRES_AUTH = "introspection-requires-authentication", Must, AuthorizationServer, "RFC 7662 §2.1",
        "An introspection request without client authentication, or with a wrong secret, learns nothing of a live token: refused, or at most `active: false`.";
    INTROSPECTION_JSON = "introspection-response-json", Derived, AuthorizationServer, "RFC 7662 §2.2",
        "An introspection response is a JSON object served as application/json (§2.2 describes it so, with no keyword).";

    // Protected resource.
    API_BEARER_HEADER = "api-request-bearer-header", Should, Client, "RFC 6750 §2.1",
        "The client sends the token as `Authorization: Bearer <token>`.";
    API_BEARER_DOCUMENTED = "api-request-bearer-documented", Provider, Client, "seed 000",
        "The client sends the token as `Authorization: Bearer <token>`, as every guide documents (seeds 000-003; RFC 6750 §2.1 only says SHOULD).";
    API_TOKEN_NOT_IN_QUERY = "api-request-token-not-in-query", Should, Client, "RFC 6750 §2.3",
        "The client does not put the access token in the URI query.";
    API_ONE_TOKEN_METHOD = "api-request-one-token-method", Must, Client, "RFC 6750 §2",
        "The client sends the access token by one method only: the Authorization header, the form body or the query, never two.";
    API_TOKEN_STAYS_AT_ORIGIN = "api-token-stays-at-origin", Must, Client, "RFC 6750 §5.3",
        "The client sends the access token to no other origin than the one it is for, not even when the API redirects elsewhere (also RFC 6749 §10.3).";
    API_NO_TOKEN_COOKIE = "api-request-no-token-cookie", Must, Client, "RFC 6750 §5.3",
        "The client sends no bearer token in a cookie over plain http: a token kept in a cookie that can be sent in the clear is seen when it is (a cookie on an https request cannot be judged from outside).";
    API_ACCEPTS_TOKEN = "api-accepts-valid-token", Must, ResourceServer, "RFC 6750 §2.1",
        "The resource server accepts a valid bearer token.";
    API_NO_TOKEN_CHALLENGE = "api-no-token-challenge", Must, ResourceServer, "RFC 6750 §3",
        "A request without a token gets a WWW-Authenticate: Bearer challenge, whatever its status.";
    API_NO_TOKEN_401 = "api-no-token-401", Derived, ResourceServer, "RFC 6750 §3",
        "A request without a token gets status 401 (derived: RFC 6750 §3's example answers it so, and 401 is the status of a request that lacks credentials, RFC 9110 §15.5.2; no keyword asks for it).";
    API_NO_TOKEN_NO_ERROR = "api-no-token-no-error-code", Should, ResourceServer, "RFC 6750 §3.1",
        "A request without any authentication gets no error code in the challenge.";
    API_ATTRIBUTES_ONCE = "api-challenge-attributes-once", Must, ResourceServer, "RFC 6750 §3",
        "A Bearer challenge names each of realm, scope, error, error_description and error_uri at most once.";
    API_CHALLENGE_AUTH_PARAM = "api-challenge-auth-param", Must, ResourceServer, "RFC 6750 §3",
        "The Bearer scheme of a challenge is followed by one or more auth-params (`Bearer realm=\"api\"`, never a bare `Bearer`).";
    API_CHALLENGE_CHARSET = "api-challenge-charset", Must, ResourceServer, "RFC 6750 §3",
        "A Bearer challenge's scope, error and error_description use only %x20-21 / %x23-5B / %x5D-7E, and its error_uri is a URI-reference of %x21 / %x23-5B / %x5D-7E.";
    API_INVALID_TOKEN_CHALLENGE = "api-invalid-token-challenge", Must, ResourceServer, "RFC 6750 §3",
        "A refused token (made up, expired, or without the scope the resource needs) gets a WWW-Authenticate: Bearer challenge.";
    API_INVALID_TOKEN = "api-invalid-token", Should, ResourceServer, "RFC 6750 §3.1",
        "A wrong or expired token gets 401 and error=\"invalid_token\" in its Bearer challenge.";
    API_REFUSES_UNKNOWN_TOKEN = "api-refuses-unknown-token", Must, ResourceServer, "RFC 6749 §7",
        "A token the server never issued is not accepted by the protected API.";
    API_REFUSES_TAMPERED_TOKEN = "api-refuses-tampered-token", Must, ResourceServer, "RFC 6749 §7",
        "An issued access token with one character changed in the middle (inside a JWT's signature) is refused by the protected API: the resource server validates the token (§7), and a token cannot be modified into a valid one (§10.3).";
    API_REFUSES_EXPIRED_TOKEN = "api-refuses-expired-token", Must, ResourceServer, "RFC 6749 §7",
        "An expired access token is not accepted by the protected API.";

    // The client's authorization request and its redirect (RFC 6749 §4.1.1,
    // §10.12; RFC 7636).
    AUTHZ_REQ_RESPONSE_TYPE = "authorization-request-response-type", Must, Client, "RFC 6749 §4.1.1",
        "The authorization request carries response_type=code, once (§3.1.1).";
    AUTHZ_REQ_CLIENT_ID = "authorization-request-client-id", Must, Client, "RFC 6749 §4.1.1",
        "The authorization request carries the client's client_id, once.";
    AUTHZ_REQ_REDIRECT_URI = "authorization-request-redirect-uri", Must, Client, "RFC 6749 §3.1.2.3",
        "The authorization request carries the redirect URI the client reads the code from, once (the client MUST send it when several, part or none of its URIs are registered; the suite's client always does).";
    STATE_FRESH = "authorization-state-fresh", Must, Client, "RFC 6749 §10.12",
        "Every authorization request carries its own state of at least 128 bits (non-guessable, §10.10).";
    CALLBACK_STATE_CHECKED = "callback-state-checked", Must, Client, "RFC 6749 §10.12",
        "A redirect whose state is missing or not the one the client sent is refused as CSRF, before any token request.";
    CALLBACK_ISS_CHECKED = "callback-iss-checked", Must, Client, "RFC 9207 §2.4",
        "A redirect whose iss is not the issuer of the server the request went to, or that has no iss from a server that says it sends one, is refused as a mix-up, before any token request.";
    PKCE_S256_CHALLENGE = "pkce-challenge-s256", Must, Client, "RFC 7636 §4.2",
        "The authorization request carries code_challenge = BASE64URL(SHA256(verifier)) with code_challenge_method=S256 (§4.3).";
    PKCE_VERIFIER_SYNTAX = "pkce-verifier-syntax", Derived, Client, "RFC 7636 §4.1",
        "The verifier behind the challenge is 43 to 128 unreserved characters: [A-Z] / [a-z] / [0-9] / \"-\" / \".\" / \"_\" / \"~\" (§4.1's ABNF, with no keyword).";
    CALLBACK_UNKNOWN_PARAMS_IGNORED = "callback-ignores-unknown-params", Must, Client, "RFC 6749 §4.1.2",
        "The client ignores authorization response parameters it does not know: a redirect with a code and such a parameter is accepted, and its code exchanged.";
    PKCE_VERIFIER_SENT = "pkce-verifier-sent", Must, Client, "RFC 7636 §4.5",
        "The code exchange carries the code_verifier of the authorization request that sent the challenge.";

    RESP_UNKNOWN_MEMBERS_IGNORED = "client-ignores-unknown-members", Must, Client, "RFC 6749 §5.1",
        "The client ignores members of a token response it does not know: a response it would accept without them, it accepts with them.";
    REFRESH_TOKEN_REPLACED = "client-replaces-refresh-token", Must, Client, "RFC 6749 §6",
        "When a refresh issues a new refresh token, the client discards the old one: its next refresh sends the new one.";

    // The client's own security (RFC 9700, RFC 6750 §5.3).
    PKCE_VERIFIER_FRESH = "pkce-verifier-fresh", Must, Client, "RFC 9700 §2.1.1",
        "Every authorization request carries the challenge of its own verifier: the challenge is transaction-specific (its length is pkce-verifier-syntax's to judge).";
    CALLBACK_SINGLE_USE = "callback-single-use", Must, Client, "RFC 9700 §2.1",
        "A callback is accepted once: the same redirect again (its state already used) is refused before any token request.";
    CLIENT_VALIDATES_TLS = "client-validates-tls", Must, Client, "RFC 6750 §5.3",
        "The client validates the server's TLS certificate chain: it sends nothing to a server whose certificate no trusted authority issued.";
    CLIENT_REQUIRES_TLS = "client-requires-tls", Must, Client, "RFC 6750 §5.3",
        "The client sends no secret or token over plain http to a host that is not this machine (also RFC 6749 §10.3).";

    API_ENFORCES_SCOPE = "api-enforces-scope", Must, ResourceServer, "RFC 6749 §7",
        "The resource server refuses a valid token whose scope does not cover the request.";
    API_INSUFFICIENT_SCOPE = "api-insufficient-scope", Should, ResourceServer, "RFC 6750 §3.1",
        "A token without the needed scope gets 403 with WWW-Authenticate: Bearer error=\"insufficient_scope\".";

    // Authorization server metadata (RFC 8414).
    METADATA_RESPONSE = "metadata-response", Must, AuthorizationServer, "RFC 8414 §3.2",
        "The metadata request to the well-known URI formed from the issuer (§3.1) is answered 200 with a JSON object as application/json.";
    METADATA_ISSUER_IDENTICAL = "metadata-issuer-identical", Must, AuthorizationServer, "RFC 8414 §3.3",
        "The metadata's issuer is identical to the issuer identifier the metadata URL was formed from.";
    METADATA_REQUIRED_MEMBERS = "metadata-required-members", Must, AuthorizationServer, "RFC 8414 §2",
        "The metadata has issuer and response_types_supported, authorization_endpoint unless no supported grant uses it, token_endpoint unless only the implicit grant is supported.";
    METADATA_ISSUER_URL = "metadata-issuer-url", Must, AuthorizationServer, "RFC 8414 §2",
        "issuer is a URL with the https scheme and no query or fragment component (the scheme is not judged for a loopback test server).";
    // What the metadata advertises against what the server does (RFC 8414 §2).
    METADATA_GRANT_TYPES_ENFORCED = "metadata-grant-types-enforced", Derived, AuthorizationServer, "RFC 8414 §2",
        "No grant grant_types_supported lists (or its default, authorization_code and implicit, when it is absent) is answered unsupported_grant_type, and no grant it leaves out issues tokens (also OpenID Connect Discovery 1.0 §3).";
    METADATA_RESPONSE_TYPES_VALID = "metadata-response-types-valid", Derived, AuthorizationServer, "RFC 8414 §2",
        "Every value response_types_supported lists is a response_type (RFC 6749 §3.1.1), not a grant type's name.";
    METADATA_PKCE_METHODS_ENFORCED = "metadata-pkce-methods-enforced", Derived, AuthorizationServer, "RFC 8414 §2",
        "An authorization request with a code_challenge_method code_challenge_methods_supported lists is not refused, and one with a method it leaves out is not given a code.";
    METADATA_AUTH_METHODS_ENFORCED = "metadata-auth-methods-enforced", Derived, AuthorizationServer, "RFC 8414 §2",
        "The client authentication methods token_endpoint_auth_methods_supported lists (client_secret_basic when it is absent) authenticate the client, and one it leaves out does not.";
    METADATA_SCOPES_ENFORCED = "metadata-scopes-enforced", Derived, AuthorizationServer, "RFC 8414 §2",
        "No scope scopes_supported lists is answered invalid_scope for the test client (unless the profile names it the client's denied_scope); unlisted scopes are not judged, as servers may leave some out.";
    METADATA_IMPLICIT_ENFORCED = "metadata-implicit-enforced", Derived, AuthorizationServer, "RFC 8414 §2",
        "An authorization request with response_type=token is not answered unsupported_response_type when the metadata lists the token response type (or implicit among grant_types_supported, or by its default, with no OpenID implicit response type), and gets no access token when it lists neither.";
    METADATA_ENDPOINTS_ANSWER = "metadata-endpoints-answer", Derived, AuthorizationServer, "RFC 8414 §2",
        "Each endpoint URL the metadata lists (authorization, token, revocation, introspection, jwks_uri) is the one the run used, or one that answers too: a listed URL that differs from the profile's and answers 404 fails (one that gives no answer is not judged).";

    // JWT access tokens (RFC 9068), for a profile with access_token_format = "jwt".
    JWT_AT_TYP = "jwt-access-token-typ", Must, AuthorizationServer, "RFC 9068 §2.1",
        "A JWT access token's typ header is the media type application/at+jwt, as at+jwt or application/at+jwt (compared without case).";
    JWT_AT_CLAIMS = "jwt-access-token-claims", Must, AuthorizationServer, "RFC 9068 §2.2",
        "A JWT access token carries iss, exp, aud, sub, client_id, iat and jti (exp and iat as numbers), and its client_id is the client that asked for it.";
    JWT_AT_SIGNED = "jwt-access-token-signed", Must, AuthorizationServer, "RFC 9068 §2.1",
        "A JWT access token is signed, never alg none, with an asymmetric algorithm by a key of the JWKS the server publishes, and the signature verifies (§4: the resource server uses the keys the authorization server provides).";
    JWT_AT_ISS = "jwt-access-token-iss", Derived, AuthorizationServer, "RFC 9068 §4",
        "A JWT access token's iss is exactly the server's issuer identifier (§4 asks the resource server to refuse any other).";
    JWT_AT_AUD = "jwt-access-token-aud", Should, AuthorizationServer, "RFC 9068 §3",
        "A JWT access token's aud names the resource the token was requested for (token.resource, or the token.audience the profile sends).";

    // Token lifetime: how the client lives with expiring tokens (seed 002).
    CLIENT_REUSES_TOKEN = "client-reuses-token", Provider, Client, "seed 002",
        "The client attaches its stored access token to API calls instead of requesting one per call.";
    CLIENT_RENEWS_EARLY = "client-renews-before-expiry", Provider, Client, "seed 002",
        "The client gets a new access token before the previous one expires.";
    CLIENT_SINGLE_FLIGHT = "client-single-flight-renewal", Provider, Client, "seed 002",
        "Requests that need a token while it is renewed wait for one token request and all get its result.";
    CLIENT_RENEWS_ON_INVALID_TOKEN = "client-renews-on-invalid-token", Provider, Client, "seed 002",
        "On 401 invalid_token the client renews its token and retries the request once, never in a loop.";

    // Token validation before use (seed 003).
    ACCESS_TOKEN_VALIDATES = "access-token-validates", Provider, AuthorizationServer, "seed 003",
        "The access token validates against the provider's JWKS: signature, iss, aud, exp and nbf.";
    CLIENT_REFUSES_INVALID_TOKEN = "client-refuses-invalid-token", Provider, Client, "seed 003",
        "The client refuses an access token that fails validation (alg none, key confusion, unknown kid, claims), naming the rule and its RFC (RFC 8725 §3.1, RFC 7515 §4.1.4, RFC 7519 §4.1).";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn only_must_and_guide_bind_a_run_that_is_not_strict() {
        let binding = |strict| {
            Level::ALL
                .into_iter()
                .filter(|l| l.binds(strict))
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(binding(false), ["MUST", "GUIDE"]);
        assert_eq!(binding(true), ["MUST", "SHOULD", "DERIVED", "GUIDE"]);
    }

    #[test]
    fn ids_are_unique_and_every_check_has_a_source() {
        let mut seen = HashSet::new();
        for check in ALL {
            assert!(seen.insert(check.id), "duplicate id {}", check.id);
            assert!(
                check.source.starts_with("RFC ") || check.source.starts_with("seed "),
                "{}",
                check.id
            );
        }
    }
}
