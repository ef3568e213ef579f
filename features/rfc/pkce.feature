@rfc @pkce @needs_authorization_code @needs_pkce
Feature: The client's PKCE
  RFC 7636. A client that uses PKCE makes a fresh code verifier of 43 to 128
  unreserved characters for every authorization request (§4.1), sends its
  S256 challenge with the request (§4.2, §4.3), and the verifier with the
  code (§4.5). This feature runs for profiles that say the client uses PKCE.

  Background:
    Given the profile under test

  @rfc7636_4_2 @rfc7636_4_3
  Scenario: The authorization URL carries an S256 challenge of a valid verifier
    When the user logs in and approves access
    Then the authorization URL has "code_challenge_method" = "S256"
    And the authorization URL carries an S256 PKCE challenge of a valid verifier

  @rfc7636_4_1 @rfc9700_2_1_1
  Scenario: Every authorization request carries the challenge of a fresh verifier
    When the user logs in and approves access
    And the user logs in and approves access
    Then every authorization request had a fresh PKCE verifier

  @rfc7636_4_5
  Scenario: The code exchange sends the verifier
    When the user logs in and approves access
    And the client exchanges the code
    Then the token request body has the code verifier of the authorization request
    And the token request succeeded
