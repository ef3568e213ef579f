@harness @mock @401go
Feature: A scope the client was not given, dropped without saying so, is failed
  RFC 6749 §3.3: "If the issued access token scope is different from the
  one requested by the client, the authorization server MUST include the
  "scope" response parameter to inform the client of the actual scope
  granted." A server may drop a scope it does not give (a conforming
  variant shows that is not failed); asked for that scope alone, it has
  nothing of the request left, and a token response without `scope` then
  says it granted exactly what was asked. Asked for alongside a scope the
  client was given, such a server is refused here (the mixed request
  cannot show it): only the lone request does. These scenarios make the
  mock answer a lone unknown scope with its default scope and no `scope`
  member, and show that the verdict of the RFC scenarios' Then step fails
  token-response-scope, at the token endpoint and through a code.

  Background:
    Given the provider profile "401go"
    And the authorization server answers a request for only scopes the client was not given with its default scope, without saying so

  @rfc6749_3_3
  Scenario: At the token endpoint, a lone unknown scope answered with the default scope and no scope member fails token-response-scope
    When the client requests an access token with only a scope it was not given
    Then the check "token-response-scope" fails on whether the token endpoint granted the scope it was not given

  @rfc6749_3_3
  Scenario: Asked for alongside a scope it was given, the same server refuses, and passes
    When the client requests an access token with a scope it was given and one it was not
    Then the token endpoint does not grant the scope it was not given

  @rfc6749_3_3
  Scenario: At the authorization endpoint, a code for the default scope whose token response names no scope fails token-response-scope
    When the user approves a request for only a scope the client was not given, and any code is exchanged
    Then the check "token-response-scope" fails on whether the authorization server granted the scope it was not given
