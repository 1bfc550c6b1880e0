"""Link previews, only of this site's own pages.

A post keeps the path of its first link to one of our pages (``Post.link_path``). At read time
the path goes through Django's URL resolver; if the matched view name has a registered provider,
the provider builds the preview *for the reader*, in one batch per page, so a preview never
shows a post or a project the reader may not see. Nothing is ever fetched from the network.

Providers are registered by view name: social registers ``social:post-detail`` (kwarg
``post_id``) and ``accounts:profile`` (kwarg ``handle``); art will register its project page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.urls import Resolver404, resolve

from impasto.social.visibility import Viewer


@dataclass(frozen=True)
class LinkPreview:
    kind: str  # "post", "profile", "project"...
    title: str
    description: str = ""
    object: Any = None
    url: str = ""  # the linked path (filled in by previews_for)


# Gets the reader and the resolved kwargs of each link; returns a preview per kwargs (same
# order), or None where the reader may not see the page.
Provider = Callable[[Viewer, Sequence[Mapping[str, Any]]], Sequence[LinkPreview | None]]

_providers: dict[str, Provider] = {}


def register(view_name: str, provider: Provider) -> None:
    _providers[view_name] = provider


def previewable(path: str) -> bool:
    """True when ``path`` resolves to a view that has a preview provider."""
    return _resolve(path) is not None


def _resolve(path: str) -> tuple[str, dict[str, Any]] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name not in _providers:
        return None
    return match.view_name, dict(match.kwargs)


def previews_for(viewer: Viewer, paths: Sequence[str]) -> dict[str, LinkPreview]:
    """Previews of ``paths`` that ``viewer`` may see, by path (one batch per provider)."""
    wanted: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for path in dict.fromkeys(p for p in paths if p):
        resolved = _resolve(path)
        if resolved:
            wanted[resolved[0]].append((path, resolved[1]))
    found: dict[str, LinkPreview] = {}
    for view_name, items in wanted.items():
        results = _providers[view_name](viewer, [kwargs for _, kwargs in items])
        for (path, _kwargs), preview in zip(items, results, strict=True):
            if preview is not None:
                found[path] = replace(preview, url=path)
    return found
