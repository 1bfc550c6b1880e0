"""One search selector: people, posts and tags (and what other apps register), for a reader.

The backend (:mod:`impasto.search.backends`) finds and ranks; this module decides what the
reader may get: public accounts not blocked either way (and not muted, for people lists),
posts through the social visibility rule restricted to listed (public) posts, as the table in
docs/social.md says for search, and the reader's feed filters on posts. Other apps add a kind
(projects, jobs) with :func:`register_kind` without touching this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
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


CORE_KINDS = ("people", "posts", "tags")


@dataclass(frozen=True)
class SearchParams:
    query: str
    kinds: tuple[str, ...] = CORE_KINDS  # registered kinds are searched when named here
    field: str | None = None  # people and posts: artists of this field; projects: in it
    open_to_work: bool = False  # people only
    medium: str | None = None  # projects (registered kinds) only
    software: str | None = None  # projects (registered kinds) only
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet (``"watercolour"``) and how many results carry it."""

    value: str
    count: int


@dataclass
class KindResults:
    """What a registered provider may answer instead of a plain list: the results, best first,
    and facet counts over its matches (``{"medium": [FacetCount("oil", 3)]}``)."""

    items: list[Any]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)


@dataclass
class SearchResults:
    query: str
    people: list[User] = field(default_factory=list)
    posts: list[PostView] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    extra: dict[str, list[Any]] = field(default_factory=dict)  # registered kinds
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)  # "field", "medium", …

    @property
    def is_empty(self) -> bool:
        return not (self.people or self.posts or self.tags or any(self.extra.values()))


SearchProvider = Callable[[Viewer, list[str], SearchParams], "list[Any] | KindResults"]
_PROVIDERS: dict[str, SearchProvider] = {}
_LABELS: dict[str, Any] = {}


def register_kind(kind: str, provider: SearchProvider, *, label: Any = None) -> None:
    """Add a kind of result (``"projects"``): ``provider(viewer, terms, params)`` returns the
    results the reader may see, best first (a list, or :class:`KindResults` with facet
    counts). The web page and the API list it by its name; ``label`` names it in the form."""
    _PROVIDERS[kind] = provider
    _LABELS[kind] = label or kind


@dataclass(frozen=True)
class Facet:
    """A filter a registered kind brings (``medium``): its label and its ``(key, label)``
    choices, which the search form and the API offer and validate against."""

    name: str
    label: Any
    choices: tuple[tuple[str, Any], ...]


_FACETS: dict[str, Facet] = {}


def register_facet(name: str, label: Any, choices: Any) -> None:
    """Offer a filter by ``name`` (``"medium"``, ``"software"``) with these choices; the value
    chosen reaches providers as ``SearchParams.<name>``."""
    _FACETS[name] = Facet(name, label, tuple((str(k), v) for k, v in choices))


def registered_facets() -> dict[str, Facet]:
    return dict(_FACETS)


def registered_kinds() -> dict[str, Any]:
    """The registered kinds and their labels, in registration order."""
    return dict(_LABELS)


def all_kinds() -> tuple[str, ...]:
    """Every kind a search for "everything" covers: people, posts, tags and the registered."""
    return CORE_KINDS + tuple(_PROVIDERS)


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
    params = replace(params, query=query, limit=max(1, min(params.limit, MAX_LIMIT)))
    narrowed = params.field or params.open_to_work or params.medium or params.software
    if "people" in params.kinds and not (params.medium or params.software):
        results.people = search_people(viewer, terms, params)
    if "posts" in params.kinds and not (params.medium or params.software):
        results.posts = search_posts(viewer, terms, params, filters or FeedFilters())
    if "tags" in params.kinds and not narrowed:
        results.tags = search_tags(terms, params.limit)
    for kind, provider in _PROVIDERS.items():
        if kind in params.kinds and not params.open_to_work:
            found = provider(viewer, terms, params)
            if isinstance(found, KindResults):
                results.extra[kind] = found.items
                for name, counts in found.facets.items():
                    results.facets[name] = _merged(results.facets.get(name, []), counts)
            else:
                results.extra[kind] = list(found)
    return results


def _merged(a: list[FacetCount], b: list[FacetCount]) -> list[FacetCount]:
    """Two kinds' counts of one facet added up, most first (then by value)."""
    total: dict[str, int] = {}
    for item in (*a, *b):
        total[item.value] = total.get(item.value, 0) + item.count
    return [FacetCount(v, n) for v, n in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))]
