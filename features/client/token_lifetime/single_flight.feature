@token_lifetime @mock @seed_002
Feature: Requests queue while the token is renewed
  Seed 002: when the application notices that the access token has expired,
  it queues the incoming requests while a side job requests a new token, and
  attaches the new token to all queued requests before they are executed.
  However many requests wait, exactly one token request goes out.

  @401go
  Scenario: 200 tasks asking for the first token cause one token request
    Given the provider profile "401go"
    And the application uses a token manager
    When 200 tasks ask the token manager for an access token at once
    Then every task got the same access token
    And the mock received 1 token request

  @json-body
  Scenario: 200 API calls right after the token expired cause exactly one renewal
    Given the provider profile "json-body"
    And the application uses a token manager
    When the application asks the token manager for an access token
    And 1 day passes
    And 200 tasks call the API through the token manager at once
    Then every API call through the token manager was accepted
    And every task's API call carried the same renewed access token
    And the mock received 2 token requests
    And the mock received 200 API calls

  @401go @rfc6750_3_1
  Scenario: 100 calls refused at once for a revoked token cause one renewal
    Given the provider profile "401go"
    And the application uses a token manager
    When the application asks the token manager for an access token
    And the provider revokes every access token it issued
    And 100 tasks call the API through the token manager at once
    Then every API call through the token manager was accepted
    And the mock received 2 token requests
