from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.core.jobs import PeriodicJob


class ImagingConfig(AppConfig):
    """Uploads, display variants, rights metadata, provenance and the owner watermark."""

    name = "impasto.imaging"
    periodic_jobs = [PeriodicJob("imaging_sweep", every=timedelta(minutes=5))]
    label = "imaging"
    verbose_name = _("Imaging")
    default_auto_field = "django.db.models.BigAutoField"
