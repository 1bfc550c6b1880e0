"""Kept statements make the instances Django's queryset makes (impasto.core.statements).

``ModelStatement`` builds a row's instance without ``Model.__init__`` when ``__init__`` would
only store each column. These tests hold that instance equal to the queryset's, attribute for
attribute and with the same state, and check that every case where ``__init__`` does more
(a ``post_init`` receiver, a file field's descriptor) still goes through it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, models
from django.db.models.signals import post_init
from django.test.utils import isolate_apps

from impasto.accounts.models import Profile, User
from impasto.core.statements import ModelStatement, _instance, _stored_attnames
from impasto.social.models import Post
from impasto.social.services.posts import post_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _columns(obj: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(obj).items() if k != "_state"}


@pytest.fixture
def posts() -> list[Post]:
    ann, ben = UserFactory.create(handle="ann"), UserFactory.create(handle="ben")
    return [post_create(author=author, body=f"study {n}") for n, author in enumerate([ann, ben])]


def _kept(qs: Any, ids: list[int]) -> list[Any]:
    kept = ModelStatement.of(qs.filter(pk__in=ids).order_by("id"))
    return kept.instances({}, connection.alias)


def test_instances_with_related_rows_are_the_querysets(posts) -> None:
    ids = [p.pk for p in posts]
    queryset = Post.objects.select_related("author", "author__profile")
    expected = list(queryset.filter(pk__in=ids).order_by("id"))
    got = _kept(queryset, ids)

    assert [_columns(p) for p in got] == [_columns(p) for p in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert (mine._state.db, mine._state.adding) == (theirs._state.db, False)
        assert _columns(mine.author) == _columns(theirs.author)
        assert mine.author._state.adding is False
        # the profile has file fields, whose descriptor turns the stored name into a file
        assert _columns(mine.author.profile) == _columns(theirs.author.profile)
        assert type(mine.author.profile.avatar) is type(theirs.author.profile.avatar)
    assert _stored_attnames(Post) is not None  # the quick way was taken for posts
    assert _stored_attnames(Profile) is not None  # and for profiles, file fields and all


@isolate_apps("impasto.core")
def test_a_descriptor_that_does_more_than_store_keeps_init() -> None:
    class Portrait(models.Model):
        picture = models.ImageField(width_field="wide")  # its descriptor sets ``wide`` too
        wide = models.IntegerField(null=True)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.picture.name

    class Sketch(models.Model):
        title = models.CharField(max_length=10)
        scan = models.FileField()

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.title

    assert _stored_attnames(Portrait) is None
    assert _stored_attnames(Sketch) == ("id", "title", "scan")


def test_an_instance_made_the_quick_way_behaves_like_any(posts) -> None:
    post = _kept(Post.objects.all(), [posts[0].pk])[0]
    post.body = "edited"
    post.save(update_fields=["body"])  # an update, not an insert: adding is False
    assert Post.objects.get(pk=post.pk).body == "edited"
    post.author_id = posts[1].author_id  # the foreign key's descriptor still runs on set
    assert post.author == posts[1].author


def test_a_post_init_receiver_still_sees_every_instance(posts) -> None:
    seen: list[int] = []

    def receiver(sender: type[Post], instance: Post, **kwargs: Any) -> None:
        seen.append(id(instance))

    post_init.connect(receiver, sender=Post)
    try:
        got = _kept(Post.objects.all(), [p.pk for p in posts])
    finally:
        post_init.disconnect(receiver, sender=Post)
    assert seen == [id(p) for p in got]


def test_rows_missing_columns_go_through_from_db() -> None:
    user = UserFactory.create()
    row = User.objects.filter(pk=user.pk).values_list("id", "handle").get()
    made = _instance(User, connection.alias, ("id", "handle"), row)
    assert made.get_deferred_fields() >= {"email"}  # deferred, as from_db leaves them
    assert (made.pk, made.handle) == (user.pk, user.handle)
