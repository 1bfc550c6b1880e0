from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagingConfig(AppConfig):
    """Uploads, display variants, rights metadata, provenance and the owner watermark."""

    name = "impasto.imaging"
    label = "imaging"
    verbose_name = _("Imaging")
    default_auto_field = "django.db.models.BigAutoField"
