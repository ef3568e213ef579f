"""Print `export OAUTH_CONFORMANCE_...=...` lines describing the sandbox."""
import shlex

from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox import fixtures


class Command(BaseCommand):
    help = "Print shell exports for the sandbox endpoints and credentials."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.SANDBOX_PORT)

    def handle(self, *args, port, **options):
        base = "http://127.0.0.1:{}".format(port)
        values = [
            ("BASE_URL", base),
            ("TOKEN_URL", base + "/api/o/token/"),
            ("AUTHORIZE_URL", base + "/api/o/authorize/"),
            ("REVOKE_URL", base + "/api/o/revoke_token/"),
            ("INTROSPECT_URL", base + "/api/o/introspect/"),
            ("LOGIN_URL", base + "/accounts/login/"),
            ("RESOURCE_URL", base + "/api/example-endpoint"),
            ("RESOURCE_WRITE_URL", base + "/api/example-endpoint/write"),
            ("CONNECTION_SUCCESS_URL", base + "/api/o/connection-success/"),
            ("REDIRECT_URI", fixtures.redirect_uri(port)),
            ("USERNAME", fixtures.USERNAME),
            ("PASSWORD", fixtures.PASSWORD),
            ("SCOPES", " ".join(settings.OAUTH2_PROVIDER["SCOPES"])),
        ]
        for key, client_id, secret, _grant, _name in fixtures.APPLICATIONS:
            values.append((key + "_CLIENT_ID", client_id))
            values.append((key + "_CLIENT_SECRET", secret))
        for name, value in values:
            self.stdout.write("export OAUTH_CONFORMANCE_{}={}".format(name, shlex.quote(value)))
