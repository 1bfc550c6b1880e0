from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.accounts.navigation import SettingsLink
from impasto.core.jobs import PeriodicJob


class ImagingConfig(AppConfig):
    """Uploads, display variants, rights metadata, provenance and the owner watermark."""

    name = "impasto.imaging"
    periodic_jobs = [PeriodicJob("imaging_sweep", every=timedelta(minutes=5))]
    label = "imaging"
    user_data_erase = "impasto.imaging.account_data.user_data_erase"
    verbose_name = _("Imaging")
    default_auto_field = "django.db.models.BigAutoField"
    settings_links = [
        SettingsLink(
            section="data",
            url_name="settings-verify",
            label=_("Check a copy"),
            order=60,
            also=("imaging:verify", "imaging:verify-submit"),
        )
    ]
