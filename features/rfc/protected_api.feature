@rfc @protected_api @needs_api
Feature: Using a bearer access token at the protected API
  RFC 6750. A client presents its access token in the Authorization header
  with the Bearer scheme (§2.1), not in the URI query (§2.3); scheme names
  are case-insensitive (RFC 9110 §11.1). The resource server accepts a valid
  token, answers a request without credentials with a Bearer challenge
  (§3, MUST) carrying no error code (§3.1, SHOULD NOT), with 401 (derived:
  §3's example; no keyword asks for it), and a token it never issued, or an
  expired one, with a Bearer challenge (§3, MUST), 401 and
  error="invalid_token" (§3.1, SHOULD). It refuses a valid token whose scope
  does not cover the resource (RFC 6749 §7), with a Bearer challenge, 403
  and error="insufficient_scope" (§3.1, SHOULD). The API probes and their
  content type come from the profile. An expired token is presented a
  minute after its lifetime: the mock's clock moves; on a real server the
  suite waits that long only when the profile's max_wait_s allows. The
  client, for its part, sends its token to no other origin than the one it
  is for, even when the API redirects elsewhere (§5.3): judged on the mock,
  whose moved resource redirects to itself under another host name. And it
  validates the TLS certificate chain (§5.3): a loopback server with a
  self-signed certificate gets nothing from it.

  Background:
    Given the profile under test

  @rfc6750_2_1 @rfc6750_2_3 @needs_client_credentials
  Scenario: The API accepts a valid token presented in the Authorization header
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request presents the access token as a Bearer token
    And the API accepts the request
    And the API request has the content type the profile documents

  @rfc6750_3 @rfc6750_3_1
  Scenario: A request without a token gets 401 and a Bearer challenge without error code
    When the client calls the API without a token
    Then the API refuses the request as unauthenticated

  @rfc6750_3_1
  Scenario: A token the server never issued gets 401 invalid_token
    When the client calls the API with the made-up token "not-a-token-this-server-issued"
    Then the API refuses the made-up token

  @rfc6749_10_3 @needs_client_credentials
  Scenario: An access token with one character changed is refused
    Given the client has an access token
    When the client calls the API with the access token changed in one character
    Then the API refuses the tampered token

  @rfc6749_7 @rfc6750_3_1 @needs_client_credentials
  Scenario: An expired token gets 401 invalid_token
    Given the client has an access token
    When the access token's lifetime has passed
    And the client calls the API with the access token
    Then the API refuses the expired token

  @mock @rfc6750_5_3 @rfc6749_10_3 @needs_client_credentials
  Scenario: The access token goes to no other origin, even when the API redirects there
    Given the client has an access token
    When the client calls an API resource that has moved to another origin
    Then the access token went to no other origin

  @mock @rfc6750_5_3 @needs_client_credentials
  Scenario: The client validates the certificate chain before it sends its token
    Given the client has an access token
    When the client calls an API over TLS whose certificate no trusted authority issued
    Then the client refused that server before sending its token

  @rfc6749_7 @rfc6750_3_1 @needs_client_credentials @needs_scoped_api
  Scenario: A token without the scope a resource needs is refused with 403 insufficient_scope
    Given the client has an access token without the scope the scoped API needs
    When the client calls the scoped API with the access token
    Then the API refuses the token for insufficient scope

  @rfc9110_11_1 @needs_client_credentials
  Scenario Outline: The scheme name is case-insensitive (<scheme>)
    Given the client has an access token
    When the client calls the API with the access token and the scheme written "<scheme>"
    Then the API accepts the request

    Examples:
      | scheme |
      | bearer |
      | BEARER |

  @needs_snapshots @needs_client_credentials
  Scenario: The API call shape is pinned
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request matches the profile's snapshot "api_request"
