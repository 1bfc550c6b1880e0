"""The shell alone (``shell_urlpatterns``), and the shell with a page named like the protection
app's AI policy: the footer links to the policy only when that name resolves."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def policy(request: HttpRequest) -> HttpResponse:
    return HttpResponse("policy")


shell_urlpatterns = [
    path("", include("impasto.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns = [
    *shell_urlpatterns,
    path("ai-policy/", include(([path("", policy, name="ai_policy")], "protection"))),
]
