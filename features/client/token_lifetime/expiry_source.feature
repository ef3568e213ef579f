@token_lifetime @mock @rfc9068_6
Feature: Where the client learns when its token expires
  RFC 9068 §6: a JWT access token is meant for the API, not for the client,
  which should treat it as opaque and trust expires_in (RFC 6749 §5.1).
  Seed 002 makes an exception for its provider: the token is a JWT, so parse
  it and read the exact UNIX time it expires from `exp`. The profile says
  which applies (`read_jwt_exp`); these scenarios make the token's `exp` and
  the response's expires_in disagree to show which one the client follows.

  @json-body @seed_002
  Scenario: For the JSON-body provider the JWT's exp wins over expires_in
    Given the provider profile "json-body"
    And the provider's JWT access tokens say they expire after 30 minutes
    And the application uses a token manager
    When the application asks the token manager for an access token
    Then the token manager took the expiry from "the JWT's exp"
    And the token manager expects the token to expire 30 minutes after it was requested
    When 28 minutes pass
    And the application asks the token manager for an access token
    Then the token manager handed out the same access token as before
    When 1 minute passes
    And the application asks the token manager for an access token
    Then the token manager handed out a new access token
    And the mock received 2 token requests

  @json-body @seed_002
  Scenario: When exp and expires_in agree, the JSON-body token lives a day
    Given the provider profile "json-body"
    And the application uses a token manager
    When the application asks the token manager for an access token
    Then the token manager took the expiry from "the JWT's exp"
    And the token manager expects the token to expire 1440 minutes after it was requested

  @login3 @seed_003
  Scenario: Where the profile says the token is opaque, exp is not read and expires_in rules
    Given the provider profile "login3"
    And the provider's JWT access tokens say they expire after 30 minutes
    And the application uses a token manager
    When the application asks the token manager for an access token
    Then the token manager took the expiry from "expires_in"
    And the token manager expects the token to expire 1440 minutes after it was requested
    When 31 minutes pass
    And the application asks the token manager for an access token
    Then the token manager handed out the same access token as before
    And the mock received 1 token request
    When the application calls the API through the token manager
    Then the API call was retried once with a renewed access token
    And the mock received 2 token requests

  @401go @seed_000 @rfc6749_5_1
  Scenario: An opaque token expires expires_in seconds after it was requested
    Given the provider profile "401go"
    And the application uses a token manager
    When the application asks the token manager for an access token
    Then the token manager took the expiry from "expires_in"
    And the token manager expects the token to expire 60 minutes after it was requested
