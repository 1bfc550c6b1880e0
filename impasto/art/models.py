"""Projects (a portfolio piece: several images with alt text, described and tagged) and albums.

Fields, mediums and software are short lists of fixed keys stored as JSON arrays: the same
column type on SQLite and PostgreSQL, validated against the choice lists by the services.
Free tags reuse social's :class:`~impasto.social.models.Tag` (folded names), so a tag page
can later list posts and projects alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impasto.art.vocab import Layout
from impasto.core.models import SnowflakeField
from impasto.protection.cloaking.levels import CloakLevel
from impasto.social.visibility import Visibility


class ProjectQuerySet(models.QuerySet["Project"]):
    def alive(self) -> ProjectQuerySet:
        return self.filter(deleted_at__isnull=True)


class Project(models.Model):
    id = SnowflakeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    # Rendered once on write (impasto.core.text.render_markdown: markdown, then nh3).
    description_html = models.TextField(blank=True)
    fields = models.JSONField(default=list, blank=True)  # impasto.core.vocab.Discipline keys
    mediums = models.JSONField(default=list, blank=True)  # art.vocab.Medium keys
    software = models.JSONField(default=list, blank=True)  # art.vocab.Software keys
    mature = models.BooleanField(_("mature content"), default=False)
    no_ai_declared = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.DRAFT
    )
    cover = models.ForeignKey(
        "ProjectImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a moderator (docs/moderation.md): out of everyone's view, kept whole so that a
    # restore or an upheld appeal puts it back. The owner's delete is ``deleted_at``.
    removed_at = models.DateTimeField(null=True, blank=True)
    # The cloak against AI training for every image of the project (docs/cloaking.md); new
    # images take it too.
    cloak_level = models.CharField(
        _("protection (cloak)"), max_length=16, choices=CloakLevel.choices, default=CloakLevel.OFF
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            # The Portfolio tab: WHERE owner = ? AND deleted_at IS NULL ORDER BY id DESC.
            models.Index(
                fields=["owner", "-id"],
                name="art_project_owner_alive",
                condition=Q(deleted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The project page (the owner must be loaded, as the selectors do)."""
        return reverse(
            "art:project-detail", kwargs={"handle": self.owner.handle, "project_id": self.pk}
        )

    @property
    def is_draft(self) -> bool:
        return self.visibility == Visibility.DRAFT

    @property
    def excerpt(self) -> str:
        """What a notification shows of the project: its title."""
        return self.title


class ProjectTag(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_tags")
    tag = models.ForeignKey("social.Tag", on_delete=models.CASCADE, related_name="project_tags")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "project"], name="art_projecttag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.project_id}"


class ProjectImage(models.Model):
    """One image of a project, in the project's order, with its own alt text and caption."""

    id = SnowflakeField()
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="images")
    asset = models.ForeignKey(
        "imaging.MediaAsset", on_delete=models.CASCADE, related_name="project_images"
    )
    position = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("alt text"), max_length=1500)
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["project", "position"], name="art_image_order")]
        constraints = [
            models.UniqueConstraint(fields=["project", "asset"], name="art_image_asset_once"),
        ]

    def __str__(self) -> str:
        return f"image {self.position} of {self.project_id}"


class PortfolioSettings(models.Model):
    """How an artist's Portfolio tab is laid out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_settings"
    )
    layout = models.CharField(max_length=16, choices=Layout.choices, default=Layout.GRID)

    def __str__(self) -> str:
        return f"portfolio settings of {self.user_id}"


class Album(models.Model):
    """A named, ordered group of an artist's projects on their profile (a project may be in
    several). The album shows to anyone who may see its owner; inside it, each reader sees only
    the projects they may see."""

    id = SnowflakeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="albums"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    description_html = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    cover = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("album")
        verbose_name_plural = _("albums")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["owner", "position"], name="art_album_order")]

    def __str__(self) -> str:
        return self.title


class AlbumEntry(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="album_entries")
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["album", "project"], name="art_albumentry_unique"),
        ]
        indexes = [models.Index(fields=["album", "position"], name="art_albumentry_order")]

    def __str__(self) -> str:
        return f"{self.project_id} in {self.album_id}"


class ProjectLike(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_likes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="art_projectlike_unique"),
        ]
        indexes = [models.Index(fields=["user", "-id"], name="art_projectlike_user")]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.project_id}"


class ProjectComment(models.Model):
    """A comment under a project. ``body_html`` is rendered and sanitized once, on write."""

    id = SnowflakeField()
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_comments"
    )
    body = models.TextField(max_length=2000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["project", "id"], name="art_comment_order")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.project_id}"

    def get_absolute_url(self) -> str:
        return f"{self.project.get_absolute_url()}#comment-{self.pk}"

    @property
    def excerpt(self) -> str:
        return self.body
