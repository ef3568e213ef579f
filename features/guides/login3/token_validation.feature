@guide @token_validation @seed_003 @mock
Feature: Access tokens are validated against the provider's JWKS before use
  Seed 003: validate tokens before using them. The provider publishes its
  public signing keys as a JWKS (RFC 7517 §5). A token is accepted only if it
  is signed with an asymmetric algorithm by a key of that JWKS, named by its
  `kid` (RFC 7515 §4.1.4), comes from the provider (`iss`), is meant for the
  API the client asked for (`aud`, the requested `audience`), and is within
  its validity window (`exp`, `nbf`) give or take a 60-second leeway for
  clock skew (RFC 7519 §4.1). RFC 8725 §3.1: never accept `alg: none`, and
  never let the token pick an HMAC algorithm to be "verified" with a public
  key. Each bad token below is issued by the mock on purpose.

  Background:
    Given the profile under test

  @rfc7517_5
  Scenario: The provider publishes its RS256 and ES256 keys as a JWKS
    When the client fetches the provider's JWKS
    Then the JWKS lists the key "mock-rsa-1" for "RS256"
    And the JWKS lists the key "mock-ec-1" for "ES256"

  @rfc7515_5_2 @rfc7519_4_1
  Scenario Outline: A token signed <alg> by the provider is valid
    Given the provider signs access tokens with <alg>
    When the client requests an access token
    And the client validates the access token against the provider's JWKS
    Then the access token is valid
    And it was signed with "<alg>" by the key "<kid>"

    Examples:
      | alg   | kid        |
      | RS256 | mock-rsa-1 |
      | ES256 | mock-ec-1  |

  Scenario Outline: A bad token is refused: <bad token>
    Given the provider issues <bad token>
    When the client requests an access token
    And the client validates the access token against the provider's JWKS
    Then the access token is refused as "<rule>"
    And the refusal cites "<source>"

    @rfc8725_3_1
    Examples: forged algorithms
      | bad token                                        | rule          | source        |
      | an unsigned access token with alg none           | alg-none      | RFC 8725 §3.1 |
      | an access token signed HS256 with its public key | key-confusion | RFC 8725 §3.1 |

    @rfc7515_4_1_4
    Examples: unknown key
      | bad token                              | rule        | source          |
      | an access token with an unknown key id | unknown-kid | RFC 7515 §4.1.4 |

    @rfc7515_5_2
    Examples: broken signature
      | bad token                               | rule          | source        |
      | an access token with a tampered payload | bad-signature | RFC 7515 §5.2 |

    @rfc7519_4_1_3
    Examples: wrong audience
      | bad token                            | rule           | source          |
      | an access token for another audience | wrong-audience | RFC 7519 §4.1.3 |

    @rfc7519_4_1_1
    Examples: wrong issuer
      | bad token                          | rule         | source          |
      | an access token from another issuer | wrong-issuer | RFC 7519 §4.1.1 |

    @rfc7519_4_1_4
    Examples: expired
      | bad token              | rule    | source          |
      | an expired access token | expired | RFC 7519 §4.1.4 |

    @rfc7519_4_1_5
    Examples: not yet valid
      | bad token                             | rule          | source          |
      | an access token that is not yet valid | not-yet-valid | RFC 7519 §4.1.5 |

  @rfc7519_4_1_5
  Scenario: A provider clock 30 seconds ahead is forgiven by the leeway
    Given the provider's clock runs 30 seconds ahead of the client's
    When the client requests an access token
    And the client validates the access token against the provider's JWKS
    Then the access token is valid

  @rfc7519_4_1_5
  Scenario: A provider clock 5 minutes ahead makes a fresh token not yet valid
    Given the provider's clock runs 5 minutes ahead of the client's
    When the client requests an access token
    And the client validates the access token against the provider's JWKS
    Then the access token is refused as "not-yet-valid"

  @rfc7519_4_1_4
  Scenario: A token expired 30 seconds ago is forgiven by the leeway, 90 seconds ago it is not
    When the client requests an access token
    And 86430 seconds pass
    And the client validates the access token against the provider's JWKS
    Then the access token is valid
    When 60 seconds pass
    And the client validates the access token against the provider's JWKS
    Then the access token is refused as "expired"

  @token_lifetime
  Scenario: A validating token manager never hands out a token for another audience
    Given the provider issues an access token for another audience
    And the application uses a token manager that validates tokens against the provider's JWKS
    When the application calls the API through the token manager
    Then the token manager failed naming "wrong audience"
    And the mock received 0 API calls

  @token_lifetime
  Scenario: A validating token manager hands out a valid ES256 token
    Given the provider signs access tokens with ES256
    And the application uses a token manager that validates tokens against the provider's JWKS
    When the application calls the API through the token manager
    Then the API call through the token manager was accepted
