"""Creating, reading-marking and removing notifications; the daily digest."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from impasto.accounts.models import User
from impasto.social import targets
from impasto.social.models import (
    DigestLog,
    Follow,
    Notification,
    Post,
    PostLike,
    PostMention,
    SocialSettings,
)
from impasto.social.models.notifications import NotificationKind as Kind
from impasto.social.selectors.notifications import notification_groups
from impasto.social.selectors.relations import viewer_for

logger = logging.getLogger(__name__)

DIGEST_MAX_GROUPS = 20
DIGEST_CLAIM_TIMEOUT = dt.timedelta(hours=1)


def group_key_for(*, kind: str, actor_id: int, target_type: str, target_id: int) -> str:
    """Which notifications show as one line: likes and reposts of one post, a day's follows,
    all follow requests; replies, mentions, quotes and comments each stand alone."""
    if kind == Kind.FOLLOW:
        return f"follow:{timezone.now().date().isoformat()}"
    if kind == Kind.FOLLOW_REQUEST:
        return "follow_request"
    if kind in (Kind.LIKE, Kind.REPOST):
        return f"{kind}:{target_type}:{target_id}"
    return f"{kind}:{target_type}:{target_id}:{actor_id}"


def notify(
    *, recipient_id: int, actor_id: int, kind: str, target_type: str = "", target_id: int = 0
) -> Notification | None:
    """Record that ``actor`` did ``kind`` to ``recipient``, unless the recipient should not know.

    Nothing is created for oneself, between people blocked either way, from someone the
    recipient mutes, from or to an account that is not public, or about a target the recipient
    may not see (a mention in a followers-only post they cannot read). Idempotent: the unique
    (recipient, actor, kind, target) row is created once, however often the task runs.
    """
    if recipient_id == actor_id:
        return None
    people = {u.pk: u for u in User.objects.public().filter(pk__in=[recipient_id, actor_id])}
    recipient = people.get(recipient_id)
    if recipient is None or actor_id not in people:
        return None
    viewer = viewer_for(recipient)
    if actor_id in viewer.quiet_ids:
        return None
    if target_type and not (
        targets.get(target_type).visible_ids(viewer).filter(pk=target_id).exists()
    ):
        return None
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                actor_id=actor_id,
                kind=kind,
                target_type=target_type,
                target_id=target_id,
                group_key=group_key_for(
                    kind=kind, actor_id=actor_id, target_type=target_type, target_id=target_id
                ),
            )
        ],
        ignore_conflicts=True,
    )
    return Notification.objects.filter(
        recipient_id=recipient_id,
        actor_id=actor_id,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
    ).first()


def notification_delete(
    *, recipient_id: int, actor_id: int, kind: str, target_type: str = "", target_id: int = 0
) -> None:
    Notification.objects.filter(
        recipient_id=recipient_id,
        actor_id=actor_id,
        kind=kind,
        target_type=target_type,
        target_id=target_id,
    ).delete()


def notifications_delete_for_target(*, target_type: str, target_ids: list[int]) -> None:
    """Remove every notification about these targets (they were deleted)."""
    if target_ids:
        Notification.objects.filter(target_type=target_type, target_id__in=target_ids).delete()


def notifications_delete_between(*, user_id: int, other_id: int) -> None:
    """Remove what either of two people was told about the other (on a block)."""
    Notification.objects.filter(
        Q(recipient_id=user_id, actor_id=other_id) | Q(recipient_id=other_id, actor_id=user_id)
    ).delete()


def notifications_delete_from(*, recipient_id: int, actor_id: int) -> None:
    """Remove what ``recipient`` was told about ``actor`` (on a mute)."""
    Notification.objects.filter(recipient_id=recipient_id, actor_id=actor_id).delete()


def notifications_mark_read(*, user: User, up_to_id: int | None = None) -> int:
    """Mark the person's notifications read (all, or those up to ``up_to_id``)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if up_to_id is not None:
        qs = qs.filter(id__lte=up_to_id)
    return qs.update(read_at=timezone.now())


# --- what tasks call ----------------------------------------------------------------------


