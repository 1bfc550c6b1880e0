"""Search on the database under test (SQLite FTS5 or PostgreSQL): matching, ranking, accents,
facets, visibility and blocks, the page and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from impasto.accounts.models import Profile, ProfileDiscipline, User
from impasto.feeds.filters import FeedFilters
from impasto.search.backends import terms_of
from impasto.search.selectors import SearchParams, register_kind, search
from impasto.social.selectors.relations import viewer_for
from impasto.social.services.graph import block_create, mute_create
from impasto.social.services.posts import post_create, post_delete, post_edit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(**kwargs: Any) -> User:
        return UserFactory.create(**kwargs)

    return make


def profile_of(user: User, **fields: Any) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def post_ids(user: User | None, query: str, **kwargs: Any) -> list[int]:
    results = search(viewer_for(user), SearchParams(query=query, kinds=("posts",)), **kwargs)
    return [view.post.pk for view in results.posts]


def people(user: User | None, query: str, **kwargs: Any) -> list[str]:
    results = search(viewer_for(user), SearchParams(query=query, kinds=("people",), **kwargs))
    return [person.handle for person in results.people]


def test_terms_keep_only_words() -> None:
    assert terms_of('aquarelle" OR * NEAR(") -x') == ["aquarelle", "OR", "NEAR", "x"]
    assert terms_of("  ") == []


def test_posts_match_accent_and_case_insensitively_by_prefix(
    make_user: Callable[..., User],
) -> None:
    author = make_user()
    french = post_create(author=author, body="Une AQUARELLE du café de la gare")
    english = post_create(author=author, body="A watercolour of the cafe")
    post_create(author=author, body="Nothing to see")
    assert post_ids(None, "aquarelle") == [french.pk]
    assert set(post_ids(None, "CAFÉ")) == {french.pk, english.pk}
    assert post_ids(None, "water") == [english.pk]
    assert post_ids(None, "cafe aquarel") == [french.pk]


def test_better_matches_rank_first(make_user: Callable[..., User]) -> None:
    author = make_user()
    once = post_create(author=author, body="ink and a long story about many other things here")
    twice = post_create(author=author, body="ink ink ink")
    assert post_ids(None, "ink") == [twice.pk, once.pk]


def test_index_follows_edits_and_deletes(make_user: Callable[..., User]) -> None:
    author = make_user()
    post = post_create(author=author, body="first draft")
    post_edit(author=author, post_id=post.pk, body="final version")
    assert post_ids(None, "draft") == []
    assert post_ids(None, "final") == [post.pk]
    post_delete(user=author, post_id=post.pk)
    assert post_ids(None, "final") == []


def test_posts_obey_visibility_blocks_mutes_and_filters(make_user: Callable[..., User]) -> None:
    reader = make_user()
    author = make_user()
    public = post_create(author=author, body="sunset study")
    post_create(author=author, body="sunset for followers", visibility="followers")
    post_create(author=author, body="sunset unlisted", visibility="unlisted")
    warned = post_create(author=author, body="sunset gore", content_warning="blood")
    assert set(post_ids(reader, "sunset")) == {public.pk, warned.pk}
    assert post_ids(reader, "sunset", filters=FeedFilters(mature="hide")) == [public.pk]
    mute_create(muter=reader, muted=author)
    assert post_ids(reader, "sunset") == []
    other = make_user()
    block_create(blocker=author, blocked=other)
    assert post_ids(other, "sunset") == []


def test_people_by_handle_name_and_bio_with_facets(make_user: Callable[..., User]) -> None:
    mira = make_user(handle="mira", display_name="Mira Okonkwo")
    profile_of(mira, bio="Peintre à l'aquarelle", open_to_work=True)
    ProfileDiscipline.objects.create(profile=mira.profile, discipline="illustration")
    theo = make_user(handle="theo", display_name="Théo Aquarelliste")
    assert set(people(None, "aquarel")) == {"mira", "theo"}
    assert people(None, "aquarel")[0] == "theo"  # a name match outranks a bio match
    assert people(None, "peintre") == ["mira"]
    assert people(None, "theo") == ["theo"]
    assert people(None, "aquarel", open_to_work=True) == ["mira"]
    assert people(None, "aquarel", field="illustration") == ["mira"]
    block_create(blocker=mira, blocked=theo)
    assert people(theo, "aquarel") == ["theo"]  # mira blocks theo: she is gone for him


def test_tags_by_prefix_most_used_first(make_user: Callable[..., User]) -> None:
    author = make_user()
    post_create(author=author, body="#watercolor one")
    post_create(author=author, body="#watercolor two")
    post_create(author=author, body="#WaterLilies")
    results = search(viewer_for(None), SearchParams(query="#water", kinds=("tags",)))
    assert [tag.name for tag in results.tags] == ["watercolor", "waterlilies"]


def test_other_apps_register_a_kind(make_user: Callable[..., User]) -> None:
    register_kind("jobs", lambda viewer, terms, params: [f"job for {terms[0]}"])
    try:
        results = search(viewer_for(None), SearchParams(query="ink", kinds=("jobs",)))
        assert results.extra == {"jobs": ["job for ink"]}
    finally:
        from impasto.search import selectors

        selectors._PROVIDERS.pop("jobs")
        selectors._LABELS.pop("jobs")


def test_search_page_and_api(client: Client, make_user: Callable[..., User]) -> None:
    artist = make_user(handle="lou", display_name="Lou Gravure")
    post_create(author=artist, body="Gravure sur bois, première épreuve")
    page = client.get("/search", {"q": "premiere"}).content.decode()
    assert "première épreuve" in page
    assert client.get("/search").status_code == 200
    assert client.get("/search", {"q": "x", "type": "nonsense"}).status_code == 400
    answer = client.get("/api/v1/search", {"q": "gravure"}).json()
    assert [p["handle"] for p in answer["people"]] == ["lou"]
    assert len(answer["posts"]) == 1
    assert client.get("/api/v1/search", {"q": ""}).status_code == 422
    assert client.get("/api/v1/search", {"q": "a", "field": "nope"}).status_code == 422


def test_open_to_work_filter_on_the_page_and_in_the_api(
    client: Client, make_user: Callable[..., User]
) -> None:
    hiring = make_user(handle="ana", display_name="Ana Sketch")
    profile_of(hiring, open_to_work=True)
    busy = make_user(handle="ben", display_name="Ben Sketch")
    profile_of(busy)
    page = client.get("/search", {"q": "sketch", "open_to_work": "on"}).content.decode()
    assert 'name="open_to_work" checked' in page
    assert "@ana" in page
    assert "@ben" not in page
    assert "@ben" in client.get("/search", {"q": "sketch"}).content.decode()
    answer = client.get("/api/v1/search", {"q": "sketch", "open_to_work": "true"}).json()
    assert [(p["handle"], p["open_to_work"]) for p in answer["people"]] == [("ana", True)]
    everyone = client.get("/api/v1/search", {"q": "sketch"}).json()["people"]
    assert {p["handle"] for p in everyone} == {"ana", "ben"}
