from django.contrib import admin

from impasto.core.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin[PeriodicRun]):
    list_display = ("name", "last_started_at", "last_finished_at", "last_ok")
    readonly_fields = ("name", "last_started_at", "last_finished_at", "last_ok", "last_output")

    def has_add_permission(self, request: object) -> bool:
        return False
