@errors @harness @mock @401go
Feature: Bad answers from a server fail clearly and never hang
  A conformance tool meets broken servers. When the token endpoint answers
  with an HTML error page, a body that is not JSON or is cut off, an empty
  500, a body over the size cap, or nothing within the timeout, the request
  fails with the URL, the status, the content type and the first bytes
  received (redacted), and the run goes on.

  Background:
    Given the provider profile "401go"

  Scenario: An HTML error page is reported with its status, content type and first bytes
    Given the token endpoint answers with an HTML error page
    When the client requests an access token
    Then the token request fails with an error naming "status 500"
    And the token request fails with an error naming "text/html"
    And the token request fails with an error naming "<html><head><title>Server Error (500)"
    And the token request fails with an error naming "not JSON"

  Scenario: A server error page that echoes the credentials does not leak them
    Given the token endpoint answers with an HTML error page
    When the client requests an access token
    Then the error does not reveal the client credentials

  Scenario: A body that is not JSON is reported
    Given the token endpoint answers with a body that is not JSON
    When the client requests an access token
    Then the token request fails with an error naming "not JSON"
    And the token request fails with an error naming "text/plain"
    And the token request fails with an error naming "OK: token issued"

  Scenario: A truncated JSON body is reported
    Given the token endpoint answers with a truncated JSON body
    When the client requests an access token
    Then the token request fails with an error naming "truncated"
    And the token request fails with an error naming "status 200"

  Scenario: An empty 500 is reported
    Given the token endpoint answers 500 with an empty body
    When the client requests an access token
    Then the token request fails with an error naming "status 500"
    And the token request fails with an error naming "empty"

  Scenario: A body over the size cap is refused without buffering it
    Given the token endpoint answers with a body of 2000000 bytes
    When the client requests an access token
    Then the token request fails with an error naming "larger than the 1048576-byte cap"
    And the token request fails with an error naming "application/json"

  Scenario: A server that does not answer in time is given up on
    Given the token endpoint answers only after 3 seconds
    And the client gives up after 300 milliseconds
    When the client requests an access token
    Then the token request fails with an error naming "did not answer within 300ms"
    And the token request fails with an error naming "/api/o/token/"

  Scenario: An unreachable server is reported with its URL
    Given the token endpoint is unreachable
    When the client requests an access token
    Then the token request fails with an error naming "could not connect to http://127.0.0.1:"
    And the token request fails with an error naming "Is the server running"

  @rfc6749_4_1_2_1
  Scenario: An error response in the redirect URI's fragment fails, saying where it came
    Given the authorization endpoint sends its error responses in the redirect URI's fragment
    When the user logs in and approves access with no response_type
    Then the response type check fails, naming "fragment"
