"""Like and comment counters stay right when requests race (real threads and transactions)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from impasto.art import services
from impasto.art.models import Project, ProjectComment, ProjectLike
from impasto.social.visibility import Visibility
from tests.factories import MediaAssetFactory, UserFactory
from tests.social.test_concurrency import database_for_threads, race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.usefixtures("database_for_threads"),
]
__all__ = ["database_for_threads"]


def _project() -> Project:
    owner = UserFactory.create()
    project = services.project_create(owner=owner, title="Race", no_ai_declared=True)
    asset = MediaAssetFactory.create(owner=owner)
    services.project_image_attach(
        user=owner, project_id=project.pk, asset_id=asset.pk, alt_text="A picture"
    )
    return services.project_visibility_set(
        user=owner, project_id=project.pk, visibility=Visibility.PUBLIC
    )


def test_likes_and_comments_at_once_count_exactly() -> None:
    project = _project()
    fans = [UserFactory.create() for _ in range(6)]
    calls: list[Callable[[], object]] = [
        partial(services.project_like, user=fan, project_id=project.pk) for fan in fans
    ]
    calls += [partial(services.project_like, user=fans[0], project_id=project.pk)] * 3
    calls += [
        partial(services.comment_create, user=fan, project_id=project.pk, body="Hi")
        for fan in fans[:4]
    ]
    assert race(*calls) == []
    project.refresh_from_db()
    assert project.like_count == ProjectLike.objects.filter(project=project).count() == 6
    assert project.comment_count == ProjectComment.objects.filter(project=project).count() == 4
    unlikes = [
        partial(services.project_unlike, user=fan, project_id=project.pk) for fan in fans[:4]
    ]
    assert race(*unlikes, *unlikes[:2]) == []
    project.refresh_from_db()
    assert project.like_count == ProjectLike.objects.filter(project=project).count() == 2
