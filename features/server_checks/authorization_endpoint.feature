@server_checks @authorization_endpoint @401go
Feature: Server checks: the authorization endpoint
  A checklist for reviewing where an authorization server sends the user. It
  must never redirect to a redirect URI that was not registered for the
  client (RFC 6749 §3.1.2.4, §4.1.2.1: it informs the user instead). It sends
  the user back with the client's state unchanged, with the code (§4.1.2) and
  with an error (§4.1.2.1); a user who denies access comes back with
  error=access_denied (§4.1.2.1).

  Background:
    Given the provider profile "401go"

  @rfc6749_3_1_2_4 @rfc6749_4_1_2_1
  Scenario: An unregistered redirect URI is never redirected to
    When the user logs in and approves access for the unregistered redirect URI "http://127.0.0.1:9/not-registered/"
    Then the authorization server did not redirect to the unregistered redirect URI

  @rfc6749_4_1_2
  Scenario: The code comes back with the client's state unchanged
    When the user logs in and approves access as the "participant" account
    Then the user is redirected to the redirect URI with a code and the same state

  @rfc6749_4_1_2_1
  Scenario: A denial comes back as access_denied with the client's state unchanged
    When the user logs in and denies access
    Then the user is redirected with error "access_denied" and the same state
