@rfc @refresh @rotation @needs_refresh_token @needs_rotation
Feature: Rotating refresh tokens
  RFC 9700 §4.14.2. A server that rotates refresh tokens issues a new one
  with every refresh, and the previous one is invalidated (RFC 6749 §6 lets
  any server revoke it; the profile says this server rotates,
  authorization_code.refresh_rotation = "rotate"). A server that also
  detects reuse (authorization_code.refresh_reuse_detection) keeps the
  relationship between the tokens: when a rotated token is presented again,
  one of its holders is an attacker, and the server revokes the active
  refresh token. These scenarios run only for a profile that says so.

  Background:
    Given the profile under test
    And the client has tokens from the authorization code flow

  @rfc9700_4_14_2 @rfc6749_6
  Scenario: A rotating server issues a new refresh token, and the previous one is refused
    When the client refreshes the access token
    Then the refresh issued a new refresh token, as the profile says the server rotates
    When the client refreshes with the previous refresh token
    Then the previous refresh token is refused

  @rfc9700_4_14_2 @needs_reuse_detection
  Scenario: Reusing a rotated refresh token revokes the active one
    When the client refreshes the access token
    And the client refreshes with the previous refresh token
    And the client refreshes the access token
    Then the reuse of the rotated refresh token revoked the active one
