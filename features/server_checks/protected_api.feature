@server_checks @protected_api @401go
Feature: Server checks: the protected API
  A checklist for reviewing a resource server (RFC 6750). A request without a
  token gets 401 with a Bearer challenge (§3) that carries no error code
  (§3.1); a token the server never issued and an expired token are refused
  with 401 and error="invalid_token" (§3.1). An access token works for the
  whole lifetime the provider documents (401GO: 60 minutes).

  Background:
    Given the provider profile "401go"

  @rfc6750_3 @rfc6750_3_1
  Scenario: A request without a token gets 401 and a Bearer challenge without error code
    When the client calls the API without a token
    Then the API refuses the request as unauthenticated

  @rfc6750_3_1
  Scenario: A token the server never issued gets 401 invalid_token
    When the client calls the API with the made-up token "not-a-token-this-server-issued"
    Then the API refuses the made-up token

  @mock @rfc6750_3_1
  Scenario: An expired token gets 401 invalid_token
    Given the client has an access token
    When 61 minutes pass
    And the client calls the API with the access token
    Then the API refuses the expired token

  @mock @seed_001
  Scenario: An access token works for its whole documented lifetime
    Given the client has an access token
    When 59 minutes pass
    And the client calls the API with the access token
    Then the API still accepts the token within its documented lifetime
