"""What every social router shares: the reader of the request, people by handle, pages.

The social selectors take a :class:`~impasto.social.visibility.Viewer` (the reader with their
follows, blocks and mutes, loaded in one query). Here it is built from the API's caller
(:func:`impasto.api.auth.principal`), never from ``request.user`` directly: for a session of an
account that is being deleted the API answers as if nobody were signed in, and so must the
visibility rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest

from impasto.accounts.models import User
from impasto.accounts.selectors import user_get_public
from impasto.accounts.validators import normalize_handle
from impasto.api.auth import principal
from impasto.social.pagination import Page
from impasto.social.selectors.relations import viewer_for
from impasto.social.visibility import Viewer

_VIEWER = "_impasto_api_viewer"
T = TypeVar("T")


def viewer_of(request: HttpRequest) -> Viewer:
    """The reader of this request, loaded once (one query; none when anonymous)."""
    viewer: Viewer | None = getattr(request, _VIEWER, None)
    if viewer is None:
        viewer = viewer_for(principal(request).user)
        setattr(request, _VIEWER, viewer)
    return viewer


def fresh_viewer(request: HttpRequest) -> Viewer:
    """The reader again, after a write that changed their follows, blocks or mutes."""
    setattr(request, _VIEWER, None)
    return viewer_of(request)


def person_or_404(handle: str) -> User:
    """The public account behind ``handle`` (any case, ``@`` optional), profile loaded."""
    user = user_get_public(handle=normalize_handle(handle), with_fields=False)
    if user is None:
        raise Http404("No such person.")
    return user


def page_out(page: Page[T], item: Callable[[T], Any]) -> dict[str, Any]:
    """A selector's page as the API's ``{"items": [...], "before": cursor | null}``."""
    return {"items": [item(entry) for entry in page.items], "before": page.next_cursor}
