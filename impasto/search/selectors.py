"""One search selector: people, posts and tags (and what other apps register), for a reader.

The backend (:mod:`impasto.search.backends`) finds and ranks; this module decides what the
reader may get: public accounts not blocked either way (and not muted, for people lists),
posts through the social visibility rule restricted to listed (public) posts, as the table in
docs/social.md says for search, and the reader's feed filters on posts. Other apps add a kind
(projects, jobs) with :func:`register_kind` without touching this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef

from impasto.accounts.models import ProfileDiscipline, User
from impasto.feeds.filters import FeedFilters, filters_q
from impasto.search.backends import backend, terms_of
from impasto.social.models import Post, Tag
from impasto.social.selectors.posts import (
    PostView,
    listed_q,
    not_muted_q,
    post_visible_q,
    posts_hydrate,
)
from impasto.social.text import normalize_tag
from impasto.social.visibility import Viewer

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchParams:
    query: str
    kinds: tuple[str, ...] = ("people", "posts", "tags")
    field: str | None = None  # people and posts: artists of this field
    open_to_work: bool = False  # people only
    limit: int = DEFAULT_LIMIT


@dataclass
class SearchResults:
    query: str
    people: list[User] = field(default_factory=list)
    posts: list[PostView] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    extra: dict[str, list[Any]] = field(default_factory=dict)  # registered kinds

    @property
    def is_empty(self) -> bool:
        return not (self.people or self.posts or self.tags or any(self.extra.values()))


SearchProvider = Callable[[Viewer, list[str], SearchParams], list[Any]]
_PROVIDERS: dict[str, SearchProvider] = {}


def register_kind(kind: str, provider: SearchProvider) -> None:
    """Add a kind of result (``"projects"``): ``provider(viewer, terms, params)`` returns the
    results the reader may see, best first. The web page and the API list it by its name."""
    _PROVIDERS[kind] = provider


def _in_field(field_name: str) -> Exists:
    return Exists(
        ProfileDiscipline.objects.filter(profile_id=OuterRef("pk"), discipline=field_name)
    )


def search_people(viewer: Viewer, terms: list[str], params: SearchParams) -> list[User]:
    people = User.objects.public().exclude(pk__in=viewer.quiet_ids)
    if params.open_to_work:
        people = people.filter(profile__open_to_work=True)
    if params.field:
        people = people.filter(_in_field(params.field))
    ids = backend().person_ids(terms, candidates=people, limit=params.limit)
    found = {u.pk: u for u in User.objects.filter(pk__in=ids).select_related("profile")}
    return [found[i] for i in ids if i in found]


def search_posts(
    viewer: Viewer, terms: list[str], params: SearchParams, filters: FeedFilters
) -> list[PostView]:
    posts = (
        Post.objects.filter(repost_of__isnull=True)
        .filter(post_visible_q(viewer), listed_q(), not_muted_q(viewer))
        .filter(filters_q(filters))
    )
    if params.field:
        posts = posts.filter(
            Exists(
                ProfileDiscipline.objects.filter(
                    profile_id=OuterRef("author_id"), discipline=params.field
                )
            )
        )
    ids = backend().post_ids(terms, candidates=posts, limit=params.limit)
    return posts_hydrate(viewer, ids)


def search_tags(terms: list[str], limit: int) -> list[Tag]:
    """Tags starting with the query's words run together (``#water`` finds ``#watercolor``),
    most used first."""
    prefix = normalize_tag("".join(terms))
    if not prefix:
        return []
    return list(
        Tag.objects.filter(name__startswith=prefix)
        .annotate(uses=Count("post_tags"))
        .order_by("-uses", "name")[:limit]
    )


def search(
    viewer: Viewer, params: SearchParams, *, filters: FeedFilters | None = None
) -> SearchResults:
    """Everything matching ``params.query`` that the reader may see, best first per kind."""
    query = params.query.strip()[:MAX_QUERY_LENGTH]
    results = SearchResults(query=query)
    terms = terms_of(query)
    if not terms:
        return results
    params = SearchParams(
        query=query,
        kinds=params.kinds,
        field=params.field,
        open_to_work=params.open_to_work,
        limit=max(1, min(params.limit, MAX_LIMIT)),
    )
    if "people" in params.kinds:
        results.people = search_people(viewer, terms, params)
    if "posts" in params.kinds:
        results.posts = search_posts(viewer, terms, params, filters or FeedFilters())
    if "tags" in params.kinds and not params.field and not params.open_to_work:
        results.tags = search_tags(terms, params.limit)
    for kind, provider in _PROVIDERS.items():
        if kind in params.kinds:
            results.extra[kind] = provider(viewer, terms, params)
    return results
