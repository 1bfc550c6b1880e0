"""Social's part in a person's data export and in an account's erasure (accounts' hooks)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from impasto.accounts.models import DataExport, User
from impasto.accounts.services import (
    account_deletion_request,
    account_erase,
    data_export_build,
    data_export_request,
)
from impasto.social.models import Follow, Post
from impasto.social.services.graph import follow_create
from impasto.social.services.posts import post_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_the_persons_posts(user: User, other_user: User) -> None:
    post_create(author=user, body="First sketch of the harbour")
    follow_create(follower=user, followee=other_user)
    export = data_export_request(user=user)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    with storages["private"].open(export.file_name) as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    social = json.loads(archive.read("social/social.json"))
    assert [post["body"] for post in social["posts"]] == ["First sketch of the harbour"]


def test_erasing_an_account_removes_its_posts_and_follows(other_user: User) -> None:
    leaving = UserFactory.create()
    post_create(author=leaving, body="Goodbye")
    follow_create(follower=other_user, followee=leaving)
    account_deletion_request(user=leaving)
    later = timezone.now() + timedelta(days=365)
    assert account_erase(user_id=leaving.pk, now=later)
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Post.objects.filter(author_id=leaving.pk).exists()
    assert not Follow.objects.filter(followee_id=leaving.pk).exists()
