"""Reads of the portfolio. Every read goes through :func:`project_visible_q`: visibility,
blocks either way, the owner's account being public and soft deletion, in one ``Q``.

What a reader may not see raises ``Http404`` (never 403: nobody learns it exists).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from impasto.accounts.models import User
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
from impasto.art.vocab import MAX_PINNED, Layout
from impasto.imaging.models import MediaAsset, MediaVariant, Purpose
from impasto.search.backends import TextIndex, backend
from impasto.search.selectors import FacetCount, KindResults, SearchParams
from impasto.social.pagination import Page, clamp_limit, page_from
from impasto.social.selectors.relations import viewer_for
from impasto.social.visibility import Viewer, Visibility, audience_q

GRID_LIMIT = 24


def project_visible_q(viewer: Viewer, *, prefix: str = "") -> Q:
    """Projects ``viewer`` may open: alive, not removed by a moderator, and admitted by the
    shared audience rule (drafts are the owner's alone; followers-only needs an accepted
    follow; no block either way)."""
    return Q(
        **{f"{prefix}deleted_at__isnull": True, f"{prefix}removed_at__isnull": True}
    ) & audience_q(viewer, prefix=prefix, author="owner")


def projects_visible_to(viewer: Viewer) -> QuerySet[Project]:
    return Project.objects.filter(project_visible_q(viewer))


def _variants() -> Any:
    return Prefetch("variants", queryset=MediaVariant.objects.order_by("width"))


def _images() -> Any:
    return Prefetch(
        "images",
        queryset=ProjectImage.objects.select_related("asset").prefetch_related(
            Prefetch("asset__variants", queryset=MediaVariant.objects.order_by("width"))
        ),
    )


def _tags() -> Any:
    return Prefetch(
        "project_tags", queryset=ProjectTag.objects.select_related("tag").order_by("position")
    )


def project_for_viewer(viewer: Viewer, project_id: int) -> Project:
    """A project page: the project with its owner, images (with variants) and tags, or 404."""
    project = (
        projects_visible_to(viewer)
        .filter(pk=project_id)
        .select_related("owner__profile")
        .prefetch_related(_images(), _tags())
        .first()
    )
    if project is None:
        raise Http404("No such project.")
    return project


def project_for_owner(user: User, project_id: int) -> Project:
    """One's own live project for editing (with images and tags), or 404 for anyone else's."""
    project = (
        Project.objects.alive()
        .filter(pk=project_id, owner=user)
        .select_related("owner")
        .prefetch_related(_images(), _tags())
        .first()
    )
    if project is None:
        raise Http404("No such project.")
    return project


def _with_cover(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("owner__profile", "cover__asset").prefetch_related(
        Prefetch("cover__asset__variants", queryset=MediaVariant.objects.order_by("width"))
    )


@dataclass
class Portfolio:
    """The Portfolio tab: pinned projects first (on the first page only), then the rest."""

    pinned: list[Project] = field(default_factory=list)
    page: Page[Project] = field(default_factory=Page)
    layout: str = Layout.GRID

    @property
    def projects(self) -> list[Project]:
        return self.pinned + self.page.items


def portfolio_of(
    viewer: Viewer, owner: User, *, before: int | None = None, limit: int | None = None
) -> Portfolio:
    """``owner``'s projects that ``viewer`` may see, newest first, pinned ones ahead.

    One query (plus one for the covers' variants): the first page is ordered pinned first
    (at most ``MAX_PINNED``, fewer than a page), later pages are the unpinned ones below the
    cursor. The artist's layout rides along as a sub-select. A block answers 404 (the
    profile is 404 too). Drafts show to the owner alone.
    """
    if not owner.is_public or owner.pk in viewer.hidden_ids:
        raise Http404("No such person.")
    limit = clamp_limit(limit or GRID_LIMIT)
    qs = projects_visible_to(viewer).filter(owner=owner)
    if before is not None:
        qs = qs.filter(pinned=False, pk__lt=before)
    layout = PortfolioSettings.objects.filter(user=owner).values("layout")[:1]
    # Pinned projects do not count against the page size (there are at most MAX_PINNED).
    extra = MAX_PINNED if before is None else 0
    rows: list[Project] = list(
        _with_cover(qs)
        .annotate(owner_layout=Subquery(layout))
        .order_by("-pinned", "-id")[: limit + extra + 1]
    )
    pinned = [p for p in rows if p.pinned]
    items, cursor = page_from([p for p in rows if not p.pinned], limit=limit, key=lambda p: p.pk)
    chosen = getattr(rows[0], "owner_layout", None) if rows else None
    return Portfolio(pinned=pinned, page=Page(items, cursor), layout=chosen or Layout.GRID)


def own_assets_usable(user: User, asset_ids: Iterable[int]) -> set[int]:
    """Which of ``asset_ids`` are ``user``'s own artwork uploads not failed (IDOR guard).

    Only ``purpose=artwork``: the purpose decides the crops, who may load the variants (a post
    image is visible through its posts only) and what purges it (an upload for a post in no
    post is deleted after a day: docs/social.md)."""
    return set(
        MediaAsset.objects.filter(pk__in=list(asset_ids), owner=user, purpose=Purpose.ARTWORK)
        .exclude(status=MediaAsset.Status.FAILED)
        .values_list("pk", flat=True)
    )


# --- the image access check (impasto.imaging.selectors.register_access_check) ---------------


def project_asset_visible(asset_id: int, user: User | AnonymousUser) -> bool | None:
    """True when the asset is an image of a project ``viewer`` may see, False when it belongs
    only to projects they may not see (a draft, followers-only, deleted, a block), None when it
    is in no project."""
    rows = list(ProjectImage.objects.filter(asset_id=asset_id).values_list("project_id", flat=True))
    if not rows:
        return None
    return projects_visible_to(viewer_for(user)).filter(pk__in=rows).exists()


# --- albums ---------------------------------------------------------------------------------


@dataclass
class AlbumCard:
    """An album as the Albums tab shows it, for one reader."""

    album: Album
    cover: Project | None  # the chosen cover if this reader may see it, else the first visible
    count: int  # projects this reader may see


def _owner_visible_or_404(viewer: Viewer, owner: User) -> None:
    if not owner.is_public or owner.pk in viewer.hidden_ids:
        raise Http404("No such person.")


def albums_of(viewer: Viewer, owner: User) -> list[AlbumCard]:
    """The owner's albums in their order, each with its cover and count for this reader.

    Three queries whatever the number of albums: the albums, the visible entries (with the
    projects' covers), the covers' variants.
    """
    _owner_visible_or_404(viewer, owner)
    albums = list(Album.objects.filter(owner=owner).order_by("position", "id"))
    entries = list(
        AlbumEntry.objects.filter(album__in=albums)
        .filter(project_visible_q(viewer, prefix="project__"))
        .select_related("project__owner", "project__cover__asset")
        .prefetch_related(
            Prefetch(
                "project__cover__asset__variants",
                queryset=MediaVariant.objects.order_by("width"),
            )
        )
        .order_by("album_id", "position", "id")
    )
    by_album: dict[int, list[Project]] = {}
    for entry in entries:
        by_album.setdefault(entry.album_id, []).append(entry.project)
    cards = []
    for album in albums:
        projects = by_album.get(album.pk, [])
        chosen = next((p for p in projects if p.pk == album.cover_id), None)
        cards.append(
            AlbumCard(
                album=album,
                cover=chosen or (projects[0] if projects else None),
                count=len(projects),
            )
        )
    return cards


@dataclass
class AlbumView:
    album: Album
    projects: list[Project]


def album_for_viewer(viewer: Viewer, album_id: int) -> AlbumView:
    """An album page: the album and, in its order, the projects this reader may see; 404 when
    the owner is not visible to them."""
    album = Album.objects.select_related("owner").filter(pk=album_id).first()
    if album is None:
        raise Http404("No such album.")
    _owner_visible_or_404(viewer, album.owner)
    projects = list(
        _with_cover(projects_visible_to(viewer).filter(album_entries__album=album)).order_by(
            "album_entries__position", "album_entries__id"
        )
    )
    return AlbumView(album=album, projects=projects)


def album_for_owner(user: User, album_id: int) -> AlbumView:
    """One's own album for editing: every live project in it, drafts included."""
    album = Album.objects.select_related("owner").filter(pk=album_id, owner=user).first()
    if album is None:
        raise Http404("No such album.")
    projects = list(
        _with_cover(Project.objects.alive().filter(album_entries__album=album)).order_by(
            "album_entries__position", "album_entries__id"
        )
    )
    return AlbumView(album=album, projects=projects)


def album_owned_or_404(user: User, album_id: int) -> None:
    if not Album.objects.filter(pk=album_id, owner=user).exists():
        raise Http404("No such album.")


def own_albums(user: User) -> list[Album]:
    return list(Album.objects.filter(owner=user).order_by("position", "id"))


def album_ids_of_project(project: Project) -> set[int]:
    return set(AlbumEntry.objects.filter(project=project).values_list("album_id", flat=True))


def own_projects_outside(user: User, album: Album) -> list[Project]:
    """The owner's live projects not yet in ``album`` (for the "Add a project" list)."""
    return list(
        Project.objects.alive()
        .filter(owner=user)
        .exclude(album_entries__album=album)
        .order_by("-id")
        .only("id", "title", "visibility")[:200]
    )


# --- likes and comments ---------------------------------------------------------------------

COMMENTS_SHOWN = 200


def comments_visible_q(viewer: Viewer) -> Q:
    """Live comments on projects ``viewer`` may see, by authors not blocked either way."""
    q = Q(deleted_at__isnull=True, author__is_active=True) & project_visible_q(
        viewer, prefix="project__"
    )
    if viewer.hidden_ids:
        q &= ~Q(author_id__anyof=viewer.hidden_ids)
    return q


def project_comments(viewer: Viewer, project: Project) -> list[ProjectComment]:
    """A project's comments, oldest first (the latest ``COMMENTS_SHOWN``); muted people are
    left out of the reader's view too."""
    qs = ProjectComment.objects.filter(comments_visible_q(viewer), project=project)
    if viewer.muted_ids:
        qs = qs.exclude(author_id__in=viewer.muted_ids)
    rows = list(qs.select_related("author__profile").order_by("-id")[:COMMENTS_SHOWN])
    rows.reverse()
    return rows


def comment_for_viewer(viewer: Viewer, comment_id: int) -> ProjectComment:
    comment = (
        ProjectComment.objects.filter(comments_visible_q(viewer), pk=comment_id)
        .select_related("author__profile", "project__owner")
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    return comment


def liked_by(viewer: Viewer, project: Project) -> bool:
    if viewer.id is None:
        return False
    return ProjectLike.objects.filter(project=project, user_id=viewer.id).exists()


# --- for social's notifications and link previews -------------------------------------------


def project_visible_ids(viewer: Viewer) -> QuerySet[Any, Any]:
    return projects_visible_to(viewer).values("pk")


def projects_by_id(viewer: Viewer, ids: list[int]) -> dict[int, Project]:
    qs = projects_visible_to(viewer).filter(pk__in=ids).select_related("owner__profile")
    return {p.pk: p for p in qs}


def comment_visible_ids(viewer: Viewer) -> QuerySet[Any, Any]:
    return ProjectComment.objects.filter(comments_visible_q(viewer)).values("pk")


def comments_by_id(viewer: Viewer, ids: list[int]) -> dict[int, ProjectComment]:
    qs = ProjectComment.objects.filter(comments_visible_q(viewer), pk__in=ids).select_related(
        "author__profile", "project__owner"
    )
    return {c.pk: c for c in qs}


def comments_page(
    viewer: Viewer, project_id: int, *, before: int | None = None, limit: int | None = None
) -> Page[ProjectComment]:
    """A project's comments for the API, newest first, keyset-paged (404 if not visible)."""
    project = projects_visible_to(viewer).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    limit = clamp_limit(limit)
    qs = ProjectComment.objects.filter(comments_visible_q(viewer), project=project)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.select_related("author__profile").order_by("-id")[: limit + 1])
    items, cursor = page_from(rows, limit=limit, key=lambda c: c.pk)
    return Page(items, cursor)


# --- search (registered with impasto.search.selectors.register_kind) ------------------------

PROJECT_INDEX = TextIndex(
    # art_project_fts (title, tags, vocab, description) and art_project.search_vector, both
    # made by migration art/0006_project_search.
    fts_table="art_project_fts",
    weights=(4.0, 2.0, 2.0, 1.0),
    vector_column="search_vector",
)
FACET_POOL = 500  # the best matches the facet counts are taken over
FACETS = ("field", "medium", "software")


def _has_key(column: str, key: str) -> Q:
    """Rows whose JSON list ``column`` holds ``key`` (a fixed vocabulary key, never quoted
    text), the same SQL on both databases: the JSON text contains ``"key"``."""
    return Q(**{f"{column}__icontains": f'"{key}"'})


def project_search_candidates(viewer: Viewer, params: SearchParams) -> QuerySet[Project]:
    """Projects search may show ``viewer``: visible to them (:func:`project_visible_q`: alive,
    not removed by a moderator, owner public and not blocked either way, drafts excluded),
    and further public only (not unlisted or followers-only, as for posts), not by someone
    they mute, with no image held by moderation, in the chosen field, medium and software."""
    qs = projects_visible_to(viewer).filter(visibility=Visibility.PUBLIC)
    if viewer.muted_ids:
        qs = qs.exclude(owner_id__in=viewer.muted_ids)
    qs = qs.exclude(
        Exists(
            ProjectImage.objects.filter(
                project_id=OuterRef("pk"), asset__status=MediaAsset.Status.HELD
            )
        )
    )
    for column, key in (
        ("fields", params.field),
        ("mediums", params.medium),
        ("software", params.software),
    ):
        if key:
            qs = qs.filter(_has_key(column, key))
    return qs


def search_projects(viewer: Viewer, terms: list[str], params: SearchParams) -> KindResults:
    """Projects matching ``terms`` (title, tags, fields, mediums, software, description), best
    first, with counts of each field, medium and software among the best ``FACET_POOL``.

    Five queries whatever the number of results: the ranked pool of matches, the visibility
    of that pool, the pool's facet columns, the page with owners and covers, the covers'
    variants."""
    candidates = project_search_candidates(viewer, params)
    ids = backend().ranked_ids(PROJECT_INDEX, terms, candidates=candidates, limit=FACET_POOL)
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    rows = Project.objects.filter(pk__in=ids).values_list("fields", "mediums", "software")
    for row in rows:
        for name, keys in zip(FACETS, row, strict=True):
            for key in keys or []:
                counts[name][key] = counts[name].get(key, 0) + 1
    top = ids[: params.limit]
    found = {p.pk: p for p in _with_cover(Project.objects.filter(pk__in=top))} if top else {}
    facets = {
        name: [
            FacetCount(key, n) for key, n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        for name, values in counts.items()
    }
    return KindResults(items=[found[pk] for pk in top if pk in found], facets=facets)
