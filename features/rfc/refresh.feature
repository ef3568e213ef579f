@rfc @refresh @needs_refresh_token
Feature: Refreshing an access token
  RFC 6749 §6. The client asks for a new access token with a POST to the
  token endpoint: form-encoded, grant_type=refresh_token and the refresh
  token, authenticated as the client always is. A refresh token is bound to
  the client it was issued to: another client presenting it is refused with
  invalid_grant. A refresh is answered with a §5.1 token response.

  Background:
    Given the profile under test
    And the client has tokens from the authorization code flow

  @rfc6749_6 @rfc6749_5_1
  Scenario: A refresh is a form-encoded POST with the refresh token, answered with a token
    When the client refreshes the access token
    Then the token request was sent as POST to the token endpoint
    And the token request body has "grant_type" = "refresh_token"
    And the token request conforms to the profile
    And the token response conforms to RFC 6749 §5.1

  @rfc6749_6 @rfc6749_5_2
  Scenario: A refresh token is refused for another client
    When a second registered client refreshes with the client's refresh token
    Then the token endpoint refuses with error "invalid_grant"

  @needs_snapshots
  Scenario: The refresh request shape is pinned
    When the client refreshes the access token
    Then the token request matches the profile's snapshot "refresh_request"
