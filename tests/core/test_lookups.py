"""``__anyof`` and ``__anyof_opaque``: the rows of ``__in``, one array parameter on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from impasto.social.models import Post
from impasto.social.services.posts import post_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lookup", ["anyof", "anyof_opaque"])
def test_the_rows_of_in(lookup: str) -> None:
    authors = [UserFactory.create() for _ in range(3)]
    for author in authors:
        post_create(author=author, body="a study")
    chosen = {authors[0].pk, authors[2].pk}

    def ids(**where: object) -> set[int]:
        return set(Post.objects.filter(**where).values_list("author_id", flat=True))

    assert ids(**{f"author_id__{lookup}": chosen}) == ids(author_id__in=chosen) == chosen
    assert ids(**{f"author_id__{lookup}": set()}) == set()  # an empty set matches nothing
    assert set(
        Post.objects.exclude(**{f"author_id__{lookup}": chosen}).values_list("author_id", flat=True)
    ) == {authors[1].pk}


def test_only_the_opaque_set_is_hidden_from_the_planner() -> None:
    ids = {3, 1, 2}
    plain, plain_params = Post.objects.filter(author_id__anyof=ids).query.sql_with_params()
    opaque, opaque_params = Post.objects.filter(author_id__anyof_opaque=ids).query.sql_with_params()
    assert plain_params == opaque_params
    if connection.vendor == "postgresql":
        assert plain_params == ([1, 2, 3],)  # one parameter: the sorted ids
        assert '"author_id" = ANY(%s::bigint[])' in plain
        assert '"author_id" = ANY((SELECT %s::bigint[])::bigint[])' in opaque
    else:  # SQLite: one placeholder per id, both alike
        assert plain_params == (1, 2, 3)
        assert plain == opaque
