"""Posts as the API shows them, and the bodies that create and edit them.

A post answer is built from a :class:`~impasto.social.selectors.posts.PostView` (what the
selectors hand every page): everything it needs is already loaded, so building it costs no
query (images, their assets and variants are prefetched by the selectors).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from impasto.api.schemas.accounts import absolute_url
from impasto.api.schemas.common import Answer, SnowflakeId, SnowflakeIdIn, Text
from impasto.api.schemas.media import PostImageOut, post_image_out
from impasto.api.schemas.social import AuthorOut, author_out
from impasto.social.models import Post, PostRevision
from impasto.social.models.attachments import ALT_TEXT_MAX_LENGTH, MAX_ATTACHMENTS
from impasto.social.models.posts import BODY_MAX_LENGTH, CONTENT_WARNING_MAX_LENGTH
from impasto.social.previews import LinkPreview
from impasto.social.selectors.posts import PostView
from impasto.social.text import parse_post, render_post
from impasto.social.visibility import Viewer

PostVisibility = Literal["public", "followers", "unlisted"]
"""Who can see a post (``impasto.social.visibility.POST_VISIBILITIES``; a test holds them equal)."""


# --- answers --------------------------------------------------------------------------------


class PostCountsOut(Answer):
    likes: int
    reposts: int
    quotes: int
    replies: int


class PostViewerOut(Answer):
    """What you did to the post yourself."""

    liked: bool
    reposted: bool
    bookmarked: bool


class LinkPreviewOut(Answer):
    """A preview of a link to one of Impasto's own pages (nothing outside is ever fetched)."""

    kind: str = Field(description='What the link points at: "post", "profile" (later "project").')
    url: str
    title: str
    description: str = Field(description="Plain text.")


class PostSummaryOut(Answer):
    """A post shown inside another: the quoted post, a notification's post."""

    id: SnowflakeId
    author: AuthorOut
    created_at: datetime
    edited_at: datetime | None
    visibility: PostVisibility
    content_warning: str = Field(description="Plain text; show it before the post when set.")
    body_html: str = Field(description="The text, rendered and sanitised.")
    reply_to_id: SnowflakeId | None


class QuotedPostOut(PostSummaryOut):
    """The post a post quotes, with its pictures (as the web page shows them)."""

    images: list[PostImageOut] = Field(description="Up to 10, in order.")


class PostContentOut(Answer):
    """A post: its text, who wrote it, its counts and what you did to it."""

    id: SnowflakeId
    author: AuthorOut | None = Field(
        description="Null only for a deleted post kept in a thread so its replies keep their place."
    )
    created_at: datetime
    edited_at: datetime | None = Field(description="When the text last changed; see /revisions.")
    visibility: PostVisibility
    content_warning: str = Field(description="Plain text; show it before the post when set.")
    body_html: str = Field(description="The text, rendered and sanitised: show it as is.")
    body: str | None = Field(
        description="The text as written (markdown), for editing: only to its author, and only "
        "in the answers about one post (get, create, edit); null otherwise."
    )
    reply_to_id: SnowflakeId | None
    thread_root_id: SnowflakeId | None = Field(description="The first post of the thread.")
    quote_of_id: SnowflakeId | None
    quote: QuotedPostOut | None = Field(description="The quoted post, when you may see it.")
    quote_unavailable: bool = Field(
        description="This post quotes one you cannot see (deleted, or out of your reach)."
    )
    parent_deleted: bool = Field(description="A reply whose parent was deleted.")
    images: list[PostImageOut] = Field(description="Up to 10, in order.")
    link_preview: LinkPreviewOut | None
    counts: PostCountsOut
    viewer: PostViewerOut | None = Field(description="Null when nobody is signed in.")
    deleted: bool = Field(description="A placeholder for a deleted post (threads only).")


class PostOut(PostContentOut):
    """A post, or a repost: then ``repost_of`` holds the original and the text fields here are
    empty; ``counts`` and ``viewer`` are the original's, as liking or replying to a repost acts
    on the original."""

    repost_of: PostContentOut | None = Field(description="The original, for a repost.")


class ThreadReplyOut(PostOut):
    depth: int = Field(description="1 for a direct reply to the post, 2 below that, and so on.")


class ThreadOut(Answer):
    """A post in its thread. Replies come oldest first; each names its parent (reply_to_id)."""

    post: PostOut
    ancestors: list[PostOut] = Field(description="From the first post of the thread down.")
    replies: list[ThreadReplyOut]
    after: SnowflakeId | None = Field(
        description="Pass as ?after= for the next replies; null when there are no more."
    )


class RevisionOut(Schema):
    """An earlier version of a post's text."""

    id: SnowflakeId
    body_html: str
    content_warning: str
    written_at: datetime
    replaced_at: datetime

    @staticmethod
    def resolve_body_html(obj: PostRevision) -> str:
        # Rendered like a post, without resolving mentions (a handle may since have changed).
        return str(render_post(parse_post(obj.body), known_handles=()))


# --- building answers -------------------------------------------------------------------------


def _preview(preview: LinkPreview | None) -> dict[str, str] | None:
    if preview is None:
        return None
    return {
        "kind": preview.kind,
        "url": absolute_url(preview.url),
        "title": preview.title,
        "description": preview.description,
    }


def _counts(post: Post) -> dict[str, int]:
    return {
        "likes": post.likes_count,
        "reposts": post.reposts_count,
        "quotes": post.quotes_count,
        "replies": post.replies_count,
    }


