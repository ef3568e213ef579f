@rfc @introspection @needs_introspection @needs_client_credentials
Feature: Introspecting tokens
  RFC 7662. A protected resource (here, the test client) asks the
  introspection endpoint about a token with a POST: the token in a form
  body, and its authentication; the endpoint MUST require some form of
  authorization, against token scanning (§2.1). The answer is a JSON object
  whose `active` (REQUIRED) says whether the token is live; for a live token
  the optional members (`scope`, `client_id`, `exp`, `token_type`, ...) say
  what the server knows of it (§2.2). A token that is revoked, expired,
  unknown or not the caller's is `"active": false` (MUST), and nothing more
  (SHOULD NOT include any additional information, not even why). The
  introspection endpoint is the profile's introspection_path (`profile
  discover` fills it from the metadata's introspection_endpoint).

  Background:
    Given the profile under test
    And the client has an access token

  @rfc7662_2_2
  Scenario: A live access token is active, with members that agree with its token response
    When the client introspects the access token
    Then the introspection says the token is active, in a JSON object
    And the introspection's members agree with the token response

  @rfc7662_2_2 @rfc7009_2 @needs_revocation @needs_api
  Scenario: A revoked access token is inactive
    When the client revokes its access token
    And the client calls the API with the access token
    And the client introspects the access token
    Then the introspection says the revoked token is inactive and nothing more

  @rfc7662_2_2
  Scenario: An expired access token is inactive
    When the access token's lifetime has passed
    And the client introspects the access token
    Then the introspection says the expired token is inactive and nothing more

  @rfc7662_2_2
  Scenario: A token the server never issued is inactive
    When the client introspects the made-up token "not-a-token-this-server-issued"
    Then the introspection says the made-up token is inactive and nothing more

  @rfc7662_2_2
  Scenario: An access token with one character changed is inactive
    When the client introspects the access token changed in one character
    Then the introspection says the tampered token is inactive and nothing more

  @rfc7662_2_1
  Scenario: A caller that does not authenticate learns nothing
    When the client introspects the access token without authenticating
    And the client introspects the access token with a wrong client secret
    Then the unauthenticated introspections learned nothing
