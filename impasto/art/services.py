"""Writes of the portfolio: projects, their images, pins, the profile layout.

Keyword-only arguments, the acting user first. ``Http404`` when the target is not the actor's
own (nobody learns that someone else's draft exists), ``ValidationError`` for bad input;
nothing is stored when either is raised. Images are accepted by the imaging pipeline
(:func:`impasto.imaging.services.asset_upload`, purpose ``artwork``): streamed, checked, stored
and processed into variants by its task; a project only points at the assets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from impasto.accounts.models import User
from impasto.art import tasks
from impasto.art.models import (
    Album,
    AlbumEntry,
    PortfolioSettings,
    Project,
    ProjectComment,
    ProjectImage,
    ProjectLike,
    ProjectTag,
)
from impasto.art.selectors import own_assets_usable, projects_visible_to
from impasto.art.vocab import (
    FIELD_CHOICES,
    MAX_FIELDS,
    MAX_IMAGES,
    MAX_MEDIUMS,
    MAX_PINNED,
    MAX_SOFTWARE,
    MAX_TAGS,
    Layout,
    Medium,
    Software,
)
from impasto.core.text import render_markdown
from impasto.imaging import services as imaging
from impasto.imaging.models import MediaAsset, Purpose, SourceType
from impasto.protection.cloaking.levels import CloakLevel
from impasto.social.models import Post, Tag
from impasto.social.models.notifications import NotificationKind as Kind
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.notifications import (
    notification_delete,
    notifications_delete_for_target,
    notify,
)
from impasto.social.services.posts import post_create
from impasto.social.text import clean_text, normalize_tag
from impasto.social.visibility import Visibility

TITLE_MAX = 200
DESCRIPTION_MAX = 10000
ALT_MAX = 1500
CAPTION_MAX = 500
TAG_MAX = 40
TAG_RE = re.compile(r"^[\w-]+$")
FIELD_KEYS = {key for key, _label in FIELD_CHOICES}


def _choices(values: Sequence[str], allowed: set[str], *, most: int, label: str) -> list[str]:
    chosen = list(dict.fromkeys(v for v in values if v))
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise ValidationError(
            _("%(field)s: choose from the offered list.") % {"field": label}, code="invalid_choice"
        )
    if len(chosen) > most:
        raise ValidationError(
            _("%(field)s: at most %(max)d.") % {"field": label, "max": most}, code="too_many"
        )
    return chosen


def clean_tags(values: Sequence[str]) -> list[str]:
    """Tags as typed (``#`` and spaces removed, duplicates by folded name dropped)."""
    seen: dict[str, str] = {}
    for raw in values:
        name = clean_text(raw, max_length=TAG_MAX + 1, label=_("A tag")).lstrip("#").strip()
        if not name:
            continue
        if len(name) > TAG_MAX or not TAG_RE.match(name) or not any(c.isalpha() for c in name):
            raise ValidationError(
                _("Tags are words of letters, digits, - and _ (at most %(max)d characters).")
                % {"max": TAG_MAX},
                code="invalid_tag",
            )
        seen.setdefault(normalize_tag(name), name)
    if len(seen) > MAX_TAGS:
        raise ValidationError(
            _("At most %(max)d tags.") % {"max": MAX_TAGS}, code="too_many_tags"
        )  # fmt: skip
    return list(seen.values())


def _set_tags(project: Project, names: list[str]) -> None:
    ProjectTag.objects.filter(project=project).delete()
    for position, name in enumerate(names):
        tag, _created = Tag.objects.get_or_create(
            name=normalize_tag(name), defaults={"display_name": name}
        )
        ProjectTag.objects.create(project=project, tag=tag, position=position)


def _own(user: User, project_id: int, *, lock: bool = False) -> Project:
    qs = Project.objects.alive().filter(pk=project_id, owner=user)
    if lock:
        qs = qs.select_for_update()
    project = qs.first()
    if project is None:
        raise Http404("No such project.")
    return project


def _check_visibility(visibility: str, *, has_images: bool) -> None:
    if visibility not in Visibility.values:
        raise ValidationError(
            _("Choose who can see the project: public, followers only, unlisted or draft."),
            code="invalid_visibility",
        )
    if visibility != Visibility.DRAFT and not has_images:
        raise ValidationError(
            _("Add at least one image before publishing; keep it as a draft until then."),
            code="no_images",
        )


def project_create(
    *,
    owner: User,
    title: str,
    description: str = "",
    fields: Sequence[str] = (),
    mediums: Sequence[str] = (),
    software: Sequence[str] = (),
    tags: Sequence[str] = (),
    mature: bool = False,
    no_ai_declared: bool,
    visibility: str = Visibility.DRAFT,
) -> Project:
    """A new project. It starts as a draft unless ``visibility`` says otherwise, and a project
    can only be published once it has an image."""
    project = Project(owner=owner)
    _apply(
        project,
        title=title,
        description=description,
        fields=fields,
        mediums=mediums,
        software=software,
        mature=mature,
        no_ai_declared=no_ai_declared,
    )
    _check_visibility(visibility, has_images=False)
    project.visibility = visibility
    tag_names = clean_tags(tags)
    with transaction.atomic():
        project.save()
        _set_tags(project, tag_names)
    return project


def _apply(
    project: Project,
    *,
    title: str,
    description: str,
    fields: Sequence[str],
    mediums: Sequence[str],
    software: Sequence[str],
    mature: bool,
    no_ai_declared: bool,
) -> None:
    title = clean_text(title, max_length=TITLE_MAX, label=_("The title"))
    if not title:
        raise ValidationError(_("Give the project a title."), code="required")
    if not no_ai_declared:
        raise ValidationError(
            _("Declare that no generative AI was used to make this work."),
            code="ai_declaration_required",
        )
    project.title = title
    project.description = clean_text(
        description, max_length=DESCRIPTION_MAX, label=_("The description")
    )
    project.description_html = str(render_markdown(project.description))
    project.fields = _choices(fields, FIELD_KEYS, most=MAX_FIELDS, label=_("Fields"))
    project.mediums = _choices(mediums, set(Medium.values), most=MAX_MEDIUMS, label=_("Mediums"))
    project.software = _choices(
        software, set(Software.values), most=MAX_SOFTWARE, label=_("Software")
    )
    project.mature = bool(mature)
    project.no_ai_declared = True


def project_update(
    *,
    user: User,
    project_id: int,
    title: str,
    description: str = "",
    fields: Sequence[str] = (),
    mediums: Sequence[str] = (),
    software: Sequence[str] = (),
    tags: Sequence[str] = (),
    mature: bool = False,
    no_ai_declared: bool,
    visibility: str,
) -> Project:
    """Replace the project's details; publishing (leaving draft) stamps ``published_at`` once."""
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        _apply(
            project,
            title=title,
            description=description,
            fields=fields,
            mediums=mediums,
            software=software,
            mature=mature,
            no_ai_declared=no_ai_declared,
        )
        _check_visibility(visibility, has_images=project.images.exists())
        project.visibility = visibility
        if visibility != Visibility.DRAFT and project.published_at is None:
            project.published_at = timezone.now()
        tag_names = clean_tags(tags)
        project.save()
        _set_tags(project, tag_names)
    return project


def project_visibility_set(*, user: User, project_id: int, visibility: str) -> Project:
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        _check_visibility(visibility, has_images=project.images.exists())
        project.visibility = visibility
        if visibility != Visibility.DRAFT and project.published_at is None:
            project.published_at = timezone.now()
        project.save(update_fields=["visibility", "published_at", "updated_at"])
    return project


def project_delete(*, user: User, project_id: int) -> None:
    """Soft delete: the project and its images disappear at once for everyone (404); the rows
    stay until the account is erased. Notifications about it go."""
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        project.deleted_at = timezone.now()
        project.pinned = False
        project.save(update_fields=["deleted_at", "pinned", "updated_at"])
        AlbumEntry.objects.filter(project=project).delete()
        Album.objects.filter(cover=project).update(cover=None)
        notifications_delete_for_target(target_type="project", target_ids=[project.pk])


def project_pin(*, user: User, project_id: int, pinned: bool) -> Project:
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        if pinned and not project.pinned:
            count = Project.objects.alive().filter(owner=user, pinned=True).count()
            if count >= MAX_PINNED:
                raise ValidationError(
                    _("At most %(max)d projects can be pinned; unpin one first.")
                    % {"max": MAX_PINNED},
                    code="too_many_pinned",
                )
        project.pinned = pinned
        project.save(update_fields=["pinned", "updated_at"])
    return project


# --- images ---------------------------------------------------------------------------------


def _clean_alt(alt_text: str) -> str:
    alt = clean_text(alt_text, max_length=ALT_MAX, label=_("The alt text"))
    if not alt:
        raise ValidationError(
            _("Describe the image for people who cannot see it (alt text)."), code="alt_required"
        )
    return alt


def _attach(
    user: User, project: Project, asset: MediaAsset, *, alt: str, caption: str
) -> ProjectImage:
    count = project.images.count()
    if count >= MAX_IMAGES:
        raise ValidationError(
            _("A project holds at most %(max)d images.") % {"max": MAX_IMAGES}, code="too_many"
        )
    last = project.images.aggregate(last=Max("position"))["last"]
    image = ProjectImage.objects.create(
        project=project,
        asset=asset,
        alt_text=alt,
        caption=caption,
        position=0 if last is None else last + 1,
    )
    if project.cover_id is None:
        project.cover = image
        project.save(update_fields=["cover", "updated_at"])
    # The image takes the project's cloak, and its cloak job joins the project's work.
    imaging.asset_cloak_choose(
        owner=user, asset_ids=[asset.pk], level=project.cloak_level, work_id=project.pk
    )
    return image


def project_image_upload(
    *,
    user: User,
    project_id: int,
    path: Path,
    alt_text: str,
    caption: str = "",
    source_type: str = SourceType.DIGITAL_CREATION,
    idempotency_key: str = "",
    self_cloaked: bool = False,
) -> ProjectImage:
    """Accept an image file through the imaging pipeline and add it at the end of the project,
    with the project's cloak level (``self_cloaked``: the artist cloaked it already, and we
    keep their pixels).

    Raises ``UploadRefused`` (imaging) for a file it does not accept; nothing is stored then.
    """
    alt = _clean_alt(alt_text)
    caption = clean_text(caption, max_length=CAPTION_MAX, label=_("The caption"))
    project = _own(user, project_id)  # 404 before any byte is stored
    asset, _created = imaging.asset_upload(
        owner=user,
        path=path,
        purpose=Purpose.ARTWORK,
        source_type=source_type,
        alt_text=alt,
        idempotency_key=idempotency_key,
        cloak_level=project.cloak_level,
        self_cloaked=self_cloaked,
    )
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        existing = ProjectImage.objects.filter(project=project, asset=asset).first()
        if existing is not None:  # a retried upload with the same idempotency key
            return existing
        return _attach(user, project, asset, alt=alt, caption=caption)


def project_cloak_set(*, user: User, project_id: int, level: str) -> Project:
    """The cloak level of the whole project: remembered on the project (new images take it)
    and applied to each of its images now (``work_id`` is the project, so the cloak panel and
    the notice speak of the project). Images the artist cloaked themselves keep their own."""
    if level not in CloakLevel.values:
        raise ValidationError(_("Choose one of the offered cloak levels."), code="bad_level")
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        project.cloak_level = level
        project.save(update_fields=["cloak_level", "updated_at"])
        asset_ids = list(project.images.values_list("asset_id", flat=True))
        imaging.asset_cloak_choose(owner=user, asset_ids=asset_ids, level=level, work_id=project.pk)
    return project


def project_image_attach(
    *, user: User, project_id: int, asset_id: int, alt_text: str, caption: str = ""
) -> ProjectImage:
    """Add an image already uploaded through the imaging API (one's own asset only)."""
    alt = _clean_alt(alt_text)
    caption = clean_text(caption, max_length=CAPTION_MAX, label=_("The caption"))
    _own(user, project_id)  # someone else's project is a 404 whatever the image
    if asset_id not in own_assets_usable(user, [asset_id]):
        if MediaAsset.objects.filter(pk=asset_id, owner=user, purpose=Purpose.POST).exists():
            raise ValidationError(
                _(
                    "This image was uploaded for a post. Upload it for your portfolio instead "
                    "(purpose “artwork”)."
                ),
                code="invalid_asset",
            )
        raise ValidationError(_("Choose one of your own uploaded images."), code="invalid_asset")
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        if ProjectImage.objects.filter(project=project, asset_id=asset_id).exists():
            raise ValidationError(_("This image is already in the project."), code="duplicate")
        asset = MediaAsset.objects.get(pk=asset_id)
        return _attach(user, project, asset, alt=alt, caption=caption)


def _own_image(user: User, project_id: int, image_id: int) -> tuple[Project, ProjectImage]:
    project = _own(user, project_id, lock=True)
    image = ProjectImage.objects.filter(pk=image_id, project=project).first()
    if image is None:
        raise Http404("No such image.")
    return project, image


def project_image_update(
    *, user: User, project_id: int, image_id: int, alt_text: str, caption: str = ""
) -> ProjectImage:
    alt = _clean_alt(alt_text)
    caption = clean_text(caption, max_length=CAPTION_MAX, label=_("The caption"))
    with transaction.atomic():
        _project, image = _own_image(user, project_id, image_id)
        image.alt_text = alt
        image.caption = caption
        image.save(update_fields=["alt_text", "caption"])
        MediaAsset.objects.filter(pk=image.asset_id).update(alt_text=alt)
    return image


def project_image_remove(*, user: User, project_id: int, image_id: int) -> None:
    """Take an image out of the project (its asset stays the owner's). A published project keeps
    at least one image; the cover moves to the first remaining image."""
    with transaction.atomic():
        project, image = _own_image(user, project_id, image_id)
        remaining = list(project.images.exclude(pk=image.pk).order_by("position", "id"))
        if not remaining and project.visibility != Visibility.DRAFT:
            raise ValidationError(
                _("A published project needs an image; add another one first, or make it a draft."),
                code="last_image",
            )
        removed_id = image.pk
        image.delete()
        if project.cover_id in (None, removed_id):
            project.cover = remaining[0] if remaining else None
            project.save(update_fields=["cover", "updated_at"])


def project_images_reorder(*, user: User, project_id: int, image_ids: Sequence[int]) -> None:
    """Put the images in the given order (every image of the project exactly once)."""
    with transaction.atomic():
        project = _own(user, project_id, lock=True)
        current = list(project.images.values_list("pk", flat=True))
        if sorted(current) != sorted(image_ids) or len(set(image_ids)) != len(image_ids):
            raise ValidationError(
                _("The order must list every image of the project once."), code="invalid_order"
            )
        _renumber(project, list(image_ids))


def _renumber(project: Project, ordered: list[int]) -> None:
    images = {img.pk: img for img in project.images.all()}
    changed = []
    for position, pk in enumerate(ordered):
        image = images[pk]
        if image.position != position:
            image.position = position
            changed.append(image)
    ProjectImage.objects.bulk_update(changed, ["position"])
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())


