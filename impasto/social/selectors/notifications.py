"""Reading notifications: grouped for display, and the unread count shown on every page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from impasto.accounts.models import User
from impasto.social import targets
from impasto.social.models import Notification
from impasto.social.models.notifications import NotificationKind as Kind
from impasto.social.pagination import Page, clamp_limit
from impasto.social.visibility import Viewer

SAMPLE_ACTORS = 3
UNREAD_CAP = 100  # the badge says "99+" past this; the count never scans further


def notifications_visible(viewer: Viewer) -> QuerySet[Notification]:
    """The reader's notifications that may still be shown, in one query.

    The actor must be public and neither blocked (either way) nor muted; the target must still
    be visible to the reader (each target type's sub-select, :mod:`impasto.social.targets`).

    The target test is a correlated ``EXISTS`` on the notification's own target row (a primary
    key lookup per notification), never ``target_id IN (every visible target)``: under the
    ``OR`` of target types PostgreSQL cannot turn that ``IN`` into a join, and hashes the whole
    sub-select instead, i.e. every post the reader may see (20 s on a million posts).
    """
    if viewer.id is None:
        return Notification.objects.none()
    target_ok = Q(target_type="")
    for name, target in targets.registered().items():
        mine = target.visible_ids(viewer).filter(pk=OuterRef("target_id"))
        target_ok |= Q(Q(target_type=name), Exists(mine))
    qs = Notification.objects.filter(
        target_ok,
        recipient_id=viewer.id,
        actor__is_active=True,
        actor__deletion_scheduled_at__isnull=True,
    )
    if viewer.quiet_ids:
        qs = qs.exclude(actor_id__anyof=viewer.quiet_ids)
    return qs


def notifications_unread(viewer: Viewer) -> QuerySet[Notification]:
    """The reader's visible unread notifications (the partial index covers the scan)."""
    return notifications_visible(viewer).filter(read_at__isnull=True)


def notifications_unread_count(viewer: Viewer) -> int:
    """Unread notifications, up to :data:`UNREAD_CAP` (cheap enough for every page)."""
    return notifications_unread(viewer)[:UNREAD_CAP].count()


_ONE = {
    Kind.FOLLOW: gettext_lazy("%(name)s followed you"),
    Kind.FOLLOW_REQUEST: gettext_lazy("%(name)s asked to follow you"),
    Kind.LIKE: gettext_lazy("%(name)s liked your post"),
    Kind.REPOST: gettext_lazy("%(name)s reposted your post"),
    Kind.REPLY: gettext_lazy("%(name)s replied to your post"),
    Kind.MENTION: gettext_lazy("%(name)s mentioned you"),
    Kind.QUOTE: gettext_lazy("%(name)s quoted your post"),
    Kind.COMMENT: gettext_lazy("%(name)s commented on your work"),
}


def _many(kind: str, others: int) -> str:
    if kind == Kind.FOLLOW:
        return ngettext(
            "%(name)s and %(others)d other followed you",
            "%(name)s and %(others)d others followed you",
            others,
        )
    if kind == Kind.FOLLOW_REQUEST:
        return ngettext(
            "%(name)s and %(others)d other asked to follow you",
            "%(name)s and %(others)d others asked to follow you",
            others,
        )
    if kind == Kind.REPOST:
        return ngettext(
            "%(name)s and %(others)d other reposted your post",
            "%(name)s and %(others)d others reposted your post",
            others,
        )
    return ngettext(
        "%(name)s and %(others)d other liked your post",
        "%(name)s and %(others)d others liked your post",
        others,
    )


@dataclass
class NotificationGroup:
    """One line of the notifications page: ``count`` people did ``kind`` (to ``target``)."""

    key: str
    kind: str
    latest_id: int  # also the cursor of the page
    latest_at: dt.datetime
    count: int  # distinct people
    unread: bool
    actors: list[User] = field(default_factory=list)  # up to three, most recent first
    target_type: str = ""
    target_id: int = 0
    target: Any = None  # the post (or project...) when there is one

    def summary(self) -> str:
        """A sentence for people: "Mira and 3 others liked your post"."""
        name = self.actors[0].name if self.actors else _("Someone")
        if self.kind == Kind.LIKE and self.target_type == "project":  # art's projects
            if self.count <= 1:
                return _("%(name)s liked your work") % {"name": name}
            return ngettext(
                "%(name)s and %(others)d other liked your work",
                "%(name)s and %(others)d others liked your work",
                self.count - 1,
            ) % {"name": name, "others": self.count - 1}
        if self.count <= 1:
            return str(_ONE[Kind(self.kind)]) % {"name": name}
        return _many(self.kind, self.count - 1) % {"name": name, "others": self.count - 1}


def notification_groups(
    viewer: Viewer,
    *,
    before: int | None = None,
    limit: int | None = None,
    unread_only: bool = False,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Page[NotificationGroup]:
    """The reader's notifications, grouped, most recent group first, in three queries.

    Keyset-paged on each group's latest notification id; a group that gets a new notification
    moves back to the top, as people expect.
    """
    size = clamp_limit(limit)
    base = notifications_visible(viewer)
    if unread_only:
        base = base.filter(read_at__isnull=True)
    if since is not None:
        base = base.filter(created_at__gte=since)
    if until is not None:
        base = base.filter(created_at__lt=until)
    grouped = (
        base.order_by()
        .values("group_key")
        .annotate(
            latest_id=Max("id"),
            people=Count("actor_id", distinct=True),
            unread=Count("id", filter=Q(read_at__isnull=True)),
        )
        .order_by("-latest_id")
    )
    if before is not None:
        grouped = grouped.filter(latest_id__lt=before)
    heads = list(grouped[: size + 1])
    cursor = heads[size - 1]["latest_id"] if len(heads) > size else None
    heads = heads[:size]
    if not heads:
        return Page()

    samples: dict[str, list[Notification]] = defaultdict(list)
    ranked = (
        base.filter(group_key__in=[h["group_key"] for h in heads])
        .annotate(rank=Window(RowNumber(), partition_by=[F("group_key")], order_by=F("id").desc()))
        .filter(rank__lte=SAMPLE_ACTORS)
        .select_related("actor__profile")
        .order_by("group_key", "-id")
    )
    for row in ranked:
        samples[row.group_key].append(row)

    wanted: dict[str, set[int]] = defaultdict(set)
    for rows in samples.values():
        if rows and rows[0].target_type:
            wanted[rows[0].target_type].add(rows[0].target_id)
    loaded = {name: targets.get(name).load(viewer, sorted(ids)) for name, ids in wanted.items()}

    groups: list[NotificationGroup] = []
    for head in heads:
        rows = samples.get(head["group_key"], [])
        if not rows:
            continue
        first = rows[0]
        groups.append(
            NotificationGroup(
                key=head["group_key"],
                kind=first.kind,
                latest_id=head["latest_id"],
                latest_at=first.created_at,
                count=head["people"],
                unread=head["unread"] > 0,
                actors=[row.actor for row in rows],
                target_type=first.target_type,
                target_id=first.target_id,
                target=loaded.get(first.target_type, {}).get(first.target_id),
            )
        )
    return Page(groups, cursor)
