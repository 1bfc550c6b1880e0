from django.contrib import admin

from impasto.imaging.models import MediaAsset, MediaVariant


class MediaVariantInline(admin.TabularInline[MediaVariant, MediaAsset]):
    model = MediaVariant
    extra = 0
    readonly_fields = ["kind", "format", "width", "height", "animated", "sha256", "key", "bytes"]
    can_delete = False


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin[MediaAsset]):
    list_display = ["id", "owner", "purpose", "status", "source_format", "width", "height",
                    "attempts", "created_at"]  # fmt: skip
    list_filter = ["status", "purpose", "source_format"]
    search_fields = ["owner__handle", "phash"]
    raw_id_fields = ["owner"]
    readonly_fields = ["original_key", "original_sha256", "attempts", "last_error"]
    inlines = [MediaVariantInline]
