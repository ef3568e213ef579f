@guide @client_credentials @seed_003
Feature: Login 3.0 client credentials flow
  Seed 003. A machine-to-machine application POSTs to /oauth/token with a
  form-encoded body holding grant_type=client_credentials, its client_id and
  client_secret, and the audience of the API it wants to call; an
  organization may be added. A successful answer is HTTP 200 with an
  access_token, token_type Bearer and expires_in 86400. The token is then
  sent as a Bearer token with a JSON content type.

  Background:
    Given the profile under test

  Scenario: The token request is a form-encoded POST to /oauth/token
    When the client requests an access token
    Then the token request was sent as "POST" to "/oauth/token"
    And the token request has the header "Content-Type" = "application/x-www-form-urlencoded"
    And the token request conforms to the profile

  @rfc6749_2_3_1
  Scenario: The client id and secret travel in the form body
    When the client requests an access token
    Then the token request body has "grant_type" = "client_credentials"
    And the token request body carries the client credentials
    And the token request has no "Authorization" header

  Scenario: The audience of the API is sent
    When the client requests an access token
    Then the token request body has "audience" = "https://api.login3.mock.test/"
    And the access token is a JWT whose "aud" is "https://api.login3.mock.test/"

  Scenario: The organization is optional
    When the client requests an access token
    Then the token request body has no "organization"
    And the token request succeeded

  Scenario: An organization can be associated with the request
    When the client requests an access token for organization "org_acme"
    Then the token request body has "organization" = "org_acme"
    And the access token is a JWT whose "org_id" is "org_acme"

  @rfc6749_5_1
  Scenario: A successful answer is HTTP 200 with a Bearer token valid for 86400 seconds
    When the client requests an access token
    Then the token response conforms to RFC 6749 §5.1
    And the token type is "Bearer"
    And the access token lifetime is 86400 seconds

  @rfc6750_2_1
  Scenario: The API is called with the Bearer token and a JSON content type
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request presents the access token as a Bearer token, as the guide documents
    And the API accepts the request
    And the API request has the header "Content-Type" = "application/json"


  @rfc6749_5_2
  Scenario: An unknown grant type is refused with unsupported_grant_type
    When the client requests an access token with grant type "password"
    Then the token endpoint refuses with 400 and error "unsupported_grant_type"

  Scenario: The token request shape is pinned
    When the client requests an access token for organization "org_acme"
    Then the token request matches the snapshot "login3_client_credentials_token_request"

  Scenario: The API call shape is pinned
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request matches the snapshot "login3_api_request"