def notifications_for_post(*, post_id: int) -> None:
    """Notify for a new or edited post: reply, quote, repost, mentions. Safe to run twice.

    On an edit, people no longer mentioned lose their mention notification and newly
    mentioned people get one; nobody is told twice.
    """
    post = (
        Post.objects.select_related("reply_to", "quote_of", "repost_of")
        .filter(pk=post_id, deleted_at__isnull=True)
        .first()
    )
    if post is None:
        return
    if post.repost_of is not None:
        notify(
            recipient_id=post.repost_of.author_id,
            actor_id=post.author_id,
            kind=Kind.REPOST,
            target_type="post",
            target_id=post.repost_of.pk,
        )
        return
    told: set[int] = set()
    if post.reply_to is not None and post.reply_to.deleted_at is None:
        notify(
            recipient_id=post.reply_to.author_id,
            actor_id=post.author_id,
            kind=Kind.REPLY,
            target_type="post",
            target_id=post.pk,
        )
        told.add(post.reply_to.author_id)
    if post.quote_of is not None and post.quote_of.deleted_at is None:
        notify(
            recipient_id=post.quote_of.author_id,
            actor_id=post.author_id,
            kind=Kind.QUOTE,
            target_type="post",
            target_id=post.pk,
        )
        told.add(post.quote_of.author_id)
    mentioned = set(PostMention.objects.filter(post=post).values_list("user_id", flat=True))
    for user_id in sorted(mentioned - told):
        notify(
            recipient_id=user_id,
            actor_id=post.author_id,
            kind=Kind.MENTION,
            target_type="post",
            target_id=post.pk,
        )
    Notification.objects.filter(kind=Kind.MENTION, target_type="post", target_id=post.pk).exclude(
        recipient_id__in=mentioned - told
    ).delete()


def notification_for_like(*, like_id: int) -> None:
    like = PostLike.objects.select_related("post").filter(pk=like_id).first()
    if like is None or like.post.deleted_at is not None:
        return
    notify(
        recipient_id=like.post.author_id,
        actor_id=like.user_id,
        kind=Kind.LIKE,
        target_type="post",
        target_id=like.post_id,
    )


def notification_for_follow(*, follow_id: int) -> None:
    follow = Follow.objects.filter(pk=follow_id).first()
    if follow is None:
        return
    kind = Kind.FOLLOW if follow.state == Follow.State.ACCEPTED else Kind.FOLLOW_REQUEST
    notify(recipient_id=follow.followee_id, actor_id=follow.follower_id, kind=kind)


# --- daily digest -------------------------------------------------------------------------


def digest_recipients() -> list[int]:
    """Ids of the people who asked for the daily digest (public accounts only)."""
    return list(
        SocialSettings.objects.filter(digest_daily=True, user__in=User.objects.public())
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def digest_send(*, user_id: int, day: dt.date) -> bool:
    """Email ``user_id`` the unread notifications of the 24 hours before ``day`` (UTC midnight).

    At most once per person and day: a ``DigestLog`` row is claimed with a conditional UPDATE
    (two workers cannot both win), then marked sent. A worker killed after claiming leaves a
    stale claim that a later run takes over after an hour. Nothing to say, no email (but the
    day still counts as done). Returns True when an email went out.
    """
    user = User.objects.public().filter(pk=user_id).first()
    if user is None or not SocialSettings.objects.filter(user=user, digest_daily=True).exists():
        return False
    log, _created = DigestLog.objects.get_or_create(user=user, day=day)
    if log.sent_at is not None:
        return False
    now = timezone.now()
    claimed = (
        DigestLog.objects.filter(pk=log.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - DIGEST_CLAIM_TIMEOUT))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    end = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    groups = notification_groups(
        viewer_for(user),
        unread_only=True,
        since=end - dt.timedelta(days=1),
        until=end,
        limit=DIGEST_MAX_GROUPS,
    ).items
    sent = False
    if groups:
        with translation.override(settings.LANGUAGE_CODE):
            count = sum(g.count for g in groups)
            subject = ngettext(
                "%(count)d new notification on %(site)s",
                "%(count)d new notifications on %(site)s",
                count,
            ) % {"count": count, "site": settings.SITE_NAME}
            lines = [
                _("Hello %(name)s,") % {"name": user.name},
                "",
                _("Here is what happened while you were away:"),
                "",
                *[f"- {group.summary()}" for group in groups],
                "",
                _("See them all: %(url)s") % {"url": f"{settings.SITE_URL}/notifications"},
                "",
                _("You get this email once a day because you asked for it in your settings."),
            ]
        send_mail(subject, "\n".join(lines), None, [user.email])
        sent = True
    with transaction.atomic():
        DigestLog.objects.filter(pk=log.pk).update(
            sent_at=timezone.now(), notifications=len(groups)
        )
    return sent
