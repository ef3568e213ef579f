"""
Views that imitate the 401GO provider around Django OAuth Toolkit (DOT).

- /api/example-endpoint         bearer-protected API, RFC 6750 §3 challenges
- /api/example-endpoint/write   same, but requires scope "write" (403 insufficient_scope)
- /api/o/connection-success/    (alias /api/connection-success/) form POST with client_id
- /api/dot-default-protected    DOT's stock ProtectedResourceView (comparison only)
- /api/dot-rfc9728-protected    DOT's ProtectedResourceMetadataMixin (comparison only)
- /api/o/authorize/             DOT's AuthorizationView + an "account" select on consent
- /callback                     echoes the redirect's query parameters as JSON
- /healthz                      readiness probe
"""
import json
import logging
from urllib.parse import parse_qs, urlsplit

from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import AuthorizationView, ProtectedResourceView
from oauth2_provider.views.mixins import OAuthLibMixin, ProtectedResourceMetadataMixin

from oauth2_provider.signals import app_authorized

from .models import ACCOUNT_TYPES, AccountChoice

log = logging.getLogger("sandbox")

REALM = "401go-sandbox"
ACCOUNT_VALUES = [value for value, _label in ACCOUNT_TYPES]


def _quote(value):
    return str(value).replace("\r", "").replace("\n", "").replace("\\", "\\\\").replace('"', '\\"')


def bearer_challenge(error=None):
    """RFC 6750 §3 challenge: realm always; error (+description) only when a token was
    presented, or the request was malformed. Parameters separated by ", "."""
    params = [("realm", REALM)]
    if error:
        params.extend(error.items())
    return "Bearer " + ", ".join('{}="{}"'.format(k, _quote(v)) for k, v in params)


def challenge_response(status, error=None):
    body = {"ok": False}
    if error:
        body.update(error)
    else:
        # RFC 6750 §3.1: no error code when no credentials were sent (header and body).
        body["detail"] = "Bearer token required."
    response = JsonResponse(body, status=status)
    response["WWW-Authenticate"] = bearer_challenge(error)
    response["Cache-Control"] = "no-store"
    return response


def _account_for(key):
    choice = AccountChoice.objects.filter(key=key).first()
    return choice.account if choice else None


def _remember_account(sender, request, token, **kwargs):
    """DOT's app_authorized signal (sent for every issued access token): carry the
    account chosen at consent from the code, or from the refresh token used, to the
    new access and refresh tokens."""
    grant_type = request.POST.get("grant_type")
    if grant_type == "authorization_code":
        account = _account_for("code:" + request.POST.get("code", ""))
    elif grant_type == "refresh_token":
        account = _account_for("refresh:" + request.POST.get("refresh_token", ""))
    else:
        return
    if account is None or token.user is None:
        return
    keys = ["access:" + token.token]
    refresh = getattr(token, "refresh_token", None)
    if refresh is not None:
        keys.append("refresh:" + refresh.token)
    for key in keys:
        AccountChoice.objects.create(user=token.user, application=token.application, account=account, key=key)


app_authorized.connect(_remember_account, dispatch_uid="sandbox-account-choice")


def token_info(request):
    token = request.oauth2_access_token
    user = token.user
    application = token.application
    return {
        "user": user.get_username() if user is not None else None,
        "client_id": application.client_id if application is not None else None,
        "scope": token.scope,
        "account": _account_for("access:" + token.token),
        "expires": token.expires.isoformat(),
    }


