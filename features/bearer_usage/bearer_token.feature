@bearer_usage @rfc6750
Feature: Using a bearer access token at the protected API
  RFC 6750. A client presents its access token in the Authorization header
  with the Bearer scheme (§2.1), not in the URI query (§2.3). The resource
  server answers a request without credentials with 401 and a Bearer
  challenge carrying no error code (§3, §3.1), and a wrong or expired token
  with 401 and error="invalid_token" (§3.1). Every provider guide in scope
  (seeds 000, 002, 003) says to send the token this way.

  @rfc6750_2_1 @rfc6750_2_3
  Scenario Outline: The API accepts a valid token presented in the Authorization header (<profile>)
    Given the provider profile "<profile>"
    And the client has an access token
    When the client calls the API with the access token
    Then the API accepts the request
    And the API request presents the access token as a Bearer token

    @401go
    Examples: 401GO
      | profile |
      | 401go   |
    @json-body
    Examples: JSON body
      | profile   |
      | json-body |
    @login3
    Examples: Login 3.0
      | profile |
      | login3  |
    @rfc6749
    Examples: plain RFC 6749
      | profile |
      | rfc6749 |

  @rfc6750_3 @rfc6750_3_1
  Scenario Outline: A request without a token gets 401 and a Bearer challenge without error code (<profile>)
    Given the provider profile "<profile>"
    When the client calls the API without a token
    Then the API refuses the request as unauthenticated

    @401go
    Examples: 401GO
      | profile |
      | 401go   |
    @json-body
    Examples: JSON body
      | profile   |
      | json-body |
    @login3
    Examples: Login 3.0
      | profile |
      | login3  |
    @rfc6749
    Examples: plain RFC 6749
      | profile |
      | rfc6749 |

  @rfc6750_3_1
  Scenario Outline: A made-up token gets 401 with error invalid_token (<profile>)
    Given the provider profile "<profile>"
    When the client calls the API with the made-up token "not-a-token-this-server-issued"
    Then the API refuses the request for an invalid token

    @401go
    Examples: 401GO
      | profile |
      | 401go   |
    @json-body
    Examples: JSON body
      | profile   |
      | json-body |
    @login3
    Examples: Login 3.0
      | profile |
      | login3  |
    @rfc6749
    Examples: plain RFC 6749
      | profile |
      | rfc6749 |

  @mock @rfc6750_3_1
  Scenario Outline: An expired token gets 401 with error invalid_token (<profile>)
    Given the provider profile "<profile>"
    And the client has an access token
    When 2 days pass
    And the client calls the API with the access token
    Then the API refuses the request for an invalid token

    @401go
    Examples: 401GO
      | profile |
      | 401go   |
    @json-body
    Examples: JSON body
      | profile   |
      | json-body |
    @login3
    Examples: Login 3.0
      | profile |
      | login3  |

  @rfc7235_2_1
  Scenario Outline: The scheme name is case-insensitive (<scheme>)
    Given the provider profile "401go"
    And the client has an access token
    When the client calls the API with the access token and the scheme written "<scheme>"
    Then the API accepts the request

    @401go
    Examples:
      | scheme |
      | bearer |
      | BEARER |
