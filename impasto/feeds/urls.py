"""Feed pages (docs/feeds.md)."""

from django.urls import path

from impasto.feeds import views

app_name = "feeds"

urlpatterns = [
    path("feed", views.following, name="following"),
    path("feed/latest", views.latest, name="latest"),
    path("feed/for-you", views.for_you, name="for-you"),
    path("feed/tags/follow", views.tag_follow_view, name="tag-follow"),
    path("feed/tags/<str:name>/unfollow", views.tag_unfollow_view, name="tag-unfollow"),
    path("discover", views.discover, name="discover"),
    path("discover/<str:field>", views.discover, name="discover-field"),
    path("feed/<str:feed>/new", views.new_count, name="new-count"),
    path("feed/filters", views.filters_update, name="filters"),
    path("settings/feed", views.preferences, name="settings"),
]
