@server_checks @token_endpoint @401go
Feature: Server checks: the token endpoint
  A checklist for reviewing an authorization server's token endpoint. It must
  issue tokens only for a POST (RFC 6749 §3.2) that authenticates the client
  the right way: never with credentials in the URL (§2.3.1), never with a
  wrong secret (§3.2.1). A token response is JSON that must not be cached and
  names a Bearer token with a lifetime in seconds (§5.1); the lifetime is the
  one the provider documents (401GO: 3600 s). A refusal has status 400 (401
  with a Basic challenge when the client used Basic), is a JSON object with
  the error code §5.2 defines for the fault, and uses only the allowed
  characters. Each check runs against the embedded mock and against a
  sandbox; features/server_checks/fault_proofs.feature proves each one fails
  on a server that breaks its rule.

  Background:
    Given the provider profile "401go"

  @rfc6749_3_2
  Scenario: Tokens are issued only for POST requests
    When the client sends its token request as a GET
    Then the token endpoint issues no token

  @rfc6749_2_3_1
  Scenario: Client credentials in the URL query are not accepted
    When the client sends its client credentials in the URL query
    Then the token endpoint issues no token

  @rfc6749_5_1
  Scenario: A token response is uncacheable JSON naming a Bearer token and its lifetime in seconds
    When the client requests an access token
    Then the token response conforms to RFC 6749 §5.1

  @seed_000
  Scenario: The access token lives as long as the guide documents
    When the client requests an access token
    Then the access token lifetime is the one the profile documents

  @rfc6749_3_2_1 @rfc6749_5_2
  Scenario: A wrong client secret gets no token: 401 invalid_client with a Basic challenge
    Given the client uses a wrong client secret
    When the client requests an access token
    Then the token endpoint refuses with 401 and error "invalid_client"

  @rfc6749_5_2
  Scenario: A request without grant_type is refused with invalid_request
    When the client sends a token request without a grant type
    Then the token endpoint refuses with 400 and error "invalid_request"

  @rfc6749_5_2
  Scenario: An unknown grant type is refused with unsupported_grant_type
    When the client requests an access token with grant type "urn:example:unknown-grant"
    Then the token endpoint refuses with 400 and error "unsupported_grant_type"

  @rfc6749_3_3 @rfc6749_5_2
  Scenario: A scope the client was not given is refused with invalid_scope
    When the client requests an access token with scope "read admin"
    Then the token endpoint refuses with 400 and error "invalid_scope"
