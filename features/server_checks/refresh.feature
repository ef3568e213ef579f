@server_checks @refresh @401go
Feature: Server checks: refreshing an access token
  A checklist for reviewing the refresh grant (RFC 6749 §6). A refresh token is
  bound to the client it was issued to: another client presenting it is
  refused with invalid_grant. A refresh answers with a new access token in a
  §5.1 response.

  Background:
    Given the provider profile "401go"
    And the client has tokens from the authorization code flow

  @rfc6749_6 @rfc6749_5_2
  Scenario: A refresh token is refused for another client
    When a second registered client refreshes with the client's refresh token
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @rfc6749_6 @rfc6749_5_1
  Scenario: A refresh answers with a new access token
    When the client refreshes the access token
    Then the refresh gave a new access token
    And the token response conforms to RFC 6749 §5.1
