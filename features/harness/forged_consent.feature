@harness @mock @401go @rfc6749_10_12
Feature: A consent form without a CSRF token is still forged
  RFC 6749 §10.12: the authorization server protects its authorization
  endpoint against CSRF. A server whose consent form carries no CSRF token
  is not set aside: the approval is posted as another site's page would post
  it (that site's Origin and Referer, the session cookie attached as a
  browser attaches it to a cross-site POST, or kept back where its SameSite
  attribute says so), and a code fails, naming the cookie's SameSite
  attribute. The same form behind a SameSite=Strict or Lax session cookie
  is protected: the browser keeps the cookie back, so the approval finds no
  session. There is no token to make up, so that scenario is skipped,
  naming the one that judges the form.

  Background:
    Given the provider profile "401go"

  Scenario: A consent form without a token, behind a cookie without SameSite, fails naming the cookie
    Given the server serves a consent form without a CSRF token and approves it from another site
    When the user logs in and approves access with the consent form's CSRF token left out
    Then the forged approval check fails, naming "mock_session (no SameSite attribute, attached"
    And the forged approval check fails, naming "carries no CSRF token field the suite recognises"
    And the forged approval check fails, naming "Origin and Referer https://cross-site.invalid"

  Scenario Outline: The same form behind a SameSite=<same_site> session cookie passes
    Given the mock's consent form carries no CSRF token
    And the mock's session cookie is SameSite=<same_site>
    When the user logs in and approves access with the consent form's CSRF token left out
    Then the authorization server issued no code for the forged approval

    Examples:
      | same_site |
      | Strict    |
      | Lax       |

  Scenario: With no token to make up, the made-up forgery is skipped, naming the one that judges the form
    Given the mock's consent form carries no CSRF token
    And the mock's session cookie is SameSite=Strict
    When the user tries to approve access with the consent form's CSRF token made up
    Then the scenario would be skipped, naming "judged where the token is left out"
