@rfc @refresh @needs_refresh_token
Feature: Refreshing an access token
  RFC 6749 §6. The client asks for a new access token with a POST to the
  token endpoint: form-encoded, grant_type=refresh_token and the refresh
  token, authenticated as the client always is. A refresh token is bound to
  the client it was issued to: another client presenting it is refused with
  invalid_grant, and one the server never issued is refused too (§10.4).
  The client authenticates as always: a confidential client that sends no
  secret, or a wrong one, gets no token (§3.2.1). A refresh may not widen the scope of the
  grant (§6: the requested scope MUST NOT include any scope not originally
  granted). A refresh is answered with a §5.1 token response.

  Background:
    Given the profile under test
    And the client has tokens from the authorization code flow

  @rfc6749_6 @rfc6749_5_1
  Scenario: A refresh is a form-encoded POST with the refresh token, answered with a token
    When the client refreshes the access token
    Then the token request conforms to the profile
    And the token request was sent as POST to the token endpoint
    And the token request body has "grant_type" = "refresh_token"
    And the refresh carries the refresh token the client holds
    And the refresh asks for no scope beyond the grant
    And the token response conforms to RFC 6749 §5.1

  @rfc6749_6 @rfc6749_5_2
  Scenario: A refresh token is refused for another client
    When a second registered client refreshes with the client's refresh token
    Then the token endpoint refuses with error "invalid_grant"

  @rfc6749_3_2_1 @rfc6749_6 @rfc6749_5_2
  Scenario: A confidential client that sends no secret cannot refresh
    When the client refreshes without its client secret
    Then the token endpoint refuses with error "invalid_client"

  @rfc6749_3_2_1 @rfc6749_6 @rfc6749_5_2
  Scenario: A wrong client secret cannot refresh
    Given the client uses a wrong client secret
    When the client refreshes the access token
    Then the token endpoint refuses with error "invalid_client"

  @rfc6749_6 @rfc6749_5_2
  Scenario: A refresh cannot widen the scope of the grant
    When the client refreshes asking for a wider scope
    Then the token endpoint refuses with error "invalid_scope"

  @rfc6749_6 @rfc6749_10_4 @rfc6749_5_2
  Scenario: A refresh token the server never issued is refused
    When the client refreshes with the made-up refresh token "not-a-refresh-token-the-server-issued"
    Then the token endpoint refuses with error "invalid_grant"

  @rfc6749_6
  Scenario: A new refresh token keeps the scope of the one it replaced
    When the client refreshes asking for part of the grant's scope
    And the client refreshes with the new refresh token asking for the whole grant
    Then the new refresh token kept the scope of the grant

  @needs_snapshots
  Scenario: The refresh request shape is pinned
    When the client refreshes the access token
    Then the token request matches the profile's snapshot "refresh_request"
