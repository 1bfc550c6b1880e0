"""User-data hooks a test plugs into an app's AppConfig, as a later app would declare them."""

from __future__ import annotations

from typing import Any

calls: list[tuple[str, Any]] = []


def export(*, user: Any, writer: Any) -> None:
    calls.append(("export", user.pk))
    writer.add_json("things.json", [{"title": "A later app's data", "owner": user.handle}])


def erase(*, user: Any) -> None:
    # Runs before the User row goes: the hook can still find what the person owns.
    from impasto.accounts.models import User

    calls.append(("erase", User.objects.filter(pk=user.pk).exists()))


def deletion_requested(*, user: Any) -> None:
    calls.append(("deletion_requested", user.deletion_scheduled_at is not None))
