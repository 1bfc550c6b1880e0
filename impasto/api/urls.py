"""The API's URLs: /api/v1/ (ninja) and the tokens settings page."""

from django.urls import path, re_path

from impasto.api import views
from impasto.api.v1 import api as api_v1

app_name = "api"

urlpatterns = [
    path("api/v1/", api_v1.urls),
    re_path(r"^api/(?P<rest>.*)$", views.api_not_found),
    path("settings/tokens", views.token_list, name="token-list"),
    path("settings/tokens/<int:token_id>/revoke", views.token_revoke, name="token-revoke"),
]
