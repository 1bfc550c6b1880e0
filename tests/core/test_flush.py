"""Transactional tests anywhere in the suite can write to the append-only audit log."""

from __future__ import annotations

import pytest

from impasto.moderation import auditlog
from impasto.moderation.models import ActionLog


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_writes_the_audit_log_is_flushed_after_it() -> None:
    from django.db import connection

    auditlog.install(connection)  # as the migration leaves it
    ActionLog.objects.create(kind=ActionLog.Kind.HOLD, reason="a held upload, mid-test")
    # Ending this test empties every table; with the triggers in place that flush would raise,
    # and this test (and every transactional test after it) would error in teardown.


@pytest.mark.django_db(transaction=True)
def test_and_the_next_transactional_test_starts_empty() -> None:
    assert not ActionLog.objects.exists()
