@guide @client_credentials @seed_002
Feature: Client credentials with a JSON body and JWT access tokens
  Seed 002. The client POSTs a JSON object holding grant_type
  client_credentials, its client_id and client_secret, and a scope: one or
  more scopes separated by spaces, or `*` for all scopes available to it. The
  Content-Type is application/json. The answer carries token_type Bearer,
  expires_in (the time to live in seconds) and the access token, which is a
  JWT whose `exp` gives the exact UNIX time it expires. API calls carry the
  token as a Bearer token with Content-Type application/vnd.api+json. Tokens
  may overlap: requesting a new one before the old expires does not break
  requests still using the old one.

  Background:
    Given the profile under test

  Scenario: The token request is a POST with a JSON body
    When the client requests an access token with scope "*"
    Then the token request was sent as "POST" to "/access-token"
    And the token request has the header "Content-Type" = "application/json"
    And the token request body is a JSON object

  Scenario: The JSON body carries the grant type, the client credentials and the scope
    When the client requests an access token with scope "*"
    Then the token request body has "grant_type" = "client_credentials"
    And the token request body carries the client credentials
    And the token request body has "scope" = "*"
    And the token request has no "Authorization" header

  Scenario: The scope * grants every scope available to the client
    When the client requests an access token with scope "*"
    Then the granted scope is "shipments.read shipments.write carriers.read"

  @rfc6749_3_3
  Scenario: Several scopes are separated by spaces
    When the client requests an access token with scope "shipments.read carriers.read"
    Then the token request body has "scope" = "shipments.read carriers.read"
    And the granted scope is "shipments.read carriers.read"

  @rfc6749_5_1 @needs_documented_lifetime
  Scenario: The response carries token_type Bearer, expires_in and the access token
    When the client requests an access token with scope "*"
    Then the token response conforms to RFC 6749 §5.1
    And the token type is "Bearer"
    And the access token lifetime is the one the profile documents

  Scenario: The access token is a JWT whose exp tells when it expires
    When the client requests an access token with scope "*"
    Then the access token is a JWT
    And the access token's exp tells when it expires

  @rfc6750_2_1
  Scenario: API calls carry the Bearer token with Content-Type application/vnd.api+json
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request presents the access token as a Bearer token, as the guide documents
    And the API accepts the request
    And the API request has the header "Content-Type" = "application/vnd.api+json"

  @mock
  Scenario: An expired access token is rejected
    Given the client has an access token
    When 86401 seconds pass
    And the client calls the API with the access token
    Then the API refuses the expired token

  Scenario: A new token fetched before the old one expires does not break running requests
    Given the client has an access token
    When the client requests a second access token while the first is fresh
    Then the client received a new access token
    When the client calls the API with the first access token
    Then the API accepts the request
    When the client calls the API with the access token
    Then the API accepts the request



  Scenario: The token request shape is pinned
    When the client requests an access token with scope "*"
    Then the token request matches the snapshot "json-body_client_credentials_token_request"

  Scenario: The API call shape is pinned
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request matches the snapshot "json-body_api_request"
