"""The reader's filters as one ``Q`` over posts, applied to what a feed row *shows*.

A feed row is a post or a repost; a repost shows its original, so every predicate here is
built for a field prefix (``""`` for the row itself, ``"repost_of__"`` for the original) and
:func:`on_subject` picks the right one per row. Visibility, blocks and mutes are not here:
they are the social selectors' (``impasto.social.selectors.posts.posts_page``), and a feed
always goes through them.

Two predicates carry the product's vocabulary and are meant to grow as the other apps land:

- :func:`is_work_q`: a post that carries images counts as a *work* (works only / posts only).
  When a post can share a portfolio project, add that case here and nowhere else.
- :func:`is_mature_q`: what the reader's mature setting (show, blur, hide) applies to. Posts
  carry no mature flag yet, so a post with a content warning is treated as mature; when posts
  (or the projects they share) get a mature flag, add it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from impasto.accounts.models import ProfileDiscipline
from impasto.feeds.models import FeedPreferences, MatureMode, PostKind
from impasto.social.models import PostAttachment, PostTag
from impasto.social.text import normalize_tag

SUBJECT_PREFIXES = ("", "repost_of__")


@dataclass(frozen=True)
class FeedFilters:
    """What the reader chose (their :class:`FeedPreferences`, or the defaults)."""

    kind: str = PostKind.ALL
    hide_reposts: bool = False
    mature: str = MatureMode.BLUR
    muted_words: tuple[str, ...] = ()
    muted_tags: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    network_mix: int = 30

    @classmethod
    def from_preferences(cls, prefs: FeedPreferences | None) -> FeedFilters:
        if prefs is None:
            return cls()
        return cls(
            kind=prefs.kind,
            hide_reposts=prefs.hide_reposts,
            mature=prefs.mature,
            muted_words=tuple(prefs.muted_words or ()),
            muted_tags=tuple(prefs.muted_tags or ()),
            fields=tuple(prefs.fields or ()),
            network_mix=prefs.network_mix,
        )

    @property
    def is_default(self) -> bool:
        return self == FeedFilters(network_mix=self.network_mix)


def on_subject(build: Callable[[str], Q]) -> Q:
    """``build`` applied to the post a row shows: itself, or the original of a repost."""
    return (Q(repost_of__isnull=True) & build("")) | (
        Q(repost_of__isnull=False) & build("repost_of__")
    )


def is_work_q(prefix: str = "") -> Q:
    """A post that counts as a work: it carries images (projects shared as posts: add here)."""
    return Q(Exists(PostAttachment.objects.filter(post_id=OuterRef(f"{prefix}id"))))


def is_mature_q(prefix: str = "") -> Q:
    """A post the mature setting applies to: for now, one with a content warning."""
    return ~Q(**{f"{prefix}content_warning": ""})


def in_fields_q(fields: tuple[str, ...], prefix: str = "") -> Q:
    """A post in one of these fields: for now, its author lists the field on their profile."""
    return Q(
        Exists(
            ProfileDiscipline.objects.filter(
                profile_id=OuterRef(f"{prefix}author_id"), discipline__in=list(fields)
            )
        )
    )


def muted_q(words: tuple[str, ...], tags: tuple[str, ...], prefix: str = "") -> Q:
    """A post that says a muted word (text, content warning, image description, tag name) or
    carries a muted tag. Case-insensitive as the database's ``LIKE`` is (SQLite: ASCII only)."""
    hit = Q(pk__in=[])
    text = Q()
    for word in words:
        text |= Q(**{f"{prefix}body__icontains": word})
        text |= Q(**{f"{prefix}content_warning__icontains": word})
    if words:
        hit |= text
        alt = Q()
        for word in words:
            alt |= Q(alt_text__icontains=word)
        hit |= Q(Exists(PostAttachment.objects.filter(alt, post_id=OuterRef(f"{prefix}id"))))
    tag_names = set(tags) | {normalize_tag(w) for w in words if w and " " not in w}
    if tag_names:
        hit |= Q(
            Exists(
                PostTag.objects.filter(
                    post_id=OuterRef(f"{prefix}id"), tag__name__in=sorted(tag_names)
                )
            )
        )
    return hit


def filters_q(filters: FeedFilters) -> Q:
    """Everything the reader's filters keep, as one ``Q`` (empty when nothing is filtered)."""
    q = Q()
    if filters.hide_reposts:
        q &= Q(repost_of__isnull=True)
    if filters.kind == PostKind.WORKS:
        q &= on_subject(is_work_q)
    elif filters.kind == PostKind.POSTS:
        q &= on_subject(lambda p: ~is_work_q(p))
    if filters.mature == MatureMode.HIDE:
        q &= on_subject(lambda p: ~is_mature_q(p))
    if filters.fields:
        q &= on_subject(lambda p: in_fields_q(filters.fields, p))
    if filters.muted_words or filters.muted_tags:
        q &= on_subject(lambda p: ~muted_q(filters.muted_words, filters.muted_tags, p))
    return q