def project_image_move(*, user: User, project_id: int, image_id: int, offset: int) -> None:
    """Move one image up (``offset`` -1) or down (+1): the buttons beside each image."""
    with transaction.atomic():
        project, image = _own_image(user, project_id, image_id)
        ordered = list(project.images.order_by("position", "id").values_list("pk", flat=True))
        index = ordered.index(image.pk)
        target = max(0, min(len(ordered) - 1, index + offset))
        ordered.insert(target, ordered.pop(index))
        _renumber(project, ordered)


def project_cover_set(*, user: User, project_id: int, image_id: int) -> Project:
    with transaction.atomic():
        project, image = _own_image(user, project_id, image_id)
        project.cover = image
        project.save(update_fields=["cover", "updated_at"])
    return project


def portfolio_layout_set(*, user: User, layout: str) -> PortfolioSettings:
    if layout not in Layout.values:
        raise ValidationError(_("Choose an even grid or masonry."), code="invalid_layout")
    settings, _created = PortfolioSettings.objects.update_or_create(
        user=user, defaults={"layout": layout}
    )
    return settings


# --- albums ---------------------------------------------------------------------------------

ALBUM_TITLE_MAX = 120
ALBUM_DESCRIPTION_MAX = 2000
MAX_ALBUMS = 100


