"""Follow, unfollow, follow requests, block, mute, and the social settings.

Counters (followers, following) change only after a write whose row count proves it happened,
in the same transaction (see docs/social.md, "Counters"), so concurrent clicks never drift.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.social import tasks
from impasto.social.models import Block, Follow, Mute, SocialSettings
from impasto.social.models.notifications import NotificationKind as Kind
from impasto.social.models.settings import MessagePolicy
from impasto.social.services._common import bump_user_counters, enqueue_on_commit
from impasto.social.services.notifications import (
    notification_delete,
    notifications_delete_between,
    notifications_delete_from,
)

FOLLOWERS = "followers_count"
FOLLOWING = "following_count"


def _is_blocked_either_way(a: int, b: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a, blocked_id=b) | Q(blocker_id=b, blocked_id=a)
    ).exists()


def _is_locked(user: User) -> bool:
    return SocialSettings.objects.filter(user=user, locked=True).exists()


def _count_accepted(*, follower_id: int, followee_id: int, delta: int) -> None:
    bump_user_counters({follower_id: {FOLLOWING: delta}, followee_id: {FOLLOWERS: delta}})


@transaction.atomic
def follow_create(*, follower: User, followee: User) -> Follow:
    """Follow ``followee`` (a request when their account is locked). Idempotent.

    ``Http404`` when ``followee`` is not public or a block stands between them (whoever made
    it): the follower must not learn about the block from a different answer.
    """
    if follower.pk == followee.pk:
        raise ValidationError(_("You cannot follow yourself."), code="self_follow")
    if not followee.is_public or _is_blocked_either_way(follower.pk, followee.pk):
        raise Http404("No such person.")
    state = Follow.State.PENDING if _is_locked(followee) else Follow.State.ACCEPTED
    try:
        with transaction.atomic():
            follow = Follow.objects.create(
                follower=follower,
                followee=followee,
                state=state,
                accepted_at=timezone.now() if state == Follow.State.ACCEPTED else None,
            )
    except IntegrityError:
        return Follow.objects.get(follower=follower, followee=followee)
    if state == Follow.State.ACCEPTED:
        _count_accepted(follower_id=follower.pk, followee_id=followee.pk, delta=1)
    enqueue_on_commit(tasks.follow_notify_task, follow.pk)
    return follow


@transaction.atomic
def follow_delete(*, follower: User, followee: User) -> bool:
    """Unfollow, or withdraw a pending request. True if there was something to remove."""
    return _unfollow(follower_id=follower.pk, followee_id=followee.pk)


def _unfollow(*, follower_id: int, followee_id: int) -> bool:
    # DELETE ... RETURNING would give the state in one statement; portable Django is a locked
    # read followed by the delete, in the caller's transaction.
    follow = (
        Follow.objects.select_for_update()
        .filter(follower_id=follower_id, followee_id=followee_id)
        .first()
    )
    if follow is None:
        return False
    deleted, _ = Follow.objects.filter(pk=follow.pk).delete()
    if not deleted:
        return False
    if follow.state == Follow.State.ACCEPTED:
        _count_accepted(follower_id=follower_id, followee_id=followee_id, delta=-1)
    else:
        notification_delete(
            recipient_id=followee_id, actor_id=follower_id, kind=Kind.FOLLOW_REQUEST
        )
    return True


def _accept(follow_pk: int, *, follower_id: int, followee_id: int) -> bool:
    accepted = Follow.objects.filter(pk=follow_pk, state=Follow.State.PENDING).update(
        state=Follow.State.ACCEPTED, accepted_at=timezone.now()
    )
    if not accepted:
        return False
    _count_accepted(follower_id=follower_id, followee_id=followee_id, delta=1)
    notification_delete(recipient_id=followee_id, actor_id=follower_id, kind=Kind.FOLLOW_REQUEST)
    enqueue_on_commit(tasks.follow_notify_task, follow_pk)
    return True


@transaction.atomic
def follow_request_accept(*, user: User, follower: User) -> Follow:
    """Accept ``follower``'s request to follow ``user``."""
    # Locked until commit: a racing unfollow or block waits, then finds it accepted.
    follow = Follow.objects.select_for_update().filter(follower=follower, followee=user).first()
    if follow is None:
        raise Http404("No such follow request.")
    if follow.state == Follow.State.PENDING:
        _accept(follow.pk, follower_id=follower.pk, followee_id=user.pk)
        follow.state = Follow.State.ACCEPTED
    return follow


