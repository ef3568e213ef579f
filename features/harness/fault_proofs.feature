@harness @fault_proof @mock @401go
Feature: Server checks: each one catches the fault it is for
  A check that never fails proves nothing. For every server check there is
  one way a server breaks exactly that rule, and the embedded mock can be
  told to break it ("Given the server does not echo state"). Each row below
  runs the whole catalogue (the RFC features and the 401GO guide's, for the
  401go profile; for a server that requires PKCE, rotates refresh tokens or
  sends iss, the rfc6749 profile, which declares it; for JWT access tokens,
  json-body or login3) against mocks that break that one rule, and passes only when
  the suite reports exactly that check as failed, with its source, and no
  other check. The conforming mock passes every check. The table of faults and their checks is kept in one place:
  src/mock/faults.rs (ServerFault).

  Scenario: The conforming mock passes every server check
    When the server checks run against it
    Then every server check passes

  Scenario Outline: A server that <fault> fails exactly <check>
    Given the server <fault>
    When the server checks run against it
    Then exactly the check "<check>" fails, citing "<source>"

    Examples:
      | fault                                                            | check                                   | level  | source            |
      | issues tokens for GET requests                                   | token-endpoint-post-only                | DERIVED | RFC 6749 §3.2     |
      | accepts client credentials in the query string                   | token-endpoint-no-credentials-in-query  | DERIVED | RFC 6749 §2.3.1   |
      | refuses token request parameters it does not know                | token-endpoint-ignores-unknown-params   | MUST   | RFC 6749 §3.2     |
      | reads a parameter without a value as given                       | token-endpoint-empty-param-omitted      | MUST   | RFC 6749 §3.2     |
      | answers token requests with 201 Created                          | token-response-200                      | DERIVED | RFC 6749 §5.1     |
      | leaves access_token out                                          | token-response-access-token             | MUST   | RFC 6749 §5.1     |
      | issues access tokens with a comma in them                        | token-response-access-token-b64token    | DERIVED | RFC 6750 §2.1     |
      | sends tokens without Cache-Control: no-store                     | token-response-no-store                 | MUST   | RFC 6749 §5.1     |
      | sends tokens without Pragma: no-cache                            | token-response-pragma                   | MUST   | RFC 6749 §5.1     |
      | sends tokens as text/plain                                       | token-response-json                     | DERIVED | RFC 6749 §5.1     |
      | leaves token_type out                                            | token-response-token-type               | MUST   | RFC 6749 §5.1     |
      | says token_type is mac                                           | token-response-bearer                   | GUIDE  | seed 000          |
      | sends expires_in as a string                                     | token-response-expires-in               | SHOULD | RFC 6749 §5.1     |
      | issues tokens to requests without client authentication          | token-endpoint-refuses-unauthenticated-client | MUST   | RFC 6749 §3.2.1   |
      | issues client credentials tokens for a client_id alone           | client-credentials-confidential-only    | MUST   | RFC 6749 §4.4.2   |
      | issues tokens for grants the client is not registered for        | error-code-unauthorized-client          | DERIVED | RFC 6749 §5.2     |
      | accepts a wrong client secret                                    | token-endpoint-refuses-wrong-secret     | MUST   | RFC 6749 §3.2.1   |
      | answers a failed Basic login with a Bearer challenge             | error-response-www-authenticate         | MUST   | RFC 6749 §5.2     |
      | answers token errors other than invalid_client with status 500  | error-response-status                   | DERIVED | RFC 6749 §5.2     |
      | answers token errors with an HTML page                           | error-response-json                     | MUST   | RFC 6749 §5.2     |
      | puts a double quote in error_description                         | error-response-charset                  | MUST   | RFC 6749 §5.2     |
      | puts a space in the error_uri of its token errors                | error-response-error-uri                | MUST   | RFC 6749 §5.2     |
      | answers a missing grant_type with unsupported_grant_type         | error-code-invalid-request              | DERIVED | RFC 6749 §5.2     |
      | answers a wrong secret with unauthorized_client                  | error-code-invalid-client               | DERIVED | RFC 6749 §5.2     |
      | answers an unknown code with invalid_request                     | error-code-invalid-grant                | DERIVED | RFC 6749 §5.2     |
      | answers an unknown grant type with invalid_request               | error-code-unsupported-grant-type       | DERIVED | RFC 6749 §5.2     |
      | answers an unknown scope with invalid_request                    | error-code-invalid-scope                | DERIVED | RFC 6749 §5.2     |
      | narrows a requested scope without saying so                      | token-response-scope                    | MUST   | RFC 6749 §5.1     |
      | grants scopes the client was not given                           | token-endpoint-refuses-bad-scope        | SHOULD | RFC 6749 §10.3    |
      | takes the first of a repeated token request parameter            | token-endpoint-refuses-repeated-param   | DERIVED | RFC 6749 §5.2     |
      | accepts HTTP Basic and body credentials in one token request     | token-endpoint-refuses-two-auth-methods | DERIVED | RFC 6749 §5.2     |
      | issues tokens to client ids it never issued                      | token-endpoint-refuses-unknown-client   | MUST   | RFC 6749 §4.4.2   |
      | issues tokens for the password grant                             | token-endpoint-refuses-password-grant   | MUST   | RFC 9700 §2.4     |
      | accepts HTTP Basic only where its guide documents it             | token-endpoint-supports-basic           | MUST   | RFC 6749 §2.3.1   |
      | answers a request without scope from a client without a default scope with invalid_request | token-endpoint-omitted-scope | MUST | RFC 6749 §3.3 |
      | answers every client credentials request without scope with an empty 403 | token-endpoint-omitted-scope | MUST | RFC 6749 §3.3 |
      | says expires_in is 7200                                          | token-lifetime-documented               | GUIDE  | seed 000          |
      | expires access tokens after 30 minutes                           | token-lifetime-holds                    | GUIDE  | seed 001          |
      | redirects to unregistered redirect URIs                          | authorize-unregistered-redirect-refused | MUST   | RFC 6749 §3.1.2.4 |
      | accepts any redirect URI that starts with a registered one       | authorize-redirect-uri-exact-match      | MUST   | RFC 9700 §2.1     |
      | compares redirect URIs without their fragment                    | authorize-redirect-uri-fragment-refused | MUST   | RFC 6749 §3.1.2   |
      | allows an http redirect URI on a host that is not loopback       | authorize-http-redirect-uri-refused     | MUST   | RFC 9700 §2.6     |
      | redirects a request from an unknown client with an error         | authorize-unknown-client-not-redirected | MUST   | RFC 6749 §4.1.2.1 |
      | redirects a request without client_id with an error              | authorize-missing-client-not-redirected | MUST   | RFC 6749 §4.1.2.1 |
      | shows an error page for a response type it does not support      | authorize-response-type-error           | MUST   | RFC 6749 §3.1.1   |
      | refuses authorization request parameters it does not know        | authorize-ignores-unknown-params        | MUST   | RFC 6749 §3.1     |
      | does not echo state                                              | authorize-state-echoed                  | MUST   | RFC 6749 §4.1.2   |
      | names state twice in its code redirects                          | response-params-once                    | MUST   | RFC 6749 §3.1     |
      | sends the code in the fragment of the redirect URI               | authorize-response-in-query             | MUST   | RFC 6749 §4.1.2   |
      | answers a denial with server_error                               | authorize-denial-access-denied          | DERIVED | RFC 6749 §4.1.2.1 |
      | drops state from error redirects                                 | authorize-error-state-echoed            | MUST   | RFC 6749 §4.1.2.1 |
      | puts a double quote in the error_description of its error redirects | authorize-error-charset              | MUST   | RFC 6749 §4.1.2.1 |
      | approves a consent POST from another site                        | authorize-consent-csrf-protected        | MUST   | RFC 6749 §10.12   |
      | serves a consent form without a CSRF token and approves it from another site | authorize-consent-csrf-protected | MUST | RFC 6749 §10.12 |
      | lets any site frame its login and consent pages                  | authorize-pages-frame-protected         | MUST   | RFC 9700 §4.16    |
      | protects its login and consent pages against framing with X-Frame-Options alone | authorize-pages-csp-frame-ancestors | SHOULD | RFC 9700 §4.16 |
      | answers cross-origin requests to its authorization endpoint with Access-Control-Allow-Origin: * | authorize-no-cors | MUST | RFC 9700 §2.6 |
      | accepts any password                                             | authorize-login-verifies-password       | MUST   | RFC 6749 §3.1     |
      | answers its login form with a 307 redirect                       | authorize-login-not-forwarded           | MUST   | RFC 9700 §2.1     |
      | ignores a code_challenge_method it does not know                 | pkce-unsupported-method-refused         | MUST   | RFC 7636 §4.4.1   |
      | writes the code challenge into its codes                         | pkce-challenge-not-exposed              | MUST   | RFC 7636 §4.4     |
      | requires PKCE but issues a code to a request without code_challenge | pkce-required-challenge-missing-refused | MUST | RFC 7636 §4.4.1 |
      | accepts a code twice                                             | code-single-use                         | MUST   | RFC 6749 §4.1.2   |
      | keeps the tokens of a reused code                                | code-reuse-revokes-tokens               | SHOULD | RFC 6749 §4.1.2   |
      | accepts a code from another client                               | code-bound-to-client                    | MUST   | RFC 6749 §4.1.3   |
      | ignores redirect_uri at the code exchange                        | code-bound-to-redirect-uri              | MUST   | RFC 6749 §4.1.3   |
      | accepts codes it never issued                                    | code-unknown-refused                    | MUST   | RFC 6749 §4.1.3   |
      | accepts codes after they expire                                  | code-expires                            | SHOULD | RFC 6749 §4.1.2   |
      | serves its authorization endpoint to POST requests only          | authorize-get-supported                 | MUST   | RFC 6749 §3.1     |
      | accepts a code exchange without redirect_uri                     | code-redirect-uri-required              | MUST   | RFC 6749 §4.1.3   |
      | redeems a code for a client that sends no secret                 | code-requires-client-authentication     | MUST   | RFC 6749 §4.1.3   |
      | accepts a code verifier for a code issued without a challenge    | pkce-downgrade-refused                  | MUST   | RFC 9700 §2.1.1   |
      | accepts the challenge itself as the code verifier                | pkce-method-enforced                    | MUST   | RFC 7636 §4.6     |
      | ignores a missing code verifier                                  | pkce-verifier-checked                   | MUST   | RFC 7636 §4.6     |
      | refuses the code verifier that matches the challenge             | pkce-matching-verifier-accepted         | MUST   | RFC 7636 §4.6     |
      | refreshes for a client that sends no secret                      | refresh-requires-client-authentication  | MUST   | RFC 6749 §6       |
      | widens the scope on refresh                                      | refresh-scope-not-widened               | DERIVED | RFC 6749 §6       |
      | accepts refresh tokens it never issued                           | refresh-unknown-refused                 | MUST   | RFC 6749 §6       |
      | accepts a refresh token from another client                      | refresh-bound-to-client                 | MUST   | RFC 6749 §6       |
      | answers a refresh with the same access token                     | refresh-new-access-token                | GUIDE  | seed 001          |
      | gives a rotated refresh token the scope its refresh asked for    | refresh-rotated-scope-identical         | MUST   | RFC 6749 §6       |
      | stops rotating refresh tokens                                    | refresh-rotates                         | DERIVED | RFC 9700 §4.14.2  |
      | accepts a refresh token it rotated                               | refresh-rotated-old-refused             | DERIVED | RFC 9700 §4.14.2  |
      | keeps the active refresh token when a rotated one is reused      | refresh-reuse-revokes-active            | DERIVED | RFC 9700 §4.14.2  |
      | keeps refresh tokens it was asked to revoke                      | revocation-refresh-token                | MUST   | RFC 7009 §2       |
      | keeps access tokens it was asked to revoke                       | revocation-access-token                 | SHOULD | RFC 7009 §2       |
      | keeps the access tokens of a revoked refresh token's grant       | revocation-refresh-revokes-access-tokens | SHOULD | RFC 7009 §2.1     |
      | answers the revocation of a token it never issued with 400       | revocation-invalid-token-200            | DERIVED | RFC 7009 §2.2     |
      | looks a token to revoke up only as the type its hint names       | revocation-hint-search-extended         | MUST   | RFC 7009 §2.1     |
      | refuses a token_type_hint it does not know                       | revocation-unknown-hint-ignored         | DERIVED | RFC 7009 §2.2     |
      | revokes tokens for a wrong client secret                         | revocation-authenticates-client         | DERIVED | RFC 7009 §2.1     |
      | revokes the tokens of another client                             | revocation-bound-to-client              | DERIVED | RFC 7009 §2.1     |
      | leaves iss out of its error redirects                            | authorize-response-iss                  | MUST   | RFC 9207 §2       |
      | types its JWT access tokens as JWT                               | jwt-access-token-typ                    | MUST   | RFC 9068 §2.1     |
      | leaves jti out of its JWT access tokens                          | jwt-access-token-claims                 | MUST   | RFC 9068 §2.2     |
      | signs its JWT access tokens under a key id its JWKS does not hold    | jwt-access-token-signed                 | MUST   | RFC 9068 §2.1     |
      | names another issuer in its JWT access tokens                    | jwt-access-token-iss                    | DERIVED | RFC 9068 §4       |
      | names another audience in its JWT access tokens                  | jwt-access-token-aud                    | SHOULD | RFC 9068 §3       |
      | answers active as a string in its introspection responses        | introspection-active-token              | MUST   | RFC 7662 §2.2     |
      | names another client_id in its introspection responses           | introspection-members-consistent        | DERIVED | RFC 7662 §2.2     |
      | introspects revoked tokens as active                             | introspection-inactive-token            | MUST   | RFC 7662 §2.2     |
      | says why a token is inactive                                     | introspection-inactive-no-members       | SHOULD | RFC 7662 §2.2     |
      | introspects tokens for callers that do not authenticate          | introspection-requires-authentication   | MUST   | RFC 7662 §2.1     |
      | sends introspection responses as text/plain                      | introspection-response-json             | DERIVED | RFC 7662 §2.2     |
      | refuses a token whose scheme is not spelled Bearer               | api-accepts-valid-token                 | MUST   | RFC 6750 §2.1     |
      | names the realm twice in its challenges                          | api-challenge-attributes-once           | MUST   | RFC 6750 §3       |
      | answers a request without a token with a bare Bearer challenge   | api-challenge-auth-param                | MUST   | RFC 6750 §3       |
      | puts a double quote in the error_description of its Bearer challenges | api-challenge-charset              | MUST   | RFC 6750 §3       |
      | answers a request without a token with no WWW-Authenticate challenge | api-no-token-challenge          | MUST   | RFC 6750 §3       |
      | answers a request without a token with 403                       | api-no-token-401                        | DERIVED | RFC 6750 §3       |
      | puts an error code in the challenge to a request without a token | api-no-token-no-error-code              | SHOULD | RFC 6750 §3.1     |
      | refuses invalid tokens without a WWW-Authenticate challenge      | api-invalid-token-challenge             | MUST   | RFC 6750 §3       |
      | refuses invalid tokens with a challenge that has no error code   | api-invalid-token                       | SHOULD | RFC 6750 §3.1     |
      | accepts tokens it never issued                                   | api-refuses-unknown-token               | MUST   | RFC 6749 §7       |
      | accepts tokens without the scope a resource needs                | api-enforces-scope                      | MUST   | RFC 6749 §7       |
      | answers a token without the needed scope with 401 invalid_token  | api-insufficient-scope                  | SHOULD | RFC 6750 §3.1     |
      | accepts expired tokens                                           | api-refuses-expired-token               | MUST   | RFC 6749 §7       |
      | accepts a token whose first half matches an issued one           | api-refuses-tampered-token              | MUST   | RFC 6749 §7       |
      | serves its metadata as text/html                                 | metadata-response                       | MUST   | RFC 8414 §3.2     |
      | names another issuer in its metadata                             | metadata-issuer-identical               | MUST   | RFC 8414 §3.3     |
      | leaves response_types_supported out of its metadata              | metadata-required-members               | MUST   | RFC 8414 §2       |
      | has an issuer with a query component                             | metadata-issuer-url                     | MUST   | RFC 8414 §2       |
      | lists implicit but not client_credentials in its metadata while issuing client credentials tokens | metadata-grant-types-enforced           | DERIVED | RFC 8414 §2       |
      | lists grant types under response_types_supported                 | metadata-response-types-valid           | DERIVED | RFC 8414 §2       |
      | lists the plain code_challenge_method it refuses                 | metadata-pkce-methods-enforced          | DERIVED | RFC 8414 §2       |
      | leaves client_secret_basic out of its metadata while accepting it | metadata-auth-methods-enforced          | DERIVED | RFC 8414 §2       |
      | lists a scope in its metadata that it refuses as invalid_scope   | metadata-scopes-enforced                | DERIVED | RFC 8414 §2       |
      | lists the token response type it refuses                         | metadata-implicit-enforced              | DERIVED | RFC 8414 §2       |
      | lists a token endpoint in its metadata that answers 404          | metadata-endpoints-answer               | DERIVED | RFC 8414 §2       |
