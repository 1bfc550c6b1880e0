from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from impasto.core.jobs import PeriodicJob


class ModerationConfig(AppConfig):
    """Held uploads, reports, the moderation desk, appeals and the audit log."""

    name = "impasto.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    default_auto_field = "django.db.models.BigAutoField"
    periodic_jobs = [PeriodicJob("lift_suspensions", every=timedelta(minutes=15))]

    def ready(self) -> None:
        from impasto.accounts import inactive
        from impasto.imaging import screening
        from impasto.imaging import selectors as imaging_selectors
        from impasto.imaging.uses import register_use_finder
        from impasto.moderation import builtin_targets, hooks

        builtin_targets.register_builtin()
        screening.register_screen(hooks.screen_upload)
        imaging_selectors.register_reviewer(hooks.is_reviewer)
        imaging_selectors.register_access_check(hooks.appeal_file_access)
        register_use_finder("moderation.appeal", hooks.appeal_file_uses)
        register_use_finder("moderation.case", hooks.open_case_uses)
        inactive.register_explainer(hooks.standing_url)
