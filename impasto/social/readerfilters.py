"""A seam for the reader's own filters on social's discovery lists (tag pages).

Social knows nothing of feed preferences; the feeds app (impasto.feeds, docs/feeds.md)
registers a provider that turns the reader into a ``Q`` over posts (works only, hide reposts,
mature work, muted words and tags, fields), and :func:`posts_by_tag` applies it, so a tag page
shows what the reader's feeds would. Without a provider nothing is filtered.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from impasto.social.visibility import Viewer

ReaderFilter = Callable[[Viewer], Q]

_provider: ReaderFilter | None = None


def register_reader_filter(provider: ReaderFilter | None) -> ReaderFilter | None:
    """Install ``provider`` (None removes it); returns the previous one (for tests)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def reader_filter_q(viewer: Viewer) -> Q:
    return _provider(viewer) if _provider is not None else Q()
