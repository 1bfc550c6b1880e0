"""The feeds' part of a person's data export and erasure (impasto.accounts.userdata)."""

from __future__ import annotations

from impasto.accounts.models import User
from impasto.accounts.userdata import ExportWriter
from impasto.feeds import timelines
from impasto.feeds.models import FeedPreferences, FollowedTag


def user_data_export(*, user: User, writer: ExportWriter) -> None:
    """``feeds.json``: the feed preferences and the followed tags."""
    prefs = FeedPreferences.objects.filter(user=user).first()
    writer.add_json(
        "feeds.json",
        {
            "preferences": None
            if prefs is None
            else {
                "kind": prefs.kind,
                "hide_reposts": prefs.hide_reposts,
                "mature": prefs.mature,
                "muted_words": prefs.muted_words,
                "muted_tags": prefs.muted_tags,
                "fields": prefs.fields,
                "network_mix": prefs.network_mix,
            },
            "followed_tags": list(
                FollowedTag.objects.filter(user=user)
                .order_by("tag__name")
                .values_list("tag__name", flat=True)
            ),
        },
    )


def user_data_erase(*, user: User) -> None:
    """Preferences, followed tags and the Redis home list; safe to run twice."""
    FeedPreferences.objects.filter(user=user).delete()
    FollowedTag.objects.filter(user=user).delete()
    timelines.home_forget(user.pk)
