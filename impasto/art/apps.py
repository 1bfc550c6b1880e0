from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.accounts.navigation import ProfileTab


class ArtConfig(AppConfig):
    """The portfolio: projects (images with alt text, fields, mediums, tags) and albums."""

    name = "impasto.art"
    label = "art"
    verbose_name = _("Portfolio")
    user_data_export = "impasto.art.account_data.user_data_export"
    user_data_erase = "impasto.art.account_data.user_data_erase"

    # Portfolio is the first tab (the default one at /@handle): a lower order than social's Posts.
    profile_tabs = [
        ProfileTab(
            key="portfolio",
            label=_("Portfolio"),
            content="impasto.art.views.portfolio_tab",
            order=10,
        ),
        ProfileTab(
            key="albums",
            label=_("Albums"),
            content="impasto.art.views.albums_tab",
            order=15,
        ),
    ]

    def ready(self) -> None:
        from impasto.art import registrations

        registrations.register()
