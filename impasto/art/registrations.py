"""What art plugs into other apps at start-up: the image access check (a project's images are
visible exactly when the project is), notification targets ("project", "comment") and the link
preview of the project page (so a post sharing a project shows it to readers who may see it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.text import Truncator

from impasto.accounts.models import User
from impasto.art.selectors import (
    comment_visible_ids,
    comments_by_id,
    project_asset_visible,
    project_visible_ids,
    projects_by_id,
)
from impasto.imaging.models import MediaAsset
from impasto.imaging.selectors import register_access_check
from impasto.social import previews, targets
from impasto.social.visibility import Viewer

PROJECT_VIEW = "art:project-detail"  # kwargs handle, project_id


def project_image_access(asset: MediaAsset, user: User | AnonymousUser) -> bool | None:
    """The imaging hook: None for an asset in no project, else whether its project is visible.

    Only artwork can be a project image, so other purposes answer at once without a query.
    """
    if asset.purpose != "artwork":
        return None
    return project_asset_visible(asset.pk, user)


def _project_previews(
    viewer: Viewer, kwargs_list: Sequence[Mapping[str, Any]]
) -> list[previews.LinkPreview | None]:
    ids: list[int] = []
    for kwargs in kwargs_list:
        try:
            ids.append(int(kwargs.get("project_id", 0)))
        except (TypeError, ValueError):
            ids.append(0)
    found = projects_by_id(viewer, [i for i in ids if i])
    result: list[previews.LinkPreview | None] = []
    for pid in ids:
        project = found.get(pid)
        result.append(
            previews.LinkPreview(
                kind="project",
                title=project.title,
                description=Truncator(
                    f"{project.owner.name} · {' '.join(project.description.split())}"
                ).chars(200),
                object=project,
            )
            if project
            else None
        )
    return result


def register() -> None:
    register_access_check(project_image_access)
    targets.register(targets.TargetType("project", project_visible_ids, projects_by_id))
    targets.register(targets.TargetType("comment", comment_visible_ids, comments_by_id))
    previews.register(PROJECT_VIEW, _project_previews)
