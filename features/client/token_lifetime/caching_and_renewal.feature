@token_lifetime @mock
Feature: The client keeps one access token and renews it before it expires
  Seed 000 issues tokens that live 60 minutes, and a new one is got by
  repeating the token request. Seed 002 says to store the access token and
  attach it to all API calls: authenticating on every request makes requests
  slower and loads the server. It says to request a new token before the
  previous one expires, and that the overlap between old and new tokens does
  not break requests still running. The token manager hands out its cached
  token until a margin (60 seconds unless configured) before expiry, then
  renews it. Time is virtual: an hour passes in no time.

  @401go @seed_000 @seed_002
  Scenario: Ten API calls share one access token
    Given the provider profile "401go"
    And the application uses a token manager
    When the application calls the API through the token manager 10 times
    Then every API call through the token manager was accepted
    And the mock received 1 token request
    And the mock received 10 API calls

  @401go @seed_000 @seed_002
  Scenario: The cached token is handed out until the renewal margin, then renewed
    Given the provider profile "401go"
    And the application uses a token manager
    When the application asks the token manager for an access token
    And 58 minutes pass
    And the application asks the token manager for an access token
    Then the token manager handed out the same access token as before
    And the mock received 1 token request
    When 1 minute passes
    And the application asks the token manager for an access token
    Then the token manager handed out a new access token
    And the mock received 2 token requests

  @401go @seed_000 @seed_002
  Scenario: Renewal repeats the token request, and the old token keeps working until it expires
    Given the provider profile "401go"
    And the application uses a token manager
    When the application asks the token manager for an access token
    And 59 minutes pass
    And the application asks the token manager for an access token
    Then the token manager handed out a new access token
    And the renewal repeated the first token request
    When the client calls the API with the token manager's previous access token
    Then the API accepts the request
    When the client calls the API with the token manager's current access token
    Then the API accepts the request

  @rfc6749 @rfc6749_5_1
  Scenario Outline: The renewal margin is configurable (<margin> seconds before expiry)
    Given the provider profile "rfc6749"
    And the application uses a token manager that renews <margin> seconds before expiry
    When the application asks the token manager for an access token
    And <still_fresh> seconds pass
    And the application asks the token manager for an access token
    Then the token manager handed out the same access token as before
    When 1 second passes
    And the application asks the token manager for an access token
    Then the token manager handed out a new access token
    And the mock received 2 token requests

    Examples:
      | margin | still_fresh |
      | 60     | 3539        |
      | 300    | 3299        |
      | 900    | 2699        |

  @401go @seed_002
  Scenario: After two idle hours the next call gets a fresh token first instead of sending the expired one
    Given the provider profile "401go"
    And the application uses a token manager
    When the application calls the API through the token manager
    And 120 minutes pass
    And the application calls the API through the token manager
    Then the API call through the token manager was accepted
    And the API call was not retried
    And the mock received 2 token requests
    And the mock received 2 API calls
