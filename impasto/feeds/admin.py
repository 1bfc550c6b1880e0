from django.contrib import admin

from impasto.feeds.models import FeedPreferences


@admin.register(FeedPreferences)
class FeedPreferencesAdmin(admin.ModelAdmin[FeedPreferences]):
    list_display = ("user", "kind", "hide_reposts", "mature", "updated_at")
    raw_id_fields = ("user",)
    search_fields = ("user__handle",)