def post_summary_out(post: Post) -> dict[str, Any]:
    """A post with ``author__profile`` loaded, as :class:`PostSummaryOut`."""
    return {
        "id": post.pk,
        "author": author_out(post.author),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "visibility": post.visibility,
        "content_warning": post.content_warning,
        "body_html": post.body_html,
        "reply_to_id": post.reply_to_id,
    }


def _quoted(view: PostView) -> dict[str, Any] | None:
    if view.quote is None:
        return None
    return {
        **post_summary_out(view.quote),
        "images": [post_image_out(a) for a in view.quote_attachments],
    }


def _content(view: PostView, viewer: Viewer, *, with_source: bool) -> dict[str, Any]:
    post = view.subject
    mine = None
    if viewer.id is not None:
        mine = {"liked": view.liked, "reposted": view.reposted, "bookmarked": view.bookmarked}
    if view.is_deleted:
        # A tombstone: no author (it may be someone the reader must not see), no content.
        return {
            "id": post.pk,
            "author": None,
            "created_at": post.created_at,
            "edited_at": None,
            "visibility": post.visibility,
            "content_warning": "",
            "body_html": "",
            "body": None,
            "reply_to_id": post.reply_to_id,
            "thread_root_id": post.thread_root_id,
            "quote_of_id": None,
            "quote": None,
            "quote_unavailable": False,
            "parent_deleted": False,
            "images": [],
            "link_preview": None,
            "counts": {"likes": 0, "reposts": 0, "quotes": 0, "replies": 0},
            "viewer": None,
            "deleted": True,
        }
    own = with_source and viewer.id is not None and viewer.id == post.author_id
    return {
        "id": post.pk,
        "author": author_out(post.author),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "visibility": post.visibility,
        "content_warning": post.content_warning,
        "body_html": post.body_html,
        "body": post.body if own else None,
        "reply_to_id": post.reply_to_id,
        "thread_root_id": post.thread_root_id,
        "quote_of_id": post.quote_of_id,
        "quote": _quoted(view),
        "quote_unavailable": view.quote_unavailable,
        "parent_deleted": view.parent_deleted,
        "images": [post_image_out(a) for a in view.attachments],
        "link_preview": _preview(view.preview),
        "counts": _counts(post),
        "viewer": mine,
        "deleted": False,
    }


def post_out(view: PostView, viewer: Viewer, *, with_source: bool = False) -> dict[str, Any]:
    """``view`` as :class:`PostOut` for ``viewer``; ``with_source`` adds the author's markdown."""
    content = _content(view, viewer, with_source=with_source)
    if view.reposted_by is None:
        return {**content, "repost_of": None}
    row = view.post
    return {
        **content,
        "id": row.pk,
        "author": author_out(row.author),
        "created_at": row.created_at,
        "edited_at": None,
        "visibility": row.visibility,
        "content_warning": "",
        "body_html": "",
        "body": None,
        "reply_to_id": None,
        "thread_root_id": row.thread_root_id,
        "quote_of_id": None,
        "quote": None,
        "quote_unavailable": False,
        "parent_deleted": False,
        "images": [],
        "link_preview": None,
        "deleted": False,
        "repost_of": content,
    }


def thread_reply_out(view: PostView, viewer: Viewer) -> dict[str, Any]:
    return {**post_out(view, viewer), "depth": view.depth}


# --- requests -------------------------------------------------------------------------------


class PostImageIn(Schema):
    """An image to attach: one of your uploads (``POST /media``, purpose ``post``), described."""

    model_config = ConfigDict(extra="forbid")

    id: SnowflakeIdIn = Field(description="The media id from `POST /media`.")
    alt_text: Annotated[Text, Field(max_length=ALT_TEXT_MAX_LENGTH)] = Field(
        default="", description="What the image shows. Required unless `decorative`."
    )
    decorative: bool = Field(
        default=False,
        description="The image adds nothing to the text (then `alt_text` must be empty).",
    )


class PostCreateIn(Schema):
    """A new post, a reply (``reply_to``) or a quote post (``quote_of``)."""

    model_config = ConfigDict(extra="forbid")

    body: Annotated[Text, Field(max_length=BODY_MAX_LENGTH)] = Field(
        default="",
        description="Light markdown; @handles and #hashtags become links. May be empty when "
        "the post has images.",
    )
    images: list[PostImageIn] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description="Up to 10 of your uploads, in order; each is described or decorative. "
        "A post may be published while they are still processing.",
    )
    content_warning: Annotated[Text, Field(max_length=CONTENT_WARNING_MAX_LENGTH)] = ""
    visibility: PostVisibility = "public"
    reply_to: SnowflakeIdIn | None = Field(default=None, description="The post this replies to.")
    quote_of: SnowflakeIdIn | None = Field(
        default=None, description="The post this quotes (public or unlisted, quotes allowed)."
    )


class PostEditIn(Schema):
    """The new text. Visibility, thread and quote never change."""

    model_config = ConfigDict(extra="forbid")

    body: Annotated[Text, Field(min_length=1, max_length=BODY_MAX_LENGTH)]
    content_warning: Annotated[Text, Field(max_length=CONTENT_WARNING_MAX_LENGTH)] | None = Field(
        default=None, description="Left out or null: unchanged. An empty string removes it."
    )


class ThreadParams(Schema):
    after: SnowflakeId | None = Field(
        default=None, description="Only replies after this one (the page's `after`)."
    )
    limit: int = Field(default=20, ge=1, le=50, description="How many replies, at most.")
