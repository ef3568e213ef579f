"""Fixed, test-only identities of the sandbox. Single source of truth for the
`sandbox_fixtures` command and `manage.py sandbox_env` (what `run env` prints)."""

USERNAME = "conformance-user"
PASSWORD = "conformance-pass-CZiPasJHYqBk8A96uzZT"

REDIRECT_PATH = "/callback"


def redirect_uri(port):
    return "http://127.0.0.1:{}{}".format(port, REDIRECT_PATH)


# An http redirect URI on a host that is not loopback, which the suite's second
# authorization-code client ("AC2") tries to register beside its own: RFC 9700
# §2.6 says the server must not allow it. `sandbox_fixtures` registers it only
# if DOT's own validation of the application (Application.clean) accepts it.
# The .test host is never contacted: the suite stops at the redirect.
HTTP_REDIRECT_URI = "http://client.example.test/callback"


# (env key, client_id, client_secret, grant type, name)
APPLICATIONS = [
    ("CC", "conformance-cc-client", "sbx-cc1-TPTgoZiAiGCG9ZwWCHO5Cz1oet8G1kmJDto9JVieqvcivv2i",
     "client-credentials", "Conformance client-credentials client"),
    ("CC2", "conformance-cc-client-2", "sbx-cc2-Xa8fsvluGWR2QRN8oZVGUMwyl2kH70iYXLYgNlKZCQny1DUV",
     "client-credentials", "Conformance client-credentials client 2"),
    ("AC", "conformance-ac-client", "sbx-ac1-QCb0Q9uuzZZFE5ncETAbdfwwmSeke9FBLOZzuHSoIMUhtYer",
     "authorization-code", "Conformance authorization-code client"),
    ("AC2", "conformance-ac-client-2", "sbx-ac2-iXlb8KjIXbMqMMQh660cNaNUO8yXXo0kf2y6ic0izAKbLbgI",
     "authorization-code", "Conformance authorization-code client 2"),
    ("AC3", "conformance-ac-only-client", "sbx-ac3-Jq3vR8nWkT2pLm6ZsYx4HbC9dF1gA5eN7uVoQiKw0tXrPy2E",
     "authorization-code", "Conformance authorization-code-only client"),
]

# Authorization-code applications that do NOT get the partner exception
# (validators.PartnerValidator): registered for the code grant only, so a
# client credentials request from them is DOT's own `unauthorized_client`.
CODE_ONLY_CLIENTS = {"conformance-ac-only-client"}
