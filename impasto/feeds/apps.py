from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.accounts.navigation import SettingsLink


class FeedsConfig(AppConfig):
    """Timelines (Following, Latest, For You, Discover) and the reader's filters."""

    name = "impasto.feeds"
    label = "feeds"
    verbose_name = _("Feeds")
    user_data_export = "impasto.feeds.account_data.user_data_export"
    user_data_erase = "impasto.feeds.account_data.user_data_erase"

    settings_links = [
        SettingsLink(section="account", url_name="feeds:settings", label=_("Feed"), order=32),
    ]

    def ready(self) -> None:
        # Tag pages (social) apply the reader's feed filters through social's seam.
        from impasto.feeds.filters import filters_q
        from impasto.feeds.selectors import feed_filters_of
        from impasto.social.readerfilters import register_reader_filter

        register_reader_filter(lambda viewer: filters_q(feed_filters_of(viewer.user)))

        # A member's home page (core:home, "/") is their Following feed.
        from impasto.core.home import register_member_home
        from impasto.feeds.views import home

        register_member_home(home, requires="feeds:following")

        # Redis home timelines (docs/scaling.md): fan-out on write, invalidation on follow.
        from django.db.models.signals import post_delete, post_save

        from impasto.feeds import signals
        from impasto.social.models import Follow, Post

        post_save.connect(signals.post_saved, sender=Post, dispatch_uid="feeds.fanout")
        post_save.connect(signals.follow_changed, sender=Follow, dispatch_uid="feeds.follow")
        post_delete.connect(signals.follow_changed, sender=Follow, dispatch_uid="feeds.unfollow")
