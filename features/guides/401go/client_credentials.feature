@guide @client_credentials @seed_000
Feature: 401GO client credentials flow
  Seed 000. Approved 401GO partners authenticate machine to machine with the
  client credentials grant. The client POSTs to /api/o/token/ with its client
  id and secret in the Authorization header (HTTP Basic) and a form-encoded body
  holding grant_type=client_credentials and, optionally, a space-separated
  scope. The answer is a Bearer access token valid for 60 minutes (3600 s),
  used in the Authorization header of API calls with a JSON content type. When
  it expires, the client repeats the same request for a new one.

  The guide's own statements, checked for every profile that declares it
  follows the 401GO guide (`guides = ["401go"]`); what RFC 6749 asks of every
  token endpoint is in features/rfc/.

  Background:
    Given the profile under test

  @rfc6749_3_2
  Scenario: The token request is a POST to /api/o/token/
    When the client requests an access token
    Then the token request was sent as "POST" to "/api/o/token/"
    And the token request succeeded

  @rfc6749_2_3_1
  Scenario: The client authenticates with HTTP Basic, not with a secret in the body
    When the client requests an access token
    Then the token request authenticates the client with HTTP Basic
    And the token request body has no "client_secret"
    And the token request body has no "client_id"

  @rfc6749_4_4_2
  Scenario: The body is form-encoded and names the client credentials grant
    When the client requests an access token
    Then the token request has the header "Content-Type" = "application/x-www-form-urlencoded"
    And the token request body has "grant_type" = "client_credentials"
    And the token request conforms to the profile

  Scenario: The scope is optional
    When the client requests an access token
    Then the token request body has no "scope"
    And the token request succeeded

  @rfc6749_3_3
  Scenario: Several scopes travel as one space-separated parameter
    When the client requests an access token with scope "read write"
    Then the token request body has "scope" = "read write"
    And the granted scope is "read write"

  @rfc6749_5_1 @needs_documented_lifetime
  Scenario: A successful response is a Bearer token valid for 3600 seconds
    When the client requests an access token
    Then the token response conforms to RFC 6749 §5.1
    And the token type is "Bearer"
    And the access token lifetime is the one the profile documents
    And the access token lifetime is 3600 seconds

  @rfc6750_2_1
  Scenario: The access token goes in the Authorization header with a JSON content type
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request presents the access token as a Bearer token, as the guide documents
    And the API accepts the request
    And the API request has the header "Content-Type" = "application/json"

  @mock
  Scenario: Access tokens are valid for 60 minutes
    Given the client has an access token
    When 59 minutes pass
    And the client calls the API with the access token
    Then the API still accepts the token within its documented lifetime
    When 2 minutes pass
    And the client calls the API with the access token
    Then the API refuses the expired token

  @mock
  Scenario: When the token has expired, the client repeats the same request
    Given the client has an access token
    When 61 minutes pass
    And the client requests an access token
    Then the client received a new access token
    And the last two token requests are identical
    When the client calls the API with the access token
    Then the API accepts the request





  @mock @rfc6749_2_3_1
  Scenario Outline: Client id and secret are form-urlencoded before base64 (<case>)
    Given the client is registered with id "<id>" and secret "<secret>"
    When the client requests an access token
    Then the token request conforms to the profile
    And the token request succeeded
    And the Basic credentials in the token request decode to "<encoded>"

    Examples:
      | case           | id                 | secret    | encoded                           |
      | plain          | plain-client       | s3cret    | plain-client:s3cret               |
      | colons         | client:with:colons | pa:ss     | client%3Awith%3Acolons:pa%3Ass    |
      | percent signs  | percent%client     | 100%sure  | percent%25client:100%25sure       |
      | spaces         | space client       | my secret | space+client:my+secret            |
      | plus signs     | plus+client        | a+b+c+d   | plus%2Bclient:a%2Bb%2Bc%2Bd       |
      | non-ASCII      | klïent             | sécret€   | kl%C3%AFent:s%C3%A9cret%E2%82%AC  |

  Scenario: The token request shape is pinned
    When the client requests an access token with scope "read write"
    Then the token request matches the snapshot "401go_client_credentials_token_request"

  Scenario: The API call shape is pinned
    Given the client has an access token
    When the client calls the API with the access token
    Then the API request matches the snapshot "401go_api_request"
