"""Shapes of the feeds: a post with why it is shown, the new-posts count, the preferences."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from impasto.api.schemas.common import Answer
from impasto.api.schemas.posts import PostOut, post_out
from impasto.api.schemas.social import SocialPageParams
from impasto.core.vocab import Discipline
from impasto.feeds.foryou import CURSOR_PATTERN
from impasto.feeds.models import (
    MAX_MUTED_TAGS,
    MAX_MUTED_WORDS,
    MUTED_WORD_MAX_LENGTH,
    FeedPreferences,
    MatureMode,
    PostKind,
)
from impasto.feeds.selectors import FeedItem
from impasto.social.pagination import DEFAULT_LIMIT, MAX_LIMIT
from impasto.social.visibility import Viewer


class FeedPostOut(PostOut):
    """A post in a feed; ``reason`` says why For You shows it (null in chronological feeds)."""

    reason: str | None = Field(description='Why it is shown ("Because you follow #ink").')


def feed_item_out(item: FeedItem, viewer: Viewer) -> dict[str, Any]:
    return {**post_out(item.view, viewer), "reason": item.reason or None}


class NewCountOut(Schema):
    count: int = Field(description="Posts newer than `after` in this feed, counted up to 20.")
    more: bool = Field(description="More than 20 arrived: show “20+”.")


class FeedPreferencesOut(Schema):
    kind: PostKind = Field(description="`all`, `works` (posts with images) or `posts`.")
    hide_reposts: bool
    mature: MatureMode = Field(description="Mature work: `show`, `blur` or `hide`.")
    muted_words: list[str] = Field(description="Folded to lower case.")
    muted_tags: list[str] = Field(description="Folded tag names, without #.")
    fields: list[Discipline] = Field(description="Fields to include; empty: every field.")
    network_mix: int = Field(description="For You: 0 your network only, 100 the wider site.")

    @classmethod
    def of(cls, prefs: FeedPreferences) -> FeedPreferencesOut:
        return cls(
            kind=PostKind(prefs.kind),
            hide_reposts=prefs.hide_reposts,
            mature=MatureMode(prefs.mature),
            muted_words=list(prefs.muted_words),
            muted_tags=list(prefs.muted_tags),
            fields=[Discipline(f) for f in prefs.fields],
            network_mix=prefs.network_mix,
        )


Word = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MUTED_WORD_MAX_LENGTH)
]
# A tag: letters, digits and "_", at least one letter (docs/social.md, "Hashtags").
TAG_PATTERN = r"^[0-9_]*[^\W\d_]\w*$"
TagName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^#?[0-9_]*[^\W\d_]\w*$", max_length=101),
]


class FeedPreferencesIn(Schema):
    """The preferences to change; fields left out (or null) stay as they are. Lists replace."""

    model_config = ConfigDict(extra="forbid")

    kind: PostKind | None = None
    hide_reposts: StrictBool | None = None
    mature: MatureMode | None = None
    muted_words: list[Word] | None = Field(default=None, max_length=MAX_MUTED_WORDS)
    muted_tags: list[TagName] | None = Field(default=None, max_length=MAX_MUTED_TAGS)
    fields: list[Discipline] | None = Field(default=None, max_length=len(Discipline.values))
    network_mix: StrictInt | None = Field(default=None, ge=0, le=100)


class ForYouPageOut(Answer):
    """A page of For You, best first. Pass ``cursor`` back for the next page."""

    items: list[FeedPostOut]
    cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page.",
        pattern=CURSOR_PATTERN,
    )


class ForYouParams(Schema):
    cursor: str | None = Field(
        default=None,
        pattern=CURSOR_PATTERN,
        max_length=60,
        description="The previous page's `cursor` (it freezes the ranking's clock).",
    )
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many.")


class DiscoverParams(SocialPageParams):
    field: Discipline | None = Field(default=None, description="Only artists of this field.")


class TagOut(Schema):
    name: str = Field(description="The folded name, as in /tags/{name}.")
    display_name: str = Field(description="As first written.")
