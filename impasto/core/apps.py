from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.core.navigation import SettingsLink


class CoreConfig(AppConfig):
    name = "impasto.core"
    label = "core"
    settings_links = [
        SettingsLink(
            section="profile",
            url_name="core:appearance",
            label=_("Appearance and language"),
            order=50,
        )
    ]

    def ready(self) -> None:
        from impasto.core import (
            lookups,  # noqa: F401 - registers ``__anyof``
            pgtime,  # noqa: F401 - PostgreSQL timestamps in C
        )
