from django.conf import settings
from django.db import models

ACCOUNT_TYPES = [
    ("participant", "Participant"),
    ("company", "Company"),
    ("advisor", "Advisor"),
]


class AccountChoice(models.Model):
    """Account picked on the consent page (401GO lets the user choose which of their
    accounts the client acts for). Bound to the grant, not to (user, application): a
    row per issued code ("code:<code>"), access token ("access:<token>") and refresh
    token ("refresh:<token>"), so two grants of the same user to the same client, made
    at the same time for different accounts, never see each other's choice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    application = models.ForeignKey(settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE)
    account = models.CharField(max_length=32, choices=ACCOUNT_TYPES)
    created = models.DateTimeField(auto_now_add=True)
    key = models.CharField(max_length=300, db_index=True, default="")

    class Meta:
        ordering = ["-created", "-id"]
