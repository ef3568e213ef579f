@rfc @token_endpoint @needs_client_credentials
Feature: The token endpoint, with the client credentials grant
  RFC 6749. A client asks the token endpoint for an access token with a POST
  (§3.2) whose body is form-encoded and names the grant (§4.4.2), and it
  authenticates in exactly one way (§2.3): with HTTP Basic, its id and secret
  form-urlencoded before base64 (§2.3.1), or as the profile says. The server
  issues tokens only for such a request: never for a wrong secret
  (§3.2.1), never for a client_id alone: the server MUST authenticate the
  client (§4.4.2), and the grant is for confidential clients only (§4.4). A token
  response is JSON that must not be cached and names the token type and its
  lifetime in seconds (§5.1). A refusal has status 400 (401 with a challenge
  of the scheme used when the client used the Authorization header), is a
  JSON object with the error code §5.2 defines for the fault, and uses only
  the allowed characters, its error_uri a URI-reference. A scope the client
  was not given is refused, or left out of the grant, and then the response
  says what was granted (§3.3): asked for alongside the scopes the client
  was given, and alone, where a server that drops it has nothing of the
  request left and must still say what it granted. A request without scope
  gets a default scope or invalid_scope (§3.3); the other scenarios send a
  scope only when they are about one, and skip, naming token.scope or
  token.denied_scope, when the profile names none (several scopes need two).

  The server is expected to refuse what no client may send, though the
  MUST NOTs bind the client, so these checks are DERIVED (they fail a run
  only with --strict): a GET (§3.2), credentials in the URL (§2.3.1), a
  parameter given twice (§3.2), two ways of authenticating at once (§2.3),
  the last two with invalid_request (§5.2). It must refuse a client id it
  never issued (§4.4.2: it MUST authenticate the client), with
  invalid_client (§5.2), and the password grant, which RFC 9700 §2.4
  retires. And it must take
  HTTP Basic from any client issued a password, whatever way its guide
  documents (§2.3.1).

  This feature runs for every profile under test whose client may use the
  client credentials grant; the endpoint, the client authentication and the
  scopes come from the profile.

  Background:
    Given the profile under test

  @rfc6749_3_2 @rfc6749_4_4_2 @rfc6749_2_3
  Scenario: The token request is a form-encoded POST to the token endpoint, authenticated once as the profile says
    When the client requests an access token
    Then the token request conforms to the profile
    And the token request was sent as POST to the token endpoint
    And the token request succeeded

  @rfc6749_5_1
  Scenario: A token response is uncacheable JSON naming the token type and its lifetime in seconds
    When the client requests an access token
    Then the token response conforms to RFC 6749 §5.1

  @rfc6749_3_2
  Scenario: Tokens are issued only for POST requests
    When the client sends its token request as a GET
    Then the token endpoint issues no token

  @rfc6749_2_3_1
  Scenario: Client credentials in the URL query are not accepted
    When the client sends its client credentials in the URL query
    Then the token endpoint issues no token

  @rfc6749_3_2_1 @rfc6749_5_2
  Scenario: A wrong client secret gets no token but invalid_client
    Given the client uses a wrong client secret
    When the client requests an access token
    Then the token endpoint refuses with error "invalid_client"

  @rfc6749_3_2_1 @rfc6749_5_2
  Scenario: A token request without any client authentication gets invalid_client
    When the client requests an access token without authenticating
    Then the token endpoint refuses with error "invalid_client"

  @rfc6749_4_4 @rfc6749_3_2_1 @rfc6749_5_2
  Scenario: A client credentials request with the client_id alone gets invalid_client
    When the client requests an access token with its client_id alone, without its secret
    Then the token endpoint refuses with error "invalid_client"

  @rfc6749_5_2 @needs_authorization_code
  Scenario: A grant the client is not registered for is refused with unauthorized_client
    When a client registered only for the authorization code grant requests an access token
    Then the token endpoint refuses with error "unauthorized_client"

  @rfc6749_5_2
  Scenario: A request without grant_type is refused with invalid_request
    When the client sends a token request without a grant type
    Then the token endpoint refuses with error "invalid_request"

  @rfc6749_5_2
  Scenario: An unknown grant type is refused with unsupported_grant_type
    When the client requests an access token with grant type "urn:example:unknown-grant"
    Then the token endpoint refuses with error "unsupported_grant_type"

  @rfc6749_3_2 @rfc6749_5_2
  Scenario: A token request that repeats a parameter gets no token but invalid_request
    When the client sends a token request with grant_type twice
    Then the token endpoint refuses with error "invalid_request"

  @rfc6749_2_3 @rfc6749_5_2
  Scenario: A token request that authenticates the client in two ways at once gets no token but invalid_request
    When the client authenticates with HTTP Basic and in the body at once
    Then the token endpoint refuses with error "invalid_request"

  @rfc6749_5_2
  Scenario: A client id the server never issued gets no token but invalid_client
    When a client id the server never issued requests an access token
    Then the token endpoint refuses with error "invalid_client"

  @rfc9700_2_4
  Scenario: The password grant is not used: the test user's password gets no token
    When the client asks for a token with the test user's password
    Then the token endpoint issues no token

  @rfc6749_2_3_1
  Scenario: A client issued a password may authenticate with HTTP Basic, whatever way its guide documents
    When the client requests an access token
    And the client requests an access token authenticating with HTTP Basic
    Then the token endpoint accepted HTTP Basic as it accepted the documented authentication

  @rfc6749_2_3_1 @needs_refresh_token
  Scenario: A client issued a password may refresh authenticating with HTTP Basic
    Given the client has tokens from the authorization code flow
    When the client refreshes the access token
    And the client refreshes the access token authenticating with HTTP Basic
    Then the token endpoint accepted HTTP Basic as it accepted the documented authentication

  @rfc6749_3_3
  Scenario: A token request without scope gets a default scope or invalid_scope
    When the client requests an access token without scope
    Then the token endpoint used a default scope or refused with invalid_scope

  @rfc6749_3_3 @mock
  Scenario: A client without a default scope that asks for none gets invalid_scope
    Given the client is registered without a default scope
    When the client requests an access token without scope
    Then the token endpoint used a default scope or refused with invalid_scope

  @rfc6749_3_3 @needs_scope
  Scenario: Several scopes travel as one space-separated parameter
    When the client requests an access token with several scopes it may use
    Then the token request body has the scope it asked for
    And the granted scope is the one asked for

  @rfc6749_3_3 @rfc6749_5_1 @rfc6749_5_2 @needs_scope @needs_denied_scope
  Scenario: A scope the client was not given is refused, or left out and the response says so
    When the client requests an access token with a scope it was given and one it was not
    Then the token endpoint does not grant the scope it was not given

  @rfc6749_3_3 @rfc6749_5_1 @rfc6749_5_2 @needs_denied_scope
  Scenario: A scope the client was not given, asked for alone, is refused, or left out and the response says so
    When the client requests an access token with only a scope it was not given
    Then the token endpoint does not grant the scope it was not given

  @rfc6749_3_2
  Scenario: A parameter the token endpoint does not know is ignored
    When the client requests an access token
    And the client requests an access token with a parameter the server does not know
    Then the token endpoint answered it as without the unknown parameter

  @rfc6749_3_2
  Scenario: A parameter sent without a value is treated as omitted
    When the client requests an access token
    And the client requests an access token with an empty scope
    Then the token endpoint answered the empty scope as no scope

  @rfc6750_5_3 @rfc6749_10_3
  Scenario: The client sends no secret over plain http to another host
    Given the token endpoint is served over plain http by another host
    When the client requests an access token
    Then the client refused to send its secrets over plain http

  @needs_snapshots
  Scenario: The token request shape is pinned
    When the client requests an access token
    Then the token request matches the profile's snapshot "token_request"
