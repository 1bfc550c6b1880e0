"""Projects in search (registered by the art app): matching on title, tags, vocabulary and
description without regard to accents, ranking, facet counts and filters, visibility (drafts,
followers-only, unlisted, blocks both ways, mutes, moderation removals and holds, deletions),
the page's query count and the API's shape, on the database under test."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from impasto.accounts.models import User
from impasto.art import services
from impasto.art.models import Project
from impasto.imaging.models import MediaAsset, MediaVariant
from impasto.search.selectors import FacetCount, SearchParams, search
from impasto.social.selectors.relations import viewer_for
from impasto.social.services import graph
from impasto.social.visibility import Visibility
from tests.art.conftest import MakeProject, _isolated_storage, make_project
from tests.factories import UserFactory

__all__ = ["_isolated_storage", "make_project"]  # fixtures shared with tests/art

pytestmark = pytest.mark.django_db


@pytest.fixture
def artist(db: Any) -> User:
    return UserFactory.create(handle="mira", display_name="Mira")


def found(user: User | None, query: str, **kwargs: Any) -> list[int]:
    results = search(viewer_for(user), SearchParams(query=query, kinds=("projects",), **kwargs))
    return [p.pk for p in results.extra["projects"]]


def test_projects_match_every_part_without_accents(artist: User, make_project: MakeProject) -> None:
    project = make_project(
        artist,
        title="Aquarelle du port",
        description="Une étude de lumière, le matin.",
        tags=["Marée", "harbour"],
        fields=["illustration"],
        mediums=["watercolour", "digital-painting"],
        software=["procreate"],
    )
    make_project(artist, title="Something else", description="nothing in common")
    for query in (
        "AQUARELLE",  # title, any case
        "aquarel",  # a prefix
        "maree",  # a tag, without its accent
        "harb",  # a tag by prefix
        "watercolour",  # a medium
        "painting",  # part of a medium key
        "procreate",  # a software
        "illustration",  # a field
        "etude LUMIÈRE",  # the description, accents either way
        "port matin",  # words from two parts
    ):
        assert found(None, query) == [project.pk], query
    assert found(None, "aquarelle absent") == []


def test_index_follows_edits_tags_and_deletion(artist: User, make_project: MakeProject) -> None:
    project = make_project(artist, title="First title", tags=["oldtag"])
    services.project_update(
        user=artist,
        project_id=project.pk,
        title="Second title",
        tags=["newtag"],
        no_ai_declared=True,
        visibility=Visibility.PUBLIC,
    )
    assert found(None, "first") == []
    assert found(None, "oldtag") == []
    assert found(None, "second") == [project.pk]
    assert found(None, "newtag") == [project.pk]
    services.project_delete(user=artist, project_id=project.pk)
    assert found(None, "second") == []


def test_a_title_match_outranks_a_description_match(
    artist: User, make_project: MakeProject
) -> None:
    described = make_project(artist, title="Study", description="A harbour seen from the hill")
    titled = make_project(artist, title="Harbour", description="Boats")
    assert found(None, "harbour") == [titled.pk, described.pk]


def test_hidden_projects_never_appear(artist: User, make_project: MakeProject) -> None:
    reader = UserFactory.create(handle="reader")
    graph.follow_create(follower=reader, followee=artist)
    public = make_project(artist, title="Lighthouse public")
    make_project(artist, title="Lighthouse draft", visibility=Visibility.DRAFT)
    make_project(artist, title="Lighthouse followers", visibility=Visibility.FOLLOWERS)
    make_project(artist, title="Lighthouse unlisted", visibility=Visibility.UNLISTED)
    removed = make_project(artist, title="Lighthouse removed")
    services.project_moderation_hide(project_id=removed.pk)
    held = make_project(artist, title="Lighthouse held", images=2)
    asset = held.images.order_by("-position").first().asset  # type: ignore[union-attr]
    MediaAsset.objects.filter(pk=asset.pk).update(status=MediaAsset.Status.HELD)
    deleted = make_project(artist, title="Lighthouse deleted")
    services.project_delete(user=artist, project_id=deleted.pk)
    assert found(None, "lighthouse") == [public.pk]
    assert found(reader, "lighthouse") == [public.pk]
    # Even its owner finds only what everyone may find (drafts are edited elsewhere).
    assert found(artist, "lighthouse") == [public.pk]
    # Blocks either way, and mutes.
    blocked = UserFactory.create(handle="blocked")
    graph.block_create(blocker=artist, blocked=blocked)
    blocker = UserFactory.create(handle="blocker")
    graph.block_create(blocker=blocker, blocked=artist)
    muter = UserFactory.create(handle="muter")
    graph.mute_create(muter=muter, muted=artist)
    assert found(blocked, "lighthouse") == []
    assert found(blocker, "lighthouse") == []
    assert found(muter, "lighthouse") == []
    # A moderator's restore brings it back.
    services.project_moderation_restore(project_id=removed.pk)
    assert set(found(None, "lighthouse")) == {public.pk, removed.pk}


def test_facet_counts_and_filters(artist: User, make_project: MakeProject) -> None:
    oil = make_project(
        artist, title="Still life one", fields=["fine-art"], mediums=["oil"], software=[]
    )
    both = make_project(
        artist,
        title="Still life two",
        fields=["fine-art", "illustration"],
        mediums=["oil", "ink"],
        software=["krita"],
    )
    digital = make_project(
        artist,
        title="Still life three",
        fields=["illustration"],
        mediums=["digital-painting"],
        software=["krita", "procreate"],
    )
    make_project(artist, title="Still life draft", mediums=["oil"], visibility=Visibility.DRAFT)
    results = search(viewer_for(None), SearchParams(query="still life", kinds=("projects",)))
    assert results.facets["medium"] == [
        FacetCount("oil", 2),
        FacetCount("digital-painting", 1),
        FacetCount("ink", 1),
    ]
    assert results.facets["software"] == [FacetCount("krita", 2), FacetCount("procreate", 1)]
    assert results.facets["field"] == [FacetCount("fine-art", 2), FacetCount("illustration", 2)]
    assert set(found(None, "still", medium="oil")) == {oil.pk, both.pk}
    assert found(None, "still", software="procreate") == [digital.pk]
    assert set(found(None, "still", field="illustration")) == {both.pk, digital.pk}
    assert found(None, "still", medium="oil", software="krita") == [both.pk]
    narrowed = search(
        viewer_for(None), SearchParams(query="still", kinds=("projects",), medium="ink")
    )
    assert narrowed.facets["medium"] == [FacetCount("ink", 1), FacetCount("oil", 1)]


def _cover_variants(project: Project) -> None:
    """Rows enough for ``{% picture %}`` to render the cover (a variant per format)."""
    asset = project.cover.asset  # type: ignore[union-attr]
    for n, fmt in enumerate(("avif", "webp", "jpeg")):
        MediaVariant.objects.create(
            asset=asset, format=fmt, width=320, height=213, sha256=f"{asset.pk:060x}{n:04x}",
            key=f"v/{asset.pk}.{fmt}", bytes=1,
        )  # fmt: skip


def _page_queries(client: Client, params: dict[str, str]) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get("/search", params)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def test_search_page_shows_project_cards_and_facets_in_constant_queries(
    client: Client, artist: User, make_project: MakeProject, django_assert_num_queries: Any
) -> None:
    first = make_project(artist, title="Night harbour", mediums=["ink"])
    _cover_variants(first)
    first.cover.alt_text = "Boats under a <b>full</b> moon"  # type: ignore[union-attr]
    first.cover.save()  # type: ignore[union-attr]
    params = {"q": "harbour"}
    queries, page = _page_queries(client, params)
    assert 'id="results-projects"' in page
    assert first.get_absolute_url() in page
    assert 'alt="Boats under a &lt;b&gt;full&lt;/b&gt; moon"' in page  # escaped alt text
    assert "<picture" in page
    assert "?q=harbour&amp;medium=ink" in page  # the facet narrows the same search
    for n in range(4):
        _cover_variants(
            make_project(artist, title=f"Harbour {n}", mediums=["oil"], software=["krita"])
        )
    with django_assert_num_queries(queries):
        response = client.get("/search", params)
    assert response.content.decode().count("data-project-id=") == 5
    narrowed = client.get("/search", {"q": "harbour", "medium": "ink", "type": "projects"})
    assert narrowed.content.decode().count("data-project-id=") == 1
    assert client.get("/search", {"q": "harbour", "medium": "plasticine"}).status_code == 400


def test_api_lists_projects_with_facets(
    client: Client, artist: User, make_project: MakeProject
) -> None:
    project = make_project(
        artist, title="Forest spirits", mediums=["gouache"], software=[], fields=["illustration"]
    )
    make_project(artist, title="Forest draft", visibility=Visibility.DRAFT)
    answer = client.get("/api/v1/search", {"q": "forest"}).json()
    assert [p["id"] for p in answer["projects"]] == [str(project.pk)]  # snowflakes as strings
    card = answer["projects"][0]
    assert card["title"] == "Forest spirits"
    assert card["owner"]["handle"] == "mira"
    assert card["cover"]["alt_text"] == "Picture 0"
    assert answer["facets"] == {
        "field": [{"value": "illustration", "count": 1}],
        "medium": [{"value": "gouache", "count": 1}],
        "software": [],
    }
    only = client.get("/api/v1/search", {"q": "forest", "type": "projects"}).json()
    assert len(only["projects"]) == 1
    assert only["posts"] == []
    assert only["people"] == []
    assert client.get("/api/v1/search", {"q": "forest", "medium": "oil"}).json()["projects"] == []
    assert client.get("/api/v1/search", {"q": "forest", "medium": "nope"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "forest", "software": "nope"}).status_code == 422