@method_decorator(csrf_exempt, name="dispatch")
class BearerProtectedView(OAuthLibMixin, View):
    """Bearer protection via DOT's own token validation (oauthlib ResourceEndpoint),
    but answering per RFC 6750 §3 instead of DOT's default bare 403:

    - no credentials            -> 401, WWW-Authenticate: Bearer realm="..." (no error)
    - malformed Bearer header   -> 400 invalid_request
    - unknown/expired/revoked   -> 401 invalid_token
    - valid, scope insufficient -> 403 insufficient_scope
    """

    required_scopes = []

    def get_scopes(self):
        return list(self.required_scopes)

    def dispatch(self, request, *args, **kwargs):
        if request.method == "OPTIONS":
            return super().dispatch(request, *args, **kwargs)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split()
        if parts and parts[0].lower() == "bearer" and len(parts) != 2:
            return challenge_response(
                400,
                {"error": "invalid_request", "error_description": "Malformed Bearer authorization header."},
            )
        valid, oauthlib_request = self.verify_request(request)
        if not valid:
            error = getattr(oauthlib_request, "oauth2_error", None) if oauthlib_request else None
            if error:
                error = dict(error)
                status = 403 if error.get("error") == "insufficient_scope" else 401
                if status == 403:
                    error["scope"] = " ".join(self.get_scopes())
                return challenge_response(status, error)
            return challenge_response(401, None)
        request.resource_owner = oauthlib_request.user
        request.oauth2_access_token = oauthlib_request.access_token
        return super().dispatch(request, *args, **kwargs)


class ExampleEndpoint(BearerProtectedView):
    def get(self, request, *args, **kwargs):
        return JsonResponse({"ok": True, **token_info(request)})


class ExampleWriteEndpoint(ExampleEndpoint):
    required_scopes = ["write"]


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ConnectionSuccessView(BearerProtectedView):
    """401GO's "connection success" call: POST, form-encoded body with client_id,
    bearer token required. JSON (or any non-form) body -> 415."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        content_type = request.content_type or ""
        if content_type not in FORM_TYPES:
            return JsonResponse(
                {
                    "ok": False,
                    "error": "unsupported_media_type",
                    "error_description": "Send client_id as application/x-www-form-urlencoded, not "
                    + (content_type or "no content type")
                    + ".",
                },
                status=415,
            )
        client_id = request.POST.get("client_id", "")
        if not client_id:
            return JsonResponse(
                {"ok": False, "error": "invalid_request", "error_description": "Missing client_id."},
                status=400,
            )
        info = token_info(request)
        if client_id != info["client_id"]:
            return JsonResponse(
                {
                    "ok": False,
                    "error": "invalid_request",
                    "error_description": "client_id does not match the client the token was issued to.",
                },
                status=400,
            )
        log.info("connection success for client_id=%s user=%s", client_id, info["user"])
        return JsonResponse({"ok": True, "connected": True, **info})


class DotDefaultProtected(ProtectedResourceView):
    """DOT's stock protection, for comparison: any failure -> bare 403, no header."""

    def get(self, request, *args, **kwargs):
        return JsonResponse({"ok": True, "user": getattr(request.resource_owner, "username", None)})


class DotRfc9728Protected(ProtectedResourceMetadataMixin, DotDefaultProtected):
    """DOT's opt-in RFC 9728 mixin, for comparison."""


class SandboxAuthorizationView(AuthorizationView):
    """DOT's authorization (consent) view plus 401GO's account picker: the consent form
    carries <select name="account"> (participant / company / advisor); the choice is
    recorded when the user allows, and reported by the protected endpoints."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["account_types"] = ACCOUNT_TYPES
        return context

    def form_valid(self, form):
        account = self.request.POST.get("account") or "participant"
        if account not in ACCOUNT_VALUES:
            form.add_error(None, "Unknown account type: choose one of " + ", ".join(ACCOUNT_VALUES))
            return self.form_invalid(form)
        response = super().form_valid(form)
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        codes = parse_qs(urlsplit(location).query).get("code")
        if form.cleaned_data.get("allow") and codes:
            from oauth2_provider.models import get_application_model

            application = get_application_model().objects.get(client_id=form.cleaned_data["client_id"])
            AccountChoice.objects.create(
                user=self.request.user, application=application, account=account, key="code:" + codes[0]
            )
        return response


def callback(request):
    """Stand-in client redirect target: shows what the authorization server sent."""
    return JsonResponse({"callback": True, "query": {k: v for k, v in request.GET.items()}})


def healthz(request):
    return JsonResponse({"ok": True})


def not_found(request, exception=None):
    return JsonResponse({"error": "not_found", "path": request.path}, status=404)


def server_error(request):
    return JsonResponse({"error": "server_error"}, status=500)
