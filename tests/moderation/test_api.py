"""POST /api/v1/reports: the same rules as the report page."""

from __future__ import annotations

import json

import pytest

from impasto.api.models import AccessToken
from impasto.api.services import token_create
from impasto.moderation.models import Case, Report
from impasto.social.services.posts import post_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports"


def call(client, user, body, scope=AccessToken.Scope.WRITE):
    _token, raw = token_create(user=user, name="test", scope=scope)
    return client.post(
        URL,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def test_report_a_post_through_the_api(client, user, other_user):
    post = post_create(author=other_user, body="spam")
    response = call(
        client, user, {"target_type": "post", "target_id": str(post.pk), "reason": "spam"}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["target_id"] == str(post.pk)
    assert data["reason"] == "spam"
    assert Case.objects.get().reports_count == 1


def test_api_report_refusals(client, user, other_user):
    own = post_create(author=user, body="mine")
    body = {"target_type": "post", "target_id": str(own.pk), "reason": "spam"}
    assert call(client, user, body).status_code == 400
    body = {"target_type": "post", "target_id": "999999", "reason": "spam"}
    assert call(client, user, body).status_code == 404
    body = {"target_type": "profile", "target_id": str(other_user.pk), "reason": "nope"}
    assert call(client, user, body).status_code == 422
    body = {"target_type": "profile", "target_id": str(other_user.pk), "reason": "spam"}
    assert call(client, user, body, scope=AccessToken.Scope.READ).status_code == 403
    assert (
        client.post(URL, data=json.dumps(body), content_type="application/json").status_code == 401
    )
    assert not Report.objects.exists()


def test_api_reports_are_rate_limited(client, user):
    author = UserFactory.create()
    codes = []
    for i in range(11):
        post = post_create(author=author, body=f"p{i}")
        body = {"target_type": "post", "target_id": str(post.pk), "reason": "spam"}
        codes.append(call(client, user, body).status_code)
    assert codes[:10] == [201] * 10
    assert codes[10] == 429
