"""What notifications can be about, and how to tell whether a reader may still see it.

A notification names its target as ``(target_type, target_id)``. Each type registers:

- ``visible_ids(viewer)``: a queryset of the ids of targets ``viewer`` may see, used as a
  sub-select so the notifications list and the unread count hide what became invisible (a
  post turned unreachable, its author blocked) in the same single query;
- ``load(viewer, ids)``: the visible targets by id, for display, in a constant number of
  queries.

Social registers ``"post"``; art registers ``"project"`` and ``"comment"`` in its AppConfig
with the same two functions, and nothing here changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from impasto.social.visibility import Viewer


@dataclass(frozen=True)
class TargetType:
    name: str
    visible_ids: Callable[[Viewer], QuerySet[Any, Any]]
    load: Callable[[Viewer, list[int]], Mapping[int, Any]]


_types: dict[str, TargetType] = {}


def register(target: TargetType) -> None:
    _types[target.name] = target


def get(name: str) -> TargetType:
    return _types[name]


def registered() -> dict[str, TargetType]:
    return dict(_types)
