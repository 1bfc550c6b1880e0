from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from impasto.accounts.models import DataExport, Profile, User

# Staff log in through the same door as everyone (rate limits, two-factor, session list)
# instead of the admin's own form, which knows none of these.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # the stubs expect AbstractUser
    ordering = ("handle",)
    list_display = ("handle", "email", "display_name", "is_staff", "is_active", "date_joined")
    search_fields = ("handle", "email", "display_name")
    fieldsets = (
        (None, {"fields": ("handle", "email", "password")}),
        ("Profile", {"fields": ("display_name",)}),
        ("Status", {"fields": ("is_active", "deletion_scheduled_at")}),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("handle", "email", "password1", "password2")}),
    )


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ("user", "kind", "open_to_work", "open_for_commissions")
    search_fields = ("user__handle",)
    raw_id_fields = ("user",)


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin[DataExport]):
    # Status only: the archive itself is for its owner alone, never offered here.
    list_display = ("id", "user", "status", "created_at", "expires_at", "size")
    list_filter = ("status",)
    raw_id_fields = ("user",)
    readonly_fields = ("file_name", "size", "error", "created_at", "finished_at", "expires_at")
