"""Explicit status machines for long-running pipelines (media assets, moderation cases).

A model declares its allowed transitions once; :func:`transition` is the only way its status
changes, so an impossible move (``failed`` straight to ``ready``) is an error, not a silent bug.
The update is a conditional ``UPDATE ... WHERE status = <from>``, so two workers racing on the
same row cannot both win.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone


class TransitionError(Exception):
    pass


def transition(
    instance: models.Model,
    *,
    to: str,
    allowed: Mapping[str, set[str]],
    field: str = "status",
    **changes: Any,
) -> bool:
    """Move ``instance`` to status ``to`` if its current status allows it.

    Returns False when another process changed the row first (the caller lost the race);
    raises :class:`TransitionError` when the move is not allowed from the current status.
    Extra keyword arguments are written in the same UPDATE.
    """
    current = getattr(instance, field)
    if to not in allowed.get(current, set()):
        raise TransitionError(f"{type(instance).__name__} cannot go from {current!r} to {to!r}")
    values = {field: to, **changes}
    if any(f.name == "updated_at" for f in instance._meta.get_fields()):
        values.setdefault("updated_at", timezone.now())
    updated = (
        type(instance)._default_manager.filter(pk=instance.pk, **{field: current}).update(**values)
    )
    if updated:
        for key, value in values.items():
            setattr(instance, key, value)
    return bool(updated)
