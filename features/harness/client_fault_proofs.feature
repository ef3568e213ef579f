@harness @fault_proof @client_fault_proof @mock @401go
Feature: Client checks: each one catches the fault it is for
  A client check that never fails proves nothing. The suite's own client can
  be switched to break one rule ("Given a client that reuses its PKCE
  verifier"): in every request or decision that rule governs, and only in
  those; the requests it sends on purpose to see a server refuse them (a
  wrong secret, an unknown grant type) stay as they are. Each row below runs
  every feature but the harness's (the RFC features for every built-in
  profile, the guides for their profiles, the client features) with such a
  client against conforming mocks, and passes only when the suite reports
  exactly that check as failed, with its source, and no other check.
  A scenario that cannot go on without the broken rule (a token request the
  mock refuses) stops without a verdict on any other check. The conforming
  client passes every check. A normal run never switches a client fault on:
  only these proofs do. The faults are declared once in src/client/fault.rs
  (ClientFault); the check each one breaks in src/checks/client_faults.rs.

  Scenario: The conforming client passes every check
    When every feature runs with the conforming client
    Then every check passes

  Scenario Outline: A client that <switch> fails exactly <check>
    Given a client that <switch>
    When every feature runs with that client
    Then exactly the check "<check>" fails, citing "<source>"

    Examples:
      | switch                                             | check                          | level  | source          |
      | sends its token requests as GET                    | token-request-post             | MUST   | RFC 6749 §3.2   |
      | sends its token requests as JSON                   | token-request-form             | MUST   | RFC 6749 §4.4.2 |
      | leaves grant_type out of its token requests        | token-request-grant-type       | MUST   | RFC 6749 §4.4.2 |
      | does not form-urlencode its Basic credentials      | token-request-basic-encoding   | DERIVED | RFC 6749 §2.3.1 |
      | authenticates with HTTP Basic and the body at once | token-request-one-auth-method  | MUST   | RFC 6749 §2.3   |
      | also puts its client credentials in the query string | token-request-no-secret-in-url | MUST   | RFC 6749 §2.3.1 |
      | leaves client_secret out of its body credentials   | token-request-client-authenticated | MUST | RFC 6749 §3.2.1 |
      | leaves the code verifier out of its code exchanges | pkce-verifier-sent             | MUST   | RFC 7636 §4.5   |
      | adds a trailing slash to redirect_uri at its code exchanges | code-exchange-params    | MUST   | RFC 6749 §4.1.3 |
      | sends its refresh token as a token parameter       | refresh-request-params         | MUST   | RFC 6749 §6     |
      | asks for a scope beyond its grant when it refreshes | refresh-scope-within-grant    | MUST   | RFC 6749 §6     |
      | asks for response_type token                       | authorization-request-response-type | MUST | RFC 6749 §4.1.1 |
      | leaves client_id out of its authorization requests | authorization-request-client-id | MUST  | RFC 6749 §4.1.1 |
      | leaves redirect_uri out of its authorization requests | authorization-request-redirect-uri | MUST | RFC 6749 §3.1.2.3 |
      | sends its PKCE verifier as a plain challenge       | pkce-challenge-s256            | MUST   | RFC 7636 §4.2   |
      | follows the API's redirects with its access token  | api-token-stays-at-origin      | MUST   | RFC 6750 §5.3   |
      | accepts any TLS certificate                        | client-validates-tls           | MUST   | RFC 6750 §5.3   |
      | asks for its tokens with the password grant        | token-request-no-password-grant | MUST  | RFC 9700 §2.4   |
      | puts a character RFC 7636 does not allow in its PKCE verifier | pkce-verifier-syntax | DERIVED | RFC 7636 §4.1 |
      | sends grant_type twice in its token requests       | client-request-params-once     | MUST   | RFC 6749 §3.1, §3.2 |
      | reuses its state                                   | authorization-state-fresh      | MUST   | RFC 6749 §10.12 |
      | does not check the state of a redirect             | callback-state-checked         | MUST   | RFC 6749 §10.12 |
      | does not check the iss of a redirect               | callback-iss-checked           | MUST   | RFC 9207 §2.4   |
      | keeps its old refresh token after a new one is issued | client-replaces-refresh-token | MUST | RFC 6749 §6     |
      | puts the token to revoke in the query string       | revocation-request-shape       | MUST   | RFC 7009 §2.1   |
      | separates the scopes it asks for with commas       | token-request-scope            | DERIVED | RFC 6749 §3.3   |
      | refuses token responses with members it does not know | client-ignores-unknown-members | MUST | RFC 6749 §5.1 |
      | reuses its PKCE verifier                           | pkce-verifier-fresh            | MUST   | RFC 9700 §2.1.1 |
      | accepts a replayed callback                        | callback-single-use            | MUST   | RFC 9700 §2.1   |
      | refuses redirects with parameters it does not know | callback-ignores-unknown-params | MUST  | RFC 6749 §4.1.2 |
      | sends secrets over plain http to another host      | client-requires-tls            | MUST   | RFC 6750 §5.3   |
      | also puts the access token in a form body          | api-request-one-token-method   | MUST   | RFC 6750 §2     |
      | keeps the access token in a cookie                 | api-request-no-token-cookie    | MUST   | RFC 6750 §5.3   |
      | requests a new token for every call                | client-reuses-token            | GUIDE  | seed 002        |
      | renews its token only once it has expired          | client-renews-before-expiry    | GUIDE  | seed 002        |
      | sends one token request per waiting task           | client-single-flight-renewal   | GUIDE  | seed 002        |
      | does not renew a token the API refuses             | client-renews-on-invalid-token | GUIDE  | seed 002        |
      | accepts tokens that fail validation                | client-refuses-invalid-token   | GUIDE  | seed 003        |

  # A few faults cannot break their rule alone; the last column says why.
  Scenario Outline: A client that <switch> fails exactly <check> and <also>, which it cannot break apart
    Given a client that <switch>
    When every feature runs with that client
    Then exactly the check "<check>" fails, citing "<source>", and "<also>", which it necessarily breaks too

    Examples:
      | switch                                        | check                          | level  | source        | also                          | why                                                                                  |
      | sends the access token in a header of its own | api-request-bearer-header      | SHOULD | RFC 6750 §2.1 | api-request-bearer-documented | one rule stated twice: RFC 6750 §2.1 asks for the Authorization header, every seed documents it |
      | also puts the access token in the query string | api-request-token-not-in-query | SHOULD | RFC 6750 §2.3 | api-request-one-token-method  | a token in the query besides the header travels by two methods at once (RFC 6750 §2) |
      | leaves client_id out of its body-authenticated code exchanges | token-request-client-id | MUST | RFC 6749 §3.2.1 | token-request-client-authenticated | a body-authenticated client's credentials are its client_id and client_secret in the body (§2.3.1): without client_id it is not authenticated either |
