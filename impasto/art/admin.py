from django.contrib import admin

from impasto.art.models import Project, ProjectImage


class ProjectImageInline(admin.TabularInline[ProjectImage, Project]):
    model = ProjectImage
    extra = 0
    raw_id_fields = ["asset"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ["title", "owner", "visibility", "pinned", "created_at", "deleted_at"]
    list_filter = ["visibility", "mature"]
    search_fields = ["title", "owner__handle"]
    raw_id_fields = ["owner", "cover"]
    inlines = [ProjectImageInline]
