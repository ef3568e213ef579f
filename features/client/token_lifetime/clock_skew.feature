@token_lifetime @mock
Feature: A provider whose clock is off
  Clocks drift. expires_in is relative (RFC 6749 §5.1), so a client that
  counts it from its own request time is immune to the provider's clock. An
  `exp` claim is absolute: where the client reads it (seed 002), a provider
  clock that runs behind makes the token look shorter-lived (the client
  renews early, which is harmless), and one that runs ahead makes it look
  longer-lived than it is, which the renewal on 401 then covers.

  @401go @seed_000 @rfc6749_5_1
  Scenario Outline: A provider clock 10 minutes <direction> the client's does not matter when expires_in rules
    Given the provider profile "401go"
    And the provider's clock runs 10 minutes <direction> the client's
    And the application uses a token manager
    When the application calls the API through the token manager
    And 58 minutes pass
    And the application calls the API through the token manager
    Then the API call through the token manager was accepted
    And the API call was not retried
    And the mock received 1 token request
    When 1 minute passes
    And the application calls the API through the token manager
    Then the API call through the token manager was accepted
    And the API call was not retried
    And the mock received 2 token requests

    Examples:
      | direction |
      | ahead of  |
      | behind    |

  @json-body @seed_002 @rfc7519_4_1_4
  Scenario: A provider clock running behind makes exp look early, and the client renews early rather than late
    Given the provider profile "json-body"
    And the provider's clock runs 10 minutes behind the client's
    And the application uses a token manager
    When the application asks the token manager for an access token
    Then the token manager expects the token to expire 1430 minutes after it was requested
    When 1428 minutes pass
    And the application asks the token manager for an access token
    Then the token manager handed out the same access token as before
    When 1 minute passes
    And the application asks the token manager for an access token
    Then the token manager handed out a new access token

  @json-body @seed_002 @rfc7519_4_1_4 @rfc6750_3_1
  Scenario: A provider clock running ahead makes exp overstate the token's life, and the 401 renewal covers it
    Given the provider profile "json-body"
    And the provider's clock runs 10 minutes ahead of the client's
    And the application uses a token manager
    When the application asks the token manager for an access token
    Then the token manager expects the token to expire 1450 minutes after it was requested
    When 1 day passes
    And the application calls the API through the token manager
    Then the API call was retried once with a renewed access token
    And the mock received 2 token requests
