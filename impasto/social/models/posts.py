"""Posts (text, replies, reposts, quotes), their history, tags, mentions, likes and bookmarks.

The table is shaped for the feeds to come: snowflake primary keys sort by time, so every list
pages by ``id < cursor ORDER BY id DESC`` on an index (``author, id``; ``thread_root, id``;
``tag, post``); nothing uses OFFSET.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impasto.core.models import SnowflakeField
from impasto.social.visibility import POST_VISIBILITIES, Visibility

BODY_MAX_LENGTH = 5000
CONTENT_WARNING_MAX_LENGTH = 200


class Post(models.Model):
    """A post: text and images, a reply in a thread, a repost (no body) or a quote.

    ``body_html`` is rendered once when the body is written (markdown, mentions and hashtags
    as links, then the project's sanitizer) so a page of posts costs no rendering.
    ``thread_root`` is the first post of the thread (itself for a top-level post), kept as a
    reference without a database constraint so a thread stays one thread after its root row
    is erased. A deleted post keeps its row as a tombstone (``deleted_at`` set, text erased):
    replies keep their place and show "deleted".
    """

    id = SnowflakeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="posts",
        db_index=False,  # covered by the (author, id) index
    )
    body = models.TextField(
        _("text"),
        blank=True,
        max_length=BODY_MAX_LENGTH,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
    )
    body_html = models.TextField(blank=True, editable=False)
    content_warning = models.CharField(
        _("content warning"), max_length=CONTENT_WARNING_MAX_LENGTH, blank=True
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=[(v.value, v.label) for v in POST_VISIBILITIES],
        default=Visibility.PUBLIC,
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    thread_root = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,  # never NULL in practice; nullable so that joins to an erased root are outer
        related_name="+",
        db_index=False,  # covered by the (thread_root, id) index
    )
    repost_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="reposts"
    )
    quote_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    # The path of the first link in the text to one of this site's own pages, if a preview
    # provider knows it (impasto.social.previews); the preview is built at read time, for the
    # reader, so it never shows what the reader may not see.
    link_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    likes_count = models.PositiveIntegerField(default=0)
    reposts_count = models.PositiveIntegerField(default=0)
    quotes_count = models.PositiveIntegerField(default=0)
    replies_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            # One repost per person per post (NULLs never collide: plain posts are unaffected).
            models.UniqueConstraint(fields=["author", "repost_of"], name="social_repost_unique"),
            models.CheckConstraint(
                condition=Q(repost_of__isnull=True)
                | Q(body="", reply_to__isnull=True, quote_of__isnull=True),
                name="social_repost_is_bare",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=[v.value for v in POST_VISIBILITIES]),
                name="social_post_visibility_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "id"], name="social_post_author_id"),
            models.Index(fields=["thread_root", "id"], name="social_post_thread"),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} by {self.author_id}"

    @property
    def is_repost(self) -> bool:
        return self.repost_of_id is not None

    @property
    def is_reply(self) -> bool:
        return self.reply_to_id is not None or self.thread_root_id != self.pk

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class PostRevision(models.Model):
    """A version of a post's text as it was before an edit (the history behind "edited")."""

    id = SnowflakeField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(blank=True)
    content_warning = models.CharField(max_length=CONTENT_WARNING_MAX_LENGTH, blank=True)
    # When this version was written (the post's creation, or the edit that produced it).
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of post {self.post_id}"


class Tag(models.Model):
    """A hashtag. ``name`` is the case- and accent-folded key (#Café, #cafe and #CAFÉ are one)."""

    name = models.CharField(max_length=100, unique=True)
    display_name = models.CharField(max_length=100)  # as first written
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.display_name}"


class PostTag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="post_tags")

    class Meta:
        constraints = [
            # Also the tag page's index: WHERE tag = ? AND post < cursor ORDER BY post DESC.
            models.UniqueConstraint(fields=["tag", "post"], name="social_posttag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.post_id}"


class PostMention(models.Model):
    """A person mentioned in a post's current text (edits add and remove rows)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentioned_in"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="social_postmention_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.post_id}"


class Reaction(models.Model):
    """One person's mark on one thing (like, bookmark), unique per person and thing.

    Art's projects get their own parallel tables from this base (``ProjectLike``) rather than a
    generic relation: real foreign keys cascade and keep integrity, the unique index is narrow,
    and the shared services (``impasto.social.services.reactions``) work on any such pair.
    """

    id = SnowflakeField()  # time-ordered: "liked by" and bookmark lists page by id
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class PostLike(Reaction):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_likes"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="social_postlike_unique"),
        ]
        indexes = [models.Index(fields=["user", "id"], name="social_postlike_user_id")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.post_id}"


class PostBookmark(Reaction):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_bookmarks"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="social_postbookmark_unique"),
        ]
        indexes = [models.Index(fields=["user", "id"], name="social_postbookmark_user_id")]

    def __str__(self) -> str:
        return f"{self.user_id} bookmarked {self.post_id}"
