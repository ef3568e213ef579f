@server_checks @code_exchange @401go
Feature: Server checks: exchanging an authorization code
  A checklist for reviewing the code exchange (RFC 6749 §4.1.3). A code works
  once: a second use is refused (§4.1.2) and SHOULD revoke the tokens issued
  from it (§4.1.2, §10.5). A code is bound to the client it was issued to and
  to the redirect URI of its authorization request; a code the server never
  issued is refused, all with invalid_grant (§5.2). When the authorization
  request carried a PKCE challenge, a wrong code_verifier is refused (RFC 7636
  §4.6).

  Background:
    Given the provider profile "401go"

  @rfc6749_4_1_2 @rfc6749_5_2
  Scenario: A code works once
    When the user logs in and approves access as the "participant" account
    And the client exchanges the code
    And the client exchanges the code again
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @rfc6749_4_1_2 @rfc6749_10_5
  Scenario: Reusing a code revokes the tokens issued from it
    Given the client has tokens from the authorization code flow
    When the client exchanges the code again
    Then the access token issued from the reused code no longer works

  @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A code is refused for another client
    When the user logs in and approves access as the "participant" account
    And a second registered client exchanges the code
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A code is refused with another redirect URI
    When the user logs in and approves access as the "participant" account
    And the client exchanges the code with the redirect URI "http://127.0.0.1:9/other/"
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @rfc6749_4_1_3 @rfc6749_5_2
  Scenario: A code the server never issued is refused
    When the user logs in and approves access as the "participant" account
    And the client exchanges the made-up code "not-a-code-the-server-issued"
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @rfc7636_4_6
  Scenario: With a PKCE challenge, a wrong code verifier is refused
    When the user logs in and approves access with a PKCE challenge
    And the client exchanges the code with a wrong code verifier
    Then the token endpoint refuses with 400 and error "invalid_grant"
