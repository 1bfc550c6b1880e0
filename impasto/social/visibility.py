"""Who may see a piece of content: the vocabulary and the one filter every selector builds on.

:class:`Visibility` is shared by posts now and by projects later (projects add ``draft``).
:class:`Viewer` is the reader, with their relations loaded once per request by
:func:`impasto.social.selectors.relations.viewer_for`; :func:`audience_q` turns it into a ``Q``
over any model with an author and a visibility field, so art's projects get the very same rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from impasto.accounts.models import User


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    FOLLOWERS = "followers", _("Followers only")
    UNLISTED = "unlisted", _("Unlisted")
    # Projects only: never offered for posts (post_create refuses it).
    DRAFT = "draft", _("Draft")


#: Readable by anyone who can reach the URL (and, for public, listed in feeds, tags, search).
OPEN_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED)
POST_VISIBILITIES = (Visibility.PUBLIC, Visibility.FOLLOWERS, Visibility.UNLISTED)


@dataclass(frozen=True)
class Viewer:
    """The person reading (``user`` None when anonymous) and their relations, as id sets.

    Built once per request (one query); immutable, so it can be cached later.
    """

    user: User | None = None
    following_ids: frozenset[int] = field(default_factory=frozenset)  # accepted follows
    requested_ids: frozenset[int] = field(default_factory=frozenset)  # my pending requests
    blocking_ids: frozenset[int] = field(default_factory=frozenset)  # people I block
    blocked_by_ids: frozenset[int] = field(default_factory=frozenset)  # people who block me
    muted_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def hidden_ids(self) -> frozenset[int]:
        """Blocked either way: each is hidden from the other everywhere."""
        return self.blocking_ids | self.blocked_by_ids

    @property
    def quiet_ids(self) -> frozenset[int]:
        """Hidden from lists, feeds and notifications: blocked either way, or muted."""
        return self.hidden_ids | self.muted_ids

    def follows(self, user_id: int) -> bool:
        return user_id in self.following_ids


def audience_q(
    viewer: Viewer, *, prefix: str = "", author: str = "author", probe: bool = False
) -> Q:
    """Rows whose author is public, not blocked either way, and whose visibility admits ``viewer``.

    ``prefix`` reaches a related row (``"reply_to__"``); ``author`` names the author relation
    (projects may call it ``owner``). Deletion is the caller's business: each model marks it its
    own way. Drafts are the author's alone. ``probe``: the rule tests one row found by key (an
    ``EXISTS`` on a parent), so the reader's id sets need no estimate (``__anyof_opaque``).
    """
    a = f"{prefix}{author}"
    v = f"{prefix}visibility"
    among = "anyof_opaque" if probe else "anyof"
    q = Q(**{f"{a}__is_active": True, f"{a}__deletion_scheduled_at__isnull": True})
    allowed = Q(**{f"{v}__in": OPEN_VISIBILITIES})
    if viewer.id is not None:
        allowed |= Q(**{f"{a}_id": viewer.id})
        if viewer.following_ids:
            allowed |= Q(**{v: Visibility.FOLLOWERS, f"{a}_id__{among}": viewer.following_ids})
        if viewer.hidden_ids:
            q &= ~Q(**{f"{a}_id__{among}": viewer.hidden_ids})
    return q & allowed


def can_see(viewer: Viewer, *, author: User, visibility: str) -> bool:
    """The same rule as :func:`audience_q`, for one object already in memory."""
    if not author.is_public:
        return False
    if viewer.id is not None:
        if author.pk == viewer.id:
            return True
        if author.pk in viewer.hidden_ids:
            return False
    if visibility in OPEN_VISIBILITIES:
        return True
    return visibility == Visibility.FOLLOWERS and viewer.follows(author.pk)
