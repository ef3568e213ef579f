@harness @mock @401go @login_pages
Feature: The login driver meets login and consent pages as real servers serve them
  The authorization code flow needs a user to log in and decide, and real
  servers shape their pages in many ways. The mock serves each shape on
  request (`Given the mock serves its "<shape>" login pages`, or for a whole
  run `--mock-login-pages <shape>`): the accounts as radio buttons, an
  approve button without a name, a deny control that is a second form or a
  link, a page that moves on by itself, no login page at all, a login page
  on a second origin. The driver gets through each, chooses the account the
  scenario asks for, and denies only with a control that denies.

  Where a scenario cannot act as it says (no login page for a wrong
  password, nothing to deny), it is skipped with the reason; where the
  driver cannot understand a page, or would have to send the user's
  password or session somewhere it must not, it is "not run", with what it
  saw. Neither is a verdict on the server. Cookies stay with the origin that
  set them, and the password goes only to the authorization server's origin
  and the origins the profile lists (`login_origins`).

  Pages only a script renders (`script-only`: no form in the HTML) are
  driven in headless Chromium when one is installed (`@browser`; skipped
  where Chromium is not, required on CI), under the same rules: the
  browser's requests are sent by the suite with each origin's own cookies,
  and a page whose script sends the password elsewhere is stopped.

  Background:
    Given the provider profile "401go"

  Scenario Outline: On <shape> pages the user chooses an account and the token acts for it
    Given the mock serves its "<shape>" login pages
    When the user logs in and approves access as the "company" account
    And the client exchanges the code
    And the client calls the API with the access token
    Then the API says the token acts for the "company" account

    Examples:
      | shape           |
      | standard        |
      | radio-accounts  |
      | unnamed-approve |
      | deny-form       |
      | deny-link       |
      | interstitial    |
      | no-login        |
      | second-origin   |

  Scenario Outline: On <shape> pages the user denies with "<control>"
    Given the mock serves its "<shape>" login pages
    When the user logs in and denies access
    Then the user is redirected with error "access_denied" and the same state
    And the user denied with "<control>"

    Examples:
      | shape           | control    |
      | standard        | Cancel     |
      | radio-accounts  | Cancel     |
      | unnamed-approve | Cancel     |
      | deny-form       | Decline    |
      | deny-link       | [ Cancel ] |
      | interstitial    | Cancel     |
      | no-login        | Cancel     |
      | second-origin   | Cancel     |

  Scenario: A consent page without a way to deny is never answered with an approval
    Given the mock serves its "no-deny" login pages
    When the user tries to deny access
    Then the scenario would be skipped, naming "no control to deny access"
    And the mock issued no code

  Scenario: Without a login page there is no password to get wrong
    Given the mock serves its "no-login" login pages
    When the user tries to log in with a wrong password
    Then the scenario would be skipped, naming "showed no login page"

  Scenario: A server that asks for nothing leaves nothing to deny
    Given the mock serves its "no-login" login pages
    And the user has only the "company" account
    When the user tries to deny access
    Then the scenario would be skipped, naming "there was nothing to deny"

  Scenario: A page the driver cannot understand is "not run", with what it saw
    Given the mock serves its "script-only" login pages
    And the profile never uses a browser for the login
    When the user tries to log in and approve access
    Then the scenario would be not run, naming "could not drive the login"
    And the scenario would be not run, naming "forms: none"

  Scenario: Without Chromium, a page only a script renders is "not run", saying how to get one
    Given the mock serves its "script-only" login pages
    And no Chromium is installed
    When the user tries to log in and approve access
    Then the scenario would be not run, naming "forms: none"
    And the scenario would be not run, naming "apt-get install chromium"

  @browser
  Scenario: In headless Chromium, pages only a script renders are driven: the account is chosen
    Given headless Chromium is installed
    And the mock serves its "script-only" login pages
    When the user logs in and approves access as the "company" account
    And the client exchanges the code
    And the client calls the API with the access token
    Then the API says the token acts for the "company" account

  @browser
  Scenario: In headless Chromium, the user denies on a consent screen a script renders
    Given headless Chromium is installed
    And the mock serves its "script-only" login pages
    When the user logs in and denies access
    Then the user is redirected with error "access_denied" and the same state
    And the user denied with "Cancel"

  @browser
  Scenario: In headless Chromium, a wrong password does not get past the login page
    Given headless Chromium is installed
    And the mock serves its "script-only" login pages
    When the user logs in with a wrong password
    Then the wrong password does not get past the login page
    And what the login reports shows no password

  @browser
  Scenario: In headless Chromium, a script that posts the password to another origin is stopped
    Given headless Chromium is installed
    And the mock serves its "script-leaks" login pages
    When the user tries to log in and approve access
    Then the scenario would be not run, naming "with the password to http://127.0.0.1:9"
    And what the login reports shows no password

  Scenario: The password never goes to an origin the profile does not allow
    Given the mock serves its "second-origin" login pages
    And the profile does not allow the login origin
    When the user tries to log in and approve access
    Then the scenario would be not run, naming "with the password to http://127.0.0.1:"
    And the login origin received no password
    And no cookie crossed between the origins

  Scenario: An allowed login origin gets the password, and no origin gets another's cookies
    Given the mock serves its "second-origin" login pages
    When the user logs in and approves access
    Then the user is redirected to the redirect URI with a code and the same state
    And the login origin received the password
    And no cookie crossed between the origins

  @browser
  Scenario: In headless Chromium too, the password never goes to an origin the profile does not allow
    Given headless Chromium is installed
    And the mock serves its "second-origin" login pages
    And the profile always uses a browser for the login
    And the profile does not allow the login origin
    When the user tries to log in and approve access
    Then the scenario would be not run, naming "with the password to http://127.0.0.1:"
    And the login origin received no password
    And no cookie crossed between the origins

  @browser
  Scenario: In headless Chromium too, an allowed login origin gets the password, and no origin gets another's cookies
    Given headless Chromium is installed
    And the mock serves its "second-origin" login pages
    And the profile always uses a browser for the login
    When the user logs in and approves access
    Then the user is redirected to the redirect URI with a code and the same state
    And the login origin received the password
    And no cookie crossed between the origins
