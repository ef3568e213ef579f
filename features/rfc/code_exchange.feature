@rfc @code_exchange @needs_authorization_code
Feature: Exchanging an authorization code
  RFC 6749 §4.1.3. The client exchanges the code with a POST to the token
  endpoint: form-encoded, grant_type=authorization_code, the code and the
  redirect URI of the authorization request, authenticated as the client
  always is. The answer is a §5.1 token response. A code works once: a second
  use is refused (§4.1.2) and SHOULD revoke the tokens issued from it (§4.1.2,
  §10.5). A code expires shortly after it is issued (§4.1.2; 10 minutes at
  most is RECOMMENDED, or the lifetime the profile documents): the mock's
  clock moves; on a real server the suite waits that long only when the
  profile's max_wait_s allows, else the scenario is skipped. A code is bound to the client it was issued to and to the redirect
  URI of its authorization request; a code the server never issued is
  refused, all with invalid_grant (§5.2). A client that authenticates with a
  wrong secret, or not at all, redeems nothing (§3.2.1, invalid_client). When the authorization request
  carried a PKCE challenge, the matching code_verifier gets tokens and a
  wrong one is refused with invalid_grant (RFC 7636 §4.6), and a missing one is refused too (RFC 9700
  §2.1.1; invalid_request for the missing parameter, §5.2, or invalid_grant).

  Background:
    Given the profile under test

  @rfc6749_4_1_3 @rfc6749_5_1
  Scenario: The code exchange is a form-encoded POST with the code and the redirect URI, answered with a token
    When the user logs in and approves access
    And the client exchanges the code
    Then the token request conforms to the profile
    And the code exchange carries the code and the redirect URI of its authorization request
    And the token request was sent as POST to the token endpoint
    And the token request body has "grant_type" = "authorization_code"
    And the token request body carries the registered redirect URI
    And the token response conforms to RFC 6749 §5.1

  @rfc6749_4_1_3 @rfc6749_6 @needs_refresh_token
  Scenario: The code exchange issues a refresh token
    When the user logs in and approves access
    And the client exchanges the code
    Then the token response carries a refresh token

  @rfc6749_4_1_2 @rfc6749_5_2
  Scenario: A code works once
    When the user logs in and approves access
    And the client exchanges the code
    And the client exchanges the code again
    Then the token endpoint refuses with error "invalid_grant"

  @rfc6749_4_1_2 @rfc6749_10_5 @needs_api
  Scenario: Reusing a code revokes the tokens issued from it
    Given the client has tokens from the authorization code flow
    When the client exchanges the code again
    Then the access token issued from the reused code no longer works

  @rfc6749_4_1_2 @rfc6749_10_5 @rfc6749_5_2
  Scenario: A code is refused once its lifetime has passed
    When the user logs in and approves access
    And the code's lifetime has passed
    And the client exchanges the expired code
    Then the token endpoint refuses with error "invalid_grant"

  @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A code is refused for another client
    When the user logs in and approves access
    And a second registered client exchanges the code
    Then the token endpoint refuses with error "invalid_grant"

  @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A code is refused with another redirect URI
    When the user logs in and approves access
    And the client exchanges the code with the redirect URI "http://127.0.0.1:9/other/"
    Then the token endpoint refuses with error "invalid_grant"

  @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A code the server never issued is refused
    When the user logs in and approves access
    And the client exchanges the made-up code "not-a-code-the-server-issued"
    Then the token endpoint refuses with error "invalid_grant"

  @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A code exchange without the redirect URI of its authorization request is refused
    When the user logs in and approves access
    And the client exchanges the code without the redirect URI
    Then the token endpoint refuses with error "invalid_request" or "invalid_grant"

  @rfc6749_3_2_1 @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A confidential client that sends no secret cannot redeem a code
    When the user logs in and approves access
    And the client exchanges the code without its client secret
    Then the token endpoint refuses with error "invalid_client"

  @rfc6749_3_2_1 @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A wrong client secret cannot redeem a code
    Given the client uses a wrong client secret
    When the user logs in and approves access
    And the client exchanges the code
    Then the token endpoint refuses with error "invalid_client"

  @rfc9700_2_1_1
  Scenario: A code verifier for a code issued without a challenge is refused
    When the user logs in and approves access without a PKCE challenge
    And the client exchanges the code with a code verifier nobody asked for
    Then the token endpoint refuses with error "invalid_grant" or "invalid_request"

  @rfc7636_4_6
  Scenario: The S256 challenge itself is not accepted as the verifier
    When the user logs in and approves access with a PKCE challenge
    And the client exchanges the code with the challenge as the verifier
    Then the token endpoint refuses with error "invalid_grant"

  @rfc7636_4_6
  Scenario: With a PKCE challenge, the matching code verifier gets tokens
    When the user logs in and approves access with a PKCE challenge
    And the client exchanges the code
    Then the token endpoint accepted the matching code verifier

  @rfc7636_4_6
  Scenario: With a PKCE challenge, a wrong code verifier is refused
    When the user logs in and approves access with a PKCE challenge
    And the client exchanges the code with a wrong code verifier
    Then the token endpoint refuses with error "invalid_grant"

  @rfc7636_4_5 @rfc9700_2_1_1
  Scenario: With a PKCE challenge, an exchange without the verifier is refused
    When the user logs in and approves access with a PKCE challenge
    And the client exchanges the code without the code verifier
    Then the token endpoint refuses with error "invalid_request" or "invalid_grant"

  @needs_snapshots
  Scenario: The code exchange shape is pinned
    When the user logs in and approves access
    And the client exchanges the code
    Then the token request matches the profile's snapshot "code_exchange_request"
