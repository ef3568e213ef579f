@rfc @authorization_endpoint @needs_authorization_code
Feature: The authorization endpoint
  RFC 6749 §4.1. The client sends the user to the authorization endpoint,
  which serves GET (§3.1: a browser follows a link), with response_type=code, its client id, its redirect URI, the scope it
  wants and a state (§4.1.1): a fresh, unguessable value that binds the
  answer to this attempt (§10.12). The server must never redirect to a
  redirect URI that was not registered for the client (§3.1.2.4, §4.1.2.1:
  it informs the user instead), nor to a near miss of a registered one: it
  compares by exact string matching (RFC 9700 §2.1, RFC 6749 §3.1.2.3),
  nor to the registered one with a fragment added (§3.1.2: "The endpoint URI
  MUST NOT include a fragment component"), nor to an http redirect URI on a
  host that is not loopback, which the second client tried to register (RFC 9700
  §2.6: "authorization servers MUST NOT allow redirect URIs that use the
  http scheme except for native clients that use Loopback Interface
  Redirection"; on a real server the OAUTH_CONFORMANCE_HTTP_REDIRECT_URI
  setting names it), and
  never redirects a request whose client_id is missing or it never issued
  (§4.1.2.1). A request whose response_type is missing or not understood
  gets an error redirect (§3.1.1, §4.1.2.1); a parameter the server does not
  recognise is ignored (§3.1). It sends the user back with the code and the
  client's state unchanged, in the query component of the redirect URI
  (§4.1.2), and a user who denies access with
  error=access_denied and the state (§4.1.2.1). A redirect whose state is
  missing or not the client's is refused before any code is exchanged
  (§10.12), and the same redirect twice is refused the second time (RFC 9700
  §2.1: the state is for one use). A server that says it names itself in its
  responses (RFC 9207; the profile's authorization_code.iss_parameter_supported,
  from the metadata's authorization_response_iss_parameter_supported) puts
  iss, its issuer identifier, in every code and error redirect (§2), and the
  client refuses a redirect whose iss is another's, or missing, before any
  code is exchanged (§2.4). The server protects its consent against
  CSRF (§10.12): an approval posted without the consent form's CSRF token,
  or with a made-up one, gives no code; a form without any token is posted
  from another site as it is (with that site's Origin and Referer, the
  session cookie attached unless its SameSite attribute keeps it back).
  Every login, consent and error page the server shows is protected against
  clickjacking (RFC 9700 §4.16: MUST; by CSP frame-ancestors: SHOULD), and
  the endpoint does not support CORS (RFC 9700 §2.6). With PKCE (RFC 7636 §4.4), a
  code_challenge_method the server does not support gets an error redirect
  with invalid_request (§4.4.1), as does a request without a challenge to
  a server the profile says requires PKCE (§4.4.1), and the challenge is never readable in
  what the client receives: not as a parameter, not inside the code.
  The server verifies the user (§3.1): a wrong password gets no code; and
  it never answers the login form with a 307 redirect, which would have
  the browser send the password on (RFC 9700 §2.1, §4.12). The scope is
  optional (§4.1.1): without authorization_code.default_scope the requests
  carry none. A scope the client was not given, asked for alone, is refused,
  or the code is for another scope and the token response says which
  (§3.3, §5.1).

  Background:
    Given the profile under test

  @rfc6749_4_1_1
  Scenario: The authorization URL asks for a code for the client, its registered redirect URI and scope, with a state
    When the user logs in and approves access
    Then the authorization URL goes to the authorization endpoint
    And the authorization URL has "response_type" = "code"
    And the authorization URL carries the client id and the registered redirect URI
    And the authorization URL carries the scope the profile asks for

  @rfc6749_10_12
  Scenario: Every attempt carries a fresh, unguessable state
    When the user logs in and approves access
    And the user logs in and approves access
    Then every authorization attempt had a fresh, unguessable state

  @rfc6749_3_1
  Scenario: The authorization endpoint serves the GET request a browser sends
    When the user agent opens the authorization URL
    Then the authorization endpoint served the GET request

  @rfc6749_4_1_2
  Scenario: The code comes back with the client's state unchanged
    When the user logs in and approves access
    Then the user is redirected to the redirect URI with a code and the same state
    And the code and the state came in the query component of the redirect URI

  @rfc7636_4_4_1 @rfc6749_4_1_2_1
  Scenario: A code_challenge_method the server does not support gets an invalid_request redirect
    When the user logs in and approves access with the code_challenge_method "S512"
    Then the authorization server redirected invalid_request for the unsupported code_challenge_method

  @rfc7636_4_4_1 @rfc6749_4_1_2_1 @needs_pkce_required
  Scenario: A server that requires PKCE answers a request without code_challenge with an invalid_request redirect
    When the user logs in and approves access without a PKCE challenge
    Then the authorization server redirected invalid_request for the missing code_challenge

  @rfc7636_4_4
  Scenario: The redirect with the code does not reveal the code challenge
    When the user logs in and approves access with a PKCE challenge
    Then the redirect with the code does not reveal the code challenge

  @rfc6749_3_1_2_4 @rfc6749_4_1_2_1
  Scenario: An unregistered redirect URI is never redirected to
    When the user logs in and approves access for the unregistered redirect URI "http://127.0.0.1:9/not-registered/"
    Then the authorization server did not redirect to the unregistered redirect URI

  @rfc9700_2_1 @rfc6749_3_1_2_3
  Scenario Outline: A near miss of the registered redirect URI (<near miss>) is never redirected to
    When the user logs in and approves access for the registered redirect URI with "<near miss>"
    Then the authorization server did not redirect to the near-miss redirect URI

    Examples:
      | near miss                 |
      | an extra path segment     |
      | an extra query parameter  |
      | a trailing slash toggled  |
      | the path in other case    |
      | another port              |
      | userinfo                  |
      | another subdomain or host |

  @rfc6749_3_1_2 @rfc9700_2_1
  Scenario: The registered redirect URI with a fragment added is never redirected to
    When the user logs in and approves access for the registered redirect URI with a fragment
    Then the authorization server did not redirect to the redirect URI with the fragment

  @rfc9700_2_6
  Scenario: An http redirect URI on a host that is not loopback is never redirected to
    When the user logs in and approves access for the http redirect URI the second client tried to register
    Then the authorization server did not redirect to the http redirect URI

  @rfc6749_4_1_2_1
  Scenario: A client id the server never issued is not redirected to the redirect URI
    When the user logs in and approves access for a client id the server never issued
    Then the authorization server did not redirect the unknown client's request to the redirect URI

  @rfc6749_4_1_2_1
  Scenario: A request without client_id is not redirected to the redirect URI
    When the user logs in and approves access for a request without client_id
    Then the authorization server did not redirect the request without client_id to the redirect URI

  @rfc6749_3_1
  Scenario: A parameter the authorization endpoint does not know is ignored
    When the user logs in and approves access
    And the user logs in and approves access with a parameter the server does not know
    Then the authorization server answered it as without the unknown parameter

  @rfc6749_3_1_1 @rfc6749_4_1_2_1
  Scenario Outline: A request with <which> response_type gets an error redirect
    When the user logs in and approves access with <which> response_type
    Then the authorization server redirected the response type error back to the client

    Examples:
      | which      |
      | no         |
      | an unknown |

  @rfc6749_10_12
  Scenario Outline: An approval whose CSRF token is <forgery> gives no code
    When the user logs in and approves access with the consent form's CSRF token <forgery>
    Then the authorization server issued no code for the forged approval

    Examples:
      | forgery  |
      | left out |
      | made up  |

  @rfc9700_4_16
  Scenario: The login, consent and error pages cannot be framed by another site
    When the user logs in and approves access
    And the user logs in and approves access for a client id the server never issued
    Then every page the authorization server showed is protected against framing

  @rfc9700_2_6
  Scenario: The authorization endpoint does not support CORS
    When another site's script requests the authorization URL, with a preflight and without
    Then the authorization endpoint admitted no other site's script

  @rfc6749_3_3 @rfc6749_5_1 @needs_denied_scope
  Scenario: A scope the client was not given, asked for alone, is refused, or left out and the token response says so
    When the user approves a request for only a scope the client was not given, and any code is exchanged
    Then the authorization server did not grant the scope it was not given

  @rfc6749_4_1_2_1
  Scenario: A denial comes back as access_denied with the client's state unchanged
    When the user logs in and denies access
    Then the user is redirected with error "access_denied" and the same state

  @rfc6749_3_1
  Scenario: A wrong password does not get past the login page
    When the user logs in with a wrong password
    Then the wrong password does not get past the login page

  @rfc9700_2_1
  Scenario: The answer to the login form never forwards the password (no 307 redirect)
    When the user logs in and approves access
    Then the answer to the login form did not forward the password

  @rfc9207_2 @needs_iss_parameter
  Scenario: Every authorization response, a code or an error, names the issuer in iss
    When the user logs in and approves access
    And the user logs in and denies access
    Then every authorization response carried iss, the issuer

  @rfc9207_2_4 @needs_iss_parameter
  Scenario: A redirect whose iss is another server's is refused as a mix-up and no code is exchanged
    When the user logs in and approves access
    And the client is redirected with iss changed to "https://attacker.example"
    Then the redirect is refused as a mix-up and no code is exchanged

  @rfc9207_2_4 @needs_iss_parameter
  Scenario: A redirect without iss, from a server that sends it, is refused as a mix-up and no code is exchanged
    When the user logs in and approves access
    And the client is redirected without iss
    Then the redirect is refused as a mix-up and no code is exchanged

  @rfc6749_10_12
  Scenario: A redirect with a different state is refused as CSRF and no code is exchanged
    When the user logs in and approves access
    And the client is redirected with the state changed to "forged-by-an-attacker"
    Then the redirect is refused as a CSRF attempt and no code is exchanged

  @rfc6749_10_12
  Scenario: A redirect without the state is refused as CSRF and no code is exchanged
    When the user logs in and approves access
    And the client is redirected without the state
    Then the redirect is refused as a CSRF attempt and no code is exchanged

  @rfc9700_2_1
  Scenario: A callback works once: the same redirect again is refused before any token request
    When the user logs in and approves access
    And the client exchanges the code
    And the same redirect reaches the client again
    Then the client refuses the replayed redirect and sends no token request

  @needs_snapshots
  Scenario: The authorization URL shape is pinned
    When the user logs in and approves access
    Then the authorization URL matches the profile's snapshot "authorization_url"
