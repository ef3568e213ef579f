@token_lifetime @mock @seed_002
Feature: A failed renewal fails every waiting request the same way, and the next call tries again
  When the token endpoint cannot give a new token, the requests queued for it
  (seed 002) cannot go on. Each gets the same clear error, from one token
  request, and the failure is not remembered: the next call asks again.

  @401go
  Scenario: 50 tasks waiting for a renewal that fails all get the same error
    Given the provider profile "401go"
    And the application uses a token manager
    And the token endpoint answers 500 with an empty body
    When 50 tasks ask the token manager for an access token at once
    Then every task got the same error naming "500"
    And the mock received 1 token request

  @401go
  Scenario: The next call after a failed renewal tries again
    Given the provider profile "401go"
    And the application uses a token manager
    And the token endpoint answers with an HTML error page
    When the application asks the token manager for an access token
    Then the token manager failed naming "renewal #1"
    When the token endpoint works again
    And the application asks the token manager for an access token
    And the application asks the token manager for an access token
    Then the token manager handed out the same access token as before
    And the mock received 2 token requests

  @json-body @rfc6749_5_2
  Scenario: API calls waiting for a renewal the provider refuses all get its error
    Given the provider profile "json-body"
    And the application uses a token manager
    When the application asks the token manager for an access token
    And the provider forgets the client's registration
    And 1 day passes
    And 20 tasks call the API through the token manager at once
    Then every task got the same error naming "invalid_client"
    And the mock received 2 token requests
    And the mock received 0 API calls
