from __future__ import annotations

import pytest
from django.urls import reverse

from impasto.protection.cloaking.models import CloakJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_read_cloak_jobs_and_cannot_edit_them(client, django_assert_max_num_queries) -> None:
    staff = UserFactory.create(is_staff=True)
    staff.is_superuser = True
    staff.save()
    for asset in range(5):
        CloakJob.objects.create(
            owner=UserFactory.create(), work_id=1, asset_id=asset, level="low", status="done"
        )
    client.force_login(staff)
    with django_assert_max_num_queries(8):  # the owners come with the jobs, not one by one
        response = client.get(reverse("admin:protection_cloakjob_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count("field-asset_id") == 5
    job = CloakJob.objects.first()
    assert job is not None
    change = client.get(reverse("admin:protection_cloakjob_change", args=[job.pk]))
    assert change.status_code == 200
    assert 'name="level"' not in change.content.decode()  # read-only
    assert client.get(reverse("admin:protection_cloakjob_add")).status_code == 403
