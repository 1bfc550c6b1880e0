"""The writes of the feeds: the reader's preferences and followed tags, and the fan-out of
new posts onto Redis home timelines."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.core.vocab import Discipline
from impasto.feeds import timelines
from impasto.feeds.models import (
    MAX_MUTED_TAGS,
    MAX_MUTED_WORDS,
    MUTED_WORD_MAX_LENGTH,
    FeedPreferences,
    FollowedTag,
    MatureMode,
    PostKind,
)
from impasto.social.models import Follow, Post, Tag
from impasto.social.text import TAG_RE, normalize_tag


def fold_word(word: str) -> str:
    """A muted word as stored: NFC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", word).casefold().split())


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def clean_muted_words(words: Iterable[str]) -> list[str]:
    folded = _unique(fold_word(w) for w in words)
    if len(folded) > MAX_MUTED_WORDS:
        raise ValidationError(
            _("You can mute at most %(n)d words.") % {"n": MAX_MUTED_WORDS}, code="too_many"
        )
    for word in folded:
        if len(word) > MUTED_WORD_MAX_LENGTH or "\x00" in word:
            raise ValidationError(
                _("A muted word has at most %(n)d characters.") % {"n": MUTED_WORD_MAX_LENGTH},
                code="too_long",
            )
    return folded


def clean_muted_tags(tags: Iterable[str]) -> list[str]:
    folded = _unique(normalize_tag(t.strip().removeprefix("#")) for t in tags)
    if len(folded) > MAX_MUTED_TAGS:
        raise ValidationError(
            _("You can mute at most %(n)d tags.") % {"n": MAX_MUTED_TAGS}, code="too_many"
        )
    for tag in folded:
        if not TAG_RE.fullmatch(tag) or not any(c.isalpha() for c in tag):
            raise ValidationError(
                _("“%(tag)s” is not a tag: letters, digits and _ only.") % {"tag": tag},
                code="bad_tag",
            )
    return folded


def clean_fields(fields: Iterable[str]) -> list[str]:
    chosen = _unique(fields)
    unknown = [f for f in chosen if f not in Discipline.values]
    if unknown:
        raise ValidationError(_("Choose fields from the list."), code="bad_field")
    # Stored in the list's own order, so the same choice is always the same value.
    return [f for f in Discipline.values if f in chosen]


@transaction.atomic
def feed_preferences_update(
    *,
    user: User,
    kind: str | None = None,
    hide_reposts: bool | None = None,
    mature: str | None = None,
    muted_words: Iterable[str] | None = None,
    muted_tags: Iterable[str] | None = None,
    fields: Iterable[str] | None = None,
    network_mix: int | None = None,
) -> FeedPreferences:
    """Change what the reader's feeds show; ``None`` leaves a setting as it is.

    Creates the row on first change. Bad input raises ``ValidationError`` and stores nothing.
    """
    if not user.is_authenticated or not user.is_public:
        raise ValidationError(_("Sign in to change your feed."), code="anonymous")
    prefs = FeedPreferences.objects.select_for_update().filter(user=user).first()
    if prefs is None:
        prefs = FeedPreferences(user=user)
    if kind is not None:
        if kind not in PostKind.values:
            raise ValidationError(_("Choose works, posts, or both."), code="bad_kind")
        prefs.kind = kind
    if hide_reposts is not None:
        prefs.hide_reposts = hide_reposts
    if mature is not None:
        if mature not in MatureMode.values:
            raise ValidationError(_("Choose show, blur or hide for mature work."), code="bad")
        prefs.mature = mature
    if muted_words is not None:
        prefs.muted_words = clean_muted_words(muted_words)
    if muted_tags is not None:
        prefs.muted_tags = clean_muted_tags(muted_tags)
    if fields is not None:
        prefs.fields = clean_fields(fields)
    if network_mix is not None:
        if not 0 <= network_mix <= 100:
            raise ValidationError(_("The mix is a number from 0 to 100."), code="bad_mix")
        prefs.network_mix = network_mix
    prefs.updated_at = timezone.now()
    prefs.save()
    return prefs


MAX_FOLLOWED_TAGS = 200


def _tag_for(name: str) -> tuple[str, str]:
    display = unicodedata.normalize("NFC", name.strip().removeprefix("#"))
    folded = normalize_tag(display)
    if not TAG_RE.fullmatch(folded) or not any(c.isalpha() for c in folded):
        raise ValidationError(
            _("“%(tag)s” is not a tag: letters, digits and _ only.") % {"tag": display[:100]},
            code="bad_tag",
        )
    return folded, display


@transaction.atomic
def tag_follow(*, user: User, name: str) -> FollowedTag:
    """Follow a tag (``#Café`` and ``cafe`` are one); following it twice changes nothing."""
    folded, display = _tag_for(name)
    existing = FollowedTag.objects.filter(user=user, tag__name=folded).first()
    if existing is not None:
        return existing
    if FollowedTag.objects.filter(user=user).count() >= MAX_FOLLOWED_TAGS:
        raise ValidationError(
            _("You can follow at most %(n)d tags.") % {"n": MAX_FOLLOWED_TAGS}, code="too_many"
        )
    tag, _created = Tag.objects.get_or_create(name=folded, defaults={"display_name": display})
    try:
        with transaction.atomic():
            return FollowedTag.objects.create(user=user, tag=tag)
    except IntegrityError:  # a racing double click
        return FollowedTag.objects.get(user=user, tag=tag)


def tag_unfollow(*, user: User, name: str) -> None:
    """Stop following a tag; not following it is not an error."""
    folded, _display = _tag_for(name)
    FollowedTag.objects.filter(user=user, tag__name=folded).delete()


def home_fanout(*, post_id: int) -> int:
    """Push a new post onto its author's and their followers' Redis home lists (those that
    exist); returns how many lists took it. Nothing to do without Redis, or for a deleted post.
    Visibility is not decided here: readers filter every id they read."""
    author_id = (
        Post.objects.filter(pk=post_id, deleted_at__isnull=True)
        .values_list("author_id", flat=True)
        .first()
    )
    if author_id is None or not timelines.enabled():
        return 0
    followers = (
        Follow.objects.filter(followee_id=author_id, state=Follow.State.ACCEPTED)
        .values_list("follower_id", flat=True)
        .iterator(chunk_size=2000)
    )
    return timelines.home_push(itertools.chain([author_id], followers), post_id)
