"""What art plugs into other apps at start-up: the image access check (a project's images are
visible exactly when the project is), notification targets ("project", "comment"), the link
preview of the project page (so a post sharing a project shows it to readers who may see it)
and moderation targets ("project", "comment": reported, shown on the desk, hidden, restored)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from impasto.accounts.models import User
from impasto.art import services
from impasto.art.models import Project, ProjectComment, ProjectImage
from impasto.art.selectors import (
    comment_visible_ids,
    comments_by_id,
    comments_visible_q,
    project_asset_visible,
    project_visible_ids,
    projects_by_id,
    projects_visible_to,
    search_projects,
)
from impasto.art.vocab import Medium, Software
from impasto.imaging.models import MediaAsset, Purpose
from impasto.imaging.selectors import register_access_check
from impasto.imaging.uses import AssetUse, register_use_finder
from impasto.imaging.works import WorkLister, register_work_lister
from impasto.moderation import selectors as moderation_selectors
from impasto.moderation import targets as moderation_targets
from impasto.search.selectors import register_facet, register_kind
from impasto.social import previews, targets
from impasto.social.selectors.relations import viewer_for
from impasto.social.visibility import Viewer

PROJECT_VIEW = "art:project-detail"  # kwargs handle, project_id


def project_image_access(asset: MediaAsset, user: User | AnonymousUser) -> bool | None:
    """The imaging hook: None for an asset in no project, else whether its project is visible.

    Only artwork can be a project image, so other purposes answer at once without a query.
    """
    if asset.purpose != Purpose.ARTWORK:
        return None
    return project_asset_visible(asset.pk, user)


def project_image_uses(asset: MediaAsset) -> list[AssetUse]:
    """The projects that show ``asset``: it is taken out in their editor, where art's own
    rules apply (a published project keeps an image, the cover moves). Any purpose: projects
    made before art accepted artwork uploads only may hold another.

    A project its owner deleted counts while a moderation case about it is open: its images
    are the moderators' evidence (the desk shows them), so they stay until the case is decided.
    """
    projects = list(
        Project.objects.filter(images__asset_id=asset.pk)
        .distinct()
        .order_by("pk")
        .only("pk", "title", "deleted_at")
    )
    deleted = [project.pk for project in projects if project.deleted_at is not None]
    reviewed = moderation_selectors.open_cases_on(target_type="project", target_ids=deleted)
    uses = []
    for project in projects:
        if project.deleted_at is None:
            label = gettext("Project “%(title)s”")
            url = reverse("art:project-edit", args=[project.pk]) + "#images"
        elif project.pk in reviewed:
            label = gettext("Your deleted project “%(title)s”, under review by the moderators")
            url = reverse("moderation:yours", args=[reviewed[project.pk]])
        else:
            continue
        uses.append(AssetUse(label=label % {"title": project.title}, url=url))
    return uses


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


# --- moderation targets (docs/moderation.md "Registering a target") -------------------------


def _project_load(pk: int) -> Project | None:
    return Project.objects.select_related("owner").filter(pk=pk).first()


def _project_images(project: Project) -> list[MediaAsset]:
    """The project's pictures, in order, with their variants (for ``{% review_picture %}``)."""
    rows = ProjectImage.objects.filter(project=project).select_related("asset")
    return [row.asset for row in rows.prefetch_related("asset__variants")]


def _project_visible_to(project: Project, user: User | AnonymousUser) -> bool:
    return projects_visible_to(viewer_for(user)).filter(pk=project.pk).exists()


def _comment_load(pk: int) -> ProjectComment | None:
    return ProjectComment.objects.select_related("project__owner").filter(pk=pk).first()


def _comment_visible_to(comment: ProjectComment, user: User | AnonymousUser) -> bool:
    return ProjectComment.objects.filter(
        comments_visible_q(viewer_for(user)), pk=comment.pk
    ).exists()


MODERATION_PROJECT = moderation_targets.TargetType(
    name="project",
    label=_("project"),
    load=_project_load,
    owner_id=lambda project: project.owner_id,
    title=lambda project: project.title,
    url=lambda project: project.get_absolute_url(),
    images=_project_images,
    hide=lambda project: services.project_moderation_hide(project_id=project.pk),
    restore=lambda project: services.project_moderation_restore(project_id=project.pk),
    is_hidden=lambda project: project.removed_at is not None,
    text=lambda project: project.description,
    visible_to=_project_visible_to,
)

MODERATION_COMMENT = moderation_targets.TargetType(
    name="comment",
    label=_("comment"),
    load=_comment_load,
    owner_id=lambda comment: comment.author_id,
    title=lambda comment: comment.body[:80] or gettext("Comment %(id)s") % {"id": comment.pk},
    url=lambda comment: comment.get_absolute_url(),
    images=lambda comment: [],
    hide=lambda comment: services.comment_moderation_hide(comment_id=comment.pk),
    restore=lambda comment: services.comment_moderation_restore(comment_id=comment.pk),
    is_hidden=lambda comment: comment.deleted_at is not None,
    text=lambda comment: comment.body,
    visible_to=_comment_visible_to,
)


# --- cloaking: a project is a work (impasto.imaging.works) ------------------------------------


def _project_assets(owner_id: int, work_id: int) -> list[int] | None:
    """The images of one's own live project ``work_id``, in order; None if it is no such."""
    if not Project.objects.alive().filter(pk=work_id, owner_id=owner_id).exists():
        return None
    return list(ProjectImage.objects.filter(project_id=work_id).values_list("asset_id", flat=True))


def _project_of(asset_id: int) -> int | None:
    return (
        ProjectImage.objects.filter(asset_id=asset_id, project__deleted_at__isnull=True)
        .order_by("project_id")
        .values_list("project_id", flat=True)
        .first()
    )


def register() -> None:
    register_access_check(project_image_access, contains=[Purpose.ARTWORK])
    targets.register(targets.TargetType("project", project_visible_ids, projects_by_id))
    targets.register(targets.TargetType("comment", comment_visible_ids, comments_by_id))
    previews.register(PROJECT_VIEW, _project_previews)
    moderation_targets.register(MODERATION_PROJECT)
    moderation_targets.register(MODERATION_COMMENT)
    register_work_lister(WorkLister("art.project", _project_assets, _project_of))
    register_use_finder("art.project", project_image_uses)
    register_kind("projects", search_projects, label=_("Projects"))
    register_facet("medium", _("Medium"), Medium.choices)
    register_facet("software", _("Software"), Software.choices)
