"""What social erases and exports when an account is purged or exported.

Registration: ``SocialConfig`` names :func:`user_data_export` and :func:`user_data_erase`
as its hooks (see impasto.accounts.userdata); both are idempotent.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from impasto.accounts.models import User
from impasto.accounts.userdata import ExportWriter
from impasto.social.models import (
    Block,
    Conversation,
    ConversationMember,
    DigestLog,
    Follow,
    Message,
    Mute,
    Notification,
    Post,
    PostAttachment,
    PostBookmark,
    PostLike,
    PostRevision,
    SocialSettings,
    UserCounters,
)
from impasto.social.services._common import bump_post_counter
from impasto.social.services.graph import _unfollow
from impasto.social.services.posts import soft_delete_post


@transaction.atomic
def erase_user(user: User) -> None:
    """Remove everything social about ``user``, keeping other people's counters right.

    Others' replies to the erased posts stay (they show "deleted"); reposts of them go.
    Conversations with the person are deleted for both sides: the messages were theirs too.
    """
    for follower_id, followee_id in Follow.objects.filter(
        Q(follower=user) | Q(followee=user)
    ).values_list("follower_id", "followee_id"):
        _unfollow(follower_id=follower_id, followee_id=followee_id)
    for post_id in PostLike.objects.filter(user=user).values_list("post_id", flat=True):
        if PostLike.objects.filter(user=user, post_id=post_id).delete()[0]:
            bump_post_counter(post_id, "likes_count", -1)
    for repost in Post.objects.filter(author=user, repost_of__isnull=False):
        if Post.objects.filter(pk=repost.pk).delete()[0] and repost.repost_of_id:
            bump_post_counter(repost.repost_of_id, "reposts_count", -1)
    for post in Post.objects.filter(author=user, deleted_at__isnull=True):
        soft_delete_post(post)
    Post.objects.filter(author=user).delete()
    PostBookmark.objects.filter(user=user).delete()
    Block.objects.filter(Q(blocker=user) | Q(blocked=user)).delete()
    Mute.objects.filter(Q(muter=user) | Q(muted=user)).delete()
    Notification.objects.filter(Q(recipient=user) | Q(actor=user)).delete()
    Conversation.objects.filter(Q(user_low=user) | Q(user_high=user)).delete()
    DigestLog.objects.filter(user=user).delete()
    SocialSettings.objects.filter(user=user).delete()
    UserCounters.objects.filter(user=user).delete()


def export_user(user: User) -> dict[str, Any]:
    """Everything social that belongs to ``user``, as JSON-ready data (ids as strings)."""

    def handles(qs: Any, field: str) -> list[str]:
        return sorted(qs.values_list(f"{field}__handle", flat=True))

    settings = SocialSettings.objects.filter(user=user).first() or SocialSettings(user=user)
    posts = []
    revisions: dict[int, list[dict[str, Any]]] = {}
    for rev in PostRevision.objects.filter(post__author=user).order_by("id"):
        revisions.setdefault(rev.post_id, []).append(
            {
                "body": rev.body,
                "content_warning": rev.content_warning,
                "written_at": rev.written_at.isoformat(),
            }
        )
    images: dict[int, list[dict[str, Any]]] = {}
    for att in PostAttachment.objects.filter(post__author=user).order_by("post_id", "position"):
        images.setdefault(att.post_id, []).append(
            {"asset_id": str(att.asset_id), "alt_text": att.alt_text, "decorative": att.decorative}
        )
    for post in Post.objects.filter(author=user, deleted_at__isnull=True).order_by("id"):
        posts.append(
            {
                "id": str(post.pk),
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                "body": post.body,
                "content_warning": post.content_warning,
                "visibility": post.visibility,
                "reply_to": str(post.reply_to_id) if post.reply_to_id else None,
                "quote_of": str(post.quote_of_id) if post.quote_of_id else None,
                "repost_of": str(post.repost_of_id) if post.repost_of_id else None,
                "images": images.get(post.pk, []),
                "earlier_versions": revisions.get(post.pk, []),
            }
        )
    conversations = []
    for member in ConversationMember.objects.filter(user=user).select_related(
        "conversation__user_low", "conversation__user_high"
    ):
        conv = member.conversation
        other = conv.user_high if conv.user_low_id == user.pk else conv.user_low
        conversations.append(
            {
                "with": other.handle,
                "messages": [
                    {
                        "from": handle,
                        "at": at.isoformat(),
                        "body": body,
                    }
                    for handle, at, body in Message.objects.filter(conversation=conv)
                    .order_by("id")
                    .values_list("sender__handle", "created_at", "body")
                ],
            }
        )
    accepted = Follow.State.ACCEPTED
    return {
        "settings": {
            "locked": settings.locked,
            "message_policy": settings.message_policy,
            "allow_quotes": settings.allow_quotes,
            "digest_daily": settings.digest_daily,
        },
        "posts": posts,
        "following": handles(Follow.objects.filter(follower=user, state=accepted), "followee"),
        "followers": handles(Follow.objects.filter(followee=user, state=accepted), "follower"),
        "blocked": handles(Block.objects.filter(blocker=user), "blocked"),
        "muted": handles(Mute.objects.filter(muter=user), "muted"),
        "liked_posts": [
            str(i) for i in PostLike.objects.filter(user=user).values_list("post_id", flat=True)
        ],
        "bookmarked_posts": [
            str(i) for i in PostBookmark.objects.filter(user=user).values_list("post_id", flat=True)
        ],
        "conversations": conversations,
    }


def user_data_export(*, user: User, writer: ExportWriter) -> None:
    """The social part of a person's data export: one JSON file (see :func:`export_user`)."""
    writer.add_json("social.json", export_user(user))


def user_data_erase(*, user: User) -> None:
    """The social part of an account's erasure (see :func:`erase_user`)."""
    erase_user(user)
