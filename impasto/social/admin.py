"""Admin pages for support and moderation. Direct messages are deliberately not listed:
staff have no reason to read private conversations through the admin."""

from __future__ import annotations

from django.contrib import admin

from impasto.social.models import (
    Block,
    Follow,
    Mute,
    Notification,
    Post,
    PostRevision,
    SocialSettings,
    Tag,
    UserCounters,
)


@admin.register(SocialSettings)
class SocialSettingsAdmin(admin.ModelAdmin[SocialSettings]):
    list_display = ["user", "locked", "message_policy", "allow_quotes", "digest_daily"]
    list_filter = ["locked", "message_policy", "digest_daily"]
    raw_id_fields = ["user"]
    search_fields = ["user__handle"]


@admin.register(UserCounters)
class UserCountersAdmin(admin.ModelAdmin[UserCounters]):
    list_display = ["user", "followers_count", "following_count", "posts_count"]
    raw_id_fields = ["user"]
    search_fields = ["user__handle"]
    readonly_fields = ["followers_count", "following_count", "posts_count"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin[Follow]):
    list_display = ["id", "follower", "followee", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["follower", "followee"]
    search_fields = ["follower__handle", "followee__handle"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin[Block]):
    list_display = ["id", "blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]
    search_fields = ["blocker__handle", "blocked__handle"]


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin[Mute]):
    list_display = ["id", "muter", "muted", "created_at"]
    raw_id_fields = ["muter", "muted"]


class PostRevisionInline(admin.TabularInline[PostRevision, Post]):
    model = PostRevision
    extra = 0
    readonly_fields = ["body", "content_warning", "written_at", "replaced_at"]
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["id", "author", "visibility", "created_at", "edited_at", "deleted_at"]
    list_filter = ["visibility"]
    raw_id_fields = ["author", "reply_to", "repost_of", "quote_of"]
    search_fields = ["author__handle"]
    readonly_fields = [
        "body_html",
        "thread_root",
        "likes_count",
        "reposts_count",
        "quotes_count",
        "replies_count",
    ]
    inlines = [PostRevisionInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ["name", "display_name", "created_at"]
    search_fields = ["name"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["id", "recipient", "actor", "kind", "target_type", "target_id", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "actor"]
