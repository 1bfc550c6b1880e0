"""The social pages (docs/social-web.md). Profile tabs (/@handle/posts, /@handle/likes) are
served by the accounts profile view from SocialConfig.profile_tabs."""

from django.urls import path

from impasto.social.views import messages, notifications, people, posts, settings

app_name = "social"

urlpatterns = [
    # posts
    path("@<str:handle>/posts/<int:post_id>", posts.post_detail, name="post-detail"),
    path("@<str:handle>/posts/<int:post_id>/edit", posts.post_edit, name="post-edit"),
    path("@<str:handle>/posts/<int:post_id>/history", posts.post_history, name="post-history"),
    path("@<str:handle>/posts/<int:post_id>/delete", posts.post_delete, name="post-delete"),
    path("posts/new", posts.post_create, name="post-create"),
    path("posts/<int:post_id>", posts.post_short, name="post-short"),
    path("posts/<int:post_id>/like", posts.post_like, name="post-like"),
    path("posts/<int:post_id>/unlike", posts.post_unlike, name="post-unlike"),
    path("posts/<int:post_id>/bookmark", posts.post_bookmark, name="post-bookmark"),
    path("posts/<int:post_id>/unbookmark", posts.post_unbookmark, name="post-unbookmark"),
    path("posts/<int:post_id>/repost", posts.post_repost, name="post-repost"),
    path("posts/<int:post_id>/unrepost", posts.post_unrepost, name="post-unrepost"),
    path("bookmarks", posts.bookmarks, name="bookmarks"),
    path("tags/<str:name>", posts.tag_detail, name="tag"),
    # people
    path("@<str:handle>/followers", people.followers, name="followers"),
    path("@<str:handle>/following", people.following, name="following"),
    path("@<str:handle>/follow", people.follow, name="follow"),
    path("@<str:handle>/unfollow", people.unfollow, name="unfollow"),
    path("@<str:handle>/remove-follower", people.follower_remove, name="follower-remove"),
    path("@<str:handle>/mute", people.mute, name="mute"),
    path("@<str:handle>/unmute", people.unmute, name="unmute"),
    path("@<str:handle>/block", people.block, name="block"),
    path("@<str:handle>/unblock", people.unblock, name="unblock"),
    path("@<str:handle>/message", messages.message_new, name="message-new"),
    path("follow-requests", people.follow_requests, name="follow-requests"),
    path(
        "follow-requests/<str:handle>/accept",
        people.follow_request_accept,
        name="follow-request-accept",
    ),
    path(
        "follow-requests/<str:handle>/reject",
        people.follow_request_reject,
        name="follow-request-reject",
    ),
    # notifications
    path("notifications", notifications.notifications, name="notifications"),
    # messages
    path("messages", messages.inbox, name="inbox"),
    path("messages/requests", messages.inbox, {"requests": True}, name="message-requests"),
    path("messages/<int:conversation_id>", messages.conversation, name="conversation"),
    path("messages/<int:conversation_id>/send", messages.message_send, name="message-send"),
    path(
        "messages/<int:conversation_id>/accept",
        messages.conversation_accept,
        name="conversation-accept",
    ),
    path(
        "messages/<int:conversation_id>/decline",
        messages.conversation_decline,
        name="conversation-decline",
    ),
    # settings (in the accounts settings layout)
    path("settings/social", settings.social_settings, name="settings"),
    path("settings/social/blocked", settings.blocked_and_muted, name="settings-blocked"),
]
