@authorization_code @rfc6749 @rfc6749_4_1
Feature: Authorization code flow with PKCE (plain RFC 6749 profile)
  RFC 6749 §4.1 with the PKCE that RFC 7636 defines and RFC 9700 §2.1.1 asks
  of every client. The client sends an S256 code_challenge of a fresh
  verifier, authenticates with HTTP Basic at the token endpoint, and sends
  the verifier with the code; the server refuses a missing or wrong verifier.

  Background:
    Given the provider profile "rfc6749"

  @rfc7636_4_2 @rfc7636_4_3
  Scenario: The authorization URL carries an S256 challenge of a valid verifier
    When the user logs in and approves access
    Then the authorization URL has "code_challenge_method" = "S256"
    And the authorization URL carries an S256 PKCE challenge of a valid verifier

  @rfc7636_4_5 @rfc6749_2_3_1
  Scenario: The code exchange sends the verifier and authenticates with HTTP Basic
    When the user logs in and approves access
    And the client exchanges the code
    Then the token request authenticates the client with HTTP Basic
    And the token request body has no "client_secret"
    And the token request succeeded

  @rfc7636_4_6
  Scenario: A code exchange without the verifier is refused
    When the user logs in and approves access
    And the client exchanges the code without the code verifier
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @rfc7636_4_6
  Scenario: A code exchange with a wrong verifier is refused
    When the user logs in and approves access
    And the client exchanges the code with a wrong code verifier
    Then the token endpoint refuses with 400 and error "invalid_grant"

  Scenario: The code exchange shape is pinned
    When the user logs in and approves access
    And the client exchanges the code
    Then the token request matches the snapshot "rfc6749_code_exchange_request"
