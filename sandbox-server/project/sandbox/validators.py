"""The 401GO partner client: one registered client for both documented flows.

A DOT application has exactly one grant type. The 401GO guides describe one
partner client that uses the client credentials grant (seed 000) and the
authorization code grant (seed 001), and the conformance suite is configured
with one client id and secret (OAUTH_CONFORMANCE_CLIENT_ID/_SECRET). So a
*confidential authorization-code* application may also use the client
credentials grant here (except the code-only client of
fixtures.CODE_ONLY_CLIENTS, the suite's "restricted client"). Nothing else about DOT's validation changes: client
authentication, scopes and every other grant are DOT's own code.
"""
from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator

from sandbox.fixtures import CODE_ONLY_CLIENTS


class PartnerValidator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        app = request.client
        if (
            grant_type == "client_credentials"
            and app is not None
            and app.client_type == AbstractApplication.CLIENT_CONFIDENTIAL
            and app.authorization_grant_type == AbstractApplication.GRANT_AUTHORIZATION_CODE
            and app.client_id not in CODE_ONLY_CLIENTS
        ):
            return True
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)
