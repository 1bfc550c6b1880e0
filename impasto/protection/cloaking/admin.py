"""Cloak jobs in the admin: read-only (the artist's choice and the task make every change)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from impasto.protection.cloaking.models import CloakJob


@admin.register(CloakJob)
class CloakJobAdmin(admin.ModelAdmin[CloakJob]):
    list_display = (
        "asset_id",
        "work_id",
        "owner",
        "level",
        "status",
        "ssim",
        "psnr",
        "finished_at",
    )
    list_filter = ("status", "level", "backend")
    search_fields = ("owner__handle",)
    list_select_related = ("owner",)
    readonly_fields = [field.name for field in CloakJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
