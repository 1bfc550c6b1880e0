from __future__ import annotations

import pytest

from impasto.moderation import services
from impasto.moderation.models import Case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_cases_and_a_read_only_log(client, user):
    admin = UserFactory.create(is_staff=True)
    admin.is_superuser = True
    admin.save()
    services.report_create(
        reporter=UserFactory.create(), target_type="profile", target_id=user.pk, reason="spam"
    )
    client.force_login(admin)
    for url in ("/admin/moderation/case/", "/admin/moderation/actionlog/"):
        assert client.get(url).status_code == 200, url
    case = Case.objects.get()
    assert client.get(f"/admin/moderation/case/{case.pk}/change/").status_code == 200
    assert client.get("/admin/moderation/actionlog/add/").status_code == 403
