from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

handler404 = "sandbox.views.not_found"
handler500 = "sandbox.views.server_error"

urlpatterns = [
    path("healthz", views.healthz),
    # 401GO layout: DOT mounted at /api/o/ (token: /api/o/token/, authorize: /api/o/authorize/).
    # Our authorize view (DOT's + account picker) shadows DOT's route of the same path.
    path("api/o/authorize/", views.SandboxAuthorizationView.as_view(), name="sandbox-authorize"),
    path("api/o/connection-success/", views.ConnectionSuccessView.as_view()),
    path("api/o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("api/connection-success/", views.ConnectionSuccessView.as_view()),
    path("api/example-endpoint", views.ExampleEndpoint.as_view()),
    path("api/example-endpoint/write", views.ExampleWriteEndpoint.as_view()),
    path("api/dot-default-protected", views.DotDefaultProtected.as_view()),
    path("api/dot-rfc9728-protected", views.DotRfc9728Protected.as_view()),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("callback", views.callback),
]
