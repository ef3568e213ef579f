@rfc @metadata @needs_issuer
Feature: Authorization server metadata
  RFC 8414. A server publishes its metadata at a well-known URI formed from
  its issuer identifier: "/.well-known/oauth-authorization-server" inserted
  between the host and the path, any terminating "/" removed first (§3,
  §3.1). The answer is 200 with a JSON object as application/json (§3.2).
  The issuer it names is identical to the issuer the URL was formed from;
  if it is not, a client must not use the document (§3.3). It names the
  issuer and the response types the server supports, the authorization
  endpoint unless no grant it supports uses one, and the token endpoint
  unless it supports only the implicit grant (§2). The issuer is an https
  URL without query or fragment (§2); on a loopback test server the scheme
  is not judged, and the check is reported skipped with that reason.

  RFC 8414 is optional: its §3 binds "Authorization servers supporting
  metadata". A server that answers 404 at that URI and publishes OpenID
  Connect discovery instead (Discovery 1.0 §4.1) is not failed for it: the
  response check is skipped, naming both URLs, and the other checks judge
  the OpenID Connect document, whose members RFC 8414 §2 generalises.

  This feature runs for every profile under test that names its issuer
  (`issuer`). The embedded mock serves metadata for every profile, with its
  own base URL as issuer.

  Background:
    Given the profile under test

  @rfc8414_3_1 @rfc8414_3_2
  Scenario: The metadata is a JSON object served with 200
    When the client fetches the authorization server metadata
    Then the metadata is a JSON object served with 200 as application/json

  @rfc8414_3_3
  Scenario: The metadata names the issuer its URL was formed from
    When the client fetches the authorization server metadata
    Then the metadata's issuer is identical to the issuer its URL was formed from

  @rfc8414_2
  Scenario: The metadata has the members RFC 8414 requires
    When the client fetches the authorization server metadata
    Then the metadata has the members RFC 8414 §2 requires

  @rfc8414_2
  Scenario: The issuer is an https URL without query or fragment
    When the client fetches the authorization server metadata
    Then the metadata's issuer is an https URL without query or fragment
