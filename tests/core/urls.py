"""A URLconf for the shell's tests: the real one, plus views that fail on purpose and the URL
names later apps will add (so the navigation can be seen lighting up)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns
from impasto.core.errors import too_many_requests
from tests.core.urls_policy import shell_urlpatterns

# Django looks the error handlers up in the root URLconf, so a test URLconf names them too.
handler400 = "impasto.core.errors.bad_request"
handler403 = "impasto.core.errors.permission_denied"
handler404 = "impasto.core.errors.page_not_found"
handler429 = "impasto.core.errors.too_many_requests"
handler500 = "impasto.core.errors.server_error"


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def rate_limited(request: HttpRequest) -> HttpResponse:
    return too_many_requests(request, retry_after=30)


def with_message(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Saved “Studies”.")
    return HttpResponse("<p>partial</p>")


def placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("a later app's page")


failing = [
    path("forbidden", forbidden),
    path("suspicious", suspicious),
    path("broken", broken),
    path("rate-limited", rate_limited),
    path("with-message", with_message),
]

later_apps = [
    path("discover/", include(([path("", placeholder, name="discover")], "feeds"))),
    path("jobs/", include(([path("", placeholder, name="job-list")], "jobboard"))),
]

urlpatterns = [path("test/", include(failing)), *site_urlpatterns]
# On top of the shell alone, so the test holds whatever the real apps later name their URLs.
urlpatterns_with_later_apps = [*later_apps, *shell_urlpatterns]
