"""The blocklist in Django's admin: readable by staff, written only by the moderation flow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impasto.protection.detection.hashing import hashes_of_image
from impasto.protection.detection.services import blocked_hash_add
from tests.factories import UserFactory
from tests.protection.detection import builders as b

pytestmark = pytest.mark.django_db


def test_staff_see_the_blocklist_but_cannot_add_or_edit(client, django_assert_max_num_queries):
    admin = UserFactory.create(is_staff=True)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for seed in range(3):
        blocked_hash_add(
            hashes=hashes_of_image(b.painting(seed)), reason="ai", case_ref=f"case-{seed}"
        )
    with django_assert_max_num_queries(8):
        page = client.get(reverse("admin:protection_blockedimagehash_changelist"))
    assert page.status_code == 200
    assert b"case-2" in page.content
    assert client.get(reverse("admin:protection_blockedimagehash_add")).status_code == 403


def test_the_blocklist_is_not_public(client) -> None:
    page = client.get(reverse("admin:protection_blockedimagehash_changelist"))
    assert page.status_code == 302
