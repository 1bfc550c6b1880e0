"""The site as it will be once Discover and Jobs exist: only their URL names are added."""

from tests.core.urls import urlpatterns_with_later_apps as urlpatterns  # noqa: F401

handler400 = "impasto.core.errors.bad_request"
handler403 = "impasto.core.errors.permission_denied"
handler404 = "impasto.core.errors.page_not_found"
handler429 = "impasto.core.errors.too_many_requests"
handler500 = "impasto.core.errors.server_error"