def _album_text(title: str, description: str) -> tuple[str, str, str]:
    title = clean_text(title, max_length=ALBUM_TITLE_MAX, label=_("The title"))
    if not title:
        raise ValidationError(_("Give the album a title."), code="required")
    description = clean_text(
        description, max_length=ALBUM_DESCRIPTION_MAX, label=_("The description")
    )
    return title, description, str(render_markdown(description))


def _own_album(user: User, album_id: int, *, lock: bool = False) -> Album:
    qs = Album.objects.filter(pk=album_id, owner=user)
    if lock:
        qs = qs.select_for_update()
    album = qs.first()
    if album is None:
        raise Http404("No such album.")
    return album


def album_create(*, owner: User, title: str, description: str = "") -> Album:
    """A new album, last on the profile."""
    title, description, html = _album_text(title, description)
    with transaction.atomic():
        # Serialise album creation per owner (positions and the cap).
        User.objects.select_for_update().filter(pk=owner.pk).first()
        count = Album.objects.filter(owner=owner).count()
        if count >= MAX_ALBUMS:
            raise ValidationError(
                _("At most %(max)d albums.") % {"max": MAX_ALBUMS}, code="too_many"
            )  # fmt: skip
        last = Album.objects.filter(owner=owner).aggregate(last=Max("position"))["last"]
        return Album.objects.create(
            owner=owner,
            title=title,
            description=description,
            description_html=html,
            position=0 if last is None else last + 1,
        )


