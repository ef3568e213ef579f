@guide @refresh_token @seed_001
Feature: 401GO refresh tokens
  Seed 001. When an access token expires, the client POSTs to /api/o/token/
  with grant_type=refresh_token, the refresh token, its client_id and
  client_secret, and receives a new access token (valid 60 minutes).
  Refresh tokens are valid for 30 days. The guide does not say whether
  refresh tokens rotate, so the client copes with both; RFC 6749 §6 binds a
  refresh token to the client it was issued to.

  Background:
    Given the profile under test
    And the client has tokens from the authorization code flow for the "company" account

  Scenario: The refresh request carries the refresh token and the client credentials in the form body
    When the client refreshes the access token
    Then the token request body has "grant_type" = "refresh_token"
    And the token request body carries the client credentials
    And the token request has no "Authorization" header
    And the token request succeeded

  Scenario: A refresh gives a new access token valid for 60 minutes
    When the client refreshes the access token
    Then the token response conforms to RFC 6749 §5.1
    And the refresh gave a new access token
    And the access token lifetime is 3600 seconds
    When the client calls the API with the access token
    Then the API accepts the request
    And the API says the token acts for the "company" account

  @mock
  Scenario: An expired access token is renewed with the refresh token
    When 61 minutes pass
    And the client calls the API with the access token
    Then the API refuses the expired token
    When the client refreshes the access token
    And the client calls the API with the access token
    Then the API accepts the request

  @mock
  Scenario: A refresh token still works on day 29
    When 29 days pass
    And the client refreshes the access token
    Then the token request succeeded

  @mock @rfc6749_5_2
  Scenario: A refresh token is refused with invalid_grant on day 31
    When 31 days pass
    And the client refreshes the access token
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @mock @rfc9700_4_14_2
  Scenario: With a rotating server the client uses the new refresh token and the old one stops working
    Given refresh tokens rotate
    When the client refreshes the access token
    Then the server rotated the refresh token
    When the client refreshes the access token
    Then the refresh sent the refresh token the server rotated to
    And the token request succeeded
    When the client refreshes with the previous refresh token
    Then the token endpoint refuses with 400 and error "invalid_grant"

  @mock
  Scenario: With a non-rotating server the client keeps its refresh token
    Given refresh tokens do not rotate
    When the client refreshes the access token
    Then the server kept the refresh token
    When the client refreshes the access token
    Then the token request succeeded

  @mock @rfc6749_6
  Scenario: A rotated refresh token keeps the scope of the one it replaced, even after a narrower refresh
    Given refresh tokens rotate
    When the client refreshes asking for part of the grant's scope
    And the client refreshes with the new refresh token asking for the whole grant
    Then the new refresh token kept the scope of the grant
