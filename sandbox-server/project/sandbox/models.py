from django.conf import settings
from django.db import models

ACCOUNT_TYPES = [
    ("participant", "Participant"),
    ("company", "Company"),
    ("advisor", "Advisor"),
]


class AccountChoice(models.Model):
    """Account picked on the consent page (401GO lets the user choose which of their
    accounts the client acts for). The latest choice for (user, application) is what
    the protected endpoints report."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    application = models.ForeignKey(settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE)
    account = models.CharField(max_length=32, choices=ACCOUNT_TYPES)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
