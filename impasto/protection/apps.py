from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.core.jobs import PeriodicJob


class ProtectionConfig(AppConfig):
    """AI detection, crawler policy, rate limits and cloaking backends."""

    name = "impasto.protection"
    periodic_jobs = [PeriodicJob("cloak_requeue", every=timedelta(minutes=10))]
    label = "protection"
    verbose_name = _("Protection")

    def ready(self) -> None:
        # --- signals, crawler policy, rate limits (docs/protection.md) ---------------------
        # --- detection ------------------------------------------------------------------------
        from django.core.checks import register

        from impasto.protection import checks  # noqa: F401  (registers the system checks)
        from impasto.protection.detection.checks import check_detectors

        register(check_detectors)
        # --- end detection --------------------------------------------------------------------
        # --- cloaking (impasto/protection/cloaking) -------------------------------------------
        from impasto.protection.cloaking.checks import check_cloaking

        register(check_cloaking)
        # --- end cloaking ---------------------------------------------------------------------