def album_update(*, user: User, album_id: int, title: str, description: str = "") -> Album:
    title, description, html = _album_text(title, description)
    with transaction.atomic():
        album = _own_album(user, album_id, lock=True)
        album.title, album.description, album.description_html = title, description, html
        album.save(update_fields=["title", "description", "description_html", "updated_at"])
    return album


def album_delete(*, user: User, album_id: int) -> None:
    """Delete an album; its projects stay in the portfolio."""
    _own_album(user, album_id).delete()


def _reorder(
    model: type[Album] | type[AlbumEntry], rows: dict[int, Any], ordered: list[int]
) -> None:
    changed = []
    for position, pk in enumerate(ordered):
        row = rows[pk]
        if row.position != position:
            row.position = position
            changed.append(row)
    model.objects.bulk_update(changed, ["position"])


def _check_order(current: Sequence[int], wanted: Sequence[int]) -> None:
    if sorted(current) != sorted(wanted) or len(set(wanted)) != len(wanted):
        raise ValidationError(_("The order must list every item once."), code="invalid_order")


def albums_reorder(*, user: User, album_ids: Sequence[int]) -> None:
    with transaction.atomic():
        albums = {a.pk: a for a in Album.objects.select_for_update().filter(owner=user)}
        _check_order(list(albums), album_ids)
        _reorder(Album, albums, list(album_ids))


