"""The reader's relations, loaded once per request, and person-to-person relationships."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Value

from impasto.accounts.models import User
from impasto.core.statements import Statement, StatementCache, slot
from impasto.social.models import Block, Follow, Mute, SocialSettings
from impasto.social.visibility import Viewer

_ANONYMOUS = Viewer()
REQUEST_ATTRIBUTE = "_social_viewer"


def viewer_for(user: User | AnonymousUser | None) -> Viewer:
    """The reader ``user`` with every relation the visibility rules need, in one query.

    Follows (both states), blocks (both directions) and mutes come back from one ``UNION ALL``;
    the result is immutable, so a later step can cache it per user (invalidated by the graph
    services) without changing any caller.
    """
    if user is None or not isinstance(user, User) or not user.is_authenticated:
        return _ANONYMOUS
    # The same five-part query for everyone: compiled once per process, the id bound each time.
    db = Follow.objects.db
    statement = _RELATIONS.get(db, lambda: Statement.of(_relations_query(_READER)))
    sets: dict[str, set[int]] = defaultdict(set)
    # Prepared on PostgreSQL: five index lookups by the reader's id, whatever the id.
    for other_id, kind in statement.values_list({_READER: user.pk}, db, prepare=True):
        sets[kind].add(other_id)
    return Viewer(
        user=user,
        following_ids=frozenset(sets["f"]),
        requested_ids=frozenset(sets["r"]),
        blocking_ids=frozenset(sets["b"]),
        blocked_by_ids=frozenset(sets["B"]),
        muted_ids=frozenset(sets["m"]),
    )


_READER = slot(0)
_RELATIONS: StatementCache[Statement] = StatementCache(maxsize=4)  # one per database


def _relations_query(uid: int) -> Any:
    """Who ``uid`` follows (accepted: f, pending: r), blocks (b), is blocked by (B), mutes (m)."""

    def rows(qs: Any, column: str, kind: str) -> Any:
        return qs.annotate(k=Value(kind, output_field=CharField())).values_list(column, "k")

    return rows(
        Follow.objects.filter(follower_id=uid, state=Follow.State.ACCEPTED), "followee_id", "f"
    ).union(
        rows(
            Follow.objects.filter(follower_id=uid, state=Follow.State.PENDING), "followee_id", "r"
        ),
        rows(Block.objects.filter(blocker_id=uid), "blocked_id", "b"),
        rows(Block.objects.filter(blocked_id=uid), "blocker_id", "B"),
        rows(Mute.objects.filter(muter_id=uid), "muted_id", "m"),
        all=True,
    )


def viewer_from_request(request: Any) -> Viewer:
    """:func:`viewer_for` the request's user, computed once and kept on the request."""
    viewer = getattr(request, REQUEST_ATTRIBUTE, None)
    if viewer is None:
        viewer = viewer_for(getattr(request, "user", None))
        setattr(request, REQUEST_ATTRIBUTE, viewer)
    return viewer


@dataclass(frozen=True)
class Relationship:
    """How the reader stands with one other person (for a profile header or a follow button)."""

    following: bool = False  # I follow them (accepted)
    requested: bool = False  # my follow request waits for them
    followed_by: bool = False  # they follow me (accepted)
    requested_by: bool = False  # their follow request waits for me
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False

    @property
    def is_self(self) -> bool:
        return False


@dataclass(frozen=True)
class SelfRelationship(Relationship):
    @property
    def is_self(self) -> bool:
        return True


def relationships(viewer: Viewer, user_ids: Iterable[int]) -> dict[int, Relationship]:
    """The reader's relationship with each of ``user_ids``: one query (their follows of me)."""
    ids = set(user_ids)
    if viewer.id is None:
        return {uid: Relationship() for uid in ids}
    incoming = dict(
        Follow.objects.filter(follower_id__in=ids - {viewer.id}, followee_id=viewer.id)
        .values_list("follower_id", "state")
        .iterator()
    )
    result: dict[int, Relationship] = {}
    for uid in ids:
        if uid == viewer.id:
            result[uid] = SelfRelationship()
            continue
        result[uid] = Relationship(
            following=uid in viewer.following_ids,
            requested=uid in viewer.requested_ids,
            followed_by=incoming.get(uid) == Follow.State.ACCEPTED,
            requested_by=incoming.get(uid) == Follow.State.PENDING,
            blocking=uid in viewer.blocking_ids,
            blocked_by=uid in viewer.blocked_by_ids,
            muting=uid in viewer.muted_ids,
        )
    return result


def relationship(viewer: Viewer, other: User) -> Relationship:
    return relationships(viewer, [other.pk])[other.pk]


def social_settings_of(user: User) -> SocialSettings:
    """The person's settings; the defaults (unsaved) when they never changed them."""
    try:
        return SocialSettings.objects.get(user=user)
    except SocialSettings.DoesNotExist:
        return SocialSettings(user=user)


def social_settings_by_user(user_ids: Iterable[int]) -> dict[int, SocialSettings]:
    ids = set(user_ids)
    found = {s.user_id: s for s in SocialSettings.objects.filter(user_id__in=ids)}
    return {uid: found.get(uid) or SocialSettings(user_id=uid) for uid in ids}
