@rfc @metadata @needs_issuer @rfc8414_2
Feature: What the metadata advertises is what the server does
  RFC 8414 §2. The metadata's lists say what "this authorization server
  supports": grant_types_supported the grant types (absent, it means
  authorization_code and implicit), response_types_supported the
  response_type values, code_challenge_methods_supported the PKCE methods
  (absent, the server does not support PKCE),
  token_endpoint_auth_methods_supported the client authentication methods
  (absent, client_secret_basic) and scopes_supported the scopes ("Servers
  MAY choose not to advertise some supported scope values"); implicit, or
  the token response type, says response_type=token is answered with an
  access token; token_endpoint and the other endpoint members are the URLs
  of the server's endpoints. OpenID Connect
  Discovery 1.0 §3 defines the same members for an OpenID document.

  A client that trusts a lying document skips what the server does and
  tries what it refuses, so each scenario fetches the document, exercises
  its claims at the server's own endpoints (listed or not) and compares.
  The members are OPTIONAL or RECOMMENDED and RFC 8414 says no MUST of
  their truth: the checks are DERIVED, and each failure names what the
  document says and what the server did. A claim nothing exercised is
  skipped with the reason, never passed.

  Background:
    Given the profile under test

  Scenario: The grant types the metadata lists are the ones the token endpoint answers
    When the client fetches the authorization server metadata
    And the client tries each grant type at the token endpoint
    Then the token endpoint answers the grant types as the metadata lists them

  Scenario: The response types the metadata lists are response types
    When the client fetches the authorization server metadata
    Then every response type the metadata lists is a response type

  Scenario: The client authentication methods the metadata lists are the ones that authenticate
    When the client fetches the authorization server metadata
    And the client authenticates with each method at the token endpoint
    Then the token endpoint authenticates the client as the metadata lists the methods

  Scenario: The scopes the metadata lists are not refused as invalid
    When the client fetches the authorization server metadata
    And the client asks for each scope the metadata lists
    Then the token endpoint grants the scopes the metadata lists

  @needs_authorization_code
  Scenario: The PKCE methods the metadata lists are the ones the authorization endpoint accepts
    When the client fetches the authorization server metadata
    And the user logs in and approves access once with each code_challenge_method "S256, plain"
    Then the authorization endpoint answers the code_challenge_methods as the metadata lists them

  @needs_authorization_code
  Scenario: The implicit grant the metadata lists or leaves out is what the authorization endpoint does
    When the client fetches the authorization server metadata
    And the user logs in and approves access with response_type token
    Then the authorization endpoint answers response_type token as the metadata lists it

  Scenario: The endpoints the metadata lists are the ones that answer
    When the client fetches the authorization server metadata
    And the client calls each endpoint the metadata lists
    Then every endpoint the metadata lists is the run's or answers
