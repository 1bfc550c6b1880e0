"""Search: /api/v1/search (people, projects, posts and tags, with facet counts; docs/feeds.md,
"Search")."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from impasto.api.auth import PUBLIC, PUBLIC_OPENAPI, principal
from impasto.api.errors import error_responses
from impasto.api.schemas.art import ProjectCardOut, project_card_out
from impasto.api.schemas.feeds import TagOut
from impasto.api.schemas.posts import PostOut, post_out
from impasto.api.schemas.social import AuthorOut, author_out
from impasto.api.social import viewer_of
from impasto.art.vocab import Medium, Software
from impasto.core.vocab import Discipline
from impasto.feeds.selectors import feed_filters_of
from impasto.search.selectors import (
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    SearchParams,
    all_kinds,
    search,
)

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field(min_length=1, max_length=MAX_QUERY_LENGTH, description="Words to find.")
    type: Literal["all", "people", "projects", "posts", "tags"] = Field(default="all")
    field: Discipline | None = Field(
        default=None, description="Artists of this field (people, posts), projects in it."
    )
    medium: Medium | None = Field(default=None, description="Projects in this medium only.")
    software: Software | None = Field(default=None, description="Projects made with it only.")
    open_to_work: bool = Field(default=False, description="People open to work only.")
    limit: int = Field(default=20, ge=1, le=MAX_LIMIT, description="Per kind, at most.")


class PersonResultOut(AuthorOut):
    open_to_work: bool


class FacetCountOut(Schema):
    value: str = Field(description="The key, as the matching filter takes it.")
    count: int = Field(description="Matching projects with it (among the best 500).")


class FacetsOut(Schema):
    field: list[FacetCountOut]
    medium: list[FacetCountOut]
    software: list[FacetCountOut]


class SearchOut(Schema):
    people: list[PersonResultOut]
    projects: list[ProjectCardOut]
    posts: list[PostOut]
    tags: list[TagOut]
    facets: FacetsOut


@router.get(
    "",
    auth=PUBLIC,
    openapi_extra=PUBLIC_OPENAPI,
    response={200: SearchOut, **error_responses(401, 422)},
    summary="Search people, projects, posts and tags",
)
def search_get(request: HttpRequest, params: Query[SearchIn]) -> dict[str, Any]:
    """Best matches first in each kind; accents and case are ignored and each word matches
    the words it begins. Only public posts and projects, and nobody who blocks you (or whom
    you block). ``facets`` counts the fields, mediums and software of the matching projects;
    pass one back as ``field``, ``medium`` or ``software`` to narrow the search."""
    viewer = viewer_of(request)
    results = search(
        viewer,
        SearchParams(
            query=params.q,
            kinds=all_kinds() if params.type == "all" else (params.type,),
            field=params.field,
            medium=params.medium,
            software=params.software,
            open_to_work=params.open_to_work,
            limit=params.limit,
        ),
        filters=feed_filters_of(principal(request).user),
    )
    return {
        "people": [
            {**author_out(person), "open_to_work": person.profile.open_to_work}
            for person in results.people
        ],
        "projects": [project_card_out(p) for p in results.extra.get("projects", [])],
        "posts": [post_out(view, viewer) for view in results.posts],
        "tags": [TagOut(name=t.name, display_name=t.display_name) for t in results.tags],
        "facets": {
            name: [{"value": c.value, "count": c.count} for c in results.facets.get(name, [])]
            for name in ("field", "medium", "software")
        },
    }
