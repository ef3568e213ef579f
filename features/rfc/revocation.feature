@rfc @revocation @needs_revocation
Feature: Revoking tokens
  RFC 7009. A client tells the server it no longer needs a token with a POST
  to the revocation endpoint: the token in a form body, an optional
  token_type_hint, and the client's authentication (§2.1). Every server
  MUST support the revocation of refresh tokens and SHOULD support that of
  access tokens (§2); a revoked token cannot be used again, at once (§2.1).
  Revoking a refresh token SHOULD also invalidate the access tokens of its
  grant, on a server that revokes access tokens (§2.1). The hint only
  orders the search: a server that cannot find the token by it MUST look
  further (§2.1), and a hint it does not know is ignored (§2.2). The server
  first validates the client's credentials and checks that the token is the
  client's own (§2.1). It answers 200 whether it revoked the token or never
  knew it (§2.2). The revocation endpoint is the profile's revocation_path
  (`profile discover` fills it from the metadata's revocation_endpoint).

  Background:
    Given the profile under test

  @rfc7009_2 @rfc7009_2_1 @needs_refresh_token
  Scenario Outline: A revoked refresh token is refused at the token endpoint (<how>)
    Given the client has tokens from the authorization code flow
    When the client <revokes>
    And the client refreshes the access token
    Then the refresh token is revoked
    And the revocation request was an authenticated form POST with the token

    Examples:
      | how                         | revokes                                                          |
      | without a hint              | revokes its refresh token                                        |
      | with the hint refresh_token | revokes its refresh token with token_type_hint "refresh_token" |

  @rfc7009_2_1 @needs_refresh_token
  Scenario: A refresh token sent with the access token hint is still found and revoked
    Given the client has tokens from the authorization code flow
    When the client revokes its refresh token with token_type_hint "access_token"
    And the client refreshes the access token
    Then the refresh token is revoked though its hint named another type

  @rfc7009_2_2 @needs_refresh_token
  Scenario: A token_type_hint the server does not know is ignored
    Given the client has tokens from the authorization code flow
    When the client revokes its refresh token with token_type_hint "made_up_token_type"
    And the client refreshes the access token
    Then the refresh token is revoked and the unknown hint ignored

  @rfc7009_2 @needs_api @needs_client_credentials
  Scenario Outline: A revoked access token is refused by the API (<how>)
    Given the client has an access token
    When the client <revokes>
    And the client calls the API with the access token
    Then the access token is revoked

    Examples:
      | how                        | revokes                                                        |
      | without a hint             | revokes its access token                                       |
      | with the hint access_token | revokes its access token with token_type_hint "access_token" |

  @rfc7009_2_1 @needs_api @needs_refresh_token @needs_client_credentials
  Scenario: Revoking a refresh token revokes the access tokens of its grant
    Given the client has tokens from the authorization code flow
    And the client has an access token
    When the client revokes its newest access token and presents it to the API
    And the client presents its first access token to the API
    And the client revokes its refresh token
    And the client presents its first access token to the API
    Then the access tokens of the revoked refresh token's grant are revoked

  @rfc7009_2_2
  Scenario: The revocation of a token the server never issued is answered 200
    When the client revokes the made-up token "not-a-token-this-server-issued"
    Then the revocation is answered 200

  @rfc7009_2_2 @needs_refresh_token
  Scenario: The revocation of a token already revoked is answered 200
    Given the client has tokens from the authorization code flow
    When the client revokes its refresh token
    And the client revokes its refresh token
    Then the revocation is answered 200

  @rfc7009_2_1 @needs_refresh_token
  Scenario: A wrong client secret revokes nothing
    Given the client has tokens from the authorization code flow
    When the client revokes its refresh token with a wrong client secret
    And the client refreshes the access token
    Then the revocation with a wrong secret revoked nothing

  @rfc7009_2_1 @needs_refresh_token
  Scenario: Another client cannot revoke the client's refresh token
    Given the client has tokens from the authorization code flow
    When a second registered client revokes the client's refresh token
    And the client refreshes the access token
    Then the other client's revocation revoked nothing