def _moved(ordered: list[int], pk: int, offset: int) -> list[int]:
    index = ordered.index(pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    return ordered


def album_move(*, user: User, album_id: int, offset: int) -> None:
    """Move an album up (-1) or down (+1) on the profile."""
    with transaction.atomic():
        _own_album(user, album_id)
        albums = {
            a.pk: a
            for a in Album.objects.select_for_update().filter(owner=user).order_by("position", "id")
        }
        _reorder(Album, albums, _moved(list(albums), album_id, offset))


def album_project_add(*, user: User, album_id: int, project_id: int) -> AlbumEntry:
    """Put one's own project at the end of one's own album (idempotent)."""
    with transaction.atomic():
        album = _own_album(user, album_id, lock=True)
        project = _own(user, project_id)
        entry = AlbumEntry.objects.filter(album=album, project=project).first()
        if entry is not None:
            return entry
        last = album.entries.aggregate(last=Max("position"))["last"]
        entry = AlbumEntry.objects.create(
            album=album, project=project, position=0 if last is None else last + 1
        )
        if album.cover_id is None:
            album.cover = project
            album.save(update_fields=["cover", "updated_at"])
        return entry


def album_project_remove(*, user: User, album_id: int, project_id: int) -> None:
    with transaction.atomic():
        album = _own_album(user, album_id, lock=True)
        AlbumEntry.objects.filter(album=album, project_id=project_id).delete()
        if album.cover_id == project_id:
            first = album.entries.select_related("project").order_by("position", "id").first()
            album.cover = first.project if first else None
            album.save(update_fields=["cover", "updated_at"])


def project_albums_set(*, user: User, project_id: int, album_ids: Sequence[int]) -> None:
    """The albums a project is in, from the project's edit page (checkboxes)."""
    project = _own(user, project_id)
    own = set(Album.objects.filter(owner=user).values_list("pk", flat=True))
    wanted = set(album_ids)
    if not wanted <= own:
        raise Http404("No such album.")
    current = set(
        AlbumEntry.objects.filter(project=project, album__owner=user).values_list(
            "album_id", flat=True
        )
    )
    for album_id in sorted(wanted - current):
        album_project_add(user=user, album_id=album_id, project_id=project.pk)
    for album_id in sorted(current - wanted):
        album_project_remove(user=user, album_id=album_id, project_id=project.pk)


def album_projects_reorder(*, user: User, album_id: int, project_ids: Sequence[int]) -> None:
    with transaction.atomic():
        album = _own_album(user, album_id, lock=True)
        entries = {e.project_id: e for e in album.entries.all()}
        _check_order(list(entries), project_ids)
        _reorder(AlbumEntry, entries, list(project_ids))


def album_project_move(*, user: User, album_id: int, project_id: int, offset: int) -> None:
    with transaction.atomic():
        album = _own_album(user, album_id, lock=True)
        entries = {e.project_id: e for e in album.entries.order_by("position", "id")}
        if project_id not in entries:
            raise Http404("No such project in this album.")
        _reorder(AlbumEntry, entries, _moved(list(entries), project_id, offset))


def album_cover_set(*, user: User, album_id: int, project_id: int) -> Album:
    with transaction.atomic():
        album = _own_album(user, album_id, lock=True)
        if not album.entries.filter(project_id=project_id).exists():
            raise Http404("No such project in this album.")
        album.cover_id = project_id
        album.save(update_fields=["cover", "updated_at"])
    return album


# --- likes and comments ---------------------------------------------------------------------

COMMENT_MAX = 2000


def _visible_project(user: User, project_id: int) -> Project:
    """The project if ``user`` may see it (404 otherwise), locked for the counter update."""
    visible = projects_visible_to(viewer_for(user)).filter(pk=project_id)
    project = Project.objects.select_for_update().filter(pk__in=visible.values("pk")).first()
    if project is None:
        raise Http404("No such project.")
    return project


def project_like(*, user: User, project_id: int) -> Project:
    """Like a project one may see (idempotent); its owner is notified (task, on commit)."""
    with transaction.atomic():
        project = _visible_project(user, project_id)
        like, created = ProjectLike.objects.get_or_create(project=project, user=user)
        if created:
            Project.objects.filter(pk=project.pk).update(like_count=F("like_count") + 1)
            transaction.on_commit(lambda: tasks.project_like_notify_task.enqueue(like.pk))
    project.refresh_from_db(fields=["like_count"])
    return project


def project_unlike(*, user: User, project_id: int) -> Project:
    with transaction.atomic():
        project = _visible_project(user, project_id)
        deleted, _rows = ProjectLike.objects.filter(project=project, user=user).delete()
        if deleted:
            Project.objects.filter(pk=project.pk, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
            notification_delete(
                recipient_id=project.owner_id,
                actor_id=user.pk,
                kind=Kind.LIKE,
                target_type="project",
                target_id=project.pk,
            )
    project.refresh_from_db(fields=["like_count"])
    return project


def comment_create(*, user: User, project_id: int, body: str) -> ProjectComment:
    """Comment on a project one may see; the text is rendered and sanitized once, here."""
    body = clean_text(body, max_length=COMMENT_MAX, label=_("The comment"))
    if not body:
        raise ValidationError(_("Write something first."), code="required")
    with transaction.atomic():
        project = _visible_project(user, project_id)
        comment = ProjectComment.objects.create(
            project=project, author=user, body=body, body_html=str(render_markdown(body))
        )
        Project.objects.filter(pk=project.pk).update(comment_count=F("comment_count") + 1)
        transaction.on_commit(lambda: tasks.project_comment_notify_task.enqueue(comment.pk))
    return comment


def comment_delete(*, user: User, comment_id: int) -> None:
    """Its author or the project's owner may delete a comment (soft: the text is erased)."""
    with transaction.atomic():
        comment = (
            ProjectComment.objects.select_for_update()
            .select_related("project")
            .filter(pk=comment_id, deleted_at__isnull=True, project__deleted_at__isnull=True)
            .first()
        )
        if comment is None or user.pk not in (comment.author_id, comment.project.owner_id):
            raise Http404("No such comment.")
        comment.deleted_at = timezone.now()
        comment.body = ""
        comment.body_html = ""
        comment.save(update_fields=["deleted_at", "body", "body_html"])
        Project.objects.filter(pk=comment.project_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
        notifications_delete_for_target(target_type="comment", target_ids=[comment.pk])


def notification_for_like(*, like_id: int) -> None:
    like = ProjectLike.objects.select_related("project").filter(pk=like_id).first()
    if like is not None:
        notify(
            recipient_id=like.project.owner_id,
            actor_id=like.user_id,
            kind=Kind.LIKE,
            target_type="project",
            target_id=like.project_id,
        )


def notification_for_comment(*, comment_id: int) -> None:
    comment = (
        ProjectComment.objects.select_related("project")
        .filter(pk=comment_id, deleted_at__isnull=True)
        .first()
    )
    if comment is not None:
        notify(
            recipient_id=comment.project.owner_id,
            actor_id=comment.author_id,
            kind=Kind.COMMENT,
            target_type="comment",
            target_id=comment.pk,
        )


# --- sharing --------------------------------------------------------------------------------


def project_share(*, user: User, project_id: int, text: str = "") -> Post:
    """Share one's published project as a post linking its page (the post's link preview shows
    the project to each reader who may see it). The post has the project's audience."""
    project = _own(user, project_id)
    if project.visibility == Visibility.DRAFT:
        raise ValidationError(_("Publish the project before sharing it."), code="draft")
    path = reverse("art:project-detail", kwargs={"handle": user.handle, "project_id": project.pk})
    intro = clean_text(text, max_length=1000, label=_("The text")) or project.title
    return post_create(
        author=user,
        body=f"{intro}\n\n{settings.SITE_URL.rstrip('/')}{path}",
        visibility=project.visibility,
    )


# --- moderation (docs/moderation.md: art registers "project" and "comment" as targets) --------


def project_moderation_hide(*, project_id: int) -> None:
    """A moderator removed the project: out of everyone's view, kept whole (idempotent)."""
    Project.objects.filter(pk=project_id, removed_at__isnull=True).update(removed_at=timezone.now())


def project_moderation_restore(*, project_id: int) -> None:
    Project.objects.filter(pk=project_id).update(removed_at=None)


def comment_moderation_hide(*, comment_id: int) -> None:
    """A moderator removed the comment: soft-deleted *without* erasing its text, so that a
    restore brings it back (the author's own delete erases it). Idempotent."""
    with transaction.atomic():
        comment = ProjectComment.objects.filter(pk=comment_id, deleted_at__isnull=True).first()
        if comment is None:
            return
        ProjectComment.objects.filter(pk=comment_id).update(deleted_at=timezone.now())
        Project.objects.filter(pk=comment.project_id, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )


def comment_moderation_restore(*, comment_id: int) -> None:
    """Undo a removal. A comment its author deleted (text erased) stays deleted."""
    with transaction.atomic():
        comment = (
            ProjectComment.objects.filter(pk=comment_id, deleted_at__isnull=False)
            .exclude(body="")
            .first()
        )
        if comment is None:
            return
        ProjectComment.objects.filter(pk=comment_id).update(deleted_at=None)
        Project.objects.filter(pk=comment.project_id).update(comment_count=F("comment_count") + 1)
