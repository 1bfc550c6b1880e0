from django.contrib import admin
from django.http import HttpRequest

from impasto.api.models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin[AccessToken]):
    """Read-only: staff can see who holds which token and revoke nothing by accident."""

    list_display = ("name", "user", "key", "scope", "created_at", "last_used_at", "expires_at")
    list_filter = ("scope",)
    search_fields = ("user__handle", "name", "key")
    raw_id_fields = ("user",)
    exclude = ("digest",)
    readonly_fields = (
        "user", "name", "key", "scope", "created_at", "last_used_at", "expires_at", "revoked_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
