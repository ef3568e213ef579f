@rfc @jwt_access_tokens @needs_jwt_access_tokens
Feature: JWT access tokens
  RFC 9068, for a server whose profile says its access tokens are JWTs
  (token.access_token_format = "jwt"). A JWT access token declares what it
  is: its typ header is the media type application/at+jwt, written at+jwt
  (§2.1). It carries the claims §2.2 requires: iss, exp, aud, sub,
  client_id (the client that asked for it), iat and jti. It is signed, never
  with alg none (§2.1), by a key the server publishes in its JWKS, which is
  what a resource server verifies it with (§4). Its iss is exactly the
  server's issuer identifier (§4: the profile's issuer), and its aud names
  the resource the token was asked for (§3: the RFC 8707 resource, or the
  audience the profile sends). The client reads the token only to judge the
  server here: RFC 9068 §6 keeps access tokens opaque to clients.

  Background:
    Given the profile under test

  @rfc9068_2_1 @rfc9068_2_2 @rfc9068_3 @rfc9068_4 @needs_client_credentials
  Scenario: A client credentials access token is a JWT access token as RFC 9068 describes
    When the client requests an access token
    Then the access token is a JWT access token as RFC 9068 describes