@transaction.atomic
def follow_request_reject(*, user: User, follower: User) -> None:
    """Turn down ``follower``'s pending request (an accepted follower is removed elsewhere)."""
    follow = Follow.objects.filter(
        follower=follower, followee=user, state=Follow.State.PENDING
    ).first()
    if follow is None:
        raise Http404("No such follow request.")
    deleted, _ = Follow.objects.filter(pk=follow.pk, state=Follow.State.PENDING).delete()
    if deleted:
        notification_delete(recipient_id=user.pk, actor_id=follower.pk, kind=Kind.FOLLOW_REQUEST)


@transaction.atomic
def follower_remove(*, user: User, follower: User) -> bool:
    """Remove someone from one's followers (they are not told; they can ask again)."""
    return _unfollow(follower_id=follower.pk, followee_id=user.pk)


@transaction.atomic
def block_create(*, blocker: User, blocked: User) -> Block:
    """Block: each disappears for the other, follows both ways and requests end, and what
    either was notified about the other is removed. Idempotent."""
    if blocker.pk == blocked.pk:
        raise ValidationError(_("You cannot block yourself."), code="self_block")
    try:
        with transaction.atomic():
            block = Block.objects.create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        return Block.objects.get(blocker=blocker, blocked=blocked)
    _unfollow(follower_id=blocker.pk, followee_id=blocked.pk)
    _unfollow(follower_id=blocked.pk, followee_id=blocker.pk)
    notifications_delete_between(user_id=blocker.pk, other_id=blocked.pk)
    return block


@transaction.atomic
def block_delete(*, blocker: User, blocked: User) -> bool:
    """Unblock. Follows that the block ended are not restored."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


@transaction.atomic
def mute_create(*, muter: User, muted: User) -> Mute:
    """Mute: ``muted`` leaves the muter's lists, feeds and notifications; nobody is told."""
    if muter.pk == muted.pk:
        raise ValidationError(_("You cannot mute yourself."), code="self_mute")
    try:
        with transaction.atomic():
            mute = Mute.objects.create(muter=muter, muted=muted)
    except IntegrityError:
        return Mute.objects.get(muter=muter, muted=muted)
    notifications_delete_from(recipient_id=muter.pk, actor_id=muted.pk)
    return mute


@transaction.atomic
def mute_delete(*, muter: User, muted: User) -> bool:
    deleted, _ = Mute.objects.filter(muter=muter, muted=muted).delete()
    return bool(deleted)


@transaction.atomic
def social_settings_update(
    *,
    user: User,
    locked: bool | None = None,
    message_policy: str | None = None,
    allow_quotes: bool | None = None,
    digest_daily: bool | None = None,
) -> SocialSettings:
    """Change one's social settings; arguments left None are not changed.

    Unlocking an account accepts the requests that were waiting, as people expect.
    """
    if message_policy is not None and message_policy not in MessagePolicy.values:
        raise ValidationError(
            _("Choose who may message you: everyone, people you follow, or nobody."),
            code="invalid_message_policy",
        )
    SocialSettings.objects.get_or_create(user=user)
    settings = SocialSettings.objects.select_for_update().get(user=user)
    was_locked = settings.locked
    if locked is not None:
        settings.locked = locked
    if message_policy is not None:
        settings.message_policy = message_policy
    if allow_quotes is not None:
        settings.allow_quotes = allow_quotes
    if digest_daily is not None:
        settings.digest_daily = digest_daily
    settings.save()
    if was_locked and not settings.locked:
        for pk, follower_id in Follow.objects.filter(
            followee=user, state=Follow.State.PENDING
        ).values_list("pk", "follower_id"):
            _accept(pk, follower_id=follower_id, followee_id=user.pk)
    return settings
