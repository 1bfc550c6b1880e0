from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from impasto.moderation.models import ActionLog, Appeal, Case, Notice, Report


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin[ActionLog]):
    """Read-only: the database refuses changes anyway (append-only triggers)."""

    list_display = ["created_at", "kind", "actor_handle", "target_type", "target_id", "case_id_ref"]
    list_filter = ["kind", "target_type"]
    search_fields = ["actor_handle", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """For looking up; decisions are taken on the desk (/moderation/) so they are logged."""

    list_display = ["id", "target_type", "target_id", "subject", "status", "held", "decision"]
    list_filter = ["status", "held", "decision", "target_type"]
    readonly_fields = [f.name for f in Case._meta.get_fields() if f.concrete]
    raw_id_fields = ["subject", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


admin.site.register(Report)
admin.site.register(Appeal)
admin.site.register(Notice)
