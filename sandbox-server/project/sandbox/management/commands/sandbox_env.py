"""Print `export ...=...` lines describing the sandbox.

First the conformance suite's own settings (OAUTH_CONFORMANCE_*, the names the
Rust suite reads), then SANDBOX_* extras that only `evidence.sh` and curl
users need (endpoint URLs, the client-credentials-only clients)."""
import shlex

from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox import fixtures


def _app(key):
    for k, client_id, secret, _grant, _name in fixtures.APPLICATIONS:
        if k == key:
            return client_id, secret
    raise KeyError(key)


class Command(BaseCommand):
    help = "Print shell exports for the sandbox endpoints and credentials."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.SANDBOX_PORT)

    def handle(self, *args, port, **options):
        base = "http://127.0.0.1:{}".format(port)
        partner_id, partner_secret = _app("AC")
        second_id, second_secret = _app("AC2")
        restricted_id, restricted_secret = _app("AC3")
        suite = [
            ("TARGET", base),
            ("PROFILE", "401go"),
            ("CLIENT_ID", partner_id),
            ("CLIENT_SECRET", partner_secret),
            ("SECOND_CLIENT_ID", second_id),
            ("SECOND_CLIENT_SECRET", second_secret),
            ("RESTRICTED_CLIENT_ID", restricted_id),
            ("RESTRICTED_CLIENT_SECRET", restricted_secret),
            ("REDIRECT_URI", fixtures.redirect_uri(port)),
            ("HTTP_REDIRECT_URI", fixtures.HTTP_REDIRECT_URI),
            ("USERNAME", fixtures.USERNAME),
            ("PASSWORD", fixtures.PASSWORD),
            ("DEVIATIONS", str(settings.REPO_DIR / "profiles" / "deviations" / "django-oauth-toolkit.toml")),
        ]
        extras = [
            ("BASE_URL", base),
            ("TOKEN_URL", base + "/api/o/token/"),
            ("AUTHORIZE_URL", base + "/api/o/authorize/"),
            ("REVOKE_URL", base + "/api/o/revoke_token/"),
            ("INTROSPECT_URL", base + "/api/o/introspect/"),
            ("LOGIN_URL", base + "/accounts/login/"),
            ("RESOURCE_URL", base + "/api/example-endpoint"),
            ("RESOURCE_WRITE_URL", base + "/api/example-endpoint/write"),
            ("CONNECTION_SUCCESS_URL", base + "/api/o/connection-success/"),
            ("SCOPES", " ".join(settings.OAUTH2_PROVIDER["SCOPES"])),
        ]
        for key, client_id, secret, _grant, _name in fixtures.APPLICATIONS:
            extras.append((key + "_CLIENT_ID", client_id))
            extras.append((key + "_CLIENT_SECRET", secret))
        for name, value in suite:
            self.stdout.write("export OAUTH_CONFORMANCE_{}={}".format(name, shlex.quote(value)))
        for name, value in extras:
            self.stdout.write("export SANDBOX_{}={}".format(name, shlex.quote(value)))
