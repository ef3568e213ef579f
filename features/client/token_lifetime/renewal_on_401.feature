@token_lifetime @mock @seed_002 @rfc6750_3_1
Feature: A token the API refuses is renewed once, and the request retried once
  Seed 002: always check the response for an authentication error; if the
  token was revoked or not renewed in time, do not let the request fail:
  fetch a new token and attach it to the pending requests. RFC 6750 §3.1: the
  API says so with 401 and error="invalid_token". The token manager renews
  once and retries once; a server that refuses every token gets its refusal
  back, not a loop.

  @401go
  Scenario: A revoked token is renewed and the request retried with the new one
    Given the provider profile "401go"
    And the application uses a token manager
    When the application asks the token manager for an access token
    And the provider revokes every access token it issued
    And the application calls the API through the token manager
    Then the API call was retried once with a renewed access token
    And the mock received 2 token requests
    And the mock received 2 API calls

  @401go
  Scenario: An API that refuses every token gets one retry, not a loop
    Given the provider profile "401go"
    And the API rejects every access token
    And the application uses a token manager
    When the application calls the API through the token manager
    Then the API call ended with the API's refusal after one retry
    And the mock received 2 token requests
    And the mock received 2 API calls

  @401go
  Scenario: A refusal a new token would not change (403 insufficient_scope) is not retried
    Given the provider profile "401go"
    And the API forbids every request for insufficient scope
    And the application uses a token manager
    When the application calls the API through the token manager
    Then the API call through the token manager ended with status 403
    And the API call was not retried
    And the mock received 1 token request
    And the mock received 1 API call

  @login3
  Scenario: An accepted call is sent once
    Given the provider profile "login3"
    And the application uses a token manager
    When the application calls the API through the token manager
    Then the API call through the token manager was accepted
    And the API call was not retried
    And the mock received 1 API call
