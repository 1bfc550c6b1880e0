"""``KeyExists``: the rows of ``Exists``, planned on PostgreSQL as an index probe only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from impasto.core.expressions import KeyExists
from impasto.social.models import Post
from impasto.social.services.posts import post_create, post_delete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _parent_alive(kind: type[Exists]) -> Q:
    return Q(reply_to__isnull=True) | Q(
        kind(Post.objects.filter(pk=OuterRef("reply_to_id"), deleted_at__isnull=True))
    )


def test_key_exists_finds_the_rows_exists_finds() -> None:
    ann, ben = UserFactory.create(handle="ann"), UserFactory.create(handle="ben")
    kept = post_create(author=ann, body="a study")
    gone = post_create(author=ann, body="a sketch")
    replies = [post_create(author=ben, body="lovely", reply_to_id=p.pk) for p in (kept, gone)]
    post_delete(user=ann, post_id=gone.pk)

    fenced = set(Post.objects.filter(_parent_alive(KeyExists)).values_list("pk", flat=True))
    plain = set(Post.objects.filter(_parent_alive(Exists)).values_list("pk", flat=True))
    assert fenced == plain
    assert replies[0].pk in fenced
    assert replies[1].pk not in fenced
    negated = set(Post.objects.exclude(_parent_alive(KeyExists)).values_list("pk", flat=True))
    assert negated == {replies[1].pk}


def test_on_postgresql_the_sub_query_is_fenced() -> None:
    sql = str(Post.objects.filter(_parent_alive(KeyExists)).query)
    if connection.vendor == "postgresql":
        assert "LIMIT 1 OFFSET 0)" in sql
    else:  # SQLite plans it one way anyway: Django's own SQL
        assert sql == str(Post.objects.filter(_parent_alive(Exists)).query)
