from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.accounts.navigation import SettingsLink


class ApiConfig(AppConfig):
    """The JSON API and personal access tokens."""

    name = "impasto.api"
    label = "api"
    verbose_name = _("API")
    settings_links = [
        SettingsLink(
            section="security", url_name="api:token-list", label=_("Access tokens"), order=30
        )
    ]
