"""Feed pages (docs/feeds.md)."""

from django.urls import path

from impasto.feeds import views

app_name = "feeds"

urlpatterns = [
    path("feed", views.following, name="following"),
    path("feed/latest", views.latest, name="latest"),
    path("feed/<str:feed>/new", views.new_count, name="new-count"),
    path("feed/filters", views.filters_update, name="filters"),
    path("settings/feed", views.preferences, name="settings"),
]
