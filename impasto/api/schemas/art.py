"""Schemas of the portfolio API (impasto.art: projects, their images, albums, comments)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool

from impasto.api.schemas.accounts import absolute_url
from impasto.api.schemas.common import SnowflakeId, SnowflakeIdIn, Text
from impasto.api.schemas.social import AuthorOut, author_out
from impasto.art.models import Album, Project, ProjectComment, ProjectImage
from impasto.art.services import (
    ALBUM_DESCRIPTION_MAX,
    ALBUM_TITLE_MAX,
    ALT_MAX,
    CAPTION_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    TAG_MAX,
    TITLE_MAX,
)
from impasto.art.vocab import (
    MAX_FIELDS,
    MAX_IMAGES,
    MAX_MEDIUMS,
    MAX_SOFTWARE,
    MAX_TAGS,
    Medium,
    Software,
)
from impasto.core.vocab import Discipline
from impasto.imaging.models import MediaAsset
from impasto.imaging.paths import variant_path

ProjectVisibility = Literal["public", "followers", "unlisted", "draft"]
TagText = Annotated[Text, Field(min_length=1, max_length=TAG_MAX + 1)]


class VariantOut(Schema):
    url: str
    format: str
    width: int
    height: int


class ImageOut(Schema):
    id: SnowflakeId
    asset_id: SnowflakeId
    position: int
    alt_text: str
    caption: str
    status: str = Field(description="processing, ready, held or failed (variants when ready).")
    width: int
    height: int
    variants: list[VariantOut]


def image_out(image: ProjectImage) -> dict[str, Any]:
    asset = image.asset
    ready = asset.status == MediaAsset.Status.READY
    return {
        "id": image.pk,
        "asset_id": asset.pk,
        "position": image.position,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "status": asset.status,
        "width": asset.width,
        "height": asset.height,
        "variants": [
            {
                "url": absolute_url(variant_path(v.sha256, v.extension)),
                "format": v.format,
                "width": v.width,
                "height": v.height,
            }
            for v in asset.variants.all()
        ]
        if ready
        else [],
    }


class ProjectCardOut(Schema):
    """A project in a list: what a grid of covers needs."""

    id: SnowflakeId
    owner: AuthorOut
    title: str
    visibility: ProjectVisibility
    mature: bool
    pinned: bool
    cover: ImageOut | None
    like_count: int
    comment_count: int
    url: str
    created_at: datetime


class ProjectOut(ProjectCardOut):
    description: str = Field(description="As written (light markdown).")
    description_html: str = Field(description="Rendered and sanitized HTML.")
    fields: list[str]
    mediums: list[str]
    software: list[str]
    tags: list[str]
    no_ai_declared: bool
    published_at: datetime | None
    images: list[ImageOut]
    liked: bool = Field(description="You like it (false when anonymous).")


def project_card_out(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "owner": author_out(project.owner),
        "title": project.title,
        "visibility": project.visibility,
        "mature": project.mature,
        "pinned": project.pinned,
        "cover": image_out(project.cover) if project.cover else None,
        "like_count": project.like_count,
        "comment_count": project.comment_count,
        "url": absolute_url(project.get_absolute_url()),
        "created_at": project.created_at,
    }


def project_out(project: Project, *, liked: bool) -> dict[str, Any]:
    images = list(project.images.all())
    cover = next((i for i in images if i.pk == project.cover_id), None)
    return {
        **project_card_out(project),
        "cover": image_out(cover) if cover else None,
        "description": project.description,
        "description_html": project.description_html,
        "fields": project.fields,
        "mediums": project.mediums,
        "software": project.software,
        "tags": [pt.tag.display_name for pt in project.project_tags.all()],
        "no_ai_declared": project.no_ai_declared,
        "published_at": project.published_at,
        "images": [image_out(i) for i in images],
        "liked": liked,
    }


class ProjectIn(Schema):
    """A project's details. A project is created as a draft unless told otherwise; publishing
    needs at least one image (add them with `POST /projects/{id}/images`)."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[Text, Field(min_length=1, max_length=TITLE_MAX)]
    description: Annotated[Text, Field(max_length=DESCRIPTION_MAX)] = ""
    fields: list[Discipline] = Field(default_factory=list, max_length=MAX_FIELDS)
    mediums: list[Medium] = Field(default_factory=list, max_length=MAX_MEDIUMS)
    software: list[Software] = Field(default_factory=list, max_length=MAX_SOFTWARE)
    tags: list[TagText] = Field(default_factory=list, max_length=MAX_TAGS)
    mature: StrictBool = False
    no_ai_declared: Literal[True] = Field(
        description="Your declaration that no generative AI was used (required, true)."
    )
    visibility: ProjectVisibility = "draft"

    def details(self) -> dict[str, Any]:
        """The keyword arguments of the services (choice keys as plain strings)."""
        data = self.dict()
        for key in ("fields", "mediums", "software"):
            data[key] = [str(getattr(v, "value", v)) for v in data[key]]
        return data


class ImageIn(Schema):
    """An image already uploaded with `POST /media/uploads` (purpose `artwork`), yours."""

    model_config = ConfigDict(extra="forbid")

    asset_id: SnowflakeIdIn
    alt_text: Annotated[Text, Field(min_length=1, max_length=ALT_MAX)]
    caption: Annotated[Text, Field(max_length=CAPTION_MAX)] = ""


class ImageEditIn(Schema):
    model_config = ConfigDict(extra="forbid")

    alt_text: Annotated[Text, Field(min_length=1, max_length=ALT_MAX)]
    caption: Annotated[Text, Field(max_length=CAPTION_MAX)] = ""


class OrderIn(Schema):
    """Every item once, in the new order."""

    model_config = ConfigDict(extra="forbid")

    ids: list[SnowflakeIdIn] = Field(max_length=MAX_IMAGES * 4)


class CoverIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: SnowflakeIdIn = Field(description="The image (project) or project (album) to show.")


class LikeOut(Schema):
    liked: bool
    like_count: int


class CommentOut(Schema):
    id: SnowflakeId
    project_id: SnowflakeId
    author: AuthorOut
    body: str
    body_html: str = Field(description="Rendered and sanitized HTML.")
    created_at: datetime


def comment_out(comment: ProjectComment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "project_id": comment.project_id,
        "author": author_out(comment.author),
        "body": comment.body,
        "body_html": comment.body_html,
        "created_at": comment.created_at,
    }


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[Text, Field(min_length=1, max_length=COMMENT_MAX)]


class ShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[Text, Field(max_length=1000)] = Field(
        default="", description="Words before the link; the project's title when empty."
    )


class ShareOut(Schema):
    post_id: SnowflakeId


class AlbumOut(Schema):
    id: SnowflakeId
    title: str
    description: str
    description_html: str
    position: int
    cover: ProjectCardOut | None = Field(description="Among the projects you may see.")
    project_count: int = Field(description="Projects you may see.")
    url: str


def album_out(album: Album, *, handle: str, cover: Project | None, count: int) -> dict[str, Any]:
    return {
        "id": album.pk,
        "title": album.title,
        "description": album.description,
        "description_html": album.description_html,
        "position": album.position,
        "cover": project_card_out(cover) if cover else None,
        "project_count": count,
        "url": absolute_url(reverse("art:album-detail", args=[handle, album.pk])),
    }


class AlbumDetailOut(AlbumOut):
    projects: list[ProjectCardOut]


class AlbumIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[Text, Field(min_length=1, max_length=ALBUM_TITLE_MAX)]
    description: Annotated[Text, Field(max_length=ALBUM_DESCRIPTION_MAX)] = ""
