@guide @authorization_code @seed_001
Feature: 401GO authorization code flow
  Seed 001. The application sends the user to GET /api/o/authorize/ with
  response_type=code, its client_id, its redirect_uri, a space-separated scope
  (e.g. participant:read participant:write) and a state against CSRF. The
  user logs in, authorizes the application and, having several accounts
  (participant, company, advisor), chooses which one to grant. The user then
  comes back to the registered redirect_uri with a code and the same state.
  The application exchanges the code with a POST to /api/o/token/ carrying
  grant_type=authorization_code, code, redirect_uri, client_id and
  client_secret in the form body, and gets a Bearer access token valid for 60
  minutes, used in the Authorization header of every API request. Once
  connected, the client may confirm the connection with its client_id as
  form data.

  The guide's own statements, checked for every profile that declares it
  follows the 401GO guide; what RFC 6749 asks of every authorization server
  (state, CSRF, code reuse and binding) is in features/rfc/.

  Background:
    Given the profile under test

  @rfc6749_4_1_1
  Scenario: The authorization URL asks for a code with the client's id, redirect URI, scope and state
    When the user logs in and approves access as the "participant" account
    Then the authorization URL goes to "/api/o/authorize/"
    And the authorization URL has "response_type" = "code"
    And the authorization URL carries the client id and the registered redirect URI
    And the authorization URL has "scope" = "participant:read participant:write"
    And the authorization URL has no "code_challenge"


  @rfc6749_4_1_2
  Scenario Outline: A user with several accounts chooses which one to grant (<account>)
    When the user logs in and approves access as the "<account>" account
    Then the user is redirected to the redirect URI with a code and the same state
    When the client exchanges the code
    And the client calls the API with the access token
    Then the API accepts the request
    And the API says the token acts for the "<account>" account

    Examples:
      | account     |
      | participant |
      | company     |
      | advisor     |

  @mock
  Scenario: A user with one account is not asked to choose
    Given the user has only the "company" account
    When the user logs in and approves access
    And the client exchanges the code
    And the client calls the API with the access token
    Then the API says the token acts for the "company" account

  @mock
  Scenario: An account the user does not have cannot be chosen
    Given the user has only the "participant" account
    When the user logs in and approves access as the "advisor" account
    Then the authorization fails with an error naming "is not offered"





  @rfc6749_4_1_3
  Scenario: The code exchange sends the secret in the form body
    When the user logs in and approves access as the "participant" account
    And the client exchanges the code
    Then the token request was sent as "POST" to "/api/o/token/"
    And the token request has the header "Content-Type" = "application/x-www-form-urlencoded"
    And the token request body has "grant_type" = "authorization_code"
    And the token request body carries the registered redirect URI
    And the token request body carries the client credentials
    And the token request has no "Authorization" header
    And the token request succeeded

  @rfc6749_5_1
  Scenario: The exchange gives a Bearer access token valid for 60 minutes and a refresh token
    When the user logs in and approves access as the "participant" account
    And the client exchanges the code
    Then the token response conforms to RFC 6749 §5.1
    And the token type is "Bearer"
    And the access token lifetime is 3600 seconds
    And the token response carries a refresh token

  @mock @rfc6750_3_1
  Scenario: The access token stops working after 60 minutes
    Given the client has tokens from the authorization code flow
    When 59 minutes pass
    And the client calls the API with the access token
    Then the API still accepts the token within its documented lifetime
    When 2 minutes pass
    And the client calls the API with the access token
    Then the API refuses the expired token





  @mock @rfc6749_4_1_2
  Scenario: A code expires
    When the user logs in and approves access as the "participant" account
    And 11 minutes pass
    And the client exchanges the expired code
    Then the token endpoint refuses with 400 and error "invalid_grant"


  @needs_connection_success
  Scenario: Optionally, the client confirms the connection with its client_id as form data
    Given the client has tokens from the authorization code flow
    When the client confirms the connection
    Then the connection-success call is answered 200
    And the connection-success request carries "client_id" as form data
    And the connection-success request matches the snapshot "401go_connection_success_request"

  @mock @needs_connection_success
  Scenario: The connection-success call refuses a JSON body
    Given the client has tokens from the authorization code flow
    When the client confirms the connection with a JSON body
    Then the connection-success call is answered 415
