from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.accounts.navigation import SettingsLink


class FeedsConfig(AppConfig):
    """Timelines (Following, Latest, For You, Discover) and the reader's filters."""

    name = "impasto.feeds"
    label = "feeds"
    verbose_name = _("Feeds")

    settings_links = [
        SettingsLink(section="account", url_name="feeds:settings", label=_("Feed"), order=32),
    ]
