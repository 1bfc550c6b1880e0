from typing import Any

from django.contrib import admin
from django.http import HttpRequest

# --- detection (impasto/protection/detection) -------------------------------------------------
from impasto.protection.detection.models import BlockedImageHash


@admin.register(BlockedImageHash)
class BlockedImageHashAdmin(admin.ModelAdmin[BlockedImageHash]):
    """Read and delete only: the moderation flow adds rows through detection.services."""

    list_display = ("created_at", "reason", "case_ref", "asset_ref", "phash", "pdq_quality")
    list_filter = ("reason",)
    search_fields = ("case_ref", "asset_ref", "phash", "pdq")
    readonly_fields = [field.name for field in BlockedImageHash._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- end detection ----------------------------------------------------------------------------


# --- cloaking (impasto/protection/cloaking) ---------------------------------------------------
from impasto.protection.cloaking.admin import CloakJobAdmin  # noqa: E402, F401  (registers it)

# --- end cloaking -----------------------------------------------------------------------------
