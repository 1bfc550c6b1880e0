"""The shell without any other app's pages."""

from tests.core.urls_policy import shell_urlpatterns as urlpatterns  # noqa: F401
