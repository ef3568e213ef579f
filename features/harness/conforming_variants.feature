@harness @mock @401go
Feature: Conforming servers that differ from the mock are not failed
  A conformance suite is pointed at servers its authors never saw, and a
  server that behaves differently but within the RFCs must pass. These
  scenarios make the embedded mock behave as such servers do and show that
  the checks accept it: a token endpoint that narrows a requested scope and
  says so in `scope` (RFC 6749 §3.3 lets it), a server that answers a
  request for only scopes the client was not given with its default scope
  and says so, at the token and the authorization endpoint, and a client that
  authenticated in the body and so gets a 401 without a Basic challenge
  (RFC 6749 §5.2 asks for one only after the Authorization header), and a
  server that publishes its metadata only as OpenID Connect discovery:
  RFC 8414 is optional (its §3 binds "Authorization servers supporting
  metadata"), so the 404 at its well-known URI is no failure, and the
  metadata checks judge the OpenID Connect document instead.

  @rfc6749_3_3
  Scenario: A server that narrows a requested scope and says so is not failed
    Given the provider profile "401go"
    And the token endpoint narrows a requested scope to the ones the client was given, and says so
    When the client requests an access token with a scope it was given and one it was not
    Then the token endpoint does not grant the scope it was not given
    And the token request succeeded

  @rfc6749_3_3
  Scenario: A server that answers a lone unknown scope with its default scope and says so is not failed
    Given the provider profile "401go"
    And the authorization server answers a request for only scopes the client was not given with its default scope, saying so
    When the client requests an access token with only a scope it was not given
    Then the token endpoint does not grant the scope it was not given
    And the token request succeeded

  @rfc6749_3_3
  Scenario: A code for the default scope instead of a lone unknown one, said in the token response, is not failed
    Given the provider profile "401go"
    And the authorization server answers a request for only scopes the client was not given with its default scope, saying so
    When the user approves a request for only a scope the client was not given, and any code is exchanged
    Then the authorization server did not grant the scope it was not given
    And the token request succeeded

  @rfc6749_5_2
  Scenario: A client that authenticated in the body needs no Basic challenge
    Given the provider profile "login3"
    And the client uses a wrong client secret
    When the client requests an access token
    Then the token endpoint refuses with error "invalid_client"
    And the token request has no "Authorization" header

  @rfc8414_3 @rfc8414_3_2
  Scenario: A server that publishes only OpenID Connect discovery is not failed for a missing RFC 8414 document
    Given the provider profile "401go"
    And the mock publishes its metadata only as OpenID Connect discovery
    When the client fetches the authorization server metadata
    Then the metadata response check skips, naming "OpenID Connect discovery document"
    And the metadata's issuer is identical to the issuer its URL was formed from
    And the metadata has the members RFC 8414 §2 requires
