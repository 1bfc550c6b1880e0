"""What the portfolio exports and erases for a person (hooks named on ``ArtConfig``; see
impasto.accounts.userdata). Both are idempotent."""

from __future__ import annotations

import posixpath
from typing import Any

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F

from impasto.accounts.models import User
from impasto.accounts.userdata import ExportWriter
from impasto.art.models import (
    Album,
    PortfolioSettings,
    Project,
    ProjectComment,
    ProjectImage,
    ProjectLike,
)


def export_user(user: User) -> dict[str, Any]:
    """Projects (deleted ones left out), albums, one's comments and likes, as JSON-ready data."""
    projects = []
    for project in (
        Project.objects.alive()
        .filter(owner=user)
        .prefetch_related("images__asset", "project_tags__tag")
        .order_by("id")
    ):
        projects.append(
            {
                "id": str(project.pk),
                "title": project.title,
                "description": project.description,
                "fields": project.fields,
                "mediums": project.mediums,
                "software": project.software,
                "tags": [pt.tag.display_name for pt in project.project_tags.all()],
                "mature": project.mature,
                "no_ai_declared": project.no_ai_declared,
                "visibility": project.visibility,
                "pinned": project.pinned,
                "cover_image": str(project.cover_id) if project.cover_id else None,
                "created_at": project.created_at,
                "published_at": project.published_at,
                "images": [
                    {
                        "id": str(image.pk),
                        "position": image.position,
                        "alt_text": image.alt_text,
                        "caption": image.caption,
                        "original": _original_name(image),
                    }
                    for image in project.images.all()
                ],
            }
        )
    albums = [
        {
            "id": str(album.pk),
            "title": album.title,
            "description": album.description,
            "position": album.position,
            "cover_project": str(album.cover_id) if album.cover_id else None,
            "projects": [
                str(pid)
                for pid in album.entries.order_by("position", "id").values_list(
                    "project_id", flat=True
                )
            ],
        }
        for album in Album.objects.filter(owner=user).order_by("position", "id")
    ]
    comments = [
        {
            "id": str(c.pk),
            "project": str(c.project_id),
            "body": c.body,
            "created_at": c.created_at,
        }
        for c in ProjectComment.objects.filter(author=user, deleted_at__isnull=True).order_by("id")
    ]
    liked = [
        str(pid)
        for pid in ProjectLike.objects.filter(user=user)
        .order_by("id")
        .values_list("project_id", flat=True)
    ]
    layout = PortfolioSettings.objects.filter(user=user).values_list("layout", flat=True).first()
    return {
        "layout": layout or "grid",
        "projects": projects,
        "albums": albums,
        "comments": comments,
        "liked_projects": liked,
    }


def _original_name(image: ProjectImage) -> str:
    ext = posixpath.splitext(image.asset.original_key)[1]
    return f"originals/{image.project_id}/{image.position:03d}-{image.pk}{ext}"


def user_data_export(*, user: User, writer: ExportWriter) -> None:
    """``portfolio.json`` and, beside it, the original file of every project image."""
    writer.add_json("portfolio.json", export_user(user))
    private = storages["private"]
    images = ProjectImage.objects.filter(
        project__owner=user, project__deleted_at__isnull=True
    ).select_related("asset")
    for image in images:
        if private.exists(image.asset.original_key):
            writer.add_file(_original_name(image), storage=private, key=image.asset.original_key)


@transaction.atomic
def user_data_erase(*, user: User) -> None:
    """Remove the person's projects, albums, likes and comments, keeping others' counters right.

    Image files belong to the imaging app, which erases the person's assets and blobs.
    """
    for project_id in ProjectLike.objects.filter(user=user).values_list("project_id", flat=True):
        if ProjectLike.objects.filter(user=user, project_id=project_id).delete()[0]:
            Project.objects.filter(pk=project_id, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
    for comment in ProjectComment.objects.filter(author=user, deleted_at__isnull=True):
        Project.objects.filter(pk=comment.project_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
    ProjectComment.objects.filter(author=user).delete()
    Album.objects.filter(owner=user).delete()
    Project.objects.filter(owner=user).update(cover=None)
    Project.objects.filter(owner=user).delete()
    PortfolioSettings.objects.filter(user=user).delete()
