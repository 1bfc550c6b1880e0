"""What can be moderated: a registry of target types, each a small adapter.

A case names its target as ``(target_type, target_id)``. Each type registers a
:class:`TargetType` that tells moderation how to load it, who owns it, how to show it on the
case page (a template and the pictures to display) and how to hide and restore it. Moderation
never imports the app that owns the target; the app (or moderation, for the built-in ones:
``asset``, ``post``, ``profile``) registers in its AppConfig.ready::

    from impasto.moderation import targets

    targets.register(targets.TargetType(
        name="project", label=_("project"),
        load=lambda pk: Project.objects.filter(pk=pk).first(),
        owner_id=lambda project: project.owner_id,
        title=lambda project: project.title,
        url=lambda project: project.get_absolute_url(),
        images=lambda project: list(project.assets()),
        hide=..., restore=..., is_hidden=...,
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class TargetType:
    name: str  # at most 20 characters (Case.target_type)
    label: str | Promise  # "work", "post", "profile": used in sentences shown to people
    load: Callable[[int], Any | None]  # the object whatever its state, or None when gone
    owner_id: Callable[[Any], int]  # the account told of decisions (and sanctioned)
    title: Callable[[Any], str]  # a short description for lists
    url: Callable[[Any], str | None]  # where it lives on the site, if anywhere
    images: Callable[[Any], list[Any]]  # imaging MediaAssets to show moderators
    hide: Callable[[Any], None]  # take it out of public view (idempotent)
    restore: Callable[[Any], None]  # put it back (idempotent)
    is_hidden: Callable[[Any], bool]
    template: str = "moderation/targets/_generic.html"  # rendered with `obj`, `target`
    text: Callable[[Any], str] = lambda obj: ""  # plain text shown to moderators
    # Whether a signed-in person may see it (and so report it): 404 otherwise.
    visible_to: Callable[[Any, Any], bool] = lambda obj, user: True


_types: dict[str, TargetType] = {}


def register(target: TargetType) -> None:
    if len(target.name) > 20:
        raise ValueError(f"target type name {target.name!r} is over 20 characters")
    _types[target.name] = target


def get(name: str) -> TargetType:
    return _types[name]


def registered() -> dict[str, TargetType]:
    return dict(_types)
