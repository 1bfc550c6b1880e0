from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.accounts.navigation import ProfileTab, SettingsLink
from impasto.core.jobs import PeriodicJob


class SocialConfig(AppConfig):
    """Posts, the social graph, notifications and direct messages."""

    name = "impasto.social"
    periodic_jobs = [
        PeriodicJob("send_digests", every=timedelta(hours=1), args=("--enqueue",)),
        PeriodicJob("purge_unattached_uploads", every=timedelta(hours=1)),
    ]
    label = "social"
    verbose_name = _("Social")
    user_data_export = "impasto.social.account_data.user_data_export"
    user_data_erase = "impasto.social.account_data.user_data_erase"

    # The public profile: Posts and Likes tabs, and the follow button, menu and counts in its
    # header (impasto.accounts.navigation; docs/social-web.md). Art puts Portfolio first with
    # a lower order.
    profile_tabs = [
        ProfileTab(
            key="posts",
            label=_("Posts"),
            content="impasto.social.views.people.posts_tab",
            order=20,
        ),
        ProfileTab(
            key="likes",
            label=_("Likes"),
            content="impasto.social.views.people.likes_tab",
            order=80,
        ),
    ]
    profile_header = "impasto.social.views.people.profile_header"

    settings_links = [
        SettingsLink(section="account", url_name="social:settings", label=_("Social"), order=30),
        SettingsLink(
            section="account",
            url_name="social:settings-blocked",
            label=_("Blocked and muted"),
            order=35,
        ),
    ]

    def ready(self) -> None:
        # Posts and profiles are link-preview and notification targets; art registers its own.
        from impasto.imaging.models import Purpose
        from impasto.imaging.selectors import register_access_check
        from impasto.imaging.uses import register_use_finder
        from impasto.social.selectors import registrations
        from impasto.social.selectors.images import post_image_access, post_image_uses

        registrations.register_builtin()
        # A post image's variant URL answers 404 to whoever may not see its post.
        register_access_check(post_image_access, contains=[Purpose.POST])
        register_use_finder("social.post", post_image_uses)
