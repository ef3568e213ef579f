"""Create or reset the sandbox's user and OAuth applications (idempotent).

Secrets are saved in plaintext and DOT hashes them on save (hash_client_secret=True)
with the first PASSWORD_HASHERS entry (MD5 here, so client auth is fast). Running the
command again re-hashes every secret and password with the current hasher."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from oauth2_provider.models import get_application_model

from sandbox import fixtures


class Command(BaseCommand):
    help = "Create/reset the conformance user and applications."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.SANDBOX_PORT)

    def handle(self, *args, port, **options):
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=fixtures.USERNAME)
        user.set_password(fixtures.PASSWORD)
        user.is_active = True
        user.save()

        Application = get_application_model()
        for _key, client_id, secret, grant, name in fixtures.APPLICATIONS:
            app = Application.objects.filter(client_id=client_id).first() or Application(client_id=client_id)
            app.name = name
            app.client_type = Application.CLIENT_CONFIDENTIAL
            app.authorization_grant_type = grant
            app.client_secret = secret  # plaintext: hashed by ClientSecretField.pre_save
            app.hash_client_secret = True
            app.redirect_uris = fixtures.redirect_uri(port) if grant == "authorization-code" else ""
            app.skip_authorization = False
            app.algorithm = ""
            app.user = None
            if _key == "AC2":
                # Try to register the http redirect URI on a host that is not
                # loopback as an admin would: through DOT's own validation.
                own = app.redirect_uris
                app.redirect_uris = "{} {}".format(own, fixtures.HTTP_REDIRECT_URI)
                try:
                    app.clean()
                except ValidationError as refused:
                    app.redirect_uris = own
                    self.stdout.write("fixtures: DOT refused {}: {}".format(fixtures.HTTP_REDIRECT_URI, refused))
            app.save()
            assert app.client_secret.startswith("md5$"), app.client_secret[:8]
        self.stdout.write(
            "fixtures: user {} and {} applications ready".format(fixtures.USERNAME, len(fixtures.APPLICATIONS))
        )
