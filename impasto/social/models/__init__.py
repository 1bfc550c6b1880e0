"""Models of the social app, one module per area; import them from here."""

from impasto.social.models.attachments import PostAttachment
from impasto.social.models.graph import Block, Follow, Mute
from impasto.social.models.messages import Conversation, ConversationMember, Message
from impasto.social.models.notifications import DigestLog, Notification
from impasto.social.models.posts import (
    Post,
    PostBookmark,
    PostLike,
    PostMention,
    PostRevision,
    PostTag,
    Tag,
)
from impasto.social.models.settings import SocialSettings, UserCounters

__all__ = [
    "Block",
    "Conversation",
    "ConversationMember",
    "DigestLog",
    "Follow",
    "Message",
    "Mute",
    "Notification",
    "Post",
    "PostAttachment",
    "PostBookmark",
    "PostLike",
    "PostMention",
    "PostRevision",
    "PostTag",
    "SocialSettings",
    "Tag",
    "UserCounters",
]
